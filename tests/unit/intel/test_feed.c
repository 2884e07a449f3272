/*
 * test_feed.c - the rules of indicator feeds: formats, sources (file:// absolute
 * paths, http(s) URLs with a host and port), the redaction of passwords and
 * queries, MISP feed URLs and directories, event uuids, CSV column mappings,
 * defaults and the template they give, intervals, and the schedule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/yj.h"
#include "intel/feed.h"

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

static void test_formats(void **state)
{
    (void)state;
    struct yj_error e = {0};
    enum feed_format f;
    static const char *const codes[] = {"stix", "misp", "misp_feed", "csv", "plain"};
    for (int i = 0; i < FEED_FORMAT__COUNT; i++) {
        assert_int_equal(feed_format_parse(codes[i], "format", &f, &e), YJ_OK);
        assert_int_equal(f, i);
        assert_string_equal(feed_format_code(f), codes[i]);
    }
    assert_string_equal(feed_format_import_code(FEED_MISP_FEED), "misp");
    assert_string_equal(feed_format_import_code(FEED_CSV), "csv");
    assert_int_equal(feed_format_parse("xml", "format", &f, &e), YJ_EINVAL);
    assert_string_equal(e.field, "format");
    assert_int_equal(feed_format_parse(NULL, "format", &f, &e), YJ_EINVAL);
    assert_int_equal(feed_format_parse("STIX", "format", &f, &e), YJ_EINVAL);
}

/* The scheme of a good source, and its path for files. */
static const char *good(const char *source, enum feed_scheme want)
{
    struct yj_error e = {0};
    enum feed_scheme s;
    const char *path = NULL;
    if (feed_source_parse(source, "source", &arena, &s, &path, &e) != YJ_OK)
        fail_msg("%s refused: %s", source, e.msg);
    assert_int_equal(s, want);
    return path;
}

/* A refused source names the field; returns the message. */
static const char *bad(const char *source)
{
    static struct yj_error e;
    enum feed_scheme s;
    const char *path = NULL;
    if (feed_source_parse(source, "source", &arena, &s, &path, &e) != YJ_EINVAL)
        fail_msg("%s accepted", source ? source : "(null)");
    assert_string_equal(e.field, "source");
    return e.msg;
}

static void test_sources(void **state)
{
    (void)state;
    assert_string_equal(good("file:///srv/feeds/c2.txt", FEED_FILE), "/srv/feeds/c2.txt");
    assert_string_equal(good("file:///srv/my%20feeds/c2.txt", FEED_FILE), "/srv/my feeds/c2.txt");
    assert_string_equal(good("file:///srv/misp", FEED_FILE), "/srv/misp");
    assert_null(good("https://feeds.example.cn/c2.txt", FEED_HTTP));
    assert_null(good("http://127.0.0.1:8080/list?key=abc", FEED_HTTP));
    assert_null(good("HTTPS://user:pass@feeds.example.cn", FEED_HTTP));
    assert_null(good("http://[2001:db8::1]:8443/x", FEED_HTTP));
    assert_null(good("https://intel_feed.example.cn/a#frag", FEED_HTTP));

    assert_string_equal(bad(NULL), "required");
    assert_string_equal(bad(""), "required");
    assert_non_null(strstr(bad("ftp://example.cn/x"), "http(s)"));
    assert_non_null(strstr(bad("/srv/feeds/c2.txt"), "http(s)"));
    assert_non_null(strstr(bad("file://srv/feeds/c2.txt"), "absolute"));
    assert_non_null(strstr(bad("file:///srv/../etc/passwd"), ".."));
    assert_non_null(strstr(bad("file:///srv/./x"), ".."));
    assert_non_null(strstr(bad("file:///srv/%2e%2e/etc/passwd"), ".."));
    assert_non_null(strstr(bad("file:///srv/x%0a"), "control"));
    assert_non_null(strstr(bad("file:///srv/x%2"), "escape"));
    assert_non_null(strstr(bad("file:///srv/feeds/"), "name a file"));
    assert_non_null(strstr(bad("file:///"), "name a file"));
    assert_non_null(strstr(bad("https:///x"), "no host"));
    assert_non_null(strstr(bad("https://user@/x"), "no host"));
    assert_non_null(strstr(bad("https://exa mple.cn/x"), "encoded"));
    assert_non_null(strstr(bad("https://例子.cn/x"), "encoded"));
    assert_non_null(strstr(bad("https://example.cn:0/x"), "port"));
    assert_non_null(strstr(bad("https://example.cn:65536/x"), "port"));
    assert_non_null(strstr(bad("https://example.cn:/x"), "port"));
    assert_non_null(strstr(bad("https://example.cn:80a/x"), "port"));
    assert_non_null(strstr(bad("https://exa!mple.cn/x"), "host"));
    assert_non_null(strstr(bad("https://[zz::1]/x"), "IPv6"));
    assert_non_null(strstr(bad("https://[]/x"), "IPv6"));
    char *longest = yj_arena_alloc(&arena, FEED_SOURCE_MAX + 2);
    memset(longest, 'a', FEED_SOURCE_MAX + 1);
    memcpy(longest, "https://x/", 10);
    longest[FEED_SOURCE_MAX + 1] = '\0';
    assert_non_null(strstr(bad(longest), "at most"));
    longest[FEED_SOURCE_MAX] = '\0';
    assert_null(good(longest, FEED_HTTP));
}

static void test_redact(void **state)
{
    (void)state;
    assert_string_equal(feed_source_redact("https://u:secret@feeds.example.cn/x?key=k", &arena),
                        "https://***@feeds.example.cn/x?***");
    assert_string_equal(feed_source_redact("http://feeds.example.cn/x", &arena),
                        "http://feeds.example.cn/x");
    assert_string_equal(feed_source_redact("http://feeds.example.cn?token=t", &arena),
                        "http://feeds.example.cn?***");
    /* An '@' in the path is no userinfo; a '?' in the fragment no query. */
    assert_string_equal(feed_source_redact("http://h/a@b#x?y", &arena), "http://h/a@b#x?y");
    assert_string_equal(feed_source_redact("file:///srv/feeds/x", &arena), "file:///srv/feeds/x");
    assert_null(feed_source_redact(NULL, &arena));
}

static void test_misp_paths(void **state)
{
    (void)state;
    assert_string_equal(feed_misp_url("https://h/feed", "manifest.json", &arena),
                        "https://h/feed/manifest.json");
    assert_string_equal(feed_misp_url("https://h/feed/", "x.json", &arena),
                        "https://h/feed/x.json");
    assert_string_equal(feed_misp_url("https://h/feed/manifest.json", "x.json", &arena),
                        "https://h/feed/x.json");
    assert_string_equal(feed_misp_url("https://h/feed?key=k#f", "x.json", &arena),
                        "https://h/feed/x.json?key=k");
    assert_string_equal(feed_misp_dir("/srv/misp/manifest.json", &arena), "/srv/misp");
    assert_string_equal(feed_misp_dir("/srv/misp", &arena), "/srv/misp");

    assert_true(feed_uuid_valid("5a3c2fcd-8328-42bb-a95e-4f4402de0b81"));
    assert_true(feed_uuid_valid("5A3C2FCD-8328-42BB-A95E-4F4402DE0B81"));
    assert_false(feed_uuid_valid("5a3c2fcd-8328-42bb-a95e-4f4402de0b8"));
    assert_false(feed_uuid_valid("5a3c2fcd-8328-42bb-a95e-4f4402de0b811"));
    assert_false(feed_uuid_valid("5a3c2fcd+8328-42bb-a95e-4f4402de0b81"));
    assert_false(feed_uuid_valid("../../etc/passwd"));
    assert_false(feed_uuid_valid("5a3c2fcd-8328-42bb-a95e-4f4402de0b8/"));
    assert_false(feed_uuid_valid(NULL));
}

static void test_columns(void **state)
{
    (void)state;
    struct yj_error e = {0};
    assert_int_equal(feed_columns_check(FEED_STIX, NULL, "columns", &e), YJ_OK);
    assert_int_equal(feed_columns_check(FEED_CSV, NULL, "columns", &e), YJ_OK);
    assert_int_equal(feed_columns_check(FEED_CSV, "value,type,category", "columns", &e), YJ_OK);
    assert_int_equal(feed_columns_check(FEED_STIX, "value", "columns", &e), YJ_EINVAL);
    assert_string_equal(e.field, "columns");
    assert_string_equal(e.msg, "only for format csv");
    assert_int_equal(feed_columns_check(FEED_CSV, "type,category", "columns", &e), YJ_EINVAL);
    assert_string_equal(e.field, "columns");
    assert_int_equal(feed_columns_check(FEED_CSV, "", "columns", &e), YJ_EINVAL);
    assert_int_equal(feed_columns_check(FEED_CSV, "value\ntype", "columns", &e), YJ_EINVAL);
    assert_string_equal(e.field, "columns");
}

static void test_defaults(void **state)
{
    (void)state;
    struct yj_error e = {0};
    struct feed_defaults d;
    struct intel_indicator ind;
    feed_defaults_init(&d);
    assert_int_equal(feed_defaults_check(&d, &e), YJ_OK);
    feed_template(&d, 1000, &ind);
    /* No defaults: the importers' own. */
    assert_int_equal(ind.tlp, INTEL_TLP_AMBER);
    assert_int_equal(ind.confidence, 50);
    assert_int_equal(ind.category, INTEL_CAT_OTHER);
    assert_int_equal(ind.valid_until, 0);
    d = (struct feed_defaults){.has_category = true,
                               .category = INTEL_CAT_BOTNET,
                               .has_tlp = true,
                               .tlp = INTEL_TLP_GREEN,
                               .confidence = 80,
                               .valid_days = 30};
    assert_int_equal(feed_defaults_check(&d, &e), YJ_OK);
    feed_template(&d, 1000, &ind);
    assert_int_equal(ind.tlp, INTEL_TLP_GREEN);
    assert_int_equal(ind.confidence, 80);
    assert_int_equal(ind.category, INTEL_CAT_BOTNET);
    assert_int_equal(ind.valid_until, 1000 + INT64_C(30) * 24 * 3600 * 1000);
    assert_int_equal(ind.sightings, 1);
    d.confidence = 101;
    assert_int_equal(feed_defaults_check(&d, &e), YJ_EINVAL);
    assert_string_equal(e.field, "defaults.confidence");
    d.confidence = 0;
    d.valid_days = FEED_VALID_DAYS_MAX + 1;
    assert_int_equal(feed_defaults_check(&d, &e), YJ_EINVAL);
    assert_string_equal(e.field, "defaults.valid_days");
}

static void test_interval(void **state)
{
    (void)state;
    struct yj_error e = {0};
    assert_int_equal(feed_interval_check(FEED_INTERVAL_MIN, "interval_minutes", &e), YJ_OK);
    assert_int_equal(feed_interval_check(FEED_INTERVAL_MAX, "interval_minutes", &e), YJ_OK);
    assert_int_equal(feed_interval_check(FEED_INTERVAL_MIN - 1, "interval_minutes", &e), YJ_EINVAL);
    assert_string_equal(e.field, "interval_minutes");
    assert_int_equal(feed_interval_check(FEED_INTERVAL_MAX + 1, "interval_minutes", &e), YJ_EINVAL);
}

static void test_schedule(void **state)
{
    (void)state;
    const int64_t m = 60000, t0 = INT64_C(1780272000000);
    /* No schedule yet: one interval from now. */
    assert_int_equal(feed_next_run(0, 60, t0), t0 + 60 * m);
    /* Still ahead (a run by hand): unchanged. */
    assert_int_equal(feed_next_run(t0 + 10 * m, 60, t0), t0 + 10 * m);
    /* Due now or a little late: the next slot of the grid. */
    assert_int_equal(feed_next_run(t0, 60, t0), t0 + 60 * m);
    assert_int_equal(feed_next_run(t0, 60, t0 + 5 * m), t0 + 60 * m);
    /* Missed runs (the server was down for 3.5 intervals) are not made up one by one. */
    assert_int_equal(feed_next_run(t0, 60, t0 + 210 * m), t0 + 240 * m);
    assert_int_equal(feed_next_run(t0, 5, t0 + 5 * m), t0 + 10 * m);
    /* A nonsense interval falls back to the default rather than looping. */
    assert_int_equal(feed_next_run(0, 0, t0), t0 + FEED_INTERVAL_DEFAULT * m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formats),  cmocka_unit_test(test_sources),
        cmocka_unit_test(test_redact),   cmocka_unit_test(test_misp_paths),
        cmocka_unit_test(test_columns),  cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_interval), cmocka_unit_test(test_schedule),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
