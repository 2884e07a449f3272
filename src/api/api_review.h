/*
 * api_review.h - handlers of security review, expert panels, conflict declarations, scores, ranking, proposed list, public notice, objections, publication.
 * Their routes are listed in routes_review.inc.
 */
#ifndef YJ_API_REVIEW_H
#define YJ_API_REVIEW_H

#include "http/http.h"

#endif
