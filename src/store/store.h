/*
 * store.h - yingji's persistent state: SQLite in WAL mode with synchronous=FULL,
 * foreign keys and STRICT tables, versioned migrations, and every SQL statement
 * of the program (prepared, cached per connection). The SQL is kept portable to
 * PostgreSQL where a portable form exists; the SQLite-only parts (PRAGMAs,
 * STRICT) are confined to store.c and the migrations.
 *
 * Everything happens inside a transaction:
 *
 *     struct store_tx *tx;
 *     if (store_write_begin(st, &tx, err)) return err->code;
 *     rc = store_unit_insert(tx, &u, err);
 *     if (!rc) rc = audit_append(tx, &entry, err);
 *     if (!rc) rc = store_tx_commit(tx, err);
 *     store_tx_end(tx);            // rolls back unless committed; frees tx
 *
 * Write transactions are serialised in-process by a mutex and across processes
 * by BEGIN IMMEDIATE; a commit returns only after the WAL is on disk, so a write
 * the API acknowledged survives kill -9 and power loss. Read transactions see a
 * consistent snapshot and never block writers.
 *
 * Strings returned by reads are allocated from the caller's arena and live as
 * long as it does. Functions return YJ_OK, YJ_ENOTFOUND, YJ_ECONFLICT (a unique
 * key), YJ_EPRECOND (a version check), or YJ_EIO (the database failed; details
 * are logged, never returned to clients).
 */
#ifndef YJ_STORE_STORE_H
#define YJ_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "units/units.h"

struct store;
struct store_tx;

enum store_open_flags {
    STORE_CREATE = 1 << 0,  /* create the data directory and database if absent */
    STORE_MIGRATE = 1 << 1, /* apply pending migrations */
    STORE_READONLY = 1 << 2,
};

/* The database file inside a data directory. */
#define STORE_DB_FILE "yingji.db"

/*
 * Opens DIR/yingji.db. Without STORE_CREATE a missing database is YJ_ENOTFOUND.
 * Without STORE_MIGRATE a database behind the binary's schema is YJ_EINVAL
 * ("run yingji migrate"). The returned store is thread-safe; free with store_close.
 */
enum yj_err store_open(const char *dir, int flags, struct store **out, struct yj_error *err);

/* Closes every connection (checkpointing the WAL). NULL is a no-op. */
void store_close(struct store *st);

/* 1 when DIR holds a database. */
int store_exists(const char *dir);

/* One row of `yingji migrate --status`. */
struct store_migration_info {
    int version;
    const char *name;   /* static */
    int64_t applied_at; /* ms, 0 when pending */
};

/*
 * Fills out[0..*n) with every migration the binary knows (max entries), applied
 * or pending. Returns YJ_OK or YJ_EIO.
 */
enum yj_err store_migrations(struct store *st, struct store_migration_info *out, size_t max,
                             size_t *n, struct yj_error *err);

/* Applies pending migrations; *applied gets how many. */
enum yj_err store_migrate(struct store *st, int *applied, struct yj_error *err);

/* A consistent online copy of the whole database into the file `to` (created, fsynced). */
enum yj_err store_backup(struct store *st, const char *to, struct yj_error *err);

/* Counters for /metrics: write transactions, the COMMITs that carried them (their
 * ratio is the group-commit batch size), and background WAL checkpoints. */
struct store_stats {
    uint64_t write_transactions, commits, checkpoints;
};
void store_stats(struct store *st, struct store_stats *out);

/* A cheap query that proves the database answers. */
enum yj_err store_ping(struct store *st, struct yj_error *err);

/* --- transactions --------------------------------------------------------- */

enum yj_err store_read_begin(struct store *st, struct store_tx **tx, struct yj_error *err);
enum yj_err store_write_begin(struct store *st, struct store_tx **tx, struct yj_error *err);
/* Commits (durably, for a write). After it, only store_tx_end may be called. */
enum yj_err store_tx_commit(struct store_tx *tx, struct yj_error *err);
/* Rolls back if not committed, returns the connection, frees tx. NULL is a no-op. */
void store_tx_end(struct store_tx *tx);

/* --- settings: small key/value facts of the installation ------------------ */

/* *value is arena-allocated; YJ_ENOTFOUND when unset. */
enum yj_err store_setting_get(struct store_tx *tx, const char *key, struct yj_arena *a,
                              char **value, struct yj_error *err);
enum yj_err store_setting_set(struct store_tx *tx, const char *key, const char *value,
                              struct yj_error *err);

/* --- users ---------------------------------------------------------------- */

struct store_user {
    int64_t id;
    const char *username;
    const char *display_name; /* may be NULL */
    const char *role;         /* "authority", "security_reviewer", "expert", "unit", "auditor" */
    int64_t unit_id;          /* 0 unless role is "unit" */
    const char *password_hash;
    bool disabled;
    int64_t failed_logins;
    int64_t locked_until; /* ms; 0 when not locked */
    int64_t created_at, updated_at;
};

struct store_user_query {
    const char *q;    /* substring of username or display name; NULL for all */
    const char *role; /* NULL for all */
    int64_t after_id; /* keyset cursor: ids greater than this */
    int limit;
};

/* Inserts and sets u->id. YJ_ECONFLICT when the username is taken. */
enum yj_err store_user_insert(struct store_tx *tx, struct store_user *u, struct yj_error *err);
enum yj_err store_user_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                           struct store_user *out, struct yj_error *err);
enum yj_err store_user_get_by_name(struct store_tx *tx, const char *username, struct yj_arena *a,
                                   struct store_user *out, struct yj_error *err);
/* Writes every mutable field of u (display_name, password_hash, disabled, failed_logins,
 * locked_until, updated_at). */
enum yj_err store_user_update(struct store_tx *tx, const struct store_user *u,
                              struct yj_error *err);
/* *items is an arena array of up to q->limit users in id order. */
enum yj_err store_user_list(struct store_tx *tx, const struct store_user_query *q,
                            struct yj_arena *a, struct store_user **items, size_t *n,
                            struct yj_error *err);
enum yj_err store_user_count(struct store_tx *tx, int64_t *n, struct yj_error *err);

/* --- sessions (ids stored as SHA-256 hex, never in clear) ----------------- */

struct store_session {
    const char *id_hash;
    int64_t user_id;
    int64_t created_at, last_seen, expires_at;
};

enum yj_err store_session_insert(struct store_tx *tx, const struct store_session *s,
                                 struct yj_error *err);
enum yj_err store_session_get(struct store_tx *tx, const char *id_hash, struct yj_arena *a,
                              struct store_session *out, struct yj_error *err);
enum yj_err store_session_touch(struct store_tx *tx, const char *id_hash, int64_t now,
                                struct yj_error *err);
enum yj_err store_session_delete(struct store_tx *tx, const char *id_hash, struct yj_error *err);
/* Ends every session of a user except keep_hash (NULL: all). */
enum yj_err store_session_delete_user(struct store_tx *tx, int64_t user_id, const char *keep_hash,
                                      struct yj_error *err);
/* Deletes sessions idle since before idle_cutoff or past their absolute expiry. */
enum yj_err store_session_purge(struct store_tx *tx, int64_t now, int64_t idle_cutoff,
                                struct yj_error *err);

/* --- API tokens (stored as SHA-256 hex) ----------------------------------- */

struct store_token {
    int64_t id;
    int64_t user_id;
    const char *name;
    const char *token_hash;
    const char *prefix; /* first characters of the token, to recognise it in lists */
    int64_t created_at;
    int64_t last_used_at; /* 0 never */
    int64_t expires_at;   /* 0 never */
    int64_t revoked_at;   /* 0 live */
};

enum yj_err store_token_insert(struct store_tx *tx, struct store_token *t, struct yj_error *err);
enum yj_err store_token_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                            struct store_token *out, struct yj_error *err);
enum yj_err store_token_get_by_hash(struct store_tx *tx, const char *hash, struct yj_arena *a,
                                    struct store_token *out, struct yj_error *err);
/* Tokens of one user (user_id > 0) or of everybody (0), id order after after_id. */
enum yj_err store_token_list(struct store_tx *tx, int64_t user_id, int64_t after_id, int limit,
                             struct yj_arena *a, struct store_token **items, size_t *n,
                             struct yj_error *err);
enum yj_err store_token_revoke(struct store_tx *tx, int64_t id, int64_t now, struct yj_error *err);
enum yj_err store_token_touch(struct store_tx *tx, int64_t id, int64_t now, struct yj_error *err);

/* --- units ------------------------------------------------------------------ */

struct store_unit_summary {
    int64_t id, version;
    const char *name, *credit_code, *province, *city;
    int64_t registered_capital; /* -1 when not given */
    int64_t staff_count;
    const char **capabilities; /* field codes */
    size_t n_capabilities;
    int64_t updated_at;
};

struct store_unit_query {
    const char *q;        /* substring of the name, or prefix of the credit code; NULL for all */
    const char *province; /* NULL for all */
    int64_t only_id;      /* > 0: just this unit (a unit user's scope) */
    int64_t after_id;
    int limit;
};

/* Inserts u with its children; sets u->id, version 1 and the timestamps from now.
 * YJ_ECONFLICT (field credit_code) when a live unit has the same code. */
enum yj_err store_unit_insert(struct store_tx *tx, struct unit *u, int64_t now,
                              struct yj_error *err);
/* Reads a live unit (or a deleted one with include_deleted) and all its children. */
enum yj_err store_unit_get(struct store_tx *tx, int64_t id, bool include_deleted,
                           struct yj_arena *a, struct unit *out, struct yj_error *err);
/* The live unit's version alone (YJ_ENOTFOUND when absent or deleted): the cheap
 * check a cached rendering of the unit is still current. */
enum yj_err store_unit_version(struct store_tx *tx, int64_t id, int64_t *version,
                               struct yj_error *err);
/* Replaces the unit's fields and children if its version is still expected_version
 * (else YJ_EPRECOND); bumps u->version and sets updated_at. */
enum yj_err store_unit_update(struct store_tx *tx, struct unit *u, int64_t expected_version,
                              int64_t now, struct yj_error *err);
/* Soft delete: the row and children stay, marked deleted. YJ_EPRECOND on a stale version. */
enum yj_err store_unit_delete(struct store_tx *tx, int64_t id, int64_t expected_version,
                              int64_t now, struct yj_error *err);
/* A page of live units' ids and versions only, for a caller that renders from a cache
 * and fetches summaries (store_unit_summary_get) only for what it misses. */
struct store_unit_ref {
    int64_t id, version;
};
enum yj_err store_unit_page(struct store_tx *tx, const struct store_unit_query *q,
                            struct yj_arena *a, struct store_unit_ref **items, size_t *n,
                            struct yj_error *err);
/* One live unit's summary (YJ_ENOTFOUND when absent or deleted). */
enum yj_err store_unit_summary_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                                   struct store_unit_summary *out, struct yj_error *err);
enum yj_err store_unit_list(struct store_tx *tx, const struct store_unit_query *q,
                            struct yj_arena *a, struct store_unit_summary **items, size_t *n,
                            struct yj_error *err);

/* --- audit chain ------------------------------------------------------------ */

struct store_audit_row {
    int64_t seq;
    int64_t at;
    int64_t actor_id; /* 0 for the system or an anonymous caller */
    const char *actor;
    const char *source_ip; /* may be NULL */
    const char *action;
    const char *object_type;
    const char *object_id; /* may be NULL */
    const char *changes;   /* JSON text */
    const char *alg;       /* "sha256" or "sm3" */
    const char *prev_hash; /* hex */
    const char *hash;      /* hex */
};

struct store_audit_query {
    const char *object_type, *object_id;
    int64_t actor_id;   /* 0 for any */
    int64_t from, to;   /* ms, from inclusive, to exclusive; 0 for open */
    int64_t before_seq; /* keyset cursor for newest-first paging; 0 for the newest */
    int limit;
};

/* The last record's seq and hash (seq 0 and NULL hash for an empty chain), and the
 * separately kept head, so that removing trailing records is detectable. */
enum yj_err store_audit_tail(struct store_tx *tx, struct yj_arena *a, int64_t *seq, char **hash,
                             int64_t *head_seq, char **head_hash, struct yj_error *err);
/* Appends r (r->seq must be tail + 1) and moves the head. */
enum yj_err store_audit_insert(struct store_tx *tx, const struct store_audit_row *r,
                               struct yj_error *err);
enum yj_err store_audit_list(struct store_tx *tx, const struct store_audit_query *q,
                             struct yj_arena *a, struct store_audit_row **items, size_t *n,
                             struct yj_error *err);
/* Calls fn for every record in seq order (rows valid only during the call); stops
 * and returns fn's non-zero code. */
enum yj_err store_audit_each(struct store_tx *tx,
                             enum yj_err (*fn)(const struct store_audit_row *r, void *ctx),
                             void *ctx, struct yj_error *err);

/* --- the other parts of the store's contract -------------------------------- */

#include "store/store_attach.h"
#include "store/store_certs.h"
#include "store/store_notify.h"
#include "store/store_selection.h"

#endif
