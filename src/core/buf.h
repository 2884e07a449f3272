/*
 * buf.h - bounded growable byte buffers and non-owning slices.
 *
 * A struct yj_buf owns its bytes (freed with yj_buf_release), is always
 * NUL-terminated once anything was appended, and refuses to grow past its hard
 * maximum: whatever fills a buffer from the network cannot exhaust memory.
 */
#ifndef YJ_CORE_BUF_H
#define YJ_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "core/err.h"

struct yj_buf {
    char *ptr;  /* NULL until the first append; then NUL-terminated */
    size_t len; /* bytes used, excluding the terminating NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* hard limit on len; an append past it fails with YJ_ETOOBIG */
};

/* A view into bytes owned by somebody else; not NUL-terminated. */
struct yj_slice {
    const char *ptr;
    size_t len;
};

/* Sets up an empty buffer on caller memory that may hold up to max bytes. */
void yj_buf_init(struct yj_buf *b, size_t max);

/* Frees the bytes and leaves the buffer empty (it may be used again). */
void yj_buf_release(struct yj_buf *b);

/* Empties the buffer but keeps its allocation. */
void yj_buf_reset(struct yj_buf *b);

/* Makes room for n more bytes (so later appends need no copying). YJ_ETOOBIG, YJ_ENOMEM. */
enum yj_err yj_buf_reserve(struct yj_buf *b, size_t n);

/* Appends n bytes. YJ_ETOOBIG past max (buffer unchanged), YJ_ENOMEM. */
enum yj_err yj_buf_append(struct yj_buf *b, const void *data, size_t n);

/* Appends a NUL-terminated string. */
enum yj_err yj_buf_puts(struct yj_buf *b, const char *s);

/* Appends printf-formatted text. */
enum yj_err yj_buf_printf(struct yj_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
enum yj_err yj_buf_vprintf(struct yj_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/*
 * Hands the bytes to the caller, who frees them with free(); the buffer is left
 * empty. Returns an allocated "" for an empty buffer, NULL only on ENOMEM.
 */
char *yj_buf_detach(struct yj_buf *b, size_t *len);

/* A slice over a NUL-terminated string (NULL gives an empty slice). */
struct yj_slice yj_slice_from(const char *s);

/* 1 when the slice's bytes equal the NUL-terminated string s. */
int yj_slice_eq(struct yj_slice s, const char *z);

#endif
