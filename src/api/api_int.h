/*
 * api_int.h - shared by the API's handler files: authentication of a request,
 * strict JSON field decoding, paging, and answering.
 */
#ifndef YJ_API_INT_H
#define YJ_API_INT_H

#include "api/api.h"
#include "audit/audit.h"
#include "core/yj.h"

/* Resolves the caller from the session cookie or bearer token, and for writes
 * through a cookie checks X-CSRF-Token. On failure answers resp and returns false. */
bool api_authenticate(struct api_app *app, struct http_request *req, struct http_response *resp,
                      struct auth_subject *who);

/* auth_policy_check; on refusal answers resp and returns false. */
bool api_allow(struct http_request *req, struct http_response *resp, const struct auth_subject *who,
               enum auth_action action, const struct auth_object *obj);

/* Answers err. */
void api_fail(struct http_response *resp, const struct yj_error *err);

/* The body as a JSON object (checks Content-Type); on failure answers resp, returns NULL. */
json_t *api_body(struct http_request *req, struct http_response *resp);

/* Path parameter i as a positive id; on failure answers 404 and returns 0. */
int64_t api_param_id(struct http_request *req, struct http_response *resp, int i);

/* Paging: ?limit (1..200, default 50) and ?cursor (opaque). false + answered on bad input. */
struct api_page {
    int limit;
    int64_t after; /* decoded cursor; 0 for the first page */
};
bool api_page_parse(struct http_request *req, struct http_response *resp, struct api_page *p);

/* Refuses query arguments not in allowed (NULL-terminated). */
bool api_query_only(struct http_request *req, struct http_response *resp,
                    const char *const *allowed);

/* A page is fetched with limit + 1 rows to learn whether more follow: trims *n to
 * the limit and says whether it had to. */
bool api_page_trim(const struct api_page *p, size_t *n);

/* {"items": items, "next_cursor": "<last>" or null}; takes items. */
void api_list(struct http_response *resp, json_t *items, bool more, int64_t last);

/* Strict field readers over a JSON object. Each returns YJ_OK or YJ_EINVAL naming key.
 * "Optional" readers leave *out unchanged when the key is absent or null. */
enum yj_err api_get_string(const json_t *obj, const char *key, bool required, struct yj_arena *a,
                           const char **out, struct yj_error *err);
/* A string that must be UTF-8 text without control characters (\t \n \r allowed)
 * and at most max characters; required also refuses "". */
enum yj_err api_get_text(const json_t *obj, const char *key, bool required, size_t max,
                         struct yj_arena *a, const char **out, struct yj_error *err);
enum yj_err api_get_int(const json_t *obj, const char *key, bool required, int64_t min, int64_t max,
                        int64_t *out, struct yj_error *err);
enum yj_err api_get_bool(const json_t *obj, const char *key, bool *out, struct yj_error *err);
enum yj_err api_get_time(const json_t *obj, const char *key, bool required, int64_t *out,
                         struct yj_error *err);
/* YJ_EINVAL naming the first key of obj not in allowed (NULL-terminated). */
enum yj_err api_check_keys(const json_t *obj, const char *const *allowed, struct yj_error *err);

/* json_t for a time in ms (RFC 3339 string), or null for 0. */
json_t *api_time(int64_t ms);

/* An audit entry from the caller and request, for audit_append. */
struct audit_entry api_audit_entry(const struct auth_subject *who, const struct http_request *req,
                                   const char *action, const char *object_type,
                                   const char *object_id, const char *changes);

/* Appends the audit record of a change to object_type id, with changes (borrowed; NULL:
 * none) as its compact JSON text. */
enum yj_err api_audit_json(struct store_tx *tx, const struct auth_subject *who,
                           const struct http_request *req, const char *action,
                           const char *object_type, int64_t id, const json_t *changes, int64_t now,
                           struct yj_error *err);

/* A string, or null for NULL; an id, or null for 0. New references. */
json_t *api_str_or_null(const char *s);
json_t *api_id_or_null(int64_t id);

/* The ETag of a version: "\"<n>\"" (arena string). */
const char *api_etag(struct yj_arena *a, int64_t version);
/* The version If-Match names: > 0, -1 for "*" (any version; only with allow_any, else
 * it is refused like any other value that names no version), or 0 after answering 428
 * (absent) or 412. */
int64_t api_if_match(struct http_request *req, struct http_response *resp, bool allow_any);

/* A decimal id as an arena string. */
const char *api_id_str(struct yj_arena *a, int64_t id);

/*
 * Answers 200 with a stored file (an attachment, an evidence entry): the blob whose
 * SHA-256 is sha256 (lower-case hex), checked to be size bytes with that hash, as
 * a download called filename of type media_type (Content-Disposition from
 * attach_content_disposition), with Cache-Control private, a sandboxing CSP and
 * the SHA-256 as ETag. sha256, filename and media_type must live as long as the
 * response (the request's arena). The caller has checked the row is the caller's
 * to read; a blob missing under it is a damaged store, YJ_EIO "the stored file is
 * missing", not a 404, and bytes that no longer match are YJ_EIO too. On failure
 * fills err and returns its code, leaving resp for the caller to answer (api_fail).
 */
enum yj_err api_send_blob(struct api_app *app, struct http_request *req, struct http_response *resp,
                          const char *sha256, int64_t size, const char *filename,
                          const char *media_type, struct yj_error *err);

/*
 * Answers 200 with b's bytes (taken: b is left empty) of type content_type as a
 * download: Content-Disposition `attachment; filename="<ascii_name>";
 * filename*=UTF-8''<utf8_name percent-encoded>` (RFC 6266, RFC 8187), so that a
 * browser saves the Chinese name and an old client the ASCII one. ascii_name must
 * need no quoting (letters, digits, "-", "_", "."); content_type must outlive the
 * response. Adds no Cache-Control of its own (the server sends no-store).
 */
void api_send_download(struct http_request *req, struct http_response *resp, struct yj_buf *b,
                       const char *content_type, const char *ascii_name, const char *utf8_name);

/* Handlers, by file. */
void api_healthz(void *app, struct http_request *req, struct http_response *resp);
void api_metrics(void *app, struct http_request *req, struct http_response *resp);
void api_openapi(void *app, struct http_request *req, struct http_response *resp);
void api_reference_capabilities(void *app, struct http_request *req, struct http_response *resp);
void api_reference_contact_roles(void *app, struct http_request *req, struct http_response *resp);
void api_reference_provinces(void *app, struct http_request *req, struct http_response *resp);

void api_session_create(void *app, struct http_request *req, struct http_response *resp);
void api_session_get(void *app, struct http_request *req, struct http_response *resp);
void api_session_delete(void *app, struct http_request *req, struct http_response *resp);
void api_session_password(void *app, struct http_request *req, struct http_response *resp);
void api_tokens_list(void *app, struct http_request *req, struct http_response *resp);
void api_tokens_create(void *app, struct http_request *req, struct http_response *resp);
void api_tokens_revoke(void *app, struct http_request *req, struct http_response *resp);

void api_users_list(void *app, struct http_request *req, struct http_response *resp);
void api_users_create(void *app, struct http_request *req, struct http_response *resp);
void api_users_get(void *app, struct http_request *req, struct http_response *resp);
void api_users_patch(void *app, struct http_request *req, struct http_response *resp);
void api_users_reset_password(void *app, struct http_request *req, struct http_response *resp);

void api_units_list(void *app, struct http_request *req, struct http_response *resp);
void api_units_create(void *app, struct http_request *req, struct http_response *resp);
void api_units_get(void *app, struct http_request *req, struct http_response *resp);
void api_units_patch(void *app, struct http_request *req, struct http_response *resp);
void api_units_delete(void *app, struct http_request *req, struct http_response *resp);
void api_units_history(void *app, struct http_request *req, struct http_response *resp);

/* A user as the API shows it (never the password hash). */
json_t *api_user_json(const struct store_user *u);

void api_audit_list(void *app, struct http_request *req, struct http_response *resp);
/* Encodes an audit row (changes parsed back into an object). */
json_t *api_audit_row_json(const struct store_audit_row *r);

#endif
