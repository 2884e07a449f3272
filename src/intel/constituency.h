/*
 * constituency.h - who owns an address or a name (issue 5): given the ranges
 * and domains each constituent owns, the owner of an IP (the longest prefix
 * containing it), of a CIDR (the longest prefix containing all of it), of a
 * domain (the longest owned domain it is or is a subdomain of), of a URL (by its
 * host) or of an e-mail address (by its domain).
 *
 * Pure rules: no SQL, HTTP or JSON. A linear scan: a constituency holds hundreds
 * or a few thousand ranges, not the millions of the indicator lookup (lookup.h).
 */
#ifndef YJ_INTEL_CONSTITUENCY_H
#define YJ_INTEL_CONSTITUENCY_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

/* One range (canonical cidr4 or cidr6) or domain (canonical) and who owns it. */
struct intel_owned {
    int64_t owner;
    const char *value;
};

/* The answer: owner 0 and matched NULL when nobody owns the value. */
struct intel_owner {
    int64_t owner;
    const char *matched; /* the range or domain that matched (one of the given values) */
};

/*
 * The owner of raw (an IP, CIDR, domain, URL or e-mail address, any form
 * intel_guess takes) among ranges and domains. YJ_EINVAL naming field when raw is
 * none of those (a hash, say); YJ_ENOMEM when a is exhausted. Values of ranges
 * that do not parse as CIDRs are skipped.
 */
enum yj_err intel_constituency_resolve(const struct intel_owned *ranges, size_t n_ranges,
                                       const struct intel_owned *domains, size_t n_domains,
                                       const char *raw, const char *field, struct yj_arena *a,
                                       struct intel_owner *out, struct yj_error *err);

/* The host of a canonical URL as an arena string (brackets of an IPv6 literal
 * dropped), or NULL when it has none. */
const char *intel_url_host(const char *url, struct yj_arena *a);

#endif
