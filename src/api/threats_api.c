/*
 * threats_api.c - /api/v1/threat-reports: a unit (or the authority) files a
 * threat report (category, five-tuples, C&C and other indicators, propagation
 * path, affected hosts, a disposal suggestion pre-filled by category), edits it
 * while it is a draft or returned, submits it; the authority accepts, returns
 * or rejects it with a comment. Accepted reports per unit are counted for the
 * evaluation. Every change is audited in the transaction that makes it.
 *
 * A unit sees its own unit's reports only; the authority and auditors see all.
 */
#include "api/api_int.h"
#include "api/api_threats.h"
#include "api/api_indicators.h"

/* --- encoding ------------------------------------------------------------------------------ */

static json_t *disposal_json(const struct threat_disposal *d)
{
    json_t *blocks = json_array();
    for (int b = 0; b < THREAT_B__COUNT; b++)
        if (d->blocks & (1u << b))
            json_array_append_new(blocks, json_string(threat_block_code((enum threat_block)b)));
    return json_pack("{s:s,s:s,s:o,s:o}", "measure", threat_measure_code(d->measure),
                     "measure_name_zh", threat_measure_name_zh(d->measure), "blocks", blocks,
                     "text", api_str_or_null(d->text));
}

json_t *api_threat_json(const struct store_threat_report *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(r->id));
    json_object_set_new(o, "version", json_integer(r->version));
    json_object_set_new(o, "unit_id", api_id_or_null(r->unit_id));
    json_object_set_new(o, "unit_name", api_str_or_null(r->unit_name));
    json_object_set_new(o, "category", json_string(intel_category_code(r->category)));
    json_object_set_new(o, "category_name_zh", json_string(intel_category_name_zh(r->category)));
    json_object_set_new(o, "title", json_string(r->title));
    json_object_set_new(o, "summary", api_str_or_null(r->summary));
    json_object_set_new(o, "propagation_path", api_str_or_null(r->propagation_path));
    json_object_set_new(o, "affected", api_str_or_null(r->affected));
    json_object_set_new(o, "disposal", disposal_json(&r->disposal));
    json_object_set_new(o, "status", json_string(threat_status_code(r->status)));
    json_object_set_new(o, "status_name_zh", json_string(threat_status_name_zh(r->status)));
    json_object_set_new(o, "submitted_at", api_time(r->submitted_at));
    json_object_set_new(o, "review_comment", api_str_or_null(r->review_comment));
    json_object_set_new(o, "reviewed_by", api_id_or_null(r->reviewed_by));
    json_object_set_new(o, "reviewed_at", api_time(r->reviewed_at));
    json_object_set_new(o, "incident_id", api_id_or_null(r->incident_id));
    json_object_set_new(o, "created_by", json_integer(r->created_by));
    json_object_set_new(o, "created_at", api_time(r->created_at));
    json_object_set_new(o, "updated_at", api_time(r->updated_at));
    return o;
}

static json_t *port_json(int port)
{
    return port > 0 ? json_integer(port) : json_null();
}

static json_t *tuple_json(const struct threat_tuple *t)
{
    return json_pack("{s:s,s:o,s:s,s:o,s:s,s:o,s:o,s:I}", "src_ip", t->src_ip, "src_port",
                     port_json(t->src_port), "dst_ip", t->dst_ip, "dst_port",
                     port_json(t->dst_port), "protocol", t->protocol, "first_seen",
                     api_time(t->first_seen), "last_seen", api_time(t->last_seen), "count",
                     (json_int_t)t->count);
}

static json_t *indicator_json(const struct threat_indicator *i)
{
    return json_pack("{s:s,s:s,s:s,s:o}", "type", intel_type_code(i->type), "value", i->value,
                     "role", threat_role_code(i->role), "note", api_str_or_null(i->note));
}

json_t *api_threat_file_json(const struct store_threat_file *f)
{
    return json_pack("{s:I,s:I,s:s,s:s,s:s,s:I,s:o,s:I,s:o}", "report_id", (json_int_t)f->report_id,
                     "seq", (json_int_t)f->seq, "sha256", f->sha256, "filename", f->filename,
                     "media_type", f->media_type, "size", (json_int_t)f->size, "note",
                     api_str_or_null(f->note), "added_by", (json_int_t)f->added_by, "added_at",
                     api_time(f->added_at));
}

json_t *api_review_json(const struct store_review *v)
{
    return json_pack("{s:I,s:s,s:o,s:I,s:I,s:o,s:o}", "seq", (json_int_t)v->seq, "decision",
                     v->decision, "comment", api_str_or_null(v->comment), "version",
                     (json_int_t)v->version, "reviewed_by", (json_int_t)v->reviewed_by, "reviewer",
                     api_str_or_null(v->reviewer), "reviewed_at", api_time(v->reviewed_at));
}

/* The report with its five-tuples, indicators, reviews and files, read in tx. */
static enum yj_err report_full(struct store_tx *tx, struct yj_arena *a,
                               const struct store_threat_report *r, json_t **out,
                               struct yj_error *err)
{
    struct threat_tuple *t;
    struct threat_indicator *ind;
    struct store_review *rv;
    struct store_threat_file *f;
    size_t nt, ni, nr, nf;
    enum yj_err rc = store_threat_tuples(tx, r->id, a, &t, &nt, err);
    if (!rc)
        rc = store_threat_indicators(tx, r->id, a, &ind, &ni, err);
    if (!rc)
        rc = store_threat_reviews(tx, r->id, a, &rv, &nr, err);
    if (!rc)
        rc = store_threat_files(tx, r->id, a, &f, &nf, err);
    if (rc)
        return rc;
    json_t *o = api_threat_json(r), *arr = json_array();
    for (size_t k = 0; k < nt; k++)
        json_array_append_new(arr, tuple_json(&t[k]));
    json_object_set_new(o, "five_tuples", arr);
    arr = json_array();
    for (size_t k = 0; k < ni; k++)
        json_array_append_new(arr, indicator_json(&ind[k]));
    json_object_set_new(o, "indicators", arr);
    arr = json_array();
    for (size_t k = 0; k < nr; k++)
        json_array_append_new(arr, api_review_json(&rv[k]));
    json_object_set_new(o, "reviews", arr);
    arr = json_array();
    for (size_t k = 0; k < nf; k++)
        json_array_append_new(arr, api_threat_file_json(&f[k]));
    json_object_set_new(o, "files", arr);
    *out = o;
    return YJ_OK;
}

static void send_report(struct http_request *req, struct http_response *resp, int status, json_t *o,
                        int64_t version)
{
    http_response_header(resp, "ETag", api_etag(req->arena, version));
    http_response_json(resp, status, o);
}

/* --- shared ---------------------------------------------------------------------------------- */

enum yj_err api_threat_load(struct store_tx *tx, struct yj_arena *a, const struct auth_subject *who,
                            enum auth_action action, int64_t id, struct store_threat_report *r,
                            struct yj_error *err)
{
    enum yj_err rc = store_threat_get(tx, id, a, r, err);
    if (rc == YJ_ENOTFOUND)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "not found");
    /* The authority's own reports belong to no unit: -1 matches none. */
    struct auth_object obj = {.unit_id = r->unit_id ? r->unit_id : -1};
    return rc ? rc : auth_policy_check(who, action, &obj, err);
}

enum yj_err api_threat_owner_check(const struct auth_subject *who,
                                   const struct store_threat_report *r, struct yj_error *err)
{
    int64_t mine = who->role == AUTH_ROLE_UNIT ? who->unit_id : 0;
    if (r->unit_id != mine)
        return yj_error_set(err, YJ_EPERM, NULL, "only whoever filed the report changes it");
    if (!threat_status_editable(r->status))
        return yj_error_set(err, YJ_ECONFLICT, "status", "a %s report is not changed",
                            threat_status_code(r->status));
    return YJ_OK;
}

enum yj_err api_threat_audit(struct store_tx *tx, const struct auth_subject *who,
                             const struct http_request *req, const char *action,
                             const char *object_type, int64_t id, json_t *changes, int64_t now,
                             struct yj_error *err)
{
    enum yj_err rc = api_audit_json(tx, who, req, action, object_type, id, changes, now, err);
    json_decref(changes);
    return rc;
}

/* --- decoding -------------------------------------------------------------------------------- */

/* What a body gives besides the report's own fields: the lists, each replaced whole. */
struct lists {
    struct threat_tuple *tuples;
    size_t n_tuples;
    bool tuples_given;
    struct threat_indicator *inds;
    size_t n_inds;
    bool inds_given;
};

/* Prefixes err's field with "<key>[i]" and returns its code. */
static enum yj_err at(struct yj_error *err, const char *key, size_t i)
{
    char prefix[48];
    snprintf(prefix, sizeof prefix, "%s[%zu]", key, i);
    yj_error_prefix_field(err, prefix);
    return err->code;
}

/* disposal: {"measure", "blocks": [...], "text"}, replaced whole. */
static enum yj_err decode_disposal(const json_t *v, struct yj_arena *a, struct threat_disposal *d,
                                   struct yj_error *err)
{
    static const char *const keys[] = {"measure", "blocks", "text", NULL};
    const char *measure = NULL;
    if (!json_is_object(v))
        return yj_error_set(err, YJ_EINVAL, "disposal", "must be an object");
    enum yj_err rc = api_check_keys(v, keys, err);
    if (!rc)
        rc = api_get_text(v, "measure", true, 32, a, &measure, err);
    if (!rc && threat_measure_parse(measure, &d->measure))
        rc = yj_error_set(err, YJ_EINVAL, "measure",
                          "must be stop_service, block_resource, remove_malware, order_fix or "
                          "other");
    d->text = NULL;
    if (!rc)
        rc = api_get_text(v, "text", false, THREAT_TEXT_MAX, a, &d->text, err);
    if (rc) {
        yj_error_prefix_field(err, "disposal");
        return rc;
    }
    const json_t *b = json_object_get(v, "blocks"), *it;
    size_t i;
    d->blocks = 0;
    if (b && !json_is_null(b) && !json_is_array(b))
        return yj_error_set(err, YJ_EINVAL, "disposal.blocks", "must be an array");
    json_array_foreach (b, i, it) {
        enum threat_block k;
        if (!json_is_string(it) || threat_block_parse(json_string_value(it), &k)) {
            yj_error_set(err, YJ_EINVAL, NULL,
                         "must be domain_resolution, ip, url, account or number");
            return at(err, "disposal.blocks", i);
        }
        d->blocks |= 1u << k;
    }
    return threat_disposal_check(d, err);
}

static enum yj_err get_port(const json_t *o, const char *key, int *out, struct yj_error *err)
{
    int64_t v = -1;
    enum yj_err rc = api_get_int(o, key, false, 1, 65535, &v, err);
    *out = (int)v;
    return rc;
}

static enum yj_err decode_tuple(const json_t *o, int64_t now, struct yj_arena *a,
                                struct threat_tuple *t, struct yj_error *err)
{
    static const char *const keys[] = {"src_ip",     "src_port",  "dst_ip", "dst_port", "protocol",
                                       "first_seen", "last_seen", "count",  NULL};
    *t = (struct threat_tuple){.src_port = -1, .dst_port = -1, .count = 1};
    if (!json_is_object(o))
        return yj_error_set(err, YJ_EINVAL, NULL, "must be an object");
    enum yj_err rc = api_check_keys(o, keys, err);
    if (!rc)
        rc = api_get_text(o, "src_ip", true, 64, a, &t->src_ip, err);
    if (!rc)
        rc = get_port(o, "src_port", &t->src_port, err);
    if (!rc)
        rc = api_get_text(o, "dst_ip", true, 64, a, &t->dst_ip, err);
    if (!rc)
        rc = get_port(o, "dst_port", &t->dst_port, err);
    if (!rc)
        rc = api_get_text(o, "protocol", true, 16, a, &t->protocol, err);
    if (!rc)
        rc = api_get_time(o, "first_seen", false, &t->first_seen, err);
    if (!rc)
        rc = api_get_time(o, "last_seen", false, &t->last_seen, err);
    if (!rc)
        rc = api_get_int(o, "count", false, 1, INT64_MAX / 2, &t->count, err);
    return rc ? rc : threat_tuple_check(t, now, a, err);
}

static enum yj_err decode_tuples(const json_t *v, int64_t now, struct yj_arena *a, struct lists *l,
                                 struct yj_error *err)
{
    if (!json_is_array(v))
        return yj_error_set(err, YJ_EINVAL, "five_tuples", "must be an array");
    if (json_array_size(v) > THREAT_TUPLES_MAX)
        return yj_error_set(err, YJ_EINVAL, "five_tuples", "at most %d", THREAT_TUPLES_MAX);
    l->n_tuples = json_array_size(v);
    l->tuples = yj_arena_calloc(a, l->n_tuples + 1, sizeof *l->tuples);
    if (!l->tuples)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    size_t i;
    const json_t *it;
    json_array_foreach (v, i, it)
        if (decode_tuple(it, now, a, &l->tuples[i], err))
            return at(err, "five_tuples", i);
    l->tuples_given = true;
    return YJ_OK;
}

static enum yj_err decode_indicators(const json_t *v, struct yj_arena *a, struct lists *l,
                                     struct yj_error *err)
{
    static const char *const keys[] = {"type", "value", "role", "note", NULL};
    if (!json_is_array(v))
        return yj_error_set(err, YJ_EINVAL, "indicators", "must be an array");
    if (json_array_size(v) > THREAT_INDICATORS_MAX)
        return yj_error_set(err, YJ_EINVAL, "indicators", "at most %d", THREAT_INDICATORS_MAX);
    l->n_inds = json_array_size(v);
    l->inds = yj_arena_calloc(a, l->n_inds + 1, sizeof *l->inds);
    if (!l->inds)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    size_t i;
    const json_t *it;
    json_array_foreach (v, i, it) {
        const char *type = NULL, *value = NULL, *role = NULL, *note = NULL;
        struct threat_indicator *ind = &l->inds[i];
        enum yj_err rc = json_is_object(it)
                             ? api_check_keys(it, keys, err)
                             : yj_error_set(err, YJ_EINVAL, NULL, "must be an object");
        if (!rc)
            rc = api_get_text(it, "type", true, 16, a, &type, err);
        if (!rc)
            rc = api_get_text(it, "value", true, INTEL_VALUE_MAX, a, &value, err);
        if (!rc)
            rc = api_get_text(it, "role", true, 16, a, &role, err);
        if (!rc)
            rc = api_get_text(it, "note", false, THREAT_NOTE_MAX, a, &note, err);
        if (!rc)
            rc = threat_indicator_parse(type, value, role, a, ind, err);
        ind->note = note;
        /* The same value in the same role twice is a slip, not two indicators. */
        for (size_t k = 0; !rc && k < i; k++)
            if (l->inds[k].type == ind->type && l->inds[k].role == ind->role &&
                strcmp(l->inds[k].value, ind->value) == 0)
                rc = yj_error_set(err, YJ_EINVAL, "value", "repeats indicators[%zu]", k);
        if (rc)
            return at(err, "indicators", i);
    }
    l->inds_given = true;
    return YJ_OK;
}

static const char *const report_keys[] = {"category",         "title",      "summary",
                                          "propagation_path", "affected",   "disposal",
                                          "five_tuples",      "indicators", NULL};

/* The fields of a create (create true: category and title required; the disposal, if
 * absent, pre-filled from the category) or a PATCH (absent keys leave r as it is; null
 * clears summary, propagation_path and affected). */
static enum yj_err decode_report(const json_t *o, bool create, int64_t now, struct yj_arena *a,
                                 struct store_threat_report *r, struct lists *l,
                                 struct yj_error *err)
{
    const char *category = NULL;
    enum yj_err rc = api_check_keys(o, report_keys, err);
    if (!rc)
        rc = api_get_text(o, "category", create, 32, a, &category, err);
    if (!rc && category)
        rc = intel_category_parse(category, "category", &r->category, err);
    if (!rc)
        rc = api_get_text(o, "title", create || json_object_get(o, "title"), THREAT_TITLE_MAX, a,
                          &r->title, err);
    static const char *const texts[] = {"summary", "propagation_path", "affected"};
    const char **slots[] = {&r->summary, &r->propagation_path, &r->affected};
    for (size_t k = 0; !rc && k < YJ_ARRAY_LEN(texts); k++) {
        if (json_is_null(json_object_get(o, texts[k])))
            *slots[k] = NULL;
        else
            rc = api_get_text(o, texts[k], false, THREAT_TEXT_MAX, a, slots[k], err);
    }
    const json_t *v;
    if (!rc && (v = json_object_get(o, "disposal")))
        rc = decode_disposal(v, a, &r->disposal, err);
    else if (!rc && create)
        threat_disposal_default(r->category, &r->disposal);
    if (!rc && (v = json_object_get(o, "five_tuples")))
        rc = decode_tuples(v, now, a, l, err);
    if (!rc && (v = json_object_get(o, "indicators")))
        rc = decode_indicators(v, a, l, err);
    return rc;
}

/* Writes the lists the body gave. */
static enum yj_err write_lists(struct store_tx *tx, int64_t id, const struct lists *l,
                               struct yj_error *err)
{
    enum yj_err rc = YJ_OK;
    if (l->tuples_given)
        rc = store_threat_tuples_set(tx, id, l->tuples, l->n_tuples, err);
    if (!rc && l->inds_given)
        rc = store_threat_indicators_set(tx, id, l->inds, l->n_inds, err);
    return rc;
}

/* --- create and read ------------------------------------------------------------------------- */

/* POST: a draft of the caller's unit (or the authority's own). */
void api_threats_create(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    json_t *body;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_THREAT_WRITE, NULL) || !(body = api_body(req, resp)))
        return;
    struct yj_error err;
    int64_t now = yj_now_ms(app->clock);
    struct store_threat_report r = {
        .unit_id = who.role == AUTH_ROLE_UNIT ? who.unit_id : 0,
        .status = THREAT_DRAFT,
        .created_by = who.user_id,
        .created_at = now,
        .updated_at = now,
    };
    struct lists l = {0};
    enum yj_err rc = decode_report(body, true, now, req->arena, &r, &l, &err);
    json_decref(body);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    struct store_tx *tx = NULL;
    json_t *out = NULL;
    rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_threat_insert(tx, &r, &err);
    if (!rc)
        rc = write_lists(tx, r.id, &l, &err);
    if (!rc) /* read back: the unit's name */
        rc = store_threat_get(tx, r.id, req->arena, &r, &err);
    if (!rc)
        rc = report_full(tx, req->arena, &r, &out, &err);
    if (!rc)
        rc = api_threat_audit(tx, &who, req, "threat.create", "threat_report", r.id,
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
        yj_arena_printf(req->arena, "/api/v1/threat-reports/%lld", (long long)r.id));
    send_report(req, resp, 201, out, r.version);
}

void api_threats_list(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    static const char *const allowed[] = {"status", "category", "unit_id", "limit", "cursor", NULL};
    struct api_page page;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_THREAT_READ, NULL) ||
        !api_query_only(req, resp, allowed) || !api_page_parse(req, resp, &page))
        return;
    struct yj_error err;
    struct store_threat_query q = {
        .status = http_query(req, "status"),
        .category = http_query(req, "category"),
        .after_id = page.after,
        .limit = page.limit + 1,
    };
    const char *u = http_query(req, "unit_id");
    enum threat_status st;
    enum intel_category cat;
    enum yj_err rc = YJ_OK;
    if (q.status && threat_status_parse(q.status, &st))
        rc = yj_error_set(&err, YJ_EINVAL, "status", "unknown status");
    if (!rc && q.category)
        rc = intel_category_parse(q.category, "category", &cat, &err);
    if (!rc && u && yj_parse_i64(u, 0, INT64_MAX, &q.unit_id))
        rc =
            yj_error_set(&err, YJ_EINVAL, "unit_id", "must be a unit id, or 0 for the authority's");
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    q.authority = u && q.unit_id == 0;
    /* A unit's list is its own whatever it asks for. */
    if (auth_policy_scope(who.role, AUTH_THREAT_READ) == AUTH_OWN_UNIT) {
        q.unit_id = who.unit_id;
        q.authority = false;
    }
    struct store_tx *tx = NULL;
    struct store_threat_report *items = NULL;
    size_t n = 0;
    rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_threat_list(tx, &q, req->arena, &items, &n, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    bool more = api_page_trim(&page, &n);
    json_t *arr = json_array();
    for (size_t k = 0; k < n; k++)
        json_array_append_new(arr, api_threat_json(&items[k]));
    api_list(resp, arr, more, n ? items[n - 1].id : 0);
}

void api_threats_get(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const none[] = {NULL};
    struct auth_subject who;
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_THREAT_READ, NULL) || !api_query_only(req, resp, none) ||
        !(id = api_param_id(req, resp, 0)))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_threat_report r;
    json_t *out = NULL;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = api_threat_load(tx, req->arena, &who, AUTH_THREAT_READ, id, &r, &err);
    if (!rc)
        rc = report_full(tx, req->arena, &r, &out, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    send_report(req, resp, 200, out, r.version);
}

/* ?year=YYYY (China Standard Time; default this year): decisions per unit. */
void api_threats_stats(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const allowed[] = {"year", NULL};
    struct auth_subject who;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_THREAT_STATS, NULL) || !api_query_only(req, resp, allowed))
        return;
    struct yj_error err;
    char today[11];
    yj_date_cst(yj_now_ms(app->clock), today);
    int64_t year =
        (today[0] - '0') * 1000 + (today[1] - '0') * 100 + (today[2] - '0') * 10 + (today[3] - '0');
    const char *y = http_query(req, "year");
    if (y && yj_parse_i64(y, 2000, 2099, &year)) {
        yj_error_set(&err, YJ_EINVAL, "year", "must be a year from 2000 to 2099");
        api_fail(resp, &err);
        return;
    }
    static const int64_t day = 86400000, cst = 8 * 3600000;
    int64_t from = yj_days_from_civil((int)year, 1, 1) * day - cst;
    int64_t to = yj_days_from_civil((int)year + 1, 1, 1) * day - cst;
    int64_t unit =
        auth_policy_scope(who.role, AUTH_THREAT_STATS) == AUTH_OWN_UNIT ? who.unit_id : 0;
    struct store_tx *tx = NULL;
    struct store_threat_stat *items = NULL;
    size_t n = 0;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_threat_stats(tx, from, to, unit, req->arena, &items, &n, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    json_t *arr = json_array();
    for (size_t k = 0; k < n; k++)
        json_array_append_new(
            arr, json_pack("{s:I,s:s?,s:I,s:I,s:I}", "unit_id", (json_int_t)items[k].unit_id,
                           "unit_name", items[k].unit_name, "accepted",
                           (json_int_t)items[k].accepted, "rejected", (json_int_t)items[k].rejected,
                           "returned", (json_int_t)items[k].returned));
    http_response_json(resp, 200,
                       json_pack("{s:I,s:o,s:o,s:o}", "year", (json_int_t)year, "from",
                                 api_time(from), "to", api_time(to), "items", arr));
}

/* --- changes ---------------------------------------------------------------------------------- */

/* What one kind of change does to a loaded report: may fill l; sets *changes (the audit
 * record's body, taken). */
typedef enum yj_err (*change_fn)(struct http_request *req, const struct auth_subject *who,
                                 struct store_tx *tx, const json_t *body,
                                 struct store_threat_report *r, struct lists *l, int64_t now,
                                 json_t **changes, struct yj_error *err);

/*
 * The frame of every change: If-Match, the body (needs_body), one write transaction
 * that loads the report under action, applies fn, writes the row and the lists, audits
 * and answers the whole report with its new ETag.
 */
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
    struct store_threat_report r;
    struct lists l = {0};
    json_t *changes = NULL, *out = NULL;
    enum yj_err rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = api_threat_load(tx, req->arena, &who, action, id, &r, &err);
    if (!rc && want != r.version)
        rc = yj_error_set(&err, YJ_EPRECOND, "If-Match", "the report changed meanwhile");
    if (!rc)
        rc = fn(req, &who, tx, body, &r, &l, now, &changes, &err);
    json_decref(body);
    if (!rc) {
        r.updated_at = now;
        rc = store_threat_update(tx, &r, &err);
    }
    if (!rc)
        rc = write_lists(tx, r.id, &l, &err);
    if (!rc)
        rc = report_full(tx, req->arena, &r, &out, &err);
    if (!rc) {
        rc = api_threat_audit(tx, &who, req, audit_action, "threat_report", r.id, changes, now,
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
    send_report(req, resp, 200, out, r.version);
}

static enum yj_err do_patch(struct http_request *req, const struct auth_subject *who,
                            struct store_tx *tx, const json_t *body, struct store_threat_report *r,
                            struct lists *l, int64_t now, json_t **changes, struct yj_error *err)
{
    (void)tx;
    enum yj_err rc = api_threat_owner_check(who, r, err);
    if (!rc)
        rc = decode_report(body, false, now, req->arena, r, l, err);
    if (!rc)
        *changes = json_deep_copy(body);
    return rc;
}

void api_threats_patch(void *app, struct http_request *req, struct http_response *resp)
{
    change(app, req, resp, AUTH_THREAT_WRITE, "threat.update", true, do_patch);
}

static enum yj_err do_submit(struct http_request *req, const struct auth_subject *who,
                             struct store_tx *tx, const json_t *body, struct store_threat_report *r,
                             struct lists *l, int64_t now, json_t **changes, struct yj_error *err)
{
    (void)req, (void)body, (void)l;
    struct threat_tuple *t;
    struct threat_indicator *ind;
    size_t nt, ni;
    enum yj_err rc = api_threat_owner_check(who, r, err);
    if (!rc)
        rc = store_threat_tuples(tx, r->id, req->arena, &t, &nt, err);
    if (!rc)
        rc = store_threat_indicators(tx, r->id, req->arena, &ind, &ni, err);
    if (rc)
        return rc;
    struct threat_facts f = {r->category, r->summary, r->propagation_path, nt, ni, 0};
    for (size_t k = 0; k < ni; k++)
        f.n_c2 += ind[k].role == THREAT_ROLE_C2;
    if ((rc = threat_submit_check(r->status, &f, err)))
        return rc;
    *changes = json_pack("{s:s,s:s,s:I}", "from", threat_status_code(r->status), "to", "submitted",
                         "version", (json_int_t)r->version);
    r->status = THREAT_SUBMITTED;
    r->submitted_at = now;
    return YJ_OK;
}

/* POST …/submit with If-Match and no body. */
void api_threats_submit(void *app, struct http_request *req, struct http_response *resp)
{
    change(app, req, resp, AUTH_THREAT_WRITE, "threat.submit", false, do_submit);
}

/* {"decision": "accept" | "return" | "reject_duplicate" | "reject_unfounded", "comment"} */
static enum yj_err do_review(struct http_request *req, const struct auth_subject *who,
                             struct store_tx *tx, const json_t *body, struct store_threat_report *r,
                             struct lists *l, int64_t now, json_t **changes, struct yj_error *err)
{
    (void)l;
    static const char *const keys[] = {"decision", "comment", NULL};
    const char *code = NULL, *comment = NULL;
    enum threat_decision d = THREAT_D_ACCEPT;
    enum threat_status to;
    enum yj_err rc = api_check_keys(body, keys, err);
    if (!rc)
        rc = api_get_text(body, "decision", true, 32, req->arena, &code, err);
    if (!rc && threat_decision_parse(code, &d))
        rc = yj_error_set(err, YJ_EINVAL, "decision",
                          "must be accept, return, reject_duplicate or reject_unfounded");
    if (!rc)
        rc = api_get_text(body, "comment", false, THREAT_TEXT_MAX, req->arena, &comment, err);
    if (!rc)
        rc = threat_review(r->status, d, comment, &to, err);
    struct store_review v = {.decision = code,
                             .comment = comment,
                             .version = r->version,
                             .reviewed_by = who->user_id,
                             .reviewed_at = now};
    if (!rc)
        rc = store_threat_review_add(tx, r->id, &v, err);
    if (rc)
        return rc;
    *changes = json_pack("{s:s,s:s,s:s,s:o,s:I}", "decision", code, "from",
                         threat_status_code(r->status), "to", threat_status_code(to), "comment",
                         api_str_or_null(comment), "version", (json_int_t)r->version);
    r->status = to;
    r->review_comment = comment;
    r->reviewed_by = who->user_id;
    r->reviewed_at = now;
    /* An accepted report's indicators enter the indicator store, linked to it. */
    return to == THREAT_ACCEPTED ? api_indicators_from_report(tx, r->id, now, req->arena, err)
                                 : YJ_OK;
}

void api_threats_review(void *app, struct http_request *req, struct http_response *resp)
{
    change(app, req, resp, AUTH_THREAT_REVIEW, "threat.review", true, do_review);
    if (resp->status == 200)
        api_indicators_changed(); /* after the commit: the next lookup sees its indicators */
}
