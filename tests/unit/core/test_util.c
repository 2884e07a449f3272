/*
 * test_util.c - randomness, hex and URL-safe base64, strict integer parsing,
 * the UTF-8 text check (overlong forms, surrogates, NUL, controls), code-point
 * counting, constant-time comparison and SHA-256.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/yj.h"

/* ---- randomness and encodings ---- */

static void test_random(void **state)
{
    (void)state;
    unsigned char a[32] = {0}, b[32] = {0}, zero[32] = {0};
    yj_random(a, sizeof a);
    yj_random(b, sizeof b);
    assert_memory_not_equal(a, b, sizeof a);
    assert_memory_not_equal(a, zero, sizeof a);
    yj_random(a, 0);
}

static void test_hex(void **state)
{
    (void)state;
    char out[16];
    const unsigned char in[] = {0x00, 0xff, 0x1a, 0xB0};
    yj_hex(in, sizeof in, out);
    assert_string_equal(out, "00ff1ab0");
    yj_hex(in, 0, out);
    assert_string_equal(out, "");
}

static void test_b64url_vectors(void **state)
{
    (void)state;
    /* RFC 4648 section 10, without padding, in the URL-safe alphabet. */
    static const struct {
        const char *in;
        const char *out;
    } v[] = {{"", ""},           {"f", "Zg"},          {"fo", "Zm8"},         {"foo", "Zm9v"},
             {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}};
    for (size_t i = 0; i < YJ_ARRAY_LEN(v); i++) {
        size_t n = strlen(v[i].in);
        char out[32];
        assert_int_equal(yj_b64url_len(n), strlen(v[i].out) + 1);
        yj_b64url((const unsigned char *)v[i].in, n, out);
        assert_string_equal(out, v[i].out);
        unsigned char back[32];
        assert_int_equal(yj_b64url_decode(v[i].out, back, sizeof back), (long)n);
        assert_memory_equal(back, v[i].in, n);
    }
    /* The bytes that need - and _ instead of + and /. */
    const unsigned char odd[] = {0xfb, 0xff, 0xbf};
    char out[8];
    yj_b64url(odd, sizeof odd, out);
    assert_string_equal(out, "-_-_");
}

static void test_b64url_round_trip(void **state)
{
    (void)state;
    unsigned char in[100], back[100];
    char enc[200];
    for (size_t n = 0; n <= sizeof in; n++) {
        yj_random(in, n);
        assert_true(yj_b64url_len(n) <= sizeof enc);
        yj_b64url(in, n, enc);
        assert_int_equal(strlen(enc) + 1, yj_b64url_len(n));
        assert_int_equal(strspn(enc, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                     "0123456789-_"),
                         strlen(enc));
        assert_int_equal(yj_b64url_decode(enc, back, sizeof back), (long)n);
        assert_memory_equal(in, back, n);
    }
}

static void test_b64url_decode_malformed(void **state)
{
    (void)state;
    unsigned char out[16];
    static const char *const bad[] = {
        "Zm9v!",    /* not in the alphabet */
        "Zg==",     /* padding is not used */
        "Zm+v",     /* the standard alphabet's + */
        "Zm/v",     /* and / */
        "Z",        /* a lone character carries no whole byte */
        "Zm9vY",    /* nor does a fifth */
        "Zm9v Yg",  /* no spaces */
        "Zm9v\nYg", /* nor line breaks */
        "Zh",       /* unused low bits must be zero */
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++)
        if (yj_b64url_decode(bad[i], out, sizeof out) != -1)
            fail_msg("\"%s\" accepted", bad[i]);
    /* Output larger than the caller's room. */
    assert_int_equal(yj_b64url_decode("Zm9vYmFy", out, 5), -1);
    assert_int_equal(yj_b64url_decode("Zm9vYmFy", out, 6), 6);
    assert_int_equal(yj_b64url_decode("", out, 0), 0);
}

/* ---- integers ---- */

static void expect_i64(const char *s, int64_t want)
{
    int64_t v = 0;
    if (yj_parse_i64(s, INT64_MIN, INT64_MAX, &v) != 0)
        fail_msg("\"%s\" rejected", s);
    assert_int_equal(v, want);
}

static void test_parse_i64_good(void **state)
{
    (void)state;
    expect_i64("0", 0);
    expect_i64("-0", 0);
    expect_i64("7", 7);
    expect_i64("-7", -7);
    expect_i64("1767949200000", 1767949200000);
    expect_i64("9223372036854775807", INT64_MAX);
    expect_i64("-9223372036854775808", INT64_MIN);
}

static void test_parse_i64_bad(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "+1",
        " 1",
        "1 ",
        "\t1",
        "1\n",
        "-",
        "--1",
        "-+1",
        "+",
        "1a",
        "a1",
        "0x10",
        "1.0",
        "1e3",
        "1,000",
        "１",
        "9223372036854775808",
        "-9223372036854775809",
        "99999999999999999999999",
        "-99999999999999999999999",
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++) {
        int64_t v = 42;
        if (yj_parse_i64(bad[i], INT64_MIN, INT64_MAX, &v) != -1)
            fail_msg("\"%s\" accepted", bad[i]);
        assert_int_equal(v, 42); /* untouched on failure */
    }
    int64_t v;
    assert_int_equal(yj_parse_i64(NULL, 0, 10, &v), -1);
}

static void test_parse_i64_range(void **state)
{
    (void)state;
    int64_t v = 0;
    assert_int_equal(yj_parse_i64("10", 0, 10, &v), 0);
    assert_int_equal(v, 10);
    assert_int_equal(yj_parse_i64("0", 0, 10, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(yj_parse_i64("11", 0, 10, &v), -1);
    assert_int_equal(yj_parse_i64("-1", 0, 10, &v), -1);
    assert_int_equal(yj_parse_i64("5", 5, 5, &v), 0);
    assert_int_equal(v, 5);
    assert_int_equal(yj_parse_i64("-5", -10, -1, &v), 0);
    assert_int_equal(v, -5);
    assert_int_equal(yj_parse_i64("0", -10, -1, &v), -1);
    /* Overflow must fail even when the range is all of int64_t. */
    assert_int_equal(yj_parse_i64("18446744073709551616", INT64_MIN, INT64_MAX, &v), -1);
}

/* ---- UTF-8 ---- */

static int text_ok(const char *s)
{
    return yj_utf8_text_ok(s, strlen(s));
}

static void test_utf8_text_good(void **state)
{
    (void)state;
    assert_true(yj_utf8_text_ok("", 0));
    assert_true(text_ok("plain ASCII ~!"));
    assert_true(text_ok("网络安全应急技术支撑单位"));
    assert_true(text_ok("tab\tnewline\ncr\r"));
    assert_true(text_ok("\xc2\x80"));         /* U+0080, the first 2-byte form */
    assert_true(text_ok("\xdf\xbf"));         /* U+07FF */
    assert_true(text_ok("\xe0\xa0\x80"));     /* U+0800, the first 3-byte form */
    assert_true(text_ok("\xed\x9f\xbf"));     /* U+D7FF, just below the surrogates */
    assert_true(text_ok("\xee\x80\x80"));     /* U+E000, just above them */
    assert_true(text_ok("\xef\xbf\xbd"));     /* U+FFFD */
    assert_true(text_ok("\xf0\x90\x80\x80")); /* U+10000, the first 4-byte form */
    assert_true(text_ok("\xf0\x9f\x98\x80")); /* an emoji */
    assert_true(text_ok("\xf4\x8f\xbf\xbf")); /* U+10FFFF, the last code point */
}

static void test_utf8_text_bad(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "\xc0\x80",                 /* overlong NUL */
        "\xc0\xaf",                 /* overlong '/' */
        "\xc1\xbf",                 /* overlong U+007F */
        "\xe0\x80\x80",             /* overlong NUL, 3 bytes */
        "\xe0\x9f\xbf",             /* overlong U+07FF */
        "\xf0\x80\x80\x80",         /* overlong NUL, 4 bytes */
        "\xf0\x8f\xbf\xbf",         /* overlong U+FFFF */
        "\xed\xa0\x80",             /* U+D800, a high surrogate */
        "\xed\xbf\xbf",             /* U+DFFF, a low surrogate */
        "\xed\xa0\xbd\xed\xb8\x80", /* a CESU-8 surrogate pair */
        "\xf4\x90\x80\x80",         /* U+110000, past Unicode */
        "\xf5\x80\x80\x80",         /* lead bytes F5..FF never occur */
        "\xf8\x88\x80\x80\x80",
        "\xfe",
        "\xff",
        "\x80", /* a lone continuation byte */
        "a\xbf",
        "\xe6\xb1", /* 汉 cut short */
        ("\xe6\xb1"
         "a"),          /* a continuation byte missing */
        "\xf0\x9f\x98", /* an emoji cut short */
        "\xc2",
        "\x01", /* C0 controls other than tab, LF, CR */
        "\x08",
        "\x0b",
        "\x0c",
        "\x1b[31m",
        "\x1f",
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++)
        if (text_ok(bad[i]))
            fail_msg("bad[%zu] accepted", i);
}

static void test_utf8_text_nul_and_length(void **state)
{
    (void)state;
    /* The length is the caller's: a NUL inside it is refused. */
    assert_false(yj_utf8_text_ok("a\0b", 3));
    assert_false(yj_utf8_text_ok("\0", 1));
    assert_true(yj_utf8_text_ok("a\0b", 1));
    /* A multi-byte character cut by the length is incomplete. */
    assert_false(yj_utf8_text_ok("汉", 2));
    assert_true(yj_utf8_text_ok("汉字", 3));
    /* DEL (0x7f) is refused too; the header names only C0 controls. */
    assert_false(text_ok("\x7f"));
}

static void test_utf8_chars(void **state)
{
    (void)state;
    assert_int_equal(yj_utf8_chars(""), 0);
    assert_int_equal(yj_utf8_chars("abc"), 3);
    assert_int_equal(yj_utf8_chars("汉字"), 2);
    assert_int_equal(yj_utf8_chars("a汉\xf0\x9f\x98\x80"
                                   "b"),
                     4);
    assert_int_equal(yj_utf8_chars("\xc2\x80\xdf\xbf"), 2);
}

/* ---- comparison and hashing ---- */

static void test_ct_equal(void **state)
{
    (void)state;
    unsigned char a[32], b[32];
    yj_random(a, sizeof a);
    memcpy(b, a, sizeof b);
    assert_true(yj_ct_equal(a, b, sizeof a));
    b[31] ^= 1;
    assert_false(yj_ct_equal(a, b, sizeof a));
    b[31] ^= 1;
    b[0] ^= 0x80;
    assert_false(yj_ct_equal(a, b, sizeof a));
    assert_true(yj_ct_equal(a, b, 0));
}

static void test_sha256(void **state)
{
    (void)state;
    unsigned char h[32];
    char hex[65];
    yj_sha256("", 0, h);
    yj_hex(h, sizeof h, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    yj_sha256("abc", 3, h);
    yj_hex(h, sizeof h, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_hex),
        cmocka_unit_test(test_b64url_vectors),
        cmocka_unit_test(test_b64url_round_trip),
        cmocka_unit_test(test_b64url_decode_malformed),
        cmocka_unit_test(test_parse_i64_good),
        cmocka_unit_test(test_parse_i64_bad),
        cmocka_unit_test(test_parse_i64_range),
        cmocka_unit_test(test_utf8_text_good),
        cmocka_unit_test(test_utf8_text_bad),
        cmocka_unit_test(test_utf8_text_nul_and_length),
        cmocka_unit_test(test_utf8_chars),
        cmocka_unit_test(test_ct_equal),
        cmocka_unit_test(test_sha256),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
