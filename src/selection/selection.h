/*
 * selection.h - the selection (遴选) of support units: campaigns and their
 * stages, what an application contains, the eligibility pre-check with the
 * carry-over rules, and how experts' scores become a ranking (DOMAIN.md §2).
 *
 * Pure rules: no SQL, HTTP or JSON. The store persists these structs, the API
 * decodes and encodes them, tests call every function directly. Strings are
 * borrowed from whoever filled the struct (normally an arena); NULL means "not
 * given".
 */
#ifndef YJ_SELECTION_SELECTION_H
#define YJ_SELECTION_SELECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "units/units.h"

/* --- campaigns -------------------------------------------------------------- */

/* Stages move forward only, one at a time, by the authority's action. */
enum sel_stage {
    SEL_STAGE_DRAFT,     /* 筹备: being set up, invisible to units */
    SEL_STAGE_OPEN,      /* 申报: accepting applications until the deadline */
    SEL_STAGE_REVIEW,    /* 评审: background and expert review */
    SEL_STAGE_NOTICE,    /* 公示: proposed list under public notice */
    SEL_STAGE_PUBLISHED, /* 公布: list published, certificates issued */
    SEL_STAGE_CLOSED,    /* 结束 */
    SEL_STAGE__COUNT
};

const char *sel_stage_code(enum sel_stage s);    /* "draft", ... */
const char *sel_stage_name_zh(enum sel_stage s); /* 筹备, ... */
int sel_stage_parse(const char *code, enum sel_stage *s);

/* Eligibility thresholds (defaults from seed 000; each configurable per campaign). */
struct sel_thresholds {
    int64_t min_registered_capital; /* CNY; default 2,000,000 */
    int64_t min_years_in_field;     /* default 3 */
    int64_t min_certified_staff;    /* certified technical staff in the province; default 10 */
    bool require_office_in_province;
    int64_t min_capability_fields; /* default 1 */
    bool require_declarations;     /* credit, 7x24, supervision, confidentiality */
};

void sel_thresholds_default(struct sel_thresholds *t);

/* One criterion of the scoring rubric. */
struct sel_criterion {
    const char *code;
    const char *name;
    int64_t max_points;
};

/* The default rubric (seed 000's review items): basic situation 20, staffing 20,
 * systems and confidentiality 20, technical capability 30, past support 10. */
extern const struct sel_criterion sel_default_rubric[];
extern const size_t sel_default_rubric_count;

/* The criterion whose subtotal breaks ties in the ranking. */
#define SEL_TIEBREAK_CRITERION "technical_capability"

struct sel_campaign {
    int64_t id, version;
    const char *name; /* e.g. 第二届六盘水市网络安全应急技术支撑队伍遴选 */
    int64_t term_no;  /* 届, 0 when not given */
    const char *province, *city;
    const char *title; /* the title awarded, e.g. 六盘水市网络安全应急技术支撑单位 */
    int64_t opens_at, deadline_at; /* ms; opens_at 0 = when opened */
    int64_t validity_years;
    int64_t places;
    const char *cert_number_pattern; /* e.g. LPS-YJ-{YYYY}-{NNN} */
    enum sel_stage stage;
    struct sel_thresholds thresholds;
    const char **authorities; /* issuing authorities, e.g. 六盘水市委网信办 */
    size_t n_authorities;
    struct sel_criterion *criteria;
    size_t n_criteria;
    int64_t notice_starts_at, notice_ends_at; /* ms, 0 until set */
    int64_t published_at, closed_at;
    const char *valid_from, *valid_to; /* the certificates' validity, set at publication */
    int64_t created_at, updated_at;
};

enum {
    SEL_NAME_MAX = 200,
    SEL_CRITERIA_MAX = 20,
    SEL_AUTHORITIES_MAX = 10,
    SEL_CASE_MAX = 800,  /* characters of a typical case or the major-event case */
    SEL_PLAN_MAX = 1000, /* characters of the support plan */
    SEL_TEXT_MAX = 5000, /* other free text of the application */
};

/* Checks a campaign's own fields (names, pattern has a sequence, places > 0,
 * rubric criteria distinct with positive maxima, thresholds non-negative,
 * opens_at before deadline_at). Field paths as in the API ("criteria[1].max_points"). */
enum yj_err sel_campaign_validate(const struct sel_campaign *c, struct yj_error *err);

/* What moving from the campaign's stage to `to` needs, given the time now and
 * facts about its applications: the next stage only; open needs a deadline in
 * the future; review only after the deadline; notice needs notice_starts_at <
 * notice_ends_at and no submitted application without an outcome; published
 * only after notice_ends_at with no undecided objection. YJ_OK, or YJ_ECONFLICT
 * naming the field to fix ("to", "deadline_at", "notice_ends_at") with the reason. */
struct sel_stage_facts {
    int64_t undecided_objections;
    int64_t undecided_applications; /* submitted but without a final outcome */
};
enum yj_err sel_stage_check(const struct sel_campaign *c, enum sel_stage to, int64_t now,
                            const struct sel_stage_facts *f, struct yj_error *err);

/* --- applications ---------------------------------------------------------- */

struct sel_finance_year {
    int64_t year;
    int64_t total_assets, revenue, expenses, liabilities; /* CNY; -1 when not given */
};

struct sel_qualification {
    const char *name, *issuer, *level, *number;
    const char *valid_until; /* YYYY-MM-DD or NULL */
};

struct sel_project {
    const char *name, *client, *category;
    int64_t contract_amount, emergency_amount; /* CNY; -1 when not given */
    const char *content;
    const char *signed_on, *accepted_on; /* YYYY-MM-DD or NULL */
};

struct sel_case {
    const char *title;
    const char *text; /* at most SEL_CASE_MAX characters */
};

/* The applicant's declarations (遴选条件 1, 2, 6, 7 and the commitments). */
struct sel_declarations {
    bool independent_legal_person; /* 独立法人, operating lawfully in the PRC */
    bool good_credit;              /* no bad record in the enterprise credit system */
    bool no_criminal_record;       /* legal representative and key staff */
    bool no_security_incident;     /* no security or confidentiality incident */
    bool accepts_supervision;
    bool contact_7x24;    /* 7×24 contact mechanism and emergency response */
    bool confidentiality; /* confidentiality commitment */
};

/* An application's content: the registry profile as applied with, plus the
 * template's sections (seed 001). */
struct sel_application {
    struct unit profile;        /* basic information, contacts, offices, staff, capabilities */
    const char *security_since; /* YYYY-MM-DD: in network/data security since */
    struct sel_finance_year *finances;
    size_t n_finances;
    const char *organisation; /* 组织管理结构 */
    struct sel_qualification *qualifications;
    size_t n_qualifications;
    const char *main_business; /* 主营业务或技术特长 */
    struct sel_project *projects;
    size_t n_projects;
    struct sel_case *typical_cases; /* 典型项目, 3 to 5 */
    size_t n_typical_cases;
    struct sel_case major_event_case; /* 重大活动保障或事件处置案例 */
    const char *cooperation;          /* 对外支撑合作 */
    const char *management_systems;   /* 项目管理及保密制度 */
    const char *support_plan; /* 本届支撑工作措施, at most SEL_PLAN_MAX characters */
    const char *other_work;
    struct sel_declarations declarations;
};

enum {
    SEL_FINANCE_YEARS = 3,
    SEL_TYPICAL_CASES_MIN = 3,
    SEL_TYPICAL_CASES_MAX = 5,
    SEL_PROJECTS_MAX = 200,
    SEL_QUALIFICATIONS_MAX = 100,
    SEL_RISK_REPORTS = 3, /* risk-assessment reports to attach */
};

/* Attachments counted by kind, for the completeness check at submission. */
struct sel_attachment_counts {
    int64_t commitment_letter, response_commitment, legal_documents, audit_report,
        risk_assessment_report;
};

/*
 * Checks an application. A draft (for_submission false) may be incomplete: only
 * what is given is checked (formats, lengths, dates, the profile by
 * unit_validate). For submission everything the template requires must be
 * there: basic information, the five contacts' emergency lead and interface
 * person, three years of finances, security_since, main business, staff,
 * at least one capability, 3-5 typical cases and the major-event case, the
 * support plan, every declaration answered true... and the attachments
 * (signed commitment letter, signed 2-hour response commitment, legal documents,
 * audit report, three risk-assessment reports). Stops at the first problem,
 * named by its path ("typical_cases[2].text", "attachments.risk_assessment_report").
 */
enum yj_err sel_application_validate(const struct sel_application *a,
                                     const struct sel_attachment_counts *att, bool for_submission,
                                     const char *today, struct yj_error *err);

/*
 * Whether a unit may still change its application (content and attachments) and
 * submit it: a draft while the campaign is open and its deadline (inclusive) has
 * not passed; an application returned for correction while the campaign is open
 * or in review, whatever the deadline (the authority returned it on purpose).
 * Anything submitted is frozen. YJ_ECONFLICT naming "status", "deadline_at" or
 * "stage" otherwise; status and stage are the stored codes.
 */
enum yj_err sel_application_editable(const char *status, const char *campaign_stage,
                                     int64_t deadline_at, int64_t now, struct yj_error *err);

/* --- eligibility ------------------------------------------------------------------- */

enum sel_grade { SEL_GRADE_EXCELLENT, SEL_GRADE_QUALIFIED, SEL_GRADE_UNQUALIFIED };
const char *sel_grade_code(enum sel_grade g); /* "excellent", "qualified", "unqualified" */
const char *sel_grade_name_zh(enum sel_grade g);
int sel_grade_parse(const char *code, enum sel_grade *g);

/* What the unit's past says: its evaluation grades and bans. */
struct sel_unit_grade {
    const char *period; /* e.g. 第一届 or 2025 */
    enum sel_grade grade;
    const char *graded_on; /* YYYY-MM-DD */
};
struct sel_unit_ban {
    const char *cause;
    const char *starts_on, *ends_on; /* YYYY-MM-DD, inclusive */
};
struct sel_unit_history {
    const struct sel_unit_grade *grades;
    size_t n_grades;
    const struct sel_unit_ban *bans;
    size_t n_bans;
};

enum { SEL_CHECKS_MAX = 16, SEL_REASON_MAX = 256 };

struct sel_check {
    const char *code;    /* stable, e.g. "registered_capital" */
    const char *name_zh; /* e.g. 注册资本 */
    bool passed;
    char reason[SEL_REASON_MAX];   /* why, in Chinese, with the numbers */
    char evidence[SEL_REASON_MAX]; /* the data it rests on, e.g. "registered_capital=1500000" */
};

struct sel_eligibility {
    struct sel_check checks[SEL_CHECKS_MAX];
    size_t n_checks;
    bool eligible;     /* every check passed */
    bool direct_entry; /* graded excellent last term: may enter directly (DOMAIN.md §2) */
};

/*
 * The pre-check, criterion by criterion (DOMAIN.md §2 and the campaign's
 * thresholds): legal person, credit and record, registered capital, office in
 * the campaign's province, years in the field (from security_since to the
 * deadline), certified technical staff in the province, capability fields,
 * 7x24 and supervision, confidentiality, not graded unqualified last time, not
 * under a ban on the deadline. `at` is the instant the facts are judged at (the
 * deadline). Never fails: every outcome is a result.
 */
void sel_eligibility_check(const struct sel_campaign *c, const struct sel_application *a,
                           const struct sel_unit_history *h, int64_t at,
                           struct sel_eligibility *out);

/* --- scores and ranking --------------------------------------------------------- */

/*
 * Aggregates experts' total scores into the application's score, in hundredths:
 * with five or more experts the highest and the lowest are dropped first (once
 * each), then the mean is taken; with fewer, the plain mean. Rounded half up.
 * Returns -1 for n == 0.
 */
int64_t sel_aggregate(const int64_t *totals, size_t n);

struct sel_rank_entry {
    int64_t application_id;
    int64_t score_centi;    /* sel_aggregate of the expert totals */
    int64_t tiebreak_centi; /* the same aggregation of the tie-break criterion's points */
    int64_t submitted_at;   /* earlier submission wins a remaining tie */
    int64_t rank;           /* set by sel_rank: 1, 2, ... (no shared ranks) */
};

/* Sorts by score, then the tie-break criterion, then submission time, then id,
 * and numbers the ranks. */
void sel_rank(struct sel_rank_entry *e, size_t n);

#endif
