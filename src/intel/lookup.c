/*
 * lookup.c - the in-memory indicator lookup: sorted key arrays for IPv4 and IPv6
 * addresses, CIDRs grouped by prefix length (one binary search per length that
 * has ranges, longest first), and an open-addressing table of 64-bit hashes over
 * a string pool for every other type.
 */
#include "intel/lookup.h"

#include <arpa/inet.h>
#include <stdatomic.h>

#include "core/yj.h"

/* What a hit needs besides the key: kept apart from the keys so that the binary
 * searches walk dense 4- or 16-byte arrays. */
struct payload {
    int64_t id;
    int64_t until;
};

struct k6 {
    uint64_t hi, lo;
};

/* Rows as added, sorted and split into keys and payloads by intel_lookup_finish. */
struct row4 {
    uint32_t key;
    int len;
    struct payload p;
};

struct row6 {
    struct k6 key;
    int len;
    struct payload p;
};

struct str_ent {
    int64_t id, until;
    size_t off;    /* in pool, NUL-terminated */
    uint32_t len;  /* bytes */
    uint32_t next; /* 1 + the next entry with the same type and value; 0: none */
    uint8_t type;
    bool subdomains;
};

/* A hit's slot_: the table in the top bits, the index in the rest. */
enum { TAB_IP4, TAB_CIDR4, TAB_IP6, TAB_CIDR6, TAB_STR };
enum { SLOT_BITS = 28 };
#define SLOT_MAX ((size_t)1 << SLOT_BITS)

struct vec {
    void *p;
    size_t n, cap;
};

struct intel_lookup {
    atomic_int refs;
    bool finished;
    size_t count[INTEL_TYPE__COUNT];
    struct vec b4, bc4, b6, bc6; /* rows while building */

    uint32_t *ip4_keys;
    struct payload *ip4_pay;
    size_t n_ip4;
    uint32_t *ip4_index; /* 65537 start positions by the top 16 bits, or NULL when few */

    uint32_t *c4_keys;
    struct payload *c4_pay;
    size_t n_c4;
    size_t c4_start[34]; /* group g holds prefix length 32 - g */
    uint32_t *c4_lens;   /* by the top 16 bits: bit len - 16 set when a range of that
                          * length >= 16 starts there; NULL when few ranges */

    struct k6 *ip6_keys;
    struct payload *ip6_pay;
    size_t n_ip6;

    struct k6 *c6_keys;
    struct payload *c6_pay;
    size_t n_c6;
    size_t c6_start[130]; /* group g holds prefix length 128 - g */

    struct str_ent *ents;
    size_t n_ents, cap_ents;
    char *pool;
    size_t pool_len, pool_cap;
    uint64_t *table; /* (hash >> 32) << 32 | (1 + entry); 0 empty */
    size_t mask;
};

/* An index over the top 16 bits pays for itself only over many addresses. */
enum { IP4_INDEX_MIN = 4096 };
/* Likewise for the CIDR4 length masks: with many ranges most prefix lengths have none
 * in an address's /16, and one read of the mask skips their binary searches. */
enum { C4_LENS_MIN = 1024 };

/* --- building ------------------------------------------------------------------------------ */

struct intel_lookup *intel_lookup_new(void)
{
    struct intel_lookup *l = calloc(1, sizeof *l);
    if (l)
        atomic_init(&l->refs, 1);
    return l;
}

static bool vec_push(struct vec *v, const void *item, size_t size)
{
    if (v->n == v->cap) {
        size_t ncap = v->cap ? v->cap * 2 : 256;
        if (ncap > SIZE_MAX / size)
            return false;
        void *p = realloc(v->p, ncap * size);
        if (!p)
            return false;
        v->p = p;
        v->cap = ncap;
    }
    memcpy((char *)v->p + v->n * size, item, size);
    v->n++;
    return true;
}

static uint64_t mix64(uint64_t x)
{
    /* splitmix64's finaliser: every input bit reaches every output bit */
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static uint64_t str_hash(unsigned type, const char *s, size_t n)
{
    uint64_t h = ((uint64_t)type << 56) ^ n ^ 0x9e3779b97f4a7c15ULL;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
        h ^= h >> 32;
        s += 8;
        n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, s, n);
    return mix64(h ^ w);
}

static bool parse_prefix(const char *s, int max, int *out)
{
    int v = 0, digits = 0;
    for (; *s; s++, digits++) {
        if (*s < '0' || *s > '9' || digits >= 3)
            return false;
        v = v * 10 + (*s - '0');
    }
    if (digits == 0 || v > max)
        return false;
    *out = v;
    return true;
}

static uint32_t mask4(int len)
{
    return len == 0 ? 0 : 0xffffffffu << (32 - len);
}

static struct k6 mask6(struct k6 k, int len)
{
    uint64_t mh = len >= 64 ? ~0ULL : len == 0 ? 0 : ~0ULL << (64 - len);
    uint64_t ml = len <= 64 ? 0 : len == 128 ? ~0ULL : ~0ULL << (128 - len);
    return (struct k6){k.hi & mh, k.lo & ml};
}

/* Parses "addr" or "addr/len" of family into a key; len is the family's width without one. */
static bool parse_ip(int family, const char *value, bool cidr, uint32_t *k4, struct k6 *k6,
                     int *len)
{
    char tmp[INET6_ADDRSTRLEN + 8];
    size_t n = strnlen(value, sizeof tmp);
    if (n == sizeof tmp)
        return false;
    memcpy(tmp, value, n + 1);
    int width = family == AF_INET ? 32 : 128;
    *len = width;
    char *slash = strchr(tmp, '/');
    if (cidr != (slash != NULL))
        return false;
    if (slash) {
        *slash = '\0';
        if (!parse_prefix(slash + 1, width, len))
            return false;
    }
    unsigned char a[16];
    if (inet_pton(family, tmp, a) != 1)
        return false;
    if (family == AF_INET) {
        *k4 = ((uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3]) &
              mask4(*len);
    } else {
        uint64_t hi = 0, lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = hi << 8 | a[i];
            lo = lo << 8 | a[8 + i];
        }
        *k6 = mask6((struct k6){hi, lo}, *len);
    }
    return true;
}

static enum yj_err add_string(struct intel_lookup *l, int64_t id, enum intel_type type,
                              const char *value, bool subdomains, int64_t until,
                              struct yj_error *err)
{
    size_t n = strnlen(value, INTEL_VALUE_MAX + 1);
    if (n == 0 || n > INTEL_VALUE_MAX)
        return yj_error_set(err, YJ_EINVAL, "value", "empty or longer than %d bytes",
                            INTEL_VALUE_MAX);
    if (l->n_ents == l->cap_ents) {
        size_t ncap = l->cap_ents ? l->cap_ents * 2 : 256;
        struct str_ent *p = realloc(l->ents, ncap * sizeof *p);
        if (!p)
            return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
        l->ents = p;
        l->cap_ents = ncap;
    }
    if (l->pool_cap - l->pool_len < n + 1) {
        size_t ncap = l->pool_cap ? l->pool_cap : 4096;
        while (ncap - l->pool_len < n + 1)
            ncap *= 2;
        char *p = realloc(l->pool, ncap);
        if (!p)
            return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
        l->pool = p;
        l->pool_cap = ncap;
    }
    memcpy(l->pool + l->pool_len, value, n + 1);
    l->ents[l->n_ents++] = (struct str_ent){
        .id = id,
        .until = until,
        .off = l->pool_len,
        .len = (uint32_t)n,
        .type = (uint8_t)type,
        .subdomains = type == INTEL_DOMAIN && subdomains,
    };
    l->pool_len += n + 1;
    return YJ_OK;
}

enum yj_err intel_lookup_add(struct intel_lookup *l, int64_t id, enum intel_type type,
                             const char *value, bool subdomains, int64_t valid_until,
                             struct yj_error *err)
{
    if (l->finished)
        return yj_error_set(err, YJ_EINVAL, NULL, "lookup already finished");
    if ((unsigned)type >= INTEL_TYPE__COUNT || !value)
        return yj_error_set(err, YJ_EINVAL, "type", "unknown indicator type");
    struct payload p = {id, valid_until};
    bool ok = true, v4 = type == INTEL_IPV4 || type == INTEL_CIDR4;
    struct vec *v = NULL;
    enum yj_err rc = YJ_OK;
    switch (type) {
    case INTEL_IPV4:
    case INTEL_CIDR4:
    case INTEL_IPV6:
    case INTEL_CIDR6: {
        bool cidr = type == INTEL_CIDR4 || type == INTEL_CIDR6;
        v = type == INTEL_IPV4    ? &l->b4
            : type == INTEL_CIDR4 ? &l->bc4
            : type == INTEL_IPV6  ? &l->b6
                                  : &l->bc6;
        if (v->n >= SLOT_MAX)
            return yj_error_set(err, YJ_ETOOBIG, NULL, "too many indicators of one type");
        struct row4 r4 = {.p = p};
        struct row6 r6 = {.p = p};
        if (!parse_ip(v4 ? AF_INET : AF_INET6, value, cidr, &r4.key, &r6.key,
                      v4 ? &r4.len : &r6.len))
            return yj_error_set(err, YJ_EINVAL, "value", "not an %s", intel_type_code(type));
        ok = v4 ? vec_push(v, &r4, sizeof r4) : vec_push(v, &r6, sizeof r6);
        break;
    }
    default:
        if (l->n_ents >= SLOT_MAX)
            return yj_error_set(err, YJ_ETOOBIG, NULL, "too many indicators");
        rc = add_string(l, id, type, value, subdomains, valid_until, err);
        break;
    }
    if (!ok)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    if (rc == YJ_OK)
        l->count[type]++;
    return rc;
}

static int row4_cmp(const void *a, const void *b)
{
    const struct row4 *x = a, *y = b;
    if (x->len != y->len)
        return x->len > y->len ? -1 : 1; /* longest prefix first */
    return x->key < y->key ? -1 : x->key > y->key;
}

static int k6_cmp(struct k6 a, struct k6 b)
{
    if (a.hi != b.hi)
        return a.hi < b.hi ? -1 : 1;
    return a.lo < b.lo ? -1 : a.lo > b.lo;
}

static int row6_cmp(const void *a, const void *b)
{
    const struct row6 *x = a, *y = b;
    if (x->len != y->len)
        return x->len > y->len ? -1 : 1;
    return k6_cmp(x->key, y->key);
}

/* Sorts rows into key and payload arrays and each prefix length's start (start has
 * width + 2 entries; group g is prefix length width - g). */
static bool split4(struct vec *v, uint32_t **keys, struct payload **pay, size_t *n, size_t *start)
{
    struct row4 *r = v->p;
    if (v->n > 1)
        qsort(r, v->n, sizeof *r, row4_cmp);
    *keys = malloc((v->n ? v->n : 1) * sizeof **keys);
    *pay = malloc((v->n ? v->n : 1) * sizeof **pay);
    if (!*keys || !*pay)
        return false;
    for (size_t i = 0; i < v->n; i++) {
        (*keys)[i] = r[i].key;
        (*pay)[i] = r[i].p;
    }
    if (start) {
        size_t i = 0;
        for (int g = 0; g <= 33; g++) {
            start[g] = i;
            while (i < v->n && r[i].len == 32 - g)
                i++;
        }
    }
    *n = v->n;
    free(v->p);
    *v = (struct vec){0};
    return true;
}

static bool split6(struct vec *v, struct k6 **keys, struct payload **pay, size_t *n, size_t *start)
{
    struct row6 *r = v->p;
    if (v->n > 1)
        qsort(r, v->n, sizeof *r, row6_cmp);
    *keys = malloc((v->n ? v->n : 1) * sizeof **keys);
    *pay = malloc((v->n ? v->n : 1) * sizeof **pay);
    if (!*keys || !*pay)
        return false;
    for (size_t i = 0; i < v->n; i++) {
        (*keys)[i] = r[i].key;
        (*pay)[i] = r[i].p;
    }
    if (start) {
        size_t i = 0;
        for (int g = 0; g <= 129; g++) {
            start[g] = i;
            while (i < v->n && r[i].len == 128 - g)
                i++;
        }
    }
    *n = v->n;
    free(v->p);
    *v = (struct vec){0};
    return true;
}

static bool ent_is(const struct intel_lookup *l, const struct str_ent *e, unsigned type,
                   const char *s, size_t n)
{
    return e->type == type && e->len == n && memcmp(l->pool + e->off, s, n) == 0;
}

static bool build_table(struct intel_lookup *l)
{
    size_t size = 16;
    while (size < 2 * l->n_ents) /* load at most one half: short probe runs */
        size *= 2;
    l->table = calloc(size, sizeof *l->table);
    if (!l->table)
        return false;
    l->mask = size - 1;
    for (size_t i = 0; i < l->n_ents; i++) {
        struct str_ent *e = &l->ents[i];
        uint64_t h = str_hash(e->type, l->pool + e->off, e->len);
        for (size_t j = h & l->mask;; j = (j + 1) & l->mask) {
            uint64_t s = l->table[j];
            if (s == 0) {
                l->table[j] = (h >> 32) << 32 | (i + 1);
                break;
            }
            struct str_ent *head = &l->ents[(s & 0xffffffffu) - 1];
            if (s >> 32 == h >> 32 && ent_is(l, head, e->type, l->pool + e->off, e->len)) {
                e->next = head->next; /* the same value again: chain it to the first */
                head->next = (uint32_t)(i + 1);
                break;
            }
        }
    }
    return true;
}

enum yj_err intel_lookup_finish(struct intel_lookup *l, struct yj_error *err)
{
    if (l->finished)
        return YJ_OK;
    bool ok = split4(&l->b4, &l->ip4_keys, &l->ip4_pay, &l->n_ip4, NULL) &&
              split4(&l->bc4, &l->c4_keys, &l->c4_pay, &l->n_c4, l->c4_start) &&
              split6(&l->b6, &l->ip6_keys, &l->ip6_pay, &l->n_ip6, NULL) &&
              split6(&l->bc6, &l->c6_keys, &l->c6_pay, &l->n_c6, l->c6_start) && build_table(l);
    if (ok && l->n_ip4 >= IP4_INDEX_MIN) {
        l->ip4_index = malloc(65537 * sizeof *l->ip4_index);
        ok = l->ip4_index != NULL;
        for (size_t i = 0, b = 0; ok && b <= 65536; b++) {
            while (i < l->n_ip4 && (l->ip4_keys[i] >> 16) < b)
                i++;
            l->ip4_index[b] = (uint32_t)i;
        }
    }
    if (ok && l->n_c4 >= C4_LENS_MIN) {
        l->c4_lens = calloc(65536, sizeof *l->c4_lens);
        ok = l->c4_lens != NULL;
        for (int g = 0; ok && g <= 16; g++)
            for (size_t i = l->c4_start[g]; i < l->c4_start[g + 1]; i++)
                l->c4_lens[l->c4_keys[i] >> 16] |= 1u << (16 - g);
    }
    if (!ok)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    /* give back what doubling left unused */
    if (l->n_ents && l->n_ents < l->cap_ents) {
        struct str_ent *p = realloc(l->ents, l->n_ents * sizeof *p);
        if (p) {
            l->ents = p;
            l->cap_ents = l->n_ents;
        }
    }
    if (l->pool_len && l->pool_len < l->pool_cap) {
        char *p = realloc(l->pool, l->pool_len);
        if (p) {
            l->pool = p;
            l->pool_cap = l->pool_len;
        }
    }
    l->finished = true;
    return YJ_OK;
}

/* --- queries ------------------------------------------------------------------------------- */

struct sink {
    struct intel_lookup_hit *hits;
    size_t max, n;
    int64_t now;
    bool via_host;
};

static void emit(struct sink *s, const struct payload *p, enum intel_type type,
                 enum intel_match match, int prefix, unsigned tab, size_t idx)
{
    if (p->until != 0 && p->until <= s->now)
        return;
    if (s->n < s->max)
        s->hits[s->n] = (struct intel_lookup_hit){
            .id = p->id,
            .type = type,
            .match = match,
            .via_host = s->via_host,
            .prefix = prefix,
            .slot_ = (uint32_t)tab << SLOT_BITS | (uint32_t)idx,
        };
    s->n++;
}

/* The first index in [lo, hi) whose key is >= k. */
static size_t lower4(const uint32_t *keys, size_t lo, size_t hi, uint32_t k)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (keys[mid] < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static size_t lower6(const struct k6 *keys, size_t lo, size_t hi, struct k6 k)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (k6_cmp(keys[mid], k) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* An address (range false, len 32) or a range of len bits: the same address or range
 * (EXACT), then every range of prefix length <= len containing it, longest first. */
static void find4(const struct intel_lookup *l, uint32_t k, int len, bool range, struct sink *s)
{
    if (!range && l->n_ip4) {
        size_t lo = 0, hi = l->n_ip4;
        if (l->ip4_index) {
            lo = l->ip4_index[k >> 16];
            hi = l->ip4_index[(k >> 16) + 1];
        }
        for (size_t i = lower4(l->ip4_keys, lo, hi, k); i < hi && l->ip4_keys[i] == k; i++)
            emit(s, &l->ip4_pay[i], INTEL_IPV4, INTEL_MATCH_EXACT, 0, TAB_IP4, i);
    }
    uint32_t lens = l->c4_lens ? l->c4_lens[k >> 16] : 0xffffffffu;
    for (int g = 32 - len; g <= 32 && l->n_c4; g++) {
        size_t lo = l->c4_start[g], hi = l->c4_start[g + 1];
        if (lo == hi || (g <= 16 && !(lens & 1u << (16 - g))))
            continue;
        int plen = 32 - g;
        uint32_t m = k & mask4(plen);
        enum intel_match how = range && plen == len ? INTEL_MATCH_EXACT : INTEL_MATCH_RANGE;
        for (size_t i = lower4(l->c4_keys, lo, hi, m); i < hi && l->c4_keys[i] == m; i++)
            emit(s, &l->c4_pay[i], INTEL_CIDR4, how, plen, TAB_CIDR4, i);
    }
}

static void find6(const struct intel_lookup *l, struct k6 k, int len, bool range, struct sink *s)
{
    if (!range && l->n_ip6)
        for (size_t i = lower6(l->ip6_keys, 0, l->n_ip6, k);
             i < l->n_ip6 && k6_cmp(l->ip6_keys[i], k) == 0; i++)
            emit(s, &l->ip6_pay[i], INTEL_IPV6, INTEL_MATCH_EXACT, 0, TAB_IP6, i);
    for (int g = 128 - len; g <= 128 && l->n_c6; g++) {
        size_t lo = l->c6_start[g], hi = l->c6_start[g + 1];
        if (lo == hi)
            continue;
        int plen = 128 - g;
        struct k6 m = mask6(k, plen);
        enum intel_match how = range && plen == len ? INTEL_MATCH_EXACT : INTEL_MATCH_RANGE;
        for (size_t i = lower6(l->c6_keys, lo, hi, m); i < hi && k6_cmp(l->c6_keys[i], m) == 0; i++)
            emit(s, &l->c6_pay[i], INTEL_CIDR6, how, plen, TAB_CIDR6, i);
    }
}

/* Every entry of type with value s[0..n), optionally only those flagged subdomains. */
static void find_str(const struct intel_lookup *l, unsigned type, const char *s, size_t n,
                     enum intel_match how, bool only_subdomains, struct sink *out)
{
    uint64_t h = str_hash(type, s, n);
    for (size_t j = h & l->mask;; j = (j + 1) & l->mask) {
        uint64_t slot = l->table[j];
        if (slot == 0)
            return;
        if (slot >> 32 != h >> 32)
            continue;
        uint32_t idx = (uint32_t)(slot & 0xffffffffu);
        if (!ent_is(l, &l->ents[idx - 1], type, s, n))
            continue;
        for (; idx; idx = l->ents[idx - 1].next) {
            const struct str_ent *e = &l->ents[idx - 1];
            if (!only_subdomains || e->subdomains) {
                struct payload p = {e->id, e->until};
                emit(out, &p, (enum intel_type)type, how, 0, TAB_STR, idx - 1);
            }
        }
        return;
    }
}

static void find_domain(const struct intel_lookup *l, const char *d, size_t n, struct sink *s)
{
    find_str(l, INTEL_DOMAIN, d, n, INTEL_MATCH_EXACT, false, s);
    for (size_t i = 0; i < n; i++)
        if (d[i] == '.')
            find_str(l, INTEL_DOMAIN, d + i + 1, n - i - 1, INTEL_MATCH_PARENT, true, s);
}

static void find_ip_text(const struct intel_lookup *l, int family, const char *p, size_t n,
                         struct sink *s)
{
    char tmp[INET6_ADDRSTRLEN + 1];
    if (n >= sizeof tmp)
        return;
    memcpy(tmp, p, n);
    tmp[n] = '\0';
    uint32_t k4;
    struct k6 k6;
    int len;
    if (parse_ip(family, tmp, false, &k4, &k6, &len)) {
        if (family == AF_INET)
            find4(l, k4, 32, false, s);
        else
            find6(l, k6, 128, false, s);
    }
}

/* A canonical URL's host as an IP or a domain. */
static void find_url_host(const struct intel_lookup *l, const char *url, struct sink *s)
{
    const char *p = strstr(url, "://");
    if (!p)
        return;
    p += 3;
    size_t auth = strcspn(p, "/?#");
    for (size_t i = auth; i > 0; i--)
        if (p[i - 1] == '@') { /* user info ends at the authority's last '@' */
            p += i;
            auth -= i;
            break;
        }
    s->via_host = true;
    if (auth > 0 && p[0] == '[') {
        const char *rb = memchr(p, ']', auth);
        if (rb)
            find_ip_text(l, AF_INET6, p + 1, (size_t)(rb - p) - 1, s);
        return;
    }
    const char *colon = memchr(p, ':', auth);
    size_t hn = colon ? (size_t)(colon - p) : auth;
    uint32_t k4;
    struct k6 k6;
    int len;
    char tmp[INET_ADDRSTRLEN + 1];
    if (hn < sizeof tmp) {
        memcpy(tmp, p, hn);
        tmp[hn] = '\0';
        if (parse_ip(AF_INET, tmp, false, &k4, &k6, &len)) {
            find4(l, k4, 32, false, s);
            return;
        }
    }
    find_domain(l, p, hn, s);
}

size_t intel_lookup_find(const struct intel_lookup *l, enum intel_type type, const char *value,
                         int64_t now, struct intel_lookup_hit *hits, size_t max)
{
    if (!l || !l->finished || !value || (unsigned)type >= INTEL_TYPE__COUNT)
        return 0;
    struct sink s = {.hits = hits, .max = hits ? max : 0, .now = now};
    uint32_t k4;
    struct k6 k6;
    int len;
    switch (type) {
    case INTEL_IPV4:
    case INTEL_CIDR4:
        if (parse_ip(AF_INET, value, type == INTEL_CIDR4, &k4, &k6, &len))
            find4(l, k4, len, type == INTEL_CIDR4, &s);
        break;
    case INTEL_IPV6:
    case INTEL_CIDR6:
        if (parse_ip(AF_INET6, value, type == INTEL_CIDR6, &k4, &k6, &len))
            find6(l, k6, len, type == INTEL_CIDR6, &s);
        break;
    case INTEL_DOMAIN:
        find_domain(l, value, strnlen(value, INTEL_VALUE_MAX + 1), &s);
        break;
    case INTEL_URL:
        find_str(l, type, value, strnlen(value, INTEL_VALUE_MAX + 1), INTEL_MATCH_EXACT, false, &s);
        find_url_host(l, value, &s);
        break;
    default:
        find_str(l, type, value, strnlen(value, INTEL_VALUE_MAX + 1), INTEL_MATCH_EXACT, false, &s);
        break;
    }
    return s.n;
}

/* The prefix length of group-sorted entry idx: the group whose range holds it. */
static int group_len(const size_t *start, int groups, int width, size_t idx)
{
    for (int g = 0; g < groups; g++)
        if (idx < start[g + 1])
            return width - g;
    return 0;
}

size_t intel_lookup_hit_value(const struct intel_lookup *l, const struct intel_lookup_hit *hit,
                              char *buf, size_t cap)
{
    unsigned tab = hit->slot_ >> SLOT_BITS;
    size_t idx = hit->slot_ & (SLOT_MAX - 1);
    char ip[INET6_ADDRSTRLEN];
    unsigned char a[16];
    int n = 0;
    switch (tab) {
    case TAB_IP4:
    case TAB_CIDR4: {
        uint32_t k = tab == TAB_IP4 ? l->ip4_keys[idx] : l->c4_keys[idx];
        for (int i = 0; i < 4; i++)
            a[i] = (unsigned char)(k >> (24 - 8 * i));
        inet_ntop(AF_INET, a, ip, sizeof ip);
        if (tab == TAB_IP4)
            n = snprintf(buf, cap, "%s", ip);
        else
            n = snprintf(buf, cap, "%s/%d", ip, group_len(l->c4_start, 33, 32, idx));
        break;
    }
    case TAB_IP6:
    case TAB_CIDR6: {
        struct k6 k = tab == TAB_IP6 ? l->ip6_keys[idx] : l->c6_keys[idx];
        for (int i = 0; i < 8; i++) {
            a[i] = (unsigned char)(k.hi >> (56 - 8 * i));
            a[8 + i] = (unsigned char)(k.lo >> (56 - 8 * i));
        }
        inet_ntop(AF_INET6, a, ip, sizeof ip);
        if (tab == TAB_IP6)
            n = snprintf(buf, cap, "%s", ip);
        else
            n = snprintf(buf, cap, "%s/%d", ip, group_len(l->c6_start, 129, 128, idx));
        break;
    }
    default:
        n = snprintf(buf, cap, "%s", l->pool + l->ents[idx].off);
        break;
    }
    return n < 0 ? 0 : (size_t)n;
}

void intel_lookup_stats(const struct intel_lookup *l, struct intel_lookup_stats *st)
{
    memset(st, 0, sizeof *st);
    memcpy(st->count, l->count, sizeof st->count);
    if (!l->finished)
        return;
    st->ipv4_bytes = l->n_ip4 * (sizeof *l->ip4_keys + sizeof *l->ip4_pay) +
                     (l->ip4_index ? 65537 * sizeof *l->ip4_index : 0);
    st->total_bytes =
        sizeof *l + st->ipv4_bytes + l->n_c4 * (sizeof *l->c4_keys + sizeof *l->c4_pay) +
        l->n_ip6 * (sizeof *l->ip6_keys + sizeof *l->ip6_pay) +
        l->n_c6 * (sizeof *l->c6_keys + sizeof *l->c6_pay) + l->cap_ents * sizeof *l->ents +
        l->pool_cap + (l->mask + 1) * sizeof *l->table +
        (l->c4_lens ? 65536 * sizeof *l->c4_lens : 0);
}

struct intel_lookup *intel_lookup_ref(struct intel_lookup *l)
{
    atomic_fetch_add(&l->refs, 1);
    return l;
}

void intel_lookup_free(struct intel_lookup *l)
{
    if (!l || atomic_fetch_sub(&l->refs, 1) != 1)
        return;
    free(l->b4.p);
    free(l->bc4.p);
    free(l->b6.p);
    free(l->bc6.p);
    free(l->ip4_keys);
    free(l->ip4_pay);
    free(l->ip4_index);
    free(l->c4_keys);
    free(l->c4_pay);
    free(l->c4_lens);
    free(l->ip6_keys);
    free(l->ip6_pay);
    free(l->c6_keys);
    free(l->c6_pay);
    free(l->ents);
    free(l->pool);
    free(l->table);
    free(l);
}
