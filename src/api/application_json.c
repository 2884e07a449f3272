/*
 * application_json.c - an application's content (seed 001's template) to and
 * from JSON. The stored document is this encoding, compact with sorted keys, so
 * the SHA-256 of a submitted version is reproducible from its content.
 */
#include "api/api_selection.h"

#include "api/api_int.h"

static const char *const content_keys[] = {
    "profile",          "security_since", "finances",           "organisation",
    "qualifications",   "main_business",  "projects",           "typical_cases",
    "major_event_case", "cooperation",    "management_systems", "support_plan",
    "other_work",       "declarations",   "attachments",        NULL};

static enum yj_err at(enum yj_err rc, const char *key, size_t i, struct yj_error *err)
{
    if (rc) {
        char path[64];
        snprintf(path, sizeof path, "%s[%zu]", key, i);
        yj_error_prefix_field(err, path);
    }
    return rc;
}

/* The array at key, each element an object; absent or null is empty. */
static enum yj_err objects(const json_t *o, const char *key, size_t max, const json_t **out,
                           size_t *n, struct yj_error *err)
{
    const json_t *v = json_object_get(o, key);
    *out = NULL;
    *n = 0;
    if (!v || json_is_null(v))
        return YJ_OK;
    if (!json_is_array(v))
        return yj_error_set(err, YJ_EINVAL, key, "must be an array");
    if (json_array_size(v) > max)
        return yj_error_set(err, YJ_EINVAL, key, "at most %zu entries", max);
    for (size_t i = 0; i < json_array_size(v); i++)
        if (!json_is_object(json_array_get(v, i)))
            return at(yj_error_set(err, YJ_EINVAL, NULL, "must be an object"), key, i, err);
    *out = v;
    *n = json_array_size(v);
    return YJ_OK;
}

static enum yj_err finance(const json_t *o, struct yj_arena *a, struct sel_finance_year *y,
                           struct yj_error *err)
{
    (void)a;
    static const char *const keys[] = {"year",     "total_assets", "revenue",
                                       "expenses", "liabilities",  NULL};
    y->total_assets = y->revenue = y->expenses = y->liabilities = -1;
    enum yj_err rc = api_check_keys(o, keys, err);
    if (!rc)
        rc = api_get_int(o, "year", true, 1900, 9999, &y->year, err);
    if (!rc)
        rc = api_get_int(o, "total_assets", false, 0, INT64_MAX, &y->total_assets, err);
    if (!rc)
        rc = api_get_int(o, "revenue", false, 0, INT64_MAX, &y->revenue, err);
    if (!rc)
        rc = api_get_int(o, "expenses", false, 0, INT64_MAX, &y->expenses, err);
    if (!rc)
        rc = api_get_int(o, "liabilities", false, 0, INT64_MAX, &y->liabilities, err);
    return rc;
}

static enum yj_err qualification(const json_t *o, struct yj_arena *a, struct sel_qualification *q,
                                 struct yj_error *err)
{
    static const char *const keys[] = {"name", "issuer", "level", "number", "valid_until", NULL};
    enum yj_err rc = api_check_keys(o, keys, err);
    if (!rc)
        rc = api_get_string(o, "name", false, a, &q->name, err);
    if (!rc)
        rc = api_get_string(o, "issuer", false, a, &q->issuer, err);
    if (!rc)
        rc = api_get_string(o, "level", false, a, &q->level, err);
    if (!rc)
        rc = api_get_string(o, "number", false, a, &q->number, err);
    if (!rc)
        rc = api_get_string(o, "valid_until", false, a, &q->valid_until, err);
    return rc;
}

static enum yj_err project(const json_t *o, struct yj_arena *a, struct sel_project *p,
                           struct yj_error *err)
{
    static const char *const keys[] = {
        "name",      "client",      "category", "contract_amount", "emergency_amount", "content",
        "signed_on", "accepted_on", NULL};
    p->contract_amount = p->emergency_amount = -1;
    enum yj_err rc = api_check_keys(o, keys, err);
    if (!rc)
        rc = api_get_string(o, "name", false, a, &p->name, err);
    if (!rc)
        rc = api_get_string(o, "client", false, a, &p->client, err);
    if (!rc)
        rc = api_get_string(o, "category", false, a, &p->category, err);
    if (!rc)
        rc = api_get_int(o, "contract_amount", false, 0, INT64_MAX, &p->contract_amount, err);
    if (!rc)
        rc = api_get_int(o, "emergency_amount", false, 0, INT64_MAX, &p->emergency_amount, err);
    if (!rc)
        rc = api_get_string(o, "content", false, a, &p->content, err);
    if (!rc)
        rc = api_get_string(o, "signed_on", false, a, &p->signed_on, err);
    if (!rc)
        rc = api_get_string(o, "accepted_on", false, a, &p->accepted_on, err);
    return rc;
}

static enum yj_err a_case(const json_t *o, struct yj_arena *a, struct sel_case *c,
                          struct yj_error *err)
{
    static const char *const keys[] = {"title", "text", NULL};
    enum yj_err rc = api_check_keys(o, keys, err);
    if (!rc)
        rc = api_get_string(o, "title", false, a, &c->title, err);
    if (!rc)
        rc = api_get_string(o, "text", false, a, &c->text, err);
    return rc;
}

static enum yj_err declarations(const json_t *o, struct sel_declarations *d, struct yj_error *err)
{
    static const char *const keys[] = {
        "independent_legal_person", "good_credit",  "no_criminal_record", "no_security_incident",
        "accepts_supervision",      "contact_7x24", "confidentiality",    NULL};
    if (!json_is_object(o))
        return yj_error_set(err, YJ_EINVAL, "declarations", "must be an object");
    enum yj_err rc = api_check_keys(o, keys, err);
    bool *fields[] = {&d->independent_legal_person, &d->good_credit,         &d->no_criminal_record,
                      &d->no_security_incident,     &d->accepts_supervision, &d->contact_7x24,
                      &d->confidentiality};
    for (size_t i = 0; !rc && i < YJ_ARRAY_LEN(fields); i++)
        rc = api_get_bool(o, keys[i], fields[i], err);
    if (rc)
        yj_error_prefix_field(err, "declarations");
    return rc;
}

/* Decodes the array at key into *items with fn per element. */
#define LIST(key, max, field, count, fn)                                                           \
    do {                                                                                           \
        const json_t *arr_;                                                                        \
        size_t n_;                                                                                 \
        rc = objects(o, key, max, &arr_, &n_, err);                                                \
        if (rc)                                                                                    \
            return rc;                                                                             \
        out->field = yj_arena_calloc(a, n_ ? n_ : 1, sizeof *out->field);                          \
        if (!out->field)                                                                           \
            return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");                            \
        for (size_t i_ = 0; i_ < n_; i_++)                                                         \
            if ((rc = at(fn(json_array_get(arr_, i_), a, &out->field[i_], err), key, i_, err)))    \
                return rc;                                                                         \
        out->count = n_;                                                                           \
    } while (0)

enum yj_err api_application_decode(const json_t *o, struct yj_arena *a, struct sel_application *out,
                                   struct yj_error *err)
{
    memset(out, 0, sizeof *out);
    out->profile.registered_capital = -1;
    if (!json_is_object(o))
        return yj_error_set(err, YJ_EINVAL, "body", "a JSON object is required");
    enum yj_err rc = api_check_keys(o, content_keys, err);
    if (rc)
        return rc;
    /* The attachment manifest a submission froze into its version: written by the
     * server, read back here only as part of a stored document. */
    const json_t *att = json_object_get(o, "attachments");
    if (att && !json_is_array(att))
        return yj_error_set(err, YJ_EINVAL, "attachments", "must be an array");
    const json_t *p = json_object_get(o, "profile");
    if (!p || !json_is_object(p))
        return yj_error_set(err, YJ_EINVAL, "profile", "the unit's profile is required");
    if ((rc = api_unit_decode(p, a, &out->profile, err)) != YJ_OK) {
        yj_error_prefix_field(err, "profile");
        return rc;
    }
    static const struct {
        const char *key;
        size_t off;
    } texts[] = {
        {"security_since", offsetof(struct sel_application, security_since)},
        {"organisation", offsetof(struct sel_application, organisation)},
        {"main_business", offsetof(struct sel_application, main_business)},
        {"cooperation", offsetof(struct sel_application, cooperation)},
        {"management_systems", offsetof(struct sel_application, management_systems)},
        {"support_plan", offsetof(struct sel_application, support_plan)},
        {"other_work", offsetof(struct sel_application, other_work)},
    };
    for (size_t i = 0; !rc && i < YJ_ARRAY_LEN(texts); i++)
        rc = api_get_string(o, texts[i].key, false, a,
                            (const char **)(void *)((char *)out + texts[i].off), err);
    if (rc)
        return rc;
    LIST("finances", 10, finances, n_finances, finance);
    LIST("qualifications", SEL_QUALIFICATIONS_MAX, qualifications, n_qualifications, qualification);
    LIST("projects", SEL_PROJECTS_MAX, projects, n_projects, project);
    LIST("typical_cases", SEL_TYPICAL_CASES_MAX, typical_cases, n_typical_cases, a_case);
    const json_t *m = json_object_get(o, "major_event_case");
    if (m && !json_is_null(m)) {
        if (!json_is_object(m))
            return yj_error_set(err, YJ_EINVAL, "major_event_case", "must be an object");
        if ((rc = a_case(m, a, &out->major_event_case, err)) != YJ_OK) {
            yj_error_prefix_field(err, "major_event_case");
            return rc;
        }
    }
    const json_t *d = json_object_get(o, "declarations");
    if (d && !json_is_null(d))
        rc = declarations(d, &out->declarations, err);
    return rc;
}

static void put(json_t *o, const char *key, const char *v)
{
    if (v)
        json_object_set_new(o, key, json_string(v));
}

static void put_amount(json_t *o, const char *key, int64_t v)
{
    if (v >= 0)
        json_object_set_new(o, key, json_integer(v));
}

json_t *api_application_encode(const struct sel_application *ap)
{
    json_t *o = json_object();
    json_object_set_new(o, "profile", api_unit_encode(&ap->profile, true, true));
    put(o, "security_since", ap->security_since);
    json_t *fin = json_array(), *qual = json_array(), *proj = json_array(), *cases = json_array();
    for (size_t i = 0; i < ap->n_finances; i++) {
        const struct sel_finance_year *y = &ap->finances[i];
        json_t *j = json_pack("{s:I}", "year", (json_int_t)y->year);
        put_amount(j, "total_assets", y->total_assets);
        put_amount(j, "revenue", y->revenue);
        put_amount(j, "expenses", y->expenses);
        put_amount(j, "liabilities", y->liabilities);
        json_array_append_new(fin, j);
    }
    for (size_t i = 0; i < ap->n_qualifications; i++) {
        const struct sel_qualification *q = &ap->qualifications[i];
        json_t *j = json_object();
        put(j, "name", q->name);
        put(j, "issuer", q->issuer);
        put(j, "level", q->level);
        put(j, "number", q->number);
        put(j, "valid_until", q->valid_until);
        json_array_append_new(qual, j);
    }
    for (size_t i = 0; i < ap->n_projects; i++) {
        const struct sel_project *p = &ap->projects[i];
        json_t *j = json_object();
        put(j, "name", p->name);
        put(j, "client", p->client);
        put(j, "category", p->category);
        put_amount(j, "contract_amount", p->contract_amount);
        put_amount(j, "emergency_amount", p->emergency_amount);
        put(j, "content", p->content);
        put(j, "signed_on", p->signed_on);
        put(j, "accepted_on", p->accepted_on);
        json_array_append_new(proj, j);
    }
    for (size_t i = 0; i < ap->n_typical_cases; i++) {
        json_t *j = json_object();
        put(j, "title", ap->typical_cases[i].title);
        put(j, "text", ap->typical_cases[i].text);
        json_array_append_new(cases, j);
    }
    json_object_set_new(o, "finances", fin);
    put(o, "organisation", ap->organisation);
    json_object_set_new(o, "qualifications", qual);
    put(o, "main_business", ap->main_business);
    json_object_set_new(o, "projects", proj);
    json_object_set_new(o, "typical_cases", cases);
    json_t *m = json_object();
    put(m, "title", ap->major_event_case.title);
    put(m, "text", ap->major_event_case.text);
    json_object_set_new(o, "major_event_case", m);
    put(o, "cooperation", ap->cooperation);
    put(o, "management_systems", ap->management_systems);
    put(o, "support_plan", ap->support_plan);
    put(o, "other_work", ap->other_work);
    const struct sel_declarations *d = &ap->declarations;
    json_object_set_new(o, "declarations",
                        json_pack("{s:b,s:b,s:b,s:b,s:b,s:b,s:b}", "independent_legal_person",
                                  d->independent_legal_person, "good_credit", d->good_credit,
                                  "no_criminal_record", d->no_criminal_record,
                                  "no_security_incident", d->no_security_incident,
                                  "accepts_supervision", d->accepts_supervision, "contact_7x24",
                                  d->contact_7x24, "confidentiality", d->confidentiality));
    return o;
}

char *api_application_canonical(const json_t *content)
{
    return json_dumps(content, JSON_COMPACT | JSON_SORT_KEYS);
}
