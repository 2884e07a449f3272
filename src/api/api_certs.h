/*
 * api_certs.h - handlers of certificates, their status changes, change reports
 * and re-qualification tasks (certs_api.c), and the public look-up of a
 * certificate by number (public_api.c). Their routes are listed in
 * routes_certs.inc; the contract is docs/api-certs.md.
 */
#ifndef YJ_API_CERTS_H
#define YJ_API_CERTS_H

#include "http/http.h"

/* The public look-up's rate limit per client address: a burst of this many, then
 * one more every interval (20 a minute sustained). Tracked for this many addresses
 * at most (see core/ratelimit.h for what happens past that). */
enum {
    API_PUBLIC_BURST = 20,
    API_PUBLIC_INTERVAL_MS = 3000,
    API_PUBLIC_KEYS = 8192,
};

void api_certs_list(void *app, struct http_request *req, struct http_response *resp);
void api_certs_get(void *app, struct http_request *req, struct http_response *resp);
void api_certs_status(void *app, struct http_request *req, struct http_response *resp);
void api_reference_revocation_causes(void *app, struct http_request *req,
                                     struct http_response *resp);
void api_change_reports_create(void *app, struct http_request *req, struct http_response *resp);
void api_requal_list(void *app, struct http_request *req, struct http_response *resp);
void api_requal_get(void *app, struct http_request *req, struct http_response *resp);
void api_requal_decide(void *app, struct http_request *req, struct http_response *resp);

/* GET /public/certificates/{number}: no authentication at all. */
void api_public_certificate(void *app, struct http_request *req, struct http_response *resp);

#endif
