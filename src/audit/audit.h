/*
 * audit.h - the tamper-evident audit chain.
 *
 * Every change to yingji's data appends, inside the same write transaction, a
 * record of who did what to which object from where, and what changed. Each
 * record's hash covers its own fields and the previous record's hash, so
 * altering, removing or reordering any stored record breaks the chain from that
 * record on, which audit_verify finds. The hash is SHA-256 by default; SM3
 * (GB/T 32905-2016, the national algorithm Chinese government systems are
 * assessed on) is chosen per installation at init.
 */
#ifndef YJ_AUDIT_AUDIT_H
#define YJ_AUDIT_AUDIT_H

#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

/* What a caller says about a change. Strings are borrowed for the call. */
struct audit_entry {
    int64_t actor_id;        /* 0 for the system or an anonymous caller */
    const char *actor;       /* username, or "system" / "anonymous" */
    const char *source_ip;   /* may be NULL (CLI) */
    const char *action;      /* e.g. "unit.update" */
    const char *object_type; /* e.g. "unit" */
    const char *object_id;   /* may be NULL */
    const char *changes;     /* JSON object text; never secrets. NULL means "{}" */
};

/* The algorithms a chain may use. */
#define AUDIT_ALG_SHA256 "sha256"
#define AUDIT_ALG_SM3 "sm3"

/* 1 when alg is "sha256" or "sm3" (and, for sm3, the crypto library provides it). */
int audit_alg_supported(const char *alg);

/*
 * Appends e to the chain within tx (a write transaction) at time now, with the
 * installation's algorithm (setting "audit_alg", default sha256). The caller
 * commits. YJ_EIO on database failure; YJ_EINTERNAL if the chain's tail is
 * inconsistent (it refuses to extend a visibly broken chain).
 */
enum yj_err audit_append(struct store_tx *tx, const struct audit_entry *e, int64_t now,
                         struct yj_error *err);

/*
 * The hex hash (64 characters + NUL into out) of a record's content and its
 * prev_hash under r->alg. YJ_EINVAL for an unknown algorithm.
 */
enum yj_err audit_record_hash(const struct store_audit_row *r, char out[65], struct yj_error *err);

struct audit_verify_result {
    int64_t records;    /* how many records were checked */
    int64_t bad_seq;    /* 0 when the chain is whole; else the first bad record's seq */
    char reason[160];   /* why bad_seq is bad */
    char head_hash[65]; /* the last record's hash, to be kept outside the system */
};

/*
 * Checks the whole chain in one read transaction: seq dense from 1, each
 * prev_hash equal to the previous record's hash, each hash recomputed, and the
 * separately kept head matching the last record. Returns YJ_OK with
 * res->bad_seq == 0 when whole, YJ_OK with bad_seq set when broken, or an error
 * when the database cannot be read.
 */
enum yj_err audit_verify(struct store *st, struct audit_verify_result *res, struct yj_error *err);

#endif
