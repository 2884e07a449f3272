/*
 * store_constituency.h - the store's part of the constituency (issue 5): the
 * constituents with their ranges, AS numbers, domains and contacts, and every
 * owned range and domain for resolving an owner (intel/constituency.h).
 * Conventions as in store.h: everything in a transaction, strings from the
 * caller's arena, YJ_ENOTFOUND / YJ_EPRECOND / YJ_ECONFLICT / YJ_EIO.
 */
#ifndef YJ_STORE_STORE_CONSTITUENCY_H
#define YJ_STORE_STORE_CONSTITUENCY_H

#include "intel/constituency.h"
#include "store/store.h"

struct store_constituent_contact {
    const char *role;                 /* abuse, security, other */
    const char *name, *email, *phone; /* each may be NULL */
};

struct store_constituent {
    int64_t id, version;
    const char *name, *kind, *province, *city, *notes; /* the last three may be NULL */
    const char **ranges;                               /* canonical CIDRs */
    size_t n_ranges;
    int64_t *asns;
    size_t n_asns;
    const char **domains; /* canonical */
    size_t n_domains;
    struct store_constituent_contact *contacts;
    size_t n_contacts;
    int64_t created_at, updated_at;
};

/* Inserts c with its ranges, AS numbers, domains and contacts; sets id and version 1.
 * YJ_ECONFLICT naming "ranges[i]" or "domains[i]" when another constituent owns it. */
enum yj_err store_constituent_insert(struct store_tx *tx, struct store_constituent *c, int64_t now,
                                     struct yj_error *err);
/* A live constituent with everything it owns; YJ_ENOTFOUND when absent or deleted. */
enum yj_err store_constituent_get(struct store_tx *tx, int64_t id, struct yj_arena *a,
                                  struct store_constituent *out, struct yj_error *err);
/* Writes c's fields and replaces its lists whole when the stored version is c->version,
 * then bumps it. YJ_EPRECOND when changed meanwhile; YJ_ECONFLICT as for insert. */
enum yj_err store_constituent_update(struct store_tx *tx, struct store_constituent *c, int64_t now,
                                     struct yj_error *err);
/* Marks it deleted and gives up its ranges, AS numbers and domains; YJ_EPRECOND as above. */
enum yj_err store_constituent_delete(struct store_tx *tx, int64_t id, int64_t version, int64_t now,
                                     struct yj_error *err);

struct store_constituent_query {
    const char *kind; /* NULL: any */
    const char *q;    /* NULL: any; else the name contains it */
    int64_t after_id; /* keyset: ids greater than this (by id); 0: the start */
    int limit;        /* 0: no limit */
};
/* Live constituents by id, each with everything it owns. */
enum yj_err store_constituent_list(struct store_tx *tx, const struct store_constituent_query *q,
                                   struct yj_arena *a, struct store_constituent **items, size_t *n,
                                   struct yj_error *err);

/* The live constituent holding AS number asn into *owner, 0 when none does; when several
 * list it (an AS may be shared), the one registered first (the lowest id). */
enum yj_err store_constituent_asn_owner(struct store_tx *tx, int64_t asn, int64_t *owner,
                                        struct yj_error *err);

/* Every range and domain live constituents own. */
enum yj_err store_constituency_owned(struct store_tx *tx, struct yj_arena *a,
                                     struct intel_owned **ranges, size_t *n_ranges,
                                     struct intel_owned **domains, size_t *n_domains,
                                     struct yj_error *err);

#endif
