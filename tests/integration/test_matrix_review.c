/*
 * test_matrix_review.c - the route x role matrix, its part for the review
 * (background review, panels, conflicts, score sheets, ranking, the proposed
 * list, objections; routes_review.inc) and the selection's documents
 * (routes_exports.inc). Columns, conventions and the every-route check:
 * harness_matrix.h.
 *
 * Setup takes four campaigns through the real flow: one stays in review with
 * both units' submitted applications on an open panel where the expert column's
 * expert sits; one is published after a panel of that expert and a second one
 * scored, closed and proposed both units; one stays under notice with unit A's
 * application proposed; one is in review without applications (for the
 * proposed list). The second expert sits on the published campaign's panel and
 * on no open one, so "expert not assigned" cells are sent by them. Write rows
 * that consume their object (closing a panel, deciding an objection) get a
 * fresh one per cell.
 */
#include "harness_matrix.h"

#include "core/yj.h"

enum { DEADLINE_MS = 5 * 60 * 1000 };

static struct hx_server *srv;
static struct hx_client *who[HX_ROLES]; /* HX_UNIT_OTHER is a second user of unit A */
static struct hx_client *unit_b_user;   /* makes unit B's objects */
static struct hx_client *expert_free;   /* on the published campaign's (closed) panel only */
static int64_t campaign_review, campaign_published, campaign_notice, campaign_empty;
static int64_t campaign_draft;     /* never opened: only the authority and the auditor see it */
static int64_t review_a, review_b; /* on the open panel */
static int64_t published_a, published_b; /* on the closed panel */
static int64_t noticed_a;                /* proposed, under notice */
static int64_t panel_open, panel_closed, panel_spare;

static int setup(void **state)
{
    (void)state;
    struct hx_server_options opt = {.clock = true};
    srv = hx_server_new(&opt);
    struct hx_client *admin = hx_login_admin(srv);
    int64_t unit_a = hx_unit_create(admin, hx_unit_doc("矩阵评审甲单位"));
    int64_t unit_b = hx_unit_create(admin, hx_unit_doc("矩阵评审乙单位"));
    hx_matrix_clients(srv, admin, unit_a, who);
    unit_b_user = hx_user_client(admin, "unit", unit_b);
    expert_free = hx_user_client(admin, "expert", 0);

    int64_t deadline = srv->now_ms + DEADLINE_MS;
    campaign_draft = hx_campaign_create(admin, hx_campaign_doc("矩阵筹备中", deadline));
    campaign_review = hx_campaign_open(admin, "矩阵评审中", deadline);
    campaign_published = hx_campaign_open(admin, "矩阵已公布", deadline);
    campaign_notice = hx_campaign_open(admin, "矩阵公示中", deadline);
    campaign_empty = hx_campaign_open(admin, "矩阵无人申报", deadline);
    review_a = hx_application_submitted(who[HX_UNIT], campaign_review);
    review_b = hx_application_submitted(unit_b_user, campaign_review);
    published_a = hx_application_submitted(who[HX_UNIT], campaign_published);
    published_b = hx_application_submitted(unit_b_user, campaign_published);
    noticed_a = hx_application_submitted(who[HX_UNIT], campaign_notice);
    hx_clock_advance(srv, DEADLINE_MS + HX_MINUTE_MS);
    int64_t all[] = {campaign_review, campaign_published, campaign_notice, campaign_empty};
    for (size_t i = 0; i < YJ_ARRAY_LEN(all); i++)
        hx_campaign_stage(admin, all[i], "review");

    struct hx_review both = {.admin = admin,
                             .reviewer = who[HX_REVIEWER],
                             .experts = {who[HX_EXPERT], expert_free},
                             .n_experts = 2};
    int64_t pub[] = {published_a, published_b};
    panel_closed = hx_review_to_proposal(&both, campaign_published, pub, 2);
    hx_campaign_stage(admin, campaign_published, "notice");
    struct hx_review one = {
        .admin = admin, .reviewer = who[HX_REVIEWER], .experts = {who[HX_EXPERT]}, .n_experts = 1};
    hx_review_to_proposal(&one, campaign_notice, &noticed_a, 1);
    hx_campaign_stage(admin, campaign_notice, "notice");

    int64_t expert = who[HX_EXPERT]->user_id, free_id = expert_free->user_id;
    int64_t rev[] = {review_a, review_b};
    panel_open = hx_panel_create(admin, campaign_review, &expert, 1, rev, 2);
    panel_spare = hx_panel_create(admin, campaign_review, &free_id, 1, NULL, 0);

    hx_clock_advance(srv, HX_NOTICE_MS);
    hx_campaign_stage(admin, campaign_published, "published");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hx_matrix_clients_free(who);
    hx_client_free(unit_b_user);
    hx_client_free(expert_free);
    hx_server_free(srv);
    return 0;
}

/* --- what each cell sends ---------------------------------------------------------- */

/* The expert column's cell is sent by the expert who is not assigned. */
static void unassigned(enum hx_role r, struct hx_call *c)
{
    if (r == HX_EXPERT)
        c->as = expert_free;
}

static int64_t reviewed(enum hx_role r)
{
    return hx_role_other(r) ? review_b : review_a;
}

static int64_t published(enum hx_role r)
{
    return hx_role_other(r) ? published_b : published_a;
}

static void p_security_view(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/applications", reviewed(r), "/security-view");
}

static void p_security_review(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/applications", reviewed(r), "/security-review");
    c->body = json_pack("{s:s}", "result", "pass");
}

static void p_panels(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/campaigns", campaign_review, "/panels");
}

static void p_panels_draft(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/campaigns", campaign_draft, "/panels");
}

static void p_panel_create(enum hx_role r, struct hx_call *c)
{
    p_panels(r, c);
    c->body = json_pack("{s:s,s:[I],s:[]}", "name", hx_fmt("矩阵组 %s", hx_role_names[r]),
                        "experts", (json_int_t)expert_free->user_id, "applications");
}

static void p_panel(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/panels", panel_open, "");
}

static void p_panel_free(enum hx_role r, struct hx_call *c)
{
    p_panel(r, c);
    unassigned(r, c);
}

static void p_panel_members(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/panels", panel_spare, "");
    c->body = json_pack("{s:[I]}", "experts", (json_int_t)expert_free->user_id);
}

/* A fresh open panel (nothing to score, so it may close at once). */
static void p_panel_close(enum hx_role r, struct hx_call *c)
{
    (void)r;
    int64_t expert = expert_free->user_id;
    hx_call_path(c, "/api/v1/panels",
                 hx_panel_create(who[HX_AUTHORITY], campaign_review, &expert, 1, NULL, 0),
                 "/close");
}

static void p_conflict(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/applications", reviewed(r), "/conflict");
    c->body = json_pack("{s:b}", "conflicted", 0);
}

static void p_conflict_free(enum hx_role r, struct hx_call *c)
{
    p_conflict(r, c);
    unassigned(r, c);
}

static void p_mine(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/applications", reviewed(r), "/scores/mine");
}

static void p_mine_free(enum hx_role r, struct hx_call *c)
{
    p_mine(r, c);
    unassigned(r, c);
}

static void p_mine_put(enum hx_role r, struct hx_call *c)
{
    p_mine(r, c);
    c->body = json_pack("{s:[{s:s,s:i,s:s}],s:b}", "scores", "criterion", "basic", "points", 15,
                        "comment", "基本情况良好", "submit", 0);
}

static void p_mine_put_free(enum hx_role r, struct hx_call *c)
{
    p_mine_put(r, c);
    unassigned(r, c);
}

static void p_scores_open(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/applications", reviewed(r), "/scores");
}

static void p_scores_closed(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/applications", published(r), "/scores");
}

static void p_scores_free(enum hx_role r, struct hx_call *c)
{
    p_scores_open(r, c);
    unassigned(r, c);
}

static void p_ranking(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/campaigns", campaign_review, "/ranking");
}

static void p_proposal(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/campaigns", campaign_empty, "/proposal");
}

static void p_objections(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/campaigns", campaign_notice, "/objections");
}

static json_t *objection(void)
{
    return json_pack("{s:I,s:s,s:s}", "application_id", (json_int_t)noticed_a, "complainant",
                     "匿名群众", "content", "反映该单位承诺的 2 小时到场无法落实");
}

static void p_objection_create(enum hx_role r, struct hx_call *c)
{
    p_objections(r, c);
    c->body = objection();
}

/* A fresh objection, just received. */
static void p_objection_decide(enum hx_role r, struct hx_call *c)
{
    (void)r;
    struct hx_resp *o = hx_post(
        who[HX_AUTHORITY], hx_fmt("/api/v1/campaigns/%lld/objections", (long long)campaign_notice),
        objection());
    HX_EXPECT(o, 201);
    hx_call_path(c, "/api/v1/objections", hx_json_int(o, "id"), "/decision");
    c->body =
        json_pack("{s:s,s:s}", "status", "rejected", "findings", "经核实，该单位已配备驻地人员");
}

static void p_summary_xlsx(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/campaigns", campaign_review, "/summary.xlsx");
}

static void p_summary_csv(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/campaigns", campaign_review, "/summary.csv");
}

/* Experts fetch their own sheet; the authority and the auditor name the panel's expert. */
static void p_scoresheet(enum hx_role r, struct hx_call *c)
{
    if (r == HX_AUTHORITY || r == HX_AUDITOR)
        snprintf(c->path, sizeof c->path, "/api/v1/panels/%lld/scoresheet.xlsx?expert=%lld",
                 (long long)panel_open, (long long)who[HX_EXPERT]->user_id);
    else
        hx_call_path(c, "/api/v1/panels", panel_open, "/scoresheet.xlsx");
}

static void p_scoresheet_free(enum hx_role r, struct hx_call *c)
{
    p_scoresheet(r, c);
    unassigned(r, c);
}

/* The closed panel's sheet of its other expert. */
static void p_scoresheet_fellow(enum hx_role r, struct hx_call *c)
{
    (void)r;
    snprintf(c->path, sizeof c->path, "/api/v1/panels/%lld/scoresheet.xlsx?expert=%lld",
             (long long)panel_closed, (long long)expert_free->user_id);
}

static void p_panel_summary_closed(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/panels", panel_closed, "/summary.xlsx");
}

static void p_panel_summary_open(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/panels", panel_open, "/summary.xlsx");
}

static void p_panel_summary_free(enum hx_role r, struct hx_call *c)
{
    p_panel_summary_open(r, c);
    unassigned(r, c);
}

static void p_published_html(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/campaigns", campaign_published, "/published-list.html");
}

static void p_published_pdf(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/campaigns", campaign_published, "/published-list.pdf");
}

static void p_draft_html(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/campaigns", campaign_draft, "/published-list.html");
}

static void p_draft_pdf(enum hx_role r, struct hx_call *c)
{
    (void)r;
    hx_call_path(c, "/api/v1/campaigns", campaign_draft, "/published-list.pdf");
}

/* --- the matrix -------------------------------------------------------------------- */

#define ON_PANEL "on the expert's open panel"
#define FREE "expert not assigned"

/* Columns: anonymous, authority, security_reviewer, expert, unit, unit->other, auditor. */
static const struct hx_row rows[] = {
    {"GET",
     "/api/v1/applications/{id}/security-view",
     "submitted",
     p_security_view,
     {401, 200, 200, 403, 403, 403, 200}},
    {"POST",
     "/api/v1/applications/{id}/security-review",
     "submitted, in review",
     p_security_review,
     {401, 403, 200, 403, 403, 403, 403}},
    {"GET",
     "/api/v1/campaigns/{id}/panels",
     "in review",
     p_panels,
     {401, 200, 403, 200, 403, 403, 200}},
    /* a draft is outside the scope of all but the authority and the auditor */
    {"GET",
     "/api/v1/campaigns/{id}/panels",
     "draft",
     p_panels_draft,
     {401, 200, 403, 404, 403, 403, 200}},
    {"POST",
     "/api/v1/campaigns/{id}/panels",
     "in review",
     p_panel_create,
     {401, 201, 403, 403, 403, 403, 403}},
    {"GET", "/api/v1/panels/{id}", ON_PANEL, p_panel, {401, 200, 403, 200, 403, 403, 200}},
    {"GET", "/api/v1/panels/{id}", FREE, p_panel_free, {401, 200, 403, 404, 403, 403, 200}},
    {"PATCH", "/api/v1/panels/{id}", "open", p_panel_members, {401, 200, 403, 403, 403, 403, 403}},
    {"POST",
     "/api/v1/panels/{id}/close",
     "a fresh open one",
     p_panel_close,
     {401, 200, 403, 403, 403, 403, 403}},
    {"POST",
     "/api/v1/applications/{id}/conflict",
     ON_PANEL,
     p_conflict,
     {401, 403, 403, 200, 403, 403, 403}},
    {"POST",
     "/api/v1/applications/{id}/conflict",
     FREE,
     p_conflict_free,
     {401, 403, 403, 404, 403, 403, 403}},
    {"GET",
     "/api/v1/applications/{id}/scores/mine",
     ON_PANEL,
     p_mine,
     {401, 403, 403, 200, 403, 403, 403}},
    {"GET",
     "/api/v1/applications/{id}/scores/mine",
     FREE,
     p_mine_free,
     {401, 403, 403, 404, 403, 403, 403}},
    {"PUT",
     "/api/v1/applications/{id}/scores/mine",
     ON_PANEL,
     p_mine_put,
     {401, 403, 403, 200, 403, 403, 403}},
    {"PUT",
     "/api/v1/applications/{id}/scores/mine",
     FREE,
     p_mine_put_free,
     {401, 403, 403, 404, 403, 403, 403}},
    /* sealed for the panel's experts until it closes */
    {"GET",
     "/api/v1/applications/{id}/scores",
     ON_PANEL,
     p_scores_open,
     {401, 200, 403, 403, 403, 403, 200}},
    {"GET",
     "/api/v1/applications/{id}/scores",
     "on the expert's closed panel",
     p_scores_closed,
     {401, 200, 403, 200, 403, 403, 200}},
    {"GET",
     "/api/v1/applications/{id}/scores",
     FREE,
     p_scores_free,
     {401, 200, 403, 404, 403, 403, 200}},
    {"GET",
     "/api/v1/campaigns/{id}/ranking",
     "in review",
     p_ranking,
     {401, 200, 403, 403, 403, 403, 200}},
    {"POST",
     "/api/v1/campaigns/{id}/proposal",
     "in review",
     p_proposal,
     {401, 200, 403, 403, 403, 403, 403}},
    {"GET",
     "/api/v1/campaigns/{id}/objections",
     "under notice",
     p_objections,
     {401, 200, 403, 403, 403, 403, 200}},
    {"POST",
     "/api/v1/campaigns/{id}/objections",
     "under notice",
     p_objection_create,
     {401, 201, 403, 403, 403, 403, 403}},
    {"POST",
     "/api/v1/objections/{id}/decision",
     "a fresh one",
     p_objection_decide,
     {401, 200, 403, 403, 403, 403, 403}},
    {"GET",
     "/api/v1/campaigns/{id}/summary.xlsx",
     "in review",
     p_summary_xlsx,
     {401, 200, 403, 403, 403, 403, 200}},
    {"GET",
     "/api/v1/campaigns/{id}/summary.csv",
     "in review",
     p_summary_csv,
     {401, 200, 403, 403, 403, 403, 200}},
    {"GET",
     "/api/v1/panels/{id}/scoresheet.xlsx",
     "the caller's own, " ON_PANEL,
     p_scoresheet,
     {401, 200, 403, 200, 403, 403, 200}},
    {"GET",
     "/api/v1/panels/{id}/scoresheet.xlsx",
     FREE,
     p_scoresheet_free,
     {401, 200, 403, 404, 403, 403, 200}},
    {"GET",
     "/api/v1/panels/{id}/scoresheet.xlsx",
     "a fellow expert's (?expert=)",
     p_scoresheet_fellow,
     {401, 200, 403, 404, 403, 403, 200}},
    {"GET",
     "/api/v1/panels/{id}/summary.xlsx",
     "the expert's closed panel",
     p_panel_summary_closed,
     {401, 200, 403, 200, 403, 403, 200}},
    {"GET",
     "/api/v1/panels/{id}/summary.xlsx",
     ON_PANEL,
     p_panel_summary_open,
     {401, 200, 403, 403, 403, 403, 200}},
    {"GET",
     "/api/v1/panels/{id}/summary.xlsx",
     FREE,
     p_panel_summary_free,
     {401, 200, 403, 404, 403, 403, 200}},
    {"GET",
     "/api/v1/campaigns/{id}/published-list.html",
     "published",
     p_published_html,
     {401, 200, 200, 200, 200, 200, 200}},
    {"GET",
     "/api/v1/campaigns/{id}/published-list.pdf",
     "published",
     p_published_pdf,
     {401, 200, 200, 200, 200, 200, 200}},
    /* not published (409) for those who may see the draft, not found for the others */
    {"GET",
     "/api/v1/campaigns/{id}/published-list.html",
     "draft",
     p_draft_html,
     {401, 409, 404, 404, 404, 404, 409}},
    {"GET",
     "/api/v1/campaigns/{id}/published-list.pdf",
     "draft",
     p_draft_pdf,
     {401, 409, 404, 404, 404, 404, 409}},
};

static void test_every_route_has_a_row(void **state)
{
    (void)state;
    hx_matrix_check_rows(HX_PART_REVIEW, rows, YJ_ARRAY_LEN(rows));
}

/* The ids of c's panel list of the review campaign. */
static json_t *panel_ids(struct hx_client *c)
{
    struct hx_resp *r =
        hx_get(c, hx_fmt("/api/v1/campaigns/%lld/panels", (long long)campaign_review));
    HX_EXPECT(r, 200);
    json_t *ids = json_array(), *v;
    size_t i;
    json_array_foreach (json_object_get(r->json, "items"), i, v)
        json_array_append(ids, json_object_get(v, "id"));
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

/* Panels: all for the authority and the auditor, those an expert sits on for an expert.
 * Runs before the matrix forms more. */
static void test_list_scopes(void **state)
{
    (void)state;
    struct {
        struct hx_client *c;
        const char *name;
        bool open, spare;
    } cases[] = {
        {who[HX_AUTHORITY], "authority", true, true},
        {who[HX_AUDITOR], "auditor", true, true},
        {who[HX_EXPERT], "the panel's expert", true, false},
        {expert_free, "the spare panel's expert", false, true},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(cases); i++) {
        json_t *ids = panel_ids(cases[i].c);
        if (json_array_size(ids) != (size_t)cases[i].open + cases[i].spare ||
            has_id(ids, panel_open) != cases[i].open || has_id(ids, panel_spare) != cases[i].spare)
            fail_msg("%s sees the wrong panels", cases[i].name);
        json_decref(ids);
    }
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
