/*
 * api_constituency.h - the constituency over HTTP (issue 5): constituents with
 * their ranges, AS numbers, domains and contacts, and who owns an IP, domain or
 * URL (routes in routes_constituency.inc; docs/api-constituency.md is the prose
 * contract).
 */
#ifndef YJ_API_API_CONSTITUENCY_H
#define YJ_API_API_CONSTITUENCY_H

#include "api/api.h"
#include "http/http.h"

enum {
    API_CONSTITUENT_LIST_MAX = 1000, /* entries of each of ranges, asns, domains */
    API_CONSTITUENT_CONTACTS_MAX = 50,
};

void api_constituents_create(void *app, struct http_request *req, struct http_response *resp);
void api_constituents_list(void *app, struct http_request *req, struct http_response *resp);
void api_constituents_resolve(void *app, struct http_request *req, struct http_response *resp);
void api_constituents_get(void *app, struct http_request *req, struct http_response *resp);
void api_constituents_patch(void *app, struct http_request *req, struct http_response *resp);
void api_constituents_delete(void *app, struct http_request *req, struct http_response *resp);

#endif
