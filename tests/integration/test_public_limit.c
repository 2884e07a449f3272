/*
 * test_public_limit.c - the operator's setting of the public certificate
 * look-up's rate limit, `yingji serve --public-limit N`: with 3, an address gets
 * three look-ups (found or not) and the fourth answers 429 with Retry-After (one
 * more every 20 s by the injected clock); with 0 nothing is ever refused; without
 * the flag the default of 20 applies again; and a bad value stops the start with
 * an error naming the flag. (test_certs.c covers the default limit in detail.)
 *
 * The certificate is issued as test_certs.c does it: the server stopped, its store
 * opened from this process, certs_issue and the "certificate.issue" audit record in
 * one write transaction.
 */
#include "harness.h"

#include "api/api_certs.h"
#include "audit/audit.h"
#include "certs/certs.h"
#include "core/yj.h"
#include "store/store.h"

static const char *const limit_three[] = {"--public-limit", "3", NULL};
static const char *const limit_off[] = {"--public-limit", "0", NULL};

static struct hx_server *srv;
static struct hx_client *anon;
static char number[CERT_NUMBER_MAX + 1];

static void issue_one(int64_t unit_id)
{
    struct yj_error e;
    struct store *st = NULL;
    struct store_tx *tx = NULL;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    if (store_open(srv->data, 0, &st, &e) || store_write_begin(st, &tx, &e))
        fail_msg("opening the server's store: %s", e.msg);
    struct cert_issue req = {
        .unit_id = unit_id,
        .holder_name = "限流测试单位",
        .title = "六盘水市网络安全应急技术支撑单位",
        .issuing_authorities = "中共六盘水市委网信办、六盘水市公安局",
        .number_pattern = "PL-{YYYY}-{NNN}",
        .valid_from = "2026-06-01",
        .valid_to = "2028-05-31",
        .year = 2026,
    };
    struct cert c;
    if (certs_issue(tx, &req, srv->now_ms, 0, &a, &c, &e))
        fail_msg("certs_issue: %s (%s)", e.msg, e.field);
    char id[24], changes[128];
    snprintf(id, sizeof id, "%lld", (long long)c.id);
    snprintf(changes, sizeof changes, "{\"number\":\"%s\"}", c.number);
    struct audit_entry ae = {.actor = "system",
                             .action = "certificate.issue",
                             .object_type = "certificate",
                             .object_id = id,
                             .changes = changes};
    if (audit_append(tx, &ae, srv->now_ms, &e) || store_tx_commit(tx, &e))
        fail_msg("auditing the issue: %s", e.msg);
    store_tx_end(tx);
    store_close(st);
    snprintf(number, sizeof number, "%s", c.number);
    yj_arena_release(&a);
}

static int setup(void **state)
{
    (void)state;
    struct hx_server_options opt = {.clock = true, .serve_args = limit_three};
    srv = hx_server_new(&opt);
    struct hx_client *admin = hx_login_admin(srv);
    int64_t unit = hx_unit_create(admin, hx_unit_doc("限流测试单位"));
    hx_client_free(admin);
    hx_server_stop(srv);
    issue_one(unit);
    hx_server_start(srv);
    anon = hx_client_new(srv);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hx_client_free(anon);
    hx_server_free(srv);
    return 0;
}

static const char *found(void)
{
    return hx_fmt("/public/certificates/%s", number);
}

/* Restarts the server with these extra arguments (NULL: none) and a fresh limiter. */
static void serve_with(const char *const *args)
{
    srv->serve_args = args;
    hx_server_restart(srv);
}

static void test_limit_three(void **state)
{
    (void)state;
    serve_with(limit_three);
    char *log = hx_server_log(srv);
    assert_non_null(strstr(log, "\"public_limit\":3"));
    free(log);
    /* Three look-ups, found or not, then 429 with the wait for one more: 60 s / 3. */
    HX_EXPECT(hx_get(anon, found()), 200);
    HX_EXPECT(hx_get(anon, "/public/certificates/PL-2026-999"), 404);
    HX_EXPECT(hx_get(anon, found()), 200);
    struct hx_resp *r = hx_get(anon, found());
    HX_EXPECT_ERROR(r, 429, "too_many_requests", NULL);
    assert_non_null(r->retry_after);
    assert_string_equal(r->retry_after, "20");
    /* A little later, still refused, with the rest of the wait. */
    hx_clock_advance(srv, 5000);
    r = hx_get(anon, found());
    HX_EXPECT(r, 429);
    assert_string_equal(r->retry_after, "15");
    /* Twenty seconds after the burst, exactly one more. */
    hx_clock_advance(srv, 15000);
    r = hx_get(anon, found());
    HX_EXPECT(r, 200);
    assert_null(r->retry_after);
    HX_EXPECT(hx_get(anon, found()), 429);
}

static void test_limit_off(void **state)
{
    (void)state;
    serve_with(limit_off);
    /* Many times the default burst at one instant from one address: never refused. */
    for (int i = 0; i < 5 * API_PUBLIC_BURST; i++) {
        struct hx_resp *r = hx_get(anon, i % 4 ? found() : "/public/certificates/PL-2026-999");
        HX_EXPECT(r, i % 4 ? 200 : 404);
        assert_null(r->retry_after);
    }
    long statuses[32];
    hx_parallel(anon, YJ_ARRAY_LEN(statuses), "GET", found(), NULL, NULL, statuses);
    for (size_t i = 0; i < YJ_ARRAY_LEN(statuses); i++)
        assert_int_equal(statuses[i], 200);
    /* The answer is the same public document as under a limit. */
    struct hx_resp *r = hx_get(anon, found());
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "number"), number);
    assert_int_equal(json_object_size(r->json), 8);
}

static void test_default_again(void **state)
{
    (void)state;
    /* Without the flag, the default: a burst of 20, then one every 3 s. */
    serve_with(NULL);
    for (int i = 0; i < API_PUBLIC_BURST; i++)
        HX_EXPECT(hx_get(anon, found()), 200);
    struct hx_resp *r = hx_get(anon, found());
    HX_EXPECT_ERROR(r, 429, "too_many_requests", NULL);
    assert_string_equal(r->retry_after, hx_fmt("%d", API_PUBLIC_INTERVAL_MS / 1000));
    /* --public-limit 20 is the same setting, spelled out. */
    static const char *const limit_twenty[] = {"--public-limit", "20", NULL};
    serve_with(limit_twenty);
    for (int i = 0; i < 20; i++)
        HX_EXPECT(hx_get(anon, found()), 200);
    r = hx_get(anon, found());
    HX_EXPECT(r, 429);
    assert_string_equal(r->retry_after, "3");
}

static void test_bad_values_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {"-1", "60001", "x", "", "3x", "1e3", "99999999999999999999"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++) {
        char *out = NULL;
        int status = hx_yingji(&out, "serve", "--data", srv->data, "--listen", "127.0.0.1:0",
                               "--public-limit", bad[i], NULL);
        if (status == 0 || !strstr(out, "--public-limit"))
            fail_msg("--public-limit '%s': exit %d, output:\n%s", bad[i], status, out);
        assert_null(strstr(out, "listening on"));
        free(out);
    }
}

static void test_audit_intact(void **state)
{
    (void)state;
    char *out = NULL;
    int status = hx_audit_verify(srv->data, &out);
    if (status != 0)
        fail_msg("audit verify: %d\n%s", status, out);
    free(out);
    hx_server_assert_log_clean(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_limit_three),   cmocka_unit_test(test_limit_off),
        cmocka_unit_test(test_default_again), cmocka_unit_test(test_bad_values_refused),
        cmocka_unit_test(test_audit_intact),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
