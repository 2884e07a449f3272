/*
 * test_password.c - the password policy (length in characters, so Chinese
 * passwords count right; UTF-8 text only), Argon2id hashing and verification,
 * the generator's alphabet and length, the lockout rules and per-address
 * throttling, all with explicit times.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "auth/auth.h"
#include "core/yj.h"

#define NOW INT64_C(1767949200000)
#define MIN_MS INT64_C(60000)

/* n copies of s, heap-allocated. */
static char *repeat(const char *s, size_t n)
{
    size_t len = strlen(s);
    char *out = malloc(len * n + 1);
    assert_non_null(out);
    for (size_t i = 0; i < n; i++)
        memcpy(out + i * len, s, len);
    out[len * n] = '\0';
    return out;
}

static void expect_policy(const char *pw, enum yj_err want, const char *msg_part)
{
    struct yj_error e;
    yj_error_clear(&e);
    enum yj_err rc = auth_password_policy(pw, "new_password", &e);
    if (rc != want)
        fail_msg("\"%.40s\": got %s (%s), want %s", pw ? pw : "(null)", yj_err_name(rc), e.msg,
                 yj_err_name(want));
    if (want != YJ_OK) {
        assert_string_equal(e.field, "new_password"); /* the caller's field name */
        if (msg_part && !strstr(e.msg, msg_part))
            fail_msg("message \"%s\" lacks \"%s\"", e.msg, msg_part);
    }
}

/* ---- policy ---- */

static void test_policy_length_ascii(void **state)
{
    (void)state;
    char *pw = repeat("a", AUTH_PASSWORD_MIN - 1);
    expect_policy(pw, YJ_EINVAL, "at least 12");
    free(pw);
    pw = repeat("a", AUTH_PASSWORD_MIN);
    expect_policy(pw, YJ_OK, NULL);
    free(pw);
    pw = repeat("a", AUTH_PASSWORD_MAX);
    expect_policy(pw, YJ_OK, NULL);
    free(pw);
    pw = repeat("a", AUTH_PASSWORD_MAX + 1);
    expect_policy(pw, YJ_EINVAL, "at most 256");
    free(pw);
    expect_policy("", YJ_EINVAL, "at least");
    expect_policy(NULL, YJ_EINVAL, "required");
    /* Spaces are characters. */
    expect_policy("correct horse", YJ_OK, NULL);
}

static void test_policy_length_chinese(void **state)
{
    (void)state;
    /* 12 Chinese characters are 36 bytes but 12 characters: allowed. */
    char *pw = repeat("密", 12);
    assert_int_equal(strlen(pw), 36);
    expect_policy(pw, YJ_OK, NULL);
    free(pw);
    /* 11 characters in 33 bytes: too short, though longer than 12 bytes. */
    pw = repeat("密", 11);
    expect_policy(pw, YJ_EINVAL, "at least");
    free(pw);
    /* 256 characters (768 bytes) fit; 257 do not. */
    pw = repeat("码", AUTH_PASSWORD_MAX);
    expect_policy(pw, YJ_OK, NULL);
    free(pw);
    pw = repeat("码", AUTH_PASSWORD_MAX + 1);
    expect_policy(pw, YJ_EINVAL, "at most");
    free(pw);
    /* Mixed, and four-byte characters count once. */
    expect_policy("网络安全pass2026", YJ_OK, NULL);    /* 4 + 8 = 12 */
    expect_policy("网络安全pass202", YJ_EINVAL, NULL); /* 11 */
    expect_policy("😀😀😀😀😀😀😀😀😀😀😀😀", YJ_OK, NULL);        /* 12 emoji, 48 bytes */
}

static void test_policy_invalid_text(void **state)
{
    (void)state;
    expect_policy("abcdefghijk\xff", YJ_EINVAL, "UTF-8");
    expect_policy("abcdefghijkl\xe5\xaf", YJ_EINVAL, "UTF-8");    /* truncated sequence */
    expect_policy("abcdefghijkl\xc0\xaf", YJ_EINVAL, "UTF-8");    /* overlong "/" */
    expect_policy("abcdefghijk\xed\xa0\x80", YJ_EINVAL, "UTF-8"); /* a surrogate */
    expect_policy("abcdefghijkl\x01", YJ_EINVAL, "control");
    expect_policy("abcdefghijkl\x7f", YJ_EINVAL, NULL);
    expect_policy("abcdef\x1b[0mghijkl", YJ_EINVAL, "control");
}

/* ---- hashing ---- */

static void test_hash_verify(void **state)
{
    (void)state;
    struct yj_error e;
    char h1[AUTH_HASH_MAX], h2[AUTH_HASH_MAX];
    const char *pw = "correct horse battery";
    assert_int_equal(auth_password_hash(pw, h1, &e), YJ_OK);
    assert_true(strncmp(h1, "$argon2id$", 10) == 0);
    assert_true(strlen(h1) < AUTH_HASH_MAX);
    assert_null(strstr(h1, pw)); /* never the password in clear */
    assert_true(auth_password_verify(h1, pw));
    /* Salted: the same password hashes differently each time, both verify. */
    assert_int_equal(auth_password_hash(pw, h2, &e), YJ_OK);
    assert_string_not_equal(h1, h2);
    assert_true(auth_password_verify(h2, pw));
    /* Wrong passwords fail, including near misses. */
    assert_false(auth_password_verify(h1, "correct horse batterY"));
    assert_false(auth_password_verify(h1, "correct horse battery "));
    assert_false(auth_password_verify(h1, "correct horse batter"));
    assert_false(auth_password_verify(h1, ""));
    /* Missing or malformed inputs fail rather than crash. */
    assert_false(auth_password_verify(NULL, pw));
    assert_false(auth_password_verify(h1, NULL));
    assert_false(auth_password_verify("", pw));
    assert_false(auth_password_verify("$argon2id$garbage", pw));
    /* Non-ASCII passwords. */
    char h3[AUTH_HASH_MAX];
    assert_int_equal(auth_password_hash("网络安全应急技术支撑", h3, &e), YJ_OK);
    assert_true(auth_password_verify(h3, "网络安全应急技术支撑"));
    assert_false(auth_password_verify(h3, "网络安全应急技术支持"));
}

static void test_burn(void **state)
{
    (void)state;
    /* Only its cost matters; it must accept anything, twice (the cached dummy). */
    auth_password_burn("whatever");
    auth_password_burn(NULL);
    auth_password_burn("yingji-dummy-password");
}

static void test_generate(void **state)
{
    (void)state;
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    char a[17], b[17];
    auth_password_generate(a, sizeof a);
    auth_password_generate(b, sizeof b);
    assert_int_equal(strlen(a), 16);
    assert_string_not_equal(a, b);
    /* Over many draws: only the unambiguous alphabet, and all of it reachable. */
    bool seen[128] = {false};
    for (int round = 0; round < 200; round++) {
        char pw[33];
        memset(pw, 'X', sizeof pw);
        auth_password_generate(pw, sizeof pw);
        assert_int_equal(pw[32], '\0');
        assert_int_equal(strlen(pw), 32);
        for (int i = 0; i < 32; i++) {
            if (!strchr(alphabet, pw[i]))
                fail_msg("'%c' is not in the alphabet", pw[i]);
            seen[(unsigned char)pw[i]] = true;
        }
        /* Always acceptable to the policy. */
        struct yj_error e;
        assert_int_equal(auth_password_policy(pw, "password", &e), YJ_OK);
    }
    for (const char *c = alphabet; *c; c++)
        if (!seen[(unsigned char)*c])
            fail_msg("'%c' never drawn in 6400 characters", *c);
    for (const char *c = "0O1lI"; *c; c++)
        assert_false(seen[(unsigned char)*c]);
}

/* ---- lockout ---- */

static void test_lockout(void **state)
{
    (void)state;
    struct store_user u = {.id = 1, .username = "u"};
    assert_false(auth_user_locked(&u, NOW));
    for (int i = 1; i < AUTH_LOCK_THRESHOLD; i++) {
        assert_int_equal(auth_user_fail(&u, NOW + i), 0);
        assert_int_equal(u.failed_logins, i);
        assert_int_equal(u.locked_until, 0);
        assert_false(auth_user_locked(&u, NOW + i));
    }
    /* The fifth failure locks for AUTH_LOCK_MS and restarts the count. */
    int64_t t5 = NOW + 100;
    assert_int_equal(auth_user_fail(&u, t5), 1);
    assert_int_equal(u.failed_logins, 0);
    assert_int_equal(u.locked_until, t5 + AUTH_LOCK_MS);
    assert_int_equal(AUTH_LOCK_MS, 15 * MIN_MS);
    assert_true(auth_user_locked(&u, t5));
    assert_true(auth_user_locked(&u, t5 + AUTH_LOCK_MS - 1));
    /* Unlocked exactly when the time is up. */
    assert_false(auth_user_locked(&u, t5 + AUTH_LOCK_MS));
    assert_false(auth_user_locked(&u, t5 + AUTH_LOCK_MS + 1));
    /* Five more after it locks again. */
    for (int i = 1; i < AUTH_LOCK_THRESHOLD; i++)
        assert_int_equal(auth_user_fail(&u, t5 + AUTH_LOCK_MS + i), 0);
    assert_int_equal(auth_user_fail(&u, t5 + AUTH_LOCK_MS + 10), 1);
    assert_int_equal(u.locked_until, t5 + 2 * AUTH_LOCK_MS + 10);
    /* A stored count already past the threshold locks on the next failure. */
    struct store_user v = {.failed_logins = 9};
    assert_int_equal(auth_user_fail(&v, NOW), 1);
    assert_int_equal(v.failed_logins, 0);
}

/* ---- throttle ---- */

static void test_throttle(void **state)
{
    (void)state;
    const int64_t window = 15 * MIN_MS;
    struct auth_throttle *t = auth_throttle_new(AUTH_THROTTLE_FAILURES, window);
    assert_non_null(t);
    const char *ip = "192.0.2.7";
    assert_int_equal(auth_throttle_wait(t, ip, NOW), 0);
    /* Up to max - 1 failures: still free to try. */
    for (int i = 0; i < AUTH_THROTTLE_FAILURES - 1; i++) {
        auth_throttle_fail(t, ip, NOW + i * 1000);
        assert_int_equal(auth_throttle_wait(t, ip, NOW + i * 1000), 0);
    }
    /* The max-th failure: wait the rest of the window, counted from the first failure. */
    auth_throttle_fail(t, ip, NOW + 60000);
    assert_int_equal(auth_throttle_wait(t, ip, NOW + 60000), window - 60000);
    assert_int_equal(auth_throttle_wait(t, ip, NOW + 120000), window - 120000);
    assert_int_equal(auth_throttle_wait(t, ip, NOW + window - 1), 1);
    /* Other addresses are unaffected. */
    assert_int_equal(auth_throttle_wait(t, "192.0.2.8", NOW + 60000), 0);
    assert_int_equal(auth_throttle_wait(t, "2001:db8::7", NOW + 60000), 0);
    /* After the window: free again, and a new failure starts a new window. */
    assert_int_equal(auth_throttle_wait(t, ip, NOW + window), 0);
    auth_throttle_fail(t, ip, NOW + window);
    assert_int_equal(auth_throttle_wait(t, ip, NOW + window), 0);
    for (int i = 1; i < AUTH_THROTTLE_FAILURES; i++)
        auth_throttle_fail(t, ip, NOW + window + i);
    assert_int_equal(auth_throttle_wait(t, ip, NOW + window + 100), window - 100);
    auth_throttle_free(t);
}

static void test_throttle_many_addresses(void **state)
{
    (void)state;
    struct auth_throttle *t = auth_throttle_new(3, MIN_MS);
    char ip[32];
    /* Many addresses each failing once never throttle anyone... */
    for (int i = 0; i < 10000; i++) {
        snprintf(ip, sizeof ip, "10.%d.%d.%d", i / 65536, (i / 256) % 256, i % 256);
        auth_throttle_fail(t, ip, NOW);
        assert_int_equal(auth_throttle_wait(t, ip, NOW), 0);
    }
    /* ...and one address failing three times is throttled. */
    for (int i = 0; i < 3; i++)
        auth_throttle_fail(t, "198.51.100.1", NOW);
    assert_int_equal(auth_throttle_wait(t, "198.51.100.1", NOW), MIN_MS);
    /* A NULL table or address never throttles (and does not crash). */
    auth_throttle_fail(NULL, "x", NOW);
    auth_throttle_fail(t, NULL, NOW);
    assert_int_equal(auth_throttle_wait(NULL, "x", NOW), 0);
    assert_int_equal(auth_throttle_wait(t, NULL, NOW), 0);
    /* An over-long address is cut, not overflowed. */
    char longip[200];
    memset(longip, '7', sizeof longip - 1);
    longip[sizeof longip - 1] = '\0';
    auth_throttle_fail(t, longip, NOW);
    auth_throttle_free(t);
    auth_throttle_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_policy_length_ascii),
        cmocka_unit_test(test_policy_length_chinese),
        cmocka_unit_test(test_policy_invalid_text),
        cmocka_unit_test(test_hash_verify),
        cmocka_unit_test(test_burn),
        cmocka_unit_test(test_generate),
        cmocka_unit_test(test_lockout),
        cmocka_unit_test(test_throttle),
        cmocka_unit_test(test_throttle_many_addresses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
