/*
 * test_err.c - the error vocabulary: filling and clearing struct yj_error,
 * building field paths, and the stable names and HTTP statuses clients see.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/yj.h"

static void test_set(void **state)
{
    (void)state;
    struct yj_error e;
    assert_int_equal(yj_error_set(&e, YJ_EINVAL, "founded_on", "not a %s date", "calendar"),
                     YJ_EINVAL);
    assert_int_equal(e.code, YJ_EINVAL);
    assert_string_equal(e.field, "founded_on");
    assert_string_equal(e.msg, "not a calendar date");
    assert_int_equal(yj_error_set(&e, YJ_ENOTFOUND, NULL, "no unit %d", 7), YJ_ENOTFOUND);
    assert_string_equal(e.field, "");
    assert_string_equal(e.msg, "no unit 7");
    /* Without a struct the code still comes back, so failing stays one line. */
    assert_int_equal(yj_error_set(NULL, YJ_EPERM, "x", "y"), YJ_EPERM);
}

static void test_set_truncates(void **state)
{
    (void)state;
    struct yj_error e;
    char long_field[300], long_msg[600];
    memset(long_field, 'f', sizeof long_field - 1);
    long_field[sizeof long_field - 1] = '\0';
    memset(long_msg, 'm', sizeof long_msg - 1);
    long_msg[sizeof long_msg - 1] = '\0';
    yj_error_set(&e, YJ_EINVAL, long_field, "%s", long_msg);
    assert_int_equal(strlen(e.field), YJ_ERR_FIELD_MAX - 1);
    assert_int_equal(strlen(e.msg), YJ_ERR_MSG_MAX - 1);
    assert_int_equal(e.field[0], 'f');
    assert_int_equal(e.msg[YJ_ERR_MSG_MAX - 2], 'm');
}

static void test_clear(void **state)
{
    (void)state;
    struct yj_error e;
    yj_error_set(&e, YJ_EIO, "f", "disk full");
    yj_error_clear(&e);
    assert_int_equal(e.code, YJ_OK);
    assert_string_equal(e.field, "");
    assert_string_equal(e.msg, "");
    yj_error_clear(NULL);
}

static void test_prefix_field(void **state)
{
    (void)state;
    struct yj_error e;
    yj_error_set(&e, YJ_EINVAL, "email", "bad");
    yj_error_prefix_field(&e, "contacts[1]");
    assert_string_equal(e.field, "contacts[1].email");
    assert_string_equal(e.msg, "bad"); /* the message is left alone */
    assert_int_equal(e.code, YJ_EINVAL);

    /* An array index joins without a dot. */
    yj_error_set(&e, YJ_EINVAL, "[0]", "bad");
    yj_error_prefix_field(&e, "certificates");
    assert_string_equal(e.field, "certificates[0]");
    yj_error_prefix_field(&e, "staff[3]");
    assert_string_equal(e.field, "staff[3].certificates[0]");

    /* An empty field becomes the prefix itself. */
    yj_error_set(&e, YJ_EINVAL, NULL, "bad");
    yj_error_prefix_field(&e, "name");
    assert_string_equal(e.field, "name");

    /* No prefix, no change. */
    yj_error_prefix_field(&e, "");
    assert_string_equal(e.field, "name");
    yj_error_prefix_field(&e, NULL);
    assert_string_equal(e.field, "name");
    yj_error_prefix_field(NULL, "x");
}

static void test_prefix_field_truncates(void **state)
{
    (void)state;
    struct yj_error e;
    char prefix[200];
    memset(prefix, 'p', sizeof prefix - 1);
    prefix[sizeof prefix - 1] = '\0';
    yj_error_set(&e, YJ_EINVAL, "email", "bad");
    yj_error_prefix_field(&e, prefix);
    assert_int_equal(strlen(e.field), YJ_ERR_FIELD_MAX - 1);
    assert_int_equal(e.field[0], 'p');
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(yj_err_name(YJ_OK), "ok");
    assert_string_equal(yj_err_name(YJ_ENOMEM), "out_of_memory");
    assert_string_equal(yj_err_name(YJ_EINVAL), "invalid");
    assert_string_equal(yj_err_name(YJ_ENOTFOUND), "not_found");
    assert_string_equal(yj_err_name(YJ_ECONFLICT), "conflict");
    assert_string_equal(yj_err_name(YJ_EPERM), "forbidden");
    assert_string_equal(yj_err_name(YJ_EAUTH), "unauthenticated");
    assert_string_equal(yj_err_name(YJ_ETOOBIG), "too_large");
    assert_string_equal(yj_err_name(YJ_EIO), "io_error");
    assert_string_equal(yj_err_name(YJ_EPRECOND), "precondition_failed");
    assert_string_equal(yj_err_name(YJ_ENEEDPRECOND), "precondition_required");
    assert_string_equal(yj_err_name(YJ_ERATE), "too_many_requests");
    assert_string_equal(yj_err_name(YJ_EMETHOD), "method_not_allowed");
    assert_string_equal(yj_err_name(YJ_EMEDIATYPE), "unsupported_media_type");
    assert_string_equal(yj_err_name(YJ_ECSRF), "csrf");
    assert_string_equal(yj_err_name(YJ_EINTERNAL), "internal");
    assert_string_equal(yj_err_name(YJ_EBUSY), "unavailable");
    assert_string_equal(yj_err_name(YJ_EINCOMPLETE), "incomplete");
    /* Unknown codes are never NULL. */
    assert_string_equal(yj_err_name(YJ_ERR__COUNT), "internal");
    assert_string_equal(yj_err_name((enum yj_err) - 1), "internal");
    assert_string_equal(yj_err_name((enum yj_err)1000), "internal");
}

/* Every code has its own lower-case name: clients switch on them. */
static void test_names_distinct(void **state)
{
    (void)state;
    for (int i = 0; i < YJ_ERR__COUNT; i++) {
        const char *a = yj_err_name((enum yj_err)i);
        assert_non_null(a);
        assert_true(a[0] != '\0');
        for (const char *p = a; *p; p++)
            assert_true((*p >= 'a' && *p <= 'z') || *p == '_');
        for (int j = i + 1; j < YJ_ERR__COUNT; j++)
            assert_string_not_equal(a, yj_err_name((enum yj_err)j));
    }
}

static void test_http_status(void **state)
{
    (void)state;
    static const struct {
        enum yj_err code;
        int status;
    } want[] = {
        {YJ_OK, 200},        {YJ_ENOMEM, 503},      {YJ_EINVAL, 400},       {YJ_ENOTFOUND, 404},
        {YJ_ECONFLICT, 409}, {YJ_EPERM, 403},       {YJ_EAUTH, 401},        {YJ_ETOOBIG, 413},
        {YJ_EIO, 500},       {YJ_EPRECOND, 412},    {YJ_ENEEDPRECOND, 428}, {YJ_ERATE, 429},
        {YJ_EMETHOD, 405},   {YJ_EMEDIATYPE, 415},  {YJ_ECSRF, 403},        {YJ_EINTERNAL, 500},
        {YJ_EBUSY, 503},     {YJ_EINCOMPLETE, 422},
    };
    assert_int_equal(YJ_ARRAY_LEN(want), YJ_ERR__COUNT);
    for (size_t i = 0; i < YJ_ARRAY_LEN(want); i++)
        assert_int_equal(yj_err_http_status(want[i].code), want[i].status);
    assert_int_equal(yj_err_http_status(YJ_ERR__COUNT), 500);
    assert_int_equal(yj_err_http_status((enum yj_err) - 1), 500);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set),
        cmocka_unit_test(test_set_truncates),
        cmocka_unit_test(test_clear),
        cmocka_unit_test(test_prefix_field),
        cmocka_unit_test(test_prefix_field_truncates),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_names_distinct),
        cmocka_unit_test(test_http_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
