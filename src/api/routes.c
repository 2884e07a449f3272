/*
 * routes.c - every route the server answers, one table. Each module lists its
 * routes in its own routes_<module>.inc (handlers declared in its api_<module>.h),
 * so modules can grow without touching each other. docs/openapi.yaml must
 * describe exactly these (tests/unit/api/test_openapi.c compares them).
 */
#include "api/api_int.h"
#include "api/api_selection.h"
#include "api/api_review.h"
#include "api/api_certs.h"
#include "api/api_attach.h"
#include "api/api_exports.h"
#include "api/api_incidents.h"
#include "api/api_notify.h"
#include "api/api_reports.h"
#include "api/api_work.h"
#include "api/api_threats.h"
#include "api/api_indicators.h"
#include "api/api_constituency.h"
#include "api/api_disposal.h"
#include "api/api_feeds.h"

const struct http_route api_routes[] = {
#include "api/routes_registry.inc"
#include "api/routes_selection.inc"
#include "api/routes_review.inc"
#include "api/routes_certs.inc"
#include "api/routes_attach.inc"
#include "api/routes_exports.inc"
#include "api/routes_incidents.inc"
#include "api/routes_notify.inc"
#include "api/routes_reports.inc"
#include "api/routes_work.inc"
#include "api/routes_threats.inc"
#include "api/routes_indicators.inc"
#include "api/routes_constituency.inc"
#include "api/routes_disposal.inc"
#include "api/routes_feeds.inc"
};
const size_t api_routes_count = YJ_ARRAY_LEN(api_routes);
