/*
 * units.h - the support-unit registry's domain: what a unit (网络安全应急技术支撑单位)
 * is, and the rules its data must satisfy. No HTTP, SQL or JSON here: the store
 * persists these structs, the API decodes and encodes them, and tests call the
 * validators directly.
 *
 * Strings in these structs are borrowed: whoever filled the struct owns them
 * (normally a request's or a read's struct yj_arena). NULL means "not given".
 */
#ifndef YJ_UNITS_UNITS_H
#define YJ_UNITS_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* The five contact roles of the application template (seed 001) plus 接口人. */
enum unit_contact_role {
    UNIT_CONTACT_EMERGENCY_LEAD,    /* 网络安全应急工作负责人 */
    UNIT_CONTACT_SUPPORT_LEAD,      /* 支撑单位工作负责人 */
    UNIT_CONTACT_SUPPORT_CONTACT,   /* 支撑单位工作联系人 */
    UNIT_CONTACT_SELECTION_CONTACT, /* 遴选工作联系人 */
    UNIT_CONTACT_INTERFACE,         /* 接口人 */
    UNIT_CONTACT__COUNT
};

struct unit_contact {
    enum unit_contact_role role;
    const char *name;
    const char *dept_title; /* 部门及职务 */
    const char *mobile;
    const char *office_phone;
    const char *email;
};

struct unit_office {
    const char *name; /* e.g. 总部, 贵阳分公司 */
    bool is_headquarters;
    const char *province;
    const char *city;
    const char *address;
    int64_t floor_area_m2; /* -1 when not given */
    const char *tenure;    /* "owned" (购买) or "rented" (租用); NULL when not given */
    int64_t staff_count;   /* -1 when not given */
    const char *security_lead;
    const char *phone;
};

struct unit_staff {
    const char *name;
    const char *department; /* 所属机构及部门 */
    const char *education;  /* 学历, e.g. 本科 */
    const char *title;      /* 职称, e.g. 高级工程师 */
    const char *school;
    const char *major;
    int64_t years_in_field; /* -1 when not given */
    const char *post;       /* 从事岗位 */
    bool in_province;       /* works from an office in the unit's province */
    const char **certificates;
    size_t n_certificates;
};

struct unit_capability {
    const char *field;       /* a code from unit_capability_fields, e.g. "emergency_handling" */
    const char *description; /* strengths in that field; may be NULL */
};

struct unit_oncall {
    const char *person;
    const char *mobile;
    int64_t starts_at; /* ms since epoch, UTC */
    int64_t ends_at;
};

struct unit {
    int64_t id;      /* 0 before it is stored */
    int64_t version; /* bumped on every write; the ETag */
    const char *name;
    const char *credit_code;    /* 统一社会信用代码 */
    int64_t registered_capital; /* CNY, whole yuan; -1 when not given */
    const char *legal_representative;
    const char *founded_on; /* "YYYY-MM-DD" */
    const char *business_term;
    const char *business_scope;
    const char *registration_authority;
    const char *province;
    const char *city;
    const char *address;

    struct unit_contact *contacts;
    size_t n_contacts;
    struct unit_office *offices;
    size_t n_offices;
    struct unit_staff *staff;
    size_t n_staff;
    struct unit_capability *capabilities;
    size_t n_capabilities;
    struct unit_oncall *oncall;
    size_t n_oncall;

    int64_t created_at, updated_at;
    int64_t deleted_at; /* 0 while live */
};

/* Limits the validators enforce (characters, not bytes, for text). */
enum {
    UNIT_NAME_MAX = 100,
    UNIT_TEXT_MAX = 200,       /* short free text: names, titles, addresses */
    UNIT_LONG_TEXT_MAX = 2000, /* business scope, capability descriptions */
    UNIT_CONTACTS_MAX = UNIT_CONTACT__COUNT,
    UNIT_OFFICES_MAX = 100,
    UNIT_STAFF_MAX = 2000,
    UNIT_CERTS_MAX = 20,
    UNIT_CAPS_MAX = 11,
    UNIT_ONCALL_MAX = 1000,
};

/* Stable wire codes and Chinese names of contact roles. */
const char *unit_contact_role_code(enum unit_contact_role r);
const char *unit_contact_role_name_zh(enum unit_contact_role r);
/* Returns 0 and sets *r for a known code, else -1. */
int unit_contact_role_parse(const char *code, enum unit_contact_role *r);

/* The eleven capability fields of DOMAIN.md §2 criterion 5, as seeded reference data. */
struct unit_capability_field {
    const char *code;    /* e.g. "monitoring_analysis" */
    const char *name_zh; /* e.g. 监测分析 */
    const char *name_en;
};
extern const struct unit_capability_field unit_capability_fields[];
extern const size_t unit_capability_fields_count;

/* 1 when the code names a capability field. */
int unit_capability_field_known(const char *code);

/*
 * 统一社会信用代码 per GB 32100-2015: 18 characters from "0-9A-HJ-NPQRTUWXY"
 * (no I, O, Z, S, V), positions 3-8 an administrative-division number, and the
 * 18th the check character over the first 17 (weights 3^i mod 31).
 * Returns YJ_OK, or YJ_EINVAL with a message saying what is wrong.
 */
enum yj_err unit_credit_code_check(const char *code, struct yj_error *err);

/* The check character (as it should be) for the first 17 characters, or 0 if they are not valid. */
char unit_credit_code_check_char(const char *first17);

/* Mainland mobile number: 11 digits starting 1[3-9], optionally "+86" or "86" first. */
int unit_mobile_valid(const char *s);

/* Office phone: digits with optional area code and extension, e.g. 0858-8221234, 010-12345678-801,
 * +86 10 1234 5678. */
int unit_phone_valid(const char *s);

/* E-mail address: one @, a plausible local part and a dotted domain, at most 254 bytes. */
int unit_email_valid(const char *s);

/* The 34 provincial-level divisions' full names, for forms and validation. */
extern const char *const unit_provinces[];
extern const size_t unit_provinces_count;

/* 1 when s is one of the 34 provincial-level divisions' full names (e.g. 贵州省, 北京市). */
int unit_province_valid(const char *s);

/*
 * Checks every field of u (text lengths and UTF-8, formats, dates not in the
 * future relative to today "YYYY-MM-DD", roster intervals, duplicates) and
 * stops at the first problem, naming it by path, e.g. "contacts[1].email".
 * Requires name and credit_code. Returns YJ_OK or YJ_EINVAL; YJ_EINTERNAL for a
 * caller's bug (NULL unit, malformed today, a count without its array).
 */
enum yj_err unit_validate(const struct unit *u, const char *today, struct yj_error *err);

#endif
