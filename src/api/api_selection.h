/*
 * api_selection.h - handlers of campaigns, thresholds and rubric, unit grades and bans, applications (drafts, versions, submission, return, paper copy), eligibility.
 * Their routes are listed in routes_selection.inc.
 */
#ifndef YJ_API_SELECTION_H
#define YJ_API_SELECTION_H

#include "http/http.h"

#endif
