/*
 * test_static.c - the web UI's files held in memory: loading a directory tree
 * (hidden files skipped), lookups by URL path with "/" meaning index.html,
 * content types by extension, and refusals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/yj.h"
#include "http/http_int.h"

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void put(const char *dir, const char *name, const char *text, size_t len)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
}

static void test_load_and_find(void **state)
{
    (void)state;
    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/yj-ut-static-XXXXXX");
    assert_non_null(mkdtemp(dir));
    char sub[128];
    snprintf(sub, sizeof sub, "%s/vendor", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    put(dir, "index.html", "<p>hi</p>", 9);
    put(dir, "app.js", "x", 1);
    put(dir, "style.css", "a{}", 3);
    put(dir, "openapi.yaml", "openapi: 3.1.0\n", 15);
    put(dir, "logo.svg", "<svg/>", 6);
    put(dir, "data.bin", "\0\1\2", 3);
    put(dir, "empty.txt", "", 0);
    put(dir, ".stamp", "hidden", 6);
    put(sub, "lib.mjs", "export{}", 8);

    struct http_static *s = NULL;
    struct yj_error e;
    assert_int_equal(http_static_load(dir, &s, &e), YJ_OK);
    size_t len = 0;
    const char *type = NULL;
    const char *data = http_static_find(s, "/", &len, &type);
    assert_non_null(data);
    assert_int_equal(len, 9);
    assert_memory_equal(data, "<p>hi</p>", 9);
    assert_string_equal(type, "text/html; charset=utf-8");
    assert_ptr_equal(http_static_find(s, "/index.html", &len, &type), data);

    static const struct {
        const char *url, *type;
        size_t len;
    } want[] = {
        {"/app.js", "text/javascript; charset=utf-8", 1},
        {"/style.css", "text/css; charset=utf-8", 3},
        {"/openapi.yaml", "application/yaml; charset=utf-8", 15},
        {"/logo.svg", "image/svg+xml", 6},
        {"/data.bin", "application/octet-stream", 3},
        {"/empty.txt", "text/plain; charset=utf-8", 0},
        {"/vendor/lib.mjs", "text/javascript; charset=utf-8", 8},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(want); i++) {
        len = 99;
        type = NULL;
        data = http_static_find(s, want[i].url, &len, &type);
        if (!data)
            fail_msg("%s not found", want[i].url);
        assert_int_equal(len, want[i].len);
        assert_string_equal(type, want[i].type);
    }
    assert_memory_equal(http_static_find(s, "/data.bin", &len, &type), "\0\1\2", 3);
    /* Not served: hidden files, directories, other spellings. */
    const char *missing[] = {"/.stamp",     "/vendor",    "/vendor/", "/lib.mjs",
                             "/INDEX.HTML", "index.html", "",         "/app.js/"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(missing); i++)
        if (http_static_find(s, missing[i], &len, &type))
            fail_msg("\"%s\" was found", missing[i]);
    http_static_free(s);
    http_static_free(NULL);
    /* No table: nothing found. */
    assert_null(http_static_find(NULL, "/", &len, &type));
    nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static void test_load_missing(void **state)
{
    (void)state;
    struct http_static *s = NULL;
    struct yj_error e;
    assert_int_equal(http_static_load("/nonexistent/yj-web", &s, &e), YJ_EIO);
    assert_string_equal(e.field, "web");
    assert_null(s);
}

static void test_load_empty_dir(void **state)
{
    (void)state;
    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/yj-ut-static-XXXXXX");
    assert_non_null(mkdtemp(dir));
    struct http_static *s = NULL;
    struct yj_error e;
    assert_int_equal(http_static_load(dir, &s, &e), YJ_OK);
    size_t len;
    const char *type;
    assert_null(http_static_find(s, "/", &len, &type));
    http_static_free(s);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_and_find),
        cmocka_unit_test(test_load_missing),
        cmocka_unit_test(test_load_empty_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
