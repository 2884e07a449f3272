/*
 * units_validate.c - unit_validate: every rule a struct unit must satisfy
 * before it is stored. Each check names the offending input by its JSON path
 * ("contacts[1].email") so the API can point the user at it; messages say what
 * is wrong and never repeat the value, which may be personal data.
 */
#include "units/units.h"

#include "core/yj.h"

/* Upper bounds of the numeric fields; -1 always means "not given". */
#define CAPITAL_MAX INT64_C(10000000000000) /* 10^13 yuan */
#define OFFICE_NUM_MAX INT64_C(10000000)    /* m² of floor area, staff per office */
#define YEARS_MAX INT64_C(80)

/* Whether a text field must be given. */
enum text_rule { TEXT_OPTIONAL, TEXT_REQUIRED };

/* A required field must hold something besides white space. */
static bool blank(const char *s)
{
    return s[strspn(s, " \t\r\n")] == '\0';
}

/* Checks one text field: presence, UTF-8 and a length in characters. */
static enum yj_err text_check(const char *s, size_t max, enum text_rule rule, const char *field,
                              struct yj_error *err)
{
    if (!s || blank(s)) {
        if (rule == TEXT_REQUIRED)
            return yj_error_set(err, YJ_EINVAL, field, "required");
        if (!s)
            return YJ_OK;
    }
    if (!yj_utf8_text_ok(s, strlen(s)))
        return yj_error_set(err, YJ_EINVAL, field,
                            "not valid text: bad UTF-8 or control characters");
    if (yj_utf8_chars(s) > max)
        return yj_error_set(err, YJ_EINVAL, field, "too long: at most %zu characters", max);
    return YJ_OK;
}

/* Checks an optional number: -1, or 0..max. */
static enum yj_err number_check(int64_t v, int64_t max, const char *field, struct yj_error *err)
{
    if (v == -1 || (v >= 0 && v <= max))
        return YJ_OK;
    return yj_error_set(err, YJ_EINVAL, field, "out of range: 0 to %lld, or -1 when not given",
                        (long long)max);
}

/* Checks an optional province name. */
static enum yj_err province_check(const char *s, const char *field, struct yj_error *err)
{
    if (s && !unit_province_valid(s))
        return yj_error_set(err, YJ_EINVAL, field,
                            "unknown province: use the full official name, e.g. 贵州省");
    return YJ_OK;
}

/* Checks an optional mobile number. */
static enum yj_err mobile_check(const char *s, const char *field, struct yj_error *err)
{
    if (s && !unit_mobile_valid(s))
        return yj_error_set(err, YJ_EINVAL, field, "not a mainland mobile number");
    return YJ_OK;
}

/* Checks an optional office phone number. */
static enum yj_err phone_check(const char *s, const char *field, struct yj_error *err)
{
    if (s && !unit_phone_valid(s))
        return yj_error_set(err, YJ_EINVAL, field, "not a phone number");
    return YJ_OK;
}

/* Checks an array's size; items without storage are the decoder's bug, not the user's. */
static enum yj_err count_check(size_t n, const void *items, size_t max, const char *field,
                               struct yj_error *err)
{
    if (n > max)
        return yj_error_set(err, YJ_EINVAL, field, "too many: at most %zu", max);
    if (n && !items)
        return yj_error_set(err, YJ_EINTERNAL, field, "count given without items");
    return YJ_OK;
}

/* Prepends "array[i]" to a failing item's field path; passes rc through. */
static enum yj_err at_index(enum yj_err rc, const char *array, size_t i, struct yj_error *err)
{
    if (rc) {
        char prefix[48];
        snprintf(prefix, sizeof prefix, "%s[%zu]", array, i);
        yj_error_prefix_field(err, prefix);
    }
    return rc;
}

/* ---- the unit's own fields ---- */

static enum yj_err founded_on_check(const char *s, const char *today, struct yj_error *err)
{
    int y, m, d;
    if (!s)
        return YJ_OK;
    if (yj_date_parse(s, &y, &m, &d) != 0)
        return yj_error_set(err, YJ_EINVAL, "founded_on", "not a date: use YYYY-MM-DD");
    /* Both are exactly "YYYY-MM-DD", so text order is date order. */
    if (strcmp(s, today) > 0)
        return yj_error_set(err, YJ_EINVAL, "founded_on", "in the future");
    return YJ_OK;
}

static enum yj_err basic_check(const struct unit *u, const char *today, struct yj_error *err)
{
    enum yj_err rc;
    if ((rc = text_check(u->name, UNIT_NAME_MAX, TEXT_REQUIRED, "name", err)) ||
        (rc = unit_credit_code_check(u->credit_code, err)) ||
        (rc = number_check(u->registered_capital, CAPITAL_MAX, "registered_capital", err)) ||
        (rc = text_check(u->legal_representative, UNIT_TEXT_MAX, TEXT_OPTIONAL,
                         "legal_representative", err)) ||
        (rc = founded_on_check(u->founded_on, today, err)) ||
        (rc = text_check(u->business_term, UNIT_TEXT_MAX, TEXT_OPTIONAL, "business_term", err)) ||
        (rc = text_check(u->business_scope, UNIT_LONG_TEXT_MAX, TEXT_OPTIONAL, "business_scope",
                         err)) ||
        (rc = text_check(u->registration_authority, UNIT_TEXT_MAX, TEXT_OPTIONAL,
                         "registration_authority", err)) ||
        (rc = province_check(u->province, "province", err)) ||
        (rc = text_check(u->city, UNIT_TEXT_MAX, TEXT_OPTIONAL, "city", err)) ||
        (rc = text_check(u->address, UNIT_TEXT_MAX, TEXT_OPTIONAL, "address", err)))
        return rc;
    return YJ_OK;
}

/* ---- contacts ---- */

static enum yj_err contact_check(const struct unit_contact *c, bool seen[UNIT_CONTACT__COUNT],
                                 struct yj_error *err)
{
    enum yj_err rc;
    if (!unit_contact_role_code(c->role))
        return yj_error_set(err, YJ_EINVAL, "role", "unknown role");
    if (seen[c->role])
        return yj_error_set(err, YJ_EINVAL, "role", "duplicate role: each role at most once");
    seen[c->role] = true;
    if ((rc = text_check(c->name, UNIT_TEXT_MAX, TEXT_REQUIRED, "name", err)) ||
        (rc = text_check(c->dept_title, UNIT_TEXT_MAX, TEXT_OPTIONAL, "dept_title", err)) ||
        (rc = mobile_check(c->mobile, "mobile", err)) ||
        (rc = phone_check(c->office_phone, "office_phone", err)))
        return rc;
    if (c->email && !unit_email_valid(c->email))
        return yj_error_set(err, YJ_EINVAL, "email", "not an e-mail address");
    return YJ_OK;
}

static enum yj_err contacts_check(const struct unit *u, struct yj_error *err)
{
    bool seen[UNIT_CONTACT__COUNT] = {false};
    enum yj_err rc = count_check(u->n_contacts, u->contacts, UNIT_CONTACTS_MAX, "contacts", err);
    for (size_t i = 0; !rc && i < u->n_contacts; i++)
        rc = at_index(contact_check(&u->contacts[i], seen, err), "contacts", i, err);
    return rc;
}

/* ---- offices ---- */

static enum yj_err office_check(const struct unit_office *o, struct yj_error *err)
{
    enum yj_err rc;
    if ((rc = text_check(o->name, UNIT_TEXT_MAX, TEXT_OPTIONAL, "name", err)) ||
        (rc = province_check(o->province, "province", err)) ||
        (rc = text_check(o->city, UNIT_TEXT_MAX, TEXT_OPTIONAL, "city", err)) ||
        (rc = text_check(o->address, UNIT_TEXT_MAX, TEXT_OPTIONAL, "address", err)) ||
        (rc = number_check(o->floor_area_m2, OFFICE_NUM_MAX, "floor_area_m2", err)))
        return rc;
    if (o->tenure && strcmp(o->tenure, "owned") != 0 && strcmp(o->tenure, "rented") != 0)
        return yj_error_set(err, YJ_EINVAL, "tenure", "unknown tenure: \"owned\" or \"rented\"");
    if ((rc = number_check(o->staff_count, OFFICE_NUM_MAX, "staff_count", err)) ||
        (rc = text_check(o->security_lead, UNIT_TEXT_MAX, TEXT_OPTIONAL, "security_lead", err)) ||
        (rc = phone_check(o->phone, "phone", err)))
        return rc;
    return YJ_OK;
}

static enum yj_err offices_check(const struct unit *u, struct yj_error *err)
{
    enum yj_err rc = count_check(u->n_offices, u->offices, UNIT_OFFICES_MAX, "offices", err);
    for (size_t i = 0; !rc && i < u->n_offices; i++)
        rc = at_index(office_check(&u->offices[i], err), "offices", i, err);
    return rc;
}

/* ---- staff ---- */

static enum yj_err certificates_check(const struct unit_staff *s, struct yj_error *err)
{
    enum yj_err rc =
        count_check(s->n_certificates, s->certificates, UNIT_CERTS_MAX, "certificates", err);
    for (size_t i = 0; !rc && i < s->n_certificates; i++)
        rc = at_index(text_check(s->certificates[i], UNIT_TEXT_MAX, TEXT_REQUIRED, "", err),
                      "certificates", i, err);
    return rc;
}

static enum yj_err staff_member_check(const struct unit_staff *s, struct yj_error *err)
{
    enum yj_err rc;
    if ((rc = text_check(s->name, UNIT_TEXT_MAX, TEXT_REQUIRED, "name", err)) ||
        (rc = text_check(s->department, UNIT_TEXT_MAX, TEXT_OPTIONAL, "department", err)) ||
        (rc = text_check(s->education, UNIT_TEXT_MAX, TEXT_OPTIONAL, "education", err)) ||
        (rc = text_check(s->title, UNIT_TEXT_MAX, TEXT_OPTIONAL, "title", err)) ||
        (rc = text_check(s->school, UNIT_TEXT_MAX, TEXT_OPTIONAL, "school", err)) ||
        (rc = text_check(s->major, UNIT_TEXT_MAX, TEXT_OPTIONAL, "major", err)) ||
        (rc = number_check(s->years_in_field, YEARS_MAX, "years_in_field", err)) ||
        (rc = text_check(s->post, UNIT_TEXT_MAX, TEXT_OPTIONAL, "post", err)) ||
        (rc = certificates_check(s, err)))
        return rc;
    return YJ_OK;
}

static enum yj_err staff_check(const struct unit *u, struct yj_error *err)
{
    enum yj_err rc = count_check(u->n_staff, u->staff, UNIT_STAFF_MAX, "staff", err);
    for (size_t i = 0; !rc && i < u->n_staff; i++)
        rc = at_index(staff_member_check(&u->staff[i], err), "staff", i, err);
    return rc;
}

/* ---- capabilities ---- */

/* The field's index in unit_capability_fields, or -1. */
static int capability_index(const char *code)
{
    for (size_t i = 0; code && i < unit_capability_fields_count; i++)
        if (strcmp(code, unit_capability_fields[i].code) == 0)
            return (int)i;
    return -1;
}

static enum yj_err capability_check(const struct unit_capability *c, bool seen[UNIT_CAPS_MAX],
                                    struct yj_error *err)
{
    if (!c->field)
        return yj_error_set(err, YJ_EINVAL, "field", "required");
    int k = capability_index(c->field);
    if (k < 0)
        return yj_error_set(err, YJ_EINVAL, "field", "unknown capability field");
    if (seen[k])
        return yj_error_set(err, YJ_EINVAL, "field", "duplicate field: each field at most once");
    seen[k] = true;
    return text_check(c->description, UNIT_LONG_TEXT_MAX, TEXT_OPTIONAL, "description", err);
}

static enum yj_err capabilities_check(const struct unit *u, struct yj_error *err)
{
    bool seen[UNIT_CAPS_MAX] = {false};
    enum yj_err rc =
        count_check(u->n_capabilities, u->capabilities, UNIT_CAPS_MAX, "capabilities", err);
    for (size_t i = 0; !rc && i < u->n_capabilities; i++)
        rc = at_index(capability_check(&u->capabilities[i], seen, err), "capabilities", i, err);
    return rc;
}

/* ---- on-call roster ---- */

static enum yj_err oncall_entry_check(const struct unit_oncall *o, struct yj_error *err)
{
    enum yj_err rc;
    if ((rc = text_check(o->person, UNIT_TEXT_MAX, TEXT_REQUIRED, "person", err)) ||
        (rc = mobile_check(o->mobile, "mobile", err)))
        return rc;
    if (o->starts_at >= o->ends_at)
        return yj_error_set(err, YJ_EINVAL, "ends_at", "not after starts_at");
    return YJ_OK;
}

static enum yj_err oncall_check(const struct unit *u, struct yj_error *err)
{
    enum yj_err rc = count_check(u->n_oncall, u->oncall, UNIT_ONCALL_MAX, "oncall", err);
    for (size_t i = 0; !rc && i < u->n_oncall; i++)
        rc = at_index(oncall_entry_check(&u->oncall[i], err), "oncall", i, err);
    return rc;
}

enum yj_err unit_validate(const struct unit *u, const char *today, struct yj_error *err)
{
    int y, m, d;
    yj_error_clear(err);
    /* A bad "today" is the caller's bug, not the user's: never report it as bad input. */
    if (!u || yj_date_parse(today, &y, &m, &d) != 0)
        return yj_error_set(err, YJ_EINTERNAL, NULL, "unit_validate needs a unit and today's date");
    enum yj_err rc;
    if ((rc = basic_check(u, today, err)) || (rc = contacts_check(u, err)) ||
        (rc = offices_check(u, err)) || (rc = staff_check(u, err)) ||
        (rc = capabilities_check(u, err)) || (rc = oncall_check(u, err)))
        return rc;
    return YJ_OK;
}
