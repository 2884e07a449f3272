/*
 * buf.c - bounded buffers.
 */
#include "core/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void yj_buf_init(struct yj_buf *b, size_t max)
{
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void yj_buf_release(struct yj_buf *b)
{
    free(b->ptr);
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
}

void yj_buf_reset(struct yj_buf *b)
{
    b->len = 0;
    if (b->ptr)
        b->ptr[0] = '\0';
}

/* Makes room for n more bytes plus the NUL. */
static enum yj_err buf_reserve(struct yj_buf *b, size_t n)
{
    if (n > b->max - b->len || n > b->max)
        return YJ_ETOOBIG;
    if (b->len + n == SIZE_MAX) /* no room for the NUL */
        return YJ_ENOMEM;
    size_t need = b->len + n + 1;
    if (need <= b->cap)
        return YJ_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) {
        if (cap > SIZE_MAX / 2) {
            cap = need;
            break;
        }
        cap *= 2;
    }
    char *p = realloc(b->ptr, cap);
    if (!p)
        return YJ_ENOMEM;
    b->ptr = p;
    b->cap = cap;
    return YJ_OK;
}

enum yj_err yj_buf_reserve(struct yj_buf *b, size_t n)
{
    enum yj_err rc = buf_reserve(b, n);
    if (!rc && b->ptr)
        b->ptr[b->len] = '\0';
    return rc;
}

enum yj_err yj_buf_append(struct yj_buf *b, const void *data, size_t n)
{
    enum yj_err rc = buf_reserve(b, n);
    if (rc)
        return rc;
    if (n)
        memcpy(b->ptr + b->len, data, n);
    b->len += n;
    b->ptr[b->len] = '\0';
    return YJ_OK;
}

enum yj_err yj_buf_puts(struct yj_buf *b, const char *s)
{
    return yj_buf_append(b, s, strlen(s));
}

enum yj_err yj_buf_vprintf(struct yj_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return YJ_EINVAL;
    enum yj_err rc = buf_reserve(b, (size_t)n);
    if (rc)
        return rc;
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return YJ_OK;
}

enum yj_err yj_buf_printf(struct yj_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    enum yj_err rc = yj_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

char *yj_buf_detach(struct yj_buf *b, size_t *len)
{
    char *p = b->ptr;
    size_t n = b->len;
    if (!p) {
        p = calloc(1, 1);
        n = 0;
    }
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
    if (len)
        *len = n;
    return p;
}

struct yj_slice yj_slice_from(const char *s)
{
    struct yj_slice sl = {s ? s : "", s ? strlen(s) : 0};
    return sl;
}

int yj_slice_eq(struct yj_slice s, const char *z)
{
    size_t n = strlen(z);
    return s.len == n && memcmp(s.ptr, z, n) == 0;
}
