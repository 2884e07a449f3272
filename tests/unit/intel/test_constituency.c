/*
 * test_constituency.c - who owns an address or a name: nested IPv4 and IPv6
 * ranges (the longest prefix wins), CIDR queries, parent domains (the longest
 * wins, a label boundary required), URLs by their host, e-mail addresses by their
 * domain, nobody, and values that are none of these.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/yj.h"
#include "intel/constituency.h"

static const struct intel_owned ranges[] = {
    {1, "203.0.113.0/24"},  {2, "203.0.113.128/25"}, {3, "2001:db8::/32"},
    {4, "2001:db8:1::/48"}, {5, "0.0.0.0/0"},        {6, "not a range"},
};
static const struct intel_owned domains[] = {
    {1, "example.cn"},
    {2, "shop.example.cn"},
    {3, "gov.cn"},
    {4, "beijing.gov.cn"},
};

/* "owner matched" for raw, or "none". */
static const char *owner(const char *raw, bool with_default)
{
    static char out[256];
    struct yj_arena a;
    yj_arena_init(&a, 0);
    struct intel_owner o;
    struct yj_error e = {0};
    size_t nr = YJ_ARRAY_LEN(ranges) - (with_default ? 0 : 2);
    if (intel_constituency_resolve(ranges, nr, domains, YJ_ARRAY_LEN(domains), raw, "value", &a, &o,
                                   &e) != YJ_OK)
        fail_msg("%s: %s", raw, e.msg);
    if (o.owner)
        snprintf(out, sizeof out, "%lld %s", (long long)o.owner, o.matched);
    else
        snprintf(out, sizeof out, "none");
    yj_arena_release(&a);
    return out;
}

static void test_ranges(void **state)
{
    (void)state;
    assert_string_equal(owner("203.0.113.5", false), "1 203.0.113.0/24");
    assert_string_equal(owner("203.0.113.200", false), "2 203.0.113.128/25");
    assert_string_equal(owner("203.0.113.128", false), "2 203.0.113.128/25");
    assert_string_equal(owner("203.0.113.127", false), "1 203.0.113.0/24");
    assert_string_equal(owner("203.0.114.1", false), "none");
    assert_string_equal(owner("203.0.114.1", true), "5 0.0.0.0/0");
    assert_string_equal(owner("2001:db8:1::7", false), "4 2001:db8:1::/48");
    assert_string_equal(owner("2001:DB8:2::7", false), "3 2001:db8::/32");
    assert_string_equal(owner("2001:db9::1", true), "none"); /* an IPv4 range holds no IPv6 */
    /* A range belongs to the narrowest range that holds all of it. */
    assert_string_equal(owner("203.0.113.192/26", false), "2 203.0.113.128/25");
    assert_string_equal(owner("203.0.113.0/25", false), "1 203.0.113.0/24");
    assert_string_equal(owner("203.0.112.0/23", false), "none");
}

static void test_domains(void **state)
{
    (void)state;
    assert_string_equal(owner("example.cn", false), "1 example.cn");
    assert_string_equal(owner("WWW.Example.CN.", false), "1 example.cn");
    assert_string_equal(owner("a.b.shop.example.cn", false), "2 shop.example.cn");
    assert_string_equal(owner("shop.example.cn", false), "2 shop.example.cn");
    assert_string_equal(owner("myexample.cn", false), "none"); /* not a label boundary */
    assert_string_equal(owner("www.beijing.gov.cn", false), "4 beijing.gov.cn");
    assert_string_equal(owner("www.shanghai.gov.cn", false), "3 gov.cn");
    assert_string_equal(owner("example.com", false), "none");
}

static void test_urls_and_mail(void **state)
{
    (void)state;
    assert_string_equal(owner("https://pay.shop.example.cn:8443/x?y#z", false),
                        "2 shop.example.cn");
    assert_string_equal(owner("http://user@203.0.113.200/login", false), "2 203.0.113.128/25");
    assert_string_equal(owner("http://[2001:db8:1::9]:8080/", false), "4 2001:db8:1::/48");
    assert_string_equal(owner("http://example.com/", false), "none");
    assert_string_equal(owner("abuse@mail.beijing.gov.cn", false), "4 beijing.gov.cn");
}

static void test_refused(void **state)
{
    (void)state;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    struct intel_owner o;
    struct yj_error e = {0};
    assert_int_equal(intel_constituency_resolve(ranges, 1, domains, 1,
                                                "d41d8cd98f00b204e9800998ecf8427e", "value", &a, &o,
                                                &e),
                     YJ_EINVAL);
    assert_string_equal(e.field, "value");
    assert_int_equal(o.owner, 0);
    assert_int_equal(
        intel_constituency_resolve(ranges, 1, domains, 1, "no spaces here", "value", &a, &o, &e),
        YJ_EINVAL);
    assert_int_equal(
        intel_constituency_resolve(NULL, 0, NULL, 0, "203.0.113.1", "value", &a, &o, &e), YJ_OK);
    assert_int_equal(o.owner, 0);
    assert_null(o.matched);
    assert_string_equal(intel_url_host("http://a.example.cn:80/p", &a), "a.example.cn");
    assert_null(intel_url_host("mailto:x", &a));
    yj_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_domains),
        cmocka_unit_test(test_urls_and_mail),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
