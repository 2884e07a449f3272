/*
 * api_certs.h - handlers of certificates, their status changes, change reports and re-qualification tasks, the public look-up.
 * Their routes are listed in routes_certs.inc.
 */
#ifndef YJ_API_CERTS_H
#define YJ_API_CERTS_H

#include "http/http.h"

#endif
