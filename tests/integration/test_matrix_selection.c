/*
 * test_matrix_selection.c - the route x role matrix, its part for campaigns,
 * applications and units' records (routes_selection.inc). Columns, conventions
 * and the every-route check: harness_matrix.h.
 *
 * Setup makes a draft campaign, an open one holding a draft of each unit, and
 * one taken into review holding a submitted application of each unit on a
 * panel: the expert column's expert sits on it, a second expert sits nowhere
 * and a third sits on it but declared a conflict with unit A's application.
 * Write rows that consume their object (stage changes, submission, return,
 * starting an application) get a fresh one per cell: a new campaign, a new
 * complete draft, a new submitted application.
 */
#include "harness_matrix.h"

#include "core/yj.h"

enum { DAY_MS = 24 * 60 * 60 * 1000, DEADLINE_MS = 5 * 60 * 1000 };

static struct hx_server *srv;
static struct hx_client *who[HX_ROLES]; /* HX_UNIT_OTHER is a second user of unit A */
static struct hx_client *unit_b_user;   /* makes unit B's objects */
static struct hx_client *expert_free;   /* an expert on no panel */
static struct hx_client *expert_tied;   /* on the panel, declared a conflict with unit A's */
static int64_t unit_a, unit_b;
static int64_t campaign_draft, campaign_open, campaign_review;
static int64_t draft_a, draft_b;         /* drafts in the open campaign */
static int64_t submitted_a, submitted_b; /* on the review campaign's panel */

static int setup(void **state)
{
    (void)state;
    struct hx_server_options opt = {.clock = true};
    srv = hx_server_new(&opt);
    struct hx_client *admin = hx_login_admin(srv);
    unit_a = hx_unit_create(admin, hx_unit_doc("矩阵遴选甲单位"));
    unit_b = hx_unit_create(admin, hx_unit_doc("矩阵遴选乙单位"));
    hx_matrix_clients(srv, admin, unit_a, who);
    unit_b_user = hx_user_client(admin, "unit", unit_b);
    expert_free = hx_user_client(admin, "expert", 0);
    expert_tied = hx_user_client(admin, "expert", 0);

    int64_t later = srv->now_ms + 30 * (int64_t)DAY_MS;
    campaign_draft = hx_campaign_create(admin, hx_campaign_doc("矩阵筹备中", later));
    campaign_open = hx_campaign_open(admin, "矩阵申报中", later);
    draft_a = hx_application_start(who[HX_UNIT], campaign_open);
    draft_b = hx_application_start(unit_b_user, campaign_open);
    campaign_review = hx_campaign_open(admin, "矩阵评审中", srv->now_ms + DEADLINE_MS);
    submitted_a = hx_application_submitted(who[HX_UNIT], campaign_review);
    submitted_b = hx_application_submitted(unit_b_user, campaign_review);
    hx_clock_advance(srv, DEADLINE_MS + HX_MINUTE_MS);
    hx_campaign_stage(admin, campaign_review, "review");
    int64_t experts[] = {who[HX_EXPERT]->user_id, expert_tied->user_id};
    int64_t apps[] = {submitted_a, submitted_b};
    hx_panel_create(admin, campaign_review, experts, 2, apps, 2);
    HX_EXPECT(hx_post(expert_tied,
                      hx_fmt("/api/v1/applications/%lld/conflict", (long long)submitted_a),
                      json_pack("{s:b,s:s}", "conflicted", 1, "statement", "曾任该单位顾问")),
              200);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hx_matrix_clients_free(who);
    hx_client_free(unit_b_user);
    hx_client_free(expert_free);
    hx_client_free(expert_tied);
    hx_server_free(srv);
    return 0;
}

/* --- what each cell sends ---------------------------------------------------------- */

/* The client that makes r's unit's objects: unit A's user, or unit B's for unit->other. */
static struct hx_client *maker(enum hx_role r)
{
    return hx_role_other(r) ? unit_b_user : who[HX_UNIT];
}

static void etag_campaign(struct hx_call *c, int64_t id)
{
    snprintf(c->if_match, sizeof c->if_match, "%s",
             hx_etag(hx_campaign_version(who[HX_AUTHORITY], id)));
}

static void etag_application(struct hx_call *c, int64_t id)
{
    snprintf(c->if_match, sizeof c->if_match, "%s",
             hx_etag(hx_application_version(who[HX_AUTHORITY], id)));
}

static int64_t fresh_open_campaign(void)
{
    return hx_campaign_open(who[HX_AUTHORITY], "矩阵新申报", srv->now_ms + 30 * (int64_t)DAY_MS);
}

static void p_campaign_create(enum hx_role r, struct hx_call *c)
{
    c->body = hx_campaign_doc(hx_fmt("矩阵新届 %s", hx_role_names[r]),
                              srv->now_ms + 30 * (int64_t)DAY_MS);
}

static void p_campaign_open(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/campaigns", campaign_open, "");
}

static void p_pipeline(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/campaigns", campaign_open, "/pipeline");
}

static void p_campaign_draft(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/campaigns", campaign_draft, "");
}

static void p_campaign_patch(enum hx_role r, struct hx_call *c)
{
    p_campaign_draft(r, c);
    etag_campaign(c, campaign_draft);
    c->body = json_pack("{s:i}", "places", 3 + (int)r);
}

/* A fresh draft campaign, moved to open. */
static void p_campaign_stage(enum hx_role r, struct hx_call *c)
{
    (void)r;
    int64_t id = hx_campaign_create(
        who[HX_AUTHORITY], hx_campaign_doc("矩阵待开启", srv->now_ms + 30 * (int64_t)DAY_MS));
    hx_call_path(c, "/api/v1/campaigns", id, "/stage");
    etag_campaign(c, id);
    c->body = json_pack("{s:s}", "to", "open");
}

static void p_applications_review(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/campaigns", campaign_review, "/applications");
}

static void p_applications_draft(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/campaigns", campaign_draft, "/applications");
}

/* A fresh open campaign: the caller's unit has not applied to it. */
static void p_application_start(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/campaigns", fresh_open_campaign(), "/applications");
}

static void p_draft(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/applications", hx_role_other(r) ? draft_b : draft_a, "");
}

static void p_submitted(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/applications", hx_role_other(r) ? submitted_b : submitted_a, "");
}

/* The same, with the expert column's cell sent by an expert on no panel. */
static void p_submitted_free(enum hx_role r, struct hx_call *c)
{
    p_submitted(r, c);
    if (r == HX_EXPERT)
        c->as = expert_free;
}

/* The same, with the expert column's cell sent by the expert who declared a tie. */
static void p_submitted_tied(enum hx_role r, struct hx_call *c)
{
    p_submitted(r, c);
    if (r == HX_EXPERT)
        c->as = expert_tied;
}

static void p_content(enum hx_role r, struct hx_call *c)
{
    int64_t id = hx_role_other(r) ? draft_b : draft_a;
    hx_call_path(c, "/api/v1/applications", id, "/content");
    etag_application(c, id);
    c->body = json_pack("{s:s}", "organisation", hx_fmt("矩阵 %s", hx_role_names[r]));
}

static void p_version_draft(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/applications", hx_role_other(r) ? draft_b : draft_a, "/versions/1");
}

static void p_version_submitted(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/applications", hx_role_other(r) ? submitted_b : submitted_a,
                 "/versions/1");
}

static void p_version_free(enum hx_role r, struct hx_call *c)
{
    p_version_submitted(r, c);
    if (r == HX_EXPERT)
        c->as = expert_free;
}

/* A fresh complete draft of r's unit in a fresh open campaign. */
static void p_submit(enum hx_role r, struct hx_call *c)
{
    int64_t id = hx_application_start(maker(r), fresh_open_campaign());
    hx_application_complete(maker(r), id);
    hx_call_path(c, "/api/v1/applications", id, "/submit");
    etag_application(c, id);
}

/* A fresh submitted application of r's unit in a fresh open campaign. */
static void p_return(enum hx_role r, struct hx_call *c)
{
    int64_t id = hx_application_submitted(maker(r), fresh_open_campaign());
    hx_call_path(c, "/api/v1/applications", id, "/return");
    etag_application(c, id);
    c->body = json_pack("{s:s}", "reason", "请补充近三年审计报告");
}

static void p_paper(enum hx_role r, struct hx_call *c)
{
    int64_t id = hx_role_other(r) ? submitted_b : submitted_a;
    hx_call_path(c, "/api/v1/applications", id, "/paper");
    etag_application(c, id);
    c->body = json_pack("{s:b,s:s}", "matches", 1, "note", "纸质版与电子版一致");
}

static void p_eligibility(enum hx_role r, struct hx_call *c)
{
    int64_t id = hx_role_other(r) ? submitted_b : submitted_a;
    hx_call_path(c, "/api/v1/applications", id, "/eligibility");
    etag_application(c, id);
    c->body = json_pack("{s:b,s:s}", "eligible", 1, "reason", "经核实符合条件");
}

static void p_record(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/units", hx_role_other(r) ? unit_b : unit_a, "/record");
}

static void p_grade(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/units", hx_role_other(r) ? unit_b : unit_a, "/grades");
    c->body = json_pack("{s:s,s:s,s:s}", "period", "第一届", "grade", "qualified", "graded_on",
                        "2026-01-15");
}

/* --- the matrix -------------------------------------------------------------------- */

#define ON_PANEL "submitted, on the expert's panel"
#define FREE "submitted, expert not assigned"
#define TIED "submitted, expert declared a tie"

/* Columns: anonymous, authority, security_reviewer, expert, unit, unit->other, auditor. */
static const struct hx_row rows[] = {
    {"GET", "/api/v1/campaigns", "", NULL, {401, 200, 200, 200, 200, 200, 200}},
    {"POST", "/api/v1/campaigns", "", p_campaign_create, {401, 201, 403, 403, 403, 403, 403}},
    {"GET", "/api/v1/campaigns/{id}", "open", p_campaign_open, {401, 200, 200, 200, 200, 200, 200}},
    {"GET",
     "/api/v1/campaigns/{id}",
     "draft",
     p_campaign_draft,
     {401, 200, 404, 404, 404, 404, 200}},
    {"PATCH",
     "/api/v1/campaigns/{id}",
     "draft",
     p_campaign_patch,
     {401, 200, 403, 403, 403, 403, 403}},
    {"GET",
     "/api/v1/campaigns/{id}/pipeline",
     "open",
     p_pipeline,
     {401, 200, 403, 403, 403, 403, 200}},
    {"POST",
     "/api/v1/campaigns/{id}/stage",
     "a fresh draft, to open",
     p_campaign_stage,
     {401, 200, 403, 403, 403, 403, 403}},
    {"GET",
     "/api/v1/campaigns/{id}/applications",
     "in review",
     p_applications_review,
     {401, 200, 200, 200, 200, 200, 200}},
    {"GET",
     "/api/v1/campaigns/{id}/applications",
     "draft",
     p_applications_draft,
     {401, 200, 404, 404, 404, 404, 200}},
    /* unit->other: there is no other unit to reach for; a unit applies as itself */
    {"POST",
     "/api/v1/campaigns/{id}/applications",
     "a fresh open campaign",
     p_application_start,
     {401, 403, 403, 403, 201, 201, 403}},
    {"GET", "/api/v1/applications/{id}", "a draft", p_draft, {401, 200, 403, 404, 200, 404, 200}},
    {"GET",
     "/api/v1/applications/{id}",
     ON_PANEL,
     p_submitted,
     {401, 200, 403, 200, 200, 404, 200}},
    {"GET",
     "/api/v1/applications/{id}",
     FREE,
     p_submitted_free,
     {401, 200, 403, 404, 200, 404, 200}},
    {"GET",
     "/api/v1/applications/{id}",
     TIED,
     p_submitted_tied,
     {401, 200, 403, 404, 200, 404, 200}},
    {"PATCH",
     "/api/v1/applications/{id}/content",
     "a draft",
     p_content,
     {401, 403, 403, 403, 200, 404, 403}},
    {"GET",
     "/api/v1/applications/{id}/versions/{no}",
     "a draft",
     p_version_draft,
     {401, 200, 403, 404, 200, 404, 200}},
    {"GET",
     "/api/v1/applications/{id}/versions/{no}",
     ON_PANEL,
     p_version_submitted,
     {401, 200, 403, 200, 200, 404, 200}},
    {"GET",
     "/api/v1/applications/{id}/versions/{no}",
     FREE,
     p_version_free,
     {401, 200, 403, 404, 200, 404, 200}},
    {"POST",
     "/api/v1/applications/{id}/submit",
     "a fresh complete draft",
     p_submit,
     {401, 403, 403, 403, 200, 404, 403}},
    {"POST",
     "/api/v1/applications/{id}/return",
     "a fresh submitted one",
     p_return,
     {401, 200, 403, 403, 403, 403, 403}},
    {"POST",
     "/api/v1/applications/{id}/paper",
     "submitted",
     p_paper,
     {401, 200, 403, 403, 403, 403, 403}},
    {"POST",
     "/api/v1/applications/{id}/eligibility",
     "submitted",
     p_eligibility,
     {401, 200, 403, 403, 403, 403, 403}},
    {"GET", "/api/v1/units/{id}/record", "", p_record, {401, 200, 403, 403, 200, 404, 200}},
    {"POST", "/api/v1/units/{id}/grades", "", p_grade, {401, 201, 403, 403, 403, 403, 403}},
};

static void test_every_route_has_a_row(void **state)
{
    (void)state;
    hx_matrix_check_rows(HX_PART_SELECTION, rows, YJ_ARRAY_LEN(rows));
}

/* The ids of a list answer's items (walking every page). */
static json_t *ids_of(struct hx_client *c, const char *path)
{
    json_t *items = hx_list_all(c, path, 100), *ids = json_array(), *v;
    size_t i;
    json_array_foreach (items, i, v)
        json_array_append(ids, json_object_get(v, "id"));
    json_decref(items);
    return ids;
}

static bool has_id(const json_t *ids, int64_t id)
{
    size_t i;
    json_t *v;
    json_array_foreach (ids, i, v)
        if (json_integer_value(v) == id)
            return true;
    return false;
}

/* Fails unless c's list at path holds exactly the n ids given (in any order). */
static void expect_ids(struct hx_client *c, const char *who_name, const char *path,
                       const int64_t *want, size_t n)
{
    json_t *ids = ids_of(c, path);
    bool ok = json_array_size(ids) == n;
    for (size_t i = 0; ok && i < n; i++)
        ok = has_id(ids, want[i]);
    if (!ok) {
        char *got = json_dumps(ids, JSON_COMPACT);
        print_error("%s: %s lists %s, expected %zu specific ids\n", who_name, path, got, n);
        free(got);
        json_decref(ids);
        fail();
    }
    json_decref(ids);
}

/* Lists narrow to the caller's scope: drafts of campaigns for the authority and the
 * auditor only; a campaign's applications all for them, submitted ones for the
 * reviewer, assigned ones without a tie for an expert, the own unit's for a unit. */
static void test_list_scopes(void **state)
{
    (void)state;
    for (int r = HX_AUTHORITY; r < HX_ROLES; r++) {
        json_t *ids = ids_of(who[r], "/api/v1/campaigns");
        bool drafts = r == HX_AUTHORITY || r == HX_AUDITOR;
        if (has_id(ids, campaign_draft) != drafts || !has_id(ids, campaign_open) ||
            !has_id(ids, campaign_review))
            fail_msg("%s sees the wrong campaigns", hx_role_names[r]);
        json_decref(ids);
    }
    char review[128], open[128]; /* hx_fmt's buffers rotate: keep copies */
    snprintf(review, sizeof review, "/api/v1/campaigns/%lld/applications",
             (long long)campaign_review);
    snprintf(open, sizeof open, "/api/v1/campaigns/%lld/applications", (long long)campaign_open);
    const int64_t both_submitted[] = {submitted_a, submitted_b}, both_drafts[] = {draft_a, draft_b};
    struct hx_client *all_of_them[] = {who[HX_AUTHORITY], who[HX_AUDITOR], who[HX_REVIEWER],
                                       who[HX_EXPERT]};
    for (size_t i = 0; i < YJ_ARRAY_LEN(all_of_them); i++)
        expect_ids(all_of_them[i], "authority/auditor/reviewer/expert", review, both_submitted, 2);
    expect_ids(expert_tied, "the expert with a tie", review, &submitted_b, 1);
    expect_ids(expert_free, "the unassigned expert", review, NULL, 0);
    expect_ids(who[HX_UNIT], "unit A", review, &submitted_a, 1);
    expect_ids(unit_b_user, "unit B", review, &submitted_b, 1);
    expect_ids(who[HX_AUTHORITY], "authority", open, both_drafts, 2);
    expect_ids(who[HX_AUDITOR], "auditor", open, both_drafts, 2);
    expect_ids(who[HX_REVIEWER], "reviewer", open, NULL, 0); /* never drafts */
    expect_ids(who[HX_EXPERT], "expert", open, NULL, 0);
    expect_ids(who[HX_UNIT], "unit A", open, &draft_a, 1);
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
        cmocka_unit_test(test_list_scopes),
        cmocka_unit_test(test_route_role_matrix),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
