/*
 * intel_exchange.h - what the importers and exporters of intel_stix.h,
 * intel_misp.h and intel_csv.h share: the JSON loader that refuses malformed or
 * too deeply nested files with their position, the indicator an importer starts
 * each value from, the threat category a type or a word implies, tags, and the
 * deterministic ids that keep re-exports stable.
 */
#ifndef YJ_INTEL_INTEL_EXCHANGE_H
#define YJ_INTEL_INTEL_EXCHANGE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "intel/intel.h"

struct json_t; /* jansson's; only the loader hands one out */

enum {
    INTEL_JSON_DEPTH_MAX = 64, /* arrays and objects nested in an imported file */
    INTEL_UUID_STRLEN = 37,    /* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" + NUL */
};

/*
 * Parses len bytes of JSON into *out (a new reference the caller json_decref's).
 * YJ_EINVAL naming field: not JSON ("malformed JSON at line 3, column 7: ..."),
 * invalid UTF-8, a duplicate key, or nesting deeper than INTEL_JSON_DEPTH_MAX
 * (with the line and column where it goes too deep); YJ_ENOMEM.
 */
enum yj_err intel_json_load(const char *text, size_t len, const char *field, struct json_t **out,
                            struct yj_error *err);

/* *ind as an importer starts it: a copy of *defaults (tags included), or the built-in
 * defaults (tlp amber, confidence 50, sightings 1, category other) when NULL. */
void intel_template_init(struct intel_indicator *ind, const struct intel_indicator *defaults);

/* The category a value of type t is when nothing else says: IPs and ranges malicious_ip,
 * domains malicious_domain, URLs malicious_url, e-mail malicious_message, hashes and apps
 * malware, C&C endpoints botnet. */
enum intel_category intel_category_of_type(enum intel_type t);

/* The category a threat word implies ("phishing", "botnet", "c2", "trojan", "worm",
 * "command-and-control", "compromised", "malware", "ransomware", ... any case, also as part
 * of a tag such as "kill-chain:c2"); INTEL_CAT_OTHER for none. */
enum intel_category intel_category_of_word(const char *word);

/* Adds tag (arena text, already copied) unless present; false when the indicator already
 * has INTEL_TAGS_MAX tags or the tag is empty or longer than INTEL_TAG_MAX bytes. */
bool intel_tag_add(struct intel_indicator *ind, const char *tag);

/* Drops, in place, every byte of s that is not part of a valid UTF-8 sequence: a message
 * that quotes input cut short with "%.40s" stays text that JSON can carry. */
void intel_utf8_scrub(char *s);

/*
 * Ids for the indicators of one export, the same in every export: uuid5 of
 * "type:value", and of "type:value#k" for the k-th repeat of a pair in the export.
 * intel_ids_new sizes the table for n indicators (NULL when out of memory);
 * intel_ids_next fills out[INTEL_UUID_STRLEN] for the next one; the indicators must
 * outlive the table. intel_ids_free(NULL) is a no-op.
 */
struct intel_ids;
struct intel_ids *intel_ids_new(size_t n);
void intel_ids_next(struct intel_ids *ids, const struct intel_indicator *ind, char *out);
void intel_ids_free(struct intel_ids *ids);

/* A name-based (RFC 4122 version 5, SHA-1) UUID of name in yingji's namespace, lower-case
 * text into out[INTEL_UUID_STRLEN]: the same name gives the same id in every export. */
void intel_uuid5(const char *name, size_t len, char *out);

#endif
