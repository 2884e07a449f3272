/*
 * constituency_api.c - the constituency over HTTP (api_constituency.h): the
 * authority keeps the constituents, auditors read them; resolve answers who owns
 * an IP, domain, URL or e-mail address (intel/constituency.h).
 */
#include <stdlib.h>
#include <string.h>

#include "api/api_constituency.h"
#include "api/api_int.h"
#include "intel/intel.h"
#include "store/store_constituency.h"
#include "units/units.h"

/* --- encoding ------------------------------------------------------------------------------ */

static json_t *strings_json(const char *const *v, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_string(v[i]));
    return arr;
}

static json_t *constituent_json(const struct store_constituent *c)
{
    json_t *asns = json_array(), *contacts = json_array();
    for (size_t i = 0; i < c->n_asns; i++)
        json_array_append_new(asns, json_integer(c->asns[i]));
    for (size_t i = 0; i < c->n_contacts; i++) {
        const struct store_constituent_contact *k = &c->contacts[i];
        json_array_append_new(contacts, json_pack("{s:s,s:o,s:o,s:o}", "role", k->role, "name",
                                                  api_str_or_null(k->name), "email",
                                                  api_str_or_null(k->email), "phone",
                                                  api_str_or_null(k->phone)));
    }
    return json_pack("{s:I,s:I,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id",
                     (json_int_t)c->id, "version", (json_int_t)c->version, "name", c->name, "kind",
                     c->kind, "province", api_str_or_null(c->province), "city",
                     api_str_or_null(c->city), "notes", api_str_or_null(c->notes), "ranges",
                     strings_json(c->ranges, c->n_ranges), "asns", asns, "domains",
                     strings_json(c->domains, c->n_domains), "contacts", contacts, "created_at",
                     api_time(c->created_at), "updated_at", api_time(c->updated_at));
}

static void send_constituent(struct http_request *req, struct http_response *resp, int status,
                             const struct store_constituent *c)
{
    http_response_header(resp, "ETag", api_etag(req->arena, c->version));
    http_response_json(resp, status, constituent_json(c));
}

/* --- decoding ------------------------------------------------------------------------------ */

static enum yj_err bad_item(struct yj_error *err, struct yj_arena *a, const char *key, size_t i,
                            const char *msg)
{
    return yj_error_set(err, YJ_EINVAL, yj_arena_printf(a, "%s[%zu]", key, i), "%s", msg);
}

/* The array body[key] (absent: *present false), at most max entries. */
static enum yj_err get_array(const json_t *body, const char *key, size_t max, const json_t **out,
                             struct yj_error *err)
{
    *out = json_object_get(body, key);
    if (*out && (!json_is_array(*out) || json_array_size(*out) > max))
        return yj_error_set(err, YJ_EINVAL, key, "must be an array of at most %zu entries", max);
    return YJ_OK;
}

/* ranges or domains: each canonicalised, none twice. */
static enum yj_err decode_owned(const json_t *body, const char *key, bool cidr, struct yj_arena *a,
                                const char ***out, size_t *n, struct yj_error *err)
{
    const json_t *arr;
    enum yj_err rc = get_array(body, key, API_CONSTITUENT_LIST_MAX, &arr, err);
    if (rc || !arr)
        return rc;
    *n = 0;
    *out = yj_arena_calloc(a, json_array_size(arr) + 1, sizeof **out);
    for (size_t i = 0; i < json_array_size(arr); i++) {
        const char *raw = json_string_value(json_array_get(arr, i));
        const char *field = yj_arena_printf(a, "%s[%zu]", key, i);
        const char *v = NULL;
        if (!raw)
            return bad_item(err, a, key, i, cidr ? "must be a CIDR range" : "must be a domain");
        if (cidr) {
            /* A bare address is the range of that one address. */
            bool v6 = strchr(raw, ':') != NULL;
            const char *r =
                strchr(raw, '/') ? raw : yj_arena_printf(a, "%s/%d", raw, v6 ? 128 : 32);
            rc = intel_canonical(v6 ? INTEL_CIDR6 : INTEL_CIDR4, r, field, a, &v, err);
        } else {
            rc = intel_canonical(INTEL_DOMAIN, raw, field, a, &v, err);
        }
        if (rc)
            return rc;
        for (size_t j = 0; j < *n; j++)
            if (!strcmp((*out)[j], v))
                return bad_item(err, a, key, i, "listed twice");
        (*out)[(*n)++] = v;
    }
    return YJ_OK;
}

/* An AS number written 4134 or "AS4134" (any case), 1 to 4294967295: 0 and *asn set, or -1. */
static int asn_parse(const char *s, int64_t *asn)
{
    if (s && (s[0] == 'A' || s[0] == 'a') && (s[1] == 'S' || s[1] == 's'))
        s += 2;
    return s ? yj_parse_i64(s, 1, 4294967295LL, asn) : -1;
}

static enum yj_err decode_asns(const json_t *body, struct yj_arena *a, struct store_constituent *c,
                               struct yj_error *err)
{
    const json_t *arr;
    enum yj_err rc = get_array(body, "asns", API_CONSTITUENT_LIST_MAX, &arr, err);
    if (rc || !arr)
        return rc;
    c->n_asns = 0;
    c->asns = yj_arena_calloc(a, json_array_size(arr) + 1, sizeof *c->asns);
    for (size_t i = 0; i < json_array_size(arr); i++) {
        const json_t *v = json_array_get(arr, i);
        json_int_t asn = json_is_integer(v) ? json_integer_value(v) : 0;
        const char *s = json_string_value(v);
        int64_t parsed;
        /* "AS4134" as well as 4134: both are how AS numbers are written. */
        if (s && (s[0] == 'A' || s[0] == 'a') && !asn_parse(s, &parsed))
            asn = parsed;
        if (asn < 1 || asn > 4294967295LL)
            return bad_item(err, a, "asns", i, "must be an AS number (1 to 4294967295)");
        c->asns[c->n_asns++] = asn;
    }
    return YJ_OK;
}

static enum yj_err decode_contacts(const json_t *body, struct yj_arena *a,
                                   struct store_constituent *c, struct yj_error *err)
{
    static const char *const keys[] = {"role", "name", "email", "phone", NULL};
    const json_t *arr;
    enum yj_err rc = get_array(body, "contacts", API_CONSTITUENT_CONTACTS_MAX, &arr, err);
    if (rc || !arr)
        return rc;
    c->n_contacts = json_array_size(arr);
    c->contacts = yj_arena_calloc(a, c->n_contacts + 1, sizeof *c->contacts);
    for (size_t i = 0; i < c->n_contacts; i++) {
        const json_t *o = json_array_get(arr, i);
        struct store_constituent_contact *k = &c->contacts[i];
        struct yj_error inner = {0};
        if (!json_is_object(o))
            return bad_item(err, a, "contacts", i, "must be an object");
        rc = api_check_keys(o, keys, &inner);
        if (!rc)
            rc = api_get_text(o, "role", true, 16, a, &k->role, &inner);
        if (!rc && strcmp(k->role, "abuse") && strcmp(k->role, "security") &&
            strcmp(k->role, "other"))
            rc = yj_error_set(&inner, YJ_EINVAL, "role", "must be abuse, security or other");
        if (!rc)
            rc = api_get_text(o, "name", false, 100, a, &k->name, &inner);
        if (!rc)
            rc = api_get_text(o, "email", false, 254, a, &k->email, &inner);
        if (!rc && k->email)
            rc = intel_canonical(INTEL_EMAIL, k->email, "email", a, &k->email, &inner);
        if (!rc)
            rc = api_get_text(o, "phone", false, 40, a, &k->phone, &inner);
        if (!rc && !k->email && !k->phone)
            rc = yj_error_set(&inner, YJ_EINVAL, "email", "an e-mail address or a phone is needed");
        if (rc)
            return yj_error_set(err, rc, yj_arena_printf(a, "contacts[%zu].%s", i, inner.field),
                                "%s", inner.msg);
    }
    return YJ_OK;
}

/* The body over c: every field optional on PATCH, name and kind required on POST. */
static enum yj_err decode(const json_t *body, bool create, struct yj_arena *a,
                          struct store_constituent *c, struct yj_error *err)
{
    static const char *const keys[] = {"name",   "kind", "province", "city",     "notes",
                                       "ranges", "asns", "domains",  "contacts", NULL};
    static const char *const kinds[] = {"operator", "platform", "government", "cii", "other"};
    enum yj_err rc = api_check_keys(body, keys, err);
    if (!rc)
        rc = api_get_text(body, "name", create, 200, a, &c->name, err);
    if (!rc)
        rc = api_get_text(body, "kind", create, 16, a, &c->kind, err);
    bool kind_ok = false;
    for (size_t i = 0; !rc && i < YJ_ARRAY_LEN(kinds); i++)
        kind_ok = kind_ok || !strcmp(c->kind, kinds[i]);
    if (!rc && !kind_ok)
        rc = yj_error_set(err, YJ_EINVAL, "kind",
                          "must be operator, platform, government, cii or other");
    /* null clears the optional texts. */
    static const char *const opt[] = {"province", "city", "notes"};
    const char **dst[] = {&c->province, &c->city, &c->notes};
    static const size_t max[] = {20, 100, 4000};
    for (size_t i = 0; !rc && i < 3; i++) {
        if (json_is_null(json_object_get(body, opt[i])))
            *dst[i] = NULL;
        else
            rc = api_get_text(body, opt[i], false, max[i], a, dst[i], err);
    }
    bool province_ok = !c->province;
    for (size_t i = 0; !rc && !province_ok && i < unit_provinces_count; i++)
        province_ok = !strcmp(c->province, unit_provinces[i]);
    if (!rc && !province_ok)
        rc = yj_error_set(err, YJ_EINVAL, "province", "must be a province, e.g. 北京市");
    if (!rc)
        rc = decode_owned(body, "ranges", true, a, &c->ranges, &c->n_ranges, err);
    if (!rc)
        rc = decode_owned(body, "domains", false, a, &c->domains, &c->n_domains, err);
    if (!rc)
        rc = decode_asns(body, a, c, err);
    if (!rc)
        rc = decode_contacts(body, a, c, err);
    return rc;
}

/* --- handlers ------------------------------------------------------------------------------ */

static enum yj_err audit(struct store_tx *tx, const struct auth_subject *who,
                         struct http_request *req, const char *action, int64_t id,
                         const json_t *changes, int64_t now, struct yj_error *err)
{
    return api_audit_json(tx, who, req, action, "constituent", id, changes, now, err);
}

void api_constituents_create(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const none[] = {NULL};
    struct auth_subject who;
    json_t *body = NULL;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_CONSTITUENCY_MANAGE, NULL) ||
        !api_query_only(req, resp, none) || !(body = api_body(req, resp)))
        return;
    struct yj_error err;
    int64_t now = yj_now_ms(app->clock);
    struct store_constituent c = {0};
    struct store_tx *tx = NULL;
    enum yj_err rc = decode(body, true, req->arena, &c, &err);
    if (!rc)
        rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_constituent_insert(tx, &c, now, &err);
    if (!rc)
        rc = audit(tx, &who, req, "constituent.create", c.id, body, now, &err);
    json_decref(body);
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    send_constituent(req, resp, 201, &c);
}

void api_constituents_list(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const allowed[] = {"kind", "q", "limit", "cursor", NULL};
    struct auth_subject who;
    struct api_page page;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_CONSTITUENCY_READ, NULL) ||
        !api_query_only(req, resp, allowed) || !api_page_parse(req, resp, &page))
        return;
    struct store_constituent_query q = {.kind = http_query(req, "kind"),
                                        .q = http_query(req, "q"),
                                        .after_id = page.after,
                                        .limit = page.limit + 1};
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_constituent *items = NULL;
    size_t n = 0;
    enum yj_err rc = YJ_OK;
    if (q.q && strlen(q.q) > 200)
        rc = yj_error_set(&err, YJ_EINVAL, "q", "too long");
    if (!rc)
        rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_constituent_list(tx, &q, req->arena, &items, &n, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    bool more = api_page_trim(&page, &n);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, constituent_json(&items[i]));
    api_list(resp, arr, more, n ? items[n - 1].id : 0);
}

/* The owner of ?asn= (4134 or "AS4134"): {"owner", "matched": "AS4134"}. */
static void resolve_asn(struct api_app *app, struct http_response *resp, struct yj_arena *a,
                        const char *raw)
{
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_constituent c;
    int64_t asn = 0, owner = 0;
    enum yj_err rc = YJ_OK;
    if (asn_parse(raw, &asn))
        rc = yj_error_set(&err, YJ_EINVAL, "asn", "must be an AS number (1 to 4294967295)");
    if (!rc)
        rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_constituent_asn_owner(tx, asn, &owner, &err);
    if (!rc && owner)
        rc = store_constituent_get(tx, owner, a, &c, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_json(
        resp, 200,
        json_pack("{s:o,s:o}", "owner", owner ? constituent_json(&c) : json_null(), "matched",
                  owner ? json_string(yj_arena_printf(a, "AS%lld", (long long)asn)) : json_null()));
}

static void asn_given(const char *name, void *seen)
{
    if (strcmp(name, "asn") == 0)
        *(bool *)seen = true;
}

/* GET /api/v1/constituents/resolve?value= or ?asn=, exactly one of them. */
void api_constituents_resolve(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const allowed[] = {"value", "asn", NULL};
    struct auth_subject who;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_CONSTITUENCY_READ, NULL) ||
        !api_query_only(req, resp, allowed))
        return;
    const char *value = http_query(req, "value"), *asn = http_query(req, "asn");
    bool asn_seen = false;
    /* A bare "?asn" has no value to look up, yet it asked by AS number. */
    http_query_each(req, asn_given, &asn_seen);
    if (asn_seen && !asn)
        asn = "";
    struct yj_error err;
    if (value && asn) {
        yj_error_set(&err, YJ_EINVAL, "asn", "give value or asn, not both");
        api_fail(resp, &err);
        return;
    }
    if (asn) {
        resolve_asn(app, resp, req->arena, asn);
        return;
    }
    struct store_tx *tx = NULL;
    struct intel_owned *ranges = NULL, *domains = NULL;
    size_t nr = 0, nd = 0;
    struct intel_owner o = {0};
    struct store_constituent c;
    enum yj_err rc = YJ_OK;
    if (!value || !*value || strlen(value) > INTEL_VALUE_MAX)
        rc = yj_error_set(&err, YJ_EINVAL, "value",
                          "an IP, CIDR, domain, URL or e-mail address (or asn, an AS number)");
    if (!rc)
        rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_constituency_owned(tx, req->arena, &ranges, &nr, &domains, &nd, &err);
    if (!rc)
        rc = intel_constituency_resolve(ranges, nr, domains, nd, value, "value", req->arena, &o,
                                        &err);
    if (!rc && o.owner)
        rc = store_constituent_get(tx, o.owner, req->arena, &c, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_json(resp, 200,
                       json_pack("{s:o,s:o}", "owner", o.owner ? constituent_json(&c) : json_null(),
                                 "matched", api_str_or_null(o.matched)));
}

void api_constituents_get(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const none[] = {NULL};
    struct auth_subject who;
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_CONSTITUENCY_READ, NULL) ||
        !api_query_only(req, resp, none) || !(id = api_param_id(req, resp, 0)))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_constituent c;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_constituent_get(tx, id, req->arena, &c, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    send_constituent(req, resp, 200, &c);
}

void api_constituents_patch(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const none[] = {NULL};
    struct auth_subject who;
    int64_t id, want;
    json_t *body = NULL;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_CONSTITUENCY_MANAGE, NULL) ||
        !api_query_only(req, resp, none) || !(id = api_param_id(req, resp, 0)) ||
        !(want = api_if_match(req, resp, false)) || !(body = api_body(req, resp)))
        return;
    struct yj_error err;
    int64_t now = yj_now_ms(app->clock);
    struct store_tx *tx = NULL;
    struct store_constituent c;
    enum yj_err rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_constituent_get(tx, id, req->arena, &c, &err);
    if (!rc && want != c.version)
        rc = yj_error_set(&err, YJ_EPRECOND, "If-Match", "the constituent changed meanwhile");
    if (!rc)
        rc = decode(body, false, req->arena, &c, &err);
    if (!rc)
        rc = store_constituent_update(tx, &c, now, &err);
    if (!rc)
        rc = audit(tx, &who, req, "constituent.update", id, body, now, &err);
    json_decref(body);
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    send_constituent(req, resp, 200, &c);
}

void api_constituents_delete(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const none[] = {NULL};
    struct auth_subject who;
    int64_t id, want;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_CONSTITUENCY_MANAGE, NULL) ||
        !api_query_only(req, resp, none) || !(id = api_param_id(req, resp, 0)) ||
        !(want = api_if_match(req, resp, false)))
        return;
    struct yj_error err;
    int64_t now = yj_now_ms(app->clock);
    struct store_tx *tx = NULL;
    struct store_constituent c;
    json_t *was = NULL;
    enum yj_err rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_constituent_get(tx, id, req->arena, &c, &err);
    if (!rc)
        rc = store_constituent_delete(tx, id, want, now, &err);
    /* The entry keeps what it owned: deleting gives its ranges and domains up. */
    if (!rc)
        rc =
            audit(tx, &who, req, "constituent.delete", id, (was = constituent_json(&c)), now, &err);
    json_decref(was);
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_empty(resp);
}
