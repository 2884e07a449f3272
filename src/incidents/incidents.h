/*
 * incidents.h - incidents and emergency dispatch (DOMAIN.md §4-5, STANDARDS.md
 * §1-3): an incident's states, the grading helper, a dispatch's life and the
 * clock of the 2-hour emergency response commitment, which units to suggest,
 * and what must be reported upward by when.
 *
 * Pure rules: no SQL, HTTP or JSON. Reference data (levels, grading thresholds,
 * reporting deadlines) is stored as editable rows; the store loads them into the
 * structs below and these functions decide on them. Strings are borrowed; NULL
 * means "not given". Errors name the input field the API reports.
 */
#ifndef YJ_INCIDENTS_INCIDENTS_H
#define YJ_INCIDENTS_INCIDENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

enum {
    INC_TITLE_MAX = 200,       /* characters */
    INC_TEXT_MAX = 10000,      /* description, notes, report items */
    INC_NAME_MAX = 200,        /* organisation, system, person names */
    INC_INDICATORS_MAX = 1000, /* indicators per incident */
    INC_INDICATOR_VALUE_MAX = 2048,
    INC_DISPATCH_UNITS_MAX = 20, /* units in one dispatch request */
    INC_MINUTE_MS = 60 * 1000,
};

/* --- states ------------------------------------------------------------------------ */

enum inc_status {
    INC_REPORTED,    /* 已报告: taken in */
    INC_TRIAGED,     /* 已研判: classified and graded */
    INC_DISPATCHED,  /* 已派单: at least one unit notified */
    INC_IN_PROGRESS, /* 处置中: a unit is working on it */
    INC_CONTAINED,   /* 已控制 */
    INC_RESOLVED,    /* 已处置 */
    INC_CLOSED,      /* 已结案: final report filed */
    INC_STATUS__COUNT
};

const char *inc_status_code(enum inc_status s);    /* "reported", ... */
const char *inc_status_name_zh(enum inc_status s); /* 已报告, ... */
int inc_status_parse(const char *code, enum inc_status *s);

/* What a state change depends on. */
struct inc_transition_facts {
    bool classified;            /* class (and sub-class where the class has some) set */
    bool graded;                /* a person confirmed a level */
    int live_dispatches;        /* dispatches not declined or withdrawn */
    bool final_report_complete; /* every item of the final report filled (inc_final_items) */
    bool merged;                /* merged into another incident: it no longer moves */
};

/*
 * May the incident go from `from` to `to`? States move forward; steps may be
 * skipped (an operator may contain an incident without any dispatch) except that
 * triaged and every state after it need class and level (skipping triaged does
 * not skip its conditions), dispatched and in_progress need a live dispatch, and
 * closed needs resolved first and a complete final report. The one way back is
 * resolved -> in_progress (reopened; the caller records the reason; it needs a
 * live dispatch like any in_progress). A merged incident does not move.
 * YJ_OK, or YJ_ECONFLICT naming field "status" (a move that is never allowed:
 * checked first), else "class_code", "level", "dispatches" or "final_report"
 * for the first missing fact, with the reason in Chinese-free words; YJ_EINVAL
 * "status" for a value outside the enum. f NULL: nothing is known.
 */
enum yj_err inc_transition_check(enum inc_status from, enum inc_status to,
                                 const struct inc_transition_facts *f, struct yj_error *err);

/* --- reference rows ----------------------------------------------------------------- */

/* A level row (incident_levels). severity 1 is the gravest (特别重大). */
struct inc_level {
    const char *code;       /* "extraordinary", "major", "significant", "general" */
    const char *name_zh;    /* 特别重大, ... */
    int severity;           /* 1..4 */
    int ack_minutes;        /* a dispatch must be answered within this */
    int commitment_minutes; /* plan started and on site within this (120: the 2-hour commitment) */
    bool must_report;       /* upward reporting applies (较大 and above) */
    bool pass_on;           /* the receiving office passes it on (重大 and above) */
};

/* The level of this severity in levels[0..n), or NULL. */
const struct inc_level *inc_level_by_severity(const struct inc_level *levels, size_t n,
                                              int severity);

/* --- grading helper (STANDARDS.md §2) --------------------------------------------- */

enum inc_importance { INC_IMP_UNKNOWN, INC_IMP_ESPECIALLY, INC_IMP_IMPORTANT, INC_IMP_GENERAL };
enum inc_loss {
    INC_LOSS_UNKNOWN,
    INC_LOSS_ESPECIALLY_SERIOUS, /* 特别严重 */
    INC_LOSS_SERIOUS,            /* 严重 */
    INC_LOSS_LARGER,             /* 较大 */
    INC_LOSS_SMALLER,            /* 较小 */
};
/* Codes: "unknown" (also parsed: not known), then "especially_important", "important",
 * "general"; "unknown", "especially_serious", "serious", "larger", "smaller". */
const char *inc_importance_code(enum inc_importance i); /* "especially_important", ... */
int inc_importance_parse(const char *code, enum inc_importance *out);
const char *inc_loss_code(enum inc_loss l); /* "especially_serious", ... */
int inc_loss_parse(const char *code, enum inc_loss *out);

/* The facts the CAC guide grades by. -1 means not known. */
struct inc_grading_facts {
    enum inc_importance importance;
    enum inc_loss loss;
    int social_impact; /* 0 unknown, else the severity (1..4) the social impact alone reaches */
    int64_t people_affected;  /* recorded and named in the reason; no seeded threshold */
    int64_t personal_records; /* personal-information records leaked */
    int64_t direct_loss_cny;
    int64_t cii_outage_whole_min; /* a critical-infrastructure system wholly down, minutes */
    int64_t cii_outage_main_min;  /* ... its main function down */
    int64_t portal_down_min;      /* a government portal unreachable */
    int64_t defacement_min;       /* illegal content shown on a home page after defacement */
};

/* All facts unknown. */
void inc_grading_facts_init(struct inc_grading_facts *f);

/* The metric names of struct inc_grading_facts that thresholds apply to, as
 * stored in incident_grading_rules.metric: "personal_records", "direct_loss_cny",
 * "cii_outage_whole_min", "cii_outage_main_min", "portal_down_min", "defacement_min". */
extern const char *const inc_grading_metrics[];
extern const size_t inc_grading_metrics_count;

/* A threshold row: a fact >= threshold suggests at least this severity. */
struct inc_grading_rule {
    const char *metric;
    int severity;
    int64_t threshold;
    bool confirmed; /* false: from the 2023 draft, unconfirmed (the reason says so) */
};

struct inc_grade_proposal {
    int severity; /* 1..4; 0 when no fact at all was given */
    /* Why, in Chinese, one clause per fact given, the deciding ones first, e.g.
     * "系统特别重要且损失严重 → 重大；个人信息泄露 1200 万条 ≥ 1000 万条 (重大，阈值未经确认)；
     * 直接经济损失 300 万元 < 500 万元 (较大，阈值未经确认)"; ends "均未达到分级标准 → 一般"
     * when nothing reached a level. Counts in 万/亿, durations in hours and minutes.
     * Cut at a whole character if it would not fit. */
    char reason[1024];
};

/*
 * Proposes a level: the gravest of (a) the 2007 matrix on importance x loss,
 * (b) the social impact, (c) each metric at or above a threshold row. When facts
 * are given but none reaches anything, 一般 (severity 4). levels names the
 * severities in the reason (the standard's names where a row is missing). No
 * fact at all: severity 0 and a reason saying so. Rows for other metrics, or that
 * the store's CHECKs would refuse (severity outside 1..4, threshold <= 0), do not
 * grade. YJ_EINVAL naming the field for a metric (or people_affected) below -1, a
 * social_impact outside 0..4, or importance/loss outside their enums.
 */
enum yj_err inc_grade_propose(const struct inc_grading_facts *f,
                              const struct inc_grading_rule *rules, size_t n_rules,
                              const struct inc_level *levels, size_t n_levels,
                              struct inc_grade_proposal *out, struct yj_error *err);

/* --- dispatch ------------------------------------------------------------------------- */

enum inc_dispatch_status {
    INC_D_NOTIFIED,  /* 已通知: waiting for the unit's answer */
    INC_D_ACCEPTED,  /* 已接受 */
    INC_D_DECLINED,  /* 已拒绝 (with a reason); final */
    INC_D_WORKING,   /* 处置中: plan started, on site or remote support recorded */
    INC_D_RESOLVED,  /* 已完成; final */
    INC_D_WITHDRAWN, /* 已撤回 by the authority (e.g. replaced after a breach); final */
    INC_D_STATUS__COUNT
};
const char *inc_dispatch_status_code(enum inc_dispatch_status s);
const char *inc_dispatch_status_name_zh(enum inc_dispatch_status s);
int inc_dispatch_status_parse(const char *code, enum inc_dispatch_status *s);

/* A dispatch as the rules see it; times in ms, 0 when not (yet) happened. */
struct inc_dispatch {
    enum inc_dispatch_status status;
    int64_t notified_at, ack_due_at, commit_due_at;
    int64_t accepted_at, declined_at, plan_started_at, on_site_at, remote_support_at;
    int64_t resolved_at, withdrawn_at;
    int64_t ack_breached_at, commit_breached_at; /* recorded breaches */
};

/* The clock of a new dispatch notified at `now` for an incident of level lvl
 * (NULL: the seeded 30 minutes to answer and the 120-minute commitment). */
void inc_dispatch_start(struct inc_dispatch *d, const struct inc_level *lvl, int64_t now);

/* What a unit (or, for WITHDRAW, the authority) records on a dispatch. */
enum inc_dispatch_action {
    INC_DA_ACCEPT,         /* notified -> accepted */
    INC_DA_DECLINE,        /* notified -> declined (reason required by the API) */
    INC_DA_PLAN_STARTED,   /* 启动应急预案: accepted/working -> working */
    INC_DA_ON_SITE,        /* 到达现场 (who is there): accepted/working -> working */
    INC_DA_REMOTE_SUPPORT, /* 总部远程支撑: accepted/working -> working */
    INC_DA_RESOLVE,        /* working -> resolved */
    INC_DA_WITHDRAW,       /* any non-final -> withdrawn */
    INC_DA__COUNT
};
const char *
inc_dispatch_action_code(enum inc_dispatch_action a); /* "accept", "plan_started", ... */
int inc_dispatch_action_parse(const char *code, enum inc_dispatch_action *a);

/*
 * Applies action a at now: sets the status and the action's time (each milestone
 * once: recording "on site" twice is a conflict). Accepting after the
 * acknowledgement deadline is allowed (the breach stays recorded). YJ_ECONFLICT
 * naming "status" when the action does not apply in the current status; d is
 * unchanged then.
 */
enum yj_err inc_dispatch_apply(struct inc_dispatch *d, enum inc_dispatch_action a, int64_t now,
                               struct yj_error *err);

enum inc_breach_kind { INC_BREACH_ACK = 1, INC_BREACH_COMMITMENT = 2 };

/*
 * The breaches due at now and not yet recorded (a bit set of inc_breach_kind):
 * ACK when neither accepted nor declined by ack_due_at; COMMITMENT when, at
 * commit_due_at, the plan was not started or nobody was on site by then — unless
 * the unit declined or the dispatch was withdrawn before the deadline, or the
 * dispatch was resolved before it (the job was done remotely in time, so nobody
 * needed to go). A unit that never answered breaches both. "By" and "before" a
 * deadline include its own millisecond: due at T, nothing at T-1, the breach at
 * T; an answer at T is in time. Remote support alone never keeps the commitment.
 */
int inc_dispatch_due_breaches(const struct inc_dispatch *d, int64_t now);

/* The next instant at which inc_dispatch_due_breaches could change: the earliest
 * deadline whose breach is neither recorded nor ruled out (kept or excused), which
 * may be in the past (a late answer leaves the breach due); 0 if none. */
int64_t inc_dispatch_next_deadline(const struct inc_dispatch *d);

/* --- suggesting units --------------------------------------------------------------- */

struct inc_candidate {
    int64_t unit_id;
    bool has_field;      /* holds the capability field the incident calls for */
    bool same_province;  /* has an office in the incident's province */
    bool same_city;      /* ... in its city */
    bool on_call_now;    /* someone on its on-call roster now */
    bool certified;      /* holds a valid certificate */
    int open_dispatches; /* current load: live dispatches */
    int recent_breaches; /* breaches in the last 12 months */
    int score;           /* filled by inc_suggest_rank */
    char reason[256]; /* filled: the factors, in Chinese, e.g. "值班中；具备所需能力；同城；当前任务
                         1 项" */
};

/*
 * Orders candidates best first: certified units only count (others keep score
 * 0 and go last); then on call now, the capability field, same city, same
 * province, fewer open dispatches, fewer recent breaches, lower unit id (so the
 * order is the same whatever the input order). Fills score (higher is better,
 * comparable within one call) and reason: "未持有效证书" (if so), "值班中" or
 * "非值班", "具备所需能力" (if so), "同城" or else "同省" (if so), "当前任务 N 项",
 * "近12个月超时 N 次" (if any), separated by "；".
 */
void inc_suggest_rank(struct inc_candidate *c, size_t n);

/* --- upward reporting (STANDARDS.md §3) -------------------------------------------- */

/* A report_deadlines row. */
struct inc_report_rule {
    const char *operator_type; /* "cii", "central_state", "other" */
    const char *recipient_zh;
    int first_minutes, pass_on_minutes, final_days;
};

enum inc_report_kind { INC_R_FIRST, INC_R_PASS_ON, INC_R_FOLLOWUP, INC_R_FINAL, INC_R__COUNT };
const char *
inc_report_kind_code(enum inc_report_kind k); /* "first", "pass_on", "followup", "final" */
const char *inc_report_kind_name_zh(enum inc_report_kind k);
int inc_report_kind_parse(const char *code, enum inc_report_kind *k);

struct inc_report_due {
    enum inc_report_kind kind;
    const char *recipient; /* borrowed from the rule */
    int64_t due_at;        /* 0: not yet known (the final report before resolution) */
};

/*
 * What must be reported for an incident of level lvl whose operator falls under
 * rule: nothing below 较大; else the first report within first_minutes of
 * discovery, for pass_on levels the pass-on within pass_on_minutes of receipt
 * (received_at: when the receiving office took it in; due_at 0 while that is 0),
 * and the final report within final_days of resolution (due_at 0 until then).
 * The first and final reports go to rule->recipient_zh; the pass-on to the office
 * above it, which the rows do not name ("上级主管部门"). Fills out (room for 3), in
 * that order, and returns how many; 0 when lvl or rule is NULL.
 */
size_t inc_report_obligations(const struct inc_level *lvl, const struct inc_report_rule *rule,
                              int64_t discovered_at, int64_t received_at, int64_t resolved_at,
                              struct inc_report_due out[3]);

/* An item of a report form. stage 1: the first two items of the measures, which
 * may go first when the cause is not yet known; stage 2: the rest. */
struct inc_form_item {
    const char *code;
    const char *name_zh;
    int stage;
    bool required;
};
/* The report form (事件报告) items, in the measures' order. */
extern const struct inc_form_item inc_report_items[];
extern const size_t inc_report_items_count;
/* The final report (总结报告, also needed to close an incident): cause, impact,
 * measures, accountability, rectification, lessons; all required and all stage 1
 * (it does not go in parts). */
extern const struct inc_form_item inc_final_items[];
extern const size_t inc_final_items_count;

/* A filled item: code and text (NULL or "" when empty). */
struct inc_form_value {
    const char *code;
    const char *text;
};

/*
 * Checks a form against items: unknown codes are YJ_EINVAL naming "content.<code>";
 * a code given twice, a text that is not UTF-8 without control characters, or one
 * over INC_TEXT_MAX characters likewise. *stage1 tells whether every required
 * stage-1 item is filled, *complete whether every required item is; whitespace
 * alone does not fill an item. Either out pointer may be NULL.
 */
enum yj_err inc_form_check(const struct inc_form_item *items, size_t n_items,
                           const struct inc_form_value *v, size_t n, bool *stage1, bool *complete,
                           struct yj_error *err);

#endif
