/*
 * api_selection.h - campaigns, unit records (grades and bans), applications
 * (drafts, versions, submission, return, paper copy) and the eligibility
 * pre-check, over HTTP. Routes are listed in routes_selection.inc.
 */
#ifndef YJ_API_SELECTION_H
#define YJ_API_SELECTION_H

#include <jansson.h>

#include "core/arena.h"
#include "http/http.h"
#include "selection/selection.h"

/*
 * Decodes campaign fields from a JSON object into c, strictly (unknown and
 * read-only keys refused with their path). Only keys present are written, so
 * decoding into a campaign filled with defaults or the stored values gives the
 * result of a create or a merge patch. Strings are arena-allocated.
 */
enum yj_err api_campaign_decode(const json_t *o, struct yj_arena *a, struct sel_campaign *c,
                                struct yj_error *err);
/* A campaign as the API shows it. New reference. */
json_t *api_campaign_encode(const struct sel_campaign *c);

/* An application's content from JSON (strict; profile required), into arena strings. */
enum yj_err api_application_decode(const json_t *o, struct yj_arena *a, struct sel_application *out,
                                   struct yj_error *err);
/* An application's content as JSON. New reference. */
json_t *api_application_encode(const struct sel_application *a);
/* The stored text of a content document: compact, keys sorted. malloc'd. */
char *api_application_canonical(const json_t *content);

void api_campaigns_list(void *app, struct http_request *req, struct http_response *resp);
void api_campaigns_create(void *app, struct http_request *req, struct http_response *resp);
void api_campaigns_get(void *app, struct http_request *req, struct http_response *resp);
void api_campaigns_patch(void *app, struct http_request *req, struct http_response *resp);
void api_campaigns_stage(void *app, struct http_request *req, struct http_response *resp);
void api_campaigns_pipeline(void *app, struct http_request *req, struct http_response *resp);

void api_unit_record_get(void *app, struct http_request *req, struct http_response *resp);
void api_unit_grades_create(void *app, struct http_request *req, struct http_response *resp);

void api_applications_list(void *app, struct http_request *req, struct http_response *resp);
void api_applications_create(void *app, struct http_request *req, struct http_response *resp);
void api_applications_get(void *app, struct http_request *req, struct http_response *resp);
void api_applications_content(void *app, struct http_request *req, struct http_response *resp);
void api_applications_version(void *app, struct http_request *req, struct http_response *resp);
void api_applications_submit(void *app, struct http_request *req, struct http_response *resp);
void api_applications_return(void *app, struct http_request *req, struct http_response *resp);
void api_applications_paper(void *app, struct http_request *req, struct http_response *resp);
void api_applications_override(void *app, struct http_request *req, struct http_response *resp);

#endif
