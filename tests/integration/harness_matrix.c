/*
 * harness_matrix.c - runs the route x role matrix's rows against a real server
 * and checks that the parts together have a row for every route.
 */
#include "harness_matrix.h"

#include "api/api.h"
#include "core/yj.h"

const char *const hx_role_names[HX_ROLES] = {
    "anonymous", "authority", "security_reviewer", "expert", "unit", "unit->other", "auditor"};

static bool has(const char *pattern, const char *part)
{
    return strstr(pattern, part) != NULL;
}

enum hx_matrix_part hx_matrix_part_of(const char *pattern)
{
    /* Certificates and attachments (routes_certs.inc, routes_attach.inc). */
    static const char *const certs[] = {"/certificates",
                                        "/requalification-tasks",
                                        "/change-reports",
                                        "/revocation-causes",
                                        "/attachments",
                                        "/attachment-kinds",
                                        NULL};
    /* The review (routes_review.inc) and the documents (routes_exports.inc). */
    static const char *const review[] = {"/security-", "/panels",   "/conflict",   "/scores",
                                         "/ranking",   "/proposal", "/objections", ".xlsx",
                                         ".csv",       ".html",     ".pdf",        NULL};
    /* Campaigns, applications, units' records (routes_selection.inc). */
    static const char *const selection[] = {"/campaigns", "/applications", "/record", "/grades",
                                            NULL};
    /* Webhooks, the test message, the outbox, in-app notifications (routes_notify.inc). */
    static const char *const notify[] = {"/webhooks", "/notify/", "/outbox", "/notifications",
                                         NULL};
    /* Incidents, dispatches, their reference tables (routes_incidents.inc). */
    static const char *const incidents[] = {"/incidents", "/dispatches",       "/incident-",
                                            "/grading-",  "/report-deadlines", NULL};
    /* Evidence and upward reports (routes_reports.inc), inside incidents' paths. */
    static const char *const reports[] = {"/evidence", "/reporting", "/reports", "/report-forms",
                                          NULL};
    /* Work logs, obligations, drills (routes_work.inc). */
    static const char *const work[] = {"/work-logs", "/obligations", "/drills", NULL};
    /* Threat reports, early warnings, bulletins (routes_threats.inc); first, since a
     * report's "/incident" and "/files" would otherwise look like others' paths. */
    static const char *const threats[] = {"/threat-reports", "/early-warnings", "/bulletins", NULL};
    /* Disposal notices (routes_disposal.inc), before the threat reports they hang under. */
    if (has(pattern, "/disposal"))
        return HX_PART_DISPOSAL;
    for (const char *const *p = threats; *p; p++)
        if (has(pattern, *p))
            return HX_PART_THREATS;
    /* The indicator store and warning lists (routes_indicators.inc). */
    if (has(pattern, "/indicators") || has(pattern, "/warninglists"))
        return HX_PART_INDICATORS;
    /* The constituency (routes_constituency.inc). */
    if (has(pattern, "/constituents"))
        return HX_PART_CONSTITUENCY;
    /* Indicator feeds (routes_feeds.inc). */
    if (has(pattern, "/api/v1/feeds"))
        return HX_PART_FEEDS;
    for (const char *const *p = work; *p; p++)
        if (has(pattern, *p))
            return HX_PART_WORK;
    for (const char *const *p = notify; *p; p++)
        if (has(pattern, *p))
            return HX_PART_NOTIFY;
    for (const char *const *p = reports; *p; p++)
        if (has(pattern, *p))
            return HX_PART_REPORTS;
    for (const char *const *p = incidents; *p; p++)
        if (has(pattern, *p))
            return HX_PART_INCIDENTS;
    for (const char *const *p = certs; *p; p++)
        if (has(pattern, *p))
            return HX_PART_CERTS;
    for (const char *const *p = review; *p; p++)
        if (has(pattern, *p))
            return HX_PART_REVIEW;
    for (const char *const *p = selection; *p; p++)
        if (has(pattern, *p))
            return HX_PART_SELECTION;
    return HX_PART_REGISTRY;
}

const char *hx_matrix_part_file(enum hx_matrix_part part)
{
    static const char *const files[HX_PARTS] = {
        [HX_PART_REGISTRY] = "tests/integration/test_matrix.c",
        [HX_PART_SELECTION] = "tests/integration/test_matrix_selection.c",
        [HX_PART_REVIEW] = "tests/integration/test_matrix_review.c",
        [HX_PART_CERTS] = "tests/integration/test_matrix_certs.c",
        [HX_PART_NOTIFY] = "tests/integration/test_matrix_notify.c",
        [HX_PART_INCIDENTS] = "tests/integration/test_matrix_incidents.c",
        [HX_PART_REPORTS] = "tests/integration/test_matrix_reports.c",
        [HX_PART_WORK] = "tests/integration/test_matrix_work.c",
        [HX_PART_THREATS] = "tests/integration/test_matrix_threats.c",
        [HX_PART_INDICATORS] = "tests/integration/test_matrix_indicators.c",
        [HX_PART_CONSTITUENCY] = "tests/integration/test_matrix_constituency.c",
        [HX_PART_FEEDS] = "tests/integration/test_matrix_feeds.c",
        [HX_PART_DISPOSAL] = "tests/integration/test_matrix_disposal.c",
    };
    return (unsigned)part < HX_PARTS ? files[part] : "?";
}

void hx_matrix_check_parts(void)
{
    const char *src = getenv("YINGJI_SRC");
    if (!src || !*src)
        fail_msg("YINGJI_SRC is not set; run the integration tests through ctest");
    size_t owned[HX_PARTS] = {0};
    for (size_t i = 0; i < api_routes_count; i++)
        owned[hx_matrix_part_of(api_routes[i].pattern)]++;
    int missing = 0;
    for (int p = 0; p < HX_PARTS; p++) {
        print_message("matrix part %s: %zu routes\n", hx_matrix_part_file((enum hx_matrix_part)p),
                      owned[p]);
        if (!owned[p])
            continue;
        char *text =
            hx_read_file(hx_fmt("%s/%s", src, hx_matrix_part_file((enum hx_matrix_part)p)), NULL);
        if (!text || !strstr(text, "hx_matrix_check_rows")) {
            print_error("%s owns %zu routes but does not exist or checks no rows\n",
                        hx_matrix_part_file((enum hx_matrix_part)p), owned[p]);
            missing++;
        }
        free(text);
    }
    assert_int_equal(missing, 0);
}

static bool is_route(const char *method, const char *pattern)
{
    for (size_t k = 0; k < api_routes_count; k++)
        if (strcmp(method, api_routes[k].method) == 0 &&
            strcmp(pattern, api_routes[k].pattern) == 0)
            return true;
    return false;
}

void hx_matrix_check_rows(enum hx_matrix_part part, const struct hx_row *rows, size_t n)
{
    int missing = 0;
    size_t owned = 0;
    for (size_t i = 0; i < api_routes_count; i++) {
        const struct http_route *rt = &api_routes[i];
        if (hx_matrix_part_of(rt->pattern) != part)
            continue;
        owned++;
        bool found = false;
        for (size_t k = 0; k < n && !found; k++)
            found = strcmp(rows[k].method, rt->method) == 0 &&
                    strcmp(rows[k].pattern, rt->pattern) == 0;
        if (!found) {
            print_error("no matrix row for %s %s\n", rt->method, rt->pattern);
            missing++;
        }
    }
    /* ... and no row for a route that no longer exists, or that another part owns */
    for (size_t k = 0; k < n; k++) {
        if (!is_route(rows[k].method, rows[k].pattern)) {
            print_error("matrix row %s %s is not a route\n", rows[k].method, rows[k].pattern);
            missing++;
        } else if (hx_matrix_part_of(rows[k].pattern) != part) {
            print_error("matrix row %s %s belongs to another part of the matrix\n", rows[k].method,
                        rows[k].pattern);
            missing++;
        }
    }
    print_message("%s: %zu routes, %zu rows\n", hx_matrix_part_file(part), owned, n);
    assert_int_equal(missing, 0);
}

/* Fails unless path is served by the row's own route. */
static void expect_route(const struct hx_row *row, const char *path)
{
    char bare[512];
    snprintf(bare, sizeof bare, "%.*s", (int)strcspn(path, "?"), path);
    bool known = false;
    const struct http_route *rt =
        http_route_match(api_routes, api_routes_count, row->method, bare, NULL, NULL, NULL, &known);
    if (!rt || strcmp(rt->pattern, row->pattern) != 0)
        fail_msg("test bug: %s %s does not reach %s", row->method, path, row->pattern);
}

void hx_matrix_run(struct hx_client *const who[HX_ROLES], const struct hx_row *rows, size_t n)
{
    struct yj_buf report;
    yj_buf_init(&report, 4 * 1024 * 1024);
    int wrong = 0, cells = 0;
    for (size_t i = 0; i < n; i++) {
        const struct hx_row *row = &rows[i];
        for (int r = 0; r < HX_ROLES; r++) {
            struct hx_call c = {.body = NULL};
            snprintf(c.path, sizeof c.path, "%s", row->pattern);
            if (row->prepare)
                row->prepare((enum hx_role)r, &c);
            expect_route(row, c.path);
            struct hx_client *base = c.as ? c.as : who[r];
            struct hx_client *client = c.clone ? hx_client_clone(base) : base;
            struct hx_resp *resp;
            if (c.raw) {
                json_decref(c.body);
                struct hx_req opt = {.content_type = c.content_type,
                                     .body = c.raw,
                                     .body_len = c.raw_len,
                                     .if_match = c.if_match[0] ? c.if_match : NULL};
                resp = hx_request(client, row->method, c.path, &opt);
            } else {
                resp =
                    hx_send(client, row->method, c.path, c.body, c.if_match[0] ? c.if_match : NULL);
            }
            long want = row->expect[r];
            bool ok = resp->status == want;
            /* refusals must say why, in the shared error shape */
            const char *code = want == 401   ? "unauthenticated"
                               : want == 403 ? "forbidden"
                               : want == 404 ? "not_found"
                                             : NULL;
            const char *got_code =
                json_string_value(json_object_get(json_object_get(resp->json, "error"), "code"));
            if (ok && code && (!got_code || strcmp(got_code, code) != 0))
                ok = false;
            if (!ok) {
                wrong++;
                yj_buf_printf(&report, "  %-6s %-48s %-28s %-17s expected %ld, got %ld %.200s\n",
                              row->method, c.path, row->variant, hx_role_names[r], want,
                              resp->status, resp->body_len && resp->json ? resp->body : "");
            }
            cells++;
            if (c.clone)
                hx_client_free(client);
        }
    }
    print_message("matrix: %zu rows, %d cells\n", n, cells);
    if (wrong) {
        print_error("%d of %d cells of the route x role matrix are wrong:\n%s", wrong, cells,
                    report.ptr);
        yj_buf_release(&report);
        fail();
    }
    yj_buf_release(&report);
}

void hx_matrix_clients(struct hx_server *srv, struct hx_client *admin, int64_t unit_id,
                       struct hx_client *who[HX_ROLES])
{
    who[HX_ANON] = hx_client_new(srv);
    who[HX_AUTHORITY] = admin;
    who[HX_REVIEWER] = hx_user_client(admin, "security_reviewer", 0);
    who[HX_EXPERT] = hx_user_client(admin, "expert", 0);
    who[HX_UNIT] = hx_user_client(admin, "unit", unit_id);
    who[HX_UNIT_OTHER] = hx_user_client(admin, "unit", unit_id);
    who[HX_AUDITOR] = hx_user_client(admin, "auditor", 0);
}

void hx_matrix_clients_free(struct hx_client *who[HX_ROLES])
{
    for (int r = 0; r < HX_ROLES; r++) {
        hx_client_free(who[r]);
        who[r] = NULL;
    }
}

void hx_call_path(struct hx_call *c, const char *prefix, int64_t id, const char *suffix)
{
    snprintf(c->path, sizeof c->path, "%s/%lld%s", prefix, (long long)id, suffix);
}
