/*
 * intel_gen.c - indicator files for bench/run's intel-import and intel-lookup
 * scenarios: a CSV feed, a STIX 2.1 bundle, or the look-up queries for wrk. Not
 * part of the product and not a test.
 *
 *     bench/intel_gen --format csv|stix --count N [--seed S]       > FILE
 *     bench/intel_gen --format queries --count Q --of N [--seed S]  > FILE
 *
 * The indicators are mostly IPv4, as feeds are: 80% IPv4 addresses, 5% CIDR4
 * ranges (90% /24-/30, the rest /16-/23), 8% domains (a quarter with their
 * subdomains), 4% URLs on those domains and 3% SHA-256 hashes, each with a
 * category from its type, a confidence, one tag and, for a third, an expiry in 2100
 * (the rest never expire): all live. The same --seed gives the same indicators.
 *
 * csv:  a header row (value,type,category,confidence,tags,subdomains,valid_until)
 *       and one row per indicator, as `yingji intel import --format csv` reads it.
 * stix: a bundle of one "indicator" object per indicator, its pattern
 *       "[ipv4-addr:value = '...']" (domains with subdomains as an OR with LIKE),
 *       labels, confidence, valid_from and valid_until: what a TAXII feed serves.
 * queries: Q look-up values for bench/wrk/intel_lookup.lua, one per line and
 *       percent-encoded for a query string, drawn for the set that --format csv
 *       --count N --seed S gives: 70% addresses (listed, inside a listed range, or
 *       neither), 15% domains (listed, a subdomain of one listed with its
 *       subdomains, or neither), 10% URLs, 5% hashes; about half of them match.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

enum kind { K_IPV4, K_CIDR4, K_DOMAIN, K_URL, K_SHA256 };

struct item {
    enum kind kind;
    char value[160];
    bool subdomains;
    bool expires;
};

static const char *const tags[] = {"botnet", "scanner", "c2", "bruteforce", "malware", "phishing"};

static void word(char *buf, size_t n)
{
    static const char letters[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    for (size_t i = 0; i < n; i++)
        buf[i] = letters[rnd() % (i == 0 ? 26 : 36)];
    buf[n] = '\0';
}

static void ipv4(char *out, size_t n, uint32_t a)
{
    snprintf(out, n, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

static void domain(char *out, size_t n)
{
    static const char *const tlds[] = {"com", "cn", "net", "org", "top", "xyz", "ru", "info"};
    char w[24];
    word(w, 5 + rnd() % 12);
    snprintf(out, n, "%s.%s", w, PICK(tlds));
}

/* The i-th of n indicators: the kinds in blocks, as intel_lookup.c builds its set. */
static void make(size_t i, size_t n, struct item *it)
{
    size_t nets = n / 20, doms = n * 8 / 100, urls = n * 4 / 100, hashes = n * 3 / 100;
    size_t ips = n - nets - doms - urls - hashes;
    memset(it, 0, sizeof *it);
    it->expires = rnd() % 3 == 0;
    if (i < ips) {
        it->kind = K_IPV4;
        ipv4(it->value, sizeof it->value, (uint32_t)rnd());
    } else if (i < ips + nets) {
        it->kind = K_CIDR4;
        int len = rnd() % 10 ? 24 + (int)(rnd() % 7) : 16 + (int)(rnd() % 8);
        char ip[16];
        ipv4(ip, sizeof ip, (uint32_t)rnd() & (0xffffffffu << (32 - len)));
        snprintf(it->value, sizeof it->value, "%s/%d", ip, len);
    } else if (i < ips + nets + doms) {
        it->kind = K_DOMAIN;
        domain(it->value, sizeof it->value);
        it->subdomains = rnd() % 4 == 0;
    } else if (i < ips + nets + doms + urls) {
        it->kind = K_URL;
        char d[64], w[24];
        domain(d, sizeof d);
        word(w, 4 + rnd() % 8);
        snprintf(it->value, sizeof it->value, "http://%s/%s/gate.php?id=%u", d, w,
                 (unsigned)(rnd() % 100000));
    } else {
        it->kind = K_SHA256;
        for (int k = 0; k < 64; k++)
            it->value[k] = "0123456789abcdef"[rnd() % 16];
    }
}

static const char *type_code(enum kind k)
{
    static const char *const c[] = {"ipv4", "cidr4", "domain", "url", "sha256"};
    return c[k];
}

static const char *category(enum kind k)
{
    static const char *const c[] = {"malicious_ip", "malicious_ip", "malicious_domain",
                                    "malicious_url", "malware"};
    return c[k];
}

static void csv(size_t n)
{
    puts("value,type,category,confidence,tags,subdomains,valid_until");
    for (size_t i = 0; i < n; i++) {
        struct item it;
        make(i, n, &it);
        printf("%s,%s,%s,%d,%s,%s,%s\n", it.value, type_code(it.kind), category(it.kind),
               40 + (int)(rnd() % 60), PICK(tags), it.subdomains ? "true" : "",
               it.expires ? "2100-01-01T00:00:00Z" : "");
    }
}

static void uuid(char *out)
{
    uint64_t a = rnd(), b = rnd();
    snprintf(out, 37, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(a >> 32),
             (unsigned)(a >> 16) & 0xffff, (unsigned)a & 0xfff, 0x8000 | ((unsigned)b & 0x3fff),
             (unsigned long long)(b >> 16));
}

static void stix(size_t n)
{
    char id[40];
    uuid(id);
    printf("{\"type\":\"bundle\",\"id\":\"bundle--%s\",\"objects\":[", id);
    for (size_t i = 0; i < n; i++) {
        struct item it;
        make(i, n, &it);
        char pattern[400];
        switch (it.kind) {
        case K_IPV4:
        case K_CIDR4:
            snprintf(pattern, sizeof pattern, "[ipv4-addr:value = '%s']", it.value);
            break;
        case K_DOMAIN:
            if (it.subdomains)
                snprintf(pattern, sizeof pattern,
                         "[domain-name:value = '%s' OR domain-name:value LIKE '%%.%s']", it.value,
                         it.value);
            else
                snprintf(pattern, sizeof pattern, "[domain-name:value = '%s']", it.value);
            break;
        case K_URL:
            snprintf(pattern, sizeof pattern, "[url:value = '%s']", it.value);
            break;
        case K_SHA256:
            snprintf(pattern, sizeof pattern, "[file:hashes.'SHA-256' = '%s']", it.value);
            break;
        }
        uuid(id);
        printf("%s{\"type\":\"indicator\",\"spec_version\":\"2.1\",\"id\":\"indicator--%s\","
               "\"created\":\"2026-11-01T00:00:00.000Z\",\"modified\":\"2026-11-01T00:00:00.000Z\","
               "\"pattern\":\"%s\",\"pattern_type\":\"stix\","
               "\"valid_from\":\"2026-11-01T00:00:00Z\"%s,\"labels\":[\"%s\"],\"confidence\":%d}",
               i ? "," : "", id, pattern,
               it.expires ? ",\"valid_until\":\"2100-01-01T00:00:00Z\"" : "", PICK(tags),
               40 + (int)(rnd() % 60));
    }
    puts("]}");
}

/* s percent-encoded for a query string: unreserved characters as they are. */
static void put_encoded(const char *s)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
            strchr("-._~", ch))
            putchar(ch);
        else
            printf("%%%02X", ch);
    }
    putchar('\n');
}

/* Draws q queries for the set of n (regenerated from the same seed). */
static void queries(size_t q, size_t n)
{
    struct item *set = malloc(n * sizeof *set);
    size_t by_kind[5] = {0}, first[5] = {0};
    if (!set)
        exit(1);
    for (size_t i = 0; i < n; i++) {
        make(i, n, &set[i]);
        rnd(); /* the confidence and tag csv() draws per row */
        rnd();
        if (!by_kind[set[i].kind]++)
            first[set[i].kind] = i;
    }
    for (size_t k = 0; k < 5; k++)
        if (!by_kind[k]) {
            fprintf(stderr, "intel_gen: --of %zu is too small for every kind\n", n);
            exit(2);
        }
#define ANY(k) (&set[first[k] + rnd() % by_kind[k]])
    for (size_t i = 0; i < q; i++) {
        bool hit = rnd() % 2;
        unsigned kind = (unsigned)(rnd() % 100);
        char buf[256], w[24];
        if (kind < 70) { /* an address: listed, inside a listed range, or neither */
            if (!hit) {
                ipv4(buf, sizeof buf, (uint32_t)rnd());
            } else if (rnd() % 4) {
                snprintf(buf, sizeof buf, "%s", ANY(K_IPV4)->value);
            } else {
                unsigned a, b, c, d, len;
                sscanf(ANY(K_CIDR4)->value, "%u.%u.%u.%u/%u", &a, &b, &c, &d, &len);
                uint32_t net = a << 24 | b << 16 | c << 8 | d;
                ipv4(buf, sizeof buf, net | ((uint32_t)rnd() & ~(0xffffffffu << (32 - len))));
            }
        } else if (kind < 85) { /* a domain, or a subdomain of one */
            const struct item *it = ANY(K_DOMAIN);
            word(w, 3 + rnd() % 6);
            if (!hit)
                domain(buf, sizeof buf);
            else if (it->subdomains)
                snprintf(buf, sizeof buf, "%s.%s", w, it->value);
            else
                snprintf(buf, sizeof buf, "%s", it->value);
        } else if (kind < 95) { /* a listed URL, or one on an unlisted host */
            if (hit) {
                snprintf(buf, sizeof buf, "%s", ANY(K_URL)->value);
            } else {
                char d[64];
                domain(d, sizeof d);
                word(w, 8);
                snprintf(buf, sizeof buf, "https://%s/%s", d, w);
            }
        } else if (hit) {
            snprintf(buf, sizeof buf, "%s", ANY(K_SHA256)->value);
        } else {
            for (int k = 0; k < 64; k++)
                buf[k] = "0123456789abcdef"[rnd() % 16];
            buf[64] = '\0';
        }
        put_encoded(buf);
    }
#undef ANY
    free(set);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: intel_gen --format csv|stix --count N [--seed S]\n"
               "       intel_gen --format queries --count Q --of N [--seed S]\n");
}

int main(int argc, char **argv)
{
    const char *format = NULL;
    size_t count = 0, of = 0;
    uint64_t seed = 1;
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'}, {"count", required_argument, NULL, 'n'},
        {"of", required_argument, NULL, 'o'},     {"seed", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    for (int c; (c = getopt_long(argc, argv, "", opts, NULL)) != -1;) {
        if (c == 'f')
            format = optarg;
        else if (c == 'n')
            count = strtoull(optarg, NULL, 10);
        else if (c == 'o')
            of = strtoull(optarg, NULL, 10);
        else if (c == 's')
            seed = strtoull(optarg, NULL, 10);
        else {
            usage(c == 'h' ? stdout : stderr);
            return c == 'h' ? 0 : 2;
        }
    }
    if (!format || !count || (!strcmp(format, "queries") && of < 100)) {
        usage(stderr);
        return 2;
    }
    bench_rng_seed(seed);
    if (!strcmp(format, "csv"))
        csv(count);
    else if (!strcmp(format, "stix"))
        stix(count);
    else if (!strcmp(format, "queries"))
        queries(count, of);
    else {
        usage(stderr);
        return 2;
    }
    return ferror(stdout) || fflush(stdout) ? 1 : 0;
}
