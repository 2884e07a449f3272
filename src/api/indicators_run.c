/*
 * indicators_run.c - what the API and the command line share of the indicator
 * store (api_indicators.h): an import from text to committed rows, an export, the
 * indicators of an accepted threat report, and the in-memory lookup kept in step
 * with the store.
 *
 * The lookup is immutable once built (lookup.h): a change makes the next reader
 * build a new one from a fresh snapshot while the others keep querying the old,
 * which is freed when its last reader drops it.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api/api_indicators.h"
#include "intel/intel_csv.h"
#include "intel/intel_misp.h"
#include "intel/intel_stix.h"
#include "store/store_threats.h"

/* --- the lookup --------------------------------------------------------------------------- */

static pthread_mutex_t lk_lock = PTHREAD_MUTEX_INITIALIZER;
static struct intel_lookup *lk_cur;  /* guarded by lk_lock */
static const struct store *lk_store; /* the store lk_cur was built from */
static uint64_t lk_built;            /* the generation lk_cur was built at */
static bool lk_building;             /* a reader is building the next one */
static pthread_cond_t lk_built_cond = PTHREAD_COND_INITIALIZER; /* lk_building went false */
static _Atomic uint64_t lk_generation = 1;

void api_indicators_changed(void)
{
    atomic_fetch_add(&lk_generation, 1);
}

enum yj_err api_indicators_lookup_get(struct store *st, struct intel_lookup **out,
                                      struct yj_error *err)
{
    pthread_mutex_lock(&lk_lock);
    /* With none to serve meanwhile (the first since start, which the server builds in the
     * background), wait for the one being built rather than build a second. */
    while (lk_building && !(lk_cur && lk_store == st))
        pthread_cond_wait(&lk_built_cond, &lk_lock);
    /* Read before the snapshot is taken: a change committed after it bumps it again. */
    uint64_t gen = atomic_load(&lk_generation);
    bool mine = lk_cur && lk_store == st;
    if (mine && (lk_built == gen || lk_building)) {
        *out = intel_lookup_ref(lk_cur);
        pthread_mutex_unlock(&lk_lock);
        return YJ_OK;
    }
    lk_building = true;
    pthread_mutex_unlock(&lk_lock);

    struct intel_lookup *fresh = NULL;
    struct store_tx *tx = NULL;
    enum yj_err rc = store_read_begin(st, &tx, err);
    if (!rc)
        rc = store_indicators_lookup(tx, &fresh, err);
    store_tx_end(tx);

    pthread_mutex_lock(&lk_lock);
    lk_building = false;
    pthread_cond_broadcast(&lk_built_cond);
    struct intel_lookup *old = NULL;
    if (!rc) {
        old = lk_cur;
        lk_cur = fresh;
        lk_store = st;
        lk_built = gen;
        *out = intel_lookup_ref(fresh);
    }
    pthread_mutex_unlock(&lk_lock);
    intel_lookup_free(old);
    return rc;
}

/* --- import ------------------------------------------------------------------------------- */

enum yj_err api_indicators_parse(const struct api_import_req *r, const char *text, size_t len,
                                 struct yj_arena *a, struct intel_batch *b, struct yj_error *err)
{
    struct intel_indicator d;
    intel_template_init(&d, r->defaults);
    if (!strcmp(r->format, "stix"))
        return intel_stix_import(text, len, &d, a, b, err);
    if (!strcmp(r->format, "misp"))
        return intel_misp_import(text, len, &d, a, b, err);
    if (!strcmp(r->format, "plain"))
        return intel_list_import(text, len, &d, a, b, err);
    struct intel_csv_map m;
    intel_csv_map_init(&m);
    if (r->columns) {
        /* The mapping reads like a header row the file does not have. */
        enum yj_err rc = intel_csv_map_header(r->columns, strlen(r->columns), &m, err);
        if (rc) {
            char msg[YJ_ERR_MSG_MAX];
            snprintf(msg, sizeof msg, "%s", err->msg);
            yj_error_set(err, rc, "columns", "%s", msg);
            return rc;
        }
        m.header = false;
    } else {
        enum yj_err rc = intel_csv_map_header(text, len, &m, err);
        if (rc)
            return rc;
    }
    return intel_csv_import(text, len, &m, &d, a, b, err);
}

static json_t *problems_json(const struct intel_batch *b)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < b->n_problems && i < API_INDICATOR_PROBLEMS_MAX; i++) {
        const struct intel_problem *p = &b->problems[i];
        json_array_append_new(arr, json_pack("{s:s?,s:s?,s:s?}", "where", p->where, "object",
                                             p->object, "reason", p->reason));
    }
    if (b->n_problems > API_INDICATOR_PROBLEMS_MAX)
        json_array_append_new(arr,
                              json_pack("{s:s,s:n,s:I}", "where", "more", "object", "reason",
                                        (json_int_t)(b->n_problems - API_INDICATOR_PROBLEMS_MAX)));
    return arr;
}

static bool format_ok(const char *f, bool import)
{
    return f && (!strcmp(f, "stix") || !strcmp(f, "misp") || !strcmp(f, "csv") ||
                 (import && !strcmp(f, "plain")));
}

enum yj_err api_indicators_run_import(struct store *st, const struct api_import_req *r,
                                      const char *text, size_t len, int64_t now,
                                      struct audit_entry *audit, struct yj_arena *a,
                                      struct store_import *out, json_t **problems,
                                      struct yj_error *err)
{
    if (!format_ok(r->format, true))
        return yj_error_set(err, YJ_EINVAL, "format", "must be stix, misp, csv or plain");
    if (!r->source || !*r->source || strlen(r->source) > 200)
        return yj_error_set(err, YJ_EINVAL, "source", "must name the feed (1 to 200 bytes)");
    if (r->columns && strcmp(r->format, "csv"))
        return yj_error_set(err, YJ_EINVAL, "columns", "only for format csv");
    struct intel_batch b;
    intel_batch_init(&b);
    enum yj_err rc = api_indicators_parse(r, text, len, a, &b, err);
    if (rc) {
        /* The importers name the file; over HTTP the file is the body. */
        if (!strcmp(err->field, "file"))
            snprintf(err->field, sizeof err->field, "body");
        return rc;
    }
    struct store_tx *tx = NULL;
    json_t *probs = NULL;
    rc = store_write_begin(st, &tx, err);
    if (!rc)
        rc = api_indicators_import_batch(tx, r, &b, now, audit, a, out, &probs, err);
    if (!rc)
        rc = store_tx_commit(tx, err);
    store_tx_end(tx);
    if (rc) {
        json_decref(probs);
        return rc;
    }
    api_indicators_changed();
    if (problems)
        *problems = probs;
    else
        json_decref(probs);
    return YJ_OK;
}

enum yj_err api_indicators_import_batch(struct store_tx *tx, const struct api_import_req *r,
                                        const struct intel_batch *b, int64_t now,
                                        struct audit_entry *audit, struct yj_arena *a,
                                        struct store_import *out, json_t **problems,
                                        struct yj_error *err)
{
    json_t *probs = problems_json(b);
    char *ptext = json_dumps(probs, JSON_COMPACT);
    *out = (struct store_import){.format = r->format,
                                 .source = r->source,
                                 .started_at = now,
                                 .finished_at = now,
                                 .objects = (int64_t)b->objects,
                                 .problems = ptext,
                                 .created_by = r->created_by};
    struct intel_warninglists *wl = NULL;
    enum yj_err rc = store_warninglists_load(tx, &wl, err);
    if (!rc)
        rc = store_indicators_import(tx, b, r->source, r->report_id, wl, now, &out->counts, err);
    if (!rc)
        rc = store_import_insert(tx, out, err);
    if (!rc && audit) {
        json_t *c = json_pack(
            "{s:s,s:s,s:I,s:I,s:I,s:I,s:I}", "format", r->format, "source", r->source, "objects",
            (json_int_t)b->objects, "imported", (json_int_t)out->counts.imported, "merged",
            (json_int_t)out->counts.merged, "flagged", (json_int_t)out->counts.flagged, "problems",
            (json_int_t)b->n_problems);
        char *changes = json_dumps(c, JSON_COMPACT);
        json_decref(c);
        audit->object_id = yj_arena_printf(a, "%lld", (long long)out->id);
        audit->changes = changes;
        rc = audit_append(tx, audit, now, err);
        audit->changes = NULL;
        free(changes);
    }
    intel_warninglists_free(wl);
    out->problems = NULL;
    free(ptext);
    if (!rc && problems)
        *problems = probs;
    else
        json_decref(probs);
    return rc;
}

/* --- export ------------------------------------------------------------------------------- */

enum yj_err api_indicators_run_export(struct store_tx *tx, const char *format,
                                      const struct store_indicator_query *q, int64_t now,
                                      struct yj_arena *a, struct yj_buf *out, struct yj_error *err)
{
    if (!format_ok(format, false))
        return yj_error_set(err, YJ_EINVAL, "format", "must be stix, misp or csv");
    struct store_indicator *rows = NULL;
    size_t n = 0;
    enum yj_err rc = store_indicator_list(tx, q, a, &rows, &n, err);
    if (rc)
        return rc;
    struct intel_indicator *items = yj_arena_calloc(a, n ? n : 1, sizeof *items);
    if (!items)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    /* Oldest first, as they were stored: an export of the same rows is the same file. */
    for (size_t i = 0; i < n; i++)
        items[i] = rows[n - 1 - i].ind;
    if (!strcmp(format, "stix"))
        return intel_stix_export(items, n, now, out, err);
    if (!strcmp(format, "misp"))
        return intel_misp_export(items, n, NULL, now, out, err);
    return intel_csv_export(items, n, out, err);
}

/* --- threat reports ----------------------------------------------------------------------- */

enum yj_err api_indicators_from_report(struct store_tx *tx, int64_t report_id, int64_t now,
                                       struct yj_arena *a, struct yj_error *err)
{
    struct threat_indicator *ti = NULL;
    size_t n = 0;
    enum yj_err rc = store_threat_indicators(tx, report_id, a, &ti, &n, err);
    if (rc || n == 0)
        return rc;
    struct intel_batch b;
    intel_batch_init(&b);
    for (size_t i = 0; !rc && i < n; i++) {
        struct intel_indicator ind;
        intel_template_init(&ind, NULL);
        ind.type = ti[i].type;
        ind.value = ti[i].value;
        ind.category =
            ti[i].role == THREAT_ROLE_C2 ? INTEL_CAT_BOTNET : intel_category_of_type(ti[i].type);
        ind.description = ti[i].note;
        ind.first_seen = now;
        ind.last_seen = now;
        intel_tag_add(&ind, yj_arena_printf(a, "role:%s", threat_role_code(ti[i].role)));
        rc = intel_batch_add(&b, a, &ind, err);
    }
    const char *source = yj_arena_printf(a, "report:%lld", (long long)report_id);
    struct intel_warninglists *wl = NULL;
    struct store_import imp = {.format = "report",
                               .source = source,
                               .started_at = now,
                               .finished_at = now,
                               .objects = (int64_t)n,
                               .problems = "[]"};
    if (!rc)
        rc = store_warninglists_load(tx, &wl, err);
    if (!rc)
        rc = store_indicators_import(tx, &b, source, report_id, wl, now, &imp.counts, err);
    if (!rc)
        rc = store_import_insert(tx, &imp, err);
    intel_warninglists_free(wl);
    return rc;
}
