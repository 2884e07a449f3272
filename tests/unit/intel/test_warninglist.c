/*
 * test_warninglist.c - MISP warning lists: the real rfc1918 and public-dns-v4
 * lists of the shared corpora (read in place), each list type built in memory
 * (cidr v4/v6, hostname with parents, string, substring, regex unsupported),
 * values found inside URLs, e-mail addresses and C&C endpoints, load order, and
 * malformed lists refused with the field or position named.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/yj.h"
#include "intel/warninglist.h"

static const char *corpora(void)
{
    const char *c = getenv("YINGJI_CORPORA");
    return c ? c : "../shared/corpora";
}

static const char *covered(const struct intel_warninglists *w, enum intel_type t, const char *v)
{
    const struct intel_warninglist *l = intel_warninglists_match(w, t, v);
    return l ? l->name : "";
}

static void test_corpora(void **state)
{
    (void)state;
    struct intel_warninglists *w = intel_warninglists_new();
    struct yj_error e = {0};
    char path[1024];
    snprintf(path, sizeof path, "%s/warninglists", corpora());
    if (intel_warninglists_load_dir(w, path, &e) != YJ_OK)
        fail_msg("load %s: %s %s", path, e.field, e.msg);
    assert_int_equal(intel_warninglists_finish(w, &e), YJ_OK);
    assert_int_equal(intel_warninglists_count(w), 2); /* name order: public-dns-v4, rfc1918 */
    const struct intel_warninglist *dns = intel_warninglists_get(w, 0);
    const struct intel_warninglist *rfc = intel_warninglists_get(w, 1);
    assert_null(intel_warninglists_get(w, 2));
    assert_string_equal(dns->name, "List of known IPv4 public DNS resolvers");
    assert_int_equal(dns->type, INTEL_WL_CIDR);
    assert_int_equal(dns->entries, 62745);
    assert_int_equal(dns->skipped, 0);
    assert_true(dns->supported);
    assert_string_equal(rfc->name, "List of RFC 1918 CIDR blocks");
    assert_int_equal(rfc->entries, 3);
    assert_int_equal(rfc->version, 5);
    assert_true(strstr(rfc->description, "RFC 1918") != NULL);

    assert_ptr_equal(intel_warninglists_match(w, INTEL_IPV4, "8.8.8.8"), dns);
    assert_ptr_equal(intel_warninglists_match(w, INTEL_IPV4, "1.1.1.1"), dns);
    assert_ptr_equal(intel_warninglists_match(w, INTEL_IPV4, "10.1.2.3"), rfc);
    assert_ptr_equal(intel_warninglists_match(w, INTEL_IPV4, "172.31.255.255"), rfc);
    assert_ptr_equal(intel_warninglists_match(w, INTEL_IPV4, "192.168.0.1"), rfc);
    assert_null(intel_warninglists_match(w, INTEL_IPV4, "203.0.113.7"));
    assert_null(intel_warninglists_match(w, INTEL_IPV4, "172.32.0.1"));
    assert_null(intel_warninglists_match(w, INTEL_IPV4, "8.8.8.9"));
    /* ranges: inside a listed range is covered, a range around one is not */
    assert_ptr_equal(intel_warninglists_match(w, INTEL_CIDR4, "10.20.0.0/16"), rfc);
    assert_null(intel_warninglists_match(w, INTEL_CIDR4, "8.8.8.0/24"));
    assert_null(intel_warninglists_match(w, INTEL_CIDR4, "10.0.0.0/7"));
    /* addresses inside other values */
    assert_ptr_equal(intel_warninglists_match(w, INTEL_URL, "http://8.8.8.8/dns-query"), dns);
    assert_ptr_equal(intel_warninglists_match(w, INTEL_CC, "192.168.1.1:443/tcp"), rfc);
    assert_null(intel_warninglists_match(w, INTEL_CC, "203.0.113.7:443/tcp"));
    assert_null(intel_warninglists_match(w, INTEL_DOMAIN, "dns.google"));
    assert_null(intel_warninglists_match(w, INTEL_MD5, "d41d8cd98f00b204e9800998ecf8427e"));
    intel_warninglists_free(w);
}

static void load(struct intel_warninglists *w, const char *json)
{
    struct yj_error e = {0};
    if (intel_warninglists_load_json(w, json, strlen(json), "test", &e) != YJ_OK)
        fail_msg("load: %s %s", e.field, e.msg);
}

static void test_types(void **state)
{
    (void)state;
    struct intel_warninglists *w = intel_warninglists_new();
    load(w, "{\"name\":\"v6\",\"type\":\"cidr\",\"list\":[\"2001:4860:4860::8888\","
            "\"2606:4700::/32\",\"fc00::/7\",\"bad::1::2\",\"\",\"10.0.0.0/40\"]}");
    load(w, "{\"name\":\"hosts\",\"type\":\"hostname\",\"list\":[\"Google.COM\",\".akamai.net\","
            "\"*.cloudfront.net\",\"local\",\"例子.中国\",\"9.9.9.9\",\"\",\".\"]}");
    load(w,
         "{\"name\":\"strings\",\"type\":\"string\",\"list\":[\"D41D8CD98F00B204E9800998ECF8427E\","
         "\"http://example.com/\",\"\"]}");
    load(w, "{\"name\":\"subs\",\"type\":\"substring\",\"list\":[\"windowsupdate\",\"\"]}");
    load(w, "{\"name\":\"re\",\"type\":\"regex\",\"list\":[\".*\"]}");
    struct yj_error e = {0};
    assert_null(intel_warninglists_match(w, INTEL_IPV4, "9.9.9.9")); /* not finished */
    assert_int_equal(intel_warninglists_finish(w, &e), YJ_OK);

    const struct intel_warninglist *v6 = intel_warninglists_get(w, 0);
    assert_int_equal(v6->entries, 6);
    assert_int_equal(v6->skipped, 3);
    assert_string_equal(covered(w, INTEL_IPV6, "2001:4860:4860::8888"), "v6");
    assert_string_equal(covered(w, INTEL_IPV6, "2606:4700::1111"), "v6");
    assert_string_equal(covered(w, INTEL_IPV6, "fd12::1"), "v6");
    assert_string_equal(covered(w, INTEL_CIDR6, "fd00::/8"), "v6");
    assert_string_equal(covered(w, INTEL_IPV6, "2001:db8::1"), "");
    assert_string_equal(covered(w, INTEL_URL, "https://[2606:4700::6810:84e5]/"), "v6");

    const struct intel_warninglist *hosts = intel_warninglists_get(w, 1);
    assert_int_equal(hosts->skipped, 2);
    assert_string_equal(covered(w, INTEL_DOMAIN, "google.com"), "hosts");
    assert_string_equal(covered(w, INTEL_DOMAIN, "mail.google.com"), "hosts");
    assert_string_equal(covered(w, INTEL_DOMAIN, "notgoogle.com"), "");
    assert_string_equal(covered(w, INTEL_DOMAIN, "a1.akamai.net"), "hosts");
    assert_string_equal(covered(w, INTEL_DOMAIN, "d1.cloudfront.net"), "hosts");
    assert_string_equal(covered(w, INTEL_DOMAIN, "printer.local"), "hosts");
    assert_string_equal(covered(w, INTEL_DOMAIN, "www.xn--fsqu00a.xn--fiqs8s"), "hosts");
    assert_string_equal(covered(w, INTEL_IPV4, "9.9.9.9"), "hosts");
    assert_string_equal(covered(w, INTEL_URL, "https://drive.google.com/x?y"), "hosts");
    assert_string_equal(covered(w, INTEL_URL, "https://u:p@drive.google.com:8443/"), "hosts");
    assert_string_equal(covered(w, INTEL_EMAIL, "someone@google.com"), "hosts");
    assert_string_equal(covered(w, INTEL_EMAIL, "google.com@evil.example"), "");
    assert_string_equal(covered(w, INTEL_CC, "dns.google.com:53/udp"), "hosts");
    assert_string_equal(covered(w, INTEL_CC, "evil.example:53/udp"), "");

    assert_string_equal(covered(w, INTEL_MD5, "d41d8cd98f00b204e9800998ecf8427e"), "strings");
    assert_string_equal(covered(w, INTEL_URL, "http://example.com/"), "strings");
    assert_string_equal(covered(w, INTEL_URL, "http://example.com/a"), "");
    assert_int_equal(intel_warninglists_get(w, 2)->skipped, 1);

    assert_string_equal(covered(w, INTEL_DOMAIN, "download.windowsupdate.com"), "subs");
    assert_string_equal(covered(w, INTEL_URL, "http://x.example/WindowsUpdate/kb.cab"), "subs");

    const struct intel_warninglist *re = intel_warninglists_get(w, 4);
    assert_false(re->supported);
    assert_int_equal(re->type, INTEL_WL_REGEX);
    assert_string_equal(intel_wl_type_code(re->type), "regex");
    assert_string_equal(covered(w, INTEL_DOMAIN, "anything.example"), ""); /* regex: never */
    assert_null(intel_warninglists_match(w, INTEL_IPV4, NULL));
    /* finished: no more lists */
    assert_int_equal(intel_warninglists_load_json(w, "{}", 2, "late", &e), YJ_EINVAL);
    intel_warninglists_free(w);
    intel_warninglists_free(NULL);
}

static void test_first_list_wins(void **state)
{
    (void)state;
    struct intel_warninglists *w = intel_warninglists_new();
    load(w, "{\"name\":\"wide\",\"type\":\"cidr\",\"list\":[\"10.0.0.0/8\"]}");
    load(w, "{\"name\":\"narrow\",\"type\":\"cidr\",\"list\":[\"10.1.2.3\"]}");
    load(w, "{\"name\":\"str\",\"type\":\"string\",\"list\":[\"10.9.9.9\",\"1.2.3.4\"]}");
    load(w, "{\"name\":\"host\",\"type\":\"cidr\",\"list\":[\"1.2.3.4\"]}");
    struct yj_error e = {0};
    assert_int_equal(intel_warninglists_finish(w, &e), YJ_OK);
    assert_string_equal(covered(w, INTEL_IPV4, "10.1.2.3"), "wide");
    assert_string_equal(covered(w, INTEL_IPV4, "10.9.9.9"), "wide");
    assert_string_equal(covered(w, INTEL_IPV4, "1.2.3.4"), "str");
    intel_warninglists_free(w);
}

static void refused(const char *json, const char *field, const char *msg_part)
{
    struct intel_warninglists *w = intel_warninglists_new();
    struct yj_error e = {0};
    assert_int_equal(intel_warninglists_load_json(w, json, strlen(json), "lists/x.json", &e),
                     YJ_EINVAL);
    assert_string_equal(e.field, field);
    if (!strstr(e.msg, msg_part))
        fail_msg("message \"%s\" lacks \"%s\"", e.msg, msg_part);
    assert_int_equal(intel_warninglists_count(w), 0);
    intel_warninglists_free(w);
}

static void test_refused(void **state)
{
    (void)state;
    refused("{\"name\":\"x\",\"type\":\"cidr\",\"list\":[\"1.2.3.4\",]}", "lists/x.json",
            "line 1 column");
    refused("[]", "", "not a JSON object");
    refused("{\"type\":\"cidr\",\"list\":[]}", "name", "no list name");
    refused("{\"name\":\"x\",\"type\":\"ip\",\"list\":[]}", "type", "unknown list type");
    refused("{\"name\":\"x\",\"type\":\"cidr\"}", "list", "no list");
    refused("{\"name\":\"x\",\"type\":\"cidr\",\"list\":[\"1.2.3.4\",5]}", "list[1]",
            "not a string");
    refused("{\"name\":\"x\",\"name\":\"y\",\"type\":\"cidr\",\"list\":[]}", "lists/x.json",
            "duplicate");

    struct intel_warninglists *w = intel_warninglists_new();
    struct yj_error e = {0};
    assert_int_equal(intel_warninglists_load_file(w, "/nonexistent/list.json", &e), YJ_EIO);
    assert_string_equal(e.field, "/nonexistent/list.json");
    assert_int_equal(intel_warninglists_load_dir(w, "/nonexistent", &e), YJ_EIO);
    assert_int_equal(intel_warninglists_count(w), 0);
    intel_warninglists_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpora),
        cmocka_unit_test(test_types),
        cmocka_unit_test(test_first_list_wins),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
