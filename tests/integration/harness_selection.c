/*
 * harness_selection.c - the integration tests' way through a selection campaign
 * by the real API: campaigns made and moved from stage to stage with If-Match,
 * applications started by a unit, filled with a complete content document and
 * the attachments submission needs, submitted, reviewed, scored by a panel, and
 * carried to the proposed list. Time is the injected clock's; nothing sleeps.
 */
#include "harness.h"

#include "core/yj.h"

/* --- small things ---------------------------------------------------------------------- */

const char *hx_time(int64_t ms)
{
    char t[YJ_TIME_STRLEN];
    yj_time_format(ms, t);
    return hx_fmt("%s", t);
}

const char *hx_fixture_path(const char *name)
{
    const char *src = getenv("YINGJI_SRC");
    if (!src || !*src)
        fail_msg("YINGJI_SRC is not set; run the integration tests through ctest");
    return hx_fmt("%s/tests/fixtures/attach/%s", src, name);
}

char *hx_fixture(const char *name, size_t *len)
{
    char *data = hx_read_file(hx_fixture_path(name), len);
    if (!data)
        fail_msg("cannot read the fixture %s", hx_fixture_path(name));
    return data;
}

/* The small real PDF every helper attaches (read once, kept for the process). */
static const char *sample_pdf(size_t *len)
{
    static char *data;
    static size_t n;
    if (!data)
        data = hx_fixture("sample.pdf", &n);
    *len = n;
    return data;
}

/* The "version" of the object at path as c reads it (asserting 200). */
static int64_t version_of(struct hx_client *c, const char *path)
{
    struct hx_resp *r = hx_get(c, path);
    if (r->status != 200)
        fail_msg("reading %s: HTTP %ld %s", path, r->status, r->body);
    return hx_json_int(r, "version");
}

/* --- campaigns ------------------------------------------------------------------------ */

json_t *hx_campaign_doc(const char *name, int64_t deadline_at)
{
    json_t *doc =
        json_pack("{s:s,s:s,s:s,s:i,s:s,s:[s,s],s:{s:i},s:s,s:s}", "name", name, "title",
                  "六盘水市网络安全应急技术支撑单位", "deadline_at", hx_time(deadline_at), "places",
                  10, "cert_number_pattern", "LPS-YJ-{YYYY}-{NNN}", "authorities",
                  "中共六盘水市委网络安全和信息化委员会办公室", "六盘水市公安局", "thresholds",
                  "min_certified_staff", 1, "notice_starts_at", hx_time(deadline_at),
                  "notice_ends_at", hx_time(deadline_at + HX_NOTICE_MS));
    assert_non_null(doc);
    return doc;
}

int64_t hx_campaign_create(struct hx_client *admin, json_t *doc)
{
    struct hx_resp *r = hx_post(admin, "/api/v1/campaigns", doc);
    if (r->status != 201)
        fail_msg("creating a campaign: HTTP %ld %s", r->status, r->body);
    return hx_json_int(r, "id");
}

int64_t hx_campaign_version(struct hx_client *c, int64_t id)
{
    return version_of(c, hx_fmt("/api/v1/campaigns/%lld", (long long)id));
}

void hx_campaign_stage(struct hx_client *admin, int64_t id, const char *to)
{
    const char *etag = hx_etag(hx_campaign_version(admin, id));
    struct hx_resp *r =
        hx_send(admin, "POST", hx_fmt("/api/v1/campaigns/%lld/stage", (long long)id),
                json_pack("{s:s}", "to", to), etag);
    if (r->status != 200)
        fail_msg("moving campaign %lld to %s: HTTP %ld %s", (long long)id, to, r->status, r->body);
}

int64_t hx_campaign_open(struct hx_client *admin, const char *name, int64_t deadline_at)
{
    int64_t id = hx_campaign_create(admin, hx_campaign_doc(name, deadline_at));
    hx_campaign_stage(admin, id, "open");
    return id;
}

/* --- applications --------------------------------------------------------------------- */

json_t *hx_application_content(void)
{
    json_t *doc = json_pack(
        "{s:s,s:[{s:i,s:I,s:I,s:I,s:I},{s:i,s:I,s:I,s:I,s:I},{s:i,s:I,s:I,s:I,s:I}],"
        "s:s,s:[{s:s,s:s,s:s}],s:s,s:[{s:s,s:s,s:I,s:I,s:s,s:s}],"
        "s:[{s:s,s:s},{s:s,s:s},{s:s,s:s}],s:{s:s,s:s},s:s,s:s,s:s}",
        "security_since", "2015-06-01", "finances", "year", 2023, "total_assets",
        (json_int_t)9000000, "revenue", (json_int_t)6000000, "expenses", (json_int_t)5000000,
        "liabilities", (json_int_t)1000000, "year", 2024, "total_assets", (json_int_t)9500000,
        "revenue", (json_int_t)6500000, "expenses", (json_int_t)5200000, "liabilities",
        (json_int_t)1100000, "year", 2025, "total_assets", (json_int_t)9900000, "revenue",
        (json_int_t)7000000, "expenses", (json_int_t)5500000, "liabilities", (json_int_t)1200000,
        "organisation", "总经理负责，下设应急响应部、安全服务部、研发部", "qualifications", "name",
        "信息安全服务资质（应急处理类）", "issuer", "中国网络安全审查认证和市场监管大数据中心",
        "level", "二级", "main_business", "网络安全应急响应、渗透测试与安全运维", "projects",
        "name", "市政务云安全运维", "client", "六盘水市大数据局", "contract_amount",
        (json_int_t)800000, "emergency_amount", (json_int_t)200000, "signed_on", "2024-03-01",
        "accepted_on", "2025-03-01", "typical_cases", "title", "勒索病毒应急处置", "text",
        "2024 年某医院遭勒索病毒攻击，4 小时内到场隔离并恢复业务。", "title", "网站篡改处置",
        "text", "某政务网站首页被篡改，2 小时内完成溯源与恢复。", "title", "数据泄露溯源", "text",
        "协助某企业完成数据泄露事件的取证与溯源。", "major_event_case", "title",
        "全国性会议网络安全保障", "text", "重大活动期间 7×24 小时值守，零安全事件。",
        "management_systems", "项目管理制度、保密管理制度与人员背景审查制度", "support_plan",
        "组建 10 人应急支撑小组，2 小时内到达现场", "cooperation", "与本地高校共建实验室");
    assert_non_null(doc);
    json_object_set_new(doc, "declarations",
                        json_pack("{s:b,s:b,s:b,s:b,s:b,s:b,s:b}", "independent_legal_person", 1,
                                  "good_credit", 1, "no_criminal_record", 1, "no_security_incident",
                                  1, "accepts_supervision", 1, "contact_7x24", 1, "confidentiality",
                                  1));
    return doc;
}

int64_t hx_application_start(struct hx_client *unit, int64_t campaign_id)
{
    struct hx_resp *r =
        hx_post(unit, hx_fmt("/api/v1/campaigns/%lld/applications", (long long)campaign_id), NULL);
    if (r->status != 201)
        fail_msg("starting an application in campaign %lld: HTTP %ld %s", (long long)campaign_id,
                 r->status, r->body);
    return hx_json_int(r, "id");
}

int64_t hx_application_version(struct hx_client *c, int64_t id)
{
    return version_of(c, hx_fmt("/api/v1/applications/%lld", (long long)id));
}

struct hx_resp *hx_upload(struct hx_client *c, int64_t application_id, const char *kind,
                          const char *filename, const void *data, size_t len)
{
    return hx_send_raw(c, "POST",
                       hx_fmt("/api/v1/applications/%lld/attachments?kind=%s&filename=%s",
                              (long long)application_id, kind, hx_escape(filename)),
                       "application/octet-stream", data, len);
}

int64_t hx_attachment_add(struct hx_client *unit, int64_t application_id, const char *kind)
{
    size_t len;
    const char *pdf = sample_pdf(&len);
    struct hx_resp *r = hx_upload(unit, application_id, kind, hx_fmt("%s.pdf", kind), pdf, len);
    if (r->status != 201)
        fail_msg("attaching a %s to application %lld: HTTP %ld %s", kind, (long long)application_id,
                 r->status, r->body);
    return hx_json_int(r, "id");
}

void hx_application_complete(struct hx_client *unit, int64_t id)
{
    const char *etag = hx_etag(hx_application_version(unit, id));
    struct hx_resp *r =
        hx_send(unit, "PATCH", hx_fmt("/api/v1/applications/%lld/content", (long long)id),
                hx_application_content(), etag);
    if (r->status != 200)
        fail_msg("filling application %lld: HTTP %ld %s", (long long)id, r->status, r->body);
    static const char *const kinds[] = {
        "commitment_letter",      "response_commitment",    "legal_documents",
        "audit_report",           "risk_assessment_report", "risk_assessment_report",
        "risk_assessment_report",
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(kinds); i++)
        hx_attachment_add(unit, id, kinds[i]);
}

void hx_application_submit(struct hx_client *unit, int64_t id)
{
    const char *etag = hx_etag(hx_application_version(unit, id));
    struct hx_resp *r = hx_send(
        unit, "POST", hx_fmt("/api/v1/applications/%lld/submit", (long long)id), NULL, etag);
    if (r->status != 200)
        fail_msg("submitting application %lld: HTTP %ld %s", (long long)id, r->status, r->body);
}

int64_t hx_application_submitted(struct hx_client *unit, int64_t campaign_id)
{
    int64_t id = hx_application_start(unit, campaign_id);
    hx_application_complete(unit, id);
    hx_application_submit(unit, id);
    return id;
}

/* --- the review ----------------------------------------------------------------------- */

void hx_security_pass(struct hx_client *reviewer, int64_t application_id)
{
    struct hx_resp *r = hx_post(
        reviewer, hx_fmt("/api/v1/applications/%lld/security-review", (long long)application_id),
        json_pack("{s:s}", "result", "pass"));
    if (r->status != 200)
        fail_msg("passing application %lld's background review: HTTP %ld %s",
                 (long long)application_id, r->status, r->body);
}

static json_t *id_array(const int64_t *ids, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_integer(ids[i]));
    return a;
}

int64_t hx_panel_create(struct hx_client *admin, int64_t campaign_id, const int64_t *experts,
                        size_t n_experts, const int64_t *apps, size_t n_apps)
{
    static unsigned serial;
    json_t *body = json_pack("{s:s,s:o,s:o}", "name", hx_fmt("评审组 %u", ++serial), "experts",
                             id_array(experts, n_experts), "applications", id_array(apps, n_apps));
    struct hx_resp *r =
        hx_post(admin, hx_fmt("/api/v1/campaigns/%lld/panels", (long long)campaign_id), body);
    if (r->status != 201)
        fail_msg("forming a panel in campaign %lld: HTTP %ld %s", (long long)campaign_id, r->status,
                 r->body);
    return hx_json_int(r, "id");
}

void hx_scores_submit(struct hx_client *expert, int64_t campaign_id, int64_t application_id)
{
    struct hx_resp *r = hx_get(expert, hx_fmt("/api/v1/campaigns/%lld", (long long)campaign_id));
    if (r->status != 200)
        fail_msg("reading campaign %lld's rubric: HTTP %ld %s", (long long)campaign_id, r->status,
                 r->body);
    json_t *scores = json_array();
    size_t i;
    json_t *k;
    json_array_foreach (json_object_get(r->json, "criteria"), i, k) {
        json_int_t max = json_integer_value(json_object_get(k, "max_points"));
        json_array_append_new(scores, json_pack("{s:O,s:I}", "criterion",
                                                json_object_get(k, "code"), "points", max * 4 / 5));
    }
    r = hx_send(expert, "PUT",
                hx_fmt("/api/v1/applications/%lld/scores/mine", (long long)application_id),
                json_pack("{s:o,s:b}", "scores", scores, "submit", 1), NULL);
    if (r->status != 200)
        fail_msg("scoring application %lld: HTTP %ld %s", (long long)application_id, r->status,
                 r->body);
}

void hx_panel_close(struct hx_client *admin, int64_t panel_id)
{
    struct hx_resp *r =
        hx_post(admin, hx_fmt("/api/v1/panels/%lld/close", (long long)panel_id), NULL);
    if (r->status != 200)
        fail_msg("closing panel %lld: HTTP %ld %s", (long long)panel_id, r->status, r->body);
}

void hx_proposal(struct hx_client *admin, int64_t campaign_id)
{
    struct hx_resp *r =
        hx_post(admin, hx_fmt("/api/v1/campaigns/%lld/proposal", (long long)campaign_id), NULL);
    if (r->status != 200)
        fail_msg("making campaign %lld's proposed list: HTTP %ld %s", (long long)campaign_id,
                 r->status, r->body);
}

int64_t hx_review_to_proposal(const struct hx_review *w, int64_t campaign_id, const int64_t *apps,
                              size_t n_apps)
{
    int64_t experts[HX_REVIEW_EXPERTS_MAX];
    assert_true(w->n_experts >= 1 && w->n_experts <= HX_REVIEW_EXPERTS_MAX);
    for (size_t e = 0; e < w->n_experts; e++)
        experts[e] = w->experts[e]->user_id;
    for (size_t i = 0; i < n_apps; i++)
        hx_security_pass(w->reviewer, apps[i]);
    int64_t panel = hx_panel_create(w->admin, campaign_id, experts, w->n_experts, apps, n_apps);
    for (size_t e = 0; e < w->n_experts; e++)
        for (size_t i = 0; i < n_apps; i++)
            hx_scores_submit(w->experts[e], campaign_id, apps[i]);
    hx_panel_close(w->admin, panel);
    hx_proposal(w->admin, campaign_id);
    return panel;
}
