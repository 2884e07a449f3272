/*
 * api_work.h - handlers of routes_work.inc: the units' work logs, the monthly
 * obligations computed from the records (work_api.c), and drills (drills_api.c).
 */
#ifndef YJ_API_API_WORK_H
#define YJ_API_API_WORK_H

#include "api/api.h"
#include "http/http.h"

/* work_api.c */
void api_worklogs_list(void *app, struct http_request *req, struct http_response *resp);
void api_worklogs_create(void *app, struct http_request *req, struct http_response *resp);
void api_worklogs_patch(void *app, struct http_request *req, struct http_response *resp);
void api_worklogs_delete(void *app, struct http_request *req, struct http_response *resp);
void api_obligations_unit(void *app, struct http_request *req, struct http_response *resp);
void api_obligations_month(void *app, struct http_request *req, struct http_response *resp);

/* drills_api.c */
void api_drills_create(void *app, struct http_request *req, struct http_response *resp);
void api_drills_list(void *app, struct http_request *req, struct http_response *resp);
void api_drills_get(void *app, struct http_request *req, struct http_response *resp);
void api_drills_ack(void *app, struct http_request *req, struct http_response *resp);

#endif
