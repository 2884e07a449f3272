/*
 * selection_json.c - campaigns and application content to and from JSON.
 * Decoding is strict like the unit's (unknown keys and wrong types refused with
 * their path); meaning is checked by the selection module's validators.
 */
#include "api/api_selection.h"

#include "api/api_int.h"

static const char *const campaign_keys[] = {"name",           "term_no",
                                            "province",       "city",
                                            "title",          "opens_at",
                                            "deadline_at",    "validity_years",
                                            "places",         "cert_number_pattern",
                                            "thresholds",     "authorities",
                                            "criteria",       "notice_starts_at",
                                            "notice_ends_at", NULL};
static const char *const campaign_readonly[] = {
    "id",       "version",   "stage",      "published_at", "valid_from",
    "valid_to", "closed_at", "created_at", "updated_at",   NULL};
static const char *const threshold_keys[] = {"min_registered_capital",
                                             "min_years_in_field",
                                             "min_certified_staff",
                                             "require_office_in_province",
                                             "min_capability_fields",
                                             "require_declarations",
                                             NULL};

/* Prefixes err's field with path when rc failed. */
static enum yj_err under(enum yj_err rc, const char *path, struct yj_error *err)
{
    if (rc)
        yj_error_prefix_field(err, path);
    return rc;
}

static enum yj_err get_array(const json_t *o, const char *key, size_t max, const json_t **out,
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
    *out = v;
    *n = json_array_size(v);
    return YJ_OK;
}

static enum yj_err decode_thresholds(const json_t *o, struct sel_thresholds *t,
                                     struct yj_error *err)
{
    if (!json_is_object(o))
        return yj_error_set(err, YJ_EINVAL, NULL, "must be an object");
    enum yj_err rc = api_check_keys(o, threshold_keys, err);
    if (!rc)
        rc = api_get_int(o, "min_registered_capital", false, 0, INT64_MAX,
                         &t->min_registered_capital, err);
    if (!rc)
        rc = api_get_int(o, "min_years_in_field", false, 0, 100, &t->min_years_in_field, err);
    if (!rc)
        rc = api_get_int(o, "min_certified_staff", false, 0, 100000, &t->min_certified_staff, err);
    if (!rc)
        rc = api_get_bool(o, "require_office_in_province", &t->require_office_in_province, err);
    if (!rc)
        rc = api_get_int(o, "min_capability_fields", false, 0, 100, &t->min_capability_fields, err);
    if (!rc)
        rc = api_get_bool(o, "require_declarations", &t->require_declarations, err);
    return rc;
}

static enum yj_err decode_criteria(const json_t *o, struct yj_arena *a, struct sel_campaign *c,
                                   struct yj_error *err)
{
    static const char *const keys[] = {"code", "name", "max_points", NULL};
    const json_t *arr;
    size_t n;
    enum yj_err rc = get_array(o, "criteria", SEL_CRITERIA_MAX, &arr, &n, err);
    if (rc || !arr)
        return rc;
    c->criteria = yj_arena_calloc(a, n ? n : 1, sizeof *c->criteria);
    if (!c->criteria)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const json_t *k = json_array_get(arr, i);
        struct sel_criterion *cr = &c->criteria[i];
        char path[48];
        snprintf(path, sizeof path, "criteria[%zu]", i);
        if (!json_is_object(k))
            return under(yj_error_set(err, YJ_EINVAL, NULL, "must be an object"), path, err);
        rc = api_check_keys(k, keys, err);
        if (!rc)
            rc = api_get_string(k, "code", true, a, &cr->code, err);
        if (!rc)
            rc = api_get_string(k, "name", true, a, &cr->name, err);
        if (!rc)
            rc = api_get_int(k, "max_points", true, INT64_MIN, INT64_MAX, &cr->max_points, err);
        if (rc)
            return under(rc, path, err);
    }
    c->n_criteria = n;
    return YJ_OK;
}

enum yj_err api_campaign_decode(const json_t *o, struct yj_arena *a, struct sel_campaign *c,
                                struct yj_error *err)
{
    if (!json_is_object(o))
        return yj_error_set(err, YJ_EINVAL, "body", "a JSON object is required");
    for (const char *const *k = campaign_readonly; *k; k++)
        if (json_object_get(o, *k))
            return yj_error_set(err, YJ_EINVAL, *k, "read-only field");
    enum yj_err rc = api_check_keys(o, campaign_keys, err);
    /* In a merge patch null clears; only what may be absent can be cleared. */
    static const char *const nullable[] = {
        "province", "city", "term_no", "opens_at", "notice_starts_at", "notice_ends_at", NULL};
    const char *key;
    json_t *val;
    json_object_foreach ((json_t *)(uintptr_t)o, key, val) {
        if (rc || !json_is_null(val))
            continue;
        const char *const *k = nullable;
        while (*k && strcmp(*k, key) != 0)
            k++;
        if (!*k)
            rc = yj_error_set(err, YJ_EINVAL, key, "cannot be cleared");
    }
    if (!rc && json_is_null(json_object_get(o, "term_no")))
        c->term_no = 0;
    if (!rc && json_is_null(json_object_get(o, "opens_at")))
        c->opens_at = 0;
    if (!rc && json_is_null(json_object_get(o, "notice_starts_at")))
        c->notice_starts_at = 0;
    if (!rc && json_is_null(json_object_get(o, "notice_ends_at")))
        c->notice_ends_at = 0;
    if (!rc)
        rc = api_get_string(o, "name", false, a, &c->name, err);
    if (!rc)
        rc = api_get_int(o, "term_no", false, 0, 1000, &c->term_no, err);
    if (!rc && json_object_get(o, "province"))
        c->province = NULL; /* null clears */
    if (!rc)
        rc = api_get_string(o, "province", false, a, &c->province, err);
    if (!rc && json_object_get(o, "city"))
        c->city = NULL;
    if (!rc)
        rc = api_get_string(o, "city", false, a, &c->city, err);
    if (!rc)
        rc = api_get_string(o, "title", false, a, &c->title, err);
    if (!rc)
        rc = api_get_time(o, "opens_at", false, &c->opens_at, err);
    if (!rc)
        rc = api_get_time(o, "deadline_at", false, &c->deadline_at, err);
    if (!rc)
        rc = api_get_int(o, "validity_years", false, INT64_MIN, INT64_MAX, &c->validity_years, err);
    if (!rc)
        rc = api_get_int(o, "places", false, INT64_MIN, INT64_MAX, &c->places, err);
    if (!rc)
        rc = api_get_string(o, "cert_number_pattern", false, a, &c->cert_number_pattern, err);
    if (!rc)
        rc = api_get_time(o, "notice_starts_at", false, &c->notice_starts_at, err);
    if (!rc)
        rc = api_get_time(o, "notice_ends_at", false, &c->notice_ends_at, err);
    const json_t *t = json_object_get(o, "thresholds");
    if (!rc && t && !json_is_null(t))
        rc = under(decode_thresholds(t, &c->thresholds, err), "thresholds", err);
    const json_t *arr;
    size_t n;
    if (!rc)
        rc = get_array(o, "authorities", SEL_AUTHORITIES_MAX, &arr, &n, err);
    if (!rc && arr) {
        c->authorities = yj_arena_calloc(a, n ? n : 1, sizeof *c->authorities);
        if (!c->authorities)
            return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
        for (size_t i = 0; i < n && !rc; i++) {
            const json_t *v = json_array_get(arr, i);
            if (!json_is_string(v)) {
                char path[48];
                snprintf(path, sizeof path, "authorities[%zu]", i);
                return yj_error_set(err, YJ_EINVAL, path, "must be a string");
            }
            c->authorities[i] = yj_arena_strdup(a, json_string_value(v));
        }
        c->n_authorities = n;
    }
    if (!rc)
        rc = decode_criteria(o, a, c, err);
    return rc;
}

json_t *api_campaign_encode(const struct sel_campaign *c)
{
    json_t *o = json_pack("{s:I,s:I,s:s}", "id", (json_int_t)c->id, "version",
                          (json_int_t)c->version, "name", c->name);
    if (c->term_no)
        json_object_set_new(o, "term_no", json_integer(c->term_no));
    if (c->province)
        json_object_set_new(o, "province", json_string(c->province));
    if (c->city)
        json_object_set_new(o, "city", json_string(c->city));
    json_object_set_new(o, "title", json_string(c->title));
    json_object_set_new(o, "stage", json_string(sel_stage_code(c->stage)));
    json_object_set_new(o, "opens_at", api_time(c->opens_at));
    json_object_set_new(o, "deadline_at", api_time(c->deadline_at));
    json_object_set_new(o, "validity_years", json_integer(c->validity_years));
    json_object_set_new(o, "places", json_integer(c->places));
    json_object_set_new(o, "cert_number_pattern", json_string(c->cert_number_pattern));
    const struct sel_thresholds *t = &c->thresholds;
    json_object_set_new(o, "thresholds",
                        json_pack("{s:I,s:I,s:I,s:b,s:I,s:b}", "min_registered_capital",
                                  (json_int_t)t->min_registered_capital, "min_years_in_field",
                                  (json_int_t)t->min_years_in_field, "min_certified_staff",
                                  (json_int_t)t->min_certified_staff, "require_office_in_province",
                                  t->require_office_in_province, "min_capability_fields",
                                  (json_int_t)t->min_capability_fields, "require_declarations",
                                  t->require_declarations));
    json_t *auth = json_array(), *crit = json_array();
    for (size_t i = 0; i < c->n_authorities; i++)
        json_array_append_new(auth, json_string(c->authorities[i]));
    for (size_t i = 0; i < c->n_criteria; i++)
        json_array_append_new(crit, json_pack("{s:s,s:s,s:I}", "code", c->criteria[i].code, "name",
                                              c->criteria[i].name, "max_points",
                                              (json_int_t)c->criteria[i].max_points));
    json_object_set_new(o, "authorities", auth);
    json_object_set_new(o, "criteria", crit);
    json_object_set_new(o, "notice_starts_at", api_time(c->notice_starts_at));
    json_object_set_new(o, "notice_ends_at", api_time(c->notice_ends_at));
    json_object_set_new(o, "published_at", api_time(c->published_at));
    json_object_set_new(o, "valid_from", c->valid_from ? json_string(c->valid_from) : json_null());
    json_object_set_new(o, "valid_to", c->valid_to ? json_string(c->valid_to) : json_null());
    json_object_set_new(o, "closed_at", api_time(c->closed_at));
    json_object_set_new(o, "created_at", api_time(c->created_at));
    json_object_set_new(o, "updated_at", api_time(c->updated_at));
    return o;
}
