/*
 * api_work.h - handlers of routes_work.inc.
 */
#ifndef YJ_API_API_WORK_H
#define YJ_API_API_WORK_H

#include "api/api.h"
#include "http/http.h"

#endif
