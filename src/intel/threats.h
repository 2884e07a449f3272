/*
 * threats.h - the units' threat reports (威胁监测处置专项报告) and early-warning
 * reports (预警通报) as rules (DOMAIN.md §5 items 3-4, STANDARDS.md §4): the
 * disposal measures of the MIIT 2017 measures and the one pre-filled for each
 * threat category, the roles an indicator plays in a report, five-tuples, the
 * states a report goes through under the authority's review, warning colours,
 * and the CVE / CNVD / CNNVD ids a warning cites.
 *
 * Pure rules: no SQL, HTTP or JSON. Strings are borrowed unless said otherwise;
 * NULL means "not given". Errors name the input field the API reports (the API
 * prefixes them with the array element, e.g. "five_tuples[2].dst_port").
 */
#ifndef YJ_INTEL_THREATS_H
#define YJ_INTEL_THREATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "intel/intel.h"

enum {
    THREAT_TITLE_MAX = 200,       /* characters */
    THREAT_TEXT_MAX = 10000,      /* summary, propagation path, analysis ... */
    THREAT_NOTE_MAX = 500,        /* an indicator's note, a product's versions */
    THREAT_TUPLES_MAX = 1000,     /* five-tuples per report */
    THREAT_INDICATORS_MAX = 1000, /* indicators per report */
    WARN_REFS_MAX = 100,          /* CVE / CNVD / CNNVD ids per warning */
    WARN_PRODUCTS_MAX = 100,      /* affected products per warning */
    WARN_REF_MAX = 32,            /* bytes of a canonical id, NUL included */
};

/* --- disposal measures (STANDARDS.md §4) ------------------------------------------- */

enum threat_measure {
    THREAT_M_STOP_SERVICE,   /* 停止服务 */
    THREAT_M_BLOCK_RESOURCE, /* 封堵资源: what, in threat_disposal.blocks */
    THREAT_M_REMOVE_MALWARE, /* 清除恶意程序 */
    THREAT_M_ORDER_FIX,      /* 责令整改: order the provider to fix */
    THREAT_M_OTHER,          /* 其他技术措施: described in the text */
    THREAT_M__COUNT
};
const char *threat_measure_code(enum threat_measure m); /* "stop_service", ... */
const char *threat_measure_name_zh(enum threat_measure m);
int threat_measure_parse(const char *code, enum threat_measure *m);

/* What THREAT_M_BLOCK_RESOURCE blocks; a report names a set (bit 1u << value). */
enum threat_block {
    THREAT_B_DOMAIN_RESOLUTION, /* 暂停域名解析 */
    THREAT_B_IP,                /* 封堵IP */
    THREAT_B_URL,               /* 封堵URL */
    THREAT_B_ACCOUNT,           /* 封停账号 */
    THREAT_B_NUMBER,            /* 关停号码 */
    THREAT_B__COUNT
};
const char *threat_block_code(enum threat_block b); /* "domain_resolution", "ip", ... */
const char *threat_block_name_zh(enum threat_block b);
int threat_block_parse(const char *code, enum threat_block *b);

/* A disposal suggestion. */
struct threat_disposal {
    enum threat_measure measure;
    unsigned blocks;  /* set of 1u << enum threat_block; only with THREAT_M_BLOCK_RESOURCE */
    const char *text; /* the suggestion in words; may be NULL except for THREAT_M_OTHER */
};

/*
 * The suggestion pre-filled for a new report of category c (the filer may change
 * it): malicious IPs, domains and URLs are blocked (the IP, the domain's
 * resolution, the URL), malicious messages by account and number, botnet C&C by
 * IP and domain resolution, phishing sites by domain resolution and URL; malware
 * is removed; hidden hazards and security events are ordered fixed; other gets
 * other. text is a static Chinese sentence.
 */
void threat_disposal_default(enum intel_category c, struct threat_disposal *out);

/*
 * Checks a suggestion as a whole: block_resource names at least one thing to block
 * and only it names any (YJ_EINVAL "disposal.blocks"); other needs a text
 * ("disposal.text"); an unknown measure is "disposal.measure".
 */
enum yj_err threat_disposal_check(const struct threat_disposal *d, struct yj_error *err);

/* --- indicators in a report ----------------------------------------------------------- */

enum threat_role {
    THREAT_ROLE_C2,        /* 控制端 (C&C): IP, domain, URL or C&C endpoint */
    THREAT_ROLE_VICTIM,    /* 受害端: address, range, domain, URL or mail box */
    THREAT_ROLE_MALICIOUS, /* 恶意资源: any network indicator (a phishing URL, a sender) */
    THREAT_ROLE_SAMPLE,    /* 样本: a file hash (MD5, SHA-1, SHA-256, SM3) */
    THREAT_ROLE_APP,       /* 移动应用: package name and signing-certificate hash */
    THREAT_ROLE__COUNT
};
const char *threat_role_code(enum threat_role r); /* "c2", "victim", "malicious", ... */
const char *threat_role_name_zh(enum threat_role r);
int threat_role_parse(const char *code, enum threat_role *r);

/* Whether an indicator of type t can play role r (see the enum). */
bool threat_role_fits(enum threat_role r, enum intel_type t);

/* An indicator of a report, canonical. */
struct threat_indicator {
    enum intel_type type;
    const char *value; /* intel_canonical's form */
    enum threat_role role;
    const char *note; /* may be NULL */
};

/*
 * Reads one indicator from its parts: type (an intel type code, "type"), raw value
 * ("value", canonicalised by intel_canonical into the arena) and role ("role",
 * which must fit the type). YJ_EINVAL naming the field otherwise.
 */
enum yj_err threat_indicator_parse(const char *type, const char *raw, const char *role,
                                   struct yj_arena *a, struct threat_indicator *out,
                                   struct yj_error *err);

/* --- five-tuples ------------------------------------------------------------------------- */

/* Protocols of a five-tuple: "tcp", "udp", "icmp", "other". */
bool threat_protocol_ok(const char *code);

struct threat_tuple {
    const char *src_ip, *dst_ip; /* canonical IPv4 or IPv6 after threat_tuple_check */
    int src_port, dst_port;      /* 1..65535; -1: not given */
    const char *protocol;
    int64_t first_seen, last_seen; /* UTC ms; 0: not given */
    int64_t count;                 /* times seen, >= 1 */
};

/*
 * Checks and canonicalises a five-tuple (addresses into the arena): both addresses
 * IPv4 or both IPv6 ("src_ip", "dst_ip"); a known protocol ("protocol"); tcp and udp
 * need both ports, icmp has none, other may have them ("src_port", "dst_port");
 * first_seen not after last_seen ("last_seen") and neither after now
 * ("first_seen", "last_seen"); count at least 1 ("count").
 */
enum yj_err threat_tuple_check(struct threat_tuple *t, int64_t now, struct yj_arena *a,
                               struct yj_error *err);

/* --- a report's states -------------------------------------------------------------------- */

enum threat_status {
    THREAT_DRAFT,              /* 草稿: the filer edits it */
    THREAT_SUBMITTED,          /* 已提交: awaiting review */
    THREAT_RETURNED,           /* 退回补充: the filer edits and submits again */
    THREAT_ACCEPTED,           /* 已采纳; counts for the unit's evaluation */
    THREAT_REJECTED_DUPLICATE, /* 重复不采纳 */
    THREAT_REJECTED_UNFOUNDED, /* 不实不采纳 */
    THREAT_STATUS__COUNT
};
const char *threat_status_code(enum threat_status s); /* "draft", ... */
const char *threat_status_name_zh(enum threat_status s);
int threat_status_parse(const char *code, enum threat_status *s);

/* Whether the filer may change the report (draft or returned). */
bool threat_status_editable(enum threat_status s);

enum threat_decision {
    THREAT_D_ACCEPT,
    THREAT_D_RETURN,
    THREAT_D_REJECT_DUPLICATE,
    THREAT_D_REJECT_UNFOUNDED,
    THREAT_D__COUNT
};
const char *threat_decision_code(enum threat_decision d); /* "accept", "return", ... */
int threat_decision_parse(const char *code, enum threat_decision *d);

/* What submitting depends on. */
struct threat_facts {
    enum intel_category category;
    const char *summary, *propagation; /* NULL or blank: missing */
    size_t n_tuples, n_indicators, n_c2;
};

/* Whether the category needs five-tuples: every one about traffic (malicious
 * resources, malware, botnets, phishing), not hidden hazards, events or other. */
bool threat_category_needs_tuples(enum intel_category c);
/* Whether it needs a C&C address: malware and botnets. */
bool threat_category_needs_c2(enum intel_category c);

/*
 * May the report be submitted from `from`? Only a draft or a returned report
 * (YJ_ECONFLICT "status"); then it must hold what DOMAIN.md §5 item 4 asks, else
 * YJ_EINCOMPLETE naming the first missing part: "summary", "propagation_path",
 * "five_tuples" (where the category needs them), "indicators" (none at all, or no
 * role c2 where the category needs a C&C address).
 */
enum yj_err threat_submit_check(enum threat_status from, const struct threat_facts *f,
                                struct yj_error *err);

/*
 * The authority's decision on a report in `from`: only a submitted report is
 * reviewed (YJ_ECONFLICT "status"); returning or rejecting needs a comment
 * (YJ_EINVAL "comment", blank counts as none). Sets *to.
 */
enum yj_err threat_review(enum threat_status from, enum threat_decision d, const char *comment,
                          enum threat_status *to, struct yj_error *err);

/* --- early warnings ------------------------------------------------------------------------ */

enum warn_colour { WARN_RED, WARN_ORANGE, WARN_YELLOW, WARN_BLUE, WARN_COLOUR__COUNT };
const char *warn_colour_code(enum warn_colour c);    /* "red", "orange", "yellow", "blue" */
const char *warn_colour_name_zh(enum warn_colour c); /* 红色, 橙色, 黄色, 蓝色 */
int warn_colour_parse(const char *code, enum warn_colour *c);

enum warn_status {
    WARN_DRAFT,     /* 草稿 */
    WARN_SUBMITTED, /* 已提交 */
    WARN_RETURNED,  /* 退回修改 */
    WARN_PUBLISHED, /* 已发布: a bulletin every unit reads */
    WARN_REJECTED,  /* 不予发布 */
    WARN_STATUS__COUNT
};
const char *warn_status_code(enum warn_status s);
const char *warn_status_name_zh(enum warn_status s);
int warn_status_parse(const char *code, enum warn_status *s);
bool warn_status_editable(enum warn_status s); /* draft or returned */

enum warn_decision { WARN_D_PUBLISH, WARN_D_RETURN, WARN_D_REJECT, WARN_D__COUNT };
const char *warn_decision_code(enum warn_decision d); /* "publish", "return", "reject" */
int warn_decision_parse(const char *code, enum warn_decision *d);

/* What submitting a warning depends on (DOMAIN.md §5 item 3). */
struct warn_facts {
    int64_t event_at; /* 0: missing */
    const char *description, *cause, *impact, *countermeasures, *analysis;
    bool has_colour;
};

/* Only a draft or a returned warning (YJ_ECONFLICT "status"); then YJ_EINCOMPLETE
 * naming the first missing of "event_at", "description", "cause", "impact",
 * "countermeasures", "analysis", "colour". */
enum yj_err warn_submit_check(enum warn_status from, const struct warn_facts *f,
                              struct yj_error *err);

/* As threat_review: submitted only; return and reject need a comment. */
enum yj_err warn_review(enum warn_status from, enum warn_decision d, const char *comment,
                        enum warn_status *to, struct yj_error *err);

enum warn_ref_kind { WARN_REF_CVE, WARN_REF_CNVD, WARN_REF_CNNVD };

/*
 * A vulnerability id in its canonical (upper-case) form into out: CVE-YYYY-NNNN
 * (four digits, or more without a leading zero), CNVD-YYYY-NNNNN (and candidate
 * ids CNVD-C-YYYY-NNNNN, five or six digits), CNNVD-YYYYMM-NNN (three or four
 * digits, a real month); years 1999-2099. Surrounding blanks are ignored and
 * letters may be lower case. YJ_EINVAL naming field otherwise.
 */
enum yj_err warn_ref_canonical(const char *raw, const char *field, char out[WARN_REF_MAX],
                               enum warn_ref_kind *kind, struct yj_error *err);

#endif
