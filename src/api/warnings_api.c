/*
 * warnings_api.c - /api/v1/early-warnings and /api/v1/bulletins: a unit (or the
 * authority) writes an early-warning report on a major security event (time,
 * description, cause, impact, affected products and versions, countermeasures,
 * analysis, CVE / CNVD / CNNVD ids, a warning colour), submits it; the authority
 * publishes, returns or rejects it. A published warning is a bulletin every unit
 * reads; otherwise a unit sees its own warnings only. Every change is audited.
 */
#include "api/api_int.h"
#include "api/api_threats.h"

/* --- encoding ------------------------------------------------------------------------------- */

/* The warning's row; bulletin: as another unit reads it (no review details). */
static json_t *warning_json(const struct store_warning *w, bool bulletin)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(w->id));
    json_object_set_new(o, "version", json_integer(w->version));
    json_object_set_new(o, "unit_id", api_id_or_null(w->unit_id));
    json_object_set_new(o, "unit_name", api_str_or_null(w->unit_name));
    json_object_set_new(o, "title", json_string(w->title));
    json_object_set_new(o, "event_at", api_time(w->event_at));
    json_object_set_new(o, "description", api_str_or_null(w->description));
    json_object_set_new(o, "cause", api_str_or_null(w->cause));
    json_object_set_new(o, "impact", api_str_or_null(w->impact));
    json_object_set_new(o, "countermeasures", api_str_or_null(w->countermeasures));
    json_object_set_new(o, "analysis", api_str_or_null(w->analysis));
    json_object_set_new(o, "colour",
                        w->has_colour ? json_string(warn_colour_code(w->colour)) : json_null());
    json_object_set_new(o, "colour_name_zh",
                        w->has_colour ? json_string(warn_colour_name_zh(w->colour)) : json_null());
    json_object_set_new(o, "status", json_string(warn_status_code(w->status)));
    json_object_set_new(o, "status_name_zh", json_string(warn_status_name_zh(w->status)));
    json_object_set_new(o, "published_at", api_time(w->published_at));
    if (!bulletin) {
        json_object_set_new(o, "submitted_at", api_time(w->submitted_at));
        json_object_set_new(o, "review_comment", api_str_or_null(w->review_comment));
        json_object_set_new(o, "reviewed_by", api_id_or_null(w->reviewed_by));
        json_object_set_new(o, "reviewed_at", api_time(w->reviewed_at));
        json_object_set_new(o, "created_by", json_integer(w->created_by));
        json_object_set_new(o, "created_at", api_time(w->created_at));
        json_object_set_new(o, "updated_at", api_time(w->updated_at));
    }
    return o;
}

/* The warning with its products and ids, and (unless bulletin) its reviews. */
static enum yj_err warning_full(struct store_tx *tx, struct yj_arena *a,
                                const struct store_warning *w, bool bulletin, json_t **out,
                                struct yj_error *err)
{
    struct store_warning_product *p;
    struct store_warning_ref *f;
    struct store_review *rv = NULL;
    size_t np, nf, nr = 0;
    enum yj_err rc = store_warning_products(tx, w->id, a, &p, &np, err);
    if (!rc)
        rc = store_warning_refs(tx, w->id, a, &f, &nf, err);
    if (!rc && !bulletin)
        rc = store_warning_reviews(tx, w->id, a, &rv, &nr, err);
    if (rc)
        return rc;
    json_t *o = warning_json(w, bulletin), *arr = json_array();
    for (size_t k = 0; k < np; k++)
        json_array_append_new(arr, json_pack("{s:o,s:s,s:o}", "vendor",
                                             api_str_or_null(p[k].vendor), "product", p[k].product,
                                             "versions", api_str_or_null(p[k].versions)));
    json_object_set_new(o, "affected_products", arr);
    arr = json_array();
    for (size_t k = 0; k < nf; k++)
        json_array_append_new(arr, json_string(f[k].ref));
    json_object_set_new(o, "references", arr);
    if (!bulletin) {
        arr = json_array();
        for (size_t k = 0; k < nr; k++)
            json_array_append_new(arr, api_review_json(&rv[k]));
        json_object_set_new(o, "reviews", arr);
    }
    *out = o;
    return YJ_OK;
}

static void send_warning(struct http_request *req, struct http_response *resp, int status,
                         json_t *o, int64_t version)
{
    http_response_header(resp, "ETag", api_etag(req->arena, version));
    http_response_json(resp, status, o);
}

/* --- access ----------------------------------------------------------------------------------- */

/*
 * Loads warning id and asks the policy whether who may do action on it: a unit on its
 * own unit's warnings; reading, also any published warning (a bulletin, *bulletin set
 * when that is the only reason). Otherwise YJ_ENOTFOUND "not found".
 */
static enum yj_err warning_load(struct store_tx *tx, struct yj_arena *a,
                                const struct auth_subject *who, enum auth_action action, int64_t id,
                                struct store_warning *w, bool *bulletin, struct yj_error *err)
{
    *bulletin = false;
    enum yj_err rc = store_warning_get(tx, id, a, w, err);
    if (rc == YJ_ENOTFOUND)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "not found");
    if (rc)
        return rc;
    struct auth_object obj = {.unit_id = w->unit_id ? w->unit_id : -1};
    rc = auth_policy_check(who, action, &obj, err);
    if (rc == YJ_ENOTFOUND && action == AUTH_WARNING_READ && w->status == WARN_PUBLISHED) {
        *bulletin = true;
        rc = auth_policy_check(who, AUTH_BULLETIN_READ, NULL, err);
    }
    return rc;
}

/* As api_threat_owner_check, for warnings. */
static enum yj_err owner_check(const struct auth_subject *who, const struct store_warning *w,
                               struct yj_error *err)
{
    int64_t mine = who->role == AUTH_ROLE_UNIT ? who->unit_id : 0;
    if (w->unit_id != mine)
        return yj_error_set(err, YJ_EPERM, NULL, "only whoever wrote the warning changes it");
    if (!warn_status_editable(w->status))
        return yj_error_set(err, YJ_ECONFLICT, "status", "a %s warning is not changed",
                            warn_status_code(w->status));
    return YJ_OK;
}

/* --- decoding --------------------------------------------------------------------------------- */

struct lists {
    struct store_warning_product *products;
    size_t n_products;
    bool products_given;
    struct store_warning_ref *refs;
    size_t n_refs;
    bool refs_given;
};

static enum yj_err at(struct yj_error *err, const char *key, size_t i)
{
    char prefix[48];
    snprintf(prefix, sizeof prefix, "%s[%zu]", key, i);
    yj_error_prefix_field(err, prefix);
    return err->code;
}

static enum yj_err decode_products(const json_t *v, struct yj_arena *a, struct lists *l,
                                   struct yj_error *err)
{
    static const char *const keys[] = {"vendor", "product", "versions", NULL};
    if (!json_is_array(v))
        return yj_error_set(err, YJ_EINVAL, "affected_products", "must be an array");
    if (json_array_size(v) > WARN_PRODUCTS_MAX)
        return yj_error_set(err, YJ_EINVAL, "affected_products", "at most %d", WARN_PRODUCTS_MAX);
    l->n_products = json_array_size(v);
    l->products = yj_arena_calloc(a, l->n_products + 1, sizeof *l->products);
    if (!l->products)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    size_t i;
    const json_t *it;
    json_array_foreach (v, i, it) {
        struct store_warning_product *p = &l->products[i];
        enum yj_err rc = json_is_object(it)
                             ? api_check_keys(it, keys, err)
                             : yj_error_set(err, YJ_EINVAL, NULL, "must be an object");
        if (!rc)
            rc = api_get_text(it, "vendor", false, THREAT_TITLE_MAX, a, &p->vendor, err);
        if (!rc)
            rc = api_get_text(it, "product", true, THREAT_TITLE_MAX, a, &p->product, err);
        if (!rc)
            rc = api_get_text(it, "versions", false, THREAT_NOTE_MAX, a, &p->versions, err);
        if (rc)
            return at(err, "affected_products", i);
    }
    l->products_given = true;
    return YJ_OK;
}

static enum yj_err decode_refs(const json_t *v, struct yj_arena *a, struct lists *l,
                               struct yj_error *err)
{
    if (!json_is_array(v))
        return yj_error_set(err, YJ_EINVAL, "references", "must be an array");
    if (json_array_size(v) > WARN_REFS_MAX)
        return yj_error_set(err, YJ_EINVAL, "references", "at most %d", WARN_REFS_MAX);
    l->n_refs = json_array_size(v);
    l->refs = yj_arena_calloc(a, l->n_refs + 1, sizeof *l->refs);
    if (!l->refs)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    size_t i;
    const json_t *it;
    json_array_foreach (v, i, it) {
        char field[48], id[WARN_REF_MAX];
        snprintf(field, sizeof field, "references[%zu]", i);
        if (!json_is_string(it))
            return yj_error_set(err, YJ_EINVAL, field, "must be a string");
        enum yj_err rc =
            warn_ref_canonical(json_string_value(it), field, id, &l->refs[i].kind, err);
        if (rc)
            return rc;
        if (!(l->refs[i].ref = yj_arena_strdup(a, id)))
            return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
        for (size_t k = 0; k < i; k++)
            if (strcmp(l->refs[k].ref, id) == 0)
                return yj_error_set(err, YJ_EINVAL, field, "repeats references[%zu]", k);
    }
    l->refs_given = true;
    return YJ_OK;
}

static const char *const warning_keys[] = {
    "title",           "event_at", "description", "cause",  "impact", "affected_products",
    "countermeasures", "analysis", "references",  "colour", NULL};

/* The fields of a create (create true: title required) or a PATCH (absent keys leave w
 * as it is; null clears the optional ones); lists replaced whole. */
static enum yj_err decode_warning(const json_t *o, bool create, struct yj_arena *a,
                                  struct store_warning *w, struct lists *l, struct yj_error *err)
{
    enum yj_err rc = api_check_keys(o, warning_keys, err);
    if (!rc)
        rc = api_get_text(o, "title", create || json_object_get(o, "title"), THREAT_TITLE_MAX, a,
                          &w->title, err);
    if (!rc && json_is_null(json_object_get(o, "event_at")))
        w->event_at = 0;
    else if (!rc)
        rc = api_get_time(o, "event_at", false, &w->event_at, err);
    static const char *const texts[] = {"description", "cause", "impact", "countermeasures",
                                        "analysis"};
    const char **slots[] = {&w->description, &w->cause, &w->impact, &w->countermeasures,
                            &w->analysis};
    for (size_t k = 0; !rc && k < YJ_ARRAY_LEN(texts); k++) {
        if (json_is_null(json_object_get(o, texts[k])))
            *slots[k] = NULL;
        else
            rc = api_get_text(o, texts[k], false, THREAT_TEXT_MAX, a, slots[k], err);
    }
    const json_t *v = json_object_get(o, "colour");
    if (!rc && json_is_null(v))
        w->has_colour = false;
    else if (!rc && v) {
        if (!json_is_string(v) || warn_colour_parse(json_string_value(v), &w->colour))
            rc = yj_error_set(err, YJ_EINVAL, "colour", "must be red, orange, yellow or blue");
        w->has_colour = true;
    }
    if (!rc && (v = json_object_get(o, "affected_products")))
        rc = decode_products(v, a, l, err);
    if (!rc && (v = json_object_get(o, "references")))
        rc = decode_refs(v, a, l, err);
    return rc;
}

static enum yj_err write_lists(struct store_tx *tx, int64_t id, const struct lists *l,
                               struct yj_error *err)
{
    enum yj_err rc = YJ_OK;
    if (l->products_given)
        rc = store_warning_products_set(tx, id, l->products, l->n_products, err);
    if (!rc && l->refs_given)
        rc = store_warning_refs_set(tx, id, l->refs, l->n_refs, err);
    return rc;
}

/* --- create and read ------------------------------------------------------------------------- */

void api_warnings_create(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    json_t *body;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_WARNING_WRITE, NULL) || !(body = api_body(req, resp)))
        return;
    struct yj_error err;
    int64_t now = yj_now_ms(app->clock);
    struct store_warning w = {
        .unit_id = who.role == AUTH_ROLE_UNIT ? who.unit_id : 0,
        .status = WARN_DRAFT,
        .created_by = who.user_id,
        .created_at = now,
        .updated_at = now,
    };
    struct lists l = {0};
    enum yj_err rc = decode_warning(body, true, req->arena, &w, &l, &err);
    json_decref(body);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    struct store_tx *tx = NULL;
    json_t *out = NULL;
    rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_warning_insert(tx, &w, &err);
    if (!rc)
        rc = write_lists(tx, w.id, &l, &err);
    if (!rc)
        rc = store_warning_get(tx, w.id, req->arena, &w, &err);
    if (!rc)
        rc = warning_full(tx, req->arena, &w, false, &out, &err);
    if (!rc)
        rc = api_threat_audit(tx, &who, req, "warning.create", "early_warning", w.id,
                              json_deep_copy(out), now, &err);
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        json_decref(out);
        api_fail(resp, &err);
        return;
    }
    http_response_header(
        resp, "Location",
        yj_arena_printf(req->arena, "/api/v1/early-warnings/%lld", (long long)w.id));
    send_warning(req, resp, 201, out, w.version);
}

/* A list page of q; bulletin: the bulletin view of each. */
static void list(struct api_app *app, struct http_request *req, struct http_response *resp,
                 struct store_warning_query *q, const struct api_page *page, bool bulletin)
{
    struct yj_error err;
    const char *ref = http_query(req, "ref");
    char canonical[WARN_REF_MAX];
    enum warn_ref_kind kind;
    enum warn_colour colour;
    enum warn_status status;
    enum yj_err rc = YJ_OK;
    if (q->colour && warn_colour_parse(q->colour, &colour))
        rc = yj_error_set(&err, YJ_EINVAL, "colour", "must be red, orange, yellow or blue");
    if (!rc && q->status && warn_status_parse(q->status, &status))
        rc = yj_error_set(&err, YJ_EINVAL, "status", "unknown status");
    if (!rc && ref && !(rc = warn_ref_canonical(ref, "ref", canonical, &kind, &err)))
        q->ref = canonical;
    struct store_tx *tx = NULL;
    struct store_warning *items = NULL;
    size_t n = 0;
    if (!rc)
        rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_warning_list(tx, q, req->arena, &items, &n, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    bool more = api_page_trim(page, &n);
    json_t *arr = json_array();
    for (size_t k = 0; k < n; k++)
        json_array_append_new(arr, warning_json(&items[k], bulletin));
    api_list(resp, arr, more, n ? items[n - 1].id : 0);
}

/* ?status, colour, ref, unit_id: a unit's own warnings; every one for the others. */
void api_warnings_list(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    static const char *const allowed[] = {"status", "colour", "ref", "unit_id",
                                          "limit",  "cursor", NULL};
    struct api_page page;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_WARNING_READ, NULL) ||
        !api_query_only(req, resp, allowed) || !api_page_parse(req, resp, &page))
        return;
    struct store_warning_query q = {
        .status = http_query(req, "status"),
        .colour = http_query(req, "colour"),
        .after_id = page.after,
        .limit = page.limit + 1,
    };
    const char *u = http_query(req, "unit_id");
    if (u && yj_parse_i64(u, 1, INT64_MAX, &q.unit_id)) {
        struct yj_error err;
        yj_error_set(&err, YJ_EINVAL, "unit_id", "must be a unit id");
        api_fail(resp, &err);
        return;
    }
    if (auth_policy_scope(who.role, AUTH_WARNING_READ) == AUTH_OWN_UNIT)
        q.unit_id = who.unit_id;
    list(app, req, resp, &q, &page, false);
}

/* ?colour, ref: published warnings, newest first; every unit reads them. */
void api_bulletins_list(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    static const char *const allowed[] = {"colour", "ref", "limit", "cursor", NULL};
    struct api_page page;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_BULLETIN_READ, NULL) ||
        !api_query_only(req, resp, allowed) || !api_page_parse(req, resp, &page))
        return;
    struct store_warning_query q = {
        .published_only = true,
        .colour = http_query(req, "colour"),
        .after_id = page.after,
        .limit = page.limit + 1,
    };
    list(app, req, resp, &q, &page, true);
}

void api_warnings_get(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const none[] = {NULL};
    struct auth_subject who;
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_WARNING_READ, NULL) || !api_query_only(req, resp, none) ||
        !(id = api_param_id(req, resp, 0)))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_warning w;
    bool bulletin = false;
    json_t *out = NULL;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = warning_load(tx, req->arena, &who, AUTH_WARNING_READ, id, &w, &bulletin, &err);
    if (!rc)
        rc = warning_full(tx, req->arena, &w, bulletin, &out, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    send_warning(req, resp, 200, out, w.version);
}

/* --- changes ---------------------------------------------------------------------------------- */

typedef enum yj_err (*change_fn)(struct http_request *req, const struct auth_subject *who,
                                 struct store_tx *tx, const json_t *body, struct store_warning *w,
                                 struct lists *l, int64_t now, json_t **changes,
                                 struct yj_error *err);

/* As threats_api.c's frame: If-Match, one write transaction, audit, the whole warning. */
static void change(struct api_app *app, struct http_request *req, struct http_response *resp,
                   enum auth_action action, const char *audit_action, bool needs_body, change_fn fn)
{
    struct auth_subject who;
    int64_t id, want;
    json_t *body = NULL;
    if (!api_authenticate(app, req, resp, &who) || !api_allow(req, resp, &who, action, NULL) ||
        !(id = api_param_id(req, resp, 0)) || !(want = api_if_match(req, resp, false)) ||
        (needs_body && !(body = api_body(req, resp))))
        return;
    struct yj_error err;
    int64_t now = yj_now_ms(app->clock);
    struct store_tx *tx = NULL;
    struct store_warning w;
    struct lists l = {0};
    bool bulletin;
    json_t *changes = NULL, *out = NULL;
    enum yj_err rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = warning_load(tx, req->arena, &who, action, id, &w, &bulletin, &err);
    if (!rc && want != w.version)
        rc = yj_error_set(&err, YJ_EPRECOND, "If-Match", "the warning changed meanwhile");
    if (!rc)
        rc = fn(req, &who, tx, body, &w, &l, now, &changes, &err);
    json_decref(body);
    if (!rc) {
        w.updated_at = now;
        rc = store_warning_update(tx, &w, &err);
    }
    if (!rc)
        rc = write_lists(tx, w.id, &l, &err);
    if (!rc)
        rc = warning_full(tx, req->arena, &w, false, &out, &err);
    if (!rc) {
        rc = api_threat_audit(tx, &who, req, audit_action, "early_warning", w.id, changes, now,
                              &err);
        changes = NULL;
    }
    json_decref(changes);
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        json_decref(out);
        api_fail(resp, &err);
        return;
    }
    send_warning(req, resp, 200, out, w.version);
}

static enum yj_err do_patch(struct http_request *req, const struct auth_subject *who,
                            struct store_tx *tx, const json_t *body, struct store_warning *w,
                            struct lists *l, int64_t now, json_t **changes, struct yj_error *err)
{
    (void)tx, (void)now;
    enum yj_err rc = owner_check(who, w, err);
    if (!rc)
        rc = decode_warning(body, false, req->arena, w, l, err);
    if (!rc)
        *changes = json_deep_copy(body);
    return rc;
}

void api_warnings_patch(void *app, struct http_request *req, struct http_response *resp)
{
    change(app, req, resp, AUTH_WARNING_WRITE, "warning.update", true, do_patch);
}

static enum yj_err do_submit(struct http_request *req, const struct auth_subject *who,
                             struct store_tx *tx, const json_t *body, struct store_warning *w,
                             struct lists *l, int64_t now, json_t **changes, struct yj_error *err)
{
    (void)req, (void)tx, (void)body, (void)l;
    struct warn_facts f = {w->event_at,        w->description, w->cause,     w->impact,
                           w->countermeasures, w->analysis,    w->has_colour};
    enum yj_err rc = owner_check(who, w, err);
    if (!rc)
        rc = warn_submit_check(w->status, &f, err);
    if (rc)
        return rc;
    *changes = json_pack("{s:s,s:s,s:I}", "from", warn_status_code(w->status), "to", "submitted",
                         "version", (json_int_t)w->version);
    w->status = WARN_SUBMITTED;
    w->submitted_at = now;
    return YJ_OK;
}

void api_warnings_submit(void *app, struct http_request *req, struct http_response *resp)
{
    change(app, req, resp, AUTH_WARNING_WRITE, "warning.submit", false, do_submit);
}

/* {"decision": "publish" | "return" | "reject", "comment"} */
static enum yj_err do_review(struct http_request *req, const struct auth_subject *who,
                             struct store_tx *tx, const json_t *body, struct store_warning *w,
                             struct lists *l, int64_t now, json_t **changes, struct yj_error *err)
{
    (void)l;
    static const char *const keys[] = {"decision", "comment", NULL};
    const char *code = NULL, *comment = NULL;
    enum warn_decision d = WARN_D_PUBLISH;
    enum warn_status to;
    enum yj_err rc = api_check_keys(body, keys, err);
    if (!rc)
        rc = api_get_text(body, "decision", true, 32, req->arena, &code, err);
    if (!rc && warn_decision_parse(code, &d))
        rc = yj_error_set(err, YJ_EINVAL, "decision", "must be publish, return or reject");
    if (!rc)
        rc = api_get_text(body, "comment", false, THREAT_TEXT_MAX, req->arena, &comment, err);
    if (!rc)
        rc = warn_review(w->status, d, comment, &to, err);
    struct store_review v = {.decision = code,
                             .comment = comment,
                             .version = w->version,
                             .reviewed_by = who->user_id,
                             .reviewed_at = now};
    if (!rc)
        rc = store_warning_review_add(tx, w->id, &v, err);
    if (rc)
        return rc;
    *changes = json_pack("{s:s,s:s,s:s,s:o,s:I}", "decision", code, "from",
                         warn_status_code(w->status), "to", warn_status_code(to), "comment",
                         api_str_or_null(comment), "version", (json_int_t)w->version);
    w->status = to;
    w->review_comment = comment;
    w->reviewed_by = who->user_id;
    w->reviewed_at = now;
    if (to == WARN_PUBLISHED)
        w->published_at = now;
    return YJ_OK;
}

void api_warnings_review(void *app, struct http_request *req, struct http_response *resp)
{
    change(app, req, resp, AUTH_WARNING_REVIEW, "warning.review", true, do_review);
}
