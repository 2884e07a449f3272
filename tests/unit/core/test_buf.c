/*
 * test_buf.c - bounded buffers: growth, the hard maximum (a refused append
 * leaves the buffer as it was), printf, reset, detach, and slices.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sys/wait.h>
#include <unistd.h>

#include "core/yj.h"

/*
 * Out-of-memory paths are tested with requests too big for any allocator; under
 * ASan malloc must return NULL for them rather than abort the run.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

/* Runs fn in a child so that a crash fails one test instead of ending the run. */
static int run_isolated(int (*fn)(void))
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(fn());
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void test_init_empty(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, 100);
    assert_null(b.ptr);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    assert_int_equal(b.max, 100);
    yj_buf_release(&b); /* releasing an untouched buffer is fine */
    assert_null(b.ptr);
}

static void test_append_grows_and_terminates(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, 1 << 20);
    assert_int_equal(yj_buf_append(&b, "abc", 3), YJ_OK);
    assert_int_equal(b.len, 3);
    assert_string_equal(b.ptr, "abc");
    assert_true(b.cap > b.len);
    /* Grow well past the first allocation, one byte at a time. */
    for (int i = 0; i < 5000; i++)
        assert_int_equal(yj_buf_append(&b, "x", 1), YJ_OK);
    assert_int_equal(b.len, 5003);
    assert_int_equal(strlen(b.ptr), 5003);
    assert_true(b.cap >= b.len + 1);
    assert_memory_equal(b.ptr, "abcxxx", 6);
    /* Binary data with NULs keeps its length. */
    assert_int_equal(yj_buf_append(&b, "\0y", 2), YJ_OK);
    assert_int_equal(b.len, 5005);
    assert_int_equal(b.ptr[5003], '\0');
    assert_int_equal(b.ptr[5004], 'y');
    assert_int_equal(b.ptr[5005], '\0');
    yj_buf_release(&b);
}

static void test_append_zero_bytes(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, 10);
    assert_int_equal(yj_buf_append(&b, "", 0), YJ_OK);
    assert_non_null(b.ptr);
    assert_string_equal(b.ptr, "");
    assert_int_equal(b.len, 0);
    yj_buf_release(&b);
}

static void test_limit_exact_and_over(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, 8);
    assert_int_equal(yj_buf_append(&b, "12345", 5), YJ_OK);
    char *ptr = b.ptr;
    size_t cap = b.cap;
    /* 5 + 4 > 8: refused, nothing changes. */
    assert_int_equal(yj_buf_append(&b, "6789", 4), YJ_ETOOBIG);
    assert_int_equal(b.len, 5);
    assert_ptr_equal(b.ptr, ptr);
    assert_int_equal(b.cap, cap);
    assert_string_equal(b.ptr, "12345");
    /* Exactly up to the maximum is allowed. */
    assert_int_equal(yj_buf_append(&b, "678", 3), YJ_OK);
    assert_string_equal(b.ptr, "12345678");
    assert_int_equal(yj_buf_append(&b, "9", 1), YJ_ETOOBIG);
    assert_int_equal(yj_buf_puts(&b, "9"), YJ_ETOOBIG);
    assert_string_equal(b.ptr, "12345678");
    assert_int_equal(yj_buf_append(&b, "", 0), YJ_OK);
    yj_buf_release(&b);
}

static void test_limit_first_append(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, 4);
    assert_int_equal(yj_buf_append(&b, "12345", 5), YJ_ETOOBIG);
    assert_null(b.ptr);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    /* Sizes near SIZE_MAX must not wrap around the check. */
    assert_int_equal(yj_buf_append(&b, "x", SIZE_MAX), YJ_ETOOBIG);
    assert_int_equal(yj_buf_append(&b, "x", SIZE_MAX - 1), YJ_ETOOBIG);
    assert_null(b.ptr);
    yj_buf_init(&b, 0);
    assert_int_equal(yj_buf_append(&b, "a", 1), YJ_ETOOBIG);
    yj_buf_release(&b);
}

/*
 * With no practical maximum (SIZE_MAX) a length that fits under it must still
 * fail cleanly (ENOMEM or ETOOBIG), never wrap len + n + 1 to 0 and copy.
 */
static int huge_append_child(void)
{
    struct yj_buf b;
    yj_buf_init(&b, SIZE_MAX);
    if (yj_buf_append(&b, "x", 1) != YJ_OK)
        return 2;
    enum yj_err rc = yj_buf_append(&b, "x", SIZE_MAX - 1);
    yj_buf_release(&b);
    return rc == YJ_ENOMEM || rc == YJ_ETOOBIG ? 0 : 1;
}

static void test_limit_unbounded_huge_append(void **state)
{
    (void)state;
    assert_int_equal(run_isolated(huge_append_child), 0);
}

/* A size under the maximum that no allocator can give: ENOMEM, buffer untouched. */
static void test_append_out_of_memory(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, SIZE_MAX / 2);
    assert_int_equal(yj_buf_puts(&b, "keep"), YJ_OK);
    char *ptr = b.ptr;
    assert_int_equal(yj_buf_append(&b, "x", SIZE_MAX / 4), YJ_ENOMEM);
    assert_ptr_equal(b.ptr, ptr);
    assert_int_equal(b.len, 4);
    assert_string_equal(b.ptr, "keep");
    yj_buf_release(&b);
}

static void test_puts(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, 64);
    assert_int_equal(yj_buf_puts(&b, "网络"), YJ_OK);
    assert_int_equal(yj_buf_puts(&b, ""), YJ_OK);
    assert_int_equal(yj_buf_puts(&b, "安全"), YJ_OK);
    assert_string_equal(b.ptr, "网络安全");
    assert_int_equal(b.len, 12);
    yj_buf_release(&b);
}

static void test_printf(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, 32);
    assert_int_equal(yj_buf_printf(&b, "%s=%d", "n", 42), YJ_OK);
    assert_int_equal(yj_buf_printf(&b, ";%05.1f", 3.14159), YJ_OK);
    assert_string_equal(b.ptr, "n=42;003.1");
    assert_int_equal(b.len, 10);
    /* 10 + 23 > 32: refused whole, the buffer untouched. */
    assert_int_equal(yj_buf_printf(&b, "%023d", 7), YJ_ETOOBIG);
    assert_string_equal(b.ptr, "n=42;003.1");
    assert_int_equal(b.len, 10);
    /* 10 + 22 == 32 fits exactly. */
    assert_int_equal(yj_buf_printf(&b, "%022d", 7), YJ_OK);
    assert_int_equal(b.len, 32);
    assert_int_equal(strlen(b.ptr), 32);
    assert_int_equal(yj_buf_printf(&b, "%s", ""), YJ_OK);
    assert_int_equal(yj_buf_printf(&b, "x"), YJ_ETOOBIG);
    yj_buf_release(&b);
}

static void test_printf_empty_and_long(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, 100000);
    assert_int_equal(yj_buf_printf(&b, "%s", ""), YJ_OK);
    assert_non_null(b.ptr);
    assert_string_equal(b.ptr, "");
    assert_int_equal(yj_buf_printf(&b, "%*s|", 70000, "end"), YJ_OK);
    assert_int_equal(b.len, 70001);
    assert_string_equal(b.ptr + 69997, "end|");
    yj_buf_release(&b);
}

/* yj_buf_vprintf is the engine behind printf; drive it through a va_list. */
static enum yj_err call_vprintf(struct yj_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static enum yj_err call_vprintf(struct yj_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    enum yj_err rc = yj_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

static void test_vprintf(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, 16);
    assert_int_equal(call_vprintf(&b, "[%d,%s]", -5, "ab"), YJ_OK);
    assert_string_equal(b.ptr, "[-5,ab]");
    assert_int_equal(call_vprintf(&b, "%20s", "x"), YJ_ETOOBIG);
    assert_string_equal(b.ptr, "[-5,ab]");
    yj_buf_release(&b);
}

static void test_reset_keeps_allocation(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, 16);
    yj_buf_reset(&b); /* on an empty buffer too */
    assert_null(b.ptr);
    assert_int_equal(yj_buf_puts(&b, "hello"), YJ_OK);
    char *ptr = b.ptr;
    size_t cap = b.cap;
    yj_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_ptr_equal(b.ptr, ptr);
    assert_int_equal(b.cap, cap);
    assert_string_equal(b.ptr, "");
    /* The maximum counts from the reset, not from what was there. */
    assert_int_equal(yj_buf_puts(&b, "0123456789abcdef"), YJ_OK);
    assert_string_equal(b.ptr, "0123456789abcdef");
    yj_buf_release(&b);
}

static void test_release_allows_reuse(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, 16);
    assert_int_equal(yj_buf_puts(&b, "one"), YJ_OK);
    yj_buf_release(&b);
    assert_null(b.ptr);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    assert_int_equal(b.max, 16);
    assert_int_equal(yj_buf_puts(&b, "two"), YJ_OK);
    assert_string_equal(b.ptr, "two");
    yj_buf_release(&b);
}

static void test_detach(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, 64);
    assert_int_equal(yj_buf_puts(&b, "payload"), YJ_OK);
    size_t len = 0;
    char *p = yj_buf_detach(&b, &len);
    assert_non_null(p);
    assert_string_equal(p, "payload");
    assert_int_equal(len, 7);
    assert_null(b.ptr);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    free(p);
    /* The buffer works again after a detach. */
    assert_int_equal(yj_buf_puts(&b, "again"), YJ_OK);
    p = yj_buf_detach(&b, NULL);
    assert_string_equal(p, "again");
    free(p);
    yj_buf_release(&b);
}

static void test_detach_empty(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, 64);
    size_t len = 99;
    char *p = yj_buf_detach(&b, &len);
    assert_non_null(p);
    assert_string_equal(p, "");
    assert_int_equal(len, 0);
    free(p);
    /* Reset to empty but allocated: still "" and owned by the caller. */
    assert_int_equal(yj_buf_puts(&b, "x"), YJ_OK);
    yj_buf_reset(&b);
    p = yj_buf_detach(&b, &len);
    assert_string_equal(p, "");
    assert_int_equal(len, 0);
    free(p);
}

static void test_slices(void **state)
{
    (void)state;
    struct yj_slice s = yj_slice_from("abc");
    assert_int_equal(s.len, 3);
    assert_true(yj_slice_eq(s, "abc"));
    assert_false(yj_slice_eq(s, "ab"));
    assert_false(yj_slice_eq(s, "abcd"));
    assert_false(yj_slice_eq(s, "abd"));
    assert_false(yj_slice_eq(s, ""));
    struct yj_slice n = yj_slice_from(NULL);
    assert_non_null(n.ptr);
    assert_int_equal(n.len, 0);
    assert_true(yj_slice_eq(n, ""));
    assert_false(yj_slice_eq(n, "a"));
    /* A slice into the middle of a longer string ends where it says. */
    const char *text = "GET /api/v1/units HTTP/1.1";
    struct yj_slice path = {text + 4, 13};
    assert_true(yj_slice_eq(path, "/api/v1/units"));
    assert_false(yj_slice_eq(path, "/api/v1/units HTTP/1.1"));
}

static void test_reserve(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, 100);
    assert_int_equal(yj_buf_reserve(&b, 80), YJ_OK);
    assert_non_null(b.ptr);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.ptr, "");
    assert_true(b.cap >= 81);
    char *before = b.ptr;
    assert_int_equal(yj_buf_puts(&b, "0123456789012345678901234567890123456789"), YJ_OK);
    assert_ptr_equal(b.ptr, before); /* no move: the room was already there */
    assert_int_equal(yj_buf_reserve(&b, 61), YJ_ETOOBIG);
    assert_int_equal(b.len, 40);
    assert_int_equal(yj_buf_reserve(&b, 60), YJ_OK);
    yj_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_empty),
        cmocka_unit_test(test_append_grows_and_terminates),
        cmocka_unit_test(test_append_zero_bytes),
        cmocka_unit_test(test_limit_exact_and_over),
        cmocka_unit_test(test_limit_first_append),
        cmocka_unit_test(test_limit_unbounded_huge_append),
        cmocka_unit_test(test_append_out_of_memory),
        cmocka_unit_test(test_puts),
        cmocka_unit_test(test_printf),
        cmocka_unit_test(test_printf_empty_and_long),
        cmocka_unit_test(test_vprintf),
        cmocka_unit_test(test_reset_keeps_allocation),
        cmocka_unit_test(test_release_allows_reuse),
        cmocka_unit_test(test_detach),
        cmocka_unit_test(test_detach_empty),
        cmocka_unit_test(test_slices),
        cmocka_unit_test(test_reserve),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
