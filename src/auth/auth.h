/*
 * auth.h - who the caller is, and what they may do.
 *
 * Identity: browser sessions (cookie + CSRF token) and API bearer tokens, both
 * stored only as SHA-256 hashes; passwords as Argon2id strings (libsodium).
 * Repeated failed logins lock the account for a while and throttle the source
 * address; every login failure looks the same from outside, so the answer never
 * reveals whether an account exists.
 *
 * Authorisation: ONE function, auth_policy_check(), decides every request from
 * (caller's role, caller's unit, object's unit, object's owner, action), driven
 * by a single table in policy.c. A role that may never do an action gets
 * YJ_EPERM (403); an object outside the caller's scope gets YJ_ENOTFOUND (404),
 * so that its existence is not revealed.
 */
#ifndef YJ_AUTH_AUTH_H
#define YJ_AUTH_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/err.h"
#include "store/store.h"

/* --- roles ------------------------------------------------------------------ */

enum auth_role {
    AUTH_ROLE_AUTHORITY,         /* 主管部门 */
    AUTH_ROLE_SECURITY_REVIEWER, /* 安全审查 (police background review) */
    AUTH_ROLE_EXPERT,            /* 评审专家 */
    AUTH_ROLE_UNIT,              /* 支撑单位 staff; belongs to one unit */
    AUTH_ROLE_AUDITOR,           /* 审计监督, read-only */
    AUTH_ROLE__COUNT
};

const char *auth_role_code(enum auth_role r);    /* "authority", ... */
const char *auth_role_name_zh(enum auth_role r); /* 主管部门, ... */
/* 0 and *r for a known code; -1 otherwise. */
int auth_role_parse(const char *code, enum auth_role *r);

/* --- the caller --------------------------------------------------------------- */

struct auth_subject {
    int64_t user_id;
    const char *username; /* borrowed from the request arena */
    enum auth_role role;
    int64_t unit_id;          /* the caller's unit, 0 unless role is unit */
    bool via_session;         /* cookie session: writes need the CSRF token */
    const char *session_hash; /* when via_session */
    int64_t token_id;         /* when via a bearer token */
};

/* --- policy ------------------------------------------------------------------- */

enum auth_action {
    AUTH_UNIT_LIST,
    AUTH_UNIT_READ,
    AUTH_UNIT_READ_PERSONAL, /* contacts, staff, on-call roster */
    AUTH_UNIT_CREATE,
    AUTH_UNIT_UPDATE,
    AUTH_UNIT_DELETE,
    AUTH_UNIT_HISTORY,
    AUTH_USER_LIST,
    AUTH_USER_READ,
    AUTH_USER_CREATE,
    AUTH_USER_UPDATE,
    AUTH_USER_RESET_PASSWORD,
    AUTH_AUDIT_READ,
    AUTH_TOKEN_CREATE, /* for oneself */
    AUTH_TOKEN_LIST,
    AUTH_TOKEN_REVOKE,
    AUTH_SESSION_SELF, /* read own session, change own password */
    AUTH_REFERENCE_READ,

    /* Selection campaigns (遴选) */
    AUTH_CAMPAIGN_READ,             /* list and read campaigns */
    AUTH_CAMPAIGN_READ_DRAFT,       /* see campaigns still being set up */
    AUTH_CAMPAIGN_MANAGE,           /* create, edit, move through stages, approve, publish */
    AUTH_UNIT_RECORD_READ,          /* a unit's grades and bans (carry-over history) */
    AUTH_UNIT_RECORD_MANAGE,        /* record grades and bans */
    AUTH_APPLICATION_LIST,          /* see that applications exist (scoped) */
    AUTH_APPLICATION_READ,          /* the whole application and its attachments */
    AUTH_APPLICATION_READ_SECURITY, /* the background-review view: who and what, no more */
    AUTH_APPLICATION_WRITE,         /* start, autosave, attach, submit one's own application */
    AUTH_APPLICATION_MANAGE,        /* return for correction, paper copy, eligibility override */
    AUTH_SECURITY_REVIEW,           /* decide the background review */
    AUTH_PANEL_MANAGE,              /* panels, their experts and applications, closing */
    AUTH_PANEL_READ,                /* a panel and its applications */
    AUTH_SCORE_WRITE,               /* declare conflicts, score an application */
    AUTH_SCORE_READ_OWN,            /* one's own score sheet */
    AUTH_SCORE_READ_ALL,            /* every expert's scores of an application */
    AUTH_RANKING_READ,     /* aggregated scores, ranking, pipeline board, summary exports */
    AUTH_OBJECTION_MANAGE, /* record, investigate and decide objections */
    AUTH_OBJECTION_READ,

    /* Certificates */
    AUTH_CERT_READ,
    AUTH_CERT_MANAGE,   /* suspend, reinstate, cancel, revoke */
    AUTH_CHANGE_REPORT, /* report a change of ownership or legal representative */
    AUTH_REQUAL_READ,   /* re-qualification tasks */
    AUTH_REQUAL_DECIDE,

    /* Incidents and emergency dispatch, work record, notifications */
    AUTH_INCIDENT_LIST,    /* incidents (a unit: those it takes part in) */
    AUTH_INCIDENT_READ,    /* an incident, its timeline and evidence (a unit: its own part) */
    AUTH_INCIDENT_REPORT,  /* take in a new incident (a unit: one it discovered) */
    AUTH_INCIDENT_MANAGE,  /* grade, move, link, merge, final report */
    AUTH_EVIDENCE_ADD,     /* append evidence to the chain of custody */
    AUTH_DISPATCH_MANAGE,  /* dispatch units, withdraw, re-dispatch */
    AUTH_DISPATCH_READ,    /* dispatches (a unit: its own) */
    AUTH_DISPATCH_RESPOND, /* accept, decline, plan started, on site, resolved */
    AUTH_REPORT_MANAGE,    /* upward reports: draft, send */
    AUTH_REPORT_READ,
    AUTH_INCIDENT_REFERENCE_MANAGE, /* correct classes, levels, thresholds, deadlines */
    AUTH_WORKLOG_WRITE,             /* a unit's own work log */
    AUTH_WORKLOG_READ,
    AUTH_OBLIGATIONS_READ, /* the monthly obligations view */
    AUTH_DRILL_MANAGE,     /* send test alerts */
    AUTH_DRILL_READ,
    AUTH_DRILL_ACK,         /* answer a test alert */
    AUTH_NOTIFY_MANAGE,     /* webhooks, test messages */
    AUTH_OUTBOX_READ,       /* the outbox and every delivery attempt */
    AUTH_NOTIFICATION_SELF, /* one's own in-app notifications */

    /* Threat reports and early warnings (a unit: its own; bulletins: every unit) */
    AUTH_THREAT_READ,    /* threat reports and their files */
    AUTH_THREAT_WRITE,   /* file, edit, submit a report; add files */
    AUTH_THREAT_REVIEW,  /* accept, return, reject; make an incident of one */
    AUTH_THREAT_STATS,   /* accepted reports per unit (a unit: its own row) */
    AUTH_WARNING_READ,   /* early warnings (a unit: its own) */
    AUTH_WARNING_WRITE,  /* write, edit, submit an early warning */
    AUTH_WARNING_REVIEW, /* publish, return, reject */
    AUTH_BULLETIN_READ,  /* published warnings */

    /* The indicator store (a unit: TLP clear, green and amber only) */
    AUTH_INDICATOR_READ,     /* list, read, export indicators */
    AUTH_INDICATOR_LOOKUP,   /* which live indicators match a value */
    AUTH_INDICATOR_IMPORT,   /* import STIX, MISP, CSV, plain lists */
    AUTH_INDICATOR_WRITE,    /* edit an indicator */
    AUTH_WARNINGLIST_READ,   /* the warning lists */
    AUTH_WARNINGLIST_MANAGE, /* import a warning list, enable or disable one */

    /* The constituency (issue 5) */
    AUTH_CONSTITUENCY_READ,   /* constituents and who owns an IP, domain or URL */
    AUTH_CONSTITUENCY_MANAGE, /* create, edit, delete constituents */

    /* Disposal notices (a unit: those of the reports it filed) */
    AUTH_DISPOSAL_READ,  /* notices and their history */
    AUTH_DISPOSAL_WRITE, /* plan, send, resend, record the owner's answers */

    /* Scheduled indicator feeds */
    AUTH_FEED_READ,  /* feeds and their run history */
    AUTH_FEED_WRITE, /* create, edit, delete feeds; run one now */
    AUTH_ACTION__COUNT
};

/* How far a role's permission for an action reaches. */
enum auth_scope {
    AUTH_DENY,            /* never: 403 */
    AUTH_ALL,             /* any object */
    AUTH_OWN_UNIT,        /* objects of the caller's unit only; others are 404 */
    AUTH_SELF,            /* objects the caller owns only; others are 404 */
    AUTH_ASSIGNED,        /* objects the caller is assigned to and has no declared conflict with */
    AUTH_ASSIGNED_CLOSED, /* as AUTH_ASSIGNED, and only once the panel is closed */
};

/* What the policy needs to know of the object acted on; fields 0 when not applicable.
 * The handler finds these facts (in the store); the policy alone decides on them. */
struct auth_object {
    int64_t unit_id;       /* the unit the object belongs to */
    int64_t owner_user_id; /* the user the object belongs to (tokens, score sheets) */
    bool assigned;         /* the caller is an expert assigned to it (via a panel) */
    bool conflicted;       /* ... who declared a conflict of interest with it */
    bool panel_closed;     /* the panel reviewing it has closed */
};

/* The table entry for (role, action). */
enum auth_scope auth_policy_scope(enum auth_role role, enum auth_action action);

/*
 * THE decision. who NULL (not logged in) -> YJ_EAUTH. obj NULL asks about the
 * action in general (e.g. may this role list units at all); a list handler then
 * narrows its query by auth_policy_scope(). Returns YJ_OK, YJ_EAUTH, YJ_EPERM or
 * YJ_ENOTFOUND, with err filled.
 */
enum yj_err auth_policy_check(const struct auth_subject *who, enum auth_action action,
                              const struct auth_object *obj, struct yj_error *err);

/* The action's stable name, for logs and the policy table test. */
const char *auth_action_name(enum auth_action a);

/* --- passwords ------------------------------------------------------------------ */

enum { AUTH_PASSWORD_MIN = 12, AUTH_PASSWORD_MAX = 256, AUTH_HASH_MAX = 128 };

/* Length in characters within [MIN, MAX], valid UTF-8 text. Field name "password". */
enum yj_err auth_password_policy(const char *pw, const char *field, struct yj_error *err);

/* Argon2id string of pw into out (AUTH_HASH_MAX bytes). YJ_ENOMEM if the KDF cannot get memory. */
enum yj_err auth_password_hash(const char *pw, char *out, struct yj_error *err);

/* 1 when pw matches hash. */
int auth_password_verify(const char *hash, const char *pw);

/* Spends the same effort as a verification, so unknown users cannot be told apart by time. */
void auth_password_burn(const char *pw);

/* A random password of n-1 characters from an unambiguous alphabet into out[n] (n >= 17). */
void auth_password_generate(char *out, size_t n);

/* --- lockout and throttling (pure rules) ------------------------------------------- */

enum {
    AUTH_LOCK_THRESHOLD = 5,                  /* failures in a row that lock an account */
    AUTH_LOCK_MS = 15 * 60 * 1000,            /* for this long */
    AUTH_THROTTLE_FAILURES = 20,              /* failures per source address ... */
    AUTH_THROTTLE_WINDOW_MS = 15 * 60 * 1000, /* ... within this window, then 429 */
};

/* 1 while the account is locked at now. */
int auth_user_locked(const struct store_user *u, int64_t now);

/* Applies one failed attempt to u: counts it, and locks the account on reaching the
 * threshold (then restarts the count). Returns 1 when this failure locked it. */
int auth_user_fail(struct store_user *u, int64_t now);

/* Per-source-address failure counting, in memory; thread-safe. */
struct auth_throttle;
struct auth_throttle *auth_throttle_new(int max_failures, int64_t window_ms);
void auth_throttle_free(struct auth_throttle *t);
/* 0 when ip may try now; else the milliseconds until it may. */
int64_t auth_throttle_wait(struct auth_throttle *t, const char *ip, int64_t now);
void auth_throttle_fail(struct auth_throttle *t, const char *ip, int64_t now);

/* --- sessions and tokens ------------------------------------------------------------ */

enum {
    AUTH_SESSION_IDLE_MS = 30 * 60 * 1000,
    AUTH_SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000,
    AUTH_TOUCH_EVERY_MS = 60 * 1000, /* last_seen is written at most this often */
    AUTH_SECRET_LEN = 43,            /* URL-safe base64 of 32 random bytes */
    AUTH_TOKEN_LEN = 46,             /* "yj_" + 43 */
};

struct auth_ctx {
    struct store *store;
    const struct yj_clock *clock;
    struct auth_throttle *throttle;
    unsigned char csrf_key[32]; /* from the "csrf_key" setting */
};

/* Loads the CSRF key (creating it on first use) and sets up throttling. */
enum yj_err auth_ctx_init(struct auth_ctx *ac, struct store *st, const struct yj_clock *clock,
                          struct yj_error *err);
void auth_ctx_release(struct auth_ctx *ac);

struct auth_login {
    char session_id[AUTH_SECRET_LEN + 1]; /* the cookie value; never stored or logged */
    char csrf_token[AUTH_SECRET_LEN + 1];
    int64_t expires_at;
    struct store_user user; /* strings in the caller's arena */
};

/*
 * Logs in: throttling (YJ_ERATE, *retry_after_ms set), lockout, password check,
 * session creation, audit records. Every failure is the same YJ_EAUTH
 * "invalid username or password".
 */
enum yj_err auth_login(struct auth_ctx *ac, const char *username, const char *password,
                       const char *ip, struct yj_arena *a, struct auth_login *out,
                       int64_t *retry_after_ms, struct yj_error *err);

/* Ends a session (audited as session.logout). */
enum yj_err auth_logout(struct auth_ctx *ac, const struct auth_subject *who, const char *ip,
                        struct yj_error *err);

/* Resolves a cookie value to a live session's subject (YJ_EAUTH if none). */
enum yj_err auth_session_resolve(struct auth_ctx *ac, const char *session_id, struct yj_arena *a,
                                 struct auth_subject *out, int64_t *expires_at,
                                 struct yj_error *err);

/* The CSRF token bound to a session id (HMAC under the installation's key). */
void auth_csrf_token(const struct auth_ctx *ac, const char *session_id,
                     char out[AUTH_SECRET_LEN + 1]);
/* 1 when token is the session's CSRF token (constant time). */
int auth_csrf_ok(const struct auth_ctx *ac, const char *session_id, const char *token);

/* Resolves "yj_..." to its live token's subject (YJ_EAUTH if unknown, revoked, expired,
 * or its user disabled). */
enum yj_err auth_token_resolve(struct auth_ctx *ac, const char *token, struct yj_arena *a,
                               struct auth_subject *out, struct yj_error *err);

/* A new random token "yj_..." into out and its hash (hex) into hash_hex. */
void auth_token_generate(char out[AUTH_TOKEN_LEN + 1], char hash_hex[65]);

/* SHA-256 hex of a secret (session id or token), as stored. */
void auth_secret_hash(const char *secret, char out[65]);

#endif
