/*
 * fuzz.h - what every fuzz target shares: the libFuzzer entry point's
 * prototype (the project builds with -Wmissing-prototypes), a check that stays
 * on in release builds, and a NUL-terminated copy of the input.
 */
#ifndef YJ_TESTS_FUZZ_FUZZ_H
#define YJ_TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Called once per input by libFuzzer or by replay_main.c; always returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * A property the code under test must keep. Unlike assert() it survives
 * NDEBUG, and it aborts, which libFuzzer and the replay both treat as a crash.
 */
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            fuzz_fail(#cond, __FILE__, __LINE__);                                                  \
    } while (0)

__attribute__((noreturn)) static inline void fuzz_fail(const char *what, const char *file, int line)
{
    fprintf(stderr, "%s:%d: fuzz check failed: %s\n", file, line, what);
    abort();
}

/* A malloc'd NUL-terminated copy of n bytes (which may themselves hold NULs); the caller frees.
 * Aborts on allocation failure: the fuzzer caps memory, so that is a finding, not noise. */
static inline char *fuzz_strndup(const uint8_t *data, size_t n)
{
    char *s = malloc(n + 1);
    if (!s)
        fuzz_fail("malloc", __FILE__, __LINE__);
    if (n)
        memcpy(s, data, n);
    s[n] = '\0';
    return s;
}

#endif
