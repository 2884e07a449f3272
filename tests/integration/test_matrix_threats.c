/*
 * test_matrix_threats.c - the route x role matrix, its part for threat reports,
 * early warnings and bulletins (routes_threats.inc). Columns, conventions and the
 * every-route check: harness_matrix.h.
 *
 * A unit files, edits and submits its own reports and warnings and sees only
 * those, plus every published warning (a bulletin); the authority reviews and
 * makes incidents but does not edit what a unit filed (403); auditors read. The
 * unit column (a user of A) reaches for A's objects, the unit->other column
 * (another user of A) for B's: 404, except bulletins, which are every unit's.
 * Writes get a fresh object per cell in the state the route needs, so each cell's
 * status depends on the caller alone.
 */
#include "harness_matrix.h"

#include "core/yj.h"

static struct hx_server *srv;
static struct hx_client *who[HX_ROLES]; /* HX_UNIT_OTHER is a second user of unit A */
static struct hx_client *unit_b_user;   /* files unit B's reports and warnings */
static int64_t unit_a, unit_b;
static int64_t report_a, report_b;   /* drafts with a file each */
static int64_t warning_a, warning_b; /* drafts */
static int64_t bulletin_b;           /* B's published warning */

static json_t *report_doc(void)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:[{s:s,s:i,s:s,s:i,s:s}],s:[{s:s,s:s,s:s}]}", "category",
                     "botnet", "title", "矩阵僵尸网络报告", "summary", "受控主机连接控制端",
                     "propagation_path", "弱口令爆破", "five_tuples", "src_ip", "10.1.1.1",
                     "src_port", 40000, "dst_ip", "198.51.100.77", "dst_port", 443, "protocol",
                     "tcp", "indicators", "type", "ipv4", "value", "198.51.100.77", "role", "c2");
}

static json_t *warning_doc(void)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:[s]}", "title", "矩阵预警", "event_at",
                     hx_time(srv->now_ms - HX_HOUR_MS), "description", "描述", "cause", "原因",
                     "impact", "影响", "countermeasures", "措施", "analysis", "分析", "colour",
                     "orange", "references", "CVE-2024-3094");
}

static struct hx_client *owner(bool other)
{
    return other ? unit_b_user : who[HX_UNIT];
}

/* A fresh report of A (of B for other): a draft, submitted, or accepted. */
static int64_t fresh_report(bool other, const char *state)
{
    struct hx_resp *r = hx_post(owner(other), "/api/v1/threat-reports", report_doc());
    HX_EXPECT(r, 201);
    int64_t id = hx_json_int(r, "id");
    const char *path = hx_fmt("/api/v1/threat-reports/%lld", (long long)id);
    if (strcmp(state, "draft") == 0)
        return id;
    HX_EXPECT(hx_send(owner(other), "POST", hx_fmt("%s/submit", path), NULL, "\"1\""), 200);
    if (strcmp(state, "submitted") == 0)
        return id;
    HX_EXPECT(hx_send(who[HX_AUTHORITY], "POST", hx_fmt("%s/review", path),
                      json_pack("{s:s}", "decision", "accept"), "\"2\""),
              200);
    return id;
}

static int64_t fresh_warning(bool other, bool submitted)
{
    struct hx_resp *r = hx_post(owner(other), "/api/v1/early-warnings", warning_doc());
    HX_EXPECT(r, 201);
    int64_t id = hx_json_int(r, "id");
    if (submitted)
        HX_EXPECT(hx_send(owner(other), "POST",
                          hx_fmt("/api/v1/early-warnings/%lld/submit", (long long)id), NULL,
                          "\"1\""),
                  200);
    return id;
}

static void add_file(struct hx_client *c, int64_t id)
{
    size_t len;
    char *pdf = hx_fixture("sample.pdf", &len);
    HX_EXPECT(hx_send_raw(c, "POST",
                          hx_fmt("/api/v1/threat-reports/%lld/files?filename=a.pdf", (long long)id),
                          "application/pdf", pdf, len),
              201);
    free(pdf);
}

static int setup(void **state)
{
    (void)state;
    struct hx_server_options opt = {.clock = true};
    srv = hx_server_new(&opt);
    struct hx_client *admin = hx_login_admin(srv);
    unit_a = hx_unit_create(admin, hx_unit_doc("矩阵威胁甲单位"));
    unit_b = hx_unit_create(admin, hx_unit_doc("矩阵威胁乙单位"));
    hx_matrix_clients(srv, admin, unit_a, who);
    unit_b_user = hx_user_client(admin, "unit", unit_b);
    report_a = fresh_report(false, "draft");
    report_b = fresh_report(true, "draft");
    add_file(who[HX_UNIT], report_a);
    add_file(unit_b_user, report_b);
    warning_a = fresh_warning(false, false);
    warning_b = fresh_warning(true, false);
    bulletin_b = fresh_warning(true, true);
    HX_EXPECT(hx_send(admin, "POST",
                      hx_fmt("/api/v1/early-warnings/%lld/review", (long long)bulletin_b),
                      json_pack("{s:s}", "decision", "publish"), "\"2\""),
              200);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hx_matrix_clients_free(who);
    hx_client_free(unit_b_user);
    hx_server_free(srv);
    return 0;
}

/* --- what each cell sends ---------------------------------------------------------- */

static void p_report_create(enum hx_role r, struct hx_call *c)
{
    (void)r;
    c->body = report_doc();
}

static void p_report(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/threat-reports", hx_role_other(r) ? report_b : report_a, "");
}

static void p_report_patch(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/threat-reports", fresh_report(hx_role_other(r), "draft"), "");
    snprintf(c->if_match, sizeof c->if_match, "\"1\"");
    c->body = json_pack("{s:s}", "affected", "某单位 3 台主机");
}

static void p_report_submit(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/threat-reports", fresh_report(hx_role_other(r), "draft"), "/submit");
    snprintf(c->if_match, sizeof c->if_match, "\"1\"");
}

static void p_report_review(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/threat-reports", fresh_report(hx_role_other(r), "submitted"),
                 "/review");
    snprintf(c->if_match, sizeof c->if_match, "\"2\"");
    c->body = json_pack("{s:s}", "decision", "accept");
}

static void p_report_incident(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/threat-reports", fresh_report(hx_role_other(r), "accepted"),
                 "/incident");
    c->body = json_object();
}

static void p_file_add(enum hx_role r, struct hx_call *c)
{
    static char *pdf;
    static size_t len;
    if (!pdf)
        pdf = hx_fixture("sample.pdf", &len); /* kept for the whole run */
    hx_call_path(c, "/api/v1/threat-reports", fresh_report(hx_role_other(r), "draft"),
                 "/files?filename=b.pdf");
    c->raw = pdf;
    c->raw_len = len;
    c->content_type = "application/pdf";
}

static void p_files(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/threat-reports", hx_role_other(r) ? report_b : report_a, "/files");
}

static void p_file_content(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/threat-reports", hx_role_other(r) ? report_b : report_a,
                 "/files/1/content");
}

static void p_warning_create(enum hx_role r, struct hx_call *c)
{
    (void)r;
    c->body = warning_doc();
}

static void p_warning(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/early-warnings", hx_role_other(r) ? warning_b : warning_a, "");
}

static void p_bulletin(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/early-warnings", bulletin_b, "");
}

static void p_warning_patch(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/early-warnings", fresh_warning(hx_role_other(r), false), "");
    snprintf(c->if_match, sizeof c->if_match, "\"1\"");
    c->body = json_pack("{s:s}", "colour", "yellow");
}

static void p_warning_submit(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/early-warnings", fresh_warning(hx_role_other(r), false), "/submit");
    snprintf(c->if_match, sizeof c->if_match, "\"1\"");
}

static void p_warning_review(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/early-warnings", fresh_warning(hx_role_other(r), true), "/review");
    snprintf(c->if_match, sizeof c->if_match, "\"2\"");
    c->body = json_pack("{s:s}", "decision", "publish");
}

static void p_digest(enum hx_role r, struct hx_call *c)
{
    (void)r;
    snprintf(c->path, sizeof c->path, "/api/v1/bulletins/digest?period=week&format=json");
}

/* --- the matrix -------------------------------------------------------------------- */

#define READERS                                                                                    \
    {                                                                                              \
        401, 200, 403, 403, 200, 200, 200                                                          \
    }
#define READERS_OWN                                                                                \
    {                                                                                              \
        401, 200, 403, 403, 200, 404, 200                                                          \
    }
#define FILER_CHANGES                                                                              \
    {                                                                                              \
        401, 403, 403, 403, 200, 404, 403                                                          \
    }
#define AUTHORITY_ONLY                                                                             \
    {                                                                                              \
        401, 200, 403, 403, 403, 403, 403                                                          \
    }
#define WRITERS                                                                                    \
    {                                                                                              \
        401, 201, 403, 403, 201, 201, 403                                                          \
    }

/* Columns: anonymous, authority, security_reviewer, expert, unit, unit->other, auditor. */
static const struct hx_row rows[] = {
    {"GET", "/api/v1/threat-reports", "", NULL, READERS},
    {"POST", "/api/v1/threat-reports", "", p_report_create, WRITERS},
    {"GET", "/api/v1/threat-reports/stats", "", NULL, READERS},
    {"GET", "/api/v1/threat-reports/{id}", "a draft", p_report, READERS_OWN},
    {"PATCH", "/api/v1/threat-reports/{id}", "a fresh draft", p_report_patch, FILER_CHANGES},
    {"POST", "/api/v1/threat-reports/{id}/submit", "a fresh draft", p_report_submit, FILER_CHANGES},
    {"POST", "/api/v1/threat-reports/{id}/review", "a fresh submitted report", p_report_review,
     AUTHORITY_ONLY},
    {"POST",
     "/api/v1/threat-reports/{id}/incident",
     "a fresh accepted report",
     p_report_incident,
     {401, 201, 403, 403, 403, 403, 403}},
    {"POST",
     "/api/v1/threat-reports/{id}/files",
     "a fresh draft",
     p_file_add,
     {401, 403, 403, 403, 201, 404, 403}},
    {"GET", "/api/v1/threat-reports/{id}/files", "", p_files, READERS_OWN},
    {"GET", "/api/v1/threat-reports/{id}/files/{seq}/content", "", p_file_content, READERS_OWN},
    {"GET", "/api/v1/early-warnings", "", NULL, READERS},
    {"POST", "/api/v1/early-warnings", "", p_warning_create, WRITERS},
    {"GET", "/api/v1/early-warnings/{id}", "a draft", p_warning, READERS_OWN},
    {"GET", "/api/v1/early-warnings/{id}", "B's published warning", p_bulletin, READERS},
    {"PATCH", "/api/v1/early-warnings/{id}", "a fresh draft", p_warning_patch, FILER_CHANGES},
    {"POST", "/api/v1/early-warnings/{id}/submit", "a fresh draft", p_warning_submit,
     FILER_CHANGES},
    {"POST", "/api/v1/early-warnings/{id}/review", "a fresh submitted warning", p_warning_review,
     AUTHORITY_ONLY},
    {"GET", "/api/v1/bulletins", "", NULL, READERS},
    {"GET", "/api/v1/bulletins/digest", "", p_digest, READERS},
};

static void test_every_route_has_a_row(void **state)
{
    (void)state;
    hx_matrix_check_rows(HX_PART_THREATS, rows, YJ_ARRAY_LEN(rows));
}

/* What a unit sees in the lists: its own reports and warnings, every bulletin. Runs
 * before the matrix adds anything. */
static void test_unit_scope(void **state)
{
    (void)state;
    for (int r = HX_UNIT; r <= HX_UNIT_OTHER; r++) {
        json_t *items = hx_list_all(
            who[r], hx_fmt("/api/v1/threat-reports?unit_id=%lld", (long long)unit_b), 50);
        assert_int_equal(json_array_size(items), 1);
        assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "id")),
                         report_a);
        json_decref(items);
        items = hx_list_all(who[r], "/api/v1/early-warnings", 50);
        assert_int_equal(json_array_size(items), 1);
        assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "id")),
                         warning_a);
        json_decref(items);
        items = hx_list_all(who[r], "/api/v1/bulletins", 50);
        assert_int_equal(json_array_size(items), 1);
        assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "id")),
                         bulletin_b);
        json_decref(items);
    }
    json_t *all = hx_list_all(who[HX_AUDITOR], "/api/v1/threat-reports", 50);
    assert_int_equal(json_array_size(all), 2);
    json_decref(all);
    all = hx_list_all(who[HX_AUDITOR], "/api/v1/early-warnings", 50);
    assert_int_equal(json_array_size(all), 3);
    json_decref(all);
    all = hx_list_all(who[HX_AUDITOR],
                      hx_fmt("/api/v1/early-warnings?unit_id=%lld", (long long)unit_b), 50);
    assert_int_equal(json_array_size(all), 2);
    json_decref(all);
}

static void test_route_role_matrix(void **state)
{
    (void)state;
    hx_matrix_run(who, rows, YJ_ARRAY_LEN(rows));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_route_has_a_row),
        cmocka_unit_test(test_unit_scope),
        cmocka_unit_test(test_route_role_matrix),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
