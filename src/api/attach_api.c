/*
 * attach_api.c - /api/v1/applications/{id}/attachments and /api/v1/attachments:
 * upload (the raw file as the body, its type decided from its bytes), list,
 * metadata, download and soft delete. Who may do what follows the application
 * the attachment belongs to; every change is audited in its own transaction.
 */
#include "api/api_attach.h"
#include "api/api_int.h"
#include "selection/selection.h"

/* An attachment as the API shows it. */
static json_t *attachment_json(const struct store_attachment *a)
{
    json_t *o =
        json_pack("{s:I,s:I,s:s,s:s,s:s,s:I,s:s}", "id", (json_int_t)a->id, "application_id",
                  (json_int_t)a->application_id, "kind", a->kind, "filename", a->filename,
                  "media_type", a->media_type, "size", (json_int_t)a->size, "sha256", a->sha256);
    if (o) {
        json_object_set_new(o, "uploaded_at", api_time(a->uploaded_at));
        json_object_set_new(o, "uploaded_by", json_integer(a->uploaded_by));
    }
    return o;
}

/*
 * Reads the application's facts and asks the policy whether who may do action on
 * it; with must_be_open, also that the application still takes changes. An
 * application that does not exist is the same 404 as one out of scope.
 */
static enum yj_err application_check(struct store_tx *tx, struct http_request *req,
                                     const struct auth_subject *who, enum auth_action action,
                                     int64_t application_id, bool must_be_open, int64_t now,
                                     struct store_application_facts *f, struct yj_error *err)
{
    enum yj_err rc = store_application_facts(tx, application_id, who->user_id, req->arena, f, err);
    if (rc == YJ_ENOTFOUND)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "not found");
    if (rc)
        return rc;
    struct auth_object obj = {
        .unit_id = f->unit_id,
        .assigned = f->assigned,
        .conflicted = f->conflicted,
        .panel_closed = f->panel_closed,
    };
    rc = auth_policy_check(who, action, &obj, err);
    if (rc || !must_be_open)
        return rc;
    /* The same rule as the application's content: files are part of it. */
    return sel_application_editable(f->status, f->campaign_stage, f->deadline_at, now, err);
}

/*
 * The live attachment id and the verdict on it: attachments are reached through
 * their application, so one that belongs to none (not made by this API) or that
 * the caller may not reach is 404.
 */
static enum yj_err attachment_check(struct store_tx *tx, struct http_request *req,
                                    const struct auth_subject *who, enum auth_action action,
                                    int64_t id, bool must_be_open, int64_t now,
                                    struct store_attachment *a, struct yj_error *err)
{
    enum yj_err rc = store_attachment_get(tx, id, false, req->arena, a, err);
    if (rc == YJ_ENOTFOUND || (!rc && !a->application_id))
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "not found");
    struct store_application_facts f;
    return rc ? rc
              : application_check(tx, req, who, action, a->application_id, must_be_open, now, &f,
                                  err);
}

/* The audit record's "changes": what identifies the file. */
static char *attachment_changes(const struct store_attachment *a, bool full)
{
    json_t *c = json_pack("{s:I,s:s,s:s,s:s}", "application_id", (json_int_t)a->application_id,
                          "kind", a->kind, "filename", a->filename, "sha256", a->sha256);
    if (c && full) {
        json_object_set_new(c, "size", json_integer(a->size));
        json_object_set_new(c, "media_type", json_string(a->media_type));
    }
    char *s = c ? json_dumps(c, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(c);
    return s;
}

static enum yj_err audit(struct store_tx *tx, const struct auth_subject *who,
                         struct http_request *req, const char *action,
                         const struct store_attachment *a, int64_t now, struct yj_error *err)
{
    char *changes = attachment_changes(a, strcmp(action, "attachment.upload") == 0);
    if (!changes)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    struct audit_entry e =
        api_audit_entry(who, req, action, "attachment", api_id_str(req->arena, a->id), changes);
    enum yj_err rc = audit_append(tx, &e, now, err);
    free(changes);
    return rc;
}

/* Stores the row and its audit record once the blob is on disk, re-checking the
 * application inside the write transaction: it may have been submitted since. */
static enum yj_err upload_commit(struct api_app *app, struct http_request *req,
                                 const struct auth_subject *who, struct store_attachment *row,
                                 struct yj_error *err)
{
    struct store_tx *tx = NULL;
    struct store_application_facts f;
    int64_t live = 0, now = yj_now_ms(app->clock);
    enum yj_err rc = store_write_begin(app->store, &tx, err);
    if (!rc)
        rc = application_check(tx, req, who, AUTH_APPLICATION_WRITE, row->application_id, true, now,
                               &f, err);
    if (!rc)
        rc = store_attachment_count(tx, row->application_id, &live, err);
    if (!rc && live >= ATTACH_MAX_PER_APPLICATION)
        rc = yj_error_set(err, YJ_ECONFLICT, "application",
                          "an application holds at most %d attachments; remove one first",
                          ATTACH_MAX_PER_APPLICATION);
    if (!rc) {
        row->unit_id = f.unit_id;
        row->uploaded_by = who->user_id;
        row->uploaded_at = now;
        rc = store_attachment_insert(tx, row, err);
    }
    if (!rc)
        rc = audit(tx, who, req, "attachment.upload", row, now, err);
    if (!rc)
        rc = store_tx_commit(tx, err);
    store_tx_end(tx);
    return rc;
}

void api_attachments_upload(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const allowed[] = {"kind", "filename", NULL};
    struct auth_subject who;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_APPLICATION_WRITE, NULL) ||
        !api_query_only(req, resp, allowed))
        return;
    int64_t application_id = api_param_id(req, resp, 0);
    if (!application_id)
        return;
    struct yj_error err;
    yj_error_clear(&err);
    /* Decide access before touching the disk, so that nobody outside the unit can
     * leave blobs behind; the write transaction decides again. */
    struct store_tx *tx = NULL;
    struct store_application_facts f;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = application_check(tx, req, &who, AUTH_APPLICATION_WRITE, application_id, true,
                               yj_now_ms(app->clock), &f, &err);
    store_tx_end(tx);
    struct store_attachment row = {
        .application_id = application_id,
        .kind = http_query(req, "kind"),
        .filename = http_query(req, "filename"),
        .size = (int64_t)req->body_len,
    };
    if (!rc)
        rc = attach_kind_check(row.kind, &err);
    if (!rc)
        rc = attach_filename_check(row.filename, &err);
    if (!rc)
        rc = attach_sniff(req->body, req->body_len, &row.media_type, &err);
    /* The blob goes first and outside the write lock (an fsync of up to 20 MiB):
     * a blob without a row is harmless garbage, a row without its blob is not. */
    char sha256[ATTACH_SHA256_HEX + 1];
    if (!rc)
        rc = attach_blob_put(store_data_dir(app->store), req->body, req->body_len, sha256, &err);
    row.sha256 = sha256;
    if (!rc)
        rc = upload_commit(app, req, &who, &row, &err);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_json(resp, 201, attachment_json(&row));
    http_response_header(
        resp, "Location",
        yj_arena_printf(req->arena, "/api/v1/attachments/%lld", (long long)row.id));
}

void api_attachments_list(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const allowed[] = {"limit", "cursor", NULL};
    struct auth_subject who;
    struct api_page page;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_APPLICATION_READ, NULL) ||
        !api_query_only(req, resp, allowed) || !api_page_parse(req, resp, &page))
        return;
    int64_t application_id = api_param_id(req, resp, 0);
    if (!application_id)
        return;
    struct yj_error err;
    yj_error_clear(&err);
    struct store_tx *tx = NULL;
    struct store_application_facts f;
    struct store_attachment *items = NULL;
    size_t n = 0;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = application_check(tx, req, &who, AUTH_APPLICATION_READ, application_id, false, 0, &f,
                               &err);
    if (!rc)
        rc = store_attachment_list(tx, application_id, req->arena, &items, &n, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    /* An application holds few attachments (ATTACH_MAX_PER_APPLICATION), all read
     * at once; the usual paging parameters still work, over ids. */
    size_t first = 0;
    while (first < n && items[first].id <= page.after)
        first++;
    size_t count = n - first;
    bool more = api_page_trim(&page, &count);
    json_t *arr = json_array();
    for (size_t i = first; i < first + count; i++)
        json_array_append_new(arr, attachment_json(&items[i]));
    api_list(resp, arr, more, count ? items[first + count - 1].id : 0);
}

/* The common part of metadata and download: the attachment, if who may read it. */
static bool readable(struct api_app *app, struct http_request *req, struct http_response *resp,
                     struct store_attachment *a)
{
    static const char *const none[] = {NULL};
    struct auth_subject who;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_APPLICATION_READ, NULL) ||
        !api_query_only(req, resp, none))
        return false;
    int64_t id = api_param_id(req, resp, 0);
    if (!id)
        return false;
    struct yj_error err;
    yj_error_clear(&err);
    struct store_tx *tx = NULL;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = attachment_check(tx, req, &who, AUTH_APPLICATION_READ, id, false, 0, a, &err);
    store_tx_end(tx);
    if (rc)
        api_fail(resp, &err);
    return !rc;
}

void api_attachments_get(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct store_attachment a;
    if (readable(vapp, req, resp, &a))
        http_response_json(resp, 200, attachment_json(&a));
}

void api_attachments_content(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct store_attachment a;
    if (!readable(app, req, resp, &a))
        return;
    struct yj_error err;
    yj_error_clear(&err);
    if (api_send_blob(app, req, resp, a.sha256, a.size, a.filename, a.media_type, &err))
        api_fail(resp, &err);
}

void api_attachments_delete(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const none[] = {NULL};
    struct auth_subject who;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_APPLICATION_WRITE, NULL) ||
        !api_query_only(req, resp, none))
        return;
    int64_t id = api_param_id(req, resp, 0);
    if (!id)
        return;
    struct yj_error err;
    yj_error_clear(&err);
    struct store_tx *tx = NULL;
    struct store_attachment a;
    int64_t now = yj_now_ms(app->clock);
    enum yj_err rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = attachment_check(tx, req, &who, AUTH_APPLICATION_WRITE, id, true,
                              yj_now_ms(app->clock), &a, &err);
    if (!rc)
        rc = store_attachment_delete(tx, id, now, &err);
    if (!rc)
        rc = audit(tx, &who, req, "attachment.delete", &a, now, &err);
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_empty(resp);
}

void api_reference_attachment_kinds(void *vapp, struct http_request *req,
                                    struct http_response *resp)
{
    static const char *const allowed[] = {"limit", "cursor", NULL};
    struct auth_subject who;
    if (!api_authenticate(vapp, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_REFERENCE_READ, NULL) ||
        !api_query_only(req, resp, allowed))
        return;
    json_t *arr = json_array();
    for (size_t i = 0; i < attach_kinds_count; i++) {
        const struct attach_kind *k = &attach_kinds[i];
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:i}", "code", k->code, "name_zh",
                                             k->name_zh, "name_en", k->name_en, "min_at_submission",
                                             k->min_at_submission));
    }
    api_list(resp, arr, false, 0);
}
