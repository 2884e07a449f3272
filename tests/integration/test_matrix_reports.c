/*
 * test_matrix_reports.c - the route x role matrix, its part for incident evidence
 * and upward reports (routes_reports.inc). Columns, conventions and the
 * every-route check: harness_matrix.h.
 *
 * Evidence follows the incident: the authority and a unit that takes part add it;
 * the authority, the auditor and such a unit read it, a unit only the authority's
 * entries and its own. Setup makes incidents dispatched to unit A, to unit B and to
 * both, each with an entry of the authority's, and on the shared one an entry of
 * each unit's; the unit column (a user of A) reaches for A's, the unit->other
 * column (another user of A) for B's: 404. Upward reports are the authority's to
 * write and the authority's and auditor's to read; a unit's role is refused (403).
 * Writes that change state get a fresh object per cell (a fresh report to send),
 * so each cell's status depends on the caller alone. The clock is injected and
 * never moves.
 */
#include "harness_matrix.h"

#include "core/yj.h"

enum { MINUTE_MS = 60 * 1000 };

static struct hx_server *srv;
static struct hx_client *who[HX_ROLES]; /* HX_UNIT_OTHER is a second user of unit A */
static struct hx_client *unit_b_user;
static int64_t unit_a, unit_b;
static int64_t inc_a, inc_b, inc_ab; /* dispatched to A, to B, to both */
static int64_t report_id;            /* a drafted first report of inc_a, never sent */
static char *pdf;
static size_t pdf_len;

/* Important system, serious loss: 较大, so upward reporting applies. */
static int64_t graded_new(const char *title)
{
    struct hx_client *admin = who[HX_AUTHORITY];
    struct hx_resp *r = hx_post(admin, "/api/v1/incidents",
                                json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "title", title,
                                          "affected_org", "六盘水市某局", "operator_type", "other",
                                          "discovered_at", hx_time(srv->now_ms - 10 * MINUTE_MS),
                                          "class_code", "OTH", "source", "authority"));
    HX_EXPECT(r, 201);
    int64_t id = hx_json_int(r, "id");
    HX_EXPECT(
        hx_send(admin, "POST", hx_fmt("/api/v1/incidents/%lld/grade", (long long)id),
                json_pack("{s:{s:s,s:s}}", "facts", "importance", "important", "loss", "serious"),
                hx_etag(1)),
        200);
    return id;
}

static void dispatch_to(int64_t incident, int64_t unit)
{
    HX_EXPECT(hx_post(who[HX_AUTHORITY],
                      hx_fmt("/api/v1/incidents/%lld/dispatches", (long long)incident),
                      json_pack("{s:[I]}", "unit_ids", (json_int_t)unit)),
              201);
}

static void evidence_add(struct hx_client *c, int64_t incident)
{
    HX_EXPECT(hx_send_raw(c, "POST",
                          hx_fmt("/api/v1/incidents/%lld/evidence?filename=%s", (long long)incident,
                                 hx_escape("现场记录.pdf")),
                          "application/pdf", pdf, pdf_len),
              201);
}

/* A drafted first report of a fresh incident, its first two items filled. */
static int64_t fresh_report(void)
{
    int64_t id = graded_new("矩阵上报事件");
    struct hx_resp *r =
        hx_post(who[HX_AUTHORITY], hx_fmt("/api/v1/incidents/%lld/reports", (long long)id),
                json_pack("{s:s,s:{s:s,s:s}}", "kind", "first", "content", "unit_system",
                          "六盘水市某局门户网站", "discovery", "发现网页被篡改"));
    HX_EXPECT(r, 201);
    return hx_json_int(r, "id");
}

static int setup(void **state)
{
    (void)state;
    struct hx_server_options opt = {.clock = true};
    srv = hx_server_new(&opt);
    pdf = hx_fixture("sample.pdf", &pdf_len);
    struct hx_client *admin = hx_login_admin(srv);
    unit_a = hx_unit_create(admin, hx_unit_doc("矩阵证据甲单位"));
    unit_b = hx_unit_create(admin, hx_unit_doc("矩阵证据乙单位"));
    hx_matrix_clients(srv, admin, unit_a, who);
    unit_b_user = hx_user_client(admin, "unit", unit_b);

    inc_a = graded_new("矩阵证据事件（派甲）");
    dispatch_to(inc_a, unit_a);
    inc_b = graded_new("矩阵证据事件（派乙）");
    dispatch_to(inc_b, unit_b);
    inc_ab = graded_new("矩阵证据事件（派甲乙）");
    dispatch_to(inc_ab, unit_a);
    dispatch_to(inc_ab, unit_b);
    evidence_add(admin, inc_a);         /* inc_a seq 1 */
    evidence_add(admin, inc_b);         /* inc_b seq 1 */
    evidence_add(admin, inc_ab);        /* inc_ab seq 1: the authority's */
    evidence_add(who[HX_UNIT], inc_ab); /* seq 2: A's */
    evidence_add(unit_b_user, inc_ab);  /* seq 3: B's */
    struct hx_resp *r =
        hx_post(admin, hx_fmt("/api/v1/incidents/%lld/reports", (long long)inc_a),
                json_pack("{s:s,s:{s:s}}", "kind", "first", "content", "unit_system", "某局"));
    HX_EXPECT(r, 201);
    report_id = hx_json_int(r, "id");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hx_matrix_clients_free(who);
    hx_client_free(unit_b_user);
    hx_server_free(srv);
    free(pdf);
    return 0;
}

/* --- what each cell sends ---------------------------------------------------------- */

static int64_t incident_for(enum hx_role r)
{
    return hx_role_other(r) ? inc_b : inc_a;
}

static void p_evidence_add(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/incidents", incident_for(r),
                 hx_fmt("/evidence?filename=%s", hx_escape("矩阵证据.pdf")));
    c->raw = pdf;
    c->raw_len = pdf_len;
    c->content_type = "application/pdf";
}

static void p_evidence(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/incidents", incident_for(r), "/evidence");
}

static void p_content(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/incidents", incident_for(r), "/evidence/1/content");
}

/* On the incident both units take part in: the authority's entry, then the other
 * unit's (for a user of A, B's entry is seq 3). */
static void p_content_shared(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/incidents", inc_ab, "/evidence/1/content");
}

static void p_content_others(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/incidents", inc_ab, "/evidence/3/content");
}

static void p_reporting(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/incidents", incident_for(r), "/reporting");
}

static void p_reports(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/incidents", incident_for(r), "/reports");
}

/* A fresh graded incident, so each cell's first report is the incident's only one. */
static void p_report_create(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/incidents", graded_new("矩阵首报事件"), "/reports");
    c->body = json_pack("{s:s,s:{s:s}}", "kind", "first", "content", "unit_system", "某局");
}

static void p_report(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/reports", report_id, "");
}

/* The report's current ETag (only the authority gets past the role check). */
static void p_report_patch(enum hx_role r, struct hx_call *c)
{
    struct hx_resp *got =
        hx_get(who[HX_AUTHORITY], hx_fmt("/api/v1/reports/%lld", (long long)report_id));
    HX_EXPECT(got, 200);
    hx_call_path(c, "/api/v1/reports", report_id, "");
    snprintf(c->if_match, sizeof c->if_match, "%s", got->etag);
    c->body = json_pack("{s:{s:s}}", "content", "other", hx_fmt("矩阵 %s", hx_role_names[r]));
}

static void p_report_send(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/reports", fresh_report(), "/send");
}

static void p_report_export(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/reports", report_id, "/export?format=json");
}

/* --- the matrix -------------------------------------------------------------------- */

#define AUTHORITY_WRITES                                                                           \
    {                                                                                              \
        401, 200, 403, 403, 403, 403, 403                                                          \
    }
#define AUTHORITY_AUDITOR                                                                          \
    {                                                                                              \
        401, 200, 403, 403, 403, 403, 200                                                          \
    }
#define EVERYONE                                                                                   \
    {                                                                                              \
        401, 200, 200, 200, 200, 200, 200                                                          \
    }

/* Columns: anonymous, authority, security_reviewer, expert, unit, unit->other, auditor. */
static const struct hx_row rows[] = {
    {"POST",
     "/api/v1/incidents/{id}/evidence",
     "",
     p_evidence_add,
     {401, 201, 403, 403, 201, 404, 403}},
    {"GET", "/api/v1/incidents/{id}/evidence", "", p_evidence, {401, 200, 403, 403, 200, 404, 200}},
    {"GET",
     "/api/v1/incidents/{id}/evidence/{seq}/content",
     "the authority's entry",
     p_content,
     {401, 200, 403, 403, 200, 404, 200}},
    {"GET",
     "/api/v1/incidents/{id}/evidence/{seq}/content",
     "shared incident, authority's",
     p_content_shared,
     {401, 200, 403, 403, 200, 200, 200}},
    {"GET",
     "/api/v1/incidents/{id}/evidence/{seq}/content",
     "shared incident, B's entry",
     p_content_others,
     {401, 200, 403, 403, 404, 404, 200}},
    {"GET", "/api/v1/incidents/{id}/reporting", "", p_reporting, AUTHORITY_AUDITOR},
    {"GET", "/api/v1/incidents/{id}/reports", "", p_reports, AUTHORITY_AUDITOR},
    {"POST",
     "/api/v1/incidents/{id}/reports",
     "a fresh graded one",
     p_report_create,
     {401, 201, 403, 403, 403, 403, 403}},
    {"GET", "/api/v1/reports/{id}", "", p_report, AUTHORITY_AUDITOR},
    {"PATCH", "/api/v1/reports/{id}", "", p_report_patch, AUTHORITY_WRITES},
    {"POST", "/api/v1/reports/{id}/send", "a fresh one", p_report_send, AUTHORITY_WRITES},
    {"GET", "/api/v1/reports/{id}/export", "", p_report_export, AUTHORITY_AUDITOR},
    {"GET", "/api/v1/reference/report-forms", "", NULL, EVERYONE},
};

static void test_every_route_has_a_row(void **state)
{
    (void)state;
    hx_matrix_check_rows(HX_PART_REPORTS, rows, YJ_ARRAY_LEN(rows));
}

/* What each unit sees of the shared incident's evidence: the authority's entry and its
 * own; the chain is whole all the same. Runs before the matrix adds anything. */
static void test_unit_scope(void **state)
{
    (void)state;
    struct {
        struct hx_client *c;
        int64_t seqs[2];
    } want[] = {{who[HX_UNIT], {1, 2}}, {unit_b_user, {1, 3}}};
    for (size_t k = 0; k < YJ_ARRAY_LEN(want); k++) {
        struct hx_resp *r =
            hx_get(want[k].c, hx_fmt("/api/v1/incidents/%lld/evidence", (long long)inc_ab));
        HX_EXPECT(r, 200);
        assert_true(json_is_true(json_object_get(r->json, "chain_ok")));
        json_t *items = json_object_get(r->json, "items");
        assert_int_equal(json_array_size(items), 2);
        for (size_t i = 0; i < 2; i++)
            assert_int_equal(json_integer_value(json_object_get(json_array_get(items, i), "seq")),
                             want[k].seqs[i]);
    }
    struct hx_resp *r =
        hx_get(who[HX_AUDITOR], hx_fmt("/api/v1/incidents/%lld/evidence", (long long)inc_ab));
    HX_EXPECT(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 3);
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
