/*
 * intel_misp.h - MISP in and out (issue 5 "Exchange"): MISP event JSON, MISP
 * feeds (a directory of event files named by a manifest), an event written so
 * that it re-imports to the same indicators, and the STIX 2.1 pattern of a MISP
 * attribute as MISP's own converter (misp-stix) writes it.
 *
 * Ownership: what an importer produces lives in the caller's arena; the input is
 * only borrowed for the call. Exports append to a caller-owned struct yj_buf
 * whose maximum bounds the file.
 */
#ifndef YJ_INTEL_INTEL_MISP_H
#define YJ_INTEL_INTEL_MISP_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "intel/intel.h"

enum {
    INTEL_MISP_FILE_MAX = 256 << 20, /* bytes of one event file or manifest in a feed */
    INTEL_MISP_FEED_EVENTS_MAX = 100000,
};

/*
 * MISP event JSON ({"Event": {...}}, or the event object itself) -> indicators
 * appended to *b. Every attribute, of the event and of its objects
 * (Object[].Attribute[]), is counted in b->objects and either imported or
 * reported as a problem naming it (where "Event.Attribute[3]" or
 * "Event.Object[2].Attribute[0]", object its uuid).
 *
 * Mapped types: ip-src, ip-dst (an address or CIDR range), ip-dst|port and
 * hostname|port (a C&C endpoint), ip-src|port (the address; the source port is
 * reported), domain, hostname, domain|ip (both values), url, uri, link, email,
 * email-src, email-dst, md5, sha1, sha256, filename|md5, filename|sha1,
 * filename|sha256, malware-sample (the hash; the file name becomes the
 * description when there is no comment), mobile-application-id. Not imported
 * and reported: other types, attributes with to_ids false (not meant for
 * detection), deleted ones, values not valid for their type.
 *
 * Fields: uuid -> external_id; comment -> description; first_seen (else
 * timestamp) -> first_seen; last_seen; tags of the event and the attribute ->
 * tags, except tlp:* (-> tlp, the attribute's over the event's, the most
 * restrictive of each) and our own exports' yingji:* machine tags (category,
 * confidence, sightings, valid_until, subdomains, protocol, and type for
 * values MISP has no type for); osint:certainty="N" -> confidence too. The
 * category: yingji:category, else a threat word in the attribute's tags, else
 * defaults' (unless other), else the value's type. defaults as for
 * intel_stix_import (NULL: tlp amber, confidence 50).
 *
 * YJ_EINVAL naming field "file": not JSON (with line and column), nesting deeper
 * than INTEL_JSON_DEPTH_MAX, not a MISP event; the batch is then left exactly as
 * it was. YJ_ENOMEM likewise.
 */
enum yj_err intel_misp_import(const char *text, size_t len, const struct intel_indicator *defaults,
                              struct yj_arena *a, struct intel_batch *b, struct yj_error *err);

/*
 * A MISP feed directory: manifest.json (an object keyed by event uuid) and one
 * <uuid>.json per event, each imported as by intel_misp_import in uuid order,
 * problems' where prefixed with the file name ("5a3c...json: Event.Attribute[0]").
 * A manifest key that is not a uuid, or an event file that is missing, is a
 * problem. YJ_EINVAL naming the file ("manifest.json", "<uuid>.json") when it is
 * malformed or not an event, YJ_ETOOBIG when over INTEL_MISP_FILE_MAX or more than
 * INTEL_MISP_FEED_EVENTS_MAX events, YJ_EIO when the directory or manifest cannot
 * be read; then the batch is left exactly as it was.
 */
enum yj_err intel_misp_feed_import(const char *dir, const struct intel_indicator *defaults,
                                   struct yj_arena *a, struct intel_batch *b, struct yj_error *err);

/*
 * n indicators -> one MISP event {"Event": {...}} appended to *out: info (NULL:
 * "yingji export"), date (China Standard Time) and timestamp from now_ms, the
 * event's TLP tag the most restrictive of its attributes', and one attribute per
 * indicator with to_ids true, its uuid derived from type and value (stable across
 * exports), the MISP type and category of the value (ip-dst, domain, url, email,
 * md5, sha1, sha256, ip-dst|port / hostname|port, mobile-application-id; text
 * with a yingji:type tag for SM3 hashes and apps with a certificate), comment
 * its description, first_seen / last_seen / timestamp, its tags plus tlp:* and
 * the yingji:* tags for what MISP has no field for. Re-imported it yields the
 * same indicators. YJ_EINVAL naming "items[i]" for an indicator without a value;
 * YJ_ETOOBIG when out->max is reached; YJ_ENOMEM. On failure out->len is restored.
 */
enum yj_err intel_misp_export(const struct intel_indicator *items, size_t n, const char *info,
                              int64_t now_ms, struct yj_buf *out, struct yj_error *err);

/*
 * The STIX 2.1 pattern of a MISP attribute (type, raw value) as misp-stix writes it,
 * for the types the importer maps (e.g. ip-dst 5.6.7.8 -> "[network-traffic:dst_ref.type
 * = 'ipv4-addr' AND network-traffic:dst_ref.value = '5.6.7.8']"), into *out (arena
 * text). YJ_EINVAL naming "type" for a type it does not convert, "value" for a
 * composite value without its '|'; YJ_ENOMEM.
 */
enum yj_err intel_misp_attr_pattern(const char *type, const char *value, struct yj_arena *a,
                                    const char **out, struct yj_error *err);

#endif
