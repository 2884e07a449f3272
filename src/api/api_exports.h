/*
 * api_exports.h - downloads of the selection's documents: the applications
 * summary (XLSX, CSV), an expert's score sheet and a panel's summary (XLSX), the
 * published list (printable HTML, PDF). Routes are listed in routes_exports.inc.
 */
#ifndef YJ_API_EXPORTS_H
#define YJ_API_EXPORTS_H

#include "http/http.h"

void api_export_summary_xlsx(void *app, struct http_request *req, struct http_response *resp);
void api_export_summary_csv(void *app, struct http_request *req, struct http_response *resp);
void api_export_scoresheet(void *app, struct http_request *req, struct http_response *resp);
void api_export_panel_summary(void *app, struct http_request *req, struct http_response *resp);
void api_export_published_html(void *app, struct http_request *req, struct http_response *resp);
void api_export_published_pdf(void *app, struct http_request *req, struct http_response *resp);

#endif
