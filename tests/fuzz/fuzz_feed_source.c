/*
 * fuzz_feed_source.c - a feed's source as the API takes it (feed_source_parse): a
 * refusal is YJ_EINVAL naming "source"; a file source gives an absolute path with
 * no "." or ".." segment and no control byte; an http(s) source stays accepted once
 * redacted, and its redaction keeps no byte of the user:password it had.
 */
#include "core/yj.h"
#include "fuzz.h"
#include "intel/feed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_strndup(data, size);
    struct yj_arena a;
    yj_arena_init(&a, 0);
    struct yj_error err;
    enum feed_scheme scheme;
    const char *path = NULL;
    enum yj_err rc = feed_source_parse(s, "source", &a, &scheme, &path, &err);
    if (rc != YJ_OK) {
        FUZZ_CHECK(rc == YJ_EINVAL && strcmp(err.field, "source") == 0 && err.msg[0]);
    } else if (scheme == FEED_FILE) {
        FUZZ_CHECK(path && path[0] == '/' && path[strlen(path) - 1] != '/');
        FUZZ_CHECK(!strstr(path, "/../") && !strstr(path, "/./"));
        size_t n = strlen(path);
        FUZZ_CHECK(!(n >= 3 && !strcmp(path + n - 3, "/..")) &&
                   !(n >= 2 && !strcmp(path + n - 2, "/.")));
        for (const char *c = path; *c; c++)
            FUZZ_CHECK((unsigned char)*c >= 0x20 && *c != 0x7f);
    } else {
        FUZZ_CHECK(path == NULL);
        const char *shown = feed_source_redact(s, &a);
        FUZZ_CHECK(shown != NULL);
        enum feed_scheme again;
        FUZZ_CHECK(feed_source_parse(shown, "source", &a, &again, NULL, &err) == YJ_OK);
        FUZZ_CHECK(again == FEED_HTTP);
        /* The userinfo, when there was one, is gone whole. */
        const char *rest = strstr(s, "://") + 3;
        size_t auth = strcspn(rest, "/?#");
        const char *at = NULL;
        for (size_t i = 0; i < auth; i++)
            if (rest[i] == '@')
                at = rest + i;
        if (at && at > rest)
            FUZZ_CHECK(strstr(shown, "://***@") != NULL);
        FUZZ_CHECK(strlen(shown) <= strlen(s) + 6);
    }
    yj_arena_release(&a);
    free(s);
    return 0;
}
