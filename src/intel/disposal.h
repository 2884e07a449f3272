/*
 * disposal.h - disposal notices (处置通知, STANDARDS.md §4, the MIIT 2017 threat
 * monitoring and disposal measures) as rules: which constituents own the values of
 * an accepted threat report (the plan), the deadline a notice gives, the states a
 * notice goes through (sent -> acknowledged -> handled, and overdue when its
 * deadline passes first), the measure it asks for, and its words in Chinese.
 *
 * Pure rules: no SQL, HTTP or JSON. Strings are borrowed unless said otherwise;
 * what a function makes lives in the caller's arena. Errors name the input field
 * the API reports.
 */
#ifndef YJ_INTEL_DISPOSAL_H
#define YJ_INTEL_DISPOSAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "intel/constituency.h"
#include "intel/threats.h"

enum {
    DISPOSAL_HOURS_DEFAULT = 24,     /* the deadline when none is given */
    DISPOSAL_HOURS_MAX = 30 * 24,    /* the furthest deadline: 30 days */
    DISPOSAL_FEEDBACK_MAX = 4000,    /* characters of the owner's feedback */
    DISPOSAL_NOTE_MAX = 500,         /* characters of a note on an event */
    DISPOSAL_NAME_MAX = 100,         /* characters of the name an owner gives */
    DISPOSAL_TOKEN_LEN = 43,         /* the link's token: URL-safe base64 of 32 random bytes */
    DISPOSAL_TEXT_VALUES_MAX = 100,  /* values written out in a notice's text ... */
    DISPOSAL_TEXT_TUPLES_MAX = 50,   /* ... and five-tuples; the rest are counted */
    DISPOSAL_TEXT_BUDGET = 6000,     /* bytes of listed values and tuples in the text */
    DISPOSAL_SUBJECT_TITLE_MAX = 80, /* characters of the report's title in a subject */
};

/* --- the values of a report and who owns them -------------------------------------- */

/*
 * A value of a report in a role: an indicator's role code (threat_role_code: "c2",
 * "victim", "malicious", ...) or, for the two ends of a five-tuple, "src_ip" and
 * "dst_ip".
 */
struct disposal_value {
    enum intel_type type;
    const char *value; /* canonical */
    const char *role;
};

/* The Chinese name of a role code ("控制端", "源IP", ...); "未知" for an unknown one. */
const char *disposal_role_name_zh(const char *role);
/* Whether role is one of the codes above. */
bool disposal_role_ok(const char *role);

/* One owner's part of a report: the values it owns (in the report's order, each value
 * and role once) and the five-tuples one of whose ends it owns (indexes into the
 * report's five-tuples, ascending). */
struct disposal_owner {
    int64_t constituent_id;
    struct disposal_value *values;
    size_t n_values;
    size_t *tuples;
    size_t n_tuples;
};

struct disposal_plan {
    struct disposal_owner *owners; /* by constituent id */
    size_t n_owners;
    struct disposal_value *unowned; /* values nobody owns, in the report's order */
    size_t n_unowned;
};

/*
 * The plan of a report: each indicator and each end of each five-tuple resolved to
 * its owner among ranges and domains (intel_constituency_resolve: the most specific
 * range, the longest domain; a URL by its host, an e-mail address by its domain, a
 * C&C endpoint by its host). File hashes and mobile apps belong to no network and are
 * left out silently: they are neither owned nor "unowned". Everything in a; YJ_ENOMEM
 * when it is exhausted.
 */
enum yj_err disposal_plan_build(const struct threat_indicator *ind, size_t n_ind,
                                const struct threat_tuple *tuples, size_t n_tuples,
                                const struct intel_owned *ranges, size_t n_ranges,
                                const struct intel_owned *domains, size_t n_domains,
                                struct yj_arena *a, struct disposal_plan *out,
                                struct yj_error *err);

/* The owner's part in plan, or NULL when it owns nothing in the report. */
const struct disposal_owner *disposal_plan_find(const struct disposal_plan *plan,
                                                int64_t constituent_id);

/* --- the deadline and the measure ---------------------------------------------------- */

/*
 * The deadline of a notice sent at now: deadline_at (UTC ms; 0 when not given), or
 * hours from now (0 when not given), or DISPOSAL_HOURS_DEFAULT hours. YJ_EINVAL
 * "deadline_at" when both are given, when deadline_at is not after now or more than
 * DISPOSAL_HOURS_MAX hours ahead; "deadline_hours" outside 1..DISPOSAL_HOURS_MAX.
 */
enum yj_err disposal_deadline(int64_t now, int64_t deadline_at, int64_t hours, int64_t *out,
                              struct yj_error *err);

/* What the authority changes of the report's disposal suggestion for its notices. */
struct disposal_override {
    bool has_measure, has_blocks, has_text;
    enum threat_measure measure;
    unsigned blocks;  /* set of 1u << enum threat_block */
    const char *text; /* NULL clears it (with has_text) */
};

/*
 * The measure a notice asks for: the report's suggestion with o applied. A new
 * measure drops the suggestion's blocks and words unless o gives its own. Checked
 * as threat_disposal_check does, the field named without its "disposal." prefix
 * ("measure", "blocks", "text").
 */
enum yj_err disposal_measure(const struct threat_disposal *suggested,
                             const struct disposal_override *o, struct threat_disposal *out,
                             struct yj_error *err);

/* --- states ----------------------------------------------------------------------------- */

enum disposal_status {
    DISPOSAL_SENT,         /* 已发送: waiting for the owner */
    DISPOSAL_ACKNOWLEDGED, /* 已确认收到 */
    DISPOSAL_HANDLED,      /* 已处置: the owner reported the result */
    DISPOSAL_STATUS__COUNT
};
const char *disposal_status_code(enum disposal_status s); /* "sent", "acknowledged", "handled" */
const char *disposal_status_name_zh(enum disposal_status s);
int disposal_status_parse(const char *code, enum disposal_status *s);

enum disposal_step {
    DISPOSAL_STEP_ACKNOWLEDGE, /* the owner confirms receipt */
    DISPOSAL_STEP_HANDLE,      /* the owner reports it handled, with feedback */
    DISPOSAL_STEP_RESEND,      /* the authority sends the notice again */
};

/*
 * The state after step from `from`: acknowledging only a sent notice; reporting it
 * handled from sent (acknowledging it at once) or acknowledged; resending any notice
 * not yet handled. YJ_ECONFLICT "status" otherwise, saying what it is.
 */
enum yj_err disposal_step_apply(enum disposal_status from, enum disposal_step step,
                                enum disposal_status *to, struct yj_error *err);

/* Whether a notice in s with overdue_at (0: not marked) and deadline_at becomes overdue
 * at `at`: not handled, not yet marked, and the deadline reached. */
bool disposal_overdue_due(enum disposal_status s, int64_t overdue_at, int64_t deadline_at,
                          int64_t at);

/* The milliseconds left until the deadline at now (negative once passed) into *ms; false
 * (and *ms 0) for a handled notice, for which nothing is left to count. */
bool disposal_remaining(enum disposal_status s, int64_t deadline_at, int64_t now, int64_t *ms);

/* --- the words ------------------------------------------------------------------------------ */

/* Whether a constituent of this kind ("government", "cii") is a party or government body
 * or critical information infrastructure: its superior body and the cyberspace office
 * are informed too, and the duty desk gets a copy. */
bool disposal_kind_escalates(const char *kind);

/* What a notice says. */
struct disposal_facts {
    const char *constituent_name, *constituent_kind;
    const char *report_title;
    enum intel_category category;
    const struct disposal_value *values;
    size_t n_values;
    const struct threat_tuple *tuples;
    size_t n_tuples;
    const struct threat_disposal *measure;
    int64_t deadline_at; /* UTC ms; written in Beijing time */
};

/*
 * The subject (one line, at most NOTIFY_SUBJECT_MAX characters) and plain text of a
 * notice, in Chinese: the values seen with their roles, the five-tuples concerned,
 * the measure and the deadline, and for government and CII owners who else is
 * informed. At most DISPOSAL_TEXT_VALUES_MAX values and DISPOSAL_TEXT_TUPLES_MAX
 * five-tuples (and DISPOSAL_TEXT_BUDGET bytes of them) are written out; the rest are
 * counted and shown on the notice's page. The link to that page is not in the text:
 * the outbox adds it. YJ_ENOMEM.
 */
enum yj_err disposal_compose(const struct disposal_facts *f, struct yj_arena *a,
                             const char **subject, const char **text, struct yj_error *err);

/* The subject and text telling the authority and the duty desk that a notice went
 * overdue. */
void disposal_compose_overdue(const char *constituent_name, const char *report_title,
                              int64_t deadline_at, struct yj_arena *a, const char **subject,
                              const char **text);

/* A time as Beijing time "2026年06月02日 08:00" (arena text). */
const char *disposal_time_zh(int64_t ms, struct yj_arena *a);

#endif
