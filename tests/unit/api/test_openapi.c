/*
 * test_openapi.c - docs/openapi.yaml describes exactly the routes the server
 * serves: a served route missing from the document, or a documented one that is
 * not served, fails here. The document's layout is fixed for this purpose: a
 * path is a line with two spaces of indent under `paths:`, an operation a line
 * with four spaces and a lower-case method.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "api/api.h"
#include "core/yj.h"

enum { MAX_OPS = 256 };

struct op {
    char method[8];
    char path[512];
};

static size_t read_ops(const char *file, struct op *ops)
{
    FILE *f = fopen(file, "r");
    assert_non_null(f);
    char line[512], path[512] = "";
    bool in_paths = false;
    size_t n = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!isspace((unsigned char)line[0]) && line[0]) {
            in_paths = strcmp(line, "paths:") == 0;
            continue;
        }
        if (!in_paths)
            continue;
        if (line[0] == ' ' && line[1] == ' ' && line[2] == '/') {
            char *colon = strrchr(line, ':');
            assert_non_null(colon);
            *colon = '\0';
            snprintf(path, sizeof path, "%s", line + 2);
            continue;
        }
        static const char *const methods[] = {"get", "put", "post", "delete", "patch", "head"};
        for (size_t i = 0; i < YJ_ARRAY_LEN(methods); i++) {
            char want[16];
            snprintf(want, sizeof want, "    %s:", methods[i]);
            if (strcmp(line, want) == 0) {
                assert_true(n < MAX_OPS);
                for (size_t k = 0; methods[i][k] && k < sizeof ops[n].method - 1; k++)
                    ops[n].method[k] = (char)toupper((unsigned char)methods[i][k]);
                snprintf(ops[n].path, sizeof ops[n].path, "%s", path);
                n++;
            }
        }
    }
    fclose(f);
    return n;
}

static void test_routes_match_document(void **state)
{
    (void)state;
    const char *src = getenv("YINGJI_SRC");
    assert_non_null(src);
    char file[4096];
    snprintf(file, sizeof file, "%s/docs/openapi.yaml", src);
    static struct op ops[MAX_OPS];
    size_t n = read_ops(file, ops);
    assert_true(n > 0);
    int missing = 0;
    for (size_t r = 0; r < api_routes_count; r++) {
        bool found = false;
        for (size_t i = 0; i < n && !found; i++)
            found = strcmp(ops[i].method, api_routes[r].method) == 0 &&
                    strcmp(ops[i].path, api_routes[r].pattern) == 0;
        if (!found) {
            fprintf(stderr, "served but not documented: %s %s\n", api_routes[r].method,
                    api_routes[r].pattern);
            missing++;
        }
    }
    for (size_t i = 0; i < n; i++) {
        bool found = false;
        for (size_t r = 0; r < api_routes_count && !found; r++)
            found = strcmp(ops[i].method, api_routes[r].method) == 0 &&
                    strcmp(ops[i].path, api_routes[r].pattern) == 0;
        if (!found) {
            fprintf(stderr, "documented but not served: %s %s\n", ops[i].method, ops[i].path);
            missing++;
        }
    }
    assert_int_equal(missing, 0);
    assert_int_equal(n, api_routes_count);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_routes_match_document),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
