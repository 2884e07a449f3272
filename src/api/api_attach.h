/*
 * api_attach.h - handlers of attachments (upload, download) and the campaign exports (XLSX, CSV, HTML, PDF).
 * Their routes are listed in routes_attach.inc.
 */
#ifndef YJ_API_ATTACH_H
#define YJ_API_ATTACH_H

#include "http/http.h"

#endif
