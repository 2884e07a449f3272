/*
 * lookup.h - answers "which live indicators match this value" from memory: IPs
 * exactly and by CIDR containment, domains exactly and by parent domains, URLs
 * exactly and by their host, everything else exactly.
 *
 * Lifecycle: intel_lookup_new(), intel_lookup_add() for every indicator (values
 * in canonical form, intel.h), intel_lookup_finish(), then queries. A finished
 * lookup is immutable: any number of threads may query it at once without locks.
 * It is never changed in place: when indicators change, build a new one and swap
 * the pointer that readers take (under the owner's lock or atomically); each
 * reader holds a reference (intel_lookup_ref) while it queries and drops it with
 * intel_lookup_free, so the old one is freed when its last reader is done.
 *
 * Memory: an IPv4 indicator costs 20 bytes (a 4-byte key array searched through a
 * 256 KiB index of the top 16 bits, beside a 16-byte id/expiry array); CIDRs are
 * kept per prefix length; other values sit in a string pool under an
 * open-addressing table of 64-bit hashes, verified against the pooled string.
 */
#ifndef YJ_INTEL_LOOKUP_H
#define YJ_INTEL_LOOKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "intel/intel.h"

struct intel_lookup;

/* How a hit matched the queried value. */
enum intel_match {
    INTEL_MATCH_EXACT,  /* the same value */
    INTEL_MATCH_RANGE,  /* a CIDR range containing the queried address or range */
    INTEL_MATCH_PARENT, /* a parent domain whose subdomains match too */
};

struct intel_lookup_hit {
    int64_t id;
    enum intel_type type; /* the indicator's type */
    enum intel_match match;
    bool via_host;  /* matched the host of a queried URL, not the URL itself */
    int prefix;     /* INTEL_MATCH_RANGE: the range's prefix length */
    uint32_t slot_; /* internal: where the indicator sits, for intel_lookup_hit_value */
};

/* An empty lookup to add to (refcount 1), or NULL when out of memory. Free with
 * intel_lookup_free. */
struct intel_lookup *intel_lookup_new(void);

/*
 * Adds one indicator: id (the store's), its type, its canonical value (copied),
 * for domains whether subdomains match too (ignored for other types), and its
 * expiry in UTC ms (0: never expires). YJ_EINVAL naming "value" when the value
 * does not parse as its type (IPs and CIDRs are parsed; other values are taken as
 * canonical), YJ_ENOMEM, or YJ_EINVAL when the lookup is already finished.
 */
enum yj_err intel_lookup_add(struct intel_lookup *l, int64_t id, enum intel_type type,
                             const char *value, bool subdomains, int64_t valid_until,
                             struct yj_error *err);

/* Sorts and indexes what was added; after this only queries. YJ_ENOMEM (the lookup
 * is then unusable: free it). */
enum yj_err intel_lookup_finish(struct intel_lookup *l, struct yj_error *err);

/*
 * Every indicator live at now (valid_until 0 or > now) matching value, a
 * canonical value of type (intel_canonical or intel_guess make one), in this
 * order:
 *   ipv4/ipv6: the same address, then containing CIDRs, most specific first;
 *   cidr4/cidr6: the same range, then the larger ranges containing it;
 *   domain: the same domain (with or without its subdomains flag), then parent
 *           domains flagged with subdomains, nearest first;
 *   url: the same URL, then (via_host) what its host matches as a domain or IP;
 *   email, hashes, cc, app: the same value.
 * Writes the first max hits to hits (which may be NULL when max is 0) and returns
 * how many matched in all. A value that does not parse as its type matches nothing.
 * Safe from any number of threads on a finished lookup; returns 0 on an unfinished one.
 */
size_t intel_lookup_find(const struct intel_lookup *l, enum intel_type type, const char *value,
                         int64_t now, struct intel_lookup_hit *hits, size_t max);

/* The canonical value of a hit's indicator into buf (NUL-terminated, cut to cap);
 * returns its full length like snprintf. */
size_t intel_lookup_hit_value(const struct intel_lookup *l, const struct intel_lookup_hit *hit,
                              char *buf, size_t cap);

struct intel_lookup_stats {
    size_t count[INTEL_TYPE__COUNT]; /* indicators added, by type */
    size_t ipv4_bytes;               /* bytes of the structures holding IPv4 indicators */
    size_t total_bytes;              /* bytes of every structure of the finished lookup */
};
void intel_lookup_stats(const struct intel_lookup *l, struct intel_lookup_stats *st);

/* Takes a reference for a reader: returns l. */
struct intel_lookup *intel_lookup_ref(struct intel_lookup *l);

/* Drops a reference; the last one frees. NULL is a no-op. */
void intel_lookup_free(struct intel_lookup *l);

#endif
