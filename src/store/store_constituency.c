/*
 * store_constituency.c - constituents and what they own (store_constituency.h).
 */
#include "store/store_constituency.h"

#include <stdio.h>

#include "store/store_int.h"

/* --- the lists a constituent owns -------------------------------------------------------- */

/* Who owns value in table's column already (0: nobody). */
static enum yj_err owner_of(struct store_tx *tx, const char *sql, const char *value, int64_t *owner,
                            struct yj_error *err)
{
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, value);
    int rc = sqlite3_step(s);
    *owner = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? YJ_OK : store_fail(tx, rc, "owner", err);
}

/* Inserts each value for c, first checking that no other constituent owns it so that the
 * refusal names the field. */
static enum yj_err put_owned(struct store_tx *tx, int64_t id, const char *const *values, size_t n,
                             const char *owner_sql, const char *insert_sql, const char *field,
                             struct yj_error *err)
{
    for (size_t i = 0; i < n; i++) {
        int64_t owner;
        enum yj_err rc = owner_of(tx, owner_sql, values[i], &owner, err);
        if (rc)
            return rc;
        if (owner && owner != id) {
            yj_error_set(err, YJ_ECONFLICT, NULL, "%s belongs to constituent %lld", values[i],
                         (long long)owner);
            snprintf(err->field, sizeof err->field, "%s[%zu]", field, i);
            return YJ_ECONFLICT;
        }
        sqlite3_stmt *s = store_stmt(tx, insert_sql, err);
        if (!s)
            return err->code;
        store_bind_i64(s, 1, id);
        store_bind_text(s, 2, values[i]);
        if ((rc = store_step_done(tx, s, field, err)) != YJ_OK)
            return rc;
    }
    return YJ_OK;
}

static enum yj_err drop_lists(struct store_tx *tx, int64_t id, bool contacts, struct yj_error *err)
{
    static const char *const sqls[] = {
        "DELETE FROM constituent_ranges WHERE constituent_id = ?",
        "DELETE FROM constituent_asns WHERE constituent_id = ?",
        "DELETE FROM constituent_domains WHERE constituent_id = ?",
        "DELETE FROM constituent_contacts WHERE constituent_id = ?",
    };
    for (size_t i = 0; i < (contacts ? 4u : 3u); i++) {
        sqlite3_stmt *s = store_stmt(tx, sqls[i], err);
        if (!s)
            return err->code;
        store_bind_i64(s, 1, id);
        enum yj_err rc = store_step_done(tx, s, "constituent lists", err);
        if (rc)
            return rc;
    }
    return YJ_OK;
}

static enum yj_err put_lists(struct store_tx *tx, const struct store_constituent *c,
                             struct yj_error *err)
{
    static const char range_owner[] =
        "SELECT constituent_id FROM constituent_ranges WHERE cidr = ?";
    static const char range_insert[] =
        "INSERT INTO constituent_ranges (constituent_id, cidr) VALUES (?, ?)";
    static const char domain_owner[] =
        "SELECT constituent_id FROM constituent_domains WHERE domain = ?";
    static const char domain_insert[] =
        "INSERT INTO constituent_domains (constituent_id, domain) VALUES (?, ?)";
    static const char asn_insert[] =
        "INSERT OR IGNORE INTO constituent_asns (constituent_id, asn) VALUES (?, ?)";
    static const char contact_insert[] =
        "INSERT INTO constituent_contacts (constituent_id, position, role, name, email, phone)"
        " VALUES (?, ?, ?, ?, ?, ?)";
    enum yj_err rc = drop_lists(tx, c->id, true, err);
    if (!rc)
        rc = put_owned(tx, c->id, c->ranges, c->n_ranges, range_owner, range_insert, "ranges", err);
    if (!rc)
        rc = put_owned(tx, c->id, c->domains, c->n_domains, domain_owner, domain_insert, "domains",
                       err);
    for (size_t i = 0; !rc && i < c->n_asns; i++) {
        sqlite3_stmt *s = store_stmt(tx, asn_insert, err);
        if (!s)
            return err->code;
        store_bind_i64(s, 1, c->id);
        store_bind_i64(s, 2, c->asns[i]);
        rc = store_step_done(tx, s, "asns", err);
    }
    for (size_t i = 0; !rc && i < c->n_contacts; i++) {
        const struct store_constituent_contact *k = &c->contacts[i];
        sqlite3_stmt *s = store_stmt(tx, contact_insert, err);
        if (!s)
            return err->code;
        store_bind_i64(s, 1, c->id);
        store_bind_i64(s, 2, (int64_t)i);
        store_bind_text(s, 3, k->role);
        store_bind_text(s, 4, k->name);
        store_bind_text(s, 5, k->email);
        store_bind_text(s, 6, k->phone);
        rc = store_step_done(tx, s, "contacts", err);
    }
    return rc;
}

static void text_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    *(const char **)item = store_col_text(s, 0, a);
}

static void i64_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    (void)a;
    *(int64_t *)item = sqlite3_column_int64(s, 0);
}

static void contact_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct store_constituent_contact *k = item;
    k->role = store_col_text(s, 0, a);
    k->name = store_col_text(s, 1, a);
    k->email = store_col_text(s, 2, a);
    k->phone = store_col_text(s, 3, a);
}

static enum yj_err read_list(struct store_tx *tx, const char *sql, int64_t id, struct yj_arena *a,
                             size_t size, store_row_reader read, void **items, size_t *n,
                             struct yj_error *err)
{
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    return store_read_rows(tx, s, a, size, read, items, n, "constituent lists", err);
}

static enum yj_err get_lists(struct store_tx *tx, struct yj_arena *a, struct store_constituent *c,
                             struct yj_error *err)
{
    static const char ranges[] =
        "SELECT cidr FROM constituent_ranges WHERE constituent_id = ? ORDER BY rowid";
    static const char asns[] =
        "SELECT asn FROM constituent_asns WHERE constituent_id = ? ORDER BY asn";
    static const char domains[] =
        "SELECT domain FROM constituent_domains WHERE constituent_id = ? ORDER BY rowid";
    static const char contacts[] = "SELECT role, name, email, phone FROM constituent_contacts"
                                   " WHERE constituent_id = ? ORDER BY position";
    enum yj_err rc = read_list(tx, ranges, c->id, a, sizeof *c->ranges, text_read,
                               (void **)&c->ranges, &c->n_ranges, err);
    if (!rc)
        rc = read_list(tx, asns, c->id, a, sizeof *c->asns, i64_read, (void **)&c->asns, &c->n_asns,
                       err);
    if (!rc)
        rc = read_list(tx, domains, c->id, a, sizeof *c->domains, text_read, (void **)&c->domains,
                       &c->n_domains, err);
    if (!rc)
        rc = read_list(tx, contacts, c->id, a, sizeof *c->contacts, contact_read,
                       (void **)&c->contacts, &c->n_contacts, err);
    return rc;
}

/* --- constituents ---------------------------------------------------------------------- */

#define CONSTITUENT_COLS "id, version, name, kind, province, city, notes, created_at, updated_at"

static void constituent_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct store_constituent *c = item;
    *c = (struct store_constituent){.id = sqlite3_column_int64(s, 0),
                                    .version = sqlite3_column_int64(s, 1),
                                    .name = store_col_text(s, 2, a),
                                    .kind = store_col_text(s, 3, a),
                                    .province = store_col_text(s, 4, a),
                                    .city = store_col_text(s, 5, a),
                                    .notes = store_col_text(s, 6, a),
                                    .created_at = sqlite3_column_int64(s, 7),
                                    .updated_at = sqlite3_column_int64(s, 8)};
}

enum yj_err store_constituent_insert(struct store_tx *tx, struct store_constituent *c, int64_t now,
                                     struct yj_error *err)
{
    static const char sql[] =
        "INSERT INTO constituents (version, name, kind, province, city, notes, created_at,"
        " updated_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, c->name);
    store_bind_text(s, 2, c->kind);
    store_bind_text(s, 3, c->province);
    store_bind_text(s, 4, c->city);
    store_bind_text(s, 5, c->notes);
    store_bind_i64(s, 6, now);
    store_bind_i64(s, 7, now);
    enum yj_err rc = store_step_done(tx, s, "constituent", err);
    if (rc)
        return rc;
    c->id = sqlite3_last_insert_rowid(tx->c->db);
    c->version = 1;
    c->created_at = c->updated_at = now;
    return put_lists(tx, c, err);
}

enum yj_err store_constituent_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                                  struct store_constituent *out, struct yj_error *err)
{
    static const char sql[] =
        "SELECT " CONSTITUENT_COLS " FROM constituents WHERE id = ? AND deleted_at IS NULL";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "constituent not found");
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "constituent", err);
    constituent_read(s, a, out);
    return get_lists(tx, a, out, err);
}

enum yj_err store_constituent_update(struct store_tx *tx, struct store_constituent *c, int64_t now,
                                     struct yj_error *err)
{
    static const char sql[] = "UPDATE constituents SET version = version + 1, name = ?, kind = ?,"
                              " province = ?, city = ?, notes = ?, updated_at = ?"
                              " WHERE id = ? AND version = ? AND deleted_at IS NULL";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, c->name);
    store_bind_text(s, 2, c->kind);
    store_bind_text(s, 3, c->province);
    store_bind_text(s, 4, c->city);
    store_bind_text(s, 5, c->notes);
    store_bind_i64(s, 6, now);
    store_bind_i64(s, 7, c->id);
    store_bind_i64(s, 8, c->version);
    enum yj_err rc = store_step_done(tx, s, "constituent", err);
    if (rc)
        return rc;
    if (sqlite3_changes(tx->c->db) == 0)
        return yj_error_set(err, YJ_EPRECOND, "If-Match", "the constituent changed meanwhile");
    c->version++;
    c->updated_at = now;
    return put_lists(tx, c, err);
}

enum yj_err store_constituent_delete(struct store_tx *tx, int64_t id, int64_t version, int64_t now,
                                     struct yj_error *err)
{
    static const char sql[] = "UPDATE constituents SET version = version + 1, deleted_at = ?,"
                              " updated_at = ? WHERE id = ? AND version = ? AND deleted_at IS NULL";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, now);
    store_bind_i64(s, 2, now);
    store_bind_i64(s, 3, id);
    store_bind_i64(s, 4, version);
    enum yj_err rc = store_step_done(tx, s, "constituent", err);
    if (rc)
        return rc;
    if (sqlite3_changes(tx->c->db) == 0)
        return yj_error_set(err, YJ_EPRECOND, "If-Match", "the constituent changed meanwhile");
    /* Contacts stay with the deleted row; what it owned is free for others. */
    return drop_lists(tx, id, false, err);
}

enum yj_err store_constituent_list(struct store_tx *tx, const struct store_constituent_query *q,
                                   struct yj_arena *a, struct store_constituent **items, size_t *n,
                                   struct yj_error *err)
{
    static const char sql[] = "SELECT " CONSTITUENT_COLS " FROM constituents"
                              " WHERE deleted_at IS NULL AND id > ?1"
                              " AND (?2 IS NULL OR kind = ?2)"
                              " AND (?3 IS NULL OR name LIKE ?3 ESCAPE '!')"
                              " ORDER BY id LIMIT ?4";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, q->after_id);
    store_bind_text(s, 2, q->kind);
    store_bind_text(s, 3, q->q ? store_like_contains(a, q->q) : NULL);
    store_bind_i64(s, 4, q->limit > 0 ? q->limit : -1);
    enum yj_err rc = store_read_rows(tx, s, a, sizeof **items, constituent_read, (void **)items, n,
                                     "constituents", err);
    for (size_t i = 0; !rc && i < *n; i++)
        rc = get_lists(tx, a, &(*items)[i], err);
    return rc;
}

enum yj_err store_constituent_asn_owner(struct store_tx *tx, int64_t asn, int64_t *owner,
                                        struct yj_error *err)
{
    /* Deleting gives the AS numbers up; the join is there all the same. */
    static const char sql[] = "SELECT MIN(a.constituent_id) FROM constituent_asns a"
                              " JOIN constituents c ON c.id = a.constituent_id"
                              " WHERE a.asn = ? AND c.deleted_at IS NULL";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, asn);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "constituent asns", err);
    *owner = sqlite3_column_int64(s, 0); /* NULL, read as 0, when none */
    return YJ_OK;
}

static void owned_read(sqlite3_stmt *s, struct yj_arena *a, void *item)
{
    struct intel_owned *o = item;
    o->owner = sqlite3_column_int64(s, 0);
    o->value = store_col_text(s, 1, a);
}

enum yj_err store_constituency_owned(struct store_tx *tx, struct yj_arena *a,
                                     struct intel_owned **ranges, size_t *n_ranges,
                                     struct intel_owned **domains, size_t *n_domains,
                                     struct yj_error *err)
{
    /* Deleting gives the lists up, so every row left belongs to a live constituent. */
    static const char rsql[] = "SELECT constituent_id, cidr FROM constituent_ranges";
    static const char dsql[] = "SELECT constituent_id, domain FROM constituent_domains";
    sqlite3_stmt *s = store_stmt(tx, rsql, err);
    if (!s)
        return err->code;
    enum yj_err rc = store_read_rows(tx, s, a, sizeof **ranges, owned_read, (void **)ranges,
                                     n_ranges, "constituent ranges", err);
    if (rc)
        return rc;
    if (!(s = store_stmt(tx, dsql, err)))
        return err->code;
    return store_read_rows(tx, s, a, sizeof **domains, owned_read, (void **)domains, n_domains,
                           "constituent domains", err);
}
