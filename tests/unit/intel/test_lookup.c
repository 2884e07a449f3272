/*
 * test_lookup.c - the in-memory indicator lookup: exact and CIDR matches of IPv4
 * and IPv6 (most specific first), exact and parent domains, URLs and their hosts,
 * exact matches of the other types, expiry, truncation, values of hits, refused
 * additions, a large random set checked against a plain scan, the memory per IPv4
 * indicator, and concurrent readers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <pthread.h>

#include "core/yj.h"
#include "intel/lookup.h"

static void add(struct intel_lookup *l, int64_t id, enum intel_type t, const char *v, bool sub,
                int64_t until)
{
    struct yj_error e = {0};
    if (intel_lookup_add(l, id, t, v, sub, until, &e) != YJ_OK)
        fail_msg("add %s %s: %s", intel_type_code(t), v, e.msg);
}

static struct intel_lookup *finished(struct intel_lookup *l)
{
    struct yj_error e = {0};
    assert_int_equal(intel_lookup_finish(l, &e), YJ_OK);
    return l;
}

/* The ids a query answers, in order, as "1,2,3". */
static const char *ids(const struct intel_lookup *l, enum intel_type t, const char *v, int64_t now)
{
    static char out[512];
    struct intel_lookup_hit hits[32];
    size_t n = intel_lookup_find(l, t, v, now, hits, 32);
    assert_true(n <= 32);
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(out + len, sizeof out - len, "%s%lld", i ? "," : "",
                                (long long)hits[i].id);
    return out;
}

static void test_ipv4(void **state)
{
    (void)state;
    struct intel_lookup *l = intel_lookup_new();
    add(l, 1, INTEL_IPV4, "203.0.113.7", false, 0);
    add(l, 2, INTEL_CIDR4, "203.0.113.0/24", false, 0);
    add(l, 3, INTEL_CIDR4, "203.0.0.0/16", false, 0);
    add(l, 4, INTEL_CIDR4, "0.0.0.0/0", false, 0);
    add(l, 5, INTEL_CIDR4, "203.0.113.7/32", false, 0);
    add(l, 6, INTEL_CIDR4, "203.0.113.128/25", false, 0);
    add(l, 7, INTEL_IPV4, "203.0.113.7", false, 0); /* a second indicator, same value */
    add(l, 8, INTEL_CIDR4, "198.51.100.0/24", false, 0);
    add(l, 9, INTEL_CIDR4, "203.0.113.99/24", false, 0); /* host bits: same as id 2 */
    finished(l);

    struct intel_lookup_hit h[16];
    size_t n = intel_lookup_find(l, INTEL_IPV4, "203.0.113.7", 1000, h, 16);
    assert_int_equal(n, 7);
    assert_true((h[0].id == 1 && h[1].id == 7) || (h[0].id == 7 && h[1].id == 1));
    assert_int_equal(h[0].match, INTEL_MATCH_EXACT);
    assert_int_equal(h[0].type, INTEL_IPV4);
    assert_int_equal(h[2].id, 5);
    assert_int_equal(h[2].match, INTEL_MATCH_RANGE);
    assert_int_equal(h[2].prefix, 32);
    assert_true((h[3].id == 2 && h[4].id == 9) || (h[3].id == 9 && h[4].id == 2));
    assert_int_equal(h[3].prefix, 24);
    assert_int_equal(h[5].id, 3);
    assert_int_equal(h[6].id, 4);
    assert_int_equal(h[6].prefix, 0);
    assert_false(h[6].via_host);

    assert_string_equal(ids(l, INTEL_IPV4, "203.0.113.200", 1000), "6,2,9,3,4");
    assert_string_equal(ids(l, INTEL_IPV4, "198.51.100.1", 1000), "8,4");
    assert_string_equal(ids(l, INTEL_IPV4, "192.0.2.1", 1000), "4");
    /* a range query: the same range first, then the larger ones */
    n = intel_lookup_find(l, INTEL_CIDR4, "203.0.113.128/25", 0, h, 16);
    assert_int_equal(n, 5);
    assert_int_equal(h[0].id, 6);
    assert_int_equal(h[0].match, INTEL_MATCH_EXACT);
    assert_int_equal(h[1].match, INTEL_MATCH_RANGE);
    assert_string_equal(ids(l, INTEL_CIDR4, "203.0.0.0/8", 0), "4");
    /* a /32 range query: the /32 range is the same value, the address indicators are not */
    n = intel_lookup_find(l, INTEL_CIDR4, "203.0.113.7/32", 0, h, 16);
    assert_int_equal(n, 5);
    assert_int_equal(h[0].id, 5);
    assert_int_equal(h[0].match, INTEL_MATCH_EXACT);
    assert_int_equal(h[1].match, INTEL_MATCH_RANGE);
    /* not parsing: nothing */
    assert_string_equal(ids(l, INTEL_IPV4, "203.0.113.256", 0), "");
    assert_string_equal(ids(l, INTEL_IPV4, "203.0.113.0/24", 0), "");
    assert_string_equal(ids(l, INTEL_CIDR4, "203.0.113.7", 0), "");
    intel_lookup_free(l);
}

static void test_ipv6(void **state)
{
    (void)state;
    struct intel_lookup *l = intel_lookup_new();
    add(l, 1, INTEL_IPV6, "2001:db8::7", false, 0);
    add(l, 2, INTEL_CIDR6, "2001:db8::/32", false, 0);
    add(l, 3, INTEL_CIDR6, "2001:db8::/64", false, 0);
    add(l, 4, INTEL_CIDR6, "2001:db8::7/128", false, 0);
    add(l, 5, INTEL_CIDR6, "2001:db8:0:0:8000::/65", false, 0);
    add(l, 6, INTEL_CIDR6, "::/0", false, 0);
    add(l, 7, INTEL_IPV4, "0.0.0.7", false, 0); /* other family: never an IPv6 answer */
    finished(l);
    assert_string_equal(ids(l, INTEL_IPV6, "2001:db8::7", 0), "1,4,3,2,6");
    assert_string_equal(ids(l, INTEL_IPV6, "2001:db8::8000:0:0:1", 0), "5,3,2,6");
    assert_string_equal(ids(l, INTEL_IPV6, "2001:db9::1", 0), "6");
    assert_string_equal(ids(l, INTEL_CIDR6, "2001:db8::/48", 0), "2,6");
    assert_string_equal(ids(l, INTEL_CIDR6, "2001:db8::/64", 0), "3,2,6");
    assert_string_equal(ids(l, INTEL_CIDR6, "2001:db8::7/128", 0), "4,3,2,6");
    assert_string_equal(ids(l, INTEL_IPV4, "0.0.0.7", 0), "7");
    struct intel_lookup_hit h[8];
    assert_int_equal(intel_lookup_find(l, INTEL_IPV6, "2001:db8::8000:0:0:1", 0, h, 8), 4);
    assert_int_equal(h[0].prefix, 65);
    char buf[64];
    intel_lookup_hit_value(l, &h[0], buf, sizeof buf);
    assert_string_equal(buf, "2001:db8:0:0:8000::/65");
    assert_int_equal(intel_lookup_find(l, INTEL_IPV6, "2001:db8::7", 0, h, 8), 5);
    intel_lookup_hit_value(l, &h[0], buf, sizeof buf);
    assert_string_equal(buf, "2001:db8::7");
    intel_lookup_hit_value(l, &h[1], buf, sizeof buf);
    assert_string_equal(buf, "2001:db8::7/128");
    intel_lookup_hit_value(l, &h[4], buf, sizeof buf);
    assert_string_equal(buf, "::/0");
    intel_lookup_free(l);
}

static void test_domains(void **state)
{
    (void)state;
    struct intel_lookup *l = intel_lookup_new();
    add(l, 1, INTEL_DOMAIN, "example.com", true, 0);
    add(l, 2, INTEL_DOMAIN, "b.example.com", false, 0);
    add(l, 3, INTEL_DOMAIN, "a.b.example.com", false, 0);
    add(l, 4, INTEL_DOMAIN, "evil.cn", false, 0);
    add(l, 5, INTEL_DOMAIN, "b.example.com", true, 0);
    add(l, 6, INTEL_URL, "example.com", false, 0); /* same text, other type */
    finished(l);
    assert_string_equal(ids(l, INTEL_DOMAIN, "example.com", 0), "1");
    assert_string_equal(ids(l, INTEL_DOMAIN, "a.b.example.com", 0), "3,5,1");
    assert_string_equal(ids(l, INTEL_DOMAIN, "x.a.b.example.com", 0), "5,1");
    /* the subdomains flag does not stop the domain itself matching */
    const char *b = ids(l, INTEL_DOMAIN, "b.example.com", 0);
    assert_true(strcmp(b, "2,5,1") == 0 || strcmp(b, "5,2,1") == 0);
    assert_string_equal(ids(l, INTEL_DOMAIN, "www.evil.cn", 0), ""); /* no subdomains flag */
    assert_string_equal(ids(l, INTEL_DOMAIN, "evil.cn", 0), "4");
    assert_string_equal(ids(l, INTEL_DOMAIN, "notexample.com", 0), "");
    assert_string_equal(ids(l, INTEL_DOMAIN, "com", 0), "");
    struct intel_lookup_hit h[4];
    assert_int_equal(intel_lookup_find(l, INTEL_DOMAIN, "x.example.com", 0, h, 4), 1);
    assert_int_equal(h[0].match, INTEL_MATCH_PARENT);
    char buf[64];
    assert_int_equal(intel_lookup_hit_value(l, &h[0], buf, sizeof buf), 11);
    assert_string_equal(buf, "example.com");
    assert_int_equal(intel_lookup_hit_value(l, &h[0], buf, 4), 11); /* cut, length as snprintf */
    assert_string_equal(buf, "exa");
    intel_lookup_free(l);
}

static void test_urls(void **state)
{
    (void)state;
    struct intel_lookup *l = intel_lookup_new();
    add(l, 1, INTEL_URL, "http://a.example.com/x.exe", false, 0);
    add(l, 2, INTEL_DOMAIN, "example.com", true, 0);
    add(l, 3, INTEL_IPV4, "203.0.113.7", false, 0);
    add(l, 4, INTEL_CIDR4, "203.0.113.0/24", false, 0);
    add(l, 5, INTEL_IPV6, "2001:db8::7", false, 0);
    add(l, 6, INTEL_DOMAIN, "a.example.com", false, 0);
    finished(l);
    struct intel_lookup_hit h[8];
    size_t n = intel_lookup_find(l, INTEL_URL, "http://a.example.com/x.exe", 0, h, 8);
    assert_int_equal(n, 3);
    assert_int_equal(h[0].id, 1);
    assert_false(h[0].via_host);
    assert_int_equal(h[1].id, 6);
    assert_true(h[1].via_host);
    assert_int_equal(h[1].match, INTEL_MATCH_EXACT);
    assert_int_equal(h[2].id, 2);
    assert_int_equal(h[2].match, INTEL_MATCH_PARENT);
    assert_true(h[2].via_host);
    assert_string_equal(ids(l, INTEL_URL, "https://user:pw@b.example.com:8443/?q", 0), "2");
    assert_string_equal(ids(l, INTEL_URL, "http://203.0.113.7:8080/a", 0), "3,4");
    assert_string_equal(ids(l, INTEL_URL, "http://[2001:db8::7]/", 0), "5");
    assert_string_equal(ids(l, INTEL_URL, "http://example.org/a.example.com", 0), "");
    assert_string_equal(ids(l, INTEL_URL, "http://paypal.com@a.example.com/", 0), "6,2");
    assert_string_equal(ids(l, INTEL_URL, "not a url", 0), "");
    intel_lookup_free(l);
}

static void test_exact_types(void **state)
{
    (void)state;
    const char *h64 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    struct intel_lookup *l = intel_lookup_new();
    add(l, 1, INTEL_SHA256, h64, false, 0);
    add(l, 2, INTEL_SM3, h64, false, 0);
    add(l, 3, INTEL_MD5, "d41d8cd98f00b204e9800998ecf8427e", false, 0);
    add(l, 4, INTEL_SHA1, "da39a3ee5e6b4b0d3255bfef95601890afd80709", false, 0);
    add(l, 5, INTEL_EMAIL, "Alice@example.com", false, 0);
    add(l, 6, INTEL_CC, "141.193.213.20:443/tcp", false, 0);
    add(l, 7, INTEL_APP, "com.example.wallet", false, 0);
    finished(l);
    assert_string_equal(ids(l, INTEL_SHA256, h64, 0), "1");
    assert_string_equal(ids(l, INTEL_SM3, h64, 0), "2");
    assert_string_equal(ids(l, INTEL_MD5, "d41d8cd98f00b204e9800998ecf8427e", 0), "3");
    assert_string_equal(ids(l, INTEL_SHA1, "da39a3ee5e6b4b0d3255bfef95601890afd80709", 0), "4");
    assert_string_equal(ids(l, INTEL_EMAIL, "Alice@example.com", 0), "5");
    assert_string_equal(ids(l, INTEL_EMAIL, "alice@example.com", 0), "");
    assert_string_equal(ids(l, INTEL_CC, "141.193.213.20:443/tcp", 0), "6");
    assert_string_equal(ids(l, INTEL_CC, "141.193.213.20:443/udp", 0), "");
    assert_string_equal(ids(l, INTEL_IPV4, "141.193.213.20", 0), "");
    assert_string_equal(ids(l, INTEL_APP, "com.example.wallet", 0), "7");
    assert_string_equal(ids(l, INTEL_DOMAIN, "com.example.wallet", 0), "");
    assert_string_equal(ids(l, INTEL_MD5, "", 0), "");
    intel_lookup_free(l);
}

static void test_expiry(void **state)
{
    (void)state;
    struct intel_lookup *l = intel_lookup_new();
    add(l, 1, INTEL_IPV4, "192.0.2.1", false, 5000);
    add(l, 2, INTEL_CIDR4, "192.0.2.0/24", false, 0); /* never expires */
    add(l, 3, INTEL_DOMAIN, "example.com", true, 5000);
    add(l, 4, INTEL_CIDR6, "2001:db8::/32", false, 5001);
    finished(l);
    assert_string_equal(ids(l, INTEL_IPV4, "192.0.2.1", 4999), "1,2");
    assert_string_equal(ids(l, INTEL_IPV4, "192.0.2.1", 5000), "2"); /* valid_until <= now */
    assert_string_equal(ids(l, INTEL_DOMAIN, "a.example.com", 4999), "3");
    assert_string_equal(ids(l, INTEL_DOMAIN, "a.example.com", 5000), "");
    assert_string_equal(ids(l, INTEL_IPV6, "2001:db8::1", 5000), "4");
    assert_string_equal(ids(l, INTEL_IPV6, "2001:db8::1", 5001), "");
    intel_lookup_free(l);
}

static void test_truncation_and_values(void **state)
{
    (void)state;
    struct intel_lookup *l = intel_lookup_new();
    char v[32];
    for (int i = 0; i <= 32; i++) {
        snprintf(v, sizeof v, "10.0.0.0/%d", i);
        add(l, 100 + i, INTEL_CIDR4, v, false, 0);
    }
    finished(l);
    struct intel_lookup_hit h[4];
    assert_int_equal(intel_lookup_find(l, INTEL_IPV4, "10.0.0.0", 0, h, 4), 33);
    assert_int_equal(h[0].id, 132);
    assert_int_equal(h[3].id, 129);
    assert_int_equal(intel_lookup_find(l, INTEL_IPV4, "10.0.0.0", 0, NULL, 0), 33);
    char buf[32];
    intel_lookup_hit_value(l, &h[0], buf, sizeof buf);
    assert_string_equal(buf, "10.0.0.0/32");
    intel_lookup_hit_value(l, &h[3], buf, sizeof buf);
    assert_string_equal(buf, "10.0.0.0/29");
    assert_int_equal(intel_lookup_find(l, INTEL_IPV4, "10.128.0.1", 0, h, 4), 9); /* /8../0 */
    assert_int_equal(h[0].prefix, 8);
    intel_lookup_hit_value(l, &h[0], buf, sizeof buf);
    assert_string_equal(buf, "10.0.0.0/8");
    intel_lookup_free(l);
}

static void test_refused(void **state)
{
    (void)state;
    struct intel_lookup *l = intel_lookup_new();
    struct yj_error e = {0};
    assert_int_equal(intel_lookup_find(l, INTEL_IPV4, "1.2.3.4", 0, NULL, 0), 0); /* unfinished */
    const struct {
        enum intel_type t;
        const char *v;
    } bad[] = {
        {INTEL_IPV4, "1.2.3"},          {INTEL_IPV4, "1.2.3.4/32"},    {INTEL_CIDR4, "1.2.3.4"},
        {INTEL_CIDR4, "1.2.3.4/33"},    {INTEL_CIDR4, "1.2.3.4/x"},    {INTEL_IPV6, "::1/128"},
        {INTEL_CIDR6, "::1/129"},       {INTEL_CIDR6, "1.2.3.4/8"},    {INTEL_DOMAIN, ""},
        {INTEL_TYPE__COUNT, "1.2.3.4"}, {INTEL_CIDR4, "1.2.3.4/0008"},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++) {
        e = (struct yj_error){0};
        if (intel_lookup_add(l, 1, bad[i].t, bad[i].v, false, 0, &e) != YJ_EINVAL)
            fail_msg("added %s", bad[i].v);
        assert_true(e.msg[0] != '\0');
    }
    char big[INTEL_VALUE_MAX + 2];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(intel_lookup_add(l, 1, INTEL_URL, big, false, 0, &e), YJ_EINVAL);
    assert_int_equal(intel_lookup_add(l, 1, INTEL_URL, NULL, false, 0, &e), YJ_EINVAL);
    finished(l);
    assert_int_equal(intel_lookup_finish(l, &e), YJ_OK); /* twice: no-op */
    assert_int_equal(intel_lookup_add(l, 2, INTEL_IPV4, "1.2.3.4", false, 0, &e), YJ_EINVAL);
    assert_int_equal(intel_lookup_find(l, INTEL_IPV4, "1.2.3.4", 0, NULL, 0), 0);
    assert_int_equal(intel_lookup_find(l, INTEL_IPV4, NULL, 0, NULL, 0), 0);
    assert_int_equal(intel_lookup_find(NULL, INTEL_IPV4, "1.2.3.4", 0, NULL, 0), 0);
    struct intel_lookup_stats st;
    intel_lookup_stats(l, &st);
    assert_int_equal(st.count[INTEL_IPV4], 0);
    /* references: the last free frees */
    assert_ptr_equal(intel_lookup_ref(l), l);
    intel_lookup_free(l);
    assert_int_equal(intel_lookup_find(l, INTEL_IPV4, "1.2.3.4", 0, NULL, 0), 0);
    intel_lookup_free(l);
    intel_lookup_free(NULL);
}

/* A small deterministic generator (xorshift). */
static uint32_t rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return (uint32_t)(*s >> 16);
}

enum { N_IPS = 100000, N_NETS = 2000 };
static uint32_t ips[N_IPS], nets[N_NETS];
static int lens[N_NETS];
static struct intel_lookup *big;

static void fmt4(uint32_t a, char *buf, size_t cap)
{
    snprintf(buf, cap, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

static void test_random_against_scan(void **state)
{
    (void)state;
    uint64_t s = 0x1234567;
    big = intel_lookup_new();
    char v[40];
    for (int i = 0; i < N_IPS; i++) {
        ips[i] = rnd(&s) & 0xff0fffff; /* some collisions on purpose */
        fmt4(ips[i], v, sizeof v);
        add(big, i, INTEL_IPV4, v, false, 0);
    }
    for (int i = 0; i < N_NETS; i++) {
        lens[i] = 8 + (int)(rnd(&s) % 25);
        nets[i] = rnd(&s) & (0xffffffffu << (32 - lens[i]));
        fmt4(nets[i], v, sizeof v);
        snprintf(v + strlen(v), sizeof v - strlen(v), "/%d", lens[i]);
        add(big, N_IPS + i, INTEL_CIDR4, v, false, 0);
    }
    finished(big);
    struct intel_lookup_stats st;
    intel_lookup_stats(big, &st);
    assert_int_equal(st.count[INTEL_IPV4], N_IPS);
    assert_int_equal(st.count[INTEL_CIDR4], N_NETS);
    assert_true(st.ipv4_bytes / N_IPS <= 64);
    assert_true(st.total_bytes > st.ipv4_bytes);

    struct intel_lookup_hit h[64];
    for (int q = 0; q < 3000; q++) {
        uint32_t a = q % 2 ? ips[rnd(&s) % N_IPS] : rnd(&s);
        if (q % 7 == 0)
            a = nets[rnd(&s) % N_NETS] | (rnd(&s) & 0xff);
        size_t want = 0;
        for (int i = 0; i < N_IPS; i++)
            want += ips[i] == a;
        size_t want_ip = want;
        for (int i = 0; i < N_NETS; i++)
            want += (a & (0xffffffffu << (32 - lens[i]))) == nets[i];
        fmt4(a, v, sizeof v);
        size_t n = intel_lookup_find(big, INTEL_IPV4, v, 0, h, 64);
        assert_int_equal(n, want);
        for (size_t i = 0; i < n && i < 64; i++) {
            assert_int_equal(h[i].type, i < want_ip ? INTEL_IPV4 : INTEL_CIDR4);
            if (i > want_ip)
                assert_true(h[i].prefix <= h[i - 1].prefix);
            if (h[i].type == INTEL_IPV4)
                assert_int_equal(ips[h[i].id], a);
        }
    }
}

static void *reader(void *arg)
{
    (void)arg;
    struct intel_lookup *l = intel_lookup_ref(big);
    char v[20];
    size_t found = 0;
    struct intel_lookup_hit h[8];
    for (int i = 0; i < 20000; i++) {
        fmt4(ips[(i * 7919) % N_IPS], v, sizeof v);
        found += intel_lookup_find(l, INTEL_IPV4, v, 0, h, 8) > 0;
    }
    intel_lookup_free(l);
    return (void *)(uintptr_t)found;
}

static void test_concurrent_readers(void **state)
{
    (void)state;
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, reader, NULL), 0);
    for (int i = 0; i < 4; i++) {
        void *found;
        assert_int_equal(pthread_join(t[i], &found), 0);
        assert_int_equal((uintptr_t)found, 20000);
    }
    intel_lookup_free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ipv4),
        cmocka_unit_test(test_ipv6),
        cmocka_unit_test(test_domains),
        cmocka_unit_test(test_urls),
        cmocka_unit_test(test_exact_types),
        cmocka_unit_test(test_expiry),
        cmocka_unit_test(test_truncation_and_values),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_random_against_scan),
        cmocka_unit_test(test_concurrent_readers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
