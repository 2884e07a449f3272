/*
 * throttle.c - failed-login counting per source address. A fixed table in
 * memory: an attacker cycling addresses can evict entries, but cannot make the
 * table grow, and per-account lockout still holds.
 */
#include <pthread.h>

#include "auth/auth.h"
#include "core/yj.h"

enum { THROTTLE_SLOTS = 4096, THROTTLE_IP_MAX = 46 };

struct throttle_slot {
    char ip[THROTTLE_IP_MAX];
    int64_t window_start;
    int failures;
};

struct auth_throttle {
    pthread_mutex_t lock;
    int max_failures;
    int64_t window_ms;
    struct throttle_slot slots[THROTTLE_SLOTS];
};

struct auth_throttle *auth_throttle_new(int max_failures, int64_t window_ms)
{
    struct auth_throttle *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    pthread_mutex_init(&t->lock, NULL);
    t->max_failures = max_failures;
    t->window_ms = window_ms;
    return t;
}

void auth_throttle_free(struct auth_throttle *t)
{
    if (!t)
        return;
    pthread_mutex_destroy(&t->lock);
    free(t);
}

static size_t ip_hash(const char *ip)
{
    size_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)ip; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h % THROTTLE_SLOTS;
}

/* The slot for ip, or NULL when its slot holds another address. */
static struct throttle_slot *find(struct auth_throttle *t, const char *ip)
{
    struct throttle_slot *s = &t->slots[ip_hash(ip)];
    return strcmp(s->ip, ip) == 0 ? s : NULL;
}

int64_t auth_throttle_wait(struct auth_throttle *t, const char *ip, int64_t now)
{
    if (!t || !ip)
        return 0;
    pthread_mutex_lock(&t->lock);
    int64_t wait = 0;
    struct throttle_slot *s = find(t, ip);
    if (s && s->failures >= t->max_failures && now < s->window_start + t->window_ms)
        wait = s->window_start + t->window_ms - now;
    pthread_mutex_unlock(&t->lock);
    return wait;
}

void auth_throttle_fail(struct auth_throttle *t, const char *ip, int64_t now)
{
    if (!t || !ip)
        return;
    pthread_mutex_lock(&t->lock);
    struct throttle_slot *s = &t->slots[ip_hash(ip)];
    if (strcmp(s->ip, ip) != 0 || now >= s->window_start + t->window_ms) {
        snprintf(s->ip, sizeof s->ip, "%s", ip);
        s->window_start = now;
        s->failures = 0;
    }
    s->failures++;
    pthread_mutex_unlock(&t->lock);
}
