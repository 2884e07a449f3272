/*
 * constituency.c - the owner of an address or a name (constituency.h).
 */
#include "intel/constituency.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <string.h>

#include "core/yj.h"
#include "intel/intel.h"

/* An address or range as 16 bytes (IPv4 in the first 4) with its family and prefix. */
struct net {
    int family; /* AF_INET, AF_INET6 */
    unsigned char b[16];
    int len;
};

static bool net_parse(const char *s, bool cidr, struct net *n)
{
    char host[64];
    const char *slash = strchr(s, '/');
    size_t hl = slash ? (size_t)(slash - s) : strlen(s);
    if (hl == 0 || hl >= sizeof host || (cidr && !slash) || (!cidr && slash))
        return false;
    memcpy(host, s, hl);
    host[hl] = '\0';
    *n = (struct net){0};
    n->family = strchr(host, ':') ? AF_INET6 : AF_INET;
    if (inet_pton(n->family, host, n->b) != 1)
        return false;
    int max = n->family == AF_INET ? 32 : 128;
    n->len = max;
    if (slash) {
        int64_t len;
        if (yj_parse_i64(slash + 1, 0, max, &len))
            return false;
        n->len = (int)len;
    }
    return true;
}

/* Whether range r holds all of q. */
static bool net_contains(const struct net *r, const struct net *q)
{
    if (r->family != q->family || r->len > q->len)
        return false;
    int full = r->len / 8, rest = r->len % 8;
    if (memcmp(r->b, q->b, (size_t)full) != 0)
        return false;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return rest == 0 || (r->b[full] & mask) == (q->b[full] & mask);
}

static void by_range(const struct intel_owned *ranges, size_t n, const struct net *q,
                     struct intel_owner *out)
{
    int best = -1;
    for (size_t i = 0; i < n; i++) {
        struct net r;
        if (ranges[i].value && net_parse(ranges[i].value, true, &r) && r.len > best &&
            net_contains(&r, q)) {
            best = r.len;
            *out = (struct intel_owner){ranges[i].owner, ranges[i].value};
        }
    }
}

/* d is q or a parent domain of q. */
static bool domain_covers(const char *d, const char *q)
{
    size_t dl = strlen(d), ql = strlen(q);
    return dl &&
           (dl == ql ? !strcmp(d, q) : ql > dl && q[ql - dl - 1] == '.' && !strcmp(q + ql - dl, d));
}

static void by_domain(const struct intel_owned *domains, size_t n, const char *q,
                      struct intel_owner *out)
{
    size_t best = 0;
    for (size_t i = 0; i < n; i++) {
        const char *d = domains[i].value;
        if (d && strlen(d) > best && domain_covers(d, q)) {
            best = strlen(d);
            *out = (struct intel_owner){domains[i].owner, d};
        }
    }
}

const char *intel_url_host(const char *url, struct yj_arena *a)
{
    const char *p = strstr(url, "://");
    if (!p)
        return NULL;
    p += 3;
    size_t n = strcspn(p, "/?#");
    const char *at = memchr(p, '@', n);
    while (at) { /* userinfo: the host follows the last '@' */
        n -= (size_t)(at + 1 - p);
        p = at + 1;
        at = memchr(p, '@', n);
    }
    if (n && *p == '[') {
        const char *close = memchr(p, ']', n);
        return close ? yj_arena_strndup(a, p + 1, (size_t)(close - p - 1)) : NULL;
    }
    const char *colon = memchr(p, ':', n);
    if (colon)
        n = (size_t)(colon - p);
    return n ? yj_arena_strndup(a, p, n) : NULL;
}

enum yj_err intel_constituency_resolve(const struct intel_owned *ranges, size_t n_ranges,
                                       const struct intel_owned *domains, size_t n_domains,
                                       const char *raw, const char *field, struct yj_arena *a,
                                       struct intel_owner *out, struct yj_error *err)
{
    *out = (struct intel_owner){0};
    enum intel_type t;
    const char *v;
    enum yj_err rc = intel_guess(raw, field, a, &t, &v, err);
    if (rc)
        return rc;
    if (t == INTEL_URL) {
        const char *host = intel_url_host(v, a);
        if (!host || (rc = intel_guess(host, field, a, &t, &v, err)) != YJ_OK)
            return rc ? rc : yj_error_set(err, YJ_EINVAL, field, "the URL has no host");
    } else if (t == INTEL_EMAIL) {
        t = INTEL_DOMAIN;
        v = strrchr(v, '@') + 1;
    }
    struct net q;
    switch (t) {
    case INTEL_IPV4:
    case INTEL_IPV6:
    case INTEL_CIDR4:
    case INTEL_CIDR6:
        if (net_parse(v, t == INTEL_CIDR4 || t == INTEL_CIDR6, &q))
            by_range(ranges, n_ranges, &q, out);
        return YJ_OK;
    case INTEL_DOMAIN:
        by_domain(domains, n_domains, v, out);
        return YJ_OK;
    default:
        return yj_error_set(err, YJ_EINVAL, field,
                            "must be an IP address, a CIDR range, a domain, a URL or an e-mail "
                            "address");
    }
}
