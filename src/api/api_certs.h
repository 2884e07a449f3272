/*
 * api_certs.h - handlers of certificates, their status changes, change reports
 * and re-qualification tasks (certs_api.c), and the public look-up of a
 * certificate by number (public_api.c). Their routes are listed in
 * routes_certs.inc; the contract is docs/api-certs.md.
 */
#ifndef YJ_API_CERTS_H
#define YJ_API_CERTS_H

#include "http/http.h"

/* The public look-up's rate limit per client address (struct api_options, `yingji
 * serve --public-limit N`): a burst of N, then N a minute, i.e. one more every
 * 60000 / N ms rounded up. By default N is 20: a burst of 20, then one every 3 s.
 * At most API_PUBLIC_LIMIT_MAX (one a millisecond); 0 turns the limit off. Tracked
 * for API_PUBLIC_KEYS addresses at most (see core/ratelimit.h for what happens
 * past that). */
enum {
    API_PUBLIC_LIMIT_DEFAULT = 20,
    API_PUBLIC_LIMIT_MAX = 60000,
    API_PUBLIC_BURST = API_PUBLIC_LIMIT_DEFAULT, /* the default's burst and interval */
    API_PUBLIC_INTERVAL_MS = (60000 + API_PUBLIC_LIMIT_DEFAULT - 1) / API_PUBLIC_LIMIT_DEFAULT,
    API_PUBLIC_KEYS = 8192,
};
_Static_assert(API_PUBLIC_INTERVAL_MS == 3000, "the default limit is one look-up every 3 s");

/* The refill interval of a limit of n a minute (n >= 1): 60000 / n ms, rounded up, so
 * that a limit never allows more than n a minute. */
int64_t api_public_interval_ms(int n);

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
