/*
 * api_notify.h - handlers of notifications (notify_api.c): webhook endpoints and
 * the test message (the authority), the outbox with every delivery attempt (the
 * authority and the auditor), and each user's own in-app notifications. Their
 * routes are listed in routes_notify.inc; the contract is docs/api-notify.md.
 */
#ifndef YJ_API_NOTIFY_H
#define YJ_API_NOTIFY_H

#include "http/http.h"

void api_webhooks_list(void *app, struct http_request *req, struct http_response *resp);
void api_webhooks_create(void *app, struct http_request *req, struct http_response *resp);
void api_webhooks_get(void *app, struct http_request *req, struct http_response *resp);
void api_webhooks_patch(void *app, struct http_request *req, struct http_response *resp);
void api_webhooks_delete(void *app, struct http_request *req, struct http_response *resp);
void api_notify_test(void *app, struct http_request *req, struct http_response *resp);

/* duty_api.c: the authority's duty desk that escalations also reach. */
void api_duty_get(void *app, struct http_request *req, struct http_response *resp);
void api_duty_put(void *app, struct http_request *req, struct http_response *resp);

void api_outbox_list(void *app, struct http_request *req, struct http_response *resp);
void api_outbox_get(void *app, struct http_request *req, struct http_response *resp);

void api_notifications_list(void *app, struct http_request *req, struct http_response *resp);
void api_notifications_read(void *app, struct http_request *req, struct http_response *resp);
void api_notifications_read_all(void *app, struct http_request *req, struct http_response *resp);
void api_notifications_unread_count(void *app, struct http_request *req,
                                    struct http_response *resp);

#endif
