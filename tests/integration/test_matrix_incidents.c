/*
 * test_matrix_incidents.c - the route x role matrix, its part for incidents,
 * dispatches and the incident reference tables (routes_incidents.inc). Columns,
 * conventions and the every-route check: harness_matrix.h.
 *
 * A unit reaches an incident only when it takes part in it: a dispatch to it, or
 * it reported the incident itself. Setup makes, for each of units A and B, an
 * incident graded and dispatched to it and one it reported; the unit column (a
 * user of A) reaches for A's, the unit->other column (another user of A) for
 * B's, where A takes no part: 404. Writes that change state get a fresh object
 * per cell (a graded incident, a dispatch still waiting for its answer), so each
 * cell's status depends on the caller alone. The clock is injected and never
 * moves: no deadline falls due while the matrix runs.
 */
#include "harness_matrix.h"

#include "core/yj.h"

enum { MINUTE_MS = 60 * 1000 };

static struct hx_server *srv;
static struct hx_client *who[HX_ROLES]; /* HX_UNIT_OTHER is a second user of unit A */
static struct hx_client *unit_b_user;   /* reports unit B's incident */
static int64_t unit_a, unit_b;
static int64_t inc_a, inc_b;   /* graded, dispatched to A (to B) */
static int64_t disp_a, disp_b; /* those dispatches */
static int64_t rep_a, rep_b;   /* reported by A (by B), not dispatched */
static int64_t inc_ab;         /* dispatched to both A and B */

/* An incident as c reports it: a unit names no source (its own discovery is implied). */
static json_t *incident_doc(bool unit, const char *title)
{
    json_t *o =
        json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "title", title, "affected_org", "六盘水市某局",
                  "operator_type", "other", "province", "贵州省", "city", "六盘水市",
                  "discovered_at", hx_time(srv->now_ms - 10 * MINUTE_MS), "class_code", "OTH");
    if (!unit)
        json_object_set_new(o, "source", json_string("authority"));
    return o;
}

static int64_t incident_new(struct hx_client *c, bool unit, const char *title)
{
    struct hx_resp *r = hx_post(c, "/api/v1/incidents", incident_doc(unit, title));
    HX_EXPECT(r, 201);
    return hx_json_int(r, "id");
}

/* The incident's current ETag, read by the authority. */
static const char *etag_of(int64_t id)
{
    struct hx_resp *r = hx_get(who[HX_AUTHORITY], hx_fmt("/api/v1/incidents/%lld", (long long)id));
    HX_EXPECT(r, 200);
    return hx_fmt("%s", r->etag);
}

/* Important system, serious loss: 较大 by the 2007 matrix, confirmed as proposed. */
static json_t *grade_doc(void)
{
    return json_pack("{s:{s:s,s:s}}", "facts", "importance", "important", "loss", "serious");
}

static int64_t graded_new(const char *title)
{
    int64_t id = incident_new(who[HX_AUTHORITY], false, title);
    HX_EXPECT(hx_send(who[HX_AUTHORITY], "POST",
                      hx_fmt("/api/v1/incidents/%lld/grade", (long long)id), grade_doc(),
                      etag_of(id)),
              200);
    return id;
}

static int64_t dispatch_to(int64_t incident, int64_t unit)
{
    struct hx_resp *r =
        hx_post(who[HX_AUTHORITY], hx_fmt("/api/v1/incidents/%lld/dispatches", (long long)incident),
                json_pack("{s:[I]}", "unit_ids", (json_int_t)unit));
    HX_EXPECT(r, 201);
    return json_integer_value(
        json_object_get(json_array_get(json_object_get(r->json, "items"), 0), "id"));
}

/* A dispatch to unit still waiting for its answer, of a fresh incident. */
static int64_t fresh_dispatch(int64_t unit)
{
    return dispatch_to(graded_new("矩阵新派单事件"), unit);
}

static int setup(void **state)
{
    (void)state;
    struct hx_server_options opt = {.clock = true};
    srv = hx_server_new(&opt);
    struct hx_client *admin = hx_login_admin(srv);
    unit_a = hx_unit_create(admin, hx_unit_doc("矩阵事件甲单位"));
    unit_b = hx_unit_create(admin, hx_unit_doc("矩阵事件乙单位"));
    hx_matrix_clients(srv, admin, unit_a, who);
    unit_b_user = hx_user_client(admin, "unit", unit_b);

    inc_a = graded_new("矩阵事件（派甲）");
    disp_a = dispatch_to(inc_a, unit_a);
    inc_b = graded_new("矩阵事件（派乙）");
    disp_b = dispatch_to(inc_b, unit_b);
    rep_a = incident_new(who[HX_UNIT], true, "矩阵事件（甲报告）");
    rep_b = incident_new(unit_b_user, true, "矩阵事件（乙报告）");
    inc_ab = graded_new("矩阵事件（派甲乙）");
    dispatch_to(inc_ab, unit_a);
    dispatch_to(inc_ab, unit_b);
    /* Each unit's own note on the shared incident, and its own dispatch notes. */
    HX_EXPECT(hx_post(who[HX_UNIT], hx_fmt("/api/v1/incidents/%lld/notes", (long long)inc_ab),
                      json_pack("{s:s}", "text", "甲单位现场记录")),
              201);
    HX_EXPECT(hx_post(unit_b_user, hx_fmt("/api/v1/incidents/%lld/notes", (long long)inc_ab),
                      json_pack("{s:s}", "text", "乙单位现场记录")),
              201);
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

static void p_create(enum hx_role r, struct hx_call *c)
{
    c->body = incident_doc(r == HX_UNIT || r == HX_UNIT_OTHER, "矩阵新报告事件");
}

static void p_dispatched(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/incidents", hx_role_other(r) ? inc_b : inc_a, "");
}

static void p_reported(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/incidents", hx_role_other(r) ? rep_b : rep_a, "");
}

/* The authority's changes: the incident's current ETag (only the authority gets past
 * the role check to where it counts). */
static void p_change(struct hx_call *c, int64_t id, const char *suffix, json_t *body)
{
    hx_call_path(c, "/api/v1/incidents", id, suffix);
    snprintf(c->if_match, sizeof c->if_match, "%s", etag_of(id));
    c->body = body;
}

static void p_patch(enum hx_role r, struct hx_call *c)
{
    p_change(c, hx_role_other(r) ? inc_b : inc_a, "",
             json_pack("{s:s}", "description", hx_fmt("矩阵 %s", hx_role_names[r])));
}

static void p_grade(enum hx_role r, struct hx_call *c)
{
    p_change(c, hx_role_other(r) ? inc_b : inc_a, "/grade", grade_doc());
}

/* A fresh classified and graded incident, to be triaged. */
static void p_status(enum hx_role r, struct hx_call *c)
{
    (void)r;
    p_change(c, graded_new("矩阵研判事件"), "/status", json_pack("{s:s}", "to", "triaged"));
}

static void p_final(enum hx_role r, struct hx_call *c)
{
    p_change(c, hx_role_other(r) ? inc_b : inc_a, "/final-report",
             json_pack("{s:s}", "cause", "弱口令被利用"));
}

/* A fresh incident, a duplicate of the one dispatched to A. */
static void p_merge(enum hx_role r, struct hx_call *c)
{
    (void)r;
    p_change(c, incident_new(who[HX_AUTHORITY], false, "矩阵重复事件"), "/merge",
             json_pack("{s:I,s:s}", "into", (json_int_t)inc_a, "reason", "同一事件重复报告"));
}

static void p_note(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/incidents", hx_role_other(r) ? inc_b : inc_a, "/notes");
    c->body = json_pack("{s:s}", "text", hx_fmt("矩阵备注 %s", hx_role_names[r]));
}

static void p_suggestions(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/incidents", hx_role_other(r) ? inc_b : inc_a, "/suggestions");
}

/* A fresh graded incident, to be dispatched to A. */
static void p_dispatch_create(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/incidents", graded_new("矩阵待派单事件"), "/dispatches");
    c->body = json_pack("{s:[I],s:b}", "unit_ids", (json_int_t)unit_a, "urgent", 1);
}

static void p_dispatch(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/dispatches", hx_role_other(r) ? disp_b : disp_a, "");
}

static void p_accept(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/dispatches", fresh_dispatch(hx_role_other(r) ? unit_b : unit_a),
                 "/actions");
    c->body = json_pack("{s:s}", "action", "accept");
}

static void p_withdraw(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/dispatches", fresh_dispatch(hx_role_other(r) ? unit_b : unit_a),
                 "/actions");
    c->body = json_pack("{s:s,s:s}", "action", "withdraw", "reason", "已另行处置");
}

static void p_dispatch_notes(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/dispatches", hx_role_other(r) ? disp_b : disp_a, "/notes");
    c->body = json_pack("{s:s}", "text", hx_fmt("矩阵单位备注 %s", hx_role_names[r]));
}

/* A fresh dispatch, handed to the other unit. */
static void p_redispatch(enum hx_role r, struct hx_call *c)
{
    bool other = hx_role_other(r);
    hx_call_path(c, "/api/v1/dispatches", fresh_dispatch(other ? unit_b : unit_a), "/redispatch");
    c->body = json_pack("{s:I,s:s}", "unit_id", (json_int_t)(other ? unit_a : unit_b), "reason",
                        "原派单位超时未响应");
}

/* The seeded deadlines of 一般, so the cells change nothing later dispatches see. */
static void p_level(enum hx_role r, struct hx_call *c)
{
    (void)r;
    snprintf(c->path, sizeof c->path, "/api/v1/reference/incident-levels/general");
    c->body = json_pack("{s:i,s:i}", "ack_minutes", 30, "commitment_minutes", 120);
}

/* The seeded names of 其他事件, its seeded threshold, the seeded deadlines of "other":
 * like p_level, the cells change nothing the other cells see. */
static void p_class(enum hx_role r, struct hx_call *c)
{
    (void)r;
    snprintf(c->path, sizeof c->path, "/api/v1/reference/incident-classes/OTH");
    c->body = json_pack("{s:s}", "name_zh", "其他事件");
}

static void p_rule(enum hx_role r, struct hx_call *c)
{
    (void)r;
    snprintf(c->path, sizeof c->path, "/api/v1/reference/grading-rules/personal_records/major");
    c->body = json_pack("{s:I,s:b}", "threshold", (json_int_t)10000000, "confirmed", 0);
}

static void p_deadline(enum hx_role r, struct hx_call *c)
{
    (void)r;
    snprintf(c->path, sizeof c->path, "/api/v1/reference/report-deadlines/other");
    c->body = json_pack("{s:i}", "final_days", 30);
}

static void p_proposal(enum hx_role r, struct hx_call *c)
{
    (void)r;
    c->body = json_pack("{s:{s:I}}", "facts", "personal_records", (json_int_t)12000000);
}

/* --- the matrix -------------------------------------------------------------------- */

#define AUTHORITY_ONLY                                                                             \
    {                                                                                              \
        401, 200, 403, 403, 403, 403, 403                                                          \
    }
#define EVERYONE                                                                                   \
    {                                                                                              \
        401, 200, 200, 200, 200, 200, 200                                                          \
    }

/* Columns: anonymous, authority, security_reviewer, expert, unit, unit->other, auditor. */
static const struct hx_row rows[] = {
    {"GET", "/api/v1/incidents", "", NULL, {401, 200, 403, 403, 200, 200, 200}},
    {"POST", "/api/v1/incidents", "", p_create, {401, 201, 403, 403, 201, 201, 403}},
    {"GET", "/api/v1/incidents/board", "", NULL, {401, 200, 403, 403, 403, 403, 200}},
    {"GET",
     "/api/v1/incidents/{id}",
     "dispatched to the unit",
     p_dispatched,
     {401, 200, 403, 403, 200, 404, 200}},
    {"GET",
     "/api/v1/incidents/{id}",
     "reported by the unit",
     p_reported,
     {401, 200, 403, 403, 200, 404, 200}},
    {"PATCH", "/api/v1/incidents/{id}", "", p_patch, AUTHORITY_ONLY},
    {"POST", "/api/v1/incidents/{id}/grade", "", p_grade, AUTHORITY_ONLY},
    {"POST", "/api/v1/incidents/{id}/status", "a fresh graded one", p_status, AUTHORITY_ONLY},
    {"PUT", "/api/v1/incidents/{id}/final-report", "", p_final, AUTHORITY_ONLY},
    {"POST", "/api/v1/incidents/{id}/merge", "a fresh duplicate", p_merge, AUTHORITY_ONLY},
    {"POST", "/api/v1/incidents/{id}/notes", "", p_note, {401, 201, 403, 403, 201, 404, 403}},
    {"GET", "/api/v1/incidents/{id}/suggestions", "", p_suggestions, AUTHORITY_ONLY},
    {"POST",
     "/api/v1/incidents/{id}/dispatches",
     "a fresh graded one",
     p_dispatch_create,
     {401, 201, 403, 403, 403, 403, 403}},
    {"GET", "/api/v1/dispatches", "", NULL, {401, 200, 403, 403, 200, 200, 200}},
    {"GET", "/api/v1/dispatches/{id}", "", p_dispatch, {401, 200, 403, 403, 200, 404, 200}},
    {"POST",
     "/api/v1/dispatches/{id}/actions",
     "accept a fresh one",
     p_accept,
     {401, 403, 403, 403, 200, 404, 403}},
    {"POST", "/api/v1/dispatches/{id}/actions", "withdraw a fresh one", p_withdraw, AUTHORITY_ONLY},
    {"PUT",
     "/api/v1/dispatches/{id}/notes",
     "",
     p_dispatch_notes,
     {401, 403, 403, 403, 200, 404, 403}},
    {"POST",
     "/api/v1/dispatches/{id}/redispatch",
     "a fresh one",
     p_redispatch,
     {401, 201, 403, 403, 403, 403, 403}},
    {"GET", "/api/v1/reference/incident-classes", "", NULL, EVERYONE},
    {"PATCH", "/api/v1/reference/incident-classes/{code}", "", p_class, AUTHORITY_ONLY},
    {"GET", "/api/v1/reference/incident-levels", "", NULL, EVERYONE},
    {"PATCH", "/api/v1/reference/incident-levels/{code}", "", p_level, AUTHORITY_ONLY},
    {"GET", "/api/v1/reference/grading-rules", "", NULL, EVERYONE},
    {"PUT", "/api/v1/reference/grading-rules/{metric}/{level}", "", p_rule, AUTHORITY_ONLY},
    {"GET", "/api/v1/reference/report-deadlines", "", NULL, EVERYONE},
    {"PATCH", "/api/v1/reference/report-deadlines/{operator_type}", "", p_deadline, AUTHORITY_ONLY},
    {"POST",
     "/api/v1/reference/grading-proposal",
     "",
     p_proposal,
     {401, 200, 403, 403, 200, 200, 403}},
};

static void test_every_route_has_a_row(void **state)
{
    (void)state;
    hx_matrix_check_rows(HX_PART_INCIDENTS, rows, YJ_ARRAY_LEN(rows));
}

/* Whether list holds an item with this id. */
static bool has_id(json_t *list, int64_t id)
{
    size_t i;
    json_t *v;
    json_array_foreach (list, i, v)
        if (json_integer_value(json_object_get(v, "id")) == id)
            return true;
    return false;
}

/* What a unit sees of incidents and dispatches: those it takes part in and, inside an
 * incident, its own dispatch, its own notes and the incident's own entries; no related
 * incidents and no reporting duties. Runs before the matrix adds anything. */
static void test_unit_scope(void **state)
{
    (void)state;
    for (int r = HX_UNIT; r <= HX_UNIT_OTHER; r++) {
        json_t *items = hx_list_all(who[r], "/api/v1/incidents", 100);
        assert_int_equal(json_array_size(items), 3);
        assert_true(has_id(items, inc_a) && has_id(items, rep_a) && has_id(items, inc_ab));
        json_decref(items);
        items =
            hx_list_all(who[r], hx_fmt("/api/v1/dispatches?unit_id=%lld", (long long)unit_b), 100);
        assert_int_equal(json_array_size(items), 2);
        assert_true(has_id(items, disp_a));
        json_decref(items);
    }
    json_t *all = hx_list_all(who[HX_AUDITOR], "/api/v1/incidents", 100);
    assert_int_equal(json_array_size(all), 5);
    json_decref(all);
    all = hx_list_all(who[HX_AUDITOR], "/api/v1/dispatches", 100);
    assert_int_equal(json_array_size(all), 4);
    json_decref(all);

    const char *path = hx_fmt("/api/v1/incidents/%lld", (long long)inc_ab);
    struct hx_resp *r = hx_get(who[HX_UNIT], path);
    HX_EXPECT(r, 200);
    json_t *ds = json_object_get(r->json, "dispatches");
    assert_int_equal(json_array_size(ds), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(ds, 0), "unit_id")), unit_a);
    assert_non_null(strstr(r->body, "甲单位现场记录"));
    assert_null(strstr(r->body, "乙单位现场记录"));
    assert_null(json_object_get(r->json, "reporting"));
    assert_null(json_object_get(r->json, "children"));
    assert_null(json_object_get(r->json, "merged"));
    size_t i;
    json_t *e;
    json_array_foreach (json_object_get(r->json, "timeline"), i, e) {
        json_t *u = json_object_get(e, "unit_id");
        assert_true(json_is_null(u) || json_integer_value(u) == unit_a);
    }

    /* The authority sees both dispatches, both notes, and the duties of a 较大 incident of
     * an "other" operator: the first report (within 4 hours of discovery) and the final
     * one (due once resolved). */
    r = hx_get(who[HX_AUTHORITY], path);
    HX_EXPECT(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "dispatches")), 2);
    assert_non_null(strstr(r->body, "乙单位现场记录"));
    json_t *duty = json_object_get(r->json, "reporting");
    assert_int_equal(json_array_size(duty), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(duty, 0), "kind")),
                        "first");
    assert_true(json_is_null(json_object_get(json_array_get(duty, 1), "due_at")));
    assert_true(json_is_array(json_object_get(r->json, "children")));
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
