/*
 * api_indicators.h - the HTTP side of the indicator store (issue 5): import and
 * export in STIX 2.1, MISP and CSV, the list, an indicator with its sources, tags
 * and reports, edits, the lookup, and the MISP warning lists (routes in
 * routes_indicators.inc; docs/api-indicators.md is the prose contract). Also the
 * parts the command line shares (`yingji intel`): an import run start to end, an
 * export, and the in-memory lookup kept in step with the store.
 */
#ifndef YJ_API_API_INDICATORS_H
#define YJ_API_API_INDICATORS_H

#include "api/api.h"
#include "audit/audit.h"
#include "core/buf.h"
#include "http/http.h"
#include "store/store_indicators.h"

enum {
    API_INDICATOR_IMPORT_MAX = 64 << 20,  /* bytes of an imported file */
    API_INDICATOR_EXPORT_MAX = 256 << 20, /* bytes of an exported file */
    API_WARNINGLIST_MAX = 16 << 20,       /* bytes of a warning list */
    API_INDICATOR_LOOKUP_HITS = 100,      /* matches a lookup answers at most */
    API_INDICATOR_PROBLEMS_MAX = 1000,    /* problems an import reports (the rest counted) */
};

/* indicators_api.c */
void api_indicators_import(void *app, struct http_request *req, struct http_response *resp);
void api_indicators_list(void *app, struct http_request *req, struct http_response *resp);
void api_indicators_get(void *app, struct http_request *req, struct http_response *resp);
void api_indicators_patch(void *app, struct http_request *req, struct http_response *resp);
void api_indicators_lookup(void *app, struct http_request *req, struct http_response *resp);
void api_indicators_export(void *app, struct http_request *req, struct http_response *resp);
void api_warninglists_list(void *app, struct http_request *req, struct http_response *resp);
void api_warninglists_create(void *app, struct http_request *req, struct http_response *resp);
void api_warninglists_patch(void *app, struct http_request *req, struct http_response *resp);

/* --- shared with the command line (indicators_run.c) ---------------------------------- */

/* What to import: format "stix", "misp", "csv" or "plain"; source (required) names the
 * feed; columns (csv only, may be NULL) maps the columns by name, comma-separated, as
 * a header row would (intel_csv.h); otherwise a csv file's first row is its header. */
struct api_import_req {
    const char *format, *source, *columns;
    int64_t created_by; /* 0: the command line */
    int64_t report_id;  /* > 0: link every indicator to this threat report */
    /* What each indicator starts from (a feed's defaults); NULL: the importers' own. */
    const struct intel_indicator *defaults;
};

/*
 * Parses text and imports every indicator in one write transaction with the enabled
 * warning lists applied, recording the import (out->id, counts, problems) and
 * appending audit (may be NULL; its object_id is set to the import's id) in the same
 * transaction; then marks the lookup stale. YJ_EINVAL naming "format", "source",
 * "columns", or "body" for a malformed file (the importer's message, with the
 * position) — nothing is imported then. *problems gets the problems as a JSON array
 * (a new reference) when not NULL.
 */
enum yj_err api_indicators_run_import(struct store *st, const struct api_import_req *r,
                                      const char *text, size_t len, int64_t now,
                                      struct audit_entry *audit, struct yj_arena *a,
                                      struct store_import *out, json_t **problems,
                                      struct yj_error *err);

/* Parses text as r->format ("stix", "misp", "csv", "plain"; not checked here) into b,
 * starting each indicator from r->defaults: the importer's YJ_EINVAL naming "file" (or
 * "columns") with its message for a malformed file, b then as it was. */
enum yj_err api_indicators_parse(const struct api_import_req *r, const char *text, size_t len,
                                 struct yj_arena *a, struct intel_batch *b, struct yj_error *err);

/*
 * The second half of api_indicators_run_import, inside the caller's write transaction tx
 * (a feed's run records itself in the same one): imports b with the enabled warning
 * lists applied, records the import (out) and appends audit (may be NULL) as that does.
 * The caller commits, then calls api_indicators_changed().
 */
enum yj_err api_indicators_import_batch(struct store_tx *tx, const struct api_import_req *r,
                                        const struct intel_batch *b, int64_t now,
                                        struct audit_entry *audit, struct yj_arena *a,
                                        struct store_import *out, json_t **problems,
                                        struct yj_error *err);

/* Indicators of tx as format "stix", "misp" or "csv" appended to out. */
enum yj_err api_indicators_run_export(struct store_tx *tx, const char *format,
                                      const struct store_indicator_query *q, int64_t now,
                                      struct yj_arena *a, struct yj_buf *out, struct yj_error *err);

/* The imports of threat report report_id's indicators (threat_indicators) into the store
 * with source "report:<id>", linked to it, inside the caller's write transaction (the
 * review accepting it). */
enum yj_err api_indicators_from_report(struct store_tx *tx, int64_t report_id, int64_t now,
                                       struct yj_arena *a, struct yj_error *err);

/* The lookup (lookup.h) of st's live indicators with a reference for the caller
 * (intel_lookup_free it), built on first use and rebuilt after a change; readers of
 * the old one keep it until they drop it. */
enum yj_err api_indicators_lookup_get(struct store *st, struct intel_lookup **out,
                                      struct yj_error *err);
/* Marks the lookup stale: call after committing a change to indicators. */
void api_indicators_changed(void);

#endif
