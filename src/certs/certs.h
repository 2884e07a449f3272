/*
 * certs.h - the certificates of support units (DOMAIN.md §3): numbering, the
 * status life cycle with its history, expiry at valid_to, revocation causes and
 * the bans they impose, and the re-qualification review a reported change of
 * ownership or legal representative opens.
 *
 * Two layers. The pure rules (statuses, allowed transitions, the effective
 * status at an instant, certificate numbers, ban periods) touch no SQL, HTTP or
 * JSON and are tested on their own. The operations (certs_issue and the
 * certs_* functions below it) apply those rules to the store inside the
 * caller's write transaction; every change they make appends its audit record
 * in that transaction, except certs_issue, whose caller audits the issue as
 * part of its own step (publication).
 *
 * Statuses and transitions:
 *
 *     valid     -> suspended | cancelled | revoked | expired
 *     suspended -> valid (reinstated) | cancelled | revoked | expired
 *     cancelled, revoked, expired: final
 *
 * Cancellation (注销, e.g. at the holder's request) is final like revocation:
 * a unit that wants the title back applies in the next selection. Expiry is
 * never set by anyone: a valid or suspended certificate is expired from the
 * first instant after its valid_to date, which is inclusive and counted in
 * China Standard Time, i.e. from 00:00 CST (16:00 UTC the day before) on the
 * day after valid_to. Reads show that effective status at once, and the first
 * read or periodic run that finds such a certificate records the expiry
 * (certs_expire_due), with the event dated at that instant.
 *
 * Ownership: strings in these structs are borrowed; functions that fill them
 * copy into the caller's arena (they live as long as it does). Integers 0 mean
 * "none" (no campaign, no certificate, not closed).
 */
#ifndef YJ_CERTS_CERTS_H
#define YJ_CERTS_CERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

struct store;
struct store_tx;

/* --- statuses ---------------------------------------------------------------------- */

enum cert_status {
    CERT_VALID,     /* 有效 */
    CERT_SUSPENDED, /* 暂停 */
    CERT_CANCELLED, /* 注销 */
    CERT_REVOKED,   /* 撤销 */
    CERT_EXPIRED,   /* 过期 */
    CERT_STATUS__COUNT
};

/* The stable wire code ("valid", "suspended", ...), or "unknown" out of range. */
const char *cert_status_code(enum cert_status s);
/* The Chinese name users know (有效, 暂停, 注销, 撤销, 过期), or "未知". */
const char *cert_status_name_zh(enum cert_status s);
/* 0 and *out for a known code; -1 otherwise (NULL included). */
int cert_status_parse(const char *code, enum cert_status *out);
/* true for cancelled, revoked and expired: nothing follows them. */
bool cert_status_final(enum cert_status s);
/* true when the table above allows from -> to (never from == to). */
bool cert_transition_allowed(enum cert_status from, enum cert_status to);

/*
 * The first instant (UTC ms) at which a certificate whose validity ends on
 * valid_to ("YYYY-MM-DD", inclusive, CST) is expired: 00:00 CST the next day.
 * -1 when valid_to is not a real date.
 */
int64_t cert_expiry_ms(const char *valid_to);

/*
 * The status a certificate stored with `stored` has at now: valid or suspended
 * become expired from cert_expiry_ms(valid_to) on; every other status (and a
 * malformed valid_to) stays as stored.
 */
enum cert_status cert_status_at(enum cert_status stored, const char *valid_to, int64_t now);

/*
 * The last day (inclusive, "YYYY-MM-DD" into out[11]) of a ban of `years` years
 * imposed on starts_on: the same month and day `years` later, or the last day of
 * that month when it has no such day (29 February). This is how the Civil Code
 * counts periods in years (民法典 第二百零一条: the first day is not counted;
 * 第二百零二条: the period ends on the corresponding day). So a ban imposed on
 * 2026-06-01 for 3 years lasts to 2029-06-01 inclusive, and applications are
 * accepted again from 2029-06-02. Returns 0, or -1 for a malformed starts_on or
 * years outside 1..100.
 */
int cert_ban_ends_on(const char *starts_on, int years, char out[11]);

/* --- numbers ------------------------------------------------------------------------- */

enum {
    CERT_NUMBER_MAX = 64,    /* bytes of a number (and of a pattern) */
    CERT_SEQ_DIGITS_MAX = 9, /* {NNNNNNNNN} at most */
};

/*
 * A number pattern is literal text with tokens: {YYYY} (the year, four digits,
 * any number of times) and exactly one sequence token {N}, {NN}, ... (the
 * sequence zero-padded to that many digits), e.g. "LPS-YJ-{YYYY}-{NNN}". Literal
 * text is ASCII letters and digits, "-_.()[]" or non-ASCII UTF-8 (e.g. 〔〕号):
 * nothing that would need escaping in a URL path. At most CERT_NUMBER_MAX bytes.
 * YJ_EINVAL (field "number_pattern") naming the problem: no sequence token, two
 * of them, an unknown {token}, an unmatched brace, a character not allowed.
 */
enum yj_err cert_number_pattern_check(const char *pattern, struct yj_error *err);

/*
 * Formats the number for (year, seq) into out[n]. The sequence must fit the
 * token's width (1..999 for {NNN}): a number's width is part of its published
 * format, so an outgrown pattern is refused rather than widened (YJ_EINVAL,
 * field "number_pattern"). Also YJ_EINVAL for a bad pattern, a year outside
 * 1000..9999 (field "year") or seq < 1, YJ_ETOOBIG when out is too small.
 * out is always NUL-terminated when n > 0.
 */
enum yj_err cert_number_format(const char *pattern, int year, int64_t seq, char *out, size_t n,
                               struct yj_error *err);

/* The formatted text before the sequence token (the literal prefix every number
 * of (pattern, year) starts with) into out[n]. Errors as cert_number_format. */
enum yj_err cert_number_prefix(const char *pattern, int year, char *out, size_t n,
                               struct yj_error *err);

/* 0 and *seq when number is exactly what pattern formats for year and some
 * sequence (byte for byte, digits of the token's width); -1 otherwise. */
int cert_number_sequence(const char *pattern, int year, const char *number, int64_t *seq);

/* --- records --------------------------------------------------------------------------- */

struct cert {
    int64_t id;
    int64_t version; /* bumped by every status change; the ETag */
    const char *number;
    int64_t campaign_id, unit_id, application_id; /* campaign and application 0 when none */
    const char *holder_name;                      /* the unit's name as awarded */
    const char *title;                 /* e.g. 六盘水市网络安全应急技术支撑单位 */
    const char *issuing_authorities;   /* joined with 、 */
    const char *valid_from, *valid_to; /* "YYYY-MM-DD", CST, inclusive */
    enum cert_status status;           /* as stored; see cert_status_at */
    int64_t created_at, updated_at;
};

/* One entry of a certificate's history. The first (seq 1) is the issue: no from. */
struct cert_event {
    int64_t seq;
    bool has_from;
    enum cert_status from, to;
    const char *cause;  /* a revocation cause code, or NULL */
    const char *reason; /* NULL for the issue and for expiry */
    int64_t at;         /* when it took effect (an expiry: the instant after valid_to) */
    int64_t actor_id;   /* 0 for the system */
};

/* A revocation cause (seeded rows of revocation_causes, DOMAIN.md §3). */
struct cert_cause {
    const char *code; /* e.g. "misuse_of_name" */
    const char *name_zh, *name_en;
    int64_t ban_years; /* > 0: revoking for it bans the unit from applying for so long */
};

/* A ban a revocation imposed: no application is accepted while
 * starts_on <= today (CST) <= ends_on. */
struct cert_ban {
    int64_t id, unit_id, certificate_id;
    const char *cause, *reason;
    const char *starts_on, *ends_on; /* "YYYY-MM-DD", both inclusive */
    int64_t created_at, created_by;
};

/* What a unit reports (DOMAIN.md §3, seed 000 (六)). */
enum cert_change_kind {
    CERT_CHANGE_OWNERSHIP,            /* 股权/所有权变更 */
    CERT_CHANGE_LEGAL_REPRESENTATIVE, /* 法定代表人变更 */
    CERT_CHANGE__COUNT
};
const char *cert_change_kind_code(enum cert_change_kind k); /* "ownership", ... */
int cert_change_kind_parse(const char *code, enum cert_change_kind *out);

/* A re-qualification task: a reported change for the authority to review. */
struct cert_requal {
    int64_t id, unit_id;
    int64_t certificate_id; /* the unit's current certificate when reported; 0 if none */
    enum cert_change_kind kind;
    const char *description;
    int64_t reported_at, reported_by;
    bool closed;
    const char *decision; /* NULL until decided */
    int64_t closed_at, closed_by;
};

/* Limits of free text, in characters. */
enum {
    CERT_TEXT_MAX = 200, /* holder name, title */
    CERT_AUTHORITIES_MAX = 500,
    CERT_REASON_MAX = 500, /* of a status change */
    CERT_NOTE_MAX = 2000,  /* a change report's description, a decision */
};

/* --- operations (inside the caller's write transaction) ---------------------------------- */

/* Who acts, for events and audit records. Strings borrowed for the call. */
struct cert_actor {
    int64_t user_id;       /* 0 for the system */
    const char *username;  /* "system" when NULL */
    const char *source_ip; /* may be NULL */
};

struct cert_issue {
    int64_t campaign_id, unit_id, application_id; /* campaign and application 0 for none */
    const char *holder_name, *title;
    const char *issuing_authorities;   /* joined with 、 */
    const char *number_pattern;        /* e.g. "LPS-YJ-{YYYY}-{NNN}" */
    const char *valid_from, *valid_to; /* "YYYY-MM-DD" */
    int year; /* for {YYYY} and the sequence, normally the year of publication */
};

/*
 * Issues a certificate within tx (a write transaction): validates req, numbers
 * it with the next free sequence for (pattern, year) (one more than the highest
 * number already of that shape; a pattern without {YYYY} thus counts on across
 * years), inserts it with status valid, version 1, and its first event (issued,
 * at now, by actor_id; 0 for the system). Fills *out (strings in a).
 *
 * The caller appends the audit record ("certificate.issue", object
 * "certificate", the new id) in the same transaction and commits.
 *
 * YJ_EINVAL naming the field (holder_name, title, issuing_authorities,
 * number_pattern, year, valid_from, valid_to: real dates, from <= to, and
 * valid_to not already past at now), YJ_ENOTFOUND (field unit_id) when the unit
 * does not exist, YJ_EIO.
 */
enum yj_err certs_issue(struct store_tx *tx, const struct cert_issue *req, int64_t now,
                        int64_t actor_id, struct yj_arena *a, struct cert *out,
                        struct yj_error *err);

struct cert_status_change {
    int64_t cert_id;
    int64_t expected_version; /* the If-Match version; -1 for any */
    enum cert_status to;      /* suspended, valid (reinstate), cancelled or revoked */
    const char *cause;        /* a revocation cause code: required for, and only for, revoked */
    const char *reason;       /* required, 1..CERT_REASON_MAX characters */
};

/*
 * Changes a certificate's status within tx: checks the request, the version and
 * the transition, writes the status (bumping the version) and an event, and
 * audits "certificate.status_change". A revocation whose cause has ban_years
 * > 0 also records a ban from today (CST) to cert_ban_ends_on and audits
 * "unit.ban"; *ban (may be NULL) receives it and *banned (may be NULL) says so.
 * *out is the certificate after the change. Refused requests write nothing.
 *
 * YJ_EINVAL: field "status" (expired, which only time sets), "cause" (missing
 * for a revocation, given for anything else, unknown), "reason".
 * YJ_ENOTFOUND: no such certificate. YJ_EPRECOND (field "If-Match"): the
 * version moved. YJ_ECONFLICT (field "status"): the transition is not allowed
 * from the current status, or the certificate has expired meanwhile. YJ_EIO.
 */
enum yj_err certs_status_change(struct store_tx *tx, const struct cert_status_change *req,
                                int64_t now, const struct cert_actor *actor, struct yj_arena *a,
                                struct cert *out, struct cert_ban *ban, bool *banned,
                                struct yj_error *err);

/*
 * Records the expiry of every certificate (cert_id 0) or of one (cert_id > 0)
 * that is due at now, each in batches of write transactions of its own: status
 * expired, an event at cert_expiry_ms(valid_to), an audit record
 * "certificate.expire" by "system". Looks first in a read transaction, so it is
 * cheap when nothing is due, and re-checks under the write lock, so concurrent
 * calls never record an expiry twice. *expired (may be NULL) gets how many it
 * recorded. err may be NULL; failures are also logged (the next call retries).
 * This is both the periodic job and what reads call before answering.
 */
enum yj_err certs_expire_due(struct store *st, int64_t cert_id, int64_t now, size_t *expired,
                             struct yj_error *err);

/*
 * A unit reports a change of ownership or legal representative: opens a
 * re-qualification task linked to the unit's current certificate (the one
 * valid at now, else the one suspended, the latest-ending first; none if
 * neither), and audits "requalification.open". YJ_EINVAL (field
 * "description": 1..CERT_NOTE_MAX characters), YJ_ENOTFOUND (no live unit),
 * YJ_EIO.
 */
enum yj_err certs_change_report(struct store_tx *tx, int64_t unit_id, enum cert_change_kind kind,
                                const char *description, int64_t now,
                                const struct cert_actor *actor, struct yj_arena *a,
                                struct cert_requal *out, struct yj_error *err);

/*
 * Records the authority's decision on an open task (replacing an earlier one)
 * and, with close, closes it; audits "requalification.decide". YJ_EINVAL (field
 * "decision"), YJ_ENOTFOUND, YJ_ECONFLICT (field "status": already closed), YJ_EIO.
 */
enum yj_err certs_requal_decide(struct store_tx *tx, int64_t task_id, const char *decision,
                                bool close, int64_t now, const struct cert_actor *actor,
                                struct yj_arena *a, struct cert_requal *out, struct yj_error *err);

#endif
