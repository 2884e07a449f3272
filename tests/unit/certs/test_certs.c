/*
 * test_certs.c - the pure rules of certificates: status codes and names, every
 * one of the 25 (from, to) pairs of the transition table, expiry at the end of
 * valid_to in China Standard Time (to the millisecond), ban periods counted as
 * the Civil Code counts years, certificate numbers from patterns (format,
 * prefix, recognition and every kind of bad pattern), change-report kinds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "certs/certs.h"
#include "core/yj.h"

static void test_status_codes(void **state)
{
    (void)state;
    static const struct {
        enum cert_status s;
        const char *code, *zh;
        bool final;
    } want[] = {
        {CERT_VALID, "valid", "有效", false},        {CERT_SUSPENDED, "suspended", "暂停", false},
        {CERT_CANCELLED, "cancelled", "注销", true}, {CERT_REVOKED, "revoked", "撤销", true},
        {CERT_EXPIRED, "expired", "过期", true},
    };
    assert_int_equal(YJ_ARRAY_LEN(want), CERT_STATUS__COUNT);
    for (size_t i = 0; i < YJ_ARRAY_LEN(want); i++) {
        assert_string_equal(cert_status_code(want[i].s), want[i].code);
        assert_string_equal(cert_status_name_zh(want[i].s), want[i].zh);
        assert_int_equal(cert_status_final(want[i].s), want[i].final);
        enum cert_status p = CERT_STATUS__COUNT;
        assert_int_equal(cert_status_parse(want[i].code, &p), 0);
        assert_int_equal(p, want[i].s);
    }
    enum cert_status p = CERT_VALID;
    assert_int_equal(cert_status_parse("Valid", &p), -1);
    assert_int_equal(cert_status_parse("", &p), -1);
    assert_int_equal(cert_status_parse(NULL, &p), -1);
    assert_int_equal(cert_status_parse("unknown", &p), -1);
    assert_string_equal(cert_status_code(CERT_STATUS__COUNT), "unknown");
    assert_string_equal(cert_status_name_zh((enum cert_status) - 1), "未知");
}

/* The whole table, written out: what is not listed as allowed is forbidden. */
static void test_every_transition(void **state)
{
    (void)state;
    static const struct {
        enum cert_status from, to;
        bool allowed;
    } table[] = {
        {CERT_VALID, CERT_VALID, false},
        {CERT_VALID, CERT_SUSPENDED, true},
        {CERT_VALID, CERT_CANCELLED, true},
        {CERT_VALID, CERT_REVOKED, true},
        {CERT_VALID, CERT_EXPIRED, true},
        {CERT_SUSPENDED, CERT_VALID, true}, /* reinstated */
        {CERT_SUSPENDED, CERT_SUSPENDED, false},
        {CERT_SUSPENDED, CERT_CANCELLED, true},
        {CERT_SUSPENDED, CERT_REVOKED, true},
        {CERT_SUSPENDED, CERT_EXPIRED, true},
        /* cancelled at the unit's request cannot be undone */
        {CERT_CANCELLED, CERT_VALID, false},
        {CERT_CANCELLED, CERT_SUSPENDED, false},
        {CERT_CANCELLED, CERT_CANCELLED, false},
        {CERT_CANCELLED, CERT_REVOKED, false},
        {CERT_CANCELLED, CERT_EXPIRED, false},
        {CERT_REVOKED, CERT_VALID, false},
        {CERT_REVOKED, CERT_SUSPENDED, false},
        {CERT_REVOKED, CERT_CANCELLED, false},
        {CERT_REVOKED, CERT_REVOKED, false},
        {CERT_REVOKED, CERT_EXPIRED, false},
        {CERT_EXPIRED, CERT_VALID, false},
        {CERT_EXPIRED, CERT_SUSPENDED, false},
        {CERT_EXPIRED, CERT_CANCELLED, false},
        {CERT_EXPIRED, CERT_REVOKED, false},
        {CERT_EXPIRED, CERT_EXPIRED, false},
    };
    assert_int_equal(YJ_ARRAY_LEN(table), CERT_STATUS__COUNT * CERT_STATUS__COUNT);
    bool seen[CERT_STATUS__COUNT][CERT_STATUS__COUNT] = {{false}};
    for (size_t i = 0; i < YJ_ARRAY_LEN(table); i++) {
        if (cert_transition_allowed(table[i].from, table[i].to) != table[i].allowed)
            fail_msg("%s -> %s should be %s", cert_status_code(table[i].from),
                     cert_status_code(table[i].to), table[i].allowed ? "allowed" : "forbidden");
        assert_false(seen[table[i].from][table[i].to]);
        seen[table[i].from][table[i].to] = true;
        /* Nothing leaves a final status. */
        if (cert_status_final(table[i].from))
            assert_false(table[i].allowed);
    }
    assert_false(cert_transition_allowed(CERT_STATUS__COUNT, CERT_VALID));
    assert_false(cert_transition_allowed(CERT_VALID, CERT_STATUS__COUNT));
    assert_false(cert_transition_allowed((enum cert_status) - 1, CERT_VALID));
}

/* valid_to 2026-06-30 is valid through 23:59:59.999 CST that day, which is
 * 2026-06-30T15:59:59.999Z, and expired from 2026-06-30T16:00:00.000Z. */
static void test_expiry_at_the_cst_day_boundary(void **state)
{
    (void)state;
    int64_t end;
    assert_int_equal(yj_time_parse("2026-06-30T16:00:00.000Z", &end), 0);
    assert_int_equal(cert_expiry_ms("2026-06-30"), end);
    int64_t midnight_cst;
    assert_int_equal(yj_time_parse("2026-07-01T00:00:00+08:00", &midnight_cst), 0);
    assert_int_equal(end, midnight_cst);

    assert_int_equal(cert_status_at(CERT_VALID, "2026-06-30", end - 1), CERT_VALID);
    assert_int_equal(cert_status_at(CERT_VALID, "2026-06-30", end), CERT_EXPIRED);
    assert_int_equal(cert_status_at(CERT_SUSPENDED, "2026-06-30", end - 1), CERT_SUSPENDED);
    assert_int_equal(cert_status_at(CERT_SUSPENDED, "2026-06-30", end), CERT_EXPIRED);
    /* The boundary matches the CST calendar date: still 30 June there, then 1 July. */
    char d[11];
    yj_date_cst(end - 1, d);
    assert_string_equal(d, "2026-06-30");
    yj_date_cst(end, d);
    assert_string_equal(d, "2026-07-01");
    /* A UTC reading (expiring at 00:00Z on 1 July) would be eight hours late. */
    int64_t utc_midnight;
    assert_int_equal(yj_time_parse("2026-07-01T00:00:00Z", &utc_midnight), 0);
    assert_int_equal(cert_status_at(CERT_VALID, "2026-06-30", utc_midnight - 1), CERT_EXPIRED);

    /* Final statuses stay as they are, whatever the time. */
    assert_int_equal(cert_status_at(CERT_CANCELLED, "2026-06-30", end), CERT_CANCELLED);
    assert_int_equal(cert_status_at(CERT_REVOKED, "2026-06-30", end), CERT_REVOKED);
    assert_int_equal(cert_status_at(CERT_EXPIRED, "2026-06-30", end - 1), CERT_EXPIRED);
    /* Year and month ends, leap day, and a date before 1970. */
    assert_int_equal(yj_time_parse("2026-12-31T16:00:00Z", &end), 0);
    assert_int_equal(cert_expiry_ms("2026-12-31"), end);
    assert_int_equal(yj_time_parse("2028-02-29T16:00:00Z", &end), 0);
    assert_int_equal(cert_expiry_ms("2028-02-29"), end);
    assert_int_equal(yj_time_parse("1969-12-31T16:00:00Z", &end), 0);
    assert_int_equal(cert_expiry_ms("1969-12-31"), end);
    assert_int_equal(cert_status_at(CERT_VALID, "1969-12-31", end), CERT_EXPIRED);
    assert_int_equal(cert_status_at(CERT_VALID, "1969-12-31", end - 1), CERT_VALID);
    /* Malformed dates never expire anything (and say so with -1). */
    static const char *const bad[] = {"2026-02-30", "2026-6-30", "", "2026-06-30T00:00", "abc"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++) {
        assert_int_equal(cert_expiry_ms(bad[i]), -1);
        assert_int_equal(cert_status_at(CERT_VALID, bad[i], INT64_C(1) << 50), CERT_VALID);
    }
    assert_int_equal(cert_expiry_ms(NULL), -1);
}

static void test_ban_period(void **state)
{
    (void)state;
    char out[11];
    assert_int_equal(cert_ban_ends_on("2026-06-01", 3, out), 0);
    assert_string_equal(out, "2029-06-01");
    assert_int_equal(cert_ban_ends_on("2026-12-31", 3, out), 0);
    assert_string_equal(out, "2029-12-31");
    /* No 29 February in 2031: the month's last day. */
    assert_int_equal(cert_ban_ends_on("2028-02-29", 3, out), 0);
    assert_string_equal(out, "2031-02-28");
    assert_int_equal(cert_ban_ends_on("2028-02-29", 4, out), 0);
    assert_string_equal(out, "2032-02-29");
    assert_int_equal(cert_ban_ends_on("2026-01-15", 1, out), 0);
    assert_string_equal(out, "2027-01-15");
    assert_int_equal(cert_ban_ends_on("2026-02-30", 3, out), -1);
    assert_int_equal(cert_ban_ends_on("2026-06-01", 0, out), -1);
    assert_int_equal(cert_ban_ends_on("2026-06-01", 101, out), -1);
    assert_int_equal(cert_ban_ends_on("9998-06-01", 3, out), -1);
    assert_int_equal(cert_ban_ends_on(NULL, 3, out), -1);
}

static void expect_number(const char *pattern, int year, int64_t seq, const char *want)
{
    char out[CERT_NUMBER_MAX + 1];
    struct yj_error e;
    if (cert_number_format(pattern, year, seq, out, sizeof out, &e) != YJ_OK)
        fail_msg("%s %d %lld: %s", pattern, year, (long long)seq, e.msg);
    assert_string_equal(out, want);
    int64_t got = 0;
    assert_int_equal(cert_number_sequence(pattern, year, out, &got), 0);
    assert_int_equal(got, seq);
}

static void test_number_format(void **state)
{
    (void)state;
    expect_number("LPS-YJ-{YYYY}-{NNN}", 2026, 1, "LPS-YJ-2026-001");
    expect_number("LPS-YJ-{YYYY}-{NNN}", 2026, 42, "LPS-YJ-2026-042");
    expect_number("LPS-YJ-{YYYY}-{NNN}", 2027, 999, "LPS-YJ-2027-999");
    expect_number("{N}", 2026, 7, "7");
    expect_number("{NNNNNNNNN}", 2026, 123456789, "123456789");
    expect_number("GZ{YYYY}{NNNN}", 2026, 12, "GZ20260012");
    expect_number("{YYYY}.{NN}.{YYYY}", 2030, 5, "2030.05.2030");
    expect_number("黔网应急〔{YYYY}〕{NNN}号", 2026, 3, "黔网应急〔2026〕003号");
    expect_number("A_b(1)[2]-{NN}", 2026, 10, "A_b(1)[2]-10");

    char out[CERT_NUMBER_MAX + 1];
    struct yj_error e;
    assert_int_equal(cert_number_prefix("LPS-YJ-{YYYY}-{NNN}", 2026, out, sizeof out, &e), YJ_OK);
    assert_string_equal(out, "LPS-YJ-2026-");
    assert_int_equal(cert_number_prefix("{NNN}-{YYYY}", 2026, out, sizeof out, &e), YJ_OK);
    assert_string_equal(out, "");

    /* The sequence must fit the token: a number's width is part of its format. */
    assert_int_equal(cert_number_format("X-{NNN}", 2026, 1000, out, sizeof out, &e), YJ_EINVAL);
    assert_string_equal(e.field, "number_pattern");
    assert_int_equal(cert_number_format("X-{NNN}", 2026, 0, out, sizeof out, &e), YJ_EINVAL);
    assert_int_equal(cert_number_format("X-{NNN}", 2026, -5, out, sizeof out, &e), YJ_EINVAL);
    assert_int_equal(cert_number_format("X-{YYYY}-{N}", 999, 1, out, sizeof out, &e), YJ_EINVAL);
    assert_string_equal(e.field, "year");
    assert_int_equal(cert_number_format("X-{YYYY}-{N}", 10000, 1, out, sizeof out, &e), YJ_EINVAL);
    /* Too small a buffer: refused, and what is left is a terminated empty string. */
    char small[8];
    assert_int_equal(cert_number_format("LPS-YJ-{YYYY}-{NNN}", 2026, 1, small, sizeof small, &e),
                     YJ_ETOOBIG);
    assert_string_equal(small, "");
    assert_int_equal(cert_number_format("AB-{NNN}", 2026, 1, small, sizeof small, &e), YJ_OK);
    assert_string_equal(small, "AB-001");
}

static void test_bad_patterns(void **state)
{
    (void)state;
    static const struct {
        const char *pattern, *why;
    } bad[] = {
        {"LPS-YJ-{YYYY}", "no sequence token"},
        {"LPS-YJ-2026-001", "no sequence token"},
        {"{NNN}-{NN}", "more than one sequence token"},
        {"LPS-{YY}-{NNN}", "unknown token {YY}"},
        {"LPS-{yyyy}-{NNN}", "unknown token {yyyy}"},
        {"LPS-{X}-{NNN}", "unknown token {X}"},
        {"LPS-{}-{NNN}", "unknown token {}"},
        {"LPS-{NnN}", "unknown token {NnN}"},
        {"LPS-{NNN", "a '{' without its '}'"},
        {"LPS-NNN}", "a '}' without its '{'"},
        {"LPS-{NNNNNNNNNN}", "a sequence token of more than 9 digits"},
        {"LPS/{NNN}", "'/' is not allowed in a certificate number"},
        {"LPS {NNN}", "' ' is not allowed in a certificate number"},
        {"LPS?{NNN}", "'?' is not allowed in a certificate number"},
        {"LPS%{NNN}", "'%' is not allowed in a certificate number"},
        {"LPS#{NNN}", "'#' is not allowed in a certificate number"},
        {"LPS\t{NNN}", "a control character"},
        {"", "required"},
        {"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-{NNN}",
         "longer than 64 bytes"},
        {"LPS-\xff-{NNN}", "not valid UTF-8 text"},
    };
    char out[CERT_NUMBER_MAX + 1];
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++) {
        struct yj_error e;
        yj_error_clear(&e);
        if (cert_number_pattern_check(bad[i].pattern, &e) != YJ_EINVAL)
            fail_msg("pattern \"%s\" was accepted", bad[i].pattern);
        assert_string_equal(e.field, "number_pattern");
        if (strstr(e.msg, bad[i].why) == NULL)
            fail_msg("pattern \"%s\": \"%s\", expected \"%s\"", bad[i].pattern, e.msg, bad[i].why);
        assert_int_equal(cert_number_format(bad[i].pattern, 2026, 1, out, sizeof out, &e),
                         YJ_EINVAL);
        int64_t seq;
        assert_int_equal(cert_number_sequence(bad[i].pattern, 2026, "LPS-001", &seq), -1);
    }
    struct yj_error e;
    assert_int_equal(cert_number_pattern_check(NULL, &e), YJ_EINVAL);
    assert_int_equal(cert_number_pattern_check("LPS-YJ-{YYYY}-{NNN}", &e), YJ_OK);
}

static void test_number_recognition(void **state)
{
    (void)state;
    static const char p[] = "LPS-YJ-{YYYY}-{NNN}";
    int64_t seq = -7;
    assert_int_equal(cert_number_sequence(p, 2026, "LPS-YJ-2026-017", &seq), 0);
    assert_int_equal(seq, 17);
    static const char *const not_it[] = {
        "LPS-YJ-2027-017",  /* another year */
        "lps-yj-2026-017",  /* case matters */
        "LPS-YJ-2026-17",   /* too few digits */
        "LPS-YJ-2026-0017", /* too many */
        "LPS-YJ-2026-01a",  /* not digits */
        "LPS-YJ-2026-000",  /* no sequence 0 */
        "LPS-YJ-2026-017-", /* trailing text */
        "LPS-YJ-2026-",     /* cut short */
        "",
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(not_it); i++) {
        seq = -7;
        if (cert_number_sequence(p, 2026, not_it[i], &seq) != -1)
            fail_msg("\"%s\" was taken for a number of %s in 2026", not_it[i], p);
        assert_int_equal(seq, -7);
    }
    assert_int_equal(cert_number_sequence(p, 2026, NULL, &seq), -1);
    assert_int_equal(cert_number_sequence(p, 999, "LPS-YJ-0999-001", &seq), -1);
}

static void test_change_kinds(void **state)
{
    (void)state;
    enum cert_change_kind k = CERT_CHANGE__COUNT;
    assert_int_equal(cert_change_kind_parse("ownership", &k), 0);
    assert_int_equal(k, CERT_CHANGE_OWNERSHIP);
    assert_int_equal(cert_change_kind_parse("legal_representative", &k), 0);
    assert_int_equal(k, CERT_CHANGE_LEGAL_REPRESENTATIVE);
    assert_string_equal(cert_change_kind_code(CERT_CHANGE_OWNERSHIP), "ownership");
    assert_string_equal(cert_change_kind_code(CERT_CHANGE_LEGAL_REPRESENTATIVE),
                        "legal_representative");
    assert_string_equal(cert_change_kind_code(CERT_CHANGE__COUNT), "unknown");
    assert_int_equal(cert_change_kind_parse("address", &k), -1);
    assert_int_equal(cert_change_kind_parse(NULL, &k), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_codes),
        cmocka_unit_test(test_every_transition),
        cmocka_unit_test(test_expiry_at_the_cst_day_boundary),
        cmocka_unit_test(test_ban_period),
        cmocka_unit_test(test_number_format),
        cmocka_unit_test(test_bad_patterns),
        cmocka_unit_test(test_number_recognition),
        cmocka_unit_test(test_change_kinds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
