/*
 * intel_lookup.c - how fast src/intel/lookup.c answers in-process lookups over a
 * million live indicators, and how much memory an IPv4 indicator costs in its
 * structures. Not part of the product and not a test.
 *
 *     bench/intel_lookup [--indicators 1000000] [--queries 2000000] [--threads 1]
 *
 * The set is 80% IPv4 addresses, 5% CIDR4 ranges (/16 to /30), 8% domains (a
 * quarter with subdomains), 4% URLs and 3% SHA-256 hashes, all live (some with a
 * far expiry); the same every run (a fixed PRNG). Queries are canonical values as
 * the API passes them after intel_guess: half hit an indicator (IPs inside ranges,
 * subdomains of flagged domains and URL hosts included), half miss. Each mix is
 * timed over --queries lookups per thread after one warm-up pass.
 *
 * Output: lines for people and one "INTEL_LOOKUP_JSON {...}" line.
 */
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/yj.h"
#include "intel/lookup.h"

#include "rng.h"

struct query {
    enum intel_type type;
    char *value;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *fmt4(uint32_t a)
{
    char buf[16];
    snprintf(buf, sizeof buf, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
    return strdup(buf);
}

static char *word(char *buf, size_t n)
{
    static const char letters[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    for (size_t i = 0; i < n; i++)
        buf[i] = letters[rnd() % (i == 0 ? 26 : 36)];
    buf[n] = '\0';
    return buf;
}

static char *domain(void)
{
    static const char *tlds[] = {"com", "cn", "net", "org", "top", "xyz", "ru", "info"};
    char w[24], out[64];
    snprintf(out, sizeof out, "%s.%s", word(w, 5 + rnd() % 12), PICK(tlds));
    return strdup(out);
}

static char *sha256_hex(void)
{
    char out[65];
    for (int i = 0; i < 64; i++)
        out[i] = "0123456789abcdef"[rnd() % 16];
    out[64] = '\0';
    return strdup(out);
}

/* What was added, kept to draw hitting queries from. */
static uint32_t *ips, *nets;
static int *net_lens;
static char **domains, **urls, **hashes;
static bool *dom_sub;
static size_t n_ips, n_nets, n_domains, n_urls, n_hashes;

static struct intel_lookup *build(size_t total, double *secs)
{
    n_nets = total / 20;
    n_domains = total * 8 / 100;
    n_urls = total * 4 / 100;
    n_hashes = total * 3 / 100;
    n_ips = total - n_nets - n_domains - n_urls - n_hashes;
    ips = malloc(n_ips * sizeof *ips);
    nets = malloc(n_nets * sizeof *nets);
    net_lens = malloc(n_nets * sizeof *net_lens);
    domains = malloc(n_domains * sizeof *domains);
    dom_sub = malloc(n_domains * sizeof *dom_sub);
    urls = malloc(n_urls * sizeof *urls);
    hashes = malloc(n_hashes * sizeof *hashes);
    if (!ips || !nets || !net_lens || !domains || !dom_sub || !urls || !hashes)
        exit(1);
    for (size_t i = 0; i < n_ips; i++)
        ips[i] = (uint32_t)rnd();
    for (size_t i = 0; i < n_nets; i++) {
        /* mostly long prefixes, as feeds list them: 90% /24../30, the rest /16../23 */
        net_lens[i] = rnd() % 10 ? 24 + (int)(rnd() % 7) : 16 + (int)(rnd() % 8);
        nets[i] = (uint32_t)rnd() & (0xffffffffu << (32 - net_lens[i]));
    }
    for (size_t i = 0; i < n_domains; i++) {
        domains[i] = domain();
        dom_sub[i] = rnd() % 4 == 0;
    }
    for (size_t i = 0; i < n_urls; i++) {
        char w[24], u[128];
        snprintf(u, sizeof u, "http://%s/%s/%s.php?id=%u", domains[rnd() % n_domains],
                 word(w, 4 + rnd() % 8), "gate", (unsigned)(rnd() % 100000));
        urls[i] = strdup(u);
    }
    for (size_t i = 0; i < n_hashes; i++)
        hashes[i] = sha256_hex();

    double t0 = now_s();
    struct intel_lookup *l = intel_lookup_new();
    struct yj_error err = {0};
    int64_t id = 1, far = (int64_t)4102444800000; /* 2100-01-01 */
    bool ok = l != NULL;
    for (size_t i = 0; ok && i < n_ips; i++) {
        char *v = fmt4(ips[i]);
        ok = intel_lookup_add(l, id++, INTEL_IPV4, v, false, i % 3 ? 0 : far, &err) == YJ_OK;
        free(v);
    }
    for (size_t i = 0; ok && i < n_nets; i++) {
        char *ip = fmt4(nets[i]), v[24];
        snprintf(v, sizeof v, "%s/%d", ip, net_lens[i]);
        free(ip);
        ok = intel_lookup_add(l, id++, INTEL_CIDR4, v, false, 0, &err) == YJ_OK;
    }
    for (size_t i = 0; ok && i < n_domains; i++)
        ok = intel_lookup_add(l, id++, INTEL_DOMAIN, domains[i], dom_sub[i], 0, &err) == YJ_OK;
    for (size_t i = 0; ok && i < n_urls; i++)
        ok = intel_lookup_add(l, id++, INTEL_URL, urls[i], false, 0, &err) == YJ_OK;
    for (size_t i = 0; ok && i < n_hashes; i++)
        ok = intel_lookup_add(l, id++, INTEL_SHA256, hashes[i], false, far, &err) == YJ_OK;
    if (!ok || intel_lookup_finish(l, &err) != YJ_OK) {
        fprintf(stderr, "intel_lookup: build failed: %s\n", err.msg);
        exit(1);
    }
    *secs = now_s() - t0;
    return l;
}

/* One query of the given mix: "ipv4" (IPv4 only) or "mixed" (every type). Half hit. */
static struct query make_query(bool mixed)
{
    bool hit = rnd() % 2;
    unsigned kind = mixed ? (unsigned)(rnd() % 100) : 0;
    char w[24], buf[160];
    if (kind < 70) { /* an address: listed, inside a range, or neither */
        uint32_t a = (uint32_t)rnd();
        size_t j = rnd() % n_nets;
        if (hit)
            a = rnd() % 4 ? ips[rnd() % n_ips]
                          : nets[j] | ((uint32_t)rnd() & ~(0xffffffffu << (32 - net_lens[j])));
        return (struct query){INTEL_IPV4, fmt4(a)};
    }
    if (kind < 85) { /* a domain, or a subdomain of one */
        if (!hit)
            return (struct query){INTEL_DOMAIN, domain()};
        size_t i = rnd() % n_domains;
        if (dom_sub[i])
            snprintf(buf, sizeof buf, "%s.%s", word(w, 3 + rnd() % 6), domains[i]);
        else
            snprintf(buf, sizeof buf, "%s", domains[i]);
        return (struct query){INTEL_DOMAIN, strdup(buf)};
    }
    if (kind < 95) { /* a URL: listed, on a listed host, or neither */
        if (hit && rnd() % 2)
            return (struct query){INTEL_URL, strdup(urls[rnd() % n_urls])};
        char *d = hit ? strdup(domains[rnd() % n_domains]) : domain();
        snprintf(buf, sizeof buf, "https://%s/%s", d, word(w, 8));
        free(d);
        return (struct query){INTEL_URL, strdup(buf)};
    }
    return (struct query){INTEL_SHA256, hit ? strdup(hashes[rnd() % n_hashes]) : sha256_hex()};
}

struct run {
    const struct intel_lookup *l;
    const struct query *q;
    size_t n, repeat;
    size_t hits;
    double secs;
};

static void *run_queries(void *arg)
{
    struct run *r = arg;
    struct intel_lookup_hit hits[16];
    int64_t now = (int64_t)time(NULL) * 1000;
    size_t found = 0;
    for (size_t i = 0; i < r->n; i++) /* warm-up */
        found += intel_lookup_find(r->l, r->q[i].type, r->q[i].value, now, hits, 16) > 0;
    found = 0;
    double t0 = now_s();
    for (size_t k = 0; k < r->repeat; k++)
        for (size_t i = 0; i < r->n; i++)
            found += intel_lookup_find(r->l, r->q[i].type, r->q[i].value, now, hits, 16) > 0;
    r->secs = now_s() - t0;
    r->hits = found;
    return NULL;
}

/* Lookups per second over all threads, and the share of queries that matched. */
static double measure(const struct intel_lookup *l, bool mixed, size_t queries, int threads,
                      double *hit_share)
{
    enum { DISTINCT = 200000 }; /* distinct query strings, replayed to reach queries */
    size_t n = queries < DISTINCT ? queries : DISTINCT;
    struct query *q = malloc(n * sizeof *q);
    if (!q)
        exit(1);
    for (size_t i = 0; i < n; i++)
        q[i] = make_query(mixed);
    struct run runs[64];
    pthread_t t[64];
    for (int i = 0; i < threads; i++) {
        runs[i] = (struct run){.l = l, .q = q, .n = n, .repeat = (queries + n - 1) / n};
        pthread_create(&t[i], NULL, run_queries, &runs[i]);
    }
    double rate = 0;
    size_t hits = 0, total = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        size_t done = runs[i].n * runs[i].repeat;
        rate += (double)done / runs[i].secs;
        hits += runs[i].hits;
        total += done;
    }
    *hit_share = (double)hits / (double)total;
    for (size_t i = 0; i < n; i++)
        free(q[i].value);
    free(q);
    return rate;
}

int main(int argc, char **argv)
{
    size_t total = 1000000, queries = 2000000;
    int threads = 1;
    static const struct option opts[] = {{"indicators", required_argument, NULL, 'n'},
                                         {"queries", required_argument, NULL, 'q'},
                                         {"threads", required_argument, NULL, 't'},
                                         {NULL, 0, NULL, 0}};
    for (int c; (c = getopt_long(argc, argv, "n:q:t:", opts, NULL)) != -1;) {
        if (c == 'n')
            total = strtoull(optarg, NULL, 10);
        else if (c == 'q')
            queries = strtoull(optarg, NULL, 10);
        else if (c == 't')
            threads = (int)strtol(optarg, NULL, 10);
        else
            return 2;
    }
    if (total < 1000 || queries == 0 || threads < 1 || threads > 64) {
        fprintf(stderr, "usage: intel_lookup [--indicators N>=1000] [--queries N] "
                        "[--threads 1..64]\n");
        return 2;
    }
    double build_s;
    struct intel_lookup *l = build(total, &build_s);
    struct intel_lookup_stats st;
    intel_lookup_stats(l, &st);
    double per_ip4 = (double)st.ipv4_bytes / (double)st.count[INTEL_IPV4];
    double hit4, hitm;
    double rate4 = measure(l, false, queries, threads, &hit4);
    double ratem = measure(l, true, queries, threads, &hitm);

    printf("indicators        %zu (ipv4 %zu, cidr4 %zu, domain %zu, url %zu, sha256 %zu)\n", total,
           st.count[INTEL_IPV4], st.count[INTEL_CIDR4], st.count[INTEL_DOMAIN], st.count[INTEL_URL],
           st.count[INTEL_SHA256]);
    printf("build             %.2f s\n", build_s);
    printf("bytes/IPv4        %.1f (structures %zu bytes in all)\n", per_ip4, st.total_bytes);
    printf("lookups/s ipv4    %.0f (%d thread%s, %.0f%% matched)\n", rate4, threads,
           threads > 1 ? "s" : "", hit4 * 100);
    printf("lookups/s mixed   %.0f (%d thread%s, %.0f%% matched)\n", ratem, threads,
           threads > 1 ? "s" : "", hitm * 100);
    printf("INTEL_LOOKUP_JSON {\"indicators\":%zu,\"threads\":%d,\"build_s\":%.3f,"
           "\"bytes_per_ipv4\":%.1f,\"total_bytes\":%zu,\"lookups_per_s_ipv4\":%.0f,"
           "\"lookups_per_s_mixed\":%.0f,\"hit_share_mixed\":%.3f}\n",
           total, threads, build_s, per_ip4, st.total_bytes, rate4, ratem, hitm);
    intel_lookup_free(l);
    return 0;
}
