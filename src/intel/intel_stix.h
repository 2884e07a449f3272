/*
 * intel_stix.h - STIX 2.1 in and out (STANDARDS.md §4, issue 5 "Exchange").
 *
 * Import reads a bundle: indicators whose pattern (pattern_type "stix") is parsed
 * by a parser of the STIX patterning grammar, the cyber-observable objects that
 * are indicator values themselves (ipv4-addr, ipv6-addr, domain-name, url,
 * email-addr, file with hashes), and everything else counted and reported as not
 * imported. Export writes a bundle of indicators whose patterns re-import to the
 * same indicators.
 *
 * The helpers every importer shares (JSON loading, templates, ids) are in
 * intel_exchange.h.
 *
 * Ownership: everything an importer produces lives in the caller's arena; the
 * input text is only borrowed for the call. Exports append to a caller-owned
 * struct yj_buf whose maximum bounds the file.
 */
#ifndef YJ_INTEL_INTEL_STIX_H
#define YJ_INTEL_INTEL_STIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "intel/intel.h"
#include "intel/intel_exchange.h" /* the shared helpers, which were declared here first */

enum {
    INTEL_STIX_PATTERN_MAX = 256 * 1024, /* bytes of one pattern (feeds OR thousands of values) */
};

/*
 * STIX 2.1 bundle text (len bytes, not necessarily NUL-terminated) -> indicators
 * appended to *b, every object counted in b->objects.
 *
 * Indicators: pattern parsed (see intel_stix_pattern_import); id -> external_id;
 * description (else name) -> description; labels and indicator_types (except
 * "malicious-activity", which all of them are) -> tags; the category from
 * those words (phishing, botnet / c2 / trojan / worm, compromised, malware)
 * else from the value's type; confidence; valid_from (else created, else
 * modified) -> first_seen; valid_until; object_marking_refs -> tlp (the
 * standard TLP 1.0 and 2.0 marking-definition ids, and TLP marking-definitions
 * in the bundle; the most restrictive wins). Our own exports carry what STIX has
 * no property for in "x_yingji" (category, sightings, first/last seen,
 * subdomains), which then wins over the derived values.
 * Cyber-observables (ipv4-addr, ipv6-addr, domain-name, url, email-addr, file
 * hashes MD5 / SHA-1 / SHA-256 / SM3) become indicators too (external_id their
 * id). Every other object, and every part that is not imported, is an
 * intel_problem: per object for indicators (where "objects[i]", object its id,
 * reason naming the pattern part), one per type for the rest ("relationship:
 * not an indicator (30 objects)").
 *
 * defaults (may be NULL): what an indicator starts from - its source, tlp and
 * confidence when the file gives none, tags added to the file's; category
 * INTEL_CAT_OTHER means "from the file or the value's type". NULL: tlp amber,
 * confidence 50, sightings 1.
 *
 * YJ_EINVAL naming field "file" when the text is not JSON (message with line
 * and column), not a bundle, or nests deeper than INTEL_JSON_DEPTH_MAX; the
 * batch is then left exactly as it was (nothing imported). YJ_ENOMEM likewise.
 */
enum yj_err intel_stix_import(const char *text, size_t len, const struct intel_indicator *defaults,
                              struct yj_arena *a, struct intel_batch *b, struct yj_error *err);

/*
 * The values a STIX pattern stands for, each appended to *b as a copy of *tmpl
 * with its type, value and subdomains set. Supported comparisons (with '=', IN
 * a set of strings, and ISSUBSET for ranges): ipv4-addr:value, ipv6-addr:value
 * (a value with /prefix is a CIDR), domain-name:value (and LIKE '%.example.com'
 * for its subdomains), url:value, email-addr:value, email-message's
 * from_ref / sender_ref / to_refs[*] / cc_refs[*] / bcc_refs[*] .value,
 * file:hashes.MD5 / 'SHA-1' / 'SHA-256' / SM3 (quoted or not, any case),
 * network-traffic:src_ref.value / dst_ref.value (an IP or domain; with
 * dst_port and optionally protocols[*] a C&C endpoint), and x-yingji-app
 * package / signing_cert_sha256 (a mobile app). OR yields one indicator per
 * value, in both comparison and observation expressions; AND yields the values
 * when all sides describe the same object (the hashes of one file), other file
 * properties next to a hash are reported and left out (the hash identifies the
 * file). Reported as a problem at where / object, naming the part, and not
 * imported: an AND of different objects, any other object path, operators
 * (MATCHES, LIKE other than above, NOT, <, >, ISSUPERSET, EXISTS), FOLLOWEDBY,
 * qualifiers (WITHIN, REPEATS, START/STOP), values that are not valid for their
 * type, and a syntax error (with its column).
 * Returns YJ_OK whatever the pattern held; YJ_ENOMEM only.
 */
enum yj_err intel_stix_pattern_import(const char *pattern, const struct intel_indicator *tmpl,
                                      const char *where, const char *object, struct yj_arena *a,
                                      struct intel_batch *b, struct yj_error *err);

/*
 * The STIX pattern of one indicator, as the exporter writes it, into *out (arena
 * text): "[ipv4-addr:value = '203.0.113.7']", "[file:hashes.'SHA-256' = '...']",
 * "[domain-name:value = 'example.com' OR domain-name:value LIKE '%.example.com']"
 * for a domain with its subdomains, network-traffic for a C&C endpoint. It
 * re-imports (intel_stix_pattern_import) to the same type and value.
 * YJ_EINVAL naming "type" for an indicator without a type or value; YJ_ENOMEM.
 */
enum yj_err intel_stix_pattern(const struct intel_indicator *ind, struct yj_arena *a,
                               const char **out, struct yj_error *err);

/*
 * n indicators -> a STIX 2.1 bundle appended to *out: one "indicator" object each,
 * its id "indicator--<UUID>" derived from type and value (so a re-export is
 * byte-identical and ids are stable across exports; a second indicator with the
 * same type and value gets the next derived id), created / modified / valid_from
 * its first_seen (now_ms when it has none), valid_until, labels its tags,
 * confidence, description, object_marking_refs its TLP (the standard TLP 1.0 ids,
 * TLP 2.0 for amber+strict), and "x_yingji" for what STIX has no property for.
 * The bundle's id derives from its indicators' ids.
 * YJ_EINVAL naming "items[i]" for an indicator without a value; YJ_ETOOBIG when
 * out->max is reached; YJ_ENOMEM. On failure out->len is restored.
 */
enum yj_err intel_stix_export(const struct intel_indicator *items, size_t n, int64_t now_ms,
                              struct yj_buf *out, struct yj_error *err);

/* Appends n bytes of s as a STIX string literal: quoted, quotes and backslashes escaped. */
enum yj_err intel_stix_string(struct yj_buf *out, const char *s, size_t n);

#endif
