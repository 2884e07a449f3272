/*
 * ratelimit.h - a per-key token-bucket rate limiter with bounded memory.
 *
 * Each key (a client address, say) has a bucket of `burst` tokens that refills
 * at one token every `interval_ms`; a request takes one token, or is refused
 * with the time until the next token. The bucket is kept as a single instant
 * per key (the "theoretical arrival time" of GCRA, which behaves exactly like
 * a token bucket), so a key costs one fixed-size slot and no timer.
 *
 * Memory is fixed when the limiter is made: keys live in a set-associative
 * table of max_keys slots (8 per set). When a new key finds its set full, it
 * takes the slot of the entry with the most tokens left: an idle entry (a full
 * bucket) forgets nothing, and only if every entry in the set is in debt does
 * one of them start afresh. So size max_keys well above the number of clients
 * that may be throttled at once.
 *
 * Time is whatever the caller passes (ms from an injected clock); the limiter
 * never reads a clock, so tests are deterministic. A clock stepped backwards
 * only lengthens waits. Thread-safe: one mutex, each call O(8).
 */
#ifndef YJ_CORE_RATELIMIT_H
#define YJ_CORE_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

struct yj_ratelimit;

enum {
    YJ_RATELIMIT_KEY_MAX = 63, /* longer keys are cut: keys sharing these bytes share a bucket */
};

/*
 * A limiter of at most max_keys keys (rounded up to a multiple of 8, at least 8),
 * each allowed burst requests at once and one more every interval_ms. NULL when a
 * parameter is out of range (burst < 1, interval_ms < 1, burst * interval_ms over
 * a year, max_keys over 2^24) or memory is short. Owned by the caller; free with
 * yj_ratelimit_free.
 */
struct yj_ratelimit *yj_ratelimit_new(size_t max_keys, int burst, int64_t interval_ms);

/* Frees the limiter. NULL is a no-op. */
void yj_ratelimit_free(struct yj_ratelimit *rl);

/*
 * Takes a token for key at now_ms. Returns 0 when the request may proceed, else
 * the milliseconds until it may (nothing is taken then). key is copied (up to
 * YJ_RATELIMIT_KEY_MAX bytes); NULL counts as "".
 */
int64_t yj_ratelimit_take(struct yj_ratelimit *rl, const char *key, int64_t now_ms);

/* How many keys are tracked now (never more than the table's slots). */
size_t yj_ratelimit_keys(struct yj_ratelimit *rl);

#endif
