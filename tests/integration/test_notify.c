/*
 * test_notify.c - notifications end to end: a real `yingji serve` with --smtp,
 * --mail-from and --public-url and an injected clock, a real SMTP server
 * (aiosmtpd, requiring the account given in YINGJI_SMTP_USER/_PASSWORD) and a
 * real webhook receiver on loopback (tests/integration/notify_peer.py). A test
 * message arrives as mail with its Chinese subject and body decoding back; a
 * webhook gets the signed JSON document; a receiver answering 500 is tried again
 * once the back-off has passed on the clock, every attempt visible in the
 * outbox; with the SMTP server down the message waits, and goes once it is back;
 * in-app notifications are listed, counted and read by their owner only; bad
 * input names its field; every change is audited without the secret; and the
 * server's log never holds the SMTP password, a webhook secret or an address.
 *
 * Waiting for a delivery polls for the peer's file or the outbox row (every
 * 50 ms, at most 20 s): waiting for an event, not for time. Time itself moves
 * only by the clock file.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sodium.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness_peer.h"

#include "core/yj.h"

#define SMTP_USER "yj-mailer"
#define SMTP_PASSWORD "smtp-Pa55word-never-logged"
#define MAIL_FROM "noreply@yj.example.gov.cn"
#define PUBLIC_URL "https://yj.example.gov.cn"
#define HOOK_SECRET "whsec-0123456789abcdef-secret"
#define TEST_SUBJECT "yingji 应急通知测试"
#define RCPT_1 "ops-lead@unit-a.example.com"
#define RCPT_2 "duty-officer@unit-b.example.com"
#define DUTY "yingji-duty@cac.example.gov.cn"

static struct hx_server *srv;
static struct hx_client *admin;
static struct hx_peer smtp, hooks;
static char smtp_url[64];
static const char *serve_args[] = {"--smtp",       smtp_url,   "--mail-from", MAIL_FROM,
                                   "--public-url", PUBLIC_URL, NULL};
static int hook_ok_id, hook_flaky_id;

/* The newest outbox row of a test message over channel (asserting there is one). */
static int64_t newest_test_message(const char *channel)
{
    struct hx_resp *r =
        hx_get(admin, hx_fmt("/api/v1/outbox?event=notify.test&channel=%s&limit=1", channel));
    HX_EXPECT(r, 200);
    json_t *first = json_array_get(json_object_get(r->json, "items"), 0);
    assert_non_null(first);
    return json_integer_value(json_object_get(first, "id"));
}

/* Polls GET /outbox/{id} until it has this status after this many attempts. */
static struct hx_resp *wait_outbox(int64_t id, const char *status, int attempts)
{
    struct hx_resp *r = NULL;
    for (int waited = 0; waited < HX_WAIT_MS; waited += HX_POLL_MS) {
        r = hx_get(admin, hx_fmt("/api/v1/outbox/%lld", (long long)id));
        HX_EXPECT(r, 200);
        if (strcmp(hx_json_str(r, "status"), status) == 0 && hx_json_int(r, "attempts") == attempts)
            return r;
        hx_pause_ms(HX_POLL_MS);
    }
    fail_msg("outbox %lld never became %s after %d attempts: %s", (long long)id, status, attempts,
             r ? r->body : "");
    return NULL;
}

static int setup(void **state)
{
    (void)state;
    char root[] = "/tmp/yj-it-peers-XXXXXX";
    assert_non_null(mkdtemp(root));
    snprintf(smtp.dir, sizeof smtp.dir, "%s/mail", root);
    snprintf(hooks.dir, sizeof hooks.dir, "%s/hooks", root);
    setenv("PEER_SMTP_USER", SMTP_USER, 1);
    setenv("PEER_SMTP_PASSWORD", SMTP_PASSWORD, 1);
    hx_peer_start(&smtp, "smtp", 0);
    hx_peer_start(&hooks, "http", 0);
    snprintf(smtp_url, sizeof smtp_url, "smtp://127.0.0.1:%d", smtp.port);
    /* The account only ever comes from the environment the server inherits. */
    setenv("YINGJI_SMTP_USER", SMTP_USER, 1);
    setenv("YINGJI_SMTP_PASSWORD", SMTP_PASSWORD, 1);
    struct hx_server_options opt = {.clock = true, .serve_args = serve_args};
    srv = hx_server_new(&opt);
    hx_secret_note(srv, SMTP_PASSWORD);
    hx_secret_note(srv, HOOK_SECRET);
    hx_secret_note(srv, RCPT_1);
    hx_secret_note(srv, RCPT_2);
    hx_secret_note(srv, DUTY);
    admin = hx_login_admin(srv);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hx_client_free(admin);
    hx_server_free(srv);
    hx_peer_stop(&smtp);
    hx_peer_stop(&hooks);
    char root[HX_PATH_MAX];
    snprintf(root, sizeof root, "%s", smtp.dir);
    *strrchr(root, '/') = '\0';
    hx_remove_tree(root);
    return 0;
}

/* --- e-mail ---------------------------------------------------------------------------- */

static void test_mail_arrives(void **state)
{
    (void)state;
    struct hx_resp *r = hx_post(admin, "/api/v1/notify/test", json_pack("{s:s}", "email", RCPT_1));
    HX_EXPECT(r, 202);
    assert_int_equal(hx_json_int(r, "queued"), 1);
    json_t *env;
    char *raw = hx_mail_next(&smtp, &env);
    assert_string_equal(json_string_value(json_object_get(env, "mail_from")), MAIL_FROM);
    assert_string_equal(json_string_value(json_array_get(json_object_get(env, "rcpt_tos"), 0)),
                        RCPT_1);
    assert_string_equal(json_string_value(json_object_get(env, "login")), SMTP_USER);
    json_decref(env);

    char *v = hx_mail_header(raw, "Subject"), *subject = hx_mail_decode_words(v);
    assert_string_equal(subject, TEST_SUBJECT);
    free(v);
    free(subject);
    v = hx_mail_header(raw, "From");
    assert_non_null(strstr(v, "<" MAIL_FROM ">"));
    free(v);
    v = hx_mail_header(raw, "To");
    assert_string_equal(v, "<" RCPT_1 ">");
    free(v);
    v = hx_mail_header(raw, "Content-Type");
    assert_string_equal(v, "text/plain; charset=UTF-8");
    free(v);
    v = hx_mail_header(raw, "Date");
    assert_string_equal(v, "Mon, 01 Jun 2026 00:00:00 +0000"); /* the injected clock */
    free(v);
    char *body = hx_mail_body(raw);
    assert_non_null(strstr(body, "这是一条测试消息"));
    assert_non_null(strstr(body, "admin"));
    assert_non_null(strstr(body, "\r\n\r\n链接：" PUBLIC_URL "/\r\n"));
    free(body);
    free(raw);

    /* The outbox shows it sent, with the one attempt. */
    int64_t id = newest_test_message("email");
    r = wait_outbox(id, "sent", 1);
    assert_string_equal(hx_json_str(r, "recipient"), RCPT_1);
    assert_string_equal(hx_json_str(r, "subject"), TEST_SUBJECT);
    assert_string_equal(hx_json_str(r, "sent_at"), hx_time(srv->now_ms));
    assert_true(json_is_null(json_object_get(r->json, "next_attempt_at")));
    json_t *att = json_array_get(json_object_get(r->json, "attempt_history"), 0);
    assert_true(json_is_true(json_object_get(att, "ok")));
    assert_string_equal(json_string_value(json_object_get(att, "detail")), "smtp 250");
}

/* The SMTP server is down: the attempt fails and the message waits; once the server is
 * back and the back-off has passed, it goes. */
static void test_mail_waits_for_server(void **state)
{
    (void)state;
    hx_peer_stop(&smtp);
    struct hx_resp *r = hx_post(admin, "/api/v1/notify/test", json_pack("{s:s}", "email", RCPT_2));
    HX_EXPECT(r, 202);
    int64_t id = newest_test_message("email");
    r = wait_outbox(id, "pending", 1);
    assert_non_null(strstr(hx_json_str(r, "last_error"), "smtp"));
    assert_string_equal(hx_json_str(r, "next_attempt_at"), hx_time(srv->now_ms + HX_MINUTE_MS));

    hx_peer_start(&smtp, "smtp", smtp.port);
    hx_clock_advance(srv, HX_MINUTE_MS + 1000);
    json_t *env;
    char *raw = hx_mail_next(&smtp, &env);
    assert_string_equal(json_string_value(json_array_get(json_object_get(env, "rcpt_tos"), 0)),
                        RCPT_2);
    json_decref(env);
    free(raw);
    r = wait_outbox(id, "sent", 2);
    json_t *history = json_object_get(r->json, "attempt_history");
    assert_int_equal(json_array_size(history), 2);
    assert_true(json_is_false(json_object_get(json_array_get(history, 0), "ok")));
    assert_true(json_is_true(json_object_get(json_array_get(history, 1), "ok")));
}

/* --- webhooks -------------------------------------------------------------------------- */

static int64_t webhook_create(const char *name, const char *path, const char *secret)
{
    json_t *body = json_pack("{s:s,s:s}", "name", name, "url",
                             hx_fmt("http://127.0.0.1:%d%s", hooks.port, path));
    if (secret)
        json_object_set_new(body, "secret", json_string(secret));
    struct hx_resp *r = hx_post(admin, "/api/v1/webhooks", body);
    HX_EXPECT(r, 201);
    assert_true(json_is_boolean(json_object_get(r->json, "has_secret")));
    assert_null(json_object_get(r->json, "secret"));
    assert_string_equal(hx_json_str(r, "events"), "*");
    return hx_json_int(r, "id");
}

static void test_webhook_signed(void **state)
{
    (void)state;
    hook_ok_id = (int)webhook_create("值班机器人", "/ok", HOOK_SECRET);
    struct hx_resp *r = hx_get(admin, hx_fmt("/api/v1/webhooks/%d", hook_ok_id));
    HX_EXPECT(r, 200);
    assert_true(json_is_true(json_object_get(r->json, "has_secret")));
    assert_null(strstr(r->body, HOOK_SECRET));

    r = hx_post(admin, "/api/v1/notify/test", json_pack("{s:b}", "webhooks", 1));
    HX_EXPECT(r, 202);
    assert_int_equal(hx_json_int(r, "queued"), 1);
    json_t *req = hx_hook_request(&hooks, 1);
    assert_string_equal(json_string_value(json_object_get(req, "path")), "/ok");
    json_t *headers = json_object_get(req, "headers");
    const char *body = json_string_value(json_object_get(req, "body"));
    assert_string_equal(json_string_value(json_object_get(headers, "Content-Type")),
                        "application/json");
    assert_string_equal(json_string_value(json_object_get(headers, "X-Yingji-Event")),
                        "notify.test");
    /* The signature is the HMAC-SHA256 of the exact body under the secret. */
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)HOOK_SECRET, strlen(HOOK_SECRET));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, strlen(body));
    crypto_auth_hmacsha256_final(&st, mac);
    char hex[2 * sizeof mac + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    assert_string_equal(json_string_value(json_object_get(headers, "X-Yingji-Signature")),
                        hx_fmt("sha256=%s", hex));
    json_t *doc = json_loads(body, 0, NULL);
    assert_non_null(doc);
    assert_string_equal(json_string_value(json_object_get(doc, "event")), "notify.test");
    assert_string_equal(json_string_value(json_object_get(doc, "subject")), TEST_SUBJECT);
    assert_non_null(strstr(json_string_value(json_object_get(doc, "text")), "测试消息"));
    assert_string_equal(json_string_value(json_object_get(doc, "link")), PUBLIC_URL "/");
    assert_true(json_is_null(json_object_get(doc, "ref")));
    assert_true(json_is_array(json_object_get(doc, "recipients")));
    assert_string_equal(json_string_value(json_object_get(doc, "sent_at")), hx_time(srv->now_ms));
    json_decref(doc);
    json_decref(req);
    wait_outbox(newest_test_message("webhook"), "sent", 1);
}

/* A receiver answering 500 is tried again once the back-off has passed on the clock. */
static void test_webhook_retried(void **state)
{
    (void)state;
    /* Only the flaky one: the first is switched off (and that is audited). */
    struct hx_resp *r = hx_send(admin, "PATCH", hx_fmt("/api/v1/webhooks/%d", hook_ok_id),
                                json_pack("{s:b}", "enabled", 0), NULL);
    HX_EXPECT(r, 200);
    assert_true(json_is_false(json_object_get(r->json, "enabled")));
    hook_flaky_id = (int)webhook_create("短信网关", "/flaky?fail=1", NULL);

    r = hx_post(admin, "/api/v1/notify/test", json_pack("{s:b}", "webhooks", 1));
    HX_EXPECT(r, 202);
    assert_int_equal(hx_json_int(r, "queued"), 1);
    int64_t first_at = srv->now_ms;
    json_t *req = hx_hook_request(&hooks, 2);
    assert_string_equal(json_string_value(json_object_get(req, "path")), "/flaky");
    assert_int_equal(json_integer_value(json_object_get(req, "status")), 500);
    assert_null(json_object_get(json_object_get(req, "headers"), "X-Yingji-Signature"));
    json_decref(req);
    int64_t id = newest_test_message("webhook");
    r = wait_outbox(id, "pending", 1);
    assert_string_equal(hx_json_str(r, "last_error"), "http 500");
    assert_int_equal(hx_json_int(r, "webhook_id"), hook_flaky_id);

    hx_clock_advance(srv, HX_MINUTE_MS + 1000);
    req = hx_hook_request(&hooks, 3);
    assert_int_equal(json_integer_value(json_object_get(req, "status")), 200);
    json_decref(req);
    r = wait_outbox(id, "sent", 2);
    json_t *history = json_object_get(r->json, "attempt_history");
    json_t *a1 = json_array_get(history, 0), *a2 = json_array_get(history, 1);
    assert_string_equal(json_string_value(json_object_get(a1, "detail")), "http 500");
    assert_string_equal(json_string_value(json_object_get(a1, "at")), hx_time(first_at));
    assert_string_equal(json_string_value(json_object_get(a2, "detail")), "http 200");
    assert_string_equal(json_string_value(json_object_get(a2, "at")),
                        hx_time(first_at + HX_MINUTE_MS + 1000));

    /* The outbox filters. */
    r = hx_get(admin, "/api/v1/outbox?channel=webhook&status=sent&event=notify.test");
    HX_EXPECT(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 2);
    r = hx_get(admin, "/api/v1/outbox?status=failed");
    HX_EXPECT(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 0);
}

static void test_webhook_crud_audited(void **state)
{
    (void)state;
    int64_t id = webhook_create("临时", "/tmp", NULL);
    struct hx_resp *r = hx_send(admin, "PATCH", hx_fmt("/api/v1/webhooks/%lld", (long long)id),
                                json_pack("{s:s,s:s,s:s}", "name", "企业微信机器人", "events",
                                          "dispatch.*,incident.closed", "secret", HOOK_SECRET "-2"),
                                NULL);
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "name"), "企业微信机器人");
    assert_string_equal(hx_json_str(r, "events"), "dispatch.*,incident.closed");
    assert_true(json_is_true(json_object_get(r->json, "has_secret")));
    r = hx_send(admin, "PATCH", hx_fmt("/api/v1/webhooks/%lld", (long long)id),
                json_pack("{s:n}", "secret"), NULL);
    HX_EXPECT(r, 200);
    assert_true(json_is_false(json_object_get(r->json, "has_secret")));
    r = hx_send(admin, "DELETE", hx_fmt("/api/v1/webhooks/%lld", (long long)id), NULL, NULL);
    HX_EXPECT(r, 204);
    r = hx_get(admin, hx_fmt("/api/v1/webhooks/%lld", (long long)id));
    HX_EXPECT_ERROR(r, 404, "not_found", NULL);
    json_t *all = hx_list_all(admin, "/api/v1/webhooks", 1);
    assert_int_equal(json_array_size(all), 2);
    json_decref(all);

    /* Every change is in the audit chain, never with the secret. */
    r = hx_get(admin, "/api/v1/audit?object_type=webhook&limit=200");
    HX_EXPECT(r, 200);
    assert_null(strstr(r->body, HOOK_SECRET));
    const char *want[] = {"webhook.create", "webhook.update", "webhook.delete"};
    for (size_t k = 0; k < YJ_ARRAY_LEN(want); k++)
        assert_non_null(strstr(r->body, want[k]));
    r = hx_get(admin, "/api/v1/audit?object_type=notify&limit=200");
    HX_EXPECT(r, 200);
    assert_non_null(strstr(r->body, "notify.test"));
    char *out = NULL;
    assert_int_equal(hx_audit_verify(srv->data, &out), 0);
    free(out);
}

static void test_bad_input(void **state)
{
    (void)state;
    const struct {
        json_t *body;
        const char *field;
    } cases[] = {
        {json_pack("{s:s,s:s}", "name", "x", "url", "ftp://example.com/"), "url"},
        {json_pack("{s:s}", "name", "x"), "url"},
        {json_pack("{s:s}", "url", "https://example.com/"), "name"},
        {json_pack("{s:s,s:s,s:s}", "name", "x", "url", "https://example.com/", "events", "a b"),
         "events"},
        {json_pack("{s:s,s:s,s:s}", "name", "x", "url", "https://example.com/", "secret", "short"),
         "secret"},
        {json_pack("{s:s,s:s,s:i}", "name", "x", "url", "https://example.com/", "colour", 1),
         "colour"},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(cases); i++) {
        struct hx_resp *r = hx_post(admin, "/api/v1/webhooks", cases[i].body);
        HX_EXPECT_ERROR(r, 400, "invalid", cases[i].field);
    }
    char name[120];
    memset(name, 'n', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    struct hx_resp *r = hx_post(admin, "/api/v1/webhooks",
                                json_pack("{s:s,s:s}", "name", name, "url", "https://a.cn/"));
    HX_EXPECT_ERROR(r, 400, "invalid", "name");
    r = hx_send(admin, "PATCH", hx_fmt("/api/v1/webhooks/%d", hook_ok_id),
                json_pack("{s:n}", "url"), NULL);
    HX_EXPECT_ERROR(r, 400, "invalid", "url");
    r = hx_post(admin, "/api/v1/notify/test", json_object());
    HX_EXPECT_ERROR(r, 400, "invalid", "email");
    r = hx_post(admin, "/api/v1/notify/test", json_pack("{s:s}", "email", "not-an-address"));
    HX_EXPECT_ERROR(r, 400, "invalid", "email");
    r = hx_get(admin, "/api/v1/outbox?status=lost");
    HX_EXPECT_ERROR(r, 400, "invalid", "status");
    r = hx_get(admin, "/api/v1/outbox?ref_id=x");
    HX_EXPECT_ERROR(r, 400, "invalid", "ref_id");
    r = hx_get(admin, "/api/v1/notifications?unread=maybe");
    HX_EXPECT_ERROR(r, 400, "invalid", "unread");
}

/* --- in-app ------------------------------------------------------------------------------ */

static void test_inapp(void **state)
{
    (void)state;
    struct hx_resp *r = hx_post(admin, "/api/v1/notify/test", json_pack("{s:b}", "inapp", 1));
    HX_EXPECT(r, 202);
    assert_int_equal(hx_json_int(r, "queued"), 0); /* no outbox row: it is in the app */
    hx_post(admin, "/api/v1/notify/test", json_pack("{s:b}", "inapp", 1));
    r = hx_get(admin, "/api/v1/notifications/unread-count");
    HX_EXPECT(r, 200);
    assert_int_equal(hx_json_int(r, "unread"), 2);
    r = hx_get(admin, "/api/v1/notifications?limit=1");
    HX_EXPECT(r, 200);
    json_t *first = json_array_get(json_object_get(r->json, "items"), 0);
    assert_string_equal(json_string_value(json_object_get(first, "title")), TEST_SUBJECT);
    assert_true(json_is_null(json_object_get(first, "read_at")));
    int64_t newest = json_integer_value(json_object_get(first, "id"));
    json_t *all = hx_list_all(admin, "/api/v1/notifications", 1); /* newest first, paged */
    assert_int_equal(json_array_size(all), 2);
    int64_t older = json_integer_value(json_object_get(json_array_get(all, 1), "id"));
    assert_true(older < newest);
    json_decref(all);

    /* A unit user sees none of it, may not mark it, and may not read the outbox. */
    struct hx_client *unit =
        hx_user_client(admin, "unit", hx_unit_create(admin, hx_unit_min("通知测试单位")));
    r = hx_get(unit, "/api/v1/notifications");
    HX_EXPECT(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 0);
    r = hx_post(unit, hx_fmt("/api/v1/notifications/%lld/read", (long long)newest), NULL);
    HX_EXPECT_ERROR(r, 404, "not_found", NULL);
    r = hx_get(unit, "/api/v1/outbox");
    HX_EXPECT_ERROR(r, 403, "forbidden", NULL);
    r = hx_post(unit, "/api/v1/notifications/read-all", NULL);
    HX_EXPECT(r, 200);
    assert_int_equal(hx_json_int(r, "marked"), 0);
    hx_client_free(unit);

    r = hx_post(admin, hx_fmt("/api/v1/notifications/%lld/read", (long long)newest), NULL);
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "read_at"), hx_time(srv->now_ms));
    r = hx_get(admin, "/api/v1/notifications?unread=1");
    HX_EXPECT(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);
    r = hx_post(admin, "/api/v1/notifications/read-all", NULL);
    HX_EXPECT(r, 200);
    assert_int_equal(hx_json_int(r, "marked"), 1);
    r = hx_get(admin, "/api/v1/notifications/unread-count");
    assert_int_equal(hx_json_int(r, "unread"), 0);
}

/* A missed acknowledgement reaches the authority's duty desk by mail, besides the
 * in-app notices: authority accounts have no address of their own. */
static void test_escalation_reaches_duty(void **state)
{
    (void)state;
    HX_EXPECT_ERROR(hx_send(admin, "PUT", "/api/v1/notify/duty",
                            json_pack("{s:s}", "email", "not-an-address"), NULL),
                    400, "invalid", "email");
    struct hx_resp *r =
        hx_send(admin, "PUT", "/api/v1/notify/duty",
                json_pack("{s:s,s:s}", "name", "省网信办应急值班室", "email", DUTY), NULL);
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(hx_get(admin, "/api/v1/notify/duty"), "email"), DUTY);

    int64_t unit = hx_unit_create(admin, hx_unit_doc("值班通知测试单位"));
    r = hx_post(admin, "/api/v1/incidents",
                json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "title", "某市政务云平台遭受攻击",
                          "affected_org", "某市大数据局", "operator_type", "other", "discovered_at",
                          hx_time(srv->now_ms), "source", "authority", "class_code", "ATK",
                          "subclass_code", "ATK.09"));
    HX_EXPECT(r, 201);
    int64_t id = hx_json_int(r, "id");
    HX_EXPECT(hx_send(admin, "POST", hx_fmt("/api/v1/incidents/%lld/grade", (long long)id),
                      json_pack("{s:{s:I}}", "facts", "personal_records", (json_int_t)12000000),
                      hx_etag(1)),
              200);
    HX_EXPECT(hx_post(admin, hx_fmt("/api/v1/incidents/%lld/dispatches", (long long)id),
                      json_pack("{s:[I],s:b}", "unit_ids", (json_int_t)unit, "urgent", 0)),
              201);
    /* 重大: acknowledge within 15 minutes; the unit does not. */
    hx_clock_advance(srv, 16 * 60 * 1000);
    bool found = false;
    for (int k = 0; k < 12 && !found; k++) {
        json_t *env;
        char *raw = hx_mail_next(&smtp, &env);
        char *to = json_dumps(json_object_get(env, "rcpt_tos"), 0);
        char *subject = hx_mail_subject(raw);
        if (strstr(to, DUTY)) {
            assert_non_null(strstr(subject, "【超时预警】"));
            assert_non_null(strstr(subject, "值班通知测试单位"));
            found = true;
        }
        free(subject);
        free(to);
        free(raw);
        json_decref(env);
    }
    assert_true(found);
}

/* Last: nothing the tests did put a secret or an address into the log. */
static void test_log_clean(void **state)
{
    (void)state;
    char *log = hx_server_log(srv);
    assert_non_null(strstr(log, "notify.attempt"));
    free(log);
    hx_server_stop(srv);
    hx_server_assert_log_clean(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mail_arrives),
        cmocka_unit_test(test_mail_waits_for_server),
        cmocka_unit_test(test_webhook_signed),
        cmocka_unit_test(test_webhook_retried),
        cmocka_unit_test(test_webhook_crud_audited),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_inapp),
        cmocka_unit_test(test_escalation_reaches_duty),
        cmocka_unit_test(test_log_clean),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
