/*
 * api_reports.h - handlers of routes_reports.inc: an incident's evidence (the
 * chain of custody, evidence_api.c) and the upward reports the authority files
 * with the offices above it (STANDARDS.md §3, reports_api.c and
 * report_export_api.c). The contract is docs/api-reports.md.
 *
 * Times in JSON are RFC 3339 like the rest of the API (null when not known);
 * countdowns (remaining_ms) are integer milliseconds.
 */
#ifndef YJ_API_API_REPORTS_H
#define YJ_API_API_REPORTS_H

#include <jansson.h>

#include "api/api.h"
#include "attach/attach.h" /* ATTACH_MAX_SIZE, the evidence upload's body limit */
#include "http/http.h"
#include "store/store_incidents.h"
#include "store/store_reports.h"

/* --- evidence_api.c ----------------------------------------------------------------- */

/* POST /api/v1/incidents/{id}/evidence?filename=&note= (body: the file). */
void api_evidence_add(void *app, struct http_request *req, struct http_response *resp);
/* GET /api/v1/incidents/{id}/evidence */
void api_evidence_list(void *app, struct http_request *req, struct http_response *resp);
/* GET /api/v1/incidents/{id}/evidence/{seq}/content */
void api_evidence_content(void *app, struct http_request *req, struct http_response *resp);

/* --- reports_api.c ------------------------------------------------------------------ */

/* GET /api/v1/incidents/{id}/reporting */
void api_reports_reporting(void *app, struct http_request *req, struct http_response *resp);
/* GET /api/v1/reference/report-forms */
void api_reports_forms(void *app, struct http_request *req, struct http_response *resp);
/* POST /api/v1/incidents/{id}/reports */
void api_reports_create(void *app, struct http_request *req, struct http_response *resp);
/* GET /api/v1/incidents/{id}/reports */
void api_reports_list(void *app, struct http_request *req, struct http_response *resp);
/* GET /api/v1/reports/{id} */
void api_reports_get(void *app, struct http_request *req, struct http_response *resp);
/* PATCH /api/v1/reports/{id} */
void api_reports_patch(void *app, struct http_request *req, struct http_response *resp);
/* POST /api/v1/reports/{id}/send */
void api_reports_send(void *app, struct http_request *req, struct http_response *resp);

/* --- report_export_api.c ------------------------------------------------------------- */

/* GET /api/v1/reports/{id}/export?format=pdf|json */
void api_reports_export(void *app, struct http_request *req, struct http_response *resp);

/* --- shared by reports_api.c and report_export_api.c ---------------------------------- */

/* What the rules say an incident owes upward, with its reports: loaded by
 * api_reporting_load, all in one arena. */
struct api_reporting {
    struct store_incident incident;
    const struct inc_level *level;      /* NULL until graded */
    const struct inc_report_rule *rule; /* the operator type's row; NULL if none */
    bool applies;                       /* 较大 and above */
    struct inc_report_due due[3];       /* inc_report_obligations, pass-on from the first's send */
    size_t n_due;
    struct store_report *reports; /* oldest first */
    size_t n_reports;
};

/* Loads incident_id's reporting duties and reports (YJ_ENOTFOUND "not found" when there
 * is no such incident). The pass-on's deadline counts from when the first report was
 * sent (0 while it is not), the final one's from the incident's resolution. */
enum yj_err api_reporting_load(struct store_tx *tx, int64_t incident_id, struct yj_arena *a,
                               struct api_reporting *out, struct yj_error *err);

/* Loads report id (YJ_ENOTFOUND "not found" when there is none) into *r and its
 * incident's duties and reports into *ctx, as api_reporting_load. */
enum yj_err api_report_load(struct store_tx *tx, int64_t id, struct yj_arena *a,
                            struct store_report *r, struct api_reporting *ctx,
                            struct yj_error *err);

/* The same for an incident the caller has already read (its strings must outlive out). */
enum yj_err api_reporting_of(struct store_tx *tx, const struct store_incident *incident,
                             struct yj_arena *a, struct api_reporting *out, struct yj_error *err);

/* The deadline of a report of kind k as ctx knows it now (0: none or not yet known). */
int64_t api_reporting_due(const struct api_reporting *ctx, enum inc_report_kind k);

/* The form a report of kind k is filled in: the final report's for INC_R_FINAL, the
 * report form (事件报告) otherwise. */
const struct inc_form_item *api_report_form(enum inc_report_kind k, size_t *n);

/* The duties of ctx with their countdowns at now (a new array): the obligations of
 * GET …/reporting, and the incident's own `reporting`. */
json_t *api_reporting_duties(const struct api_reporting *ctx, int64_t now);

/* A report as the API shows it (new reference); due_at from ctx when it is not sent
 * (the deadline may have become known since it was saved), as stored once sent. */
json_t *api_report_json(const struct store_report *r, const struct api_reporting *ctx);

#endif
