/*
 * test_intel.c - the indicator vocabulary (types, categories, TLP), the canonical
 * form of every type with good and bad values, canonical forms being fixed points,
 * guessing a bare value's type, and the importers' batch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/yj.h"
#include "intel/intel.h"

static struct yj_arena arena;

static int setup(void **state)
{
    (void)state;
    yj_arena_init(&arena, 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    yj_arena_release(&arena);
    return 0;
}

/* raw canonicalises as t to want, and want is its own canonical form. */
static void good(enum intel_type t, const char *raw, const char *want)
{
    const char *out = NULL, *again = NULL;
    struct yj_error e = {0};
    if (intel_canonical(t, raw, "value", &arena, &out, &e) != YJ_OK)
        fail_msg("%s \"%s\" refused: %s", intel_type_code(t), raw, e.msg);
    if (strcmp(out, want) != 0)
        fail_msg("%s \"%s\" -> \"%s\", want \"%s\"", intel_type_code(t), raw, out, want);
    assert_int_equal(intel_canonical(t, out, "value", &arena, &again, &e), YJ_OK);
    assert_string_equal(again, out);
}

/* raw is refused as t with YJ_EINVAL naming the field and a message. */
static void bad(enum intel_type t, const char *raw)
{
    const char *out = "untouched";
    struct yj_error e = {0};
    enum yj_err rc = intel_canonical(t, raw, "indicators[3].value", &arena, &out, &e);
    if (rc != YJ_EINVAL)
        fail_msg("%s \"%s\" accepted as \"%s\"", intel_type_code(t), raw ? raw : "(null)", out);
    assert_string_equal(out, "untouched");
    assert_string_equal(e.field, "indicators[3].value");
    assert_true(e.msg[0] != '\0');
}

static void test_type_codes(void **state)
{
    (void)state;
    for (int i = 0; i < INTEL_TYPE__COUNT; i++) {
        enum intel_type t = INTEL_TYPE__COUNT;
        struct yj_error e = {0};
        assert_int_equal(intel_type_parse(intel_type_code(i), "type", &t, &e), YJ_OK);
        assert_int_equal(t, i);
        assert_true(strlen(intel_type_name_zh(i)) > 0);
        assert_string_not_equal(intel_type_name_zh(i), "未知");
    }
    assert_string_equal(intel_type_code(INTEL_CIDR6), "cidr6");
    assert_string_equal(intel_type_code(INTEL_CC), "cc");
    assert_string_equal(intel_type_name_zh(INTEL_DOMAIN), "域名");
    assert_string_equal(intel_type_code(INTEL_TYPE__COUNT), "unknown");
    enum intel_type t;
    struct yj_error e = {0};
    assert_int_equal(intel_type_parse("IPv4", "type", &t, &e), YJ_EINVAL);
    assert_string_equal(e.field, "type");
    assert_int_equal(intel_type_parse(NULL, "type", &t, NULL), YJ_EINVAL);
}

static void test_category_codes(void **state)
{
    (void)state;
    for (int i = 0; i < INTEL_CAT__COUNT; i++) {
        enum intel_category c = INTEL_CAT__COUNT;
        assert_int_equal(intel_category_parse(intel_category_code(i), "category", &c, NULL), YJ_OK);
        assert_int_equal(c, i);
        assert_string_not_equal(intel_category_name_zh(i), "未知");
    }
    assert_string_equal(intel_category_code(INTEL_CAT_MALICIOUS_IP), "malicious_ip");
    assert_string_equal(intel_category_name_zh(INTEL_CAT_BOTNET), "僵尸网络、木马、蠕虫");
    assert_string_equal(intel_category_name_zh(INTEL_CAT_PHISHING), "钓鱼网站");
    enum intel_category c;
    struct yj_error e = {0};
    assert_int_equal(intel_category_parse("spam", "category", &c, &e), YJ_EINVAL);
    assert_string_equal(e.field, "category");
}

static void test_tlp_codes(void **state)
{
    (void)state;
    for (int i = 0; i < INTEL_TLP__COUNT; i++) {
        enum intel_tlp t = INTEL_TLP__COUNT;
        assert_int_equal(intel_tlp_parse(intel_tlp_code(i), "tlp", &t, NULL), YJ_OK);
        assert_int_equal(t, i);
    }
    assert_string_equal(intel_tlp_code(INTEL_TLP_AMBER_STRICT), "amber+strict");
    enum intel_tlp t = INTEL_TLP_RED;
    assert_int_equal(intel_tlp_parse("white", "tlp", &t, NULL), YJ_OK);
    assert_int_equal(t, INTEL_TLP_CLEAR);
    assert_int_equal(intel_tlp_parse("TLP:AMBER+STRICT", "tlp", &t, NULL), YJ_OK);
    assert_int_equal(t, INTEL_TLP_AMBER_STRICT);
    assert_int_equal(intel_tlp_parse("tlp:green", "tlp", &t, NULL), YJ_OK);
    assert_int_equal(t, INTEL_TLP_GREEN);
    struct yj_error e = {0};
    assert_int_equal(intel_tlp_parse("purple", "tlp", &t, &e), YJ_EINVAL);
    assert_string_equal(e.field, "tlp");
    assert_int_equal(intel_tlp_parse("tlp:", "tlp", &t, &e), YJ_EINVAL);
    assert_int_equal(intel_tlp_parse(NULL, "tlp", &t, &e), YJ_EINVAL);
}

static void test_ipv4(void **state)
{
    (void)state;
    good(INTEL_IPV4, "203.0.113.7", "203.0.113.7");
    good(INTEL_IPV4, "  0.0.0.0\n", "0.0.0.0");
    good(INTEL_IPV4, "255.255.255.255", "255.255.255.255");
    const char *bads[] = {"",           "   ",     "256.1.1.1", "1.2.3", "1.2.3.4.5",  "01.2.3.4",
                          "1.2.3.4/32", "a.b.c.d", "1.2.3.4 5", "::1",   "0x7f.0.0.1", "1.2.3.-4"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(bads); i++)
        bad(INTEL_IPV4, bads[i]);
    bad(INTEL_IPV4, NULL);
}

static void test_ipv6(void **state)
{
    (void)state;
    good(INTEL_IPV6, "2001:db8::7", "2001:db8::7");
    good(INTEL_IPV6, "2001:0DB8:0000:0000:0000:0000:0000:0007", "2001:db8::7");
    good(INTEL_IPV6, "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1");    /* first longest run */
    good(INTEL_IPV6, "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"); /* one zero: no "::" */
    good(INTEL_IPV6, "::", "::");
    good(INTEL_IPV6, "::ffff:192.0.2.1", "::ffff:192.0.2.1");
    good(INTEL_IPV6, "FE80::1", "fe80::1");
    const char *bads[] = {
        "2001:db8::7::1", "2001:db8:::7", "12345::", "fe80::1%eth0", "1.2.3.4", "2001:db8::/32",
        "[2001:db8::7]",  "g::1",         ":"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(bads); i++)
        bad(INTEL_IPV6, bads[i]);
}

static void test_cidr(void **state)
{
    (void)state;
    good(INTEL_CIDR4, "203.0.113.0/24", "203.0.113.0/24");
    good(INTEL_CIDR4, "203.0.113.77/24", "203.0.113.0/24"); /* host bits cleared */
    good(INTEL_CIDR4, "10.255.1.1/9", "10.128.0.0/9");
    good(INTEL_CIDR4, "1.2.3.4/0", "0.0.0.0/0");
    good(INTEL_CIDR4, "1.2.3.4/32", "1.2.3.4/32");
    good(INTEL_CIDR4, "1.2.3.4/032", "1.2.3.4/32");
    good(INTEL_CIDR6, "2001:DB8:ffff::1/32", "2001:db8::/32");
    good(INTEL_CIDR6, "2001:db8::1/127", "2001:db8::/127");
    good(INTEL_CIDR6, "2001:db8::ff/121", "2001:db8::80/121");
    good(INTEL_CIDR6, "::/0", "::/0");
    good(INTEL_CIDR6, "::1/128", "::1/128");
    const char *bad4[] = {"203.0.113.0",      "203.0.113.0/33",  "203.0.113.0/", "/24",
                          "203.0.113.0/-1",   "203.0.113.0/2 4", "203.0.113/24", "2001:db8::/32",
                          "203.0.113.0/24/8", "203.0.113.0/+8"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad4); i++)
        bad(INTEL_CIDR4, bad4[i]);
    const char *bad6[] = {"2001:db8::/129", "2001:db8::", "10.0.0.0/8", "2001:db8::/x"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad6); i++)
        bad(INTEL_CIDR6, bad6[i]);
}

static void test_domain(void **state)
{
    (void)state;
    good(INTEL_DOMAIN, "Example.COM", "example.com");
    good(INTEL_DOMAIN, "example.com.", "example.com");
    good(INTEL_DOMAIN, "a-b.c_d.example.cn", "a-b.c_d.example.cn");
    good(INTEL_DOMAIN, "xn--fiqs8s.xn--fiqz9s", "xn--fiqs8s.xn--fiqz9s");
    good(INTEL_DOMAIN, "例子.中国", "xn--fsqu00a.xn--fiqs8s");
    good(INTEL_DOMAIN, "Bücher.Example", "xn--bcher-kva.example");
    good(INTEL_DOMAIN, "faß.de", "xn--fa-hia.de"); /* non-transitional: ß kept */
    good(INTEL_DOMAIN, "1.2.3.com", "1.2.3.com");
    /* 63-byte label, 253-byte name */
    char label[64], name[300];
    memset(label, 'a', 63);
    label[63] = '\0';
    snprintf(name, sizeof name, "%s.cn", label);
    good(INTEL_DOMAIN, name, name);
    snprintf(name, sizeof name, "%s.%s.%s.%.61s", label, label, label, label); /* 253 */
    assert_int_equal(strlen(name), 253);
    good(INTEL_DOMAIN, name, name);

    char long_label[80];
    snprintf(long_label, sizeof long_label, "%sa.cn", label); /* 64-byte label */
    bad(INTEL_DOMAIN, long_label);
    snprintf(name, sizeof name, "%s.%s.%s.%.62s", label, label, label, label); /* 254 */
    bad(INTEL_DOMAIN, name);
    const char *bads[] = {
        "example",      "com.",           ".example.com",  "example..com", "-a.example",
        "a-.example",   "exa mple.com",   "example.com/",  "a@b.com",      "1.2.3.4",
        "1.2.3.999",    "example.com:80", "*.example.com", "..",           ".",
        "\xff\xfe.com", "例子",           "a.b\x01.com"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(bads); i++)
        bad(INTEL_DOMAIN, bads[i]);
}

static void test_url(void **state)
{
    (void)state;
    good(INTEL_URL, "HTTP://Example.COM/Path/A?q=B#frag", "http://example.com/Path/A?q=B");
    good(INTEL_URL, "http://example.com:80/a", "http://example.com/a");
    good(INTEL_URL, "https://example.com:443/a", "https://example.com/a");
    good(INTEL_URL, "https://example.com:8443/a", "https://example.com:8443/a");
    good(INTEL_URL, "http://example.com:0080/", "http://example.com/");
    good(INTEL_URL, "http://example.com:/x", "http://example.com/x");
    good(INTEL_URL, "http://example.com", "http://example.com/");
    good(INTEL_URL, "http://example.com?x=1", "http://example.com/?x=1");
    good(INTEL_URL, "ftp://files.example.com:21", "ftp://files.example.com");
    good(INTEL_URL, "http://example.com/%7euser/%41%2f%2F%3a",
         "http://example.com/~user/A%2F%2F%3A");
    good(INTEL_URL, "http://example.com/a b\"<>", "http://example.com/a%20b%22%3C%3E");
    good(INTEL_URL, "http://example.com/100%", "http://example.com/100%25");
    good(INTEL_URL, "http://example.com/%%34%31", "http://example.com/%2541");
    good(INTEL_URL, "http://例子.中国/路径", "http://xn--fsqu00a.xn--fiqs8s/%E8%B7%AF%E5%BE%84");
    good(INTEL_URL, "http://203.0.113.7:8080/x.exe", "http://203.0.113.7:8080/x.exe");
    good(INTEL_URL, "http://[2001:DB8::0:7]:80/x", "http://[2001:db8::7]/x");
    good(INTEL_URL, "http://[2001:db8::7]", "http://[2001:db8::7]/");
    good(INTEL_URL, "http://user:pw@Example.com/", "http://user:pw@example.com/");
    good(INTEL_URL, "http://paypal.com@evil.example/", "http://paypal.com@evil.example/");
    good(INTEL_URL, "tcp://example.com:4444", "tcp://example.com:4444");
    good(INTEL_URL, "svn+ssh://Example.com/repo", "svn+ssh://example.com/repo");
    const char *bads[] = {
        "example.com/path",     "http:/example.com",    "http://",
        "http:///path",         "://example.com",       "http://example.com:99999/",
        "http://example.com:x", "http://exa mple.com/", "http://[2001:db8::7/",
        "http://[1.2.3.4]/",    "http://a.com/\r\nX",   "1http://example.com/",
        "http://example/",      "http://[::1]x/",       "http://example.com:0/"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(bads); i++)
        bad(INTEL_URL, bads[i]);
    /* over INTEL_VALUE_MAX once canonical */
    char big[INTEL_VALUE_MAX + 64];
    int n = snprintf(big, sizeof big, "http://example.com/");
    memset(big + n, 'a', sizeof big - (size_t)n - 1);
    big[sizeof big - 1] = '\0';
    bad(INTEL_URL, big);
}

static void test_email(void **state)
{
    (void)state;
    good(INTEL_EMAIL, "Alice.Smith@Example.COM", "Alice.Smith@example.com");
    good(INTEL_EMAIL, "x+tag@例子.中国", "x+tag@xn--fsqu00a.xn--fiqs8s");
    good(INTEL_EMAIL, "a@b.cn.", "a@b.cn");
    const char *bads[] = {"alice",
                          "@example.com",
                          "alice@",
                          "alice@example",
                          "al ice@example.com",
                          "a@b@example.com",
                          "<a@example.com>",
                          "alice@1.2.3.4",
                          "alice@[1.2.3.4]",
                          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@x.cn"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(bads); i++)
        bad(INTEL_EMAIL, bads[i]);
}

static void test_hashes(void **state)
{
    (void)state;
    good(INTEL_MD5, "D41D8CD98F00B204E9800998ECF8427E", "d41d8cd98f00b204e9800998ecf8427e");
    good(INTEL_SHA1, "da39a3ee5e6b4b0d3255bfef95601890afd80709",
         "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    const char *h64 = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";
    good(INTEL_SHA256, h64, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    good(INTEL_SM3, h64, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    bad(INTEL_MD5, "d41d8cd98f00b204e9800998ecf8427");   /* 31 */
    bad(INTEL_MD5, "d41d8cd98f00b204e9800998ecf8427e0"); /* 33 */
    bad(INTEL_MD5, "g41d8cd98f00b204e9800998ecf8427e");
    bad(INTEL_SHA1, "d41d8cd98f00b204e9800998ecf8427e");
    bad(INTEL_SHA256, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    bad(INTEL_SM3, "e3b0c442 98fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_cc(void **state)
{
    (void)state;
    good(INTEL_CC, "141.193.213.20:443/tcp", "141.193.213.20:443/tcp");
    good(INTEL_CC, "C2.Example.COM:0053/UDP", "c2.example.com:53/udp");
    good(INTEL_CC, "[2001:DB8::0:1]:8080/http", "[2001:db8::1]:8080/http");
    good(INTEL_CC, "evil.example:6667", "evil.example:6667");
    good(INTEL_CC, "evil.example:443/https", "evil.example:443/https");
    const char *bads[] = {"141.193.213.20",
                          "141.193.213.20:/tcp",
                          "141.193.213.20:0/tcp",
                          "141.193.213.20:70000",
                          "2001:db8::1:443/tcp",
                          "[2001:db8::1]/tcp",
                          "141.193.213.20:443/",
                          "141.193.213.20:443/t cp",
                          "141.193.213.20:443/9p",
                          "host:443/tcp",
                          ":443/tcp",
                          "a.example:443/abcdefghijklmnopq"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(bads); i++)
        bad(INTEL_CC, bads[i]);
}

static void test_app(void **state)
{
    (void)state;
    good(INTEL_APP, "com.Example.Wallet", "com.Example.Wallet");
    const char *h = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:"
                    "EF:01:23:45:67:89";
    char raw[200];
    snprintf(raw, sizeof raw, "com.example.app|%s", h);
    good(INTEL_APP, raw,
         "com.example.app|abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
    good(INTEL_APP,
         "cn.x_y.my-app|abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789",
         "cn.x_y.my-app|abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
    const char *bads[] = {
        "wallet",
        "com..example",
        "com.example.",
        ".com.example",
        "1com.example",
        "com.exa mple",
        "com.example|",
        "com.example|abc",
        "|abcdef",
        "com.example|abcdef0123456789abcdef0123456789abcdef0123456789abcdef01234567890",
        "com.example|AB::CD"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(bads); i++)
        bad(INTEL_APP, bads[i]);
}

static void test_unknown_type(void **state)
{
    (void)state;
    bad(INTEL_TYPE__COUNT, "1.2.3.4");
    bad((enum intel_type) - 1, "1.2.3.4");
}

static void guess_is(const char *raw, enum intel_type want, const char *value)
{
    enum intel_type t = INTEL_TYPE__COUNT;
    const char *out = NULL;
    struct yj_error e = {0};
    if (intel_guess(raw, "line 3", &arena, &t, &out, &e) != YJ_OK)
        fail_msg("guess \"%s\" refused: %s", raw, e.msg);
    if (t != want)
        fail_msg("guess \"%s\" -> %s, want %s", raw, intel_type_code(t), intel_type_code(want));
    assert_string_equal(out, value);
}

static void test_guess(void **state)
{
    (void)state;
    guess_is("203.0.113.7", INTEL_IPV4, "203.0.113.7");
    guess_is(" 2001:DB8::7 ", INTEL_IPV6, "2001:db8::7");
    guess_is("203.0.113.9/24", INTEL_CIDR4, "203.0.113.0/24");
    guess_is("2001:db8::/32", INTEL_CIDR6, "2001:db8::/32");
    guess_is("http://X.example/a#b", INTEL_URL, "http://x.example/a");
    guess_is("Bob@Example.com", INTEL_EMAIL, "Bob@example.com");
    guess_is("D41D8CD98F00B204E9800998ECF8427E", INTEL_MD5, "d41d8cd98f00b204e9800998ecf8427e");
    guess_is("da39a3ee5e6b4b0d3255bfef95601890afd80709", INTEL_SHA1,
             "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    guess_is("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", INTEL_SHA256,
             "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    guess_is("Evil.Example.", INTEL_DOMAIN, "evil.example");
    guess_is("deadbeef.com", INTEL_DOMAIN, "deadbeef.com");
    guess_is("例子.中国", INTEL_DOMAIN, "xn--fsqu00a.xn--fiqs8s");

    const char *bads[] = {
        "",           "# a comment", "hello", "1.2.3.999",  "d41d8cd98f00b204e9800998ecf8427",
        "1.2.3.4:80", "http://",     "a@b",   "10.0.0.0/40"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(bads); i++) {
        enum intel_type t = INTEL_TYPE__COUNT;
        const char *out = "untouched";
        struct yj_error e = {0};
        if (intel_guess(bads[i], "line 3", &arena, &t, &out, &e) != YJ_EINVAL)
            fail_msg("guess \"%s\" accepted as %s", bads[i], out);
        assert_string_equal(e.field, "line 3");
        assert_string_equal(out, "untouched");
        assert_int_equal(t, INTEL_TYPE__COUNT);
    }
    enum intel_type t;
    const char *out;
    assert_int_equal(intel_guess(NULL, "x", &arena, &t, &out, NULL), YJ_EINVAL);
}

static void test_arena_limit(void **state)
{
    (void)state;
    struct yj_arena tiny;
    yj_arena_init(&tiny, 8);
    const char *out = NULL;
    struct yj_error e = {0};
    assert_int_equal(intel_canonical(INTEL_DOMAIN, "a-long-name.example.com", "v", &tiny, &out, &e),
                     YJ_ENOMEM);
    assert_null(out);
    yj_arena_release(&tiny);
}

static void test_batch(void **state)
{
    (void)state;
    struct intel_batch b;
    memset(&b, 0x5a, sizeof b);
    intel_batch_init(&b);
    assert_int_equal(b.n, 0);
    assert_null(b.items);
    struct yj_error e = {0};
    for (int i = 0; i < 1000; i++) {
        struct intel_indicator ind = {.type = INTEL_IPV4, .confidence = i % 101, .sightings = 1};
        ind.value = yj_arena_printf(&arena, "10.0.%d.%d", i / 256, i % 256);
        ind.tags[0] = "botnet";
        ind.n_tags = 1;
        assert_int_equal(intel_batch_add(&b, &arena, &ind, &e), YJ_OK);
    }
    assert_int_equal(b.n, 1000);
    assert_true(b.cap >= 1000);
    assert_string_equal(b.items[0].value, "10.0.0.0");
    assert_string_equal(b.items[999].value, "10.0.3.231");
    assert_int_equal(b.items[500].confidence, 500 % 101);
    assert_string_equal(b.items[999].tags[0], "botnet");

    struct intel_indicator no_value = {.type = INTEL_IPV4};
    assert_int_equal(intel_batch_add(&b, &arena, &no_value, &e), YJ_EINVAL);
    struct intel_indicator many_tags = {.type = INTEL_IPV4, .value = "1.2.3.4"};
    many_tags.n_tags = INTEL_TAGS_MAX + 1;
    assert_int_equal(intel_batch_add(&b, &arena, &many_tags, &e), YJ_EINVAL);
    assert_string_equal(e.field, "tags");
    assert_int_equal(b.n, 1000);

    char where[32];
    for (int i = 0; i < 100; i++) {
        snprintf(where, sizeof where, "objects[%d]", i);
        assert_int_equal(intel_batch_problem(&b, &arena, where, i % 2 ? "indicator--1" : NULL,
                                             "unsupported pattern part: process:name", &e),
                         YJ_OK);
    }
    snprintf(where, sizeof where, "overwritten");
    assert_int_equal(b.n_problems, 100);
    assert_string_equal(b.problems[7].where, "objects[7]");
    assert_string_equal(b.problems[7].object, "indicator--1");
    assert_null(b.problems[8].object);
    assert_string_equal(b.problems[99].reason, "unsupported pattern part: process:name");

    struct yj_arena tiny;
    yj_arena_init(&tiny, 64);
    struct intel_batch b2;
    intel_batch_init(&b2);
    struct intel_indicator ind = {.type = INTEL_IPV4, .value = "1.2.3.4"};
    assert_int_equal(intel_batch_add(&b2, &tiny, &ind, &e), YJ_ENOMEM);
    assert_int_equal(intel_batch_problem(&b2, &tiny, "line 1", NULL, "bad", &e), YJ_ENOMEM);
    assert_int_equal(b2.n + b2.n_problems, 0);
    yj_arena_release(&tiny);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type_codes),   cmocka_unit_test(test_category_codes),
        cmocka_unit_test(test_tlp_codes),    cmocka_unit_test(test_ipv4),
        cmocka_unit_test(test_ipv6),         cmocka_unit_test(test_cidr),
        cmocka_unit_test(test_domain),       cmocka_unit_test(test_url),
        cmocka_unit_test(test_email),        cmocka_unit_test(test_hashes),
        cmocka_unit_test(test_cc),           cmocka_unit_test(test_app),
        cmocka_unit_test(test_unknown_type), cmocka_unit_test(test_guess),
        cmocka_unit_test(test_arena_limit),  cmocka_unit_test(test_batch),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
