/*
 * indicators_api.c - the indicator store over HTTP (api_indicators.h): import,
 * list, read, edit, look up, export; the warning lists. Units read what TLP lets
 * them (clear, green, amber); an indicator they may not read is "not found".
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api_indicators.h"
#include "api/api_int.h"
#include "intel/intel_stix.h"

/* --- encoding ------------------------------------------------------------------------------ */

static bool unit_view(const struct auth_subject *who)
{
    return who->role == AUTH_ROLE_UNIT;
}

static bool visible(const struct auth_subject *who, enum intel_tlp tlp)
{
    return !unit_view(who) || tlp <= INTEL_TLP_AMBER;
}

static json_t *indicator_json(const struct store_indicator *r, int64_t now)
{
    const struct intel_indicator *i = &r->ind;
    json_t *tags = json_array();
    for (size_t t = 0; t < i->n_tags; t++)
        json_array_append_new(tags, json_string(i->tags[t]));
    bool live = !r->flagged_by && (i->valid_until == 0 || i->valid_until > now);
    return json_pack("{s:I,s:I,s:s,s:s,s:b,s:s,s:i,s:s,s:o,s:o,s:o,s:o,s:I,s:o,s:o,s:b,s:o,s:o}",
                     "id", (json_int_t)r->id, "version", (json_int_t)r->version, "type",
                     intel_type_code(i->type), "value", i->value, "subdomains", i->subdomains,
                     "category", intel_category_code(i->category), "confidence", i->confidence,
                     "tlp", intel_tlp_code(i->tlp), "tags", tags, "first_seen",
                     api_time(i->first_seen), "last_seen", api_time(i->last_seen), "valid_until",
                     api_time(i->valid_until), "sightings", (json_int_t)i->sightings, "description",
                     api_str_or_null(i->description), "flagged_by_warninglist",
                     api_str_or_null(r->flagged_by), "live", live, "created_at",
                     api_time(r->created_at), "updated_at", api_time(r->updated_at));
}

/* The indicator with its sources and reports. */
static enum yj_err indicator_full(struct store_tx *tx, struct yj_arena *a,
                                  const struct store_indicator *r, int64_t now, json_t **out,
                                  struct yj_error *err)
{
    struct store_indicator_source *src = NULL;
    int64_t *reports = NULL;
    size_t ns = 0, nr = 0;
    enum yj_err rc = store_indicator_sources(tx, r->id, a, &src, &ns, err);
    if (!rc)
        rc = store_indicator_reports(tx, r->id, a, &reports, &nr, err);
    if (rc)
        return rc;
    json_t *o = indicator_json(r, now);
    json_t *sa = json_array(), *ra = json_array();
    for (size_t k = 0; k < ns; k++)
        json_array_append_new(sa, json_pack("{s:s,s:o,s:o,s:I}", "source", src[k].source,
                                            "first_imported", api_time(src[k].first_imported),
                                            "last_imported", api_time(src[k].last_imported),
                                            "count", (json_int_t)src[k].count));
    for (size_t k = 0; k < nr; k++)
        json_array_append_new(ra, json_integer(reports[k]));
    json_object_set_new(o, "sources", sa);
    json_object_set_new(o, "threat_report_ids", ra);
    *out = o;
    return YJ_OK;
}

static void send_indicator(struct http_request *req, struct http_response *resp, json_t *o,
                           int64_t version)
{
    http_response_header(resp, "ETag", api_etag(req->arena, version));
    http_response_json(resp, 200, o);
}

/* Loads id as who may see it: a unit asking for one beyond its TLP gets "not found". */
static enum yj_err load(struct store_tx *tx, struct yj_arena *a, const struct auth_subject *who,
                        int64_t id, struct store_indicator *r, struct yj_error *err)
{
    enum yj_err rc = store_indicator_get(tx, id, a, r, err);
    if (!rc && !visible(who, r->ind.tlp))
        rc = yj_error_set(err, YJ_ENOTFOUND, NULL, "indicator not found");
    return rc;
}

/* --- import -------------------------------------------------------------------------------- */

/* POST /api/v1/indicators/import?format=&source=[&columns=]: the body is the file. */
void api_indicators_import(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    static const char *const allowed[] = {"format", "source", "columns", NULL};
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_INDICATOR_IMPORT, NULL) ||
        !api_query_only(req, resp, allowed))
        return;
    struct yj_error err;
    struct api_import_req r = {.format = http_query(req, "format"),
                               .source = http_query(req, "source"),
                               .columns = http_query(req, "columns"),
                               .created_by = who.user_id};
    struct audit_entry audit =
        api_audit_entry(&who, req, "indicator.import", "indicator_import", NULL, NULL);
    struct store_import imp;
    json_t *problems = NULL;
    int64_t now = yj_now_ms(app->clock);
    if (req->body_len == 0) {
        yj_error_set(&err, YJ_EINVAL, "body", "the file to import is empty");
        api_fail(resp, &err);
        return;
    }
    if (api_indicators_run_import(app->store, &r, req->body, req->body_len, now, &audit, req->arena,
                                  &imp, &problems, &err)) {
        api_fail(resp, &err);
        return;
    }
    http_response_json(
        resp, 200,
        json_pack("{s:I,s:s,s:s,s:I,s:I,s:I,s:I,s:o}", "import_id", (json_int_t)imp.id, "format",
                  r.format, "source", r.source, "objects", (json_int_t)imp.objects, "imported",
                  (json_int_t)imp.counts.imported, "merged", (json_int_t)imp.counts.merged,
                  "flagged", (json_int_t)imp.counts.flagged, "problems", problems));
}

/* --- list, read, edit ---------------------------------------------------------------------- */

static const struct {
    const char *code;
    enum store_indicator_state state;
} states[] = {{"live", STORE_INDICATOR_LIVE},
              {"expired", STORE_INDICATOR_EXPIRED},
              {"flagged", STORE_INDICATOR_FLAGGED}};

static enum yj_err state_parse(const char *code, enum store_indicator_state *out,
                               struct yj_error *err)
{
    for (size_t k = 0; k < YJ_ARRAY_LEN(states); k++)
        if (!strcmp(code, states[k].code)) {
            *out = states[k].state;
            return YJ_OK;
        }
    return yj_error_set(err, YJ_EINVAL, "state", "must be live, expired or flagged");
}

/* The filters shared by the list and the export; false after answering. */
static bool query_parse(struct http_request *req, struct http_response *resp,
                        const struct auth_subject *who, int64_t now,
                        struct store_indicator_query *q)
{
    struct yj_error err;
    enum yj_err rc = YJ_OK;
    enum intel_type t;
    enum intel_category c;
    enum intel_tlp tlp;
    *q = (struct store_indicator_query){.type = http_query(req, "type"),
                                        .category = http_query(req, "category"),
                                        .tag = http_query(req, "tag"),
                                        .q = http_query(req, "q"),
                                        .now = now,
                                        .unit_view = unit_view(who)};
    const char *live = http_query(req, "live_only");
    const char *rep = http_query(req, "report_id");
    const char *tcode = http_query(req, "tlp"), *state = http_query(req, "state");
    if (q->type)
        rc = intel_type_parse(q->type, "type", &t, &err);
    if (!rc && q->category)
        rc = intel_category_parse(q->category, "category", &c, &err);
    /* Stored as the TLP 2.0 code: "white" and "TLP:AMBER" name the same rows. A unit asking
     * for red gets an empty list, as for any other filter matching only what it cannot see. */
    if (!rc && tcode && !strcasecmp(tcode, "amber strict"))
        tcode = "amber+strict"; /* "tlp=amber+strict" unescaped: '+' is a space in a query */
    if (!rc && tcode && !(rc = intel_tlp_parse(tcode, "tlp", &tlp, &err)))
        q->tlp = intel_tlp_code(tlp);
    if (!rc && state)
        rc = state_parse(state, &q->state, &err);
    if (!rc && live) {
        if (!strcmp(live, "true") || !strcmp(live, "1"))
            q->live_only = true;
        else if (strcmp(live, "false") && strcmp(live, "0"))
            rc = yj_error_set(&err, YJ_EINVAL, "live_only", "must be true or false");
    }
    if (!rc && rep && yj_parse_i64(rep, 1, INT64_MAX, &q->report_id))
        rc = yj_error_set(&err, YJ_EINVAL, "report_id", "must be a threat report id");
    if (!rc && q->q && strlen(q->q) > INTEL_VALUE_MAX)
        rc = yj_error_set(&err, YJ_EINVAL, "q", "too long");
    if (rc)
        api_fail(resp, &err);
    return !rc;
}

void api_indicators_list(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    static const char *const allowed[] = {"type",  "category",  "tag",   "q",
                                          "tlp",   "live_only", "state", "report_id",
                                          "limit", "cursor",    NULL};
    struct api_page page;
    struct store_indicator_query q;
    int64_t now = yj_now_ms(app->clock);
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_INDICATOR_READ, NULL) ||
        !api_query_only(req, resp, allowed) || !api_page_parse(req, resp, &page) ||
        !query_parse(req, resp, &who, now, &q))
        return;
    q.after_id = page.after;
    q.limit = page.limit + 1;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_indicator *items = NULL;
    size_t n = 0;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_indicator_list(tx, &q, req->arena, &items, &n, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    bool more = api_page_trim(&page, &n);
    json_t *arr = json_array();
    for (size_t k = 0; k < n; k++)
        json_array_append_new(arr, indicator_json(&items[k], now));
    api_list(resp, arr, more, n ? items[n - 1].id : 0);
}

void api_indicators_get(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const none[] = {NULL};
    struct auth_subject who;
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_INDICATOR_READ, NULL) ||
        !api_query_only(req, resp, none) || !(id = api_param_id(req, resp, 0)))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_indicator r;
    json_t *out = NULL;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = load(tx, req->arena, &who, id, &r, &err);
    if (!rc)
        rc = indicator_full(tx, req->arena, &r, yj_now_ms(app->clock), &out, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    send_indicator(req, resp, out, r.version);
}

/* {confidence, tlp, valid_until (null: never), tags (replaced whole), description}. */
static enum yj_err decode_patch(const json_t *body, struct yj_arena *a, struct store_indicator *r,
                                struct yj_error *err)
{
    static const char *const keys[] = {"confidence", "tlp",         "valid_until",
                                       "tags",       "description", NULL};
    int64_t conf = r->ind.confidence;
    const char *tlp = NULL;
    enum yj_err rc = api_check_keys(body, keys, err);
    if (!rc)
        rc = api_get_int(body, "confidence", false, 0, 100, &conf, err);
    r->ind.confidence = (int)conf;
    if (!rc)
        rc = api_get_text(body, "tlp", false, 16, a, &tlp, err);
    if (!rc && tlp)
        rc = intel_tlp_parse(tlp, "tlp", &r->ind.tlp, err);
    if (!rc && json_is_null(json_object_get(body, "valid_until")))
        r->ind.valid_until = 0;
    else if (!rc)
        rc = api_get_time(body, "valid_until", false, &r->ind.valid_until, err);
    if (!rc && json_is_null(json_object_get(body, "description")))
        r->ind.description = NULL;
    else if (!rc)
        rc = api_get_text(body, "description", false, 4000, a, &r->ind.description, err);
    const json_t *tags = json_object_get(body, "tags");
    if (rc || !tags)
        return rc;
    if (!json_is_array(tags) || json_array_size(tags) > INTEL_TAGS_MAX)
        return yj_error_set(err, YJ_EINVAL, "tags", "must be an array of at most %d tags",
                            INTEL_TAGS_MAX);
    r->ind.n_tags = 0;
    for (size_t k = 0; k < json_array_size(tags); k++) {
        const char *t = json_string_value(json_array_get(tags, k));
        if (!t || !*t || strlen(t) > INTEL_TAG_MAX)
            return yj_error_set(err, YJ_EINVAL, yj_arena_printf(a, "tags[%zu]", k),
                                "must be a tag of 1 to %d bytes", INTEL_TAG_MAX);
        intel_tag_add(&r->ind, yj_arena_strdup(a, t));
    }
    return YJ_OK;
}

void api_indicators_patch(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const none[] = {NULL};
    struct auth_subject who;
    int64_t id, want;
    json_t *body = NULL;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_INDICATOR_WRITE, NULL) ||
        !api_query_only(req, resp, none) || !(id = api_param_id(req, resp, 0)) ||
        !(want = api_if_match(req, resp, false)) || !(body = api_body(req, resp)))
        return;
    struct yj_error err;
    int64_t now = yj_now_ms(app->clock);
    struct store_tx *tx = NULL;
    struct store_indicator r;
    json_t *out = NULL;
    enum yj_err rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = load(tx, req->arena, &who, id, &r, &err);
    if (!rc && want != r.version)
        rc = yj_error_set(&err, YJ_EPRECOND, "If-Match", "the indicator changed meanwhile");
    if (!rc)
        rc = decode_patch(body, req->arena, &r, &err);
    if (!rc)
        rc = store_indicator_update(tx, &r, now, &err);
    if (!rc)
        rc = indicator_full(tx, req->arena, &r, now, &out, &err);
    if (!rc) {
        char *changes = json_dumps(body, JSON_COMPACT);
        struct audit_entry e = api_audit_entry(&who, req, "indicator.update", "indicator",
                                               api_id_str(req->arena, id), changes);
        rc = audit_append(tx, &e, now, &err);
        free(changes);
    }
    json_decref(body);
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        json_decref(out);
        api_fail(resp, &err);
        return;
    }
    api_indicators_changed();
    send_indicator(req, resp, out, r.version);
}

/* --- lookup and export --------------------------------------------------------------------- */

static const char *match_code(enum intel_match m)
{
    return m == INTEL_MATCH_EXACT ? "exact" : m == INTEL_MATCH_RANGE ? "range" : "parent";
}

/* GET /api/v1/indicators/lookup?value=[&type=] */
void api_indicators_lookup(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    static const char *const allowed[] = {"value", "type", NULL};
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_INDICATOR_LOOKUP, NULL) ||
        !api_query_only(req, resp, allowed))
        return;
    struct yj_error err;
    const char *raw = http_query(req, "value"), *tcode = http_query(req, "type");
    const char *value = NULL;
    enum intel_type type = INTEL_IPV4;
    enum yj_err rc = YJ_OK;
    if (!raw || !*raw)
        rc = yj_error_set(&err, YJ_EINVAL, "value", "required");
    else if (tcode) {
        rc = intel_type_parse(tcode, "type", &type, &err);
        if (!rc)
            rc = intel_canonical(type, raw, "value", req->arena, &value, &err);
    } else
        rc = intel_guess(raw, "value", req->arena, &type, &value, &err);
    struct intel_lookup *l = NULL;
    if (!rc)
        rc = api_indicators_lookup_get(app->store, &l, &err);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    int64_t now = yj_now_ms(app->clock);
    struct intel_lookup_hit hits[API_INDICATOR_LOOKUP_HITS];
    size_t total = intel_lookup_find(l, type, value, now, hits, API_INDICATOR_LOOKUP_HITS);
    size_t n = total < API_INDICATOR_LOOKUP_HITS ? total : API_INDICATOR_LOOKUP_HITS;
    intel_lookup_free(l);
    /* The rows give what the lookup does not keep (TLP, category...); a unit sees its TLP. */
    struct store_tx *tx = NULL;
    json_t *arr = json_array();
    rc = n ? store_read_begin(app->store, &tx, &err) : YJ_OK;
    for (size_t k = 0; !rc && k < n; k++) {
        struct store_indicator r;
        enum yj_err e = store_indicator_get(tx, hits[k].id, req->arena, &r, &err);
        if (e == YJ_ENOTFOUND || (!e && (!visible(&who, r.ind.tlp) || r.flagged_by)))
            continue;
        if ((rc = e))
            break;
        json_t *o = indicator_json(&r, now);
        json_object_set_new(o, "match", json_string(match_code(hits[k].match)));
        json_object_set_new(o, "via_host", json_boolean(hits[k].via_host));
        if (hits[k].match == INTEL_MATCH_RANGE)
            json_object_set_new(o, "prefix", json_integer(hits[k].prefix));
        json_array_append_new(arr, o);
    }
    store_tx_end(tx);
    if (rc) {
        json_decref(arr);
        api_fail(resp, &err);
        return;
    }
    http_response_json(resp, 200,
                       json_pack("{s:s,s:s,s:o,s:b}", "type", intel_type_code(type), "value", value,
                                 "matches", arr, "truncated", total > API_INDICATOR_LOOKUP_HITS));
}

/* GET /api/v1/indicators/export?format=stix|misp|csv plus the list's filters. */
void api_indicators_export(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    static const char *const allowed[] = {"format", "type",  "category",  "tag",       "q",
                                          "tlp",    "state", "live_only", "report_id", NULL};
    struct store_indicator_query q;
    int64_t now = yj_now_ms(app->clock);
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_INDICATOR_READ, NULL) ||
        !api_query_only(req, resp, allowed) || !query_parse(req, resp, &who, now, &q))
        return;
    const char *format = http_query(req, "format");
    struct yj_error err;
    struct yj_buf b;
    yj_buf_init(&b, API_INDICATOR_EXPORT_MAX);
    struct store_tx *tx = NULL;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = api_indicators_run_export(tx, format ? format : "", &q, now, req->arena, &b, &err);
    store_tx_end(tx);
    if (rc) {
        yj_buf_release(&b);
        api_fail(resp, &err);
        return;
    }
    bool csv = !strcmp(format, "csv");
    const char *name = !strcmp(format, "stix")   ? "indicators-stix.json"
                       : !strcmp(format, "misp") ? "indicators-misp.json"
                                                 : "indicators.csv";
    api_send_download(req, resp, &b, csv ? "text/csv; charset=utf-8" : "application/json", name,
                      name);
    yj_buf_release(&b);
}

/* --- warning lists ------------------------------------------------------------------------- */

static json_t *wl_json(const struct store_warninglist *w)
{
    return json_pack("{s:I,s:I,s:s,s:s,s:o,s:I,s:I,s:b,s:o,s:o}", "id", (json_int_t)w->id,
                     "version", (json_int_t)w->version, "name", w->name, "type", w->type,
                     "description", api_str_or_null(w->description), "list_version",
                     (json_int_t)w->list_version, "entries", (json_int_t)w->entries, "enabled",
                     w->enabled, "created_at", api_time(w->created_at), "updated_at",
                     api_time(w->updated_at));
}

void api_warninglists_list(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    static const char *const none[] = {NULL};
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_WARNINGLIST_READ, NULL) ||
        !api_query_only(req, resp, none))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_warninglist *items = NULL;
    size_t n = 0;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_warninglist_list(tx, req->arena, &items, &n, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    json_t *arr = json_array();
    for (size_t k = 0; k < n; k++)
        json_array_append_new(arr, wl_json(&items[k]));
    api_list(resp, arr, false, 0);
}

static enum yj_err wl_audit(struct store_tx *tx, const struct auth_subject *who,
                            struct http_request *req, const char *action,
                            const struct store_warninglist *w, int64_t now, struct yj_error *err)
{
    json_t *c =
        json_pack("{s:s,s:s,s:I,s:b,s:I}", "name", w->name, "type", w->type, "entries",
                  (json_int_t)w->entries, "enabled", w->enabled, "version", (json_int_t)w->version);
    char *changes = json_dumps(c, JSON_COMPACT);
    json_decref(c);
    struct audit_entry e =
        api_audit_entry(who, req, action, "warninglist", api_id_str(req->arena, w->id), changes);
    enum yj_err rc = audit_append(tx, &e, now, err);
    free(changes);
    return rc;
}

/* POST /api/v1/warninglists: the body is a MISP warning list (JSON); one of the same
 * name is replaced. New lists are enabled. */
void api_warninglists_create(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    static const char *const none[] = {NULL};
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_WARNINGLIST_MANAGE, NULL) ||
        !api_query_only(req, resp, none))
        return;
    struct yj_error err;
    int64_t now = yj_now_ms(app->clock);
    struct intel_warninglists *check = intel_warninglists_new();
    enum yj_err rc = check ? YJ_OK : yj_error_set(&err, YJ_ENOMEM, NULL, "out of memory");
    if (!rc)
        rc = intel_warninglists_load_json(check, req->body, req->body_len, "body", &err);
    struct store_warninglist w = {0};
    if (!rc) {
        const struct intel_warninglist *l = intel_warninglists_get(check, 0);
        w = (struct store_warninglist){.name = yj_arena_strdup(req->arena, l->name),
                                       .type = intel_wl_type_code(l->type),
                                       .description = yj_arena_strdup(req->arena, l->description),
                                       .list_version = l->version,
                                       .entries = (int64_t)l->entries,
                                       .json = req->body,
                                       .enabled = true,
                                       .created_at = now,
                                       .updated_at = now};
        if (!*w.name)
            rc = yj_error_set(&err, YJ_EINVAL, "name", "the list has no name");
    }
    intel_warninglists_free(check);
    struct store_tx *tx = NULL;
    if (!rc)
        rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_warninglist_put(tx, &w, &err);
    if (!rc)
        rc = wl_audit(tx, &who, req, "warninglist.import", &w, now, &err);
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_header(resp, "ETag", api_etag(req->arena, w.version));
    http_response_json(resp, 201, wl_json(&w));
}

/* PATCH /api/v1/warninglists/{id} {"enabled": bool} with If-Match. */
void api_warninglists_patch(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const none[] = {NULL}, *const keys[] = {"enabled", NULL};
    struct auth_subject who;
    int64_t id, want;
    json_t *body = NULL;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_WARNINGLIST_MANAGE, NULL) ||
        !api_query_only(req, resp, none) || !(id = api_param_id(req, resp, 0)) ||
        !(want = api_if_match(req, resp, false)) || !(body = api_body(req, resp)))
        return;
    struct yj_error err;
    int64_t now = yj_now_ms(app->clock);
    struct store_tx *tx = NULL;
    struct store_warninglist w;
    enum yj_err rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_warninglist_get(tx, id, req->arena, &w, &err);
    if (!rc && want != w.version)
        rc = yj_error_set(&err, YJ_EPRECOND, "If-Match", "the warning list changed meanwhile");
    if (!rc)
        rc = api_check_keys(body, keys, &err);
    if (!rc && !json_is_boolean(json_object_get(body, "enabled")))
        rc = yj_error_set(&err, YJ_EINVAL, "enabled", "must be true or false");
    if (!rc) {
        w.enabled = json_is_true(json_object_get(body, "enabled"));
        rc = store_warninglist_set_enabled(tx, &w, now, &err);
    }
    json_decref(body);
    if (!rc)
        rc = wl_audit(tx, &who, req, "warninglist.update", &w, now, &err);
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_header(resp, "ETag", api_etag(req->arena, w.version));
    http_response_json(resp, 200, wl_json(&w));
}
