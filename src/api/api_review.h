/*
 * api_review.h - the review of applications: the police's background review,
 * expert panels with conflict declarations and score sheets, the ranking, the
 * proposed list, objections during the public notice, and publication with
 * certificates. Routes are listed in routes_review.inc.
 */
#ifndef YJ_API_REVIEW_H
#define YJ_API_REVIEW_H

#include "api/api.h"
#include "auth/auth.h"
#include "http/http.h"
#include "selection/selection.h"

void api_security_view(void *app, struct http_request *req, struct http_response *resp);
void api_security_review(void *app, struct http_request *req, struct http_response *resp);

void api_panels_list(void *app, struct http_request *req, struct http_response *resp);
void api_panels_create(void *app, struct http_request *req, struct http_response *resp);
void api_panels_get(void *app, struct http_request *req, struct http_response *resp);
void api_panels_members(void *app, struct http_request *req, struct http_response *resp);
void api_panels_close(void *app, struct http_request *req, struct http_response *resp);

void api_conflict_declare(void *app, struct http_request *req, struct http_response *resp);
void api_scores_mine_get(void *app, struct http_request *req, struct http_response *resp);
void api_scores_mine_put(void *app, struct http_request *req, struct http_response *resp);
void api_scores_all(void *app, struct http_request *req, struct http_response *resp);

void api_ranking(void *app, struct http_request *req, struct http_response *resp);
void api_proposal(void *app, struct http_request *req, struct http_response *resp);
void api_objections_list(void *app, struct http_request *req, struct http_response *resp);
void api_objections_create(void *app, struct http_request *req, struct http_response *resp);
void api_objections_decide(void *app, struct http_request *req, struct http_response *resp);

/*
 * Publication, called by the stage change to published inside its write
 * transaction: every proposed application becomes selected and gets its
 * certificate (valid from the publication date for the campaign's validity),
 * each issue audited; sets the campaign's valid_from, valid_to and published_at.
 */
enum yj_err api_campaign_publish(struct api_app *app, struct http_request *req,
                                 const struct auth_subject *who, struct store_tx *tx,
                                 struct sel_campaign *c, int64_t now, struct yj_error *err);

#endif
