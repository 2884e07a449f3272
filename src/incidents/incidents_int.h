/*
 * incidents_int.h - what incidents.c, dispatch.c and work.c share and nothing
 * outside the module sees.
 */
#ifndef YJ_INCIDENTS_INCIDENTS_INT_H
#define YJ_INCIDENTS_INCIDENTS_INT_H

#include <stddef.h>

/* A code and its Chinese name: the shape of every small vocabulary here. */
struct inc_vocab {
    const char *code, *zh;
};

/* The index of code in v[0..n), or -1 (also for NULL). */
int inc_vocab_find(const struct inc_vocab *v, size_t n, const char *code);

/* v[i]'s code, or "unknown"; its Chinese name, or 未知 (i outside 0..n). */
const char *inc_vocab_code(const struct inc_vocab *v, size_t n, int i);
const char *inc_vocab_zh(const struct inc_vocab *v, size_t n, int i);

#endif
