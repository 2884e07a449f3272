/*
 * store_indicators_import.c - store_indicators_import (store_indicators.h): a batch
 * of indicators written with as few statements as the merge rules allow.
 *
 * The rows of one (type, value) are chained and folded in memory first, so that each
 * distinct value is written once. The values are inserted IND_ROWS to a statement,
 * which skips those stored already; these are then found (row_ids: a binary search
 * when they are few) and merged with one UPDATE each. Tags, sources and report links
 * follow, KID_ROWS to a statement, gathered in one walk over the values. Per
 * row, SQLite's cost is mostly the statement's: binding, starting, checking and
 * resetting it, which a multi-row INSERT pays once for all its rows. A big batch is
 * written in the order of the (type, value) index (sort_heads).
 *
 * The result is what the rows give merged one by one in file order (the unit test
 * checks exactly that): version +1 per row, the counts per row, ids in the order the
 * values first appear (a big batch: in the index's order).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_indicators.h"
#include "store/store_int.h"

enum {
    NONE = UINT32_MAX,
    /* Rows of one multi-row INSERT of indicators, and of tags, sources or report links. */
    IND_ROWS = 256,
    KID_ROWS = 1024,
    /* A batch this large writes more pages than the connection's cache holds: SQLite would
     * spill dirty ones to the WAL mid-transaction and write many of them twice; the cache
     * grows for it. With as many distinct values it is written in index order (sort_heads). */
    BIG_BATCH = 20000,
    BIG_CACHE_KIB_PER_ROW = 1,
    BIG_CACHE_KIB_MAX = 256 * 1024,
    /* Bound parameters of the largest statement (KID_ROWS sources): SQLite allows 32766
     * since 3.32; a library built with fewer gets single-row statements. */
    MANY_PARAMS = KID_ROWS * 5,
    /* Look-ups of a binary search among IND_ROWS (row_ids). */
    SEARCH_STEPS = 9,
};

/* What the rows of one (type, value) add to it, folded as SQL would merge them one by one. */
struct fold {
    int64_t rows; /* added to version: the first row inserts at 1, each merge adds 1 */
    int64_t sightings, first_seen, last_seen, valid_until;
    int confidence;
    bool subdomains;
    const char *description; /* the first given: a stored one is never replaced */
};

/* A new indicator waiting for its multi-row INSERT. */
struct pending_ind {
    uint32_t first;      /* its first row */
    const char *flagged; /* the warning list that covers it; NULL: none */
    struct fold f;
};

/* A child row waiting for its multi-row INSERT: a tag, a source with its count, a report. */
struct pending_child {
    int64_t id;
    const char *text;
    int64_t n;
};

/* One multi-row INSERT and its single-row twin for what is left at the end; for children,
 * the rows gathered for it. */
struct multi {
    const char *many, *one; /* static SQL: rows rows and one row */
    const char *what;
    int cols;
    size_t rows; /* rows gathered for one write: those of many, or 1 */
    sqlite3_stmt *s_many, *s_one;
    struct pending_child *kids; /* KID_ROWS of them */
    size_t n_kids;
};

struct import {
    struct store_tx *tx;
    const struct intel_batch *b;
    const char *source;
    int64_t report_id, now;
    uint32_t *next;  /* per row: the next row of its (type, value), NONE: the last */
    uint32_t *tail;  /* per first row: the last row of its (type, value) */
    uint32_t *heads; /* the first row of each (type, value), in the order they are written */
    size_t n_heads;
    int64_t *ids; /* per first row: the stored id */
    struct pending_ind inds[IND_ROWS];
    int64_t row_ids[IND_ROWS];              /* of the statement just run (row_ids()) */
    struct pending_child kids[3][KID_ROWS]; /* tags, sources, report links */
    size_t n_inds;
    int64_t last; /* the largest id stored */
    bool many;    /* multi-row statements (MANY_PARAMS allowed) */
    sqlite3_stmt *find, *merge, *max;
};

#define IND_INSERT                                                                                 \
    "INSERT OR FAIL INTO indicators (version, type, value, subdomains, category, confidence, tlp," \
    " first_seen, last_seen, valid_until, sightings, description, flagged_by_warninglist,"         \
    " created_at, updated_at) VALUES "
#define IND_ROW "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
/* A value stored already is skipped here and merged after (merge()). */
#define IND_SKIP " ON CONFLICT (type, value) DO NOTHING"
#define SRC_INSERT                                                                                 \
    "INSERT INTO indicator_sources (indicator_id, source, first_imported, last_imported, "         \
    "count)"                                                                                       \
    " VALUES "
/* Several sources of one import are distinct (counted together): a conflict is a stored one. */
#define SRC_UPSERT                                                                                 \
    " ON CONFLICT (indicator_id, source) DO UPDATE SET"                                            \
    " last_imported = excluded.last_imported, count = count + excluded.count"
#define SRC_ROW "(?,?,?,?,?)"
#define TAG_INSERT "INSERT INTO indicator_tags (indicator_id, tag) VALUES "
#define REP_INSERT "INSERT INTO indicator_reports (indicator_id, threat_report_id) VALUES "
#define PAIR_ROW "(?,?)"
#define NOTHING " ON CONFLICT DO NOTHING"

/* The multi-row statements are written out once, at the first import: they are longer than
 * a C string literal may portably be. Static, so that their addresses key store_stmt. */
#define MANY_LEN(head, row, rows, tail) (sizeof(head) + (rows) * sizeof(row) + sizeof(tail))
static char ind_many[MANY_LEN(IND_INSERT, IND_ROW, IND_ROWS, IND_SKIP)];
static char src_many[MANY_LEN(SRC_INSERT, SRC_ROW, KID_ROWS, SRC_UPSERT)];
static char tag_many[MANY_LEN(TAG_INSERT, PAIR_ROW, KID_ROWS, NOTHING)];
static char rep_many[MANY_LEN(REP_INSERT, PAIR_ROW, KID_ROWS, NOTHING)];
static pthread_once_t many_once = PTHREAD_ONCE_INIT;
static const char ind_one[] = IND_INSERT IND_ROW IND_SKIP;
static const char src_one[] = SRC_INSERT SRC_ROW SRC_UPSERT;
static const char tag_one[] = TAG_INSERT PAIR_ROW NOTHING;
static const char rep_one[] = REP_INSERT PAIR_ROW NOTHING;

/* head, then rows copies of row separated by commas, then tail, into buf (sized by MANY_LEN). */
static void many_write(char *buf, size_t cap, const char *head, const char *row, size_t rows,
                       const char *tail)
{
    size_t n = (size_t)snprintf(buf, cap, "%s", head);
    for (size_t i = 0; i < rows && n < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? "," : "", row);
    if (n < cap)
        snprintf(buf + n, cap - n, "%s", tail);
}

static void many_build(void)
{
    many_write(ind_many, sizeof ind_many, IND_INSERT, IND_ROW, IND_ROWS, IND_SKIP);
    many_write(src_many, sizeof src_many, SRC_INSERT, SRC_ROW, KID_ROWS, SRC_UPSERT);
    many_write(tag_many, sizeof tag_many, TAG_INSERT, PAIR_ROW, KID_ROWS, NOTHING);
    many_write(rep_many, sizeof rep_many, REP_INSERT, PAIR_ROW, KID_ROWS, NOTHING);
}

static const char sql_max[] = "SELECT max(id) FROM indicators";
static const char sql_find[] = "SELECT id FROM indicators WHERE type = ?1 AND value = ?2";
/* min()/max() of SQLite are NULL when either side is: coalesce keeps the given one. */
static const char sql_merge[] =
    "UPDATE indicators SET version = version + ?1, subdomains = max(subdomains, ?2),"
    " confidence = max(confidence, ?3),"
    " first_seen = coalesce(min(first_seen, ?4), first_seen, ?4),"
    " last_seen = coalesce(max(last_seen, ?5), last_seen, ?5),"
    " valid_until = coalesce(max(valid_until, ?6), valid_until, ?6),"
    " sightings = sightings + ?7, description = coalesce(description, ?8),"
    " flagged_by_warninglist = coalesce(?9, flagged_by_warninglist), updated_at = ?10"
    " WHERE id = ?11";

/* --- grouping and folding ----------------------------------------------------------------- */

static uint64_t key_hash(enum intel_type t, const char *v)
{
    uint64_t h = 14695981039346656037u ^ (uint64_t)t; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    return h;
}

static bool same_key(const struct intel_indicator *x, const struct intel_indicator *y)
{
    return x->type == y->type && !strcmp(x->value, y->value);
}

/* Chains the rows of each (type, value) in file order: next, tail, heads. */
static enum yj_err group(struct import *im, struct yj_error *err)
{
    size_t n = im->b->n, cap = 16;
    while (cap < n * 2)
        cap *= 2;
    uint32_t *slots = malloc(cap * sizeof *slots);
    if (!slots)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    memset(slots, 0xff, cap * sizeof *slots); /* NONE */
    const struct intel_indicator *items = im->b->items;
    for (size_t i = 0; i < n; i++) {
        size_t s = (size_t)key_hash(items[i].type, items[i].value) & (cap - 1);
        while (slots[s] != NONE && !same_key(&items[slots[s]], &items[i]))
            s = (s + 1) & (cap - 1);
        im->next[i] = NONE;
        if (slots[s] == NONE) {
            slots[s] = (uint32_t)i;
            im->tail[i] = (uint32_t)i;
            im->heads[im->n_heads++] = (uint32_t)i;
        } else {
            uint32_t first = slots[s];
            im->next[im->tail[first]] = (uint32_t)i;
            im->tail[first] = (uint32_t)i;
        }
    }
    free(slots);
    return YJ_OK;
}

/* A value's place in the UNIQUE (type, value) index: the type code's rank among the codes
 * (the index compares the TEXT), then the value's first 8 bytes, then the whole value. */
struct sort_key {
    uint64_t prefix;
    uint32_t row;
    uint32_t rank;
};

static const struct intel_indicator *sort_items;

static int key_cmp(const void *x, const void *y)
{
    const struct sort_key *a = x, *b = y;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    if (a->prefix != b->prefix)
        return a->prefix < b->prefix ? -1 : 1;
    return strcmp(sort_items[a->row].value, sort_items[b->row].value);
}

/* Byte d of k's compact key: 0-7 the prefix's from its lowest, 8 the rank. */
static unsigned key_byte(const struct sort_key *k, int d)
{
    return d < 8 ? (unsigned)(k->prefix >> (8 * d)) & 0xff : k->rank & 0xff;
}

/* k sorted by key_cmp: by the compact key a byte at a time from its lowest (each pass
 * stable), then the runs of equal compact keys by the whole value. Half the time of qsort
 * alone, whose compares through a function pointer cost 50 ms for 200,000. */
static void sort_keys(struct sort_key *k, struct sort_key *tmp, size_t n)
{
    for (int d = 0; d < 9; d++) {
        size_t count[256] = {0};
        for (size_t i = 0; i < n; i++)
            count[key_byte(&k[i], d)]++;
        if (count[key_byte(&k[0], d)] == n)
            continue; /* every key has the same byte here */
        size_t at = 0;
        for (int c = 0; c < 256; c++) {
            size_t m = count[c];
            count[c] = at;
            at += m;
        }
        for (size_t i = 0; i < n; i++)
            tmp[count[key_byte(&k[i], d)]++] = k[i];
        memcpy(k, tmp, n * sizeof *k);
    }
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && k[j].rank == k[i].rank && k[j].prefix == k[i].prefix)
            j++;
        if (j - i > 1)
            qsort(k + i, j - i, sizeof *k, key_cmp);
        i = j;
    }
}

/* The heads in the order of the UNIQUE (type, value) index. Inserted in file order, a big
 * batch lands all over a large index, each insert on a page of its own; in the index's
 * order consecutive ones share pages, which is a quarter faster into a store of a million
 * (and costs 22 ms for 200,000). The ids follow that order then. */
static enum yj_err sort_heads(struct import *im, struct yj_error *err)
{
    unsigned rank[INTEL_TYPE__COUNT];
    for (int t = 0; t < INTEL_TYPE__COUNT; t++) {
        rank[t] = 0;
        for (int u = 0; u < INTEL_TYPE__COUNT; u++)
            rank[t] += strcmp(intel_type_code((enum intel_type)u),
                              intel_type_code((enum intel_type)t)) < 0;
    }
    struct sort_key *k = malloc(2 * im->n_heads * sizeof *k);
    if (!k)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    for (size_t h = 0; h < im->n_heads; h++) {
        const struct intel_indicator *ind = &im->b->items[im->heads[h]];
        uint64_t p = 0;
        size_t i = 0;
        for (; i < 8 && ind->value[i]; i++)
            p = p << 8 | (unsigned char)ind->value[i];
        k[h] = (struct sort_key){i ? p << (8 * (8 - i)) : 0, im->heads[h], rank[ind->type]};
    }
    sort_items = im->b->items;
    sort_keys(k, k + im->n_heads, im->n_heads);
    for (size_t h = 0; h < im->n_heads; h++)
        im->heads[h] = k[h].row;
    free(k);
    return YJ_OK;
}

static int64_t sat_add(int64_t a, int64_t b)
{
    return a > INT64_MAX - b ? INT64_MAX : a + b;
}

/* 0 is "not given" for the times, as store_bind_opt_i64 binds it. */
static int64_t min_given(int64_t a, int64_t b)
{
    return !a ? b : !b ? a : a < b ? a : b;
}

static int64_t max_given(int64_t a, int64_t b)
{
    return a > b ? a : b;
}

static void fold_rows(const struct import *im, uint32_t first, struct fold *f)
{
    memset(f, 0, sizeof *f);
    for (uint32_t i = first; i != NONE; i = im->next[i]) {
        const struct intel_indicator *ind = &im->b->items[i];
        int conf = ind->confidence < 0 ? 0 : ind->confidence > 100 ? 100 : ind->confidence;
        f->confidence = f->rows && f->confidence > conf ? f->confidence : conf;
        f->rows++;
        f->subdomains = f->subdomains || (ind->type == INTEL_DOMAIN && ind->subdomains);
        f->sightings = sat_add(f->sightings, ind->sightings > 0 ? ind->sightings : 1);
        f->first_seen = min_given(f->first_seen, ind->first_seen);
        f->last_seen = max_given(f->last_seen, ind->last_seen);
        f->valid_until = max_given(f->valid_until, ind->valid_until);
        if (!f->description)
            f->description = ind->description;
    }
}

enum {
    /* How far ahead the walks over the heads fetch what they will read: in index order the
     * heads are all over the batch (an indicator is 352 bytes), and each read missed the
     * caches (some 5% of an import into a store of a million). */
    AHEAD = 16,
};

/* Asks for the row of the head AHEAD on, and for the value and the chain of the one half as
 * far on (its row has arrived by then). Inlined by force: gcc 12 finds a function of nothing
 * but prefetches free of effects and drops its calls. */
static inline __attribute__((always_inline)) void prefetch_head(const struct import *im, size_t h)
{
    if (h + AHEAD < im->n_heads) {
        uint32_t far = im->heads[h + AHEAD];
        const struct intel_indicator *ind = &im->b->items[far];
        __builtin_prefetch(ind);
        __builtin_prefetch(&ind->n_tags);
        __builtin_prefetch(&ind->description);
        __builtin_prefetch(&im->next[far]);
    }
    if (h + AHEAD / 2 < im->n_heads) {
        const struct intel_indicator *ind = &im->b->items[im->heads[h + AHEAD / 2]];
        __builtin_prefetch(ind->value);
        if (ind->n_tags)
            __builtin_prefetch(ind->tags[0]);
    }
}

/* --- multi-row inserts ---------------------------------------------------------------------- */

/* The statement for n rows (m->rows or 1), prepared once per import. */
static sqlite3_stmt *multi_stmt(struct import *im, struct multi *m, size_t n, struct yj_error *err)
{
    sqlite3_stmt **s = n > 1 ? &m->s_many : &m->s_one;
    if (!*s)
        *s = store_stmt(im->tx, n > 1 ? m->many : m->one, err);
    else
        sqlite3_reset(*s);
    return *s;
}

static void bind_ind(sqlite3_stmt *s, int c, const struct import *im, const struct pending_ind *p)
{
    const struct intel_indicator *ind = &im->b->items[p->first];
    store_bind_i64(s, c + 1, p->f.rows);
    store_bind_text(s, c + 2, intel_type_code(ind->type));
    store_bind_text(s, c + 3, ind->value);
    store_bind_i64(s, c + 4, p->f.subdomains);
    store_bind_text(s, c + 5, intel_category_code(ind->category));
    store_bind_i64(s, c + 6, p->f.confidence);
    store_bind_text(s, c + 7, intel_tlp_code(ind->tlp));
    store_bind_opt_i64(s, c + 8, p->f.first_seen, 0);
    store_bind_opt_i64(s, c + 9, p->f.last_seen, 0);
    store_bind_opt_i64(s, c + 10, p->f.valid_until, 0);
    store_bind_i64(s, c + 11, p->f.sightings);
    store_bind_text(s, c + 12, p->f.description);
    store_bind_text(s, c + 13, p->flagged);
    store_bind_i64(s, c + 14, im->now);
    store_bind_i64(s, c + 15, im->now);
}

/* Writes the pending children: m->rows at once, or one by one when fewer (the end). Tags
 * (id, text), report links (id, n) and, with cols 5, sources (id, text, now, now, n). */
static enum yj_err flush_kids(struct import *im, struct multi *m, struct yj_error *err)
{
    size_t n = m->n_kids, per = n == m->rows ? m->rows : 1;
    m->n_kids = 0;
    for (size_t done = 0; done < n; done += per) {
        sqlite3_stmt *s = multi_stmt(im, m, per, err);
        if (!s)
            return err->code;
        for (size_t r = 0; r < per; r++) {
            const struct pending_child *k = &m->kids[done + r];
            int c = (int)r * m->cols;
            store_bind_i64(s, c + 1, k->id);
            if (k->text)
                store_bind_text(s, c + 2, k->text);
            else
                store_bind_i64(s, c + 2, k->n);
            if (m->cols == 5) {
                store_bind_i64(s, c + 3, im->now);
                store_bind_i64(s, c + 4, im->now);
                store_bind_i64(s, c + 5, k->n);
            }
        }
        enum yj_err rc = store_step_done(im->tx, s, m->what, err);
        if (rc)
            return rc;
    }
    return YJ_OK;
}

static enum yj_err add_kid(struct import *im, struct multi *m, int64_t id, const char *text,
                           int64_t n, struct yj_error *err)
{
    m->kids[m->n_kids++] = (struct pending_child){id, text, n};
    return m->n_kids == m->rows ? flush_kids(im, m, err) : YJ_OK;
}

/* --- the indicators --------------------------------------------------------------------------- */

/* The id of the stored indicator of first's (type, value); 0: none. */
static enum yj_err find(struct import *im, uint32_t first, int64_t *id, struct yj_error *err)
{
    const struct intel_indicator *ind = &im->b->items[first];
    sqlite3_stmt *s = im->find;
    sqlite3_reset(s);
    store_bind_text(s, 1, intel_type_code(ind->type));
    store_bind_text(s, 2, ind->value);
    int rc = sqlite3_step(s);
    *id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(im->tx, rc, "indicator", err);
    sqlite3_reset(s);
    return YJ_OK;
}

static enum yj_err merge(struct import *im, int64_t id, const struct fold *f, const char *flagged,
                         struct yj_error *err)
{
    sqlite3_stmt *s = im->merge;
    sqlite3_reset(s);
    store_bind_i64(s, 1, f->rows);
    store_bind_i64(s, 2, f->subdomains);
    store_bind_i64(s, 3, f->confidence);
    store_bind_opt_i64(s, 4, f->first_seen, 0);
    store_bind_opt_i64(s, 5, f->last_seen, 0);
    store_bind_opt_i64(s, 6, f->valid_until, 0);
    store_bind_i64(s, 7, f->sightings);
    store_bind_text(s, 8, f->description);
    store_bind_text(s, 9, flagged);
    store_bind_i64(s, 10, im->now);
    store_bind_i64(s, 11, id);
    return store_step_done(im->tx, s, "indicator", err);
}

/* The counts of the rows of p, stored as new (fresh) or merged into a stored one. */
static void count(const struct pending_ind *p, bool fresh, struct store_import_counts *counts)
{
    size_t rows = (size_t)p->f.rows;
    if (p->flagged) {
        counts->flagged += rows;
    } else if (fresh) {
        counts->imported++;
        counts->merged += rows - 1;
    } else {
        counts->merged += rows;
    }
}

/* Every row of inds[done, done + per) looked up: its id, stored or new. */
static enum yj_err find_all(struct import *im, size_t done, size_t per, struct yj_error *err)
{
    enum yj_err rc = YJ_OK;
    for (size_t r = 0; !rc && r < per; r++)
        rc = find(im, im->inds[done + r].first, &im->row_ids[r], err);
    return rc;
}

/*
 * The ids of the rows inds[done, done + per) of the statement just run, which inserted
 * added of them after the id before and skipped the others (stored already). The new rows
 * have the next ids in order, so before row r there are r - (id - before - 1) skipped ones
 * when r is new: each skipped row is found by a binary search, with a few look-ups instead
 * of one per row (a statement of 256 with one value stored took 256). Anything else than
 * that arithmetic predicts (it never happens) falls back to looking every row up.
 */
static enum yj_err row_ids(struct import *im, size_t done, size_t per, int64_t before,
                           int64_t added, struct yj_error *err)
{
    size_t skipped = per - (size_t)added, lo = 0;
    if (skipped * SEARCH_STEPS >= per)
        return find_all(im, done, per, err); /* as cheap, or cheaper */
    enum yj_err rc = YJ_OK;
    for (size_t k = 0; k < skipped; k++) {
        /* The first row at or past lo that is stored, or has more than k skipped before it. */
        size_t a = lo, b = per - 1;
        int64_t id = 0;
        while (a < b) {
            size_t mid = a + (b - a) / 2;
            if ((rc = find(im, im->inds[done + mid].first, &id, err)) != YJ_OK)
                return rc;
            if (id > before && (id > before + added || (size_t)(id - before - 1) > mid))
                return find_all(im, done, per, err);
            if (id <= before || mid - (size_t)(id - before - 1) > k)
                b = mid;
            else
                a = mid + 1;
        }
        if ((rc = find(im, im->inds[done + a].first, &id, err)) != YJ_OK)
            return rc;
        if (id > before)
            return find_all(im, done, per, err);
        for (size_t r = lo; r < a; r++)
            im->row_ids[r] = before + 1 + (int64_t)(r - k);
        im->row_ids[a] = id;
        lo = a + 1;
    }
    for (size_t r = lo; r < per; r++)
        im->row_ids[r] = before + 1 + (int64_t)(r - skipped);
    return YJ_OK;
}

/*
 * Writes the pending values, m->rows to a statement or one by one at the end. The INSERT
 * skips a value stored already; SQLite gives the others max(id) + 1 each in turn. So when
 * a statement inserted all its rows, their ids are the next ones in order; when it skipped
 * some, these are found (row_ids()): an id above the previous maximum is new, any other is
 * the stored indicator, merged now.
 */
static enum yj_err flush_inds(struct import *im, struct multi *m,
                              struct store_import_counts *counts, struct yj_error *err)
{
    sqlite3 *db = im->tx->c->db;
    size_t n = im->n_inds, per = n == m->rows ? m->rows : 1;
    im->n_inds = 0;
    for (size_t done = 0; done < n; done += per) {
        sqlite3_stmt *s = multi_stmt(im, m, per, err);
        if (!s)
            return err->code;
        for (size_t r = 0; r < per; r++)
            bind_ind(s, (int)r * m->cols, im, &im->inds[done + r]);
        enum yj_err rc = store_step_done(im->tx, s, m->what, err);
        if (rc)
            return rc;
        int64_t before = im->last, added = sqlite3_changes64(db);
        /* The last new row has the last new id: else look every row up. */
        bool next = added == 0 || sqlite3_last_insert_rowid(db) == before + added;
        im->last += added;
        if (next && (size_t)added == per) {
            for (size_t r = 0; r < per; r++)
                im->row_ids[r] = before + 1 + (int64_t)r;
        } else {
            rc = next ? row_ids(im, done, per, before, added, err) : find_all(im, done, per, err);
        }
        for (size_t r = 0; !rc && r < per; r++) {
            const struct pending_ind *p = &im->inds[done + r];
            int64_t id = im->row_ids[r];
            if (id <= 0)
                rc = store_fail(im->tx, SQLITE_CORRUPT, "indicator", err);
            if (!rc && id <= before)
                rc = merge(im, id, &p->f, p->flagged, err);
            im->ids[p->first] = id;
            count(p, id > before, counts);
        }
        if (rc)
            return rc;
    }
    return YJ_OK;
}

/* Every distinct (type, value) inserted or merged, im->ids set; the counts. */
static enum yj_err write_indicators(struct import *im, const struct intel_warninglists *wl,
                                    struct store_import_counts *counts, struct yj_error *err)
{
    struct multi m = {ind_many, ind_one, "indicator", 15, im->many ? IND_ROWS : 1,
                      NULL,     NULL,    NULL,        0};
    if (!(im->find = store_stmt(im->tx, sql_find, err)) ||
        !(im->merge = store_stmt(im->tx, sql_merge, err)) ||
        !(im->max = store_stmt(im->tx, sql_max, err)))
        return err->code;
    int step = sqlite3_step(im->max);
    if (step != SQLITE_ROW)
        return store_fail(im->tx, step, "indicators", err);
    im->last = sqlite3_column_int64(im->max, 0); /* 0 for NULL: none stored yet */
    sqlite3_reset(im->max);
    enum yj_err rc = YJ_OK;
    for (size_t h = 0; !rc && h < im->n_heads; h++) {
        prefetch_head(im, h);
        uint32_t i = im->heads[h]; /* its other rows are written with it */
        const struct intel_indicator *ind = &im->b->items[i];
        const struct intel_warninglist *hit =
            wl ? intel_warninglists_match(wl, ind->type, ind->value) : NULL;
        struct pending_ind *p = &im->inds[im->n_inds++];
        p->first = i;
        p->flagged = hit ? hit->name : NULL;
        fold_rows(im, i, &p->f);
        if (im->n_inds == m.rows)
            rc = flush_inds(im, &m, counts, err);
    }
    return rc ? rc : flush_inds(im, &m, counts, err);
}

static const char *source_of(const struct import *im, uint32_t i)
{
    const char *s = im->b->items[i].source;
    return s ? s : im->source;
}

/* The tags, sources and report links of every (type, value), after all their rows exist: one
 * pass over the values, each kind gathered for its own multi-row INSERT. */
static enum yj_err write_children(struct import *im, struct yj_error *err)
{
    size_t rows = im->many ? KID_ROWS : 1;
    struct multi tags = {tag_many, tag_one, "indicator tag", 2, rows, NULL, NULL, im->kids[0], 0};
    struct multi srcs = {src_many, src_one, "indicator source", 5, rows,
                         NULL,     NULL,    im->kids[1],        0};
    struct multi reps = {rep_many, rep_one, "indicator report", 2, rows,
                         NULL,     NULL,    im->kids[2],        0};
    enum yj_err rc = YJ_OK;
    for (size_t h = 0; !rc && h < im->n_heads; h++) {
        prefetch_head(im, h);
        uint32_t i = im->heads[h];
        for (uint32_t j = i; !rc && j != NONE; j = im->next[j]) {
            const struct intel_indicator *ind = &im->b->items[j];
            for (size_t t = 0; !rc && t < ind->n_tags; t++)
                rc = add_kid(im, &tags, im->ids[i], ind->tags[t], 0, err);
        }
        /* One row per distinct source of a value, counting its rows; a row whose source an
         * earlier row of the value had is counted there. */
        for (uint32_t j = i; !rc && j != NONE; j = im->next[j]) {
            const char *src = source_of(im, j);
            bool seen = false;
            int64_t count = 0;
            for (uint32_t k = i; k != NONE && !seen; k = im->next[k]) {
                if (!strcmp(source_of(im, k), src)) {
                    seen = k < j;
                    count++;
                }
            }
            if (!seen)
                rc = add_kid(im, &srcs, im->ids[i], src, count, err);
        }
        if (!rc && im->report_id > 0)
            rc = add_kid(im, &reps, im->ids[i], NULL, im->report_id, err);
    }
    if (!rc)
        rc = flush_kids(im, &tags, err);
    if (!rc)
        rc = flush_kids(im, &srcs, err);
    if (!rc)
        rc = flush_kids(im, &reps, err);
    return rc;
}

/* --- the page cache ------------------------------------------------------------------------- */

/* The connection's page cache as PRAGMA cache_size gives it (negative: KiB), or 0. */
static int64_t cache_get(sqlite3 *db)
{
    sqlite3_stmt *s = NULL;
    int64_t v = 0;
    if (sqlite3_prepare_v2(db, "PRAGMA cache_size", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* A failure only costs speed: the import goes on with the cache it has. (A PRAGMA takes no
 * bound parameters; v is a number computed here.) */
static void cache_set(sqlite3 *db, int64_t v)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", (long long)v);
    sqlite3_exec(db, sql, NULL, NULL, NULL);
}

enum yj_err store_indicators_import(struct store_tx *tx, const struct intel_batch *b,
                                    const char *source, int64_t report_id,
                                    const struct intel_warninglists *wl, int64_t now,
                                    struct store_import_counts *counts, struct yj_error *err)
{
    if (b->n == 0)
        return YJ_OK;
    if (b->n >= NONE / 2)
        return yj_error_set(err, YJ_ETOOBIG, NULL, "too many indicators in one import");
    struct import *im = calloc(1, sizeof *im);
    void *mem = malloc(b->n * (sizeof(int64_t) + 3 * sizeof(uint32_t)));
    if (!im || !mem) {
        free(im);
        free(mem);
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    }
    im->tx = tx;
    im->b = b;
    im->source = source;
    im->report_id = report_id;
    im->now = now;
    im->ids = mem;
    im->next = (uint32_t *)(im->ids + b->n);
    im->tail = im->next + b->n;
    im->heads = im->tail + b->n;

    sqlite3 *db = tx->c->db;
    im->many = sqlite3_limit(db, SQLITE_LIMIT_VARIABLE_NUMBER, -1) >= MANY_PARAMS;
    int64_t cache = b->n >= BIG_BATCH ? cache_get(db) : 0;
    int64_t want = (int64_t)b->n * BIG_CACHE_KIB_PER_ROW;
    if (want > BIG_CACHE_KIB_MAX)
        want = BIG_CACHE_KIB_MAX;
    bool grown = cache < 0 && -cache < want;
    if (grown)
        cache_set(db, -want);
    pthread_once(&many_once, many_build);
    enum yj_err rc = group(im, err);
    if (!rc && im->n_heads >= BIG_BATCH)
        rc = sort_heads(im, err);
    if (!rc)
        rc = write_indicators(im, wl, counts, err);
    if (!rc)
        rc = write_children(im, err);
    /* Back to the usual size: the pages this import dirtied are let go as its COMMIT
     * writes them. */
    if (grown)
        cache_set(db, cache);
    free(mem);
    free(im);
    return rc;
}
