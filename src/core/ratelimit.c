/*
 * ratelimit.c - GCRA token buckets in a fixed set-associative table; see
 * ratelimit.h for the contract.
 */
#include "core/ratelimit.h"

#include <pthread.h>

#include "core/yj.h"

enum { WAYS = 8 };

struct slot {
    uint64_t hash;
    int64_t tat; /* the bucket is full at tat and after; each token taken adds an interval */
    char key[YJ_RATELIMIT_KEY_MAX + 1];
    bool used;
};

struct yj_ratelimit {
    pthread_mutex_t lock;
    struct slot *slots;
    size_t sets; /* a power of two */
    size_t keys;
    int64_t burst, interval;
};

struct yj_ratelimit *yj_ratelimit_new(size_t max_keys, int burst, int64_t interval_ms)
{
    static const int64_t year_ms = INT64_C(366) * 24 * 3600 * 1000;
    if (burst < 1 || interval_ms < 1 || interval_ms > year_ms / burst || max_keys > (1u << 24))
        return NULL;
    size_t sets = 1;
    while (sets * WAYS < max_keys)
        sets <<= 1;
    struct yj_ratelimit *rl = calloc(1, sizeof *rl);
    if (!rl)
        return NULL;
    rl->slots = calloc(sets * WAYS, sizeof *rl->slots);
    if (!rl->slots) {
        free(rl);
        return NULL;
    }
    pthread_mutex_init(&rl->lock, NULL);
    rl->sets = sets;
    rl->burst = burst;
    rl->interval = interval_ms;
    return rl;
}

void yj_ratelimit_free(struct yj_ratelimit *rl)
{
    if (!rl)
        return;
    pthread_mutex_destroy(&rl->lock);
    free(rl->slots);
    free(rl);
}

/* FNV-1a: keys are short and chosen by clients, but a collision only shares a set
 * (keys are compared in full), so a fast hash is enough. */
static uint64_t hash_key(const char *key, size_t n)
{
    uint64_t h = UINT64_C(1469598103934665603);
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)key[i];
        h *= UINT64_C(1099511628211);
    }
    return h;
}

/* The slot for key in its set: its own, an empty one, or the one with the most
 * tokens left (smallest tat), which is then reset for key. */
static struct slot *find_slot(struct yj_ratelimit *rl, const char *key, size_t n, uint64_t h,
                              int64_t now)
{
    struct slot *set = &rl->slots[(h & (rl->sets - 1)) * WAYS];
    struct slot *victim = NULL;
    for (int i = 0; i < WAYS; i++) {
        struct slot *s = &set[i];
        if (s->used && s->hash == h && strncmp(s->key, key, n) == 0 && s->key[n] == '\0')
            return s;
        if (!s->used) {
            if (!victim || victim->used)
                victim = s;
        } else if (!victim || (victim->used && s->tat < victim->tat)) {
            victim = s;
        }
    }
    if (!victim->used)
        rl->keys++;
    victim->used = true;
    victim->hash = h;
    victim->tat = now; /* a full bucket */
    memcpy(victim->key, key, n);
    victim->key[n] = '\0';
    return victim;
}

int64_t yj_ratelimit_take(struct yj_ratelimit *rl, const char *key, int64_t now_ms)
{
    if (!key)
        key = "";
    size_t n = strnlen(key, YJ_RATELIMIT_KEY_MAX);
    uint64_t h = hash_key(key, n);
    pthread_mutex_lock(&rl->lock);
    struct slot *s = find_slot(rl, key, n, h, now_ms);
    int64_t tat = s->tat > now_ms ? s->tat : now_ms;
    /* Taking is allowed while the debt (tat - now) leaves room for one more token. */
    int64_t allow_at = tat - (rl->burst - 1) * rl->interval;
    int64_t wait = 0;
    if (now_ms < allow_at)
        wait = allow_at - now_ms;
    else
        s->tat = tat + rl->interval;
    pthread_mutex_unlock(&rl->lock);
    return wait;
}

size_t yj_ratelimit_keys(struct yj_ratelimit *rl)
{
    pthread_mutex_lock(&rl->lock);
    size_t n = rl->keys;
    pthread_mutex_unlock(&rl->lock);
    return n;
}
