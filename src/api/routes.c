/*
 * routes.c - every route the server answers. docs/openapi.yaml must describe
 * exactly these (tests/unit/api/test_openapi.c compares them).
 */
#include "api/api_int.h"

const struct http_route api_routes[] = {
    {"GET", "/healthz", api_healthz},
    {"GET", "/metrics", api_metrics},
    {"GET", "/api/v1/openapi.yaml", api_openapi},

    {"POST", "/api/v1/session", api_session_create},
    {"GET", "/api/v1/session", api_session_get},
    {"DELETE", "/api/v1/session", api_session_delete},
    {"PUT", "/api/v1/session/password", api_session_password},

    {"GET", "/api/v1/tokens", api_tokens_list},
    {"POST", "/api/v1/tokens", api_tokens_create},
    {"DELETE", "/api/v1/tokens/{id}", api_tokens_revoke},

    {"GET", "/api/v1/users", api_users_list},
    {"POST", "/api/v1/users", api_users_create},
    {"GET", "/api/v1/users/{id}", api_users_get},
    {"PATCH", "/api/v1/users/{id}", api_users_patch},
    {"POST", "/api/v1/users/{id}/password", api_users_reset_password},

    {"GET", "/api/v1/units", api_units_list},
    {"POST", "/api/v1/units", api_units_create},
    {"GET", "/api/v1/units/{id}", api_units_get},
    {"PATCH", "/api/v1/units/{id}", api_units_patch},
    {"DELETE", "/api/v1/units/{id}", api_units_delete},
    {"GET", "/api/v1/units/{id}/history", api_units_history},

    {"GET", "/api/v1/audit", api_audit_list},

    {"GET", "/api/v1/reference/capability-fields", api_reference_capabilities},
    {"GET", "/api/v1/reference/contact-roles", api_reference_contact_roles},
    {"GET", "/api/v1/reference/provinces", api_reference_provinces},
};
const size_t api_routes_count = YJ_ARRAY_LEN(api_routes);
