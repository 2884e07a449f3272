/*
 * unit_json.c - a unit to and from JSON. Decoding is strict (unknown keys and
 * wrong types are refused with the field's path); meaning is checked later by
 * unit_validate. This decoder reads untrusted bytes, so it has a fuzz target.
 */
#include "api/api_int.h"

static const char *const unit_keys[] = {"name",
                                        "credit_code",
                                        "registered_capital",
                                        "legal_representative",
                                        "founded_on",
                                        "business_term",
                                        "business_scope",
                                        "registration_authority",
                                        "province",
                                        "city",
                                        "address",
                                        "contacts",
                                        "offices",
                                        "staff",
                                        "capabilities",
                                        "oncall",
                                        NULL};
static const char *const unit_readonly[] = {
    "id", "version", "created_at", "updated_at", "personal_data_hidden", NULL};
static const char *const contact_keys[] = {"role",         "name",  "dept_title", "mobile",
                                           "office_phone", "email", NULL};
static const char *const office_keys[] = {
    "name",   "is_headquarters", "province",      "city",  "address", "floor_area_m2",
    "tenure", "staff_count",     "security_lead", "phone", NULL};
static const char *const staff_keys[] = {
    "name",           "department", "education",   "title",        "school", "major",
    "years_in_field", "post",       "in_province", "certificates", NULL};
static const char *const capability_keys[] = {"field", "description", NULL};
static const char *const oncall_keys[] = {"person", "mobile", "starts_at", "ends_at", NULL};

/* The array at key (absent or null: empty), at most max elements, each an object. */
static enum yj_err get_array(const json_t *obj, const char *key, size_t max, bool objects,
                             const json_t **out, size_t *n, struct yj_error *err)
{
    const json_t *v = json_object_get(obj, key);
    *out = NULL;
    *n = 0;
    if (!v || json_is_null(v))
        return YJ_OK;
    if (!json_is_array(v))
        return yj_error_set(err, YJ_EINVAL, key, "must be an array");
    if (json_array_size(v) > max)
        return yj_error_set(err, YJ_EINVAL, key, "at most %zu entries", max);
    for (size_t i = 0; objects && i < json_array_size(v); i++)
        if (!json_is_object(json_array_get(v, i))) {
            yj_error_set(err, YJ_EINVAL, NULL, "must be an object");
            char path[64];
            snprintf(path, sizeof path, "%s[%zu]", key, i);
            yj_error_prefix_field(err, path);
            return YJ_EINVAL;
        }
    *out = v;
    *n = json_array_size(v);
    return YJ_OK;
}

/* Prefixes the error's field with "key[i]" when rc is an error. */
static enum yj_err at(enum yj_err rc, const char *key, size_t i, struct yj_error *err)
{
    if (rc) {
        char path[64];
        snprintf(path, sizeof path, "%s[%zu]", key, i);
        yj_error_prefix_field(err, path);
    }
    return rc;
}

static enum yj_err decode_contact(const json_t *o, struct yj_arena *a, struct unit_contact *c,
                                  struct yj_error *err)
{
    const char *role = NULL;
    enum yj_err rc = api_check_keys(o, contact_keys, err);
    if (!rc)
        rc = api_get_string(o, "role", true, a, &role, err);
    if (!rc && unit_contact_role_parse(role, &c->role) != 0)
        rc = yj_error_set(err, YJ_EINVAL, "role", "unknown contact role");
    if (!rc)
        rc = api_get_string(o, "name", false, a, &c->name, err);
    if (!rc)
        rc = api_get_string(o, "dept_title", false, a, &c->dept_title, err);
    if (!rc)
        rc = api_get_string(o, "mobile", false, a, &c->mobile, err);
    if (!rc)
        rc = api_get_string(o, "office_phone", false, a, &c->office_phone, err);
    if (!rc)
        rc = api_get_string(o, "email", false, a, &c->email, err);
    return rc;
}

static enum yj_err decode_office(const json_t *o, struct yj_arena *a, struct unit_office *f,
                                 struct yj_error *err)
{
    f->floor_area_m2 = -1;
    f->staff_count = -1;
    enum yj_err rc = api_check_keys(o, office_keys, err);
    if (!rc)
        rc = api_get_string(o, "name", false, a, &f->name, err);
    if (!rc)
        rc = api_get_bool(o, "is_headquarters", &f->is_headquarters, err);
    if (!rc)
        rc = api_get_string(o, "province", false, a, &f->province, err);
    if (!rc)
        rc = api_get_string(o, "city", false, a, &f->city, err);
    if (!rc)
        rc = api_get_string(o, "address", false, a, &f->address, err);
    if (!rc)
        rc = api_get_int(o, "floor_area_m2", false, 0, INT64_MAX, &f->floor_area_m2, err);
    if (!rc)
        rc = api_get_string(o, "tenure", false, a, &f->tenure, err);
    if (!rc)
        rc = api_get_int(o, "staff_count", false, 0, INT64_MAX, &f->staff_count, err);
    if (!rc)
        rc = api_get_string(o, "security_lead", false, a, &f->security_lead, err);
    if (!rc)
        rc = api_get_string(o, "phone", false, a, &f->phone, err);
    return rc;
}

static enum yj_err decode_certificates(const json_t *o, struct yj_arena *a, struct unit_staff *p,
                                       struct yj_error *err)
{
    const json_t *arr;
    size_t n;
    enum yj_err rc = get_array(o, "certificates", UNIT_CERTS_MAX, false, &arr, &n, err);
    if (rc || n == 0)
        return rc;
    p->certificates = yj_arena_calloc(a, n, sizeof *p->certificates);
    if (!p->certificates)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const json_t *v = json_array_get(arr, i);
        if (!json_is_string(v))
            return at(yj_error_set(err, YJ_EINVAL, NULL, "must be a string"), "certificates", i,
                      err);
        p->certificates[i] = yj_arena_strndup(a, json_string_value(v), json_string_length(v));
        if (!p->certificates[i])
            return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
        if (strlen(p->certificates[i]) != json_string_length(v))
            return at(yj_error_set(err, YJ_EINVAL, NULL, "must not contain NUL"), "certificates", i,
                      err);
    }
    p->n_certificates = n;
    return YJ_OK;
}

static enum yj_err decode_staff(const json_t *o, struct yj_arena *a, struct unit_staff *p,
                                struct yj_error *err)
{
    p->years_in_field = -1;
    p->in_province = true;
    enum yj_err rc = api_check_keys(o, staff_keys, err);
    if (!rc)
        rc = api_get_string(o, "name", false, a, &p->name, err);
    if (!rc)
        rc = api_get_string(o, "department", false, a, &p->department, err);
    if (!rc)
        rc = api_get_string(o, "education", false, a, &p->education, err);
    if (!rc)
        rc = api_get_string(o, "title", false, a, &p->title, err);
    if (!rc)
        rc = api_get_string(o, "school", false, a, &p->school, err);
    if (!rc)
        rc = api_get_string(o, "major", false, a, &p->major, err);
    if (!rc)
        rc = api_get_int(o, "years_in_field", false, 0, INT64_MAX, &p->years_in_field, err);
    if (!rc)
        rc = api_get_string(o, "post", false, a, &p->post, err);
    if (!rc)
        rc = api_get_bool(o, "in_province", &p->in_province, err);
    if (!rc)
        rc = decode_certificates(o, a, p, err);
    return rc;
}

static enum yj_err decode_capability(const json_t *o, struct yj_arena *a, struct unit_capability *c,
                                     struct yj_error *err)
{
    enum yj_err rc = api_check_keys(o, capability_keys, err);
    if (!rc)
        rc = api_get_string(o, "field", true, a, &c->field, err);
    if (!rc)
        rc = api_get_string(o, "description", false, a, &c->description, err);
    return rc;
}

static enum yj_err decode_oncall(const json_t *o, struct yj_arena *a, struct unit_oncall *s,
                                 struct yj_error *err)
{
    enum yj_err rc = api_check_keys(o, oncall_keys, err);
    if (!rc)
        rc = api_get_string(o, "person", false, a, &s->person, err);
    if (!rc)
        rc = api_get_string(o, "mobile", false, a, &s->mobile, err);
    if (!rc)
        rc = api_get_time(o, "starts_at", true, &s->starts_at, err);
    if (!rc)
        rc = api_get_time(o, "ends_at", true, &s->ends_at, err);
    return rc;
}

/* Decodes the array at key into *items with decode() per element. */
#define DECODE_LIST(key, max, field, count, fn)                                                    \
    do {                                                                                           \
        const json_t *arr_;                                                                        \
        size_t n_;                                                                                 \
        rc = get_array(obj, key, max, true, &arr_, &n_, err);                                      \
        if (rc)                                                                                    \
            return rc;                                                                             \
        out->field = yj_arena_calloc(a, n_ ? n_ : 1, sizeof *out->field);                          \
        if (!out->field)                                                                           \
            return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");                            \
        for (size_t i_ = 0; i_ < n_; i_++) {                                                       \
            rc = at(fn(json_array_get(arr_, i_), a, &out->field[i_], err), key, i_, err);          \
            if (rc)                                                                                \
                return rc;                                                                         \
        }                                                                                          \
        out->count = n_;                                                                           \
    } while (0)

enum yj_err api_unit_decode(const json_t *obj, struct yj_arena *a, struct unit *out,
                            struct yj_error *err)
{
    memset(out, 0, sizeof *out);
    out->registered_capital = -1;
    if (!json_is_object(obj))
        return yj_error_set(err, YJ_EINVAL, "body", "a JSON object is required");
    for (const char *const *k = unit_readonly; *k; k++)
        if (json_object_get(obj, *k))
            return yj_error_set(err, YJ_EINVAL, *k, "read-only field");
    enum yj_err rc = api_check_keys(obj, unit_keys, err);
    static const struct {
        const char *key;
        size_t offset;
        bool required;
    } strings[] = {
        {"name", offsetof(struct unit, name), true},
        {"credit_code", offsetof(struct unit, credit_code), true},
        {"legal_representative", offsetof(struct unit, legal_representative), false},
        {"founded_on", offsetof(struct unit, founded_on), false},
        {"business_term", offsetof(struct unit, business_term), false},
        {"business_scope", offsetof(struct unit, business_scope), false},
        {"registration_authority", offsetof(struct unit, registration_authority), false},
        {"province", offsetof(struct unit, province), false},
        {"city", offsetof(struct unit, city), false},
        {"address", offsetof(struct unit, address), false},
    };
    for (size_t i = 0; !rc && i < YJ_ARRAY_LEN(strings); i++)
        rc = api_get_string(obj, strings[i].key, strings[i].required, a,
                            (const char **)(void *)((char *)out + strings[i].offset), err);
    if (!rc)
        rc = api_get_int(obj, "registered_capital", false, 0, INT64_MAX, &out->registered_capital,
                         err);
    if (rc)
        return rc;
    DECODE_LIST("contacts", UNIT_CONTACTS_MAX, contacts, n_contacts, decode_contact);
    DECODE_LIST("offices", UNIT_OFFICES_MAX, offices, n_offices, decode_office);
    DECODE_LIST("staff", UNIT_STAFF_MAX, staff, n_staff, decode_staff);
    DECODE_LIST("capabilities", UNIT_CAPS_MAX, capabilities, n_capabilities, decode_capability);
    DECODE_LIST("oncall", UNIT_ONCALL_MAX, oncall, n_oncall, decode_oncall);
    return YJ_OK;
}

/* --- encoding ------------------------------------------------------------------- */

static void set_str(json_t *o, const char *key, const char *v)
{
    if (v)
        json_object_set_new(o, key, json_string(v));
}

static void set_int(json_t *o, const char *key, int64_t v, int64_t none)
{
    if (v != none)
        json_object_set_new(o, key, json_integer(v));
}

/* Roster times are required, so unlike api_time (0 -> null, "not set") even the epoch
 * is written as a time: the encoding must decode again. */
static json_t *roster_time(int64_t ms)
{
    char buf[YJ_TIME_STRLEN];
    yj_time_format(ms, buf);
    return json_string(buf);
}

static json_t *encode_personal(const struct unit *u, json_t *o)
{
    json_t *contacts = json_array(), *staff = json_array(), *oncall = json_array();
    for (size_t i = 0; i < u->n_contacts; i++) {
        const struct unit_contact *c = &u->contacts[i];
        json_t *j = json_pack("{s:s}", "role", unit_contact_role_code(c->role));
        set_str(j, "name", c->name);
        set_str(j, "dept_title", c->dept_title);
        set_str(j, "mobile", c->mobile);
        set_str(j, "office_phone", c->office_phone);
        set_str(j, "email", c->email);
        json_array_append_new(contacts, j);
    }
    for (size_t i = 0; i < u->n_staff; i++) {
        const struct unit_staff *p = &u->staff[i];
        json_t *j = json_object();
        set_str(j, "name", p->name);
        set_str(j, "department", p->department);
        set_str(j, "education", p->education);
        set_str(j, "title", p->title);
        set_str(j, "school", p->school);
        set_str(j, "major", p->major);
        set_int(j, "years_in_field", p->years_in_field, -1);
        set_str(j, "post", p->post);
        json_object_set_new(j, "in_province", json_boolean(p->in_province));
        json_t *certs = json_array();
        for (size_t k = 0; k < p->n_certificates; k++)
            json_array_append_new(certs, json_string(p->certificates[k]));
        json_object_set_new(j, "certificates", certs);
        json_array_append_new(staff, j);
    }
    for (size_t i = 0; i < u->n_oncall; i++) {
        const struct unit_oncall *s = &u->oncall[i];
        json_t *j = json_object();
        set_str(j, "person", s->person);
        set_str(j, "mobile", s->mobile);
        json_object_set_new(j, "starts_at", roster_time(s->starts_at));
        json_object_set_new(j, "ends_at", roster_time(s->ends_at));
        json_array_append_new(oncall, j);
    }
    json_object_set_new(o, "contacts", contacts);
    json_object_set_new(o, "staff", staff);
    json_object_set_new(o, "oncall", oncall);
    return o;
}

json_t *api_unit_encode(const struct unit *u, bool personal, bool for_patch)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    if (!for_patch) {
        json_object_set_new(o, "id", json_integer(u->id));
        json_object_set_new(o, "version", json_integer(u->version));
    }
    set_str(o, "name", u->name);
    set_str(o, "credit_code", u->credit_code);
    set_int(o, "registered_capital", u->registered_capital, -1);
    set_str(o, "legal_representative", u->legal_representative);
    set_str(o, "founded_on", u->founded_on);
    set_str(o, "business_term", u->business_term);
    set_str(o, "business_scope", u->business_scope);
    set_str(o, "registration_authority", u->registration_authority);
    set_str(o, "province", u->province);
    set_str(o, "city", u->city);
    set_str(o, "address", u->address);
    json_t *offices = json_array(), *caps = json_array();
    for (size_t i = 0; i < u->n_offices; i++) {
        const struct unit_office *f = &u->offices[i];
        json_t *j = json_object();
        set_str(j, "name", f->name);
        json_object_set_new(j, "is_headquarters", json_boolean(f->is_headquarters));
        set_str(j, "province", f->province);
        set_str(j, "city", f->city);
        set_str(j, "address", f->address);
        set_int(j, "floor_area_m2", f->floor_area_m2, -1);
        set_str(j, "tenure", f->tenure);
        set_int(j, "staff_count", f->staff_count, -1);
        set_str(j, "security_lead", f->security_lead);
        set_str(j, "phone", f->phone);
        json_array_append_new(offices, j);
    }
    for (size_t i = 0; i < u->n_capabilities; i++) {
        json_t *j = json_pack("{s:s}", "field", u->capabilities[i].field);
        set_str(j, "description", u->capabilities[i].description);
        json_array_append_new(caps, j);
    }
    json_object_set_new(o, "offices", offices);
    json_object_set_new(o, "capabilities", caps);
    if (personal)
        encode_personal(u, o);
    else if (!for_patch)
        json_object_set_new(o, "personal_data_hidden", json_true());
    if (!for_patch) {
        json_object_set_new(o, "created_at", api_time(u->created_at));
        json_object_set_new(o, "updated_at", api_time(u->updated_at));
    }
    return o;
}
