/*
 * cache.h - a bounded, thread-safe cache of immutable renderings.
 *
 * An entry is keyed by (kind, id, version), kind < 4, and holds bytes, e.g. the JSON of a
 * unit at version 7. Because every write to an object bumps its version, an
 * entry can never be stale: a reader asks for the version it just read from the
 * store and either gets exactly that rendering or a miss. The cache is
 * direct-mapped (each (kind, id) has one slot, a newer version replaces an
 * older one) and bounded by total bytes: a put that would pass the budget is
 * simply not kept.
 */
#ifndef YJ_CORE_CACHE_H
#define YJ_CORE_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

struct yj_cache;

/* A cache of up to max_bytes of values in `slots` slots (rounded up to a power of two). */
struct yj_cache *yj_cache_new(size_t slots, size_t max_bytes);
void yj_cache_free(struct yj_cache *c);

/* Appends the value for (kind, id, version) to out and returns 1, or returns 0 on a
 * miss (or when out cannot take it). */
int yj_cache_get(struct yj_cache *c, uint32_t kind, int64_t id, int64_t version,
                 struct yj_buf *out);

/* Stores a copy of len bytes for (kind, id, version), replacing the slot's entry. */
void yj_cache_put(struct yj_cache *c, uint32_t kind, int64_t id, int64_t version, const char *data,
                  size_t len);

/* Counters for /metrics and tests. */
struct yj_cache_stats {
    uint64_t hits, misses, puts, rejected;
    size_t bytes, entries;
};
void yj_cache_stats(struct yj_cache *c, struct yj_cache_stats *out);

#endif
