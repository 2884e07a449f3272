/*
 * store_int.h - shared by the store's own files: the transaction and connection
 * structures and small helpers for binding and reading columns.
 */
#ifndef YJ_STORE_INT_H
#define YJ_STORE_INT_H

#include <pthread.h>
#include <sqlite3.h>

#include "core/yj.h"
#include "store/store.h"

enum {
    /* Prepared statements per connection: room for every SQL text of the program. */
    STORE_STMT_SLOTS = 1024,
    STORE_TX_STMTS = 64,
    STORE_EPOCH_RING = 256,
    STORE_BATCH_MAX = 64, /* write transactions one COMMIT may carry */
};

struct store_conn {
    sqlite3 *db;
    /* Transaction control, prepared once: BEGIN, BEGIN IMMEDIATE, COMMIT, ROLLBACK,
     * and the savepoint that holds one write transaction inside a group commit. */
    sqlite3_stmt *begin_read, *begin_write, *commit, *rollback;
    sqlite3_stmt *savepoint, *release, *rollback_to;
    /* Prepared statements keyed by the address of their static SQL text. */
    const char *keys[STORE_STMT_SLOTS];
    sqlite3_stmt *stmts[STORE_STMT_SLOTS];
    struct store_conn *next;
};

struct store {
    char *dir;
    char *path;
    int flags;
    pthread_mutex_t pool_lock;
    struct store_conn *pool; /* idle connections for read transactions */

    /* Writes: one connection, serialised by write_lock, with group commit (see
     * store_tx.c). All fields below are guarded by write_lock except
     * writers_waiting, which is atomic. */
    pthread_mutex_t write_lock;
    struct store_conn *writer;
    int writers_waiting;  /* threads blocked in store_write_begin */
    bool batch_open;      /* an outer BEGIN IMMEDIATE is open on writer */
    int batch_members;    /* finished write transactions awaiting its COMMIT */
    uint64_t batch_epoch; /* counts outer COMMITs */
    enum yj_err batch_results[STORE_EPOCH_RING]; /* by epoch % ring */
    pthread_cond_t batch_done;
    struct store_stats stats; /* atomics */
    /* WAL checkpoints run on their own thread, woken by the WAL hook, so that no
     * committing request pays for copying the WAL into the database. */
    pthread_t checkpointer;
    bool checkpointing;
    pthread_mutex_t ckpt_lock;
    pthread_cond_t ckpt_cond;
    bool ckpt_due, ckpt_stop;
};

/* WAL pages (16 MiB) after which the checkpointer is woken. Larger than SQLite's
 * default: a page written by many commits is copied to the database once. */
enum { STORE_CHECKPOINT_PAGES = 4000 };

struct store_tx {
    struct store *st;
    struct store_conn *c;
    bool write;
    bool committed; /* durably: its group's COMMIT succeeded */
    bool released;  /* its savepoint was merged into the group's transaction */
    /* The first writer of a group runs without a savepoint: nothing of anyone else is
     * in the transaction yet, so its failure may roll the whole transaction back, and
     * SQLite keeps no savepoint journal of what it writes (a bulk import would write
     * every page of an index it touches to that journal too). */
    bool bare;
    sqlite3_stmt *used[STORE_TX_STMTS];
    int n_used;
};

/* Connections: opened with yingji's pragmas; the pool serves read transactions. */
enum yj_err store_conn_open(struct store *st, struct store_conn **out, struct yj_error *err);
void store_conn_close(struct store_conn *c); /* NULL is a no-op */
enum yj_err store_conn_get(struct store *st, struct store_conn **out, struct yj_error *err);
void store_conn_put(struct store *st, struct store_conn *c);

/* Steps a prepared control statement (BEGIN, COMMIT, ...) and resets it. */
enum yj_err store_control_step(struct store_tx *tx, sqlite3_stmt *s, const char *what,
                               struct yj_error *err);

/*
 * The cached statement for sql (a static string: its address is the key),
 * reset and unbound. NULL on failure, with err filled (YJ_EIO).
 */
sqlite3_stmt *store_stmt(struct store_tx *tx, const char *sql, struct yj_error *err);

/* Runs sql that returns no rows, with no parameters. */
enum yj_err store_exec(struct store_tx *tx, const char *sql, struct yj_error *err);

/* Turns a failed sqlite3 result into YJ_ECONFLICT (constraint) or YJ_EIO, logging it. */
enum yj_err store_fail(struct store_tx *tx, int rc, const char *what, struct yj_error *err);

/* Steps a statement expected to finish with SQLITE_DONE. */
enum yj_err store_step_done(struct store_tx *tx, sqlite3_stmt *s, const char *what,
                            struct yj_error *err);

/* Binding: NULL text and negative "not given" integers become SQL NULL. */
int store_bind_text(sqlite3_stmt *s, int i, const char *v);
int store_bind_i64(sqlite3_stmt *s, int i, int64_t v);
int store_bind_opt_i64(sqlite3_stmt *s, int i, int64_t v, int64_t none);

/* Column reads: text copied into the arena (NULL for SQL NULL); integers with a default for NULL.
 */
char *store_col_text(sqlite3_stmt *s, int i, struct yj_arena *a);
int64_t store_col_i64(sqlite3_stmt *s, int i, int64_t null_value);

/* Steps s to its end, reading each row with read into a new element of an arena
 * array (element size `size`): *items and *n. A failing malloc aborts (store reads
 * use unlimited arenas). */
typedef void (*store_row_reader)(sqlite3_stmt *s, struct yj_arena *a, void *item);
enum yj_err store_read_rows(struct store_tx *tx, sqlite3_stmt *s, struct yj_arena *a, size_t size,
                            store_row_reader read, void **items, size_t *n, const char *what,
                            struct yj_error *err);

/* A LIKE pattern (ESCAPE '!') matching values that contain s, with s's own
 * wildcards escaped; "prefix" variant matches values starting with s. Arena-allocated. */
char *store_like_contains(struct yj_arena *a, const char *s);
char *store_like_prefix(struct yj_arena *a, const char *s);

/* The migrations, in order. */
struct store_migration {
    int version;
    const char *name;
    const char *const *stmts; /* NULL-terminated; each one statement or a few */
};
extern const struct store_migration store_migration_list[];
/* Steps kept in their own files (listed in store_migration_list). */
extern const char *const store_m3_incidents[];
extern const char *const store_m4_indexes[];
extern const char *const store_m5_threats[];
extern const char *const store_m6_indicators[];
extern const char *const store_m7_constituency[];
extern const char *const store_m8_disposals[];
extern const char *const store_m9_feeds[];
extern const char *const store_m10_indicator_checks[];
extern const char *const store_m11_unused_indexes[];
extern const size_t store_migration_count;

#endif
