/*
 * test_tls.c - yingji serve over HTTPS (--tls-cert/--tls-key): it announces an
 * https URL, answers the API over TLS, marks the session cookie Secure, and
 * refuses plain HTTP on the same port.
 */
#include <curl/curl.h>
#include <string.h>

#include "harness.h"

static void test_https(void **state)
{
    (void)state;
    struct hx_server_options opt = {.tls = true};
    struct hx_server *srv = hx_server_new(&opt);
    assert_true(strncmp(srv->base_url, "https://", 8) == 0);

    struct hx_client *anon = hx_client_new(srv);
    HX_EXPECT(hx_get(anon, "/healthz"), 200);

    struct hx_client *c = hx_client_new(srv);
    struct hx_resp *r = hx_client_login(c, HX_ADMIN_USER, HX_ADMIN_PASSWORD);
    HX_EXPECT(r, 200);
    assert_non_null(r->set_cookie);
    const char *attrs = r->set_cookie + strcspn(r->set_cookie, ";");
    assert_non_null(strstr(attrs, "; Secure"));
    assert_non_null(strstr(attrs, "; HttpOnly"));
    assert_non_null(strstr(attrs, "; SameSite=Strict"));
    /* The session works over TLS, writes included (CSRF token and all). */
    int64_t id = hx_unit_create(c, NULL);
    HX_EXPECT(hx_get(c, hx_fmt("/api/v1/units/%lld", (long long)id)), 200);

    /* Plain HTTP to the TLS port gets no HTTP answer. */
    CURL *h = curl_easy_init();
    assert_non_null(h);
    curl_easy_setopt(h, CURLOPT_URL, hx_fmt("http://127.0.0.1:%d/healthz", srv->port));
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    CURLcode rc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(h);
    assert_true(rc != CURLE_OK || status != 200);

    hx_client_free(anon);
    hx_client_free(c);
    hx_server_stop(srv);
    hx_server_free(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_https),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
