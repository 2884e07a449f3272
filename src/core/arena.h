/*
 * arena.h - a bump allocator freed all at once.
 *
 * Request handlers and store reads allocate from an arena that is released with
 * the response, so nothing decoded from a request needs freeing piecemeal.
 * Pointers returned by yj_arena_* are owned by the arena and valid until
 * yj_arena_release(). Not thread-safe: one arena per request.
 */
#ifndef YJ_CORE_ARENA_H
#define YJ_CORE_ARENA_H

#include <stddef.h>

struct yj_arena_chunk;

struct yj_arena {
    struct yj_arena_chunk *head;
    size_t total; /* bytes handed out so far, for the limit */
    size_t limit; /* 0 for none; past it allocations fail */
};

/* An empty arena; limit 0 means unlimited. */
void yj_arena_init(struct yj_arena *a, size_t limit);

/* Frees every allocation; the arena may be used again. */
void yj_arena_release(struct yj_arena *a);

/* n bytes aligned for any type, or NULL (out of memory, over the limit, n == 0 gives a valid
 * pointer). */
void *yj_arena_alloc(struct yj_arena *a, size_t n);

/* Zeroed array of count elements of size bytes, overflow-checked, or NULL. */
void *yj_arena_calloc(struct yj_arena *a, size_t count, size_t size);

/* A NUL-terminated copy of s (NULL gives NULL). */
char *yj_arena_strdup(struct yj_arena *a, const char *s);

/* A NUL-terminated copy of n bytes. */
char *yj_arena_strndup(struct yj_arena *a, const char *s, size_t n);

/* printf into the arena. */
char *yj_arena_printf(struct yj_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
