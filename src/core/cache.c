/*
 * cache.c - direct-mapped slots behind striped locks.
 */
#include "core/cache.h"

#include <pthread.h>

#include "core/yj.h"

enum { CACHE_STRIPES = 64 };

struct cache_slot {
    uint32_t kind;
    int64_t id, version;
    char *data; /* NULL when empty */
    size_t len;
};

/* One lock per cache line, so threads on different stripes do not share one. */
struct cache_stripe {
    pthread_mutex_t lock;
    char pad[64 - sizeof(pthread_mutex_t) % 64];
};

struct yj_cache {
    struct cache_slot *slots;
    size_t mask;
    size_t max_bytes;
    struct cache_stripe stripes[CACHE_STRIPES];
    struct yj_cache_stats stats;
};

struct yj_cache *yj_cache_new(size_t slots, size_t max_bytes)
{
    size_t n = 1;
    while (n < slots && n < ((size_t)1 << 30))
        n <<= 1;
    struct yj_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->slots = calloc(n, sizeof *c->slots);
    if (!c->slots) {
        free(c);
        return NULL;
    }
    c->mask = n - 1;
    c->max_bytes = max_bytes;
    for (int i = 0; i < CACHE_STRIPES; i++)
        pthread_mutex_init(&c->stripes[i].lock, NULL);
    return c;
}

void yj_cache_free(struct yj_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i <= c->mask; i++)
        free(c->slots[i].data);
    for (int i = 0; i < CACHE_STRIPES; i++)
        pthread_mutex_destroy(&c->stripes[i].lock);
    free(c->slots);
    free(c);
}

/* Objects' ids are dense, so (id, kind) maps to consecutive slots: no two objects
 * collide until ids pass slots/KINDS, and a page of consecutive ids reads
 * neighbouring memory. Kinds are small numbers (< CACHE_KINDS). */
enum { CACHE_KINDS = 4 };

static size_t slot_of(const struct yj_cache *c, uint32_t kind, int64_t id)
{
    return ((size_t)id * CACHE_KINDS + (kind % CACHE_KINDS)) & c->mask;
}

/* Counters are atomics, not under a lock: every hit counts, and a list page is
 * fifty of them. */
static void count(uint64_t *field, size_t *bytes, ptrdiff_t delta, size_t *entries, int de)
{
    if (field)
        __atomic_fetch_add(field, 1, __ATOMIC_RELAXED);
    if (delta)
        __atomic_fetch_add(bytes, (size_t)delta, __ATOMIC_RELAXED);
    if (de)
        __atomic_fetch_add(entries, (size_t)(ptrdiff_t)de, __ATOMIC_RELAXED);
}

int yj_cache_get(struct yj_cache *c, uint32_t kind, int64_t id, int64_t version, struct yj_buf *out)
{
    if (!c)
        return 0;
    size_t i = slot_of(c, kind, id);
    pthread_mutex_t *m = &c->stripes[(i / 8) % CACHE_STRIPES].lock;
    int hit = 0;
    pthread_mutex_lock(m);
    struct cache_slot *s = &c->slots[i];
    if (s->data && s->kind == kind && s->id == id && s->version == version)
        hit = yj_buf_append(out, s->data, s->len) == YJ_OK;
    pthread_mutex_unlock(m);
    count(hit ? &c->stats.hits : &c->stats.misses, NULL, 0, NULL, 0);
    return hit;
}

void yj_cache_put(struct yj_cache *c, uint32_t kind, int64_t id, int64_t version, const char *data,
                  size_t len)
{
    if (!c)
        return;
    bool over = __atomic_load_n(&c->stats.bytes, __ATOMIC_RELAXED) + len > c->max_bytes;
    size_t i = slot_of(c, kind, id);
    pthread_mutex_t *m = &c->stripes[(i / 8) % CACHE_STRIPES].lock;
    pthread_mutex_lock(m);
    struct cache_slot *s = &c->slots[i];
    size_t freed = s->data ? s->len : 0;
    /* Over budget, a put may still replace an entry at least as large. */
    if (over && len > freed) {
        pthread_mutex_unlock(m);
        count(&c->stats.rejected, NULL, 0, NULL, 0);
        return;
    }
    char *copy = malloc(len ? len : 1);
    if (!copy) {
        pthread_mutex_unlock(m);
        return;
    }
    memcpy(copy, data, len);
    int had = s->data != NULL;
    free(s->data);
    *s = (struct cache_slot){kind, id, version, copy, len};
    pthread_mutex_unlock(m);
    count(&c->stats.puts, &c->stats.bytes, (ptrdiff_t)len - (ptrdiff_t)freed, &c->stats.entries,
          had ? 0 : 1);
}

void yj_cache_stats(struct yj_cache *c, struct yj_cache_stats *out)
{
    memset(out, 0, sizeof *out);
    if (!c)
        return;
    out->hits = __atomic_load_n(&c->stats.hits, __ATOMIC_RELAXED);
    out->misses = __atomic_load_n(&c->stats.misses, __ATOMIC_RELAXED);
    out->puts = __atomic_load_n(&c->stats.puts, __ATOMIC_RELAXED);
    out->rejected = __atomic_load_n(&c->stats.rejected, __ATOMIC_RELAXED);
    out->bytes = __atomic_load_n(&c->stats.bytes, __ATOMIC_RELAXED);
    out->entries = __atomic_load_n(&c->stats.entries, __ATOMIC_RELAXED);
}
