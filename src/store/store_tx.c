/*
 * store_tx.c - transactions. Reads take a pooled connection and a snapshot.
 * Writes run one at a time on a single connection, each inside its own
 * SAVEPOINT within an outer transaction (but the first of a group, see
 * store_tx.bare), and share COMMITs (group commit):
 *
 * A writer that finishes while others are already waiting for the write lock
 * does not commit; it releases its savepoint into the open transaction, hands
 * the lock on and sleeps until some later writer's COMMIT makes it durable.
 * The last writer of a burst (nobody waiting) commits for everyone. So under
 * load one fsync covers many writes, and alone a write commits at once; no
 * write is ever acknowledged before the COMMIT that carries it returned. A
 * failed writer rolls back to its savepoint and disturbs no one; a failed
 * COMMIT fails every member of its group.
 */
#include "store/store_int.h"

enum yj_err store_control_step(struct store_tx *tx, sqlite3_stmt *s, const char *what,
                               struct yj_error *err)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? YJ_OK : store_fail(tx, rc, what, err);
}

static void tx_reset_used(struct store_tx *tx)
{
    for (int i = 0; i < tx->n_used; i++)
        sqlite3_reset(tx->used[i]);
    tx->n_used = 0;
}

static int waiting(struct store *st)
{
    return __atomic_load_n(&st->writers_waiting, __ATOMIC_ACQUIRE);
}

/* COMMITs the open group and wakes its members. Caller holds write_lock. */
static enum yj_err batch_commit(struct store_tx *tx, struct yj_error *err)
{
    struct store *st = tx->st;
    enum yj_err rc = store_control_step(tx, st->writer->commit, "commit", err);
    if (rc && sqlite3_get_autocommit(st->writer->db) == 0) {
        /* A COMMIT that failed may leave the transaction open: end it. */
        store_control_step(tx, st->writer->rollback, "rollback", NULL);
    }
    __atomic_add_fetch(&st->stats.commits, 1, __ATOMIC_RELAXED);
    st->batch_results[st->batch_epoch % STORE_EPOCH_RING] = rc;
    st->batch_epoch++;
    st->batch_open = false;
    st->batch_members = 0;
    pthread_cond_broadcast(&st->batch_done);
    return rc;
}

/*
 * Called by every writer before it gives up write_lock: if nobody is waiting to
 * extend the open transaction, finish it (COMMIT for waiting members, else just
 * end it so other processes may write).
 */
static void batch_settle(struct store_tx *tx)
{
    struct store *st = tx->st;
    if (!st->batch_open || waiting(st) > 0)
        return;
    if (st->batch_members > 0) {
        batch_commit(tx, NULL);
    } else {
        store_control_step(tx, st->writer->rollback, "rollback", NULL);
        st->batch_open = false;
    }
}

static enum yj_err write_begin(struct store *st, struct store_tx *tx, struct yj_error *err)
{
    __atomic_add_fetch(&st->writers_waiting, 1, __ATOMIC_ACQ_REL);
    pthread_mutex_lock(&st->write_lock);
    __atomic_sub_fetch(&st->writers_waiting, 1, __ATOMIC_ACQ_REL);
    enum yj_err rc = YJ_OK;
    if (!st->writer)
        rc = store_conn_open(st, &st->writer, err);
    tx->c = st->writer;
    if (!rc && !st->batch_open) {
        rc = store_control_step(tx, st->writer->begin_write, "begin", err);
        st->batch_open = rc == YJ_OK;
    }
    if (!rc) {
        tx->bare = st->batch_members == 0;
        if (!tx->bare)
            rc = store_control_step(tx, st->writer->savepoint, "savepoint", err);
    }
    if (rc) {
        if (st->writer)
            batch_settle(tx);
        pthread_mutex_unlock(&st->write_lock);
    }
    return rc;
}

static enum yj_err tx_begin(struct store *st, bool write, struct store_tx **out,
                            struct yj_error *err)
{
    *out = NULL;
    struct store_tx *tx = calloc(1, sizeof *tx);
    if (!tx)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    tx->st = st;
    tx->write = write;
    enum yj_err rc;
    if (write) {
        rc = write_begin(st, tx, err);
    } else {
        rc = store_conn_get(st, &tx->c, err);
        if (!rc && (rc = store_control_step(tx, tx->c->begin_read, "begin", err)) != YJ_OK)
            store_conn_put(st, tx->c);
    }
    if (rc) {
        free(tx);
        return rc;
    }
    *out = tx;
    return YJ_OK;
}

enum yj_err store_read_begin(struct store *st, struct store_tx **tx, struct yj_error *err)
{
    return tx_begin(st, false, tx, err);
}

enum yj_err store_write_begin(struct store *st, struct store_tx **tx, struct yj_error *err)
{
    if (st->flags & STORE_READONLY)
        return yj_error_set(err, YJ_EPERM, NULL, "the store is open read-only");
    return tx_begin(st, true, tx, err);
}

enum yj_err store_tx_commit(struct store_tx *tx, struct yj_error *err)
{
    tx_reset_used(tx);
    if (!tx->write) {
        enum yj_err rc = store_control_step(tx, tx->c->commit, "commit", err);
        tx->committed = rc == YJ_OK;
        return rc;
    }
    struct store *st = tx->st;
    enum yj_err rc = tx->bare ? YJ_OK : store_control_step(tx, st->writer->release, "release", err);
    if (rc)
        return rc; /* still inside its savepoint: store_tx_end rolls it back */
    tx->released = true;
    st->batch_members++;
    __atomic_add_fetch(&st->stats.write_transactions, 1, __ATOMIC_RELAXED);
    if (waiting(st) > 0 && st->batch_members < STORE_BATCH_MAX) {
        uint64_t epoch = st->batch_epoch;
        while (st->batch_epoch == epoch)
            pthread_cond_wait(&st->batch_done, &st->write_lock);
        rc = st->batch_results[epoch % STORE_EPOCH_RING];
        if (rc)
            yj_error_set(err, rc, NULL, "database error");
    } else {
        rc = batch_commit(tx, err);
    }
    tx->committed = rc == YJ_OK;
    return rc;
}

void store_tx_end(struct store_tx *tx)
{
    if (!tx)
        return;
    tx_reset_used(tx);
    struct store *st = tx->st;
    if (!tx->write) {
        if (!tx->committed && sqlite3_get_autocommit(tx->c->db) == 0)
            store_control_step(tx, tx->c->rollback, "rollback", NULL);
        store_conn_put(st, tx->c);
    } else {
        if (!tx->released && tx->bare) {
            /* Alone in the transaction: end it. */
            store_control_step(tx, st->writer->rollback, "rollback", NULL);
            st->batch_open = false;
        } else if (!tx->released) {
            /* Undo only this transaction's work; the group's stays. */
            store_control_step(tx, st->writer->rollback_to, "rollback to", NULL);
            store_control_step(tx, st->writer->release, "release", NULL);
        }
        batch_settle(tx);
        pthread_mutex_unlock(&st->write_lock);
    }
    free(tx);
}

void store_stats(struct store *st, struct store_stats *out)
{
    out->write_transactions = __atomic_load_n(&st->stats.write_transactions, __ATOMIC_RELAXED);
    out->commits = __atomic_load_n(&st->stats.commits, __ATOMIC_RELAXED);
    out->checkpoints = __atomic_load_n(&st->stats.checkpoints, __ATOMIC_RELAXED);
}
