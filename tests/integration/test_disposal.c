/*
 * test_disposal.c - disposal notices end to end: a real `yingji serve` with an
 * injected clock, a real SMTP server (tests/integration/notify_peer.py) and
 * --public-url. A unit's botnet report is accepted; its values belong to an
 * operator (a /24), a cloud platform (a /25 inside it: the most specific owner),
 * a government cloud (the C&C) and an organisation without contacts, and some to
 * nobody. The plan says so; sending mails each owner its notice (Chinese subject,
 * its five-tuples, the deadline, the link) and the duty desk a copy of the
 * government's; the owner acknowledges and reports it handled through the link,
 * the authority records another owner's answers; wrong states are 409, bad tokens
 * 404, bad input 400 naming the field; the government's notice goes overdue on the
 * clock (the authority told in the app, the duty desk by mail, first in the list)
 * and is handled late. The unit sees its own reports' notices only; every change
 * is in the audit chain; no token reaches the server's log.
 *
 * Waiting for the background loop polls for an event (bounded), never for time.
 */
#include <string.h>

#include "core/yj.h"
#include "harness_peer.h"

#define SMTP_USER "yj-mailer"
#define SMTP_PASSWORD "disposal-smtp-secret"
#define MAIL_FROM "noreply@yj.example.gov.cn"
#define PUBLIC_URL "https://yj.example.gov.cn"
#define DUTY "duty@cac.example.gov.cn"
#define ISP_ABUSE "abuse@isp.example.cn"
#define ISP_SEC "soc@isp.example.cn"
#define ISP_OTHER "sales@isp.example.cn"
#define CLOUD_ABUSE "abuse@cloud.example.cn"
#define GOV_SEC "security@govcloud.example.cn"
#define SHA256_SAMPLE "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
#define LINK_PREFIX "链接：" PUBLIC_URL "/disposal.html#"

enum { MIN = 60 * 1000, HOUR = 60 * MIN };

static struct hx_server *srv;
static struct hx_peer smtp;
static char smtp_url[64];
static const char *serve_args[] = {"--smtp",       smtp_url,   "--mail-from", MAIL_FROM,
                                   "--public-url", PUBLIC_URL, NULL};
static struct hx_client *admin, *auditor, *unit_a, *unit_b, *anon;
static int64_t isp, cloud, gov, mute;     /* constituents */
static int64_t report, draft, nobodys;    /* threat reports */
static int64_t n_isp, n_cloud, n_gov;     /* notices */
static char isp_token[64], gov_token[64]; /* from the mails */
static int64_t t0;

static const char *report_path(int64_t id, const char *rest)
{
    return hx_fmt("/api/v1/threat-reports/%lld%s", (long long)id, rest);
}

static const char *notice_path(int64_t id, const char *rest)
{
    return hx_fmt("/api/v1/disposals/%lld%s", (long long)id, rest);
}

static int64_t constituent(const char *name, const char *kind, const char *range, json_t *contacts)
{
    struct hx_resp *r =
        hx_post(admin, "/api/v1/constituents",
                json_pack("{s:s,s:s,s:[s],s:o}", "name", name, "kind", kind, "ranges", range,
                          "contacts", contacts ? contacts : json_array()));
    HX_EXPECT(r, 201);
    return hx_json_int(r, "id");
}

static json_t *tuple(const char *src, int sport, const char *dst, int dport, const char *proto)
{
    return json_pack("{s:s,s:i,s:s,s:i,s:s,s:i}", "src_ip", src, "src_port", sport, "dst_ip", dst,
                     "dst_port", dport, "protocol", proto, "count", 3);
}

/* A botnet report by unit A with these tuples and a C&C, submitted and (accept) accepted. */
static int64_t botnet_report(json_t *tuples, const char *c2_type, const char *c2, bool accept)
{
    struct hx_resp *r = hx_post(
        unit_a, "/api/v1/threat-reports",
        json_pack("{s:s,s:s,s:s,s:s,s:o,s:[{s:s,s:s,s:s},{s:s,s:s,s:s},{s:s,s:s,s:s}]}", "category",
                  "botnet", "title", "辖区内 Mirai 变种僵尸网络活动", "summary",
                  "监测发现辖区内多台主机连接控制端。", "propagation_path",
                  "弱口令爆破 Telnet 后下载执行样本", "five_tuples", tuples, "indicators", "type",
                  c2_type, "value", c2, "role", "c2", "type", "domain", "value", "cnc.evil.example",
                  "role", "c2", "type", "sha256", "value", SHA256_SAMPLE, "role", "sample"));
    HX_EXPECT(r, 201);
    int64_t id = hx_json_int(r, "id");
    if (!accept)
        return id;
    HX_EXPECT(hx_send(unit_a, "POST", report_path(id, "/submit"), NULL, hx_etag(1)), 200);
    HX_EXPECT(hx_send(admin, "POST", report_path(id, "/review"),
                      json_pack("{s:s}", "decision", "accept"), hx_etag(2)),
              200);
    return id;
}

static int setup(void **state)
{
    (void)state;
    char root[] = "/tmp/yj-it-disposal-XXXXXX";
    assert_non_null(mkdtemp(root));
    snprintf(smtp.dir, sizeof smtp.dir, "%s/mail", root);
    setenv("PEER_SMTP_USER", SMTP_USER, 1);
    setenv("PEER_SMTP_PASSWORD", SMTP_PASSWORD, 1);
    hx_peer_start(&smtp, "smtp", 0);
    snprintf(smtp_url, sizeof smtp_url, "smtp://127.0.0.1:%d", smtp.port);
    setenv("YINGJI_SMTP_USER", SMTP_USER, 1);
    setenv("YINGJI_SMTP_PASSWORD", SMTP_PASSWORD, 1);
    struct hx_server_options opt = {.clock = true, .serve_args = serve_args};
    srv = hx_server_new(&opt);
    hx_secret_note(srv, SMTP_PASSWORD);
    t0 = HX_CLOCK_START; /* 08:00 in Beijing */
    admin = hx_tokened(srv, hx_login_admin(srv));
    auditor = hx_tokened(srv, hx_user_client(admin, "auditor", 0));
    unit_a = hx_tokened(srv, hx_user_client(admin, "unit", hx_unit_create(admin, NULL)));
    unit_b = hx_tokened(srv, hx_user_client(admin, "unit", hx_unit_create(admin, NULL)));
    anon = hx_client_new(srv);
    HX_EXPECT(hx_send(admin, "PUT", "/api/v1/notify/duty",
                      json_pack("{s:s,s:s}", "name", "市网信办应急值班室", "email", DUTY), NULL),
              200);
    isp = constituent("某电信运营商", "operator", "203.0.113.0/24",
                      json_pack("[{s:s,s:s},{s:s,s:s,s:s},{s:s,s:s}]", "role", "abuse", "email",
                                ISP_ABUSE, "role", "security", "name", "安全运营中心", "email",
                                ISP_SEC, "role", "other", "email", ISP_OTHER));
    cloud = constituent("某云平台", "platform", "203.0.113.128/25",
                        json_pack("[{s:s,s:s}]", "role", "abuse", "email", CLOUD_ABUSE));
    gov = constituent("某市政务云", "government", "198.51.100.0/24",
                      json_pack("[{s:s,s:s}]", "role", "security", "email", GOV_SEC));
    mute = constituent("无联系人单位", "other", "192.0.2.0/24", NULL);
    report =
        botnet_report(json_pack("[o,o,o]", tuple("203.0.113.5", 49152, "198.51.100.7", 8443, "tcp"),
                                tuple("203.0.113.200", 50000, "198.51.100.7", 8443, "tcp"),
                                tuple("192.0.2.10", 40000, "100.64.0.1", 53, "udp")),
                      "ipv4", "198.51.100.7", true);
    draft = botnet_report(json_pack("[o]", tuple("203.0.113.5", 1, "198.51.100.7", 2, "tcp")),
                          "ipv4", "198.51.100.7", false);
    nobodys = botnet_report(json_pack("[o]", tuple("100.64.1.1", 1, "100.64.2.2", 2, "tcp")),
                            "ipv4", "100.64.3.3", true);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hx_client_free(anon);
    hx_client_free(unit_b);
    hx_client_free(unit_a);
    hx_client_free(auditor);
    hx_client_free(admin);
    hx_server_stop(srv);
    hx_server_assert_log_clean(srv);
    hx_server_free(srv);
    hx_peer_stop(&smtp);
    char root[HX_PATH_MAX];
    snprintf(root, sizeof root, "%s", smtp.dir);
    *strrchr(root, '/') = '\0';
    hx_remove_tree(root);
    return 0;
}

/* "value/role" of a list of matched values, joined by spaces. */
static const char *values_str(const json_t *arr)
{
    static char out[1024];
    size_t len = 0, i;
    json_t *v;
    out[0] = '\0';
    json_array_foreach (arr, i, v)
        len += (size_t)snprintf(out + len, sizeof out - len, "%s%s/%s", i ? " " : "",
                                json_string_value(json_object_get(v, "value")),
                                json_string_value(json_object_get(v, "role")));
    return out;
}

static const json_t *plan_item(const json_t *plan, int64_t constituent_id)
{
    size_t i;
    json_t *it;
    json_array_foreach (json_object_get(plan, "items"), i, it)
        if (json_integer_value(json_object_get(it, "constituent_id")) == constituent_id)
            return it;
    fail_msg("constituent %lld is not in the plan", (long long)constituent_id);
    return NULL;
}

static void test_plan(void **state)
{
    (void)state;
    struct hx_resp *r = hx_get(admin, report_path(report, "/disposal-plan"));
    HX_EXPECT(r, 200);
    assert_int_equal(hx_json_int(r, "report_id"), report);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 4);
    const json_t *it = plan_item(r->json, isp);
    assert_string_equal(values_str(json_object_get(it, "matched")), "203.0.113.5/src_ip");
    assert_int_equal(json_array_size(json_object_get(it, "five_tuples")), 1);
    assert_int_equal(json_array_size(json_object_get(it, "contacts")), 3);
    assert_false(json_is_true(json_object_get(it, "already_notified")));
    /* .200 lies in both the operator's /24 and the platform's /25: the /25 is its owner. */
    it = plan_item(r->json, cloud);
    assert_string_equal(values_str(json_object_get(it, "matched")), "203.0.113.200/src_ip");
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(it, "five_tuples"), 0), "src_ip")),
                        "203.0.113.200");
    /* The C&C address and both tuples' destination. */
    it = plan_item(r->json, gov);
    assert_string_equal(values_str(json_object_get(it, "matched")),
                        "198.51.100.7/c2 198.51.100.7/dst_ip");
    assert_int_equal(json_array_size(json_object_get(it, "five_tuples")), 2);
    assert_string_equal(json_string_value(json_object_get(it, "kind")), "government");
    it = plan_item(r->json, mute);
    assert_int_equal(json_array_size(json_object_get(it, "contacts")), 0);
    /* Nobody's: the C&C domain and the DNS server; the sample hash is nobody's business. */
    assert_string_equal(values_str(json_object_get(r->json, "unowned")),
                        "cnc.evil.example/c2 100.64.0.1/dst_ip");
    assert_null(strstr(r->body, SHA256_SAMPLE));

    /* The plan is the authority's. */
    HX_EXPECT_ERROR(hx_get(unit_a, report_path(report, "/disposal-plan")), 403, "forbidden", NULL);
    HX_EXPECT_ERROR(hx_get(auditor, report_path(report, "/disposal-plan")), 403, "forbidden", NULL);
    HX_EXPECT_ERROR(hx_get(admin, report_path(999999, "/disposal-plan")), 404, "not_found", NULL);
    r = hx_get(admin, report_path(nobodys, "/disposal-plan"));
    HX_EXPECT(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 0);
    assert_int_equal(json_array_size(json_object_get(r->json, "unowned")), 4);
}

static void expect_bad(json_t *body, const char *field)
{
    HX_EXPECT_ERROR(hx_post(admin, report_path(report, "/disposals"), body), 400, "invalid", field);
}

static void test_refused(void **state)
{
    (void)state;
    expect_bad(json_pack("{s:i}", "deadline_hours", 0), "deadline_hours");
    expect_bad(json_pack("{s:i}", "deadline_hours", 721), "deadline_hours");
    expect_bad(json_pack("{s:s}", "deadline_at", hx_time(t0 - MIN)), "deadline_at");
    expect_bad(json_pack("{s:s}", "deadline_at", "tomorrow"), "deadline_at");
    expect_bad(json_pack("{s:s,s:i}", "deadline_at", hx_time(t0 + HOUR), "deadline_hours", 3),
               "deadline_at");
    expect_bad(json_pack("{s:s}", "measure", "nuke"), "measure");
    expect_bad(json_pack("{s:[s]}", "blocks", "wall"), "blocks[0]");
    expect_bad(json_pack("{s:s}", "measure", "other"), "text");
    expect_bad(json_pack("{s:s,s:[]}", "measure", "block_resource", "blocks"), "blocks");
    expect_bad(json_pack("{s:[I,I]}", "constituent_ids", (json_int_t)isp, (json_int_t)isp),
               "constituent_ids[1]");
    expect_bad(json_pack("{s:[I]}", "constituent_ids", (json_int_t)999999), "constituent_ids[0]");
    expect_bad(json_pack("{s:[s]}", "constituent_ids", "x"), "constituent_ids[0]");
    expect_bad(json_pack("{s:i}", "urgent", 1), "urgent");
    /* A report not accepted, a report nobody owns anything of. */
    HX_EXPECT_ERROR(hx_post(admin, report_path(draft, "/disposals"), json_object()), 409,
                    "conflict", "status");
    HX_EXPECT_ERROR(hx_post(admin, report_path(nobodys, "/disposals"), json_object()), 422,
                    "incomplete", NULL);
    HX_EXPECT_ERROR(hx_post(unit_a, report_path(report, "/disposals"), json_object()), 403,
                    "forbidden", NULL);
    /* The list's filters name their parameter. */
    HX_EXPECT_ERROR(hx_get(admin, "/api/v1/disposals?status=overdue"), 400, "invalid", "status");
    HX_EXPECT_ERROR(hx_get(admin, "/api/v1/disposals?overdue=1"), 400, "invalid", "overdue");
    HX_EXPECT_ERROR(hx_get(admin, "/api/v1/disposals?threat_report_id=x"), 400, "invalid",
                    "threat_report_id");
    /* Nothing was written. */
    struct hx_resp *r = hx_get(admin, "/api/v1/disposals");
    HX_EXPECT(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 0);
    r = hx_get(auditor, "/api/v1/audit?object_type=disposal");
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 0);
}

/* The notice to constituent c among a send's items. */
static const json_t *item_to(const json_t *items, int64_t c)
{
    size_t i;
    json_t *it;
    json_array_foreach (items, i, it)
        if (json_integer_value(json_object_get(it, "constituent_id")) == c)
            return it;
    fail_msg("no notice to constituent %lld", (long long)c);
    return NULL;
}

/* One mail as read from the SMTP peer. */
struct mail {
    char *to, *subject, *body;
};

static void mail_read(struct mail *m)
{
    json_t *env;
    char *raw = hx_mail_next(&smtp, &env);
    m->to = json_dumps(json_object_get(env, "rcpt_tos"), 0);
    m->subject = hx_mail_subject(raw);
    m->body = hx_mail_body(raw);
    free(raw);
    json_decref(env);
}

static void mails_free(struct mail *m, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(m[i].to);
        free(m[i].subject);
        free(m[i].body);
    }
}

/* The mail to address among m[0..n). */
static const struct mail *mail_to(const struct mail *m, size_t n, const char *address)
{
    for (size_t i = 0; i < n; i++)
        if (strstr(m[i].to, address))
            return &m[i];
    fail_msg("no mail to %s", address);
    return NULL;
}

/* The token in a mail's link, noted as a secret the log must never hold. */
static void token_of(const struct mail *m, char out[64])
{
    const char *p = strstr(m->body, LINK_PREFIX);
    assert_non_null(p);
    p += strlen(LINK_PREFIX);
    size_t n = strcspn(p, "\r\n");
    assert_int_equal(n, 43);
    snprintf(out, 64, "%.*s", (int)n, p);
    hx_secret_note(srv, out);
}

static void test_send(void **state)
{
    (void)state;
    struct hx_resp *r =
        hx_post(admin, report_path(report, "/disposals"), json_pack("{s:i}", "deadline_hours", 24));
    HX_EXPECT(r, 201);
    const json_t *items = json_object_get(r->json, "items");
    assert_int_equal(json_array_size(items), 3);
    const json_t *skipped = json_object_get(r->json, "skipped");
    assert_int_equal(json_array_size(skipped), 1);
    assert_int_equal(
        json_integer_value(json_object_get(json_array_get(skipped, 0), "constituent_id")), mute);
    assert_string_equal(json_string_value(json_object_get(json_array_get(skipped, 0), "reason")),
                        "no_contact");
    const json_t *n = item_to(items, isp);
    n_isp = json_integer_value(json_object_get(n, "id"));
    n_cloud = json_integer_value(json_object_get(item_to(items, cloud), "id"));
    n_gov = json_integer_value(json_object_get(item_to(items, gov), "id"));
    assert_string_equal(json_string_value(json_object_get(n, "status")), "sent");
    assert_string_equal(json_string_value(json_object_get(n, "deadline_at")),
                        hx_time(t0 + 24 * HOUR));
    assert_int_equal(json_integer_value(json_object_get(n, "remaining_ms")), 24 * HOUR);
    assert_string_equal(json_string_value(json_object_get(n, "measure")), "block_resource");
    const char *subject = json_string_value(json_object_get(n, "subject"));
    assert_string_equal(subject, "【网络安全威胁处置通知】辖区内 Mirai "
                                 "变种僵尸网络活动（请于06月02日08:00前处置）");
    /* The abuse and security contacts; "other" only when there are none of those. */
    assert_int_equal(json_array_size(json_object_get(n, "recipients")), 2);
    char *to = json_dumps(json_object_get(n, "recipients"), 0);
    assert_non_null(strstr(to, ISP_SEC));
    assert_null(strstr(to, ISP_OTHER));
    free(to);

    /* Four mails to the owners' contacts and the duty desk's copy of the government's. */
    struct mail m[5];
    for (size_t i = 0; i < YJ_ARRAY_LEN(m); i++)
        mail_read(&m[i]);
    const struct mail *isp_mail = mail_to(m, 5, ISP_ABUSE);
    assert_string_equal(isp_mail->subject, subject);
    assert_non_null(strstr(isp_mail->body, "某电信运营商："));
    assert_non_null(strstr(isp_mail->body, "1. 203.0.113.5（IPv4地址，源IP）"));
    assert_non_null(
        strstr(isp_mail->body, "1. 源 203.0.113.5:49152 → 目的 198.51.100.7:8443，协议 TCP"));
    assert_null(strstr(isp_mail->body, "203.0.113.200")); /* another owner's */
    assert_non_null(strstr(isp_mail->body, "处置时限：请于 2026年06月02日 08:00（北京时间）前"));
    assert_null(strstr(isp_mail->body, "网信部门"));
    token_of(isp_mail, isp_token);
    assert_non_null(strstr(mail_to(m, 5, ISP_SEC)->body, isp_token));
    assert_string_equal(mail_to(m, 5, CLOUD_ABUSE)->subject, subject);
    const struct mail *gov_mail = mail_to(m, 5, GOV_SEC);
    assert_non_null(strstr(gov_mail->body, "贵单位属于党政机关"));
    assert_non_null(strstr(gov_mail->body, "上级主管部门和网信部门"));
    assert_non_null(strstr(gov_mail->body, "2. 源 203.0.113.200:50000 → 目的 198.51.100.7:8443"));
    token_of(gov_mail, gov_token);
    const struct mail *copy = mail_to(m, 5, DUTY);
    assert_non_null(strstr(copy->subject, "【抄送】【网络安全威胁处置通知】"));
    assert_non_null(strstr(copy->body, "以下处置通知已发送至某市政务云"));
    assert_null(strstr(copy->body, gov_token)); /* a copy is not a key */
    mails_free(m, YJ_ARRAY_LEN(m));

    /* Readers of the outbox see the owners' links without their keys. */
    json_t *sent = hx_list_all(auditor, "/api/v1/outbox?event=disposal.sent", 50);
    assert_true(json_array_size(sent) >= 4);
    size_t i;
    json_t *it;
    json_array_foreach (sent, i, it) {
        r = hx_get(auditor, hx_fmt("/api/v1/outbox/%lld",
                                   (long long)json_integer_value(json_object_get(it, "id"))));
        HX_EXPECT(r, 200);
        assert_null(strstr(r->body, isp_token));
        assert_null(strstr(r->body, gov_token));
        assert_string_equal(hx_json_str(r, "link"), "/disposal.html#(hidden)");
    }
    json_decref(sent);

    /* Every owner is notified now: the plan says so, and sending again sends nothing. */
    r = hx_get(admin, report_path(report, "/disposal-plan"));
    assert_true(json_is_true(json_object_get(plan_item(r->json, isp), "already_notified")));
    HX_EXPECT_ERROR(hx_post(admin, report_path(report, "/disposals"), json_object()), 409,
                    "conflict", "constituent_ids");
    r = hx_get(auditor, "/api/v1/audit?object_type=disposal");
    HX_EXPECT(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 3);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(r->json, "items"), 0), "action")),
                        "disposal.send");
}

static void test_owner_link(void **state)
{
    (void)state;
    const char *path = hx_fmt("/public/disposals/%s", isp_token);
    struct hx_resp *r = hx_get(anon, path);
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "constituent_name"), "某电信运营商");
    assert_string_equal(hx_json_str(r, "status"), "sent");
    assert_non_null(strstr(hx_json_str(r, "text"), "203.0.113.5:49152"));
    /* Only what was sent to this owner: no ids, no recipients, no staff, nobody else's. */
    static const char *const internal[] = {"id",         "threat_report_id", "constituent_id",
                                           "recipients", "created_by",       "created_by_name"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(internal); i++)
        assert_null(json_object_get(r->json, internal[i]));
    assert_null(strstr(r->body, "203.0.113.200"));
    assert_null(strstr(r->body, "\"admin\""));
    assert_null(strstr(r->body, ISP_ABUSE));
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(r->json, "events"), 0), "by")),
                        "主管部门");

    /* Not a token, or nobody's: 404 alike. */
    HX_EXPECT_ERROR(hx_get(anon, "/public/disposals/abc"), 404, "not_found", NULL);
    HX_EXPECT_ERROR(hx_get(anon, "/public/disposals/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
                    404, "not_found", NULL);
    HX_EXPECT_ERROR(hx_post(anon,
                            "/public/disposals/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/"
                            "acknowledge",
                            json_object()),
                    404, "not_found", NULL);

    /* Acknowledged once; handled with feedback, once. */
    r = hx_post(anon, hx_fmt("%s/acknowledge", path), json_pack("{s:s}", "name", "张工"));
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "status"), "acknowledged");
    assert_string_equal(hx_json_str(r, "acknowledged_by"), "张工");
    HX_EXPECT_ERROR(hx_post(anon, hx_fmt("%s/acknowledge", path), json_object()), 409, "conflict",
                    "status");
    HX_EXPECT_ERROR(hx_post(anon, hx_fmt("%s/handled", path), json_object()), 400, "invalid",
                    "feedback");
    HX_EXPECT_ERROR(hx_post(anon, hx_fmt("%s/handled", path),
                            json_pack("{s:s,s:s}", "feedback", "已处置", "extra", "x")),
                    400, "invalid", "extra");
    r = hx_post(anon, hx_fmt("%s/handled", path),
                json_pack("{s:s}", "feedback", "已封堵该地址，并清除受控主机上的恶意程序。"));
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "status"), "handled");
    assert_string_equal(hx_json_str(r, "handled_by"), "某电信运营商");
    assert_true(json_is_null(json_object_get(r->json, "remaining_ms")));
    assert_false(json_is_true(json_object_get(r->json, "overdue")));
    HX_EXPECT_ERROR(hx_post(anon, hx_fmt("%s/handled", path), json_pack("{s:s}", "feedback", "再")),
                    409, "conflict", "status");

    /* The authority sees the answers and their history; the sender was told in the app. */
    r = hx_get(admin, notice_path(n_isp, ""));
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "feedback"), "已封堵该地址，并清除受控主机上的恶意程序。");
    json_t *ev = json_object_get(r->json, "events");
    assert_int_equal(json_array_size(ev), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(ev, 1), "actor")),
                        "owner");
    r = hx_get(admin, "/api/v1/notifications");
    assert_non_null(strstr(r->body, "某电信运营商已反馈处置结果"));
    /* In the audit chain as the owner's (no user). */
    r = hx_get(auditor, "/api/v1/audit?object_type=disposal&limit=2");
    HX_EXPECT(r, 200);
    json_t *items = json_object_get(r->json, "items");
    assert_int_equal(json_array_size(items), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "action")),
                        "disposal.handled");
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 1), "action")),
                        "disposal.acknowledge");
    for (size_t i = 0; i < 2; i++) {
        assert_string_equal(json_string_value(json_object_get(json_array_get(items, i), "actor")),
                            "owner");
        assert_true(json_is_null(json_object_get(json_array_get(items, i), "actor_id")));
    }
}

/* How many of the notices' audit records the system wrote, and the action of the last. */
static size_t system_records(const char **action)
{
    json_t *all = hx_list_all(auditor, "/api/v1/audit?object_type=disposal", 100);
    size_t i, n = 0;
    json_t *rec;
    json_array_foreach (all, i, rec)
        if (strcmp(json_string_value(json_object_get(rec, "actor")), "system") == 0) {
            if (!n++ && action)
                *action = hx_fmt("%s", json_string_value(json_object_get(rec, "action")));
        }
    json_decref(all);
    return n;
}

static void test_authority_records(void **state)
{
    (void)state;
    /* The platform's contact called: the authority records it. */
    struct hx_resp *r = hx_post(admin, notice_path(n_cloud, "/acknowledge"),
                                json_pack("{s:s}", "note", "电话确认收到"));
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "status"), "acknowledged");
    assert_string_equal(r->etag, "\"2\"");
    HX_EXPECT_ERROR(hx_post(admin, notice_path(n_cloud, "/acknowledge"), NULL), 409, "conflict",
                    "status");
    HX_EXPECT_ERROR(hx_post(admin, notice_path(n_cloud, "/handled"), json_object()), 400, "invalid",
                    "feedback");
    HX_EXPECT_ERROR(hx_send(admin, "POST", notice_path(n_cloud, "/handled"),
                            json_pack("{s:s}", "feedback", "已处置"), hx_etag(1)),
                    412, "precondition_failed", "If-Match");
    HX_EXPECT_ERROR(
        hx_post(unit_a, notice_path(n_cloud, "/handled"), json_pack("{s:s}", "feedback", "已处置")),
        403, "forbidden", NULL);
    r = hx_send(admin, "POST", notice_path(n_cloud, "/handled"),
                json_pack("{s:s}", "feedback", "已下线受控主机"), hx_etag(2));
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "status"), "handled");
    assert_string_equal(hx_json_str(r, "handled_by"), "admin");
    HX_EXPECT_ERROR(hx_post(admin, notice_path(n_cloud, "/resend"), NULL), 409, "conflict",
                    "status");
    HX_EXPECT_ERROR(hx_get(admin, notice_path(999999, "")), 404, "not_found", NULL);

    /* The government's is sent again: a new link, the old one no longer opens it. */
    r = hx_post(admin, notice_path(n_gov, "/resend"), json_pack("{s:s}", "note", "补发"));
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "status"), "sent");
    struct mail m[2];
    mail_read(&m[0]);
    mail_read(&m[1]);
    const struct mail *again = mail_to(m, 2, GOV_SEC);
    char old[64];
    snprintf(old, sizeof old, "%s", gov_token);
    token_of(again, gov_token);
    assert_string_not_equal(old, gov_token);
    assert_non_null(strstr(mail_to(m, 2, DUTY)->subject, "【抄送】"));
    mails_free(m, 2);
    HX_EXPECT_ERROR(hx_get(anon, hx_fmt("/public/disposals/%s", old)), 404, "not_found", NULL);
    r = hx_get(anon, hx_fmt("/public/disposals/%s", gov_token));
    HX_EXPECT(r, 200);
    /* The authority's note is not the owner's to read. */
    assert_null(strstr(r->body, "补发"));

    r = hx_get(auditor, "/api/v1/audit?object_type=disposal&actor=admin");
    assert_non_null(strstr(r->body, "disposal.acknowledge"));
    assert_non_null(strstr(r->body, "disposal.handled"));
    assert_non_null(strstr(r->body, "disposal.resend"));
}

/* Polls the notice until it is overdue. */
static struct hx_resp *wait_overdue(int64_t id)
{
    struct hx_resp *r = NULL;
    for (int waited = 0; waited < HX_WAIT_MS; waited += HX_POLL_MS) {
        r = hx_get(admin, notice_path(id, ""));
        HX_EXPECT(r, 200);
        if (json_is_true(json_object_get(r->json, "overdue")))
            return r;
        hx_pause_ms(HX_POLL_MS);
    }
    fail_msg("notice %lld never went overdue: %s", (long long)id, r ? r->body : "");
    return NULL;
}

static void test_overdue(void **state)
{
    (void)state;
    /* Just before the deadline nothing happens; just after, the government's goes overdue
     * (the other two were handled in time). */
    hx_clock_set(srv, t0 + 24 * HOUR - MIN);
    struct hx_resp *r = hx_get(admin, "/api/v1/disposals?overdue=true");
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 0);
    hx_clock_set(srv, t0 + 24 * HOUR + MIN);
    r = wait_overdue(n_gov);
    assert_string_equal(hx_json_str(r, "overdue_at"), hx_time(t0 + 24 * HOUR));
    assert_int_equal(hx_json_int(r, "remaining_ms"), -MIN);
    json_t *ev = json_object_get(r->json, "events");
    json_t *last = json_array_get(ev, json_array_size(ev) - 1);
    assert_string_equal(json_string_value(json_object_get(last, "action")), "overdue");
    assert_string_equal(json_string_value(json_object_get(last, "actor")), "system");

    /* First in the list; alone among the overdue. */
    r = hx_get(admin, "/api/v1/disposals");
    json_t *items = json_object_get(r->json, "items");
    assert_int_equal(json_array_size(items), 3);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "id")), n_gov);
    r = hx_get(admin, "/api/v1/disposals?overdue=true");
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);
    r = hx_get(admin, "/api/v1/disposals?status=handled");
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 2);

    /* The authority in the app, the duty desk by mail; in the audit chain as the system's. */
    r = hx_get(admin, "/api/v1/notifications");
    assert_non_null(strstr(r->body, "【处置超期】某市政务云未在时限内反馈处置结果"));
    struct mail m;
    mail_read(&m);
    assert_non_null(strstr(m.to, DUTY));
    assert_non_null(strstr(m.subject, "【处置超期】某市政务云"));
    assert_non_null(strstr(m.body, "处置时限：2026年06月02日 08:00（北京时间）"));
    mails_free(&m, 1);
    const char *action = NULL;
    assert_int_equal(system_records(&action), 1);
    assert_string_equal(action, "disposal.overdue");

    /* Handled late: it stays marked, and nothing fires twice. */
    r = hx_post(anon, hx_fmt("/public/disposals/%s/handled", gov_token),
                json_pack("{s:s,s:s}", "feedback", "已关停受控服务器", "name", "政务云运维"));
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "status"), "handled");
    assert_true(json_is_true(json_object_get(r->json, "overdue")));
    assert_string_equal(hx_json_str(r, "overdue_at"), hx_time(t0 + 24 * HOUR));
    hx_clock_advance(srv, 2 * HOUR);
    hx_server_restart(srv);
    r = hx_get(admin, notice_path(n_gov, ""));
    HX_EXPECT(r, 200);
    size_t i, overdue_events = 0;
    json_array_foreach (json_object_get(r->json, "events"), i, last)
        overdue_events +=
            strcmp(json_string_value(json_object_get(last, "action")), "overdue") == 0;
    assert_int_equal(overdue_events, 1);
    assert_int_equal(system_records(NULL), 1);
}

static void test_who_sees(void **state)
{
    (void)state;
    /* The unit that filed the report reads its notices, without the owners' contacts. */
    json_t *all = hx_list_all(unit_a, "/api/v1/disposals", 2);
    assert_int_equal(json_array_size(all), 3);
    json_decref(all);
    struct hx_resp *r = hx_get(unit_a, notice_path(n_isp, ""));
    HX_EXPECT(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "recipients")), 0);
    assert_true(json_is_true(json_object_get(r->json, "personal_data_hidden")));
    assert_null(strstr(r->body, ISP_ABUSE));
    HX_EXPECT_ERROR(hx_post(unit_a, notice_path(n_isp, "/resend"), NULL), 403, "forbidden", NULL);
    /* Another unit sees none of them. */
    r = hx_get(unit_b, "/api/v1/disposals");
    HX_EXPECT(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 0);
    HX_EXPECT_ERROR(hx_get(unit_b, notice_path(n_isp, "")), 404, "not_found", NULL);
    /* Auditors read everything and change nothing. */
    r = hx_get(auditor, hx_fmt("/api/v1/disposals?threat_report_id=%lld&constituent_id=%lld",
                               (long long)report, (long long)gov));
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);
    r = hx_get(auditor, notice_path(n_gov, ""));
    assert_non_null(strstr(r->body, GOV_SEC));
    HX_EXPECT_ERROR(hx_post(auditor, notice_path(n_gov, "/acknowledge"), NULL), 403, "forbidden",
                    NULL);
    /* Paging follows the list's order. */
    all = hx_list_all(admin, "/api/v1/disposals", 1);
    assert_int_equal(json_array_size(all), 3);
    json_decref(all);
}

/* The owner's routes are limited per client address like the certificate look-up. */
static void test_rate_limited(void **state)
{
    (void)state;
    struct hx_resp *r = NULL;
    for (int i = 0; i < 25; i++) {
        r = hx_get(anon, "/public/disposals/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        if (r->status == 429)
            break;
        HX_EXPECT(r, 404);
    }
    HX_EXPECT_ERROR(r, 429, "too_many_requests", NULL);
    assert_non_null(r->retry_after);
    HX_EXPECT_ERROR(hx_post(anon, hx_fmt("/public/disposals/%s/acknowledge", gov_token), NULL), 429,
                    "too_many_requests", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plan),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_send),
        cmocka_unit_test(test_owner_link),
        cmocka_unit_test(test_authority_records),
        cmocka_unit_test(test_overdue),
        cmocka_unit_test(test_who_sees),
        cmocka_unit_test(test_rate_limited),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
