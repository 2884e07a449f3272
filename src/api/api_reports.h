/*
 * api_reports.h - handlers of routes_reports.inc.
 */
#ifndef YJ_API_API_REPORTS_H
#define YJ_API_API_REPORTS_H

#include "api/api.h"
#include "http/http.h"

#endif
