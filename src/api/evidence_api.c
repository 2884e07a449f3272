/*
 * evidence_api.c - /api/v1/incidents/{id}/evidence: an incident's evidence as a
 * chain of custody. Each entry names its file by SHA-256 (the bytes live in the
 * blob store like attachments), who added it and when, and carries a hash over
 * those facts and the entry before it; the rows are append-only (database
 * triggers), and every listing recomputes the chain and says whether it holds.
 *
 * The authority and any unit that takes part in the incident add evidence; a unit
 * sees the authority's entries and its own, another unit's are 404 to it.
 */
#include <sodium.h>

#include "api/api_incidents.h"
#include "api/api_int.h"
#include "api/api_reports.h"

enum { EVIDENCE_NOTE_MAX = 1000 }; /* characters */

/* --- the chain ------------------------------------------------------------------------- */

/* Feeds one field as a netstring ("<byte length>:<bytes>,"), so that no choice of
 * values can make two different entries hash the same input. */
static void hash_field(crypto_hash_sha256_state *st, const char *s)
{
    char len[24];
    size_t n = strlen(s);
    int k = snprintf(len, sizeof len, "%zu:", n);
    crypto_hash_sha256_update(st, (const unsigned char *)len, (unsigned long long)k);
    crypto_hash_sha256_update(st, (const unsigned char *)s, n);
    crypto_hash_sha256_update(st, (const unsigned char *)",", 1);
}

static void hash_int(crypto_hash_sha256_state *st, int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    hash_field(st, buf);
}

/*
 * The entry hash (docs/api-reports.md, "The chain"): SHA-256 over the netstrings of
 * "yingji.evidence.v1", prev_hash ("" for the first entry), the incident id, seq,
 * the file's SHA-256, filename, size, added_by (user id) and added_at (ms), numbers
 * in decimal; lower-case hex into out.
 */
static void entry_hash(const struct store_evidence *e, char out[ATTACH_SHA256_HEX + 1])
{
    crypto_hash_sha256_state st;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&st);
    hash_field(&st, "yingji.evidence.v1");
    hash_field(&st, e->prev_hash ? e->prev_hash : "");
    hash_int(&st, e->incident_id);
    hash_int(&st, e->seq);
    hash_field(&st, e->sha256 ? e->sha256 : "");
    hash_field(&st, e->filename ? e->filename : "");
    hash_int(&st, e->size);
    hash_int(&st, e->added_by);
    hash_int(&st, e->added_at);
    crypto_hash_sha256_final(&st, digest);
    yj_hex(digest, sizeof digest, out);
}

/* Whether the whole chain holds: seq 1, 2, ... without gaps, each entry pointing at
 * the one before and its hash what its facts give. */
static bool chain_ok(const struct store_evidence *e, size_t n)
{
    const char *prev = "";
    for (size_t k = 0; k < n; k++) {
        char h[ATTACH_SHA256_HEX + 1];
        if (e[k].seq != (int64_t)k + 1 || !e[k].prev_hash || strcmp(e[k].prev_hash, prev) != 0)
            return false;
        entry_hash(&e[k], h);
        if (!e[k].entry_hash || strcmp(h, e[k].entry_hash) != 0)
            return false;
        prev = e[k].entry_hash;
    }
    return true;
}

/* --- shared ---------------------------------------------------------------------------- */

/*
 * Loads incident id and asks the policy whether who may do action on it: a unit only
 * on an incident it takes part in (a dispatch to it, or it reported it); otherwise,
 * like a missing incident, 404.
 */
static enum yj_err incident_check(struct store_tx *tx, struct yj_arena *a,
                                  const struct auth_subject *who, enum auth_action action,
                                  int64_t id, struct store_incident *i, struct yj_error *err)
{
    enum yj_err rc = store_incident_get(tx, id, a, i, err);
    if (rc == YJ_ENOTFOUND)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "not found");
    struct auth_object obj = {0};
    if (!rc && who->role == AUTH_ROLE_UNIT) {
        bool involved = false;
        rc = store_incident_involves(tx, id, who->unit_id, &involved, err);
        obj.unit_id = involved ? who->unit_id : -1;
    }
    return rc ? rc : auth_policy_check(who, action, &obj, err);
}

/* The unit whose entries the caller sees beside the authority's; 0: every entry. */
static int64_t scope_of(const struct auth_subject *who)
{
    return who->role == AUTH_ROLE_UNIT ? who->unit_id : 0;
}

/* --- adding ------------------------------------------------------------------------------ */

/* The row, its timeline entry and its audit record, in one write transaction after
 * the blob is on disk; access is decided again inside it. */
static enum yj_err add_commit(struct api_app *app, struct http_request *req,
                              const struct auth_subject *who, struct store_evidence *e,
                              struct yj_error *err)
{
    struct store_tx *tx = NULL;
    struct store_incident i;
    char *prev = NULL;
    char hash[ATTACH_SHA256_HEX + 1];
    int64_t now = yj_now_ms(app->clock);
    enum yj_err rc = store_write_begin(app->store, &tx, err);
    if (!rc)
        rc = incident_check(tx, req->arena, who, AUTH_EVIDENCE_ADD, e->incident_id, &i, err);
    if (!rc)
        rc = store_evidence_head(tx, e->incident_id, &e->seq, req->arena, &prev, err);
    if (!rc) {
        e->seq++;
        e->prev_hash = prev;
        e->added_by = who->user_id;
        e->added_by_name = who->username;
        e->unit_id = scope_of(who);
        e->added_at = now;
        entry_hash(e, hash);
        e->entry_hash = yj_arena_strdup(req->arena, hash);
        rc = store_evidence_append(tx, e, err);
    }
    if (!rc)
        rc = api_inc_event(tx, e->incident_id, now, who, "evidence_added", e->unit_id,
                           json_pack("{s:I,s:s,s:s,s:I}", "seq", (json_int_t)e->seq, "filename",
                                     e->filename, "sha256", e->sha256, "size", (json_int_t)e->size),
                           err);
    if (!rc) {
        json_t *ch = json_pack("{s:I,s:s,s:s,s:s,s:I,s:s}", "seq", (json_int_t)e->seq, "sha256",
                               e->sha256, "filename", e->filename, "media_type", e->media_type,
                               "size", (json_int_t)e->size, "entry_hash", e->entry_hash);
        char *changes = ch ? json_dumps(ch, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref(ch);
        struct audit_entry ae = api_audit_entry(who, req, "evidence.add", "incident",
                                                api_id_str(req->arena, e->incident_id), changes);
        rc = changes ? audit_append(tx, &ae, now, err)
                     : yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
        free(changes);
    }
    if (!rc)
        rc = store_tx_commit(tx, err);
    store_tx_end(tx);
    return rc;
}

/* ?note=: optional text of at most EVIDENCE_NOTE_MAX characters. */
static enum yj_err note_check(const char *note, struct yj_error *err)
{
    if (!note)
        return YJ_OK;
    if (!yj_utf8_text_ok(note, strlen(note)))
        return yj_error_set(err, YJ_EINVAL, "note", "must be text without control characters");
    if (yj_utf8_chars(note) > EVIDENCE_NOTE_MAX)
        return yj_error_set(err, YJ_EINVAL, "note", "at most %d characters", EVIDENCE_NOTE_MAX);
    return YJ_OK;
}

void api_evidence_add(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const allowed[] = {"filename", "note", NULL};
    struct auth_subject who;
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_EVIDENCE_ADD, NULL) ||
        !api_query_only(req, resp, allowed) || !(id = api_param_id(req, resp, 0)))
        return;
    struct yj_error err;
    yj_error_clear(&err);
    /* Decide access before touching the disk, so that nobody outside the incident
     * can leave blobs behind; the write transaction decides again. */
    struct store_tx *tx = NULL;
    struct store_incident i;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = incident_check(tx, req->arena, &who, AUTH_EVIDENCE_ADD, id, &i, &err);
    store_tx_end(tx);
    const char *note = http_query(req, "note");
    struct store_evidence e = {
        .incident_id = id,
        .filename = http_query(req, "filename"),
        .note = note && *note ? note : NULL,
        .size = (int64_t)req->body_len,
    };
    if (!rc)
        rc = attach_filename_check(e.filename, &err);
    if (!rc)
        rc = note_check(e.note, &err);
    if (!rc)
        rc = attach_size_check(req->body_len, &err);
    if (!rc)
        rc = attach_identify(req->body, req->body_len, req->arena, &e.media_type, &err);
    /* The blob first and outside the write lock: a blob without a row is harmless
     * garbage, a row without its blob is not. */
    char sha256[ATTACH_SHA256_HEX + 1];
    if (!rc)
        rc = attach_blob_put(store_data_dir(app->store), req->body, req->body_len, sha256, &err);
    e.sha256 = sha256;
    if (!rc)
        rc = add_commit(app, req, &who, &e, &err);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_json(resp, 201, api_evidence_json(&e));
    http_response_header(resp, "Location",
                         yj_arena_printf(req->arena, "/api/v1/incidents/%lld/evidence/%lld/content",
                                         (long long)id, (long long)e.seq));
}

/* --- reading ------------------------------------------------------------------------------ */

void api_evidence_list(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const allowed[] = {"limit", "cursor", NULL};
    struct auth_subject who;
    struct api_page page;
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_INCIDENT_READ, NULL) ||
        !api_query_only(req, resp, allowed) || !api_page_parse(req, resp, &page) ||
        !(id = api_param_id(req, resp, 0)))
        return;
    struct yj_error err;
    yj_error_clear(&err);
    struct store_tx *tx = NULL;
    struct store_incident i;
    struct store_evidence *all = NULL;
    size_t n = 0;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = incident_check(tx, req->arena, &who, AUTH_INCIDENT_READ, id, &i, &err);
    /* The whole chain, whatever the caller sees of it: the hashes link every entry. */
    if (!rc)
        rc = store_evidence_list(tx, id, 0, req->arena, &all, &n, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    int64_t scope = scope_of(&who);
    json_t *arr = json_array();
    size_t shown = 0;
    bool more = false;
    int64_t last = 0;
    for (size_t k = 0; k < n; k++) {
        if (all[k].seq <= page.after || (scope && all[k].unit_id && all[k].unit_id != scope))
            continue;
        if (shown == (size_t)page.limit) {
            more = true;
            break;
        }
        json_array_append_new(arr, api_evidence_json(&all[k]));
        last = all[k].seq;
        shown++;
    }
    json_t *cursor = json_null();
    if (more)
        cursor = json_string(api_id_str(req->arena, last));
    http_response_json(resp, 200,
                       json_pack("{s:o,s:o,s:b}", "items", arr, "next_cursor", cursor, "chain_ok",
                                 chain_ok(all, n)));
}

void api_evidence_content(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const none[] = {NULL};
    struct auth_subject who;
    int64_t id, seq;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_INCIDENT_READ, NULL) || !api_query_only(req, resp, none) ||
        !(id = api_param_id(req, resp, 0)) || !(seq = api_param_id(req, resp, 1)))
        return;
    struct yj_error err;
    yj_error_clear(&err);
    struct store_tx *tx = NULL;
    struct store_incident i;
    struct store_evidence e;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = incident_check(tx, req->arena, &who, AUTH_INCIDENT_READ, id, &i, &err);
    if (!rc)
        rc = store_evidence_get(tx, id, seq, req->arena, &e, &err);
    store_tx_end(tx);
    /* Another unit's entry is out of the caller's scope: as if it were not there. */
    int64_t scope = scope_of(&who);
    if (rc == YJ_ENOTFOUND || (!rc && scope && e.unit_id && e.unit_id != scope))
        rc = yj_error_set(&err, YJ_ENOTFOUND, NULL, "not found");
    if (!rc)
        rc = api_send_blob(app, req, resp, e.sha256, e.size, e.filename, e.media_type, &err);
    if (rc)
        api_fail(resp, &err);
}
