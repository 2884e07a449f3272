/*
 * threat_files_api.c - a threat report's evidence files (the bytes in the blob
 * store by SHA-256, like attachments and incident evidence) and the authority's
 * making an accepted report into an incident (the incident carries the report's
 * indicators, and the reporting unit takes part in it as its discoverer).
 */
#include "api/api_incidents.h"
#include "api/api_int.h"
#include "api/api_threats.h"

enum { FILE_NOTE_MAX = 1000 }; /* characters */

/* --- files -------------------------------------------------------------------------------- */

static enum yj_err note_check(const char *note, struct yj_error *err)
{
    if (!note)
        return YJ_OK;
    if (!yj_utf8_text_ok(note, strlen(note)))
        return yj_error_set(err, YJ_EINVAL, "note", "must be text without control characters");
    if (yj_utf8_chars(note) > FILE_NOTE_MAX)
        return yj_error_set(err, YJ_EINVAL, "note", "at most %d characters", FILE_NOTE_MAX);
    return YJ_OK;
}

/* The row and its audit record, after the blob is on disk; access, the report's state
 * and the number of files are decided again inside the write transaction. */
static enum yj_err add_commit(struct api_app *app, struct http_request *req,
                              const struct auth_subject *who, struct store_threat_file *f,
                              struct yj_error *err)
{
    struct store_tx *tx = NULL;
    struct store_threat_report r;
    struct store_threat_file *all;
    size_t n = 0;
    enum yj_err rc = store_write_begin(app->store, &tx, err);
    if (!rc)
        rc = api_threat_load(tx, req->arena, who, AUTH_THREAT_WRITE, f->report_id, &r, err);
    if (!rc)
        rc = api_threat_owner_check(who, &r, err);
    if (!rc)
        rc = store_threat_files(tx, f->report_id, req->arena, &all, &n, err);
    if (!rc && n >= API_THREAT_FILES_MAX)
        rc = yj_error_set(err, YJ_ECONFLICT, "file", "a report has at most %d files",
                          API_THREAT_FILES_MAX);
    if (!rc)
        rc = store_threat_file_add(tx, f, err);
    if (!rc)
        rc = api_threat_audit(tx, who, req, "threat.file_add", "threat_report", f->report_id,
                              api_threat_file_json(f), f->added_at, err);
    if (!rc)
        rc = store_tx_commit(tx, err);
    store_tx_end(tx);
    return rc;
}

/* POST …/files?filename=…&note=…: the body is the file. */
void api_threat_files_add(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const allowed[] = {"filename", "note", NULL};
    struct auth_subject who;
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_THREAT_WRITE, NULL) ||
        !api_query_only(req, resp, allowed) || !(id = api_param_id(req, resp, 0)))
        return;
    struct yj_error err;
    yj_error_clear(&err);
    /* Decide access before touching the disk, so that nobody else can leave blobs
     * behind; the write transaction decides again. */
    struct store_tx *tx = NULL;
    struct store_threat_report r;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = api_threat_load(tx, req->arena, &who, AUTH_THREAT_WRITE, id, &r, &err);
    if (!rc)
        rc = api_threat_owner_check(&who, &r, &err);
    store_tx_end(tx);
    const char *note = http_query(req, "note");
    struct store_threat_file f = {
        .report_id = id,
        .filename = http_query(req, "filename"),
        .note = note && *note ? note : NULL,
        .size = (int64_t)req->body_len,
        .added_by = who.user_id,
        .added_at = yj_now_ms(app->clock),
    };
    if (!rc)
        rc = attach_filename_check(f.filename, &err);
    if (!rc)
        rc = note_check(f.note, &err);
    if (!rc)
        rc = attach_size_check(req->body_len, &err);
    if (!rc)
        rc = attach_identify(req->body, req->body_len, req->arena, &f.media_type, &err);
    char sha256[ATTACH_SHA256_HEX + 1];
    if (!rc)
        rc = attach_blob_put(store_data_dir(app->store), req->body, req->body_len, sha256, &err);
    f.sha256 = sha256;
    if (!rc)
        rc = add_commit(app, req, &who, &f, &err);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_json(resp, 201, api_threat_file_json(&f));
    http_response_header(resp, "Location",
                         yj_arena_printf(req->arena,
                                         "/api/v1/threat-reports/%lld/files/%lld/content",
                                         (long long)id, (long long)f.seq));
}

void api_threat_files_list(void *vapp, struct http_request *req, struct http_response *resp)
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
    struct store_threat_file *f = NULL;
    size_t n = 0;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = api_threat_load(tx, req->arena, &who, AUTH_THREAT_READ, id, &r, &err);
    if (!rc)
        rc = store_threat_files(tx, id, req->arena, &f, &n, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    /* At most API_THREAT_FILES_MAX: one page always. */
    json_t *arr = json_array();
    for (size_t k = 0; k < n; k++)
        json_array_append_new(arr, api_threat_file_json(&f[k]));
    api_list(resp, arr, false, 0);
}

void api_threat_file_content(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const none[] = {NULL};
    struct auth_subject who;
    int64_t id, seq;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_THREAT_READ, NULL) || !api_query_only(req, resp, none) ||
        !(id = api_param_id(req, resp, 0)) || !(seq = api_param_id(req, resp, 1)))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_threat_report r;
    struct store_threat_file f;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = api_threat_load(tx, req->arena, &who, AUTH_THREAT_READ, id, &r, &err);
    if (!rc)
        rc = store_threat_file_get(tx, id, seq, req->arena, &f, &err);
    store_tx_end(tx);
    if (rc == YJ_ENOTFOUND)
        rc = yj_error_set(&err, YJ_ENOTFOUND, NULL, "not found");
    if (!rc)
        rc = api_send_blob(app, req, resp, f.sha256, f.size, f.filename, f.media_type, &err);
    if (rc)
        api_fail(resp, &err);
}

/* --- making an incident ----------------------------------------------------------------------- */

/* The incident class a category suggests (STANDARDS.md §1), when one fits. */
static void class_of(enum intel_category c, const char **cls, const char **sub)
{
    *cls = *sub = NULL;
    switch (c) {
    case INTEL_CAT_MALWARE:
        *cls = "MAL";
        break;
    case INTEL_CAT_BOTNET:
        *cls = "MAL", *sub = "MAL.04"; /* 僵尸网络 */
        break;
    case INTEL_CAT_PHISHING:
        *cls = "ATK", *sub = "ATK.02"; /* 网络钓鱼 */
        break;
    case INTEL_CAT_HAZARD:
        *cls = "VUL";
        break;
    default:
        break;
    }
}

/* class_code / subclass_code as the reference rows have them: a top-level 2023 or 2007
 * class and one of its own sub-classes. */
static enum yj_err check_class(struct store_tx *tx, struct yj_arena *a, const char *cls,
                               const char *sub, struct yj_error *err)
{
    struct store_inc_class c;
    if (!cls)
        return sub ? yj_error_set(err, YJ_EINVAL, "subclass_code", "needs class_code") : YJ_OK;
    enum yj_err rc = store_inc_class_get(tx, cls, a, &c, err);
    if (rc == YJ_ENOTFOUND || (!rc && c.parent_code))
        return yj_error_set(err, YJ_EINVAL, "class_code", "not an incident class");
    if (rc || !sub)
        return rc;
    rc = store_inc_class_get(tx, sub, a, &c, err);
    if (rc == YJ_ENOTFOUND || (!rc && (!c.parent_code || strcmp(c.parent_code, cls) != 0)))
        return yj_error_set(err, YJ_EINVAL, "subclass_code", "not a sub-class of class_code");
    return rc;
}

/* The body's choices over what the report suggests: title, affected_org, operator_type,
 * province, city, class_code, subclass_code (all optional). */
static enum yj_err decode_incident(const json_t *o, struct yj_arena *a, struct store_incident *i,
                                   struct yj_error *err)
{
    static const char *const keys[] = {"title", "affected_org", "operator_type", "province",
                                       "city",  "class_code",   "subclass_code", NULL};
    static const char *const operator_types[] = {"cii", "central_state", "other"};
    enum yj_err rc = api_check_keys(o, keys, err);
    if (!rc)
        rc = api_get_text(o, "title", false, INC_TITLE_MAX, a, &i->title, err);
    if (!rc)
        rc = api_get_text(o, "affected_org", false, INC_NAME_MAX, a, &i->affected_org, err);
    if (!rc)
        rc = api_get_text(o, "operator_type", false, 32, a, &i->operator_type, err);
    bool known = false;
    for (size_t k = 0; !rc && k < YJ_ARRAY_LEN(operator_types); k++)
        known |= strcmp(i->operator_type, operator_types[k]) == 0;
    if (!rc && !known)
        rc = yj_error_set(err, YJ_EINVAL, "operator_type", "must be cii, central_state or other");
    if (!rc)
        rc = api_get_text(o, "province", false, 20, a, &i->province, err);
    known = !i->province;
    for (size_t k = 0; !rc && !known && k < unit_provinces_count; k++)
        known = strcmp(unit_provinces[k], i->province) == 0;
    if (!rc && !known)
        rc = yj_error_set(err, YJ_EINVAL, "province", "not a province-level division");
    if (!rc)
        rc = api_get_text(o, "city", false, 50, a, &i->city, err);
    if (!rc && json_object_get(o, "class_code"))
        i->class_code = i->subclass_code = NULL;
    if (!rc)
        rc = api_get_text(o, "class_code", false, 32, a, &i->class_code, err);
    if (!rc)
        rc = api_get_text(o, "subclass_code", false, 32, a, &i->subclass_code, err);
    return rc;
}

/* What the report gives the incident: title, affected organisation (the first 200
 * characters of "affected", else the title), description (summary and propagation
 * path), indicators with their roles as notes, discovery (the earliest first_seen,
 * else the submission), source (the unit's discovery, or the authority's). */
static enum yj_err from_report(struct store_tx *tx, struct yj_arena *a,
                               const struct store_threat_report *r, struct store_incident *i,
                               struct yj_error *err)
{
    struct threat_tuple *t;
    struct threat_indicator *ind;
    size_t nt, ni;
    enum yj_err rc = store_threat_tuples(tx, r->id, a, &t, &nt, err);
    if (!rc)
        rc = store_threat_indicators(tx, r->id, a, &ind, &ni, err);
    if (rc)
        return rc;
    i->title = r->title;
    char *org = yj_arena_strdup(a, r->affected && *r->affected ? r->affected : r->title);
    if (!org)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    /* At most INC_NAME_MAX characters: a character is at most four bytes. */
    size_t len = strlen(org), keep = 0;
    for (size_t chars = 0; keep < len && chars < INC_NAME_MAX; chars++)
        do
            keep++;
        while (keep < len && ((unsigned char)org[keep] & 0xC0) == 0x80);
    org[keep] = '\0';
    i->affected_org = org;
    i->operator_type = "other";
    i->description =
        yj_arena_printf(a, "%s\n\n传播途径：%s\n\n威胁报告 #%lld", r->summary ? r->summary : "",
                        r->propagation_path ? r->propagation_path : "", (long long)r->id);
    json_t *arr = json_array();
    for (size_t k = 0; k < ni && k < INC_INDICATORS_MAX; k++)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s}", "type", intel_type_code(ind[k].type),
                                             "value", ind[k].value, "note",
                                             threat_role_name_zh(ind[k].role)));
    char *text = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    i->indicators = text ? yj_arena_strdup(a, text) : NULL;
    free(text);
    i->discovered_at = r->submitted_at ? r->submitted_at : r->created_at;
    for (size_t k = 0; k < nt; k++)
        if (t[k].first_seen && t[k].first_seen < i->discovered_at)
            i->discovered_at = t[k].first_seen;
    i->source = r->unit_id ? "unit_discovery" : "authority";
    i->source_unit_id = r->unit_id;
    class_of(r->category, &i->class_code, &i->subclass_code);
    return i->indicators ? YJ_OK : yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
}

/* POST …/incident (body optional: decode_incident's fields): an accepted report, once. */
void api_threats_incident(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    int64_t id;
    json_t *body = NULL;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_THREAT_REVIEW, NULL) ||
        !(id = api_param_id(req, resp, 0)) || (req->body_len && !(body = api_body(req, resp))))
        return;
    struct yj_error err;
    int64_t now = yj_now_ms(app->clock);
    struct store_tx *tx = NULL;
    struct store_threat_report r;
    struct store_incident i = {
        .status = INC_REPORTED, .created_by = who.user_id, .created_at = now, .updated_at = now};
    enum yj_err rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = api_threat_load(tx, req->arena, &who, AUTH_THREAT_REVIEW, id, &r, &err);
    if (!rc && r.status != THREAT_ACCEPTED)
        rc = yj_error_set(&err, YJ_ECONFLICT, "status",
                          "only an accepted report becomes an incident");
    if (!rc && r.incident_id)
        rc = yj_error_set(&err, YJ_ECONFLICT, "incident_id", "the report is already incident %lld",
                          (long long)r.incident_id);
    if (!rc)
        rc = from_report(tx, req->arena, &r, &i, &err);
    if (!rc && body)
        rc = decode_incident(body, req->arena, &i, &err);
    json_decref(body);
    if (!rc)
        rc = check_class(tx, req->arena, i.class_code, i.subclass_code, &err);
    if (!rc)
        rc = store_incident_insert(tx, &i, &err);
    if (!rc)
        rc = api_inc_event(tx, i.id, now, &who, "reported", 0,
                           json_pack("{s:s,s:s,s:I}", "title", i.title, "source", i.source,
                                     "threat_report_id", (json_int_t)r.id),
                           &err);
    if (!rc)
        rc = api_threat_audit(tx, &who, req, "incident.report", "incident", i.id,
                              api_incident_json(&i, true), now, &err);
    if (!rc) {
        r.incident_id = i.id;
        r.updated_at = now;
        rc = store_threat_update(tx, &r, &err);
    }
    if (!rc)
        rc = api_threat_audit(tx, &who, req, "threat.incident", "threat_report", r.id,
                              json_pack("{s:I}", "incident_id", (json_int_t)i.id), now, &err);
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_header(resp, "Location",
                         yj_arena_printf(req->arena, "/api/v1/incidents/%lld", (long long)i.id));
    http_response_header(resp, "ETag", api_etag(req->arena, i.version));
    http_response_json(resp, 201, api_incident_json(&i, true));
}
