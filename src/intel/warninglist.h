/*
 * warninglist.h - MISP warning lists: values that must never be treated as
 * malicious (private ranges, public resolvers, CDNs, well-known domains). An
 * importer asks whether an indicator is covered and flags it instead of storing
 * it as malicious.
 *
 * A list is MISP's JSON, {"name", "type", "list": [...], "description",
 * "version", ...}, whose type says how its entries match:
 *   "cidr"      addresses and ranges (v4 and v6): an IP inside, or a range
 *               inside a listed range, is covered;
 *   "hostname"  domains: the domain or any subdomain of it is covered;
 *   "string"    the canonical value equals an entry (ASCII case ignored);
 *   "substring" the canonical value contains an entry (ASCII case ignored);
 *   "regex"     not supported: the list loads, is reported unsupported and
 *               never matches (so a regex list cannot silently filter).
 * IPs and domains are also found where a value carries them: a URL's host, an
 * e-mail address's domain, a C&C endpoint's host. MISP's "matching_attributes"
 * is not used: the list's type decides which indicator types it can cover.
 *
 * Lifecycle as intel_lookup (lookup.h): _new, _load_* for each list, _finish,
 * then matches from any number of threads; a changed set of lists is a new
 * object swapped in whole. Returned pointers are owned by the set and valid
 * until intel_warninglists_free.
 */
#ifndef YJ_INTEL_WARNINGLIST_H
#define YJ_INTEL_WARNINGLIST_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "intel/intel.h"

enum intel_wl_type {
    INTEL_WL_CIDR,
    INTEL_WL_HOSTNAME,
    INTEL_WL_STRING,
    INTEL_WL_SUBSTRING,
    INTEL_WL_REGEX,
    INTEL_WL__COUNT
};
const char *intel_wl_type_code(enum intel_wl_type t); /* "cidr", "hostname", ... */

/* What was loaded of one list. */
struct intel_warninglist {
    const char *name;        /* the list's "name" */
    const char *description; /* may be "" */
    enum intel_wl_type type;
    bool supported; /* false for regex lists: they never match */
    size_t entries; /* entries in the file's "list" */
    size_t skipped; /* entries that could not be used (a bad CIDR, an empty string...) */
    long version;   /* the file's "version", 0 when absent */
};

struct intel_warninglists;

/* An empty set, or NULL when out of memory. */
struct intel_warninglists *intel_warninglists_new(void);

/*
 * Adds the list in json[0..len) (where names it in errors, e.g. the file path).
 * YJ_EINVAL naming the field ("list[12]", "type"...) or, for malformed JSON,
 * naming where with the line and column; nothing of the list is kept then.
 * YJ_ENOMEM. YJ_EINVAL when the set is already finished.
 */
enum yj_err intel_warninglists_load_json(struct intel_warninglists *w, const char *json, size_t len,
                                         const char *where, struct yj_error *err);

/* The same from a file; YJ_EIO when it cannot be read. */
enum yj_err intel_warninglists_load_file(struct intel_warninglists *w, const char *path,
                                         struct yj_error *err);

/* Every "*.json" file of dir and every "<dir>/<name>/list.json" (MISP's repository
 * layout), in name order; stops at the first failure. */
enum yj_err intel_warninglists_load_dir(struct intel_warninglists *w, const char *dir,
                                        struct yj_error *err);

/* Indexes what was loaded; then only matches. YJ_ENOMEM. */
enum yj_err intel_warninglists_finish(struct intel_warninglists *w, struct yj_error *err);

/* The first list (in load order) covering value, a canonical value of type t, or
 * NULL when none does or the set is not finished. */
const struct intel_warninglist *intel_warninglists_match(const struct intel_warninglists *w,
                                                         enum intel_type t, const char *value);

/* The lists loaded, in load order: i < intel_warninglists_count(). */
size_t intel_warninglists_count(const struct intel_warninglists *w);
const struct intel_warninglist *intel_warninglists_get(const struct intel_warninglists *w,
                                                       size_t i);

/* NULL is a no-op. */
void intel_warninglists_free(struct intel_warninglists *w);

#endif
