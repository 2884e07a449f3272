/*
 * store.c - opening the database, the connection pool, transactions, the
 * statement cache, migrations, backup and settings.
 */
#include "store/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

/* Every connection gets these. synchronous=FULL in WAL mode fsyncs the WAL on each
 * commit: an acknowledged write survives power loss, not only a crash. */
static const char *const conn_pragmas =
    "PRAGMA foreign_keys = ON;"
    "PRAGMA synchronous = FULL;"
    /* Statement and savepoint journals in temporary files, not in memory: every store
     * transaction is a savepoint inside the group commit, and SQLite's in-memory
     * journal is walked from its start on each read, which made a 200,000-row import
     * into a populated table take 36 s instead of 2.4 s. */
    "PRAGMA temp_store = FILE;"
    "PRAGMA cache_size = -16384;"
    /* Reads through a shared mapping instead of a read() per page per connection. */
    "PRAGMA mmap_size = 1073741824;"
    "PRAGMA journal_size_limit = 67108864;";

/* SQLite's memory statistics take a global mutex on every allocation; yingji never
 * reads them. Must run before SQLite initialises. */
static void sqlite_setup(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

void store_conn_close(struct store_conn *c)
{
    if (!c)
        return;
    sqlite3_finalize(c->begin_read);
    sqlite3_finalize(c->begin_write);
    sqlite3_finalize(c->commit);
    sqlite3_finalize(c->rollback);
    sqlite3_finalize(c->savepoint);
    sqlite3_finalize(c->release);
    sqlite3_finalize(c->rollback_to);
    for (int i = 0; i < STORE_STMT_SLOTS; i++)
        sqlite3_finalize(c->stmts[i]);
    sqlite3_close(c->db);
    free(c);
}

static int wal_hook(void *ctx, sqlite3 *db, const char *name, int pages)
{
    (void)db;
    (void)name;
    struct store *st = ctx;
    if (pages >= STORE_CHECKPOINT_PAGES) {
        pthread_mutex_lock(&st->ckpt_lock);
        st->ckpt_due = true;
        pthread_cond_signal(&st->ckpt_cond);
        pthread_mutex_unlock(&st->ckpt_lock);
    }
    return SQLITE_OK;
}

enum yj_err store_conn_open(struct store *st, struct store_conn **out, struct yj_error *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sqlite_setup);
    struct store_conn *c = calloc(1, sizeof *c);
    if (!c)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    int oflags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    oflags |= (st->flags & STORE_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (st->flags & STORE_CREATE)
        oflags |= SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(st->path, &c->db, oflags, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_busy_timeout(c->db, 10000);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(c->db, conn_pragmas, NULL, NULL, NULL);
    static const struct {
        const char *sql;
        size_t offset;
    } control[] = {
        {"BEGIN", offsetof(struct store_conn, begin_read)},
        {"BEGIN IMMEDIATE", offsetof(struct store_conn, begin_write)},
        {"COMMIT", offsetof(struct store_conn, commit)},
        {"ROLLBACK", offsetof(struct store_conn, rollback)},
        {"SAVEPOINT yj_write", offsetof(struct store_conn, savepoint)},
        {"RELEASE yj_write", offsetof(struct store_conn, release)},
        {"ROLLBACK TO yj_write", offsetof(struct store_conn, rollback_to)},
    };
    for (size_t i = 0; rc == SQLITE_OK && i < YJ_ARRAY_LEN(control); i++)
        rc = sqlite3_prepare_v3(c->db, control[i].sql, -1, SQLITE_PREPARE_PERSISTENT,
                                (sqlite3_stmt **)(void *)((char *)c + control[i].offset), NULL);
    /* Replaces SQLite's automatic checkpoint, which would run inside a commit. */
    if (rc == SQLITE_OK && !(st->flags & STORE_READONLY))
        sqlite3_wal_hook(c->db, wal_hook, st);
    if (rc != SQLITE_OK) {
        yj_log(YJ_LOG_ERROR, "store.open_failed", "{s:s,s:i}", "error", sqlite3_errstr(rc), "code",
               rc);
        store_conn_close(c);
        return yj_error_set(err, YJ_EIO, NULL, "cannot open the database");
    }
    *out = c;
    return YJ_OK;
}

enum yj_err store_conn_get(struct store *st, struct store_conn **out, struct yj_error *err)
{
    pthread_mutex_lock(&st->pool_lock);
    struct store_conn *c = st->pool;
    if (c)
        st->pool = c->next;
    pthread_mutex_unlock(&st->pool_lock);
    if (c) {
        *out = c;
        return YJ_OK;
    }
    return store_conn_open(st, out, err);
}

void store_conn_put(struct store *st, struct store_conn *c)
{
    pthread_mutex_lock(&st->pool_lock);
    c->next = st->pool;
    st->pool = c;
    pthread_mutex_unlock(&st->pool_lock);
}

int store_exists(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, STORE_DB_FILE);
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static int schema_version(struct store *st, struct yj_error *err)
{
    struct store_tx *tx;
    if (store_read_begin(st, &tx, err))
        return -1;
    int v = 0;
    sqlite3_stmt *s = NULL;
    static const char sql[] = "SELECT name FROM sqlite_master WHERE type = 'table' AND "
                              "name = 'schema_migrations'";
    static const char sql_max[] = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
    s = store_stmt(tx, sql, err);
    if (!s) {
        v = -1;
    } else if (sqlite3_step(s) == SQLITE_ROW) {
        sqlite3_stmt *m = store_stmt(tx, sql_max, err);
        if (!m)
            v = -1;
        else if (sqlite3_step(m) == SQLITE_ROW)
            v = sqlite3_column_int(m, 0);
    }
    store_tx_end(tx);
    return v;
}

static void *checkpoint_main(void *arg);

enum yj_err store_open(const char *dir, int flags, struct store **out, struct yj_error *err)
{
    *out = NULL;
    if (!(flags & STORE_CREATE) && !store_exists(dir))
        return yj_error_set(err, YJ_ENOTFOUND, "data", "no database in %s (run yingji init)", dir);
    if ((flags & STORE_CREATE) && mkdir(dir, 0700) != 0 && errno != EEXIST)
        return yj_error_set(err, YJ_EIO, "data", "cannot create %s: %s", dir, strerror(errno));
    struct store *st = calloc(1, sizeof *st);
    if (!st)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    st->flags = flags;
    st->dir = strdup(dir);
    size_t n = strlen(dir) + sizeof(STORE_DB_FILE) + 2;
    st->path = malloc(n);
    if (!st->dir || !st->path) {
        store_close(st);
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    }
    snprintf(st->path, n, "%s/%s", dir, STORE_DB_FILE);
    pthread_mutex_init(&st->write_lock, NULL);
    pthread_mutex_init(&st->pool_lock, NULL);
    pthread_mutex_init(&st->ckpt_lock, NULL);
    pthread_cond_init(&st->ckpt_cond, NULL);
    pthread_cond_init(&st->batch_done, NULL);

    struct store_conn *c;
    enum yj_err rc = store_conn_open(st, &c, err);
    if (rc) {
        store_close(st);
        return rc;
    }
    if (!(flags & STORE_READONLY)) {
        /* WAL is a property of the file: setting it once is enough, but harmless again. */
        if (sqlite3_exec(c->db, "PRAGMA journal_mode = WAL;", NULL, NULL, NULL) != SQLITE_OK) {
            store_conn_close(c);
            store_close(st);
            return yj_error_set(err, YJ_EIO, NULL, "cannot switch the database to WAL");
        }
        chmod(st->path, 0600);
    }
    store_conn_put(st, c);

    if (flags & STORE_MIGRATE) {
        rc = store_migrate(st, NULL, err);
    } else {
        int v = schema_version(st, err);
        if (v < 0)
            rc = err->code ? err->code : YJ_EIO;
        else if (v < store_migration_list[store_migration_count - 1].version)
            rc = yj_error_set(err, YJ_EINVAL, "data",
                              "the database schema is behind this binary (run yingji migrate)");
    }
    if (!rc && !(flags & STORE_READONLY)) {
        /* The thread is born with every signal blocked: signals are the program's
         * to take (serve waits for SIGTERM in its main thread), never a library's. */
        sigset_t all, old;
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &old);
        if (pthread_create(&st->checkpointer, NULL, checkpoint_main, st) == 0)
            st->checkpointing = true;
        else
            rc = yj_error_set(err, YJ_ENOMEM, NULL, "cannot start the checkpoint thread");
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    }
    if (rc) {
        store_close(st);
        return rc;
    }
    *out = st;
    return YJ_OK;
}

static void *checkpoint_main(void *arg)
{
    struct store *st = arg;
    struct store_conn *c = NULL;
    struct yj_error err;
    if (store_conn_open(st, &c, &err) != YJ_OK)
        return NULL;
    sqlite3_wal_hook(c->db, NULL, NULL);
    pthread_mutex_lock(&st->ckpt_lock);
    for (;;) {
        while (!st->ckpt_due && !st->ckpt_stop)
            pthread_cond_wait(&st->ckpt_cond, &st->ckpt_lock);
        if (st->ckpt_stop)
            break;
        st->ckpt_due = false;
        pthread_mutex_unlock(&st->ckpt_lock);
        int log = 0, done = 0;
        int rc = sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
        __atomic_add_fetch(&st->stats.checkpoints, 1, __ATOMIC_RELAXED);
        if (rc != SQLITE_OK && rc != SQLITE_BUSY)
            yj_log(YJ_LOG_WARN, "store.checkpoint_failed", "{s:s}", "error", sqlite3_errstr(rc));
        pthread_mutex_lock(&st->ckpt_lock);
    }
    pthread_mutex_unlock(&st->ckpt_lock);
    store_conn_close(c);
    return NULL;
}

void store_close(struct store *st)
{
    if (!st)
        return;
    if (st->checkpointing) {
        pthread_mutex_lock(&st->ckpt_lock);
        st->ckpt_stop = true;
        pthread_cond_signal(&st->ckpt_cond);
        pthread_mutex_unlock(&st->ckpt_lock);
        pthread_join(st->checkpointer, NULL);
    }
    store_conn_close(st->writer);
    struct store_conn *c = st->pool;
    while (c) {
        struct store_conn *next = c->next;
        store_conn_close(c);
        c = next;
    }
    pthread_mutex_destroy(&st->write_lock);
    pthread_mutex_destroy(&st->pool_lock);
    pthread_mutex_destroy(&st->ckpt_lock);
    pthread_cond_destroy(&st->ckpt_cond);
    pthread_cond_destroy(&st->batch_done);
    free(st->dir);
    free(st->path);
    free(st);
}

/* --- transactions --------------------------------------------------------- */

/* --- statements and helpers ------------------------------------------------ */

sqlite3_stmt *store_stmt(struct store_tx *tx, const char *sql, struct yj_error *err)
{
    struct store_conn *c = tx->c;
    size_t h = ((uintptr_t)sql >> 3) % STORE_STMT_SLOTS;
    for (size_t probe = 0; probe < STORE_STMT_SLOTS; probe++) {
        size_t i = (h + probe) % STORE_STMT_SLOTS;
        if (c->keys[i] == sql) {
            sqlite3_reset(c->stmts[i]);
            sqlite3_clear_bindings(c->stmts[i]);
            if (tx->n_used < STORE_TX_STMTS)
                tx->used[tx->n_used++] = c->stmts[i];
            return c->stmts[i];
        }
        if (!c->keys[i]) {
            sqlite3_stmt *s = NULL;
            int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL);
            if (rc != SQLITE_OK) {
                yj_log(YJ_LOG_ERROR, "store.prepare_failed", "{s:s,s:s}", "error",
                       sqlite3_errmsg(c->db), "sql", sql);
                yj_error_set(err, YJ_EIO, NULL, "database error");
                return NULL;
            }
            c->keys[i] = sql;
            c->stmts[i] = s;
            if (tx->n_used < STORE_TX_STMTS)
                tx->used[tx->n_used++] = s;
            return s;
        }
    }
    yj_log(YJ_LOG_ERROR, "store.stmt_cache_full", NULL);
    yj_error_set(err, YJ_EINTERNAL, NULL, "statement cache full");
    return NULL;
}

enum yj_err store_exec(struct store_tx *tx, const char *sql, struct yj_error *err)
{
    char *msg = NULL;
    int rc = sqlite3_exec(tx->c->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        yj_log(YJ_LOG_ERROR, "store.exec_failed", "{s:s}", "error", msg ? msg : "");
        sqlite3_free(msg);
        return store_fail(tx, rc, "exec", err);
    }
    return YJ_OK;
}

enum yj_err store_fail(struct store_tx *tx, int rc, const char *what, struct yj_error *err)
{
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return yj_error_set(err, YJ_ECONFLICT, NULL, "conflicts with existing data");
    yj_log(YJ_LOG_ERROR, "store.failed", "{s:s,s:s,s:i}", "what", what, "error",
           tx ? sqlite3_errmsg(tx->c->db) : sqlite3_errstr(rc), "code", rc);
    if ((rc & 0xff) == SQLITE_BUSY)
        return yj_error_set(err, YJ_EBUSY, NULL, "the database is busy");
    return yj_error_set(err, YJ_EIO, NULL, "database error");
}

enum yj_err store_step_done(struct store_tx *tx, sqlite3_stmt *s, const char *what,
                            struct yj_error *err)
{
    int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE)
        return store_fail(tx, rc, what, err);
    return YJ_OK;
}

int store_bind_text(sqlite3_stmt *s, int i, const char *v)
{
    return v ? sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(s, i);
}

int store_bind_i64(sqlite3_stmt *s, int i, int64_t v)
{
    return sqlite3_bind_int64(s, i, v);
}

int store_bind_opt_i64(sqlite3_stmt *s, int i, int64_t v, int64_t none)
{
    return v == none ? sqlite3_bind_null(s, i) : sqlite3_bind_int64(s, i, v);
}

char *store_col_text(sqlite3_stmt *s, int i, struct yj_arena *a)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    if (!t)
        return NULL;
    char *p = yj_arena_strndup(a, (const char *)t, (size_t)sqlite3_column_bytes(s, i));
    if (!p) {
        /* Store reads use unlimited arenas: only a failing malloc gets here. */
        yj_log(YJ_LOG_ERROR, "out_of_memory", NULL);
        abort();
    }
    return p;
}

enum yj_err store_read_rows(struct store_tx *tx, sqlite3_stmt *s, struct yj_arena *a, size_t size,
                            store_row_reader read, void **items, size_t *n, const char *what,
                            struct yj_error *err)
{
    size_t cap = 16, len = 0;
    char *buf = yj_arena_calloc(a, cap, size);
    int rc = SQLITE_NOMEM;
    while (buf && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (len == cap) {
            char *bigger = yj_arena_calloc(a, cap * 2, size);
            if (!bigger) {
                buf = NULL;
                break;
            }
            memcpy(bigger, buf, cap * size);
            buf = bigger;
            cap *= 2;
        }
        read(s, a, buf + len * size);
        len++;
    }
    if (!buf) {
        yj_log(YJ_LOG_ERROR, "out_of_memory", NULL);
        abort();
    }
    if (rc != SQLITE_DONE)
        return store_fail(tx, rc, what, err);
    *items = buf;
    *n = len;
    return YJ_OK;
}

int64_t store_col_i64(sqlite3_stmt *s, int i, int64_t null_value)
{
    if (sqlite3_column_type(s, i) == SQLITE_NULL)
        return null_value;
    return sqlite3_column_int64(s, i);
}

static char *like_pattern(struct yj_arena *a, const char *s, bool leading)
{
    size_t n = strlen(s);
    char *p = yj_arena_alloc(a, 2 * n + 3);
    if (!p) {
        yj_log(YJ_LOG_ERROR, "out_of_memory", NULL);
        abort();
    }
    char *o = p;
    if (leading)
        *o++ = '%';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' || s[i] == '_' || s[i] == '!')
            *o++ = '!';
        *o++ = s[i];
    }
    *o++ = '%';
    *o = '\0';
    return p;
}

char *store_like_contains(struct yj_arena *a, const char *s)
{
    return like_pattern(a, s, true);
}

char *store_like_prefix(struct yj_arena *a, const char *s)
{
    return like_pattern(a, s, false);
}

/* --- migrations ------------------------------------------------------------ */

enum yj_err store_migrations(struct store *st, struct store_migration_info *out, size_t max,
                             size_t *n, struct yj_error *err)
{
    *n = 0;
    int current = schema_version(st, err);
    if (current < 0)
        return err->code ? err->code : YJ_EIO;
    struct store_tx *tx = NULL;
    enum yj_err rc = store_read_begin(st, &tx, err);
    if (rc)
        return rc;
    static const char sql[] = "SELECT applied_at FROM schema_migrations WHERE version = ?";
    for (size_t i = 0; i < store_migration_count && *n < max; i++) {
        const struct store_migration *m = &store_migration_list[i];
        struct store_migration_info *o = &out[(*n)++];
        o->version = m->version;
        o->name = m->name;
        o->applied_at = 0;
        if (m->version > current)
            continue;
        sqlite3_stmt *s = store_stmt(tx, sql, err);
        if (!s) {
            rc = err->code;
            break;
        }
        sqlite3_bind_int(s, 1, m->version);
        if (sqlite3_step(s) == SQLITE_ROW)
            o->applied_at = sqlite3_column_int64(s, 0);
    }
    store_tx_end(tx);
    return rc;
}

enum yj_err store_migrate(struct store *st, int *applied, struct yj_error *err)
{
    if (applied)
        *applied = 0;
    struct store_tx *tx = NULL;
    enum yj_err rc = store_write_begin(st, &tx, err);
    if (rc)
        return rc;
    rc = store_exec(tx,
                    "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                    " applied_at INTEGER NOT NULL) STRICT",
                    err);
    int current = 0;
    static const char sql_max[] = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
    static const char sql_ins[] =
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)";
    if (!rc) {
        sqlite3_stmt *s = store_stmt(tx, sql_max, err);
        if (!s)
            rc = err->code;
        else if (sqlite3_step(s) == SQLITE_ROW)
            current = sqlite3_column_int(s, 0);
        /* Finished now: a statement left open is a reader, and SQLite refuses to DROP a
         * table while one is (migration 10 rebuilds tables). */
        if (s)
            sqlite3_reset(s);
    }
    int64_t now = yj_now_ms(yj_clock_default());
    for (size_t i = 0; !rc && i < store_migration_count; i++) {
        const struct store_migration *m = &store_migration_list[i];
        if (m->version <= current)
            continue;
        for (const char *const *q = m->stmts; !rc && *q; q++)
            rc = store_exec(tx, *q, err);
        sqlite3_stmt *s = rc ? NULL : store_stmt(tx, sql_ins, err);
        if (!rc && !s)
            rc = err->code;
        if (!rc) {
            sqlite3_bind_int(s, 1, m->version);
            sqlite3_bind_text(s, 2, m->name, -1, SQLITE_STATIC);
            sqlite3_bind_int64(s, 3, now);
            rc = store_step_done(tx, s, "migration record", err);
        }
        if (!rc) {
            yj_log(YJ_LOG_INFO, "store.migrated", "{s:i,s:s}", "version", m->version, "name",
                   m->name);
            if (applied)
                (*applied)++;
        }
    }
    if (!rc)
        rc = store_tx_commit(tx, err);
    store_tx_end(tx);
    return rc;
}

/* --- backup, ping ----------------------------------------------------------- */

enum yj_err store_backup(struct store *st, const char *to, struct yj_error *err)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.partial", to);
    unlink(tmp);
    sqlite3 *dst = NULL;
    if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        sqlite3_close(dst);
        return yj_error_set(err, YJ_EIO, "to", "cannot create %s", tmp);
    }
    struct store_conn *c;
    enum yj_err rc = store_conn_get(st, &c, err);
    if (rc) {
        sqlite3_close(dst);
        return rc;
    }
    /* One step over all pages copies a single consistent snapshot; WAL readers do
     * not block writers meanwhile. */
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", c->db, "main");
    int brc = b ? sqlite3_backup_step(b, -1) : sqlite3_errcode(dst);
    if (b)
        sqlite3_backup_finish(b);
    store_conn_put(st, c);
    if (brc == SQLITE_DONE)
        brc = sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
    sqlite3_close(dst);
    if (brc != SQLITE_OK && brc != SQLITE_DONE) {
        unlink(tmp);
        return yj_error_set(err, YJ_EIO, "to", "backup failed: %s", sqlite3_errstr(brc));
    }
    int fd = open(tmp, O_RDONLY);
    if (fd < 0 || fsync(fd) != 0 || rename(tmp, to) != 0) {
        if (fd >= 0)
            close(fd);
        unlink(tmp);
        return yj_error_set(err, YJ_EIO, "to", "cannot write %s: %s", to, strerror(errno));
    }
    close(fd);
    return YJ_OK;
}

enum yj_err store_ping(struct store *st, struct yj_error *err)
{
    struct store_tx *tx;
    enum yj_err rc = store_read_begin(st, &tx, err);
    if (rc)
        return rc;
    static const char sql[] = "SELECT 1";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        rc = err->code;
    else if (sqlite3_step(s) != SQLITE_ROW)
        rc = yj_error_set(err, YJ_EIO, NULL, "database error");
    store_tx_end(tx);
    return rc;
}

/* --- settings --------------------------------------------------------------- */

enum yj_err store_setting_get(struct store_tx *tx, const char *key, struct yj_arena *a,
                              char **value, struct yj_error *err)
{
    static const char sql[] = "SELECT value FROM settings WHERE key = ?";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, key);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no setting %s", key);
    if (rc != SQLITE_ROW)
        return store_fail(tx, rc, "setting get", err);
    *value = store_col_text(s, 0, a);
    return YJ_OK;
}

enum yj_err store_setting_set(struct store_tx *tx, const char *key, const char *value,
                              struct yj_error *err)
{
    static const char sql[] = "INSERT INTO settings (key, value) VALUES (?, ?) "
                              "ON CONFLICT (key) DO UPDATE SET value = excluded.value";
    sqlite3_stmt *s = store_stmt(tx, sql, err);
    if (!s)
        return err->code;
    store_bind_text(s, 1, key);
    store_bind_text(s, 2, value);
    return store_step_done(tx, s, "setting set", err);
}
