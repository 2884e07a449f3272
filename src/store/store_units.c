/*
 * store_units.c - the support-unit registry: a units row plus child rows for
 * contacts, offices, staff (with certificates), capabilities and the on-call
 * roster. An update replaces the children whole, like the API's merge patch.
 */
#include "store/store_int.h"

static enum yj_err children_insert(struct store_tx *tx, const struct unit *u, struct yj_error *err);
static enum yj_err children_delete(struct store_tx *tx, int64_t unit_id, struct yj_error *err);

/* The unit's capability codes in the reference order, comma-separated, for the list. */
static void capability_codes(const struct unit *u, char *out, size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t f = 0; f < unit_capability_fields_count; f++)
        for (size_t i = 0; i < u->n_capabilities; i++)
            if (strcmp(u->capabilities[i].field, unit_capability_fields[f].code) == 0) {
                int w = snprintf(out + len, n - len, "%s%s", len ? "," : "",
                                 unit_capability_fields[f].code);
                if (w > 0 && (size_t)w < n - len)
                    len += (size_t)w;
                break;
            }
}

/* Binds parameters 1..13: the unit's own fields, then staff_count and capability_codes. */
static void bind_unit_fields(sqlite3_stmt *s, const struct unit *u, char *codes, size_t n)
{
    capability_codes(u, codes, n);
    store_bind_i64(s, 12, (int64_t)u->n_staff);
    store_bind_text(s, 13, codes);
    store_bind_text(s, 1, u->name);
    store_bind_text(s, 2, u->credit_code);
    store_bind_opt_i64(s, 3, u->registered_capital, -1);
    store_bind_text(s, 4, u->legal_representative);
    store_bind_text(s, 5, u->founded_on);
    store_bind_text(s, 6, u->business_term);
    store_bind_text(s, 7, u->business_scope);
    store_bind_text(s, 8, u->registration_authority);
    store_bind_text(s, 9, u->province);
    store_bind_text(s, 10, u->city);
    store_bind_text(s, 11, u->address);
}

static enum yj_err credit_conflict(enum yj_err rc, struct yj_error *err)
{
    if (rc == YJ_ECONFLICT)
        return yj_error_set(err, YJ_ECONFLICT, "credit_code",
                            "a unit with this credit code is already registered");
    return rc;
}

enum yj_err store_unit_insert(struct store_tx *tx, struct unit *u, int64_t now,
                              struct yj_error *err)
{
    static const char sql[] =
        "INSERT INTO units (name, credit_code, registered_capital, legal_representative,"
        " founded_on, business_term, business_scope, registration_authority, province, city,"
        " address, staff_count, capability_codes, version, created_at, updated_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?)";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    char codes[512];
    bind_unit_fields(s, u, codes, sizeof codes);
    store_bind_i64(s, 14, now);
    store_bind_i64(s, 15, now);
    enum yj_err rc = credit_conflict(store_step_done(tx, s, "unit insert", err), err);
    if (rc)
        return rc;
    u->id = sqlite3_last_insert_rowid(tx->c->db);
    u->version = 1;
    u->created_at = u->updated_at = now;
    u->deleted_at = 0;
    return children_insert(tx, u, err);
}

enum yj_err store_unit_update(struct store_tx *tx, struct unit *u, int64_t expected_version,
                              int64_t now, struct yj_error *err)
{
    static const char sql[] =
        "UPDATE units SET name = ?, credit_code = ?, registered_capital = ?,"
        " legal_representative = ?, founded_on = ?, business_term = ?, business_scope = ?,"
        " registration_authority = ?, province = ?, city = ?, address = ?,"
        " staff_count = ?, capability_codes = ?, version = version + 1, updated_at = ?"
        " WHERE id = ? AND version = ? AND deleted_at IS NULL";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    char codes[512];
    bind_unit_fields(s, u, codes, sizeof codes);
    store_bind_i64(s, 14, now);
    store_bind_i64(s, 15, u->id);
    store_bind_i64(s, 16, expected_version);
    enum yj_err rc = credit_conflict(store_step_done(tx, s, "unit update", err), err);
    if (rc)
        return rc;
    if (sqlite3_changes(tx->c->db) == 0)
        return yj_error_set(err, YJ_EPRECOND, "If-Match",
                            "the unit was changed by someone else; reload and retry");
    u->version = expected_version + 1;
    u->updated_at = now;
    rc = children_delete(tx, u->id, err);
    return rc ? rc : children_insert(tx, u, err);
}

enum yj_err store_unit_delete(struct store_tx *tx, int64_t id, int64_t expected_version,
                              int64_t now, struct yj_error *err)
{
    static const char sql[] = "UPDATE units SET deleted_at = ?, updated_at = ?,"
                              " version = version + 1"
                              " WHERE id = ? AND version = ? AND deleted_at IS NULL";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, now);
    store_bind_i64(s, 2, now);
    store_bind_i64(s, 3, id);
    store_bind_i64(s, 4, expected_version);
    enum yj_err rc = store_step_done(tx, s, "unit delete", err);
    if (rc)
        return rc;
    if (sqlite3_changes(tx->c->db) == 0)
        return yj_error_set(err, YJ_EPRECOND, "If-Match",
                            "the unit was changed by someone else; reload and retry");
    return YJ_OK;
}

/* --- children --------------------------------------------------------------- */

static enum yj_err contacts_insert(struct store_tx *tx, const struct unit *u, struct yj_error *err)
{
    static const char sql[] = "INSERT INTO unit_contacts (unit_id, role, name, dept_title,"
                              " mobile, office_phone, email) VALUES (?,?,?,?,?,?,?)";
    for (size_t i = 0; i < u->n_contacts; i++) {
        const struct unit_contact *c = &u->contacts[i];
        sqlite3_stmt *s = store_stmt(tx, sql, err);
        if (!s)
            return err->code;
        store_bind_i64(s, 1, u->id);
        store_bind_text(s, 2, unit_contact_role_code(c->role));
        store_bind_text(s, 3, c->name);
        store_bind_text(s, 4, c->dept_title);
        store_bind_text(s, 5, c->mobile);
        store_bind_text(s, 6, c->office_phone);
        store_bind_text(s, 7, c->email);
        enum yj_err rc = store_step_done(tx, s, "contact insert", err);
        if (rc)
            return rc;
    }
    return YJ_OK;
}

static enum yj_err offices_insert(struct store_tx *tx, const struct unit *u, struct yj_error *err)
{
    static const char sql[] =
        "INSERT INTO unit_offices (unit_id, position, name,"
        " is_headquarters, province, city, address, floor_area_m2, tenure,"
        " staff_count, security_lead, phone) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)";
    for (size_t i = 0; i < u->n_offices; i++) {
        const struct unit_office *o = &u->offices[i];
        sqlite3_stmt *s = store_stmt(tx, sql, err);
        if (!s)
            return err->code;
        store_bind_i64(s, 1, u->id);
        store_bind_i64(s, 2, (int64_t)i);
        store_bind_text(s, 3, o->name);
        sqlite3_bind_int(s, 4, o->is_headquarters);
        store_bind_text(s, 5, o->province);
        store_bind_text(s, 6, o->city);
        store_bind_text(s, 7, o->address);
        store_bind_opt_i64(s, 8, o->floor_area_m2, -1);
        store_bind_text(s, 9, o->tenure);
        store_bind_opt_i64(s, 10, o->staff_count, -1);
        store_bind_text(s, 11, o->security_lead);
        store_bind_text(s, 12, o->phone);
        enum yj_err rc = store_step_done(tx, s, "office insert", err);
        if (rc)
            return rc;
    }
    return YJ_OK;
}

static enum yj_err staff_insert(struct store_tx *tx, const struct unit *u, struct yj_error *err)
{
    static const char sql[] = "INSERT INTO unit_staff (unit_id, position, name, department,"
                              " education, title, school, major, years_in_field, post,"
                              " in_province) VALUES (?,?,?,?,?,?,?,?,?,?,?)";
    static const char sql_cert[] = "INSERT INTO unit_staff_certificates (unit_id,"
                                   " staff_position, position, name) VALUES (?,?,?,?)";
    for (size_t i = 0; i < u->n_staff; i++) {
        const struct unit_staff *p = &u->staff[i];
        sqlite3_stmt *s = store_stmt(tx, sql, err);
        if (!s)
            return err->code;
        store_bind_i64(s, 1, u->id);
        store_bind_i64(s, 2, (int64_t)i);
        store_bind_text(s, 3, p->name);
        store_bind_text(s, 4, p->department);
        store_bind_text(s, 5, p->education);
        store_bind_text(s, 6, p->title);
        store_bind_text(s, 7, p->school);
        store_bind_text(s, 8, p->major);
        store_bind_opt_i64(s, 9, p->years_in_field, -1);
        store_bind_text(s, 10, p->post);
        sqlite3_bind_int(s, 11, p->in_province);
        enum yj_err rc = store_step_done(tx, s, "staff insert", err);
        if (rc)
            return rc;
        for (size_t j = 0; j < p->n_certificates; j++) {
            sqlite3_stmt *c = store_stmt(tx, sql_cert, err);
            if (!c)
                return err->code;
            store_bind_i64(c, 1, u->id);
            store_bind_i64(c, 2, (int64_t)i);
            store_bind_i64(c, 3, (int64_t)j);
            store_bind_text(c, 4, p->certificates[j]);
            rc = store_step_done(tx, c, "certificate insert", err);
            if (rc)
                return rc;
        }
    }
    return YJ_OK;
}

static enum yj_err capabilities_oncall_insert(struct store_tx *tx, const struct unit *u,
                                              struct yj_error *err)
{
    static const char sql_cap[] = "INSERT INTO unit_capabilities (unit_id, field, description)"
                                  " VALUES (?,?,?)";
    static const char sql_oncall[] = "INSERT INTO unit_oncall (unit_id, position, person,"
                                     " mobile, starts_at, ends_at) VALUES (?,?,?,?,?,?)";
    for (size_t i = 0; i < u->n_capabilities; i++) {
        sqlite3_stmt *s = store_stmt(tx, sql_cap, err);
        if (!s)
            return err->code;
        store_bind_i64(s, 1, u->id);
        store_bind_text(s, 2, u->capabilities[i].field);
        store_bind_text(s, 3, u->capabilities[i].description);
        enum yj_err rc = store_step_done(tx, s, "capability insert", err);
        if (rc)
            return rc;
    }
    for (size_t i = 0; i < u->n_oncall; i++) {
        const struct unit_oncall *o = &u->oncall[i];
        sqlite3_stmt *s = store_stmt(tx, sql_oncall, err);
        if (!s)
            return err->code;
        store_bind_i64(s, 1, u->id);
        store_bind_i64(s, 2, (int64_t)i);
        store_bind_text(s, 3, o->person);
        store_bind_text(s, 4, o->mobile);
        store_bind_i64(s, 5, o->starts_at);
        store_bind_i64(s, 6, o->ends_at);
        enum yj_err rc = store_step_done(tx, s, "oncall insert", err);
        if (rc)
            return rc;
    }
    return YJ_OK;
}

static enum yj_err children_insert(struct store_tx *tx, const struct unit *u, struct yj_error *err)
{
    enum yj_err rc = contacts_insert(tx, u, err);
    if (!rc)
        rc = offices_insert(tx, u, err);
    if (!rc)
        rc = staff_insert(tx, u, err);
    if (!rc)
        rc = capabilities_oncall_insert(tx, u, err);
    return rc;
}

static enum yj_err children_delete(struct store_tx *tx, int64_t unit_id, struct yj_error *err)
{
    static const char *const sqls[] = {
        "DELETE FROM unit_contacts WHERE unit_id = ?",
        "DELETE FROM unit_offices WHERE unit_id = ?",
        "DELETE FROM unit_staff_certificates WHERE unit_id = ?",
        "DELETE FROM unit_staff WHERE unit_id = ?",
        "DELETE FROM unit_capabilities WHERE unit_id = ?",
        "DELETE FROM unit_oncall WHERE unit_id = ?",
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(sqls); i++) {
        sqlite3_stmt *s = store_stmt(tx, sqls[i], err);
        if (!s)
            return err->code;
        store_bind_i64(s, 1, unit_id);
        enum yj_err rc = store_step_done(tx, s, "children delete", err);
        if (rc)
            return rc;
    }
    return YJ_OK;
}

/* --- reads ------------------------------------------------------------------ */

static void *arena_array(struct yj_arena *a, size_t n, size_t size)
{
    void *p = yj_arena_calloc(a, n ? n : 1, size);
    if (!p) {
        yj_log(YJ_LOG_ERROR, "out_of_memory", NULL);
        abort();
    }
    return p;
}

static enum yj_err step_error(struct store_tx *tx, int rc, const char *what, struct yj_error *err)
{
    return rc == SQLITE_DONE ? YJ_OK : store_fail(tx, rc, what, err);
}

/* How many rows each child collection has, in one statement, so arrays are sized
 * exactly before reading (a unit read is then eight statements in all). */
struct child_counts {
    size_t contacts, offices, staff, certificates, capabilities, oncall;
};

static enum yj_err read_counts(struct store_tx *tx, int64_t id, struct child_counts *c,
                               struct yj_error *err)
{
    static const char sql[] = "SELECT (SELECT COUNT(*) FROM unit_contacts WHERE unit_id = ?1),"
                              " (SELECT COUNT(*) FROM unit_offices WHERE unit_id = ?1),"
                              " (SELECT COUNT(*) FROM unit_staff WHERE unit_id = ?1),"
                              " (SELECT COUNT(*) FROM unit_staff_certificates WHERE unit_id = ?1),"
                              " (SELECT COUNT(*) FROM unit_capabilities WHERE unit_id = ?1),"
                              " (SELECT COUNT(*) FROM unit_oncall WHERE unit_id = ?1)";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "unit counts", err);
    c->contacts = (size_t)sqlite3_column_int64(s, 0);
    c->offices = (size_t)sqlite3_column_int64(s, 1);
    c->staff = (size_t)sqlite3_column_int64(s, 2);
    c->certificates = (size_t)sqlite3_column_int64(s, 3);
    c->capabilities = (size_t)sqlite3_column_int64(s, 4);
    c->oncall = (size_t)sqlite3_column_int64(s, 5);
    return YJ_OK;
}

/* Bound to the unit id; NULL with err filled on failure. */
static sqlite3_stmt *child_query(struct store_tx *tx, const char *sql, int64_t id,
                                 struct yj_error *err)
{
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (s)
        store_bind_i64(s, 1, id);
    return s;
}

static enum yj_err read_contacts(struct store_tx *tx, struct yj_arena *a, struct unit *u, size_t n,
                                 struct yj_error *err)
{
    static const char sql[] = "SELECT role, name, dept_title, mobile, office_phone, email"
                              " FROM unit_contacts WHERE unit_id = ?";
    u->contacts = arena_array(a, n, sizeof *u->contacts);
    sqlite3_stmt *s = child_query(tx, sql, u->id, err);
    if (!s)
        return err->code;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && u->n_contacts < n) {
        struct unit_contact *c = &u->contacts[u->n_contacts];
        const char *role = (const char *)sqlite3_column_text(s, 0);
        if (!role || unit_contact_role_parse(role, &c->role) != 0)
            continue; /* a role this binary does not know: skip rather than mislabel */
        c->name = store_col_text(s, 1, a);
        c->dept_title = store_col_text(s, 2, a);
        c->mobile = store_col_text(s, 3, a);
        c->office_phone = store_col_text(s, 4, a);
        c->email = store_col_text(s, 5, a);
        u->n_contacts++;
    }
    /* The template's order, not the key's alphabetical one. */
    for (size_t i = 1; i < u->n_contacts; i++)
        for (size_t j = i; j > 0 && u->contacts[j].role < u->contacts[j - 1].role; j--) {
            struct unit_contact t = u->contacts[j];
            u->contacts[j] = u->contacts[j - 1];
            u->contacts[j - 1] = t;
        }
    return rc == SQLITE_ROW ? YJ_OK : step_error(tx, rc, "contacts", err);
}

static enum yj_err read_offices(struct store_tx *tx, struct yj_arena *a, struct unit *u, size_t n,
                                struct yj_error *err)
{
    static const char sql[] = "SELECT name, is_headquarters, province, city, address,"
                              " floor_area_m2, tenure, staff_count, security_lead, phone"
                              " FROM unit_offices WHERE unit_id = ? ORDER BY position";
    u->offices = arena_array(a, n, sizeof *u->offices);
    sqlite3_stmt *s = child_query(tx, sql, u->id, err);
    if (!s)
        return err->code;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && u->n_offices < n) {
        struct unit_office *o = &u->offices[u->n_offices++];
        o->name = store_col_text(s, 0, a);
        o->is_headquarters = sqlite3_column_int(s, 1) != 0;
        o->province = store_col_text(s, 2, a);
        o->city = store_col_text(s, 3, a);
        o->address = store_col_text(s, 4, a);
        o->floor_area_m2 = store_col_i64(s, 5, -1);
        o->tenure = store_col_text(s, 6, a);
        o->staff_count = store_col_i64(s, 7, -1);
        o->security_lead = store_col_text(s, 8, a);
        o->phone = store_col_text(s, 9, a);
    }
    return rc == SQLITE_ROW ? YJ_OK : step_error(tx, rc, "offices", err);
}

/* Staff, then all their certificates in one query, handed out in staff order. */
static enum yj_err read_staff(struct store_tx *tx, struct yj_arena *a, struct unit *u,
                              const struct child_counts *cnt, struct yj_error *err)
{
    static const char sql[] = "SELECT name, department, education, title, school, major,"
                              " years_in_field, post, in_province"
                              " FROM unit_staff WHERE unit_id = ? ORDER BY position";
    static const char sql_certs[] = "SELECT staff_position, name FROM unit_staff_certificates"
                                    " WHERE unit_id = ? ORDER BY staff_position, position";
    size_t n = cnt->staff;
    u->staff = arena_array(a, n, sizeof *u->staff);
    sqlite3_stmt *s = child_query(tx, sql, u->id, err);
    if (!s)
        return err->code;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && u->n_staff < n) {
        struct unit_staff *p = &u->staff[u->n_staff++];
        p->name = store_col_text(s, 0, a);
        p->department = store_col_text(s, 1, a);
        p->education = store_col_text(s, 2, a);
        p->title = store_col_text(s, 3, a);
        p->school = store_col_text(s, 4, a);
        p->major = store_col_text(s, 5, a);
        p->years_in_field = store_col_i64(s, 6, -1);
        p->post = store_col_text(s, 7, a);
        p->in_province = sqlite3_column_int(s, 8) != 0;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(tx, rc, "staff", err);
    /* Positions are dense from 0 (store_unit_insert writes them so). */
    const char **certs = arena_array(a, cnt->certificates, sizeof *certs);
    size_t used = 0;
    s = child_query(tx, sql_certs, u->id, err);
    if (!s)
        return err->code;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && used < cnt->certificates) {
        int64_t k = sqlite3_column_int64(s, 0);
        if (k < 0 || (size_t)k >= u->n_staff)
            continue;
        struct unit_staff *p = &u->staff[k];
        if (!p->certificates)
            p->certificates = &certs[used];
        certs[used++] = store_col_text(s, 1, a);
        p->n_certificates++;
    }
    return rc == SQLITE_ROW ? YJ_OK : step_error(tx, rc, "certificates", err);
}

/* Position of a capability code in the reference list (unknown codes last). */
static size_t capability_rank(const char *code)
{
    for (size_t i = 0; code && i < unit_capability_fields_count; i++)
        if (strcmp(code, unit_capability_fields[i].code) == 0)
            return i;
    return unit_capability_fields_count;
}

static enum yj_err read_capabilities(struct store_tx *tx, struct yj_arena *a, struct unit *u,
                                     size_t n, struct yj_error *err)
{
    static const char sql[] = "SELECT field, description FROM unit_capabilities"
                              " WHERE unit_id = ?";
    u->capabilities = arena_array(a, n, sizeof *u->capabilities);
    sqlite3_stmt *s = child_query(tx, sql, u->id, err);
    if (!s)
        return err->code;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && u->n_capabilities < n) {
        struct unit_capability *c = &u->capabilities[u->n_capabilities++];
        c->field = store_col_text(s, 0, a);
        c->description = store_col_text(s, 1, a);
    }
    /* Sorted here rather than by a join in SQL, which cost a temporary b-tree. */
    for (size_t i = 1; i < u->n_capabilities; i++)
        for (size_t j = i; j > 0 && capability_rank(u->capabilities[j].field) <
                                        capability_rank(u->capabilities[j - 1].field);
             j--) {
            struct unit_capability t = u->capabilities[j];
            u->capabilities[j] = u->capabilities[j - 1];
            u->capabilities[j - 1] = t;
        }
    return rc == SQLITE_ROW ? YJ_OK : step_error(tx, rc, "capabilities", err);
}

static enum yj_err read_oncall(struct store_tx *tx, struct yj_arena *a, struct unit *u, size_t n,
                               struct yj_error *err)
{
    static const char sql[] = "SELECT person, mobile, starts_at, ends_at FROM unit_oncall"
                              " WHERE unit_id = ? ORDER BY starts_at, position";
    u->oncall = arena_array(a, n, sizeof *u->oncall);
    sqlite3_stmt *s = child_query(tx, sql, u->id, err);
    if (!s)
        return err->code;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && u->n_oncall < n) {
        struct unit_oncall *o = &u->oncall[u->n_oncall++];
        o->person = store_col_text(s, 0, a);
        o->mobile = store_col_text(s, 1, a);
        o->starts_at = sqlite3_column_int64(s, 2);
        o->ends_at = sqlite3_column_int64(s, 3);
    }
    return rc == SQLITE_ROW ? YJ_OK : step_error(tx, rc, "oncall", err);
}

enum yj_err store_unit_version(struct store_tx *tx, int64_t id, int64_t *version,
                               struct yj_error *err)
{
    static const char sql[] = "SELECT version FROM units WHERE id = ? AND deleted_at IS NULL";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such unit");
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "unit version", err);
    *version = sqlite3_column_int64(s, 0);
    return YJ_OK;
}

enum yj_err store_unit_get(struct store_tx *tx, int64_t id, bool include_deleted,
                           struct yj_arena *a, struct unit *out, struct yj_error *err)
{
    static const char sql[] =
        "SELECT id, version, name, credit_code, registered_capital, legal_representative,"
        " founded_on, business_term, business_scope, registration_authority, province, city,"
        " address, created_at, updated_at, deleted_at FROM units WHERE id = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such unit");
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "unit get", err);
    memset(out, 0, sizeof *out);
    out->id = sqlite3_column_int64(s, 0);
    out->version = sqlite3_column_int64(s, 1);
    out->name = store_col_text(s, 2, a);
    out->credit_code = store_col_text(s, 3, a);
    out->registered_capital = store_col_i64(s, 4, -1);
    out->legal_representative = store_col_text(s, 5, a);
    out->founded_on = store_col_text(s, 6, a);
    out->business_term = store_col_text(s, 7, a);
    out->business_scope = store_col_text(s, 8, a);
    out->registration_authority = store_col_text(s, 9, a);
    out->province = store_col_text(s, 10, a);
    out->city = store_col_text(s, 11, a);
    out->address = store_col_text(s, 12, a);
    out->created_at = sqlite3_column_int64(s, 13);
    out->updated_at = sqlite3_column_int64(s, 14);
    out->deleted_at = store_col_i64(s, 15, 0);
    sqlite3_reset(s);
    if (out->deleted_at && !include_deleted)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such unit");
    struct child_counts cnt = {0};
    enum yj_err e = read_counts(tx, id, &cnt, err);
    if (!e)
        e = read_contacts(tx, a, out, cnt.contacts, err);
    if (!e)
        e = read_offices(tx, a, out, cnt.offices, err);
    if (!e)
        e = read_staff(tx, a, out, &cnt, err);
    if (!e)
        e = read_capabilities(tx, a, out, cnt.capabilities, err);
    if (!e)
        e = read_oncall(tx, a, out, cnt.oncall, err);
    return e;
}

/* Splits "a,b,c" into an arena array. */
static void split_codes(struct yj_arena *a, const char *codes, struct store_unit_summary *u)
{
    u->capabilities = arena_array(a, UNIT_CAPS_MAX, sizeof(char *));
    u->n_capabilities = 0;
    const char *p = codes;
    while (p && *p && u->n_capabilities < UNIT_CAPS_MAX) {
        size_t len = strcspn(p, ",");
        char *code = yj_arena_strndup(a, p, len);
        if (!code) {
            yj_log(YJ_LOG_ERROR, "out_of_memory", NULL);
            abort();
        }
        u->capabilities[u->n_capabilities++] = code;
        p += len + (p[len] == ',');
    }
}

/* The filters every listing shares; parameters 1-8, then the limit. */
#define UNIT_FILTER                                                                                \
    " FROM units WHERE deleted_at IS NULL AND id > ?"                                              \
    " AND (? = 0 OR id = ?)"                                                                       \
    " AND (? IS NULL OR name LIKE ? ESCAPE '!' OR credit_code LIKE ? ESCAPE '!')"                  \
    " AND (? IS NULL OR province = ?)"                                                             \
    " ORDER BY id LIMIT ?"

#define SUMMARY_COLS                                                                               \
    "id, version, name, credit_code, province, city, registered_capital, updated_at,"              \
    " staff_count, capability_codes"

static int bind_filter(sqlite3_stmt *s, const struct store_unit_query *q, struct yj_arena *a)
{
    int limit = q->limit > 0 ? q->limit : 1;
    store_bind_i64(s, 1, q->after_id);
    store_bind_i64(s, 2, q->only_id);
    store_bind_i64(s, 3, q->only_id);
    store_bind_text(s, 4, q->q);
    store_bind_text(s, 5, q->q ? store_like_contains(a, q->q) : NULL);
    store_bind_text(s, 6, q->q ? store_like_prefix(a, q->q) : NULL);
    store_bind_text(s, 7, q->province);
    store_bind_text(s, 8, q->province);
    sqlite3_bind_int(s, 9, limit);
    return limit;
}

static void summary_read(sqlite3_stmt *s, struct yj_arena *a, struct store_unit_summary *u)
{
    u->id = sqlite3_column_int64(s, 0);
    u->version = sqlite3_column_int64(s, 1);
    u->name = store_col_text(s, 2, a);
    u->credit_code = store_col_text(s, 3, a);
    u->province = store_col_text(s, 4, a);
    u->city = store_col_text(s, 5, a);
    u->registered_capital = store_col_i64(s, 6, -1);
    u->updated_at = sqlite3_column_int64(s, 7);
    u->staff_count = sqlite3_column_int64(s, 8);
    split_codes(a, (const char *)sqlite3_column_text(s, 9), u);
}

enum yj_err store_unit_list(struct store_tx *tx, const struct store_unit_query *q,
                            struct yj_arena *a, struct store_unit_summary **items, size_t *n,
                            struct yj_error *err)
{
    static const char sql[] = "SELECT " SUMMARY_COLS UNIT_FILTER;
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    int limit = bind_filter(s, q, a);
    *items = arena_array(a, (size_t)limit, sizeof **items);
    *n = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < (size_t)limit)
        summary_read(s, a, &(*items)[(*n)++]);
    return rc == SQLITE_ROW ? YJ_OK : step_error(tx, rc, "unit list", err);
}

enum yj_err store_unit_page(struct store_tx *tx, const struct store_unit_query *q,
                            struct yj_arena *a, struct store_unit_ref **items, size_t *n,
                            struct yj_error *err)
{
    static const char sql[] = "SELECT id, version" UNIT_FILTER;
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    int limit = bind_filter(s, q, a);
    *items = arena_array(a, (size_t)limit, sizeof **items);
    *n = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < (size_t)limit) {
        (*items)[*n].id = sqlite3_column_int64(s, 0);
        (*items)[*n].version = sqlite3_column_int64(s, 1);
        (*n)++;
    }
    return rc == SQLITE_ROW ? YJ_OK : step_error(tx, rc, "unit page", err);
}

enum yj_err store_unit_summary_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                                   struct store_unit_summary *out, struct yj_error *err)
{
    static const char sql[] =
        "SELECT " SUMMARY_COLS " FROM units WHERE id = ? AND deleted_at IS NULL";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_i64(s, 1, id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such unit");
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "unit summary", err);
    summary_read(s, a, out);
    return YJ_OK;
}
