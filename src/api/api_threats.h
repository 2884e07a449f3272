/*
 * api_threats.h - the HTTP side of threat reports (威胁监测处置专项报告) and early
 * warnings (预警通报): handlers (routes in routes_threats.inc) and what their files
 * share. docs/api-threats.md is the prose contract.
 */
#ifndef YJ_API_API_THREATS_H
#define YJ_API_API_THREATS_H

#include <jansson.h>

#include "api/api.h"
#include "attach/attach.h" /* ATTACH_MAX_SIZE, the evidence upload's body limit */
#include "http/http.h"
#include "store/store_threats.h"

enum {
    API_THREAT_BODY_MAX = 1024 * 1024, /* a report with a thousand five-tuples */
    API_THREAT_FILES_MAX = 50,         /* evidence files per report */
};

/* threats_api.c */
void api_threats_list(void *app, struct http_request *req, struct http_response *resp);
void api_threats_create(void *app, struct http_request *req, struct http_response *resp);
void api_threats_stats(void *app, struct http_request *req, struct http_response *resp);
void api_threats_get(void *app, struct http_request *req, struct http_response *resp);
void api_threats_patch(void *app, struct http_request *req, struct http_response *resp);
void api_threats_submit(void *app, struct http_request *req, struct http_response *resp);
void api_threats_review(void *app, struct http_request *req, struct http_response *resp);

/* threat_files_api.c */
void api_threats_incident(void *app, struct http_request *req, struct http_response *resp);
void api_threat_files_add(void *app, struct http_request *req, struct http_response *resp);
void api_threat_files_list(void *app, struct http_request *req, struct http_response *resp);
void api_threat_file_content(void *app, struct http_request *req, struct http_response *resp);

/* warnings_api.c */
void api_warnings_list(void *app, struct http_request *req, struct http_response *resp);
void api_warnings_create(void *app, struct http_request *req, struct http_response *resp);
void api_warnings_get(void *app, struct http_request *req, struct http_response *resp);
void api_warnings_patch(void *app, struct http_request *req, struct http_response *resp);
void api_warnings_submit(void *app, struct http_request *req, struct http_response *resp);
void api_warnings_review(void *app, struct http_request *req, struct http_response *resp);
void api_bulletins_list(void *app, struct http_request *req, struct http_response *resp);

/* digest_api.c: the weekly and monthly digest of bulletins, PDF or JSON */
void api_bulletins_digest(void *app, struct http_request *req, struct http_response *resp);

/* --- shared (threats_api.c) ------------------------------------------------------------- */

/*
 * Loads report id and asks the policy whether who may do action on it: a unit only
 * on its own unit's reports (the authority's own are nobody else's); anything else
 * is YJ_ENOTFOUND "not found", like a missing report.
 */
enum yj_err api_threat_load(struct store_tx *tx, struct yj_arena *a, const struct auth_subject *who,
                            enum auth_action action, int64_t id, struct store_threat_report *r,
                            struct yj_error *err);

/* Only whoever filed a report changes it: its unit's users, or for the authority's own
 * reports the authority (YJ_EPERM otherwise); and only while it is a draft or returned
 * (YJ_ECONFLICT "status"). */
enum yj_err api_threat_owner_check(const struct auth_subject *who,
                                   const struct store_threat_report *r, struct yj_error *err);

/* A report without its lists (new reference). */
json_t *api_threat_json(const struct store_threat_report *r);
json_t *api_threat_file_json(const struct store_threat_file *f);
/* A review decision: {"seq", "decision", "comment", "version", "reviewed_by", "reviewer",
 * "reviewed_at"} (new reference). */
json_t *api_review_json(const struct store_review *v);

/* Appends an audit record: action on object_type/id with changes (taken; may be NULL). */
enum yj_err api_threat_audit(struct store_tx *tx, const struct auth_subject *who,
                             const struct http_request *req, const char *action,
                             const char *object_type, int64_t id, json_t *changes, int64_t now,
                             struct yj_error *err);

#endif
