/*
 * test_matrix_certs.c - the route x role matrix, its part for certificates
 * (status changes, revocation causes, change reports, re-qualification tasks,
 * the public look-up) and application attachments. Columns, conventions and the
 * every-route check: harness_matrix.h.
 *
 * Certificates exist only once a campaign is published, so setup takes four
 * campaigns through the real flow (open, both units submit complete
 * applications, background review, a panel whose expert scores and submits,
 * close, proposed list, notice, the injected clock past the notice, published):
 * eight certificates, so that every status-change cell gets a fresh one. The
 * expert column's expert sits on those campaigns' panels and on no other, so the
 * attachments of a draft are outside their scope (404) and those of a published
 * campaign's application inside it.
 */
#include "harness_matrix.h"

#include "core/yj.h"

enum { CAMPAIGNS = 4, DAY_MS = 24 * 60 * 60 * 1000, DEADLINE_MS = 5 * 60 * 1000 };

static struct hx_server *srv;
static struct hx_client *who[HX_ROLES]; /* HX_UNIT_OTHER is a second user of unit A */
static struct hx_client *unit_b_user;   /* makes unit B's objects */
static int64_t unit_a, unit_b;
static int64_t draft_a, draft_b;                     /* applications in an open campaign */
static int64_t file_draft_a, file_draft_b;           /* an attachment of each */
static int64_t scored_a, scored_b;                   /* published applications the expert scored */
static int64_t file_scored_a, file_scored_b;         /* an attachment of each */
static int64_t cert_a[CAMPAIGNS], cert_b[CAMPAIGNS]; /* each unit's certificates */
static char number_a[64];                            /* unit A's first certificate's number */
static int64_t task_a, task_b;                       /* re-qualification tasks of each unit */
static size_t certs_used; /* certificates given to status-change cells so far */
static char *pdf;
static size_t pdf_len;

static int64_t first_id(struct hx_client *c, const char *path)
{
    struct hx_resp *r = hx_get(c, path);
    HX_EXPECT(r, 200);
    json_t *first = json_array_get(json_object_get(r->json, "items"), 0);
    if (!first)
        fail_msg("%s is empty", path);
    return json_integer_value(json_object_get(first, "id"));
}

/* A fresh re-qualification task of unit, opened by reporter's change report. */
static int64_t task_for(struct hx_client *reporter, int64_t unit)
{
    struct hx_resp *r = hx_post(
        reporter, hx_fmt("/api/v1/units/%lld/change-reports", (long long)unit),
        json_pack("{s:s,s:s}", "kind", "legal_representative", "description", "法定代表人变更"));
    HX_EXPECT(r, 201);
    return hx_json_int(r, "id");
}

static int setup(void **state)
{
    (void)state;
    struct hx_server_options opt = {.clock = true};
    srv = hx_server_new(&opt);
    struct hx_client *admin = hx_login_admin(srv);
    unit_a = hx_unit_create(admin, hx_unit_doc("矩阵证书甲单位"));
    unit_b = hx_unit_create(admin, hx_unit_doc("矩阵证书乙单位"));
    hx_matrix_clients(srv, admin, unit_a, who);
    unit_b_user = hx_user_client(admin, "unit", unit_b);
    pdf = hx_fixture("sample.pdf", &pdf_len);

    /* Drafts in a campaign that stays open. */
    int64_t open = hx_campaign_open(admin, "矩阵申报中", srv->now_ms + 30 * (int64_t)DAY_MS);
    draft_a = hx_application_start(who[HX_UNIT], open);
    draft_b = hx_application_start(unit_b_user, open);
    file_draft_a = hx_attachment_add(who[HX_UNIT], draft_a, "other");
    file_draft_b = hx_attachment_add(unit_b_user, draft_b, "other");

    /* Four campaigns through to publication. */
    int64_t campaigns[CAMPAIGNS], apps[CAMPAIGNS][2];
    for (int k = 0; k < CAMPAIGNS; k++) {
        campaigns[k] =
            hx_campaign_open(admin, hx_fmt("矩阵证书届 %d", k + 1), srv->now_ms + DEADLINE_MS);
        apps[k][0] = hx_application_submitted(who[HX_UNIT], campaigns[k]);
        apps[k][1] = hx_application_submitted(unit_b_user, campaigns[k]);
    }
    hx_clock_advance(srv, DEADLINE_MS + HX_MINUTE_MS);
    struct hx_review w = {
        .admin = admin, .reviewer = who[HX_REVIEWER], .experts = {who[HX_EXPERT]}, .n_experts = 1};
    for (int k = 0; k < CAMPAIGNS; k++) {
        hx_campaign_stage(admin, campaigns[k], "review");
        hx_review_to_proposal(&w, campaigns[k], apps[k], 2);
        hx_campaign_stage(admin, campaigns[k], "notice");
    }
    hx_clock_advance(srv, HX_NOTICE_MS);
    for (int k = 0; k < CAMPAIGNS; k++) {
        hx_campaign_stage(admin, campaigns[k], "published");
        cert_a[k] = first_id(admin, hx_fmt("/api/v1/certificates?campaign_id=%lld&unit_id=%lld",
                                           (long long)campaigns[k], (long long)unit_a));
        cert_b[k] = first_id(admin, hx_fmt("/api/v1/certificates?campaign_id=%lld&unit_id=%lld",
                                           (long long)campaigns[k], (long long)unit_b));
    }
    struct hx_resp *r = hx_get(admin, hx_fmt("/api/v1/certificates/%lld", (long long)cert_a[0]));
    HX_EXPECT(r, 200);
    snprintf(number_a, sizeof number_a, "%s", hx_json_str(r, "number"));
    scored_a = apps[0][0];
    scored_b = apps[0][1];
    file_scored_a =
        first_id(admin, hx_fmt("/api/v1/applications/%lld/attachments", (long long)scored_a));
    file_scored_b =
        first_id(admin, hx_fmt("/api/v1/applications/%lld/attachments", (long long)scored_b));
    task_a = task_for(who[HX_UNIT], unit_a);
    task_b = task_for(unit_b_user, unit_b);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hx_matrix_clients_free(who);
    hx_client_free(unit_b_user);
    free(pdf);
    hx_server_free(srv);
    return 0;
}

/* --- what each cell sends ---------------------------------------------------------- */

static void p_cert(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/certificates", hx_role_other(r) ? cert_b[0] : cert_a[0], "");
}

/* A valid certificate no cell has touched (unit A's and unit B's in turn), with its current
 * ETag. */
static void p_cert_status(enum hx_role r, struct hx_call *c)
{
    if (certs_used >= 2 * CAMPAIGNS)
        fail_msg("test bug: out of fresh certificates");
    size_t k = certs_used++;
    int64_t id = k % 2 ? cert_b[k / 2] : cert_a[k / 2];
    (void)r;
    hx_call_path(c, "/api/v1/certificates", id, "/status");
    struct hx_resp *cur =
        hx_get(who[HX_AUTHORITY], hx_fmt("/api/v1/certificates/%lld", (long long)id));
    HX_EXPECT(cur, 200);
    assert_string_equal(hx_json_str(cur, "status"), "valid");
    snprintf(c->if_match, sizeof c->if_match, "%s", cur->etag);
    c->body = json_pack("{s:s,s:s}", "status", "suspended", "reason", "x");
}

static void p_change_report(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/units", hx_role_other(r) ? unit_b : unit_a, "/change-reports");
    c->body = json_pack("{s:s,s:s}", "kind", "ownership", "description", "x");
}

static void p_task(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/requalification-tasks", hx_role_other(r) ? task_b : task_a, "");
}

/* A fresh open task (of unit B for unit->other). */
static void p_task_decide(enum hx_role r, struct hx_call *c)
{
    int64_t id = hx_role_other(r) ? task_for(who[HX_AUTHORITY], unit_b)
                                  : task_for(who[HX_AUTHORITY], unit_a);
    hx_call_path(c, "/api/v1/requalification-tasks", id, "/decision");
    c->body = json_pack("{s:s,s:b}", "decision", "x", "close", 1);
}

static void p_public(enum hx_role r, struct hx_call *c)
{
    (void)r;
    snprintf(c->path, sizeof c->path, "/public/certificates/%s", hx_escape(number_a));
}

static void p_upload(enum hx_role r, struct hx_call *c)
{
    snprintf(c->path, sizeof c->path,
             "/api/v1/applications/%lld/attachments?kind=other&filename=%s",
             (long long)(hx_role_other(r) ? draft_b : draft_a), hx_escape("矩阵.pdf"));
    c->raw = pdf;
    c->raw_len = pdf_len;
    c->content_type = "application/octet-stream";
}

static void p_files_draft(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/applications", hx_role_other(r) ? draft_b : draft_a, "/attachments");
}

static void p_files_scored(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/applications", hx_role_other(r) ? scored_b : scored_a, "/attachments");
}

static void p_file_draft(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/attachments", hx_role_other(r) ? file_draft_b : file_draft_a, "");
}

static void p_file_scored(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/attachments", hx_role_other(r) ? file_scored_b : file_scored_a, "");
}

static void p_content_draft(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/attachments", hx_role_other(r) ? file_draft_b : file_draft_a,
                 "/content");
}

static void p_content_scored(enum hx_role r, struct hx_call *c)
{
    hx_call_path(c, "/api/v1/attachments", hx_role_other(r) ? file_scored_b : file_scored_a,
                 "/content");
}

/* A fresh attachment of unit A's draft (unit B's for unit->other). */
static void p_file_delete(enum hx_role r, struct hx_call *c)
{
    int64_t id = hx_role_other(r) ? hx_attachment_add(unit_b_user, draft_b, "other")
                                  : hx_attachment_add(who[HX_UNIT], draft_a, "other");
    hx_call_path(c, "/api/v1/attachments", id, "");
}

/* --- the matrix -------------------------------------------------------------------- */

#define DRAFT "a draft (expert not assigned)"
#define SCORED "on the expert's panel"

/* Columns: anonymous, authority, security_reviewer, expert, unit, unit->other, auditor. */
static const struct hx_row rows[] = {
    {"GET", "/api/v1/certificates", "", NULL, {401, 200, 403, 403, 200, 200, 200}},
    {"GET", "/api/v1/certificates/{id}", "", p_cert, {401, 200, 403, 403, 200, 404, 200}},
    {"POST",
     "/api/v1/certificates/{id}/status",
     "a fresh valid one",
     p_cert_status,
     {401, 200, 403, 403, 403, 403, 403}},
    {"GET", "/api/v1/reference/revocation-causes", "", NULL, {401, 200, 200, 200, 200, 200, 200}},
    {"POST",
     "/api/v1/units/{id}/change-reports",
     "",
     p_change_report,
     {401, 201, 403, 403, 201, 404, 403}},
    {"GET", "/api/v1/requalification-tasks", "", NULL, {401, 200, 403, 403, 200, 200, 200}},
    {"GET", "/api/v1/requalification-tasks/{id}", "", p_task, {401, 200, 403, 403, 200, 404, 200}},
    {"POST",
     "/api/v1/requalification-tasks/{id}/decision",
     "a fresh open task",
     p_task_decide,
     {401, 200, 403, 403, 403, 403, 403}},
    {"GET", "/public/certificates/{number}", "", p_public, {200, 200, 200, 200, 200, 200, 200}},

    {"POST",
     "/api/v1/applications/{id}/attachments",
     "a draft",
     p_upload,
     {401, 403, 403, 403, 201, 404, 403}},
    {"GET",
     "/api/v1/applications/{id}/attachments",
     DRAFT,
     p_files_draft,
     {401, 200, 403, 404, 200, 404, 200}},
    {"GET",
     "/api/v1/applications/{id}/attachments",
     SCORED,
     p_files_scored,
     {401, 200, 403, 200, 200, 404, 200}},
    {"GET", "/api/v1/attachments/{id}", DRAFT, p_file_draft, {401, 200, 403, 404, 200, 404, 200}},
    {"GET", "/api/v1/attachments/{id}", SCORED, p_file_scored, {401, 200, 403, 200, 200, 404, 200}},
    {"GET",
     "/api/v1/attachments/{id}/content",
     DRAFT,
     p_content_draft,
     {401, 200, 403, 404, 200, 404, 200}},
    {"GET",
     "/api/v1/attachments/{id}/content",
     SCORED,
     p_content_scored,
     {401, 200, 403, 200, 200, 404, 200}},
    {"DELETE",
     "/api/v1/attachments/{id}",
     "a fresh one of a draft",
     p_file_delete,
     {401, 403, 403, 403, 204, 404, 403}},
    {"GET", "/api/v1/reference/attachment-kinds", "", NULL, {401, 200, 200, 200, 200, 200, 200}},
};

static void test_every_route_has_a_row(void **state)
{
    (void)state;
    hx_matrix_check_rows(HX_PART_CERTS, rows, YJ_ARRAY_LEN(rows));
}

/* How many items of c's list at path have unit_id unit, and how many in all. */
static void count_units(struct hx_client *c, const char *path, int64_t unit, size_t *mine,
                        size_t *all)
{
    json_t *items = hx_list_all(c, path, 100), *v;
    size_t i;
    *mine = 0;
    json_array_foreach (items, i, v)
        *mine += json_integer_value(json_object_get(v, "unit_id")) == unit;
    *all = json_array_size(items);
    json_decref(items);
}

/* Certificates and re-qualification tasks: all for the authority and the auditor, the own
 * unit's for a unit user, whatever unit_id it asks for. Runs before the matrix changes
 * anything, so the counts are setup's. */
static void test_list_scopes(void **state)
{
    (void)state;
    size_t mine, all;
    for (int r = HX_AUTHORITY; r < HX_ROLES; r++) {
        if (r == HX_REVIEWER || r == HX_EXPERT)
            continue; /* 403, in the matrix */
        bool everything = r == HX_AUTHORITY || r == HX_AUDITOR;
        count_units(who[r], "/api/v1/certificates", unit_a, &mine, &all);
        if (mine != CAMPAIGNS || all != (everything ? 2 * CAMPAIGNS : CAMPAIGNS))
            fail_msg("%s sees %zu certificates, %zu of unit A's", hx_role_names[r], all, mine);
        count_units(who[r], "/api/v1/requalification-tasks", unit_a, &mine, &all);
        if (mine != 1 || all != (everything ? 2u : 1u))
            fail_msg("%s sees %zu tasks, %zu of unit A's", hx_role_names[r], all, mine);
    }
    char path[128];
    snprintf(path, sizeof path, "/api/v1/certificates?unit_id=%lld", (long long)unit_b);
    count_units(who[HX_UNIT], path, unit_b, &mine, &all);
    assert_int_equal(all, 0);
    count_units(who[HX_AUDITOR], path, unit_b, &mine, &all);
    assert_int_equal(mine, CAMPAIGNS);
    assert_int_equal(all, CAMPAIGNS);
    snprintf(path, sizeof path, "/api/v1/requalification-tasks?unit_id=%lld", (long long)unit_b);
    count_units(who[HX_UNIT], path, unit_b, &mine, &all);
    assert_int_equal(all, 0);
}

static void test_route_role_matrix(void **state)
{
    (void)state;
    hx_matrix_run(who, rows, YJ_ARRAY_LEN(rows));
    /* Every status-change cell had its own certificate. */
    assert_int_equal(certs_used, HX_ROLES);
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
