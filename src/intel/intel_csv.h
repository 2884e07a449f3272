/*
 * intel_csv.h - CSV (RFC 4180) with a column mapping, and plain one-per-line lists,
 * in; CSV out, in the columns intel_csv_map_header recognises, so that an export
 * re-imports to the same indicators.
 *
 * Ownership: what an importer produces lives in the caller's arena; the input is
 * only borrowed for the call. Exports append to a caller-owned struct yj_buf whose
 * maximum bounds the file.
 */
#ifndef YJ_INTEL_INTEL_CSV_H
#define YJ_INTEL_INTEL_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "intel/intel.h"

enum {
    INTEL_CSV_COLS_MAX = 256,        /* columns of a row that are looked at */
    INTEL_CSV_FIELD_MAX = 64 * 1024, /* bytes of one field */
};

/* Which column (0-based) holds what; -1: none. */
struct intel_csv_map {
    int value; /* required */
    int type;  /* a type code ("ipv4", "domain", ...; also "ip", "hostname", "uri", "ip-dst",
                  "sha-256"
                  ...); -1 or an empty cell: the type is guessed (intel_guess) */
    int category, confidence, tlp, sightings;
    int tags;                               /* tags separated by tag_sep */
    int first_seen, last_seen, valid_until; /* RFC 3339, "YYYY-MM-DD[ HH:MM:SS]" (UTC) or
                                               seconds since the epoch */
    int subdomains;                         /* "true" / "1" / "yes" */
    int description, external_id;
    bool header;    /* the first row names the columns: skipped */
    char delimiter; /* ',' when 0; also ';', '\t', '|' */
    char tag_sep;   /* ';' when 0 */
};

/* Every column -1 but value 0; no header; ',' and ';'. */
void intel_csv_map_init(struct intel_csv_map *m);

/*
 * Maps the columns of the first row of text by their names (any case, surrounding
 * spaces ignored): value (or indicator, ioc, observable), type, category, confidence,
 * tlp, sightings, tags, first_seen, last_seen, valid_until, subdomains, description,
 * external_id; sets m->header. m->delimiter must be set (0: ','). YJ_EINVAL naming
 * "header" when no column is the value, or the row is malformed.
 */
enum yj_err intel_csv_map_header(const char *text, size_t len, struct intel_csv_map *m,
                                 struct yj_error *err);

/*
 * CSV text -> indicators appended to *b, one per data row (rows counted in
 * b->objects; blank rows and rows whose first field starts with '#' are comments).
 * Each starts from defaults (as for intel_stix_import); a cell that is given wins.
 * A row whose value is missing or not valid for its type is a problem ("line 40",
 * the reason naming the column); a bad category, confidence, TLP, time or tag is
 * a problem too and that field keeps its default while the value is imported.
 * YJ_EINVAL naming "file", with the line and column, for a file that is not text
 * (a NUL byte, control characters, invalid UTF-8), an unterminated quoted field,
 * text after a closing quote, a field over INTEL_CSV_FIELD_MAX; naming "map" for a
 * mapping without a value column or with a quote or line end as delimiter. (The tag
 * separator may be the delimiter: tags are then one quoted field, "elf,mirai".)
 * On failure the batch is left exactly as it was.
 */
enum yj_err intel_csv_import(const char *text, size_t len, const struct intel_csv_map *map,
                             const struct intel_indicator *defaults, struct yj_arena *a,
                             struct intel_batch *b, struct yj_error *err);

/*
 * A plain list -> indicators: one value per line, its type guessed (intel_guess);
 * blank lines and lines starting with '#' or ';' skipped, and a comment after the value
 * (" # ..." or " ; ...") ignored. Non-blank lines counted in b->objects; a value
 * that is none of the types is a problem ("line 7"). YJ_EINVAL naming "file" with
 * the line and column for a file that is not text; then the batch is as it was.
 */
enum yj_err intel_list_import(const char *text, size_t len, const struct intel_indicator *defaults,
                              struct yj_arena *a, struct intel_batch *b, struct yj_error *err);

/*
 * n indicators -> CSV appended to *out: a header row, then one row each with the
 * columns type, value, category, confidence, tlp, sightings, tags (joined by ';'),
 * first_seen, last_seen, valid_until (RFC 3339, empty when not given), subdomains,
 * description, external_id; fields quoted where RFC 4180 needs it (and when they
 * start with '#' or a space), rows ended by CRLF. Re-imported with
 * intel_csv_map_header it yields the same indicators. YJ_EINVAL naming "items[i]"
 * for an indicator without a value or with a tag holding ';'; YJ_ETOOBIG at
 * out->max; YJ_ENOMEM. On failure out->len is restored.
 */
enum yj_err intel_csv_export(const struct intel_indicator *items, size_t n, struct yj_buf *out,
                             struct yj_error *err);

#endif
