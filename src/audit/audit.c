/*
 * audit.c - hashing, appending and verifying the audit chain.
 *
 * The hashed content is a length-prefixed encoding of every field, so that no
 * two different records share an encoding (moving bytes between adjacent fields
 * changes the hash).
 */
#include "audit/audit.h"

#include <jansson.h>
#include <openssl/evp.h>

#include "core/yj.h"

#define AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

struct hasher {
    EVP_MD_CTX *ctx;
};

static const EVP_MD *alg_md(const char *alg)
{
    if (!alg)
        return NULL;
    if (strcmp(alg, AUDIT_ALG_SHA256) == 0)
        return EVP_sha256();
    if (strcmp(alg, AUDIT_ALG_SM3) == 0)
        return EVP_sm3();
    return NULL;
}

int audit_alg_supported(const char *alg)
{
    const EVP_MD *md = alg_md(alg);
    if (!md)
        return 0;
    /* The default provider may lack SM3 in some builds: prove it by using it. */
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    int ok = c && EVP_DigestInit_ex(c, md, NULL) == 1;
    EVP_MD_CTX_free(c);
    return ok;
}

static void put_u64(EVP_MD_CTX *c, uint64_t v)
{
    unsigned char b[8];
    for (int i = 7; i >= 0; i--) {
        b[i] = (unsigned char)(v & 0xff);
        v >>= 8;
    }
    EVP_DigestUpdate(c, b, sizeof b);
}

/* NULL and "" must hash differently: NULL is encoded as length 2^64-1. */
static void put_str(EVP_MD_CTX *c, const char *s)
{
    if (!s) {
        put_u64(c, UINT64_MAX);
        return;
    }
    size_t n = strlen(s);
    put_u64(c, n);
    EVP_DigestUpdate(c, s, n);
}

enum yj_err audit_record_hash(const struct store_audit_row *r, char out[65], struct yj_error *err)
{
    const EVP_MD *md = alg_md(r->alg);
    if (!md)
        return yj_error_set(err, YJ_EINVAL, "alg", "unknown audit hash algorithm");
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    if (!c || EVP_DigestInit_ex(c, md, NULL) != 1) {
        EVP_MD_CTX_free(c);
        return yj_error_set(err, YJ_EINTERNAL, "alg", "hash algorithm unavailable");
    }
    put_str(c, "yingji-audit-v1");
    put_u64(c, (uint64_t)r->seq);
    put_u64(c, (uint64_t)r->at);
    put_u64(c, (uint64_t)r->actor_id);
    put_str(c, r->actor);
    put_str(c, r->source_ip);
    put_str(c, r->action);
    put_str(c, r->object_type);
    put_str(c, r->object_id);
    put_str(c, r->changes);
    put_str(c, r->alg);
    put_str(c, r->prev_hash);
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex(c, d, &n);
    EVP_MD_CTX_free(c);
    if (n != 32)
        return yj_error_set(err, YJ_EINTERNAL, "alg", "unexpected digest size");
    yj_hex(d, 32, out);
    return YJ_OK;
}

enum yj_err audit_append(struct store_tx *tx, const struct audit_entry *e, int64_t now,
                         struct yj_error *err)
{
    struct yj_arena a;
    yj_arena_init(&a, 0);
    int64_t seq, head_seq;
    char *hash, *head_hash, *stored_alg = NULL;
    const char *alg;
    enum yj_err rc = store_audit_tail(tx, &a, &seq, &hash, &head_seq, &head_hash, err);
    if (rc)
        goto out;
    if (head_seq != seq || (seq && (!head_hash || !hash || strcmp(head_hash, hash) != 0))) {
        yj_log(YJ_LOG_ERROR, "audit.chain_broken", "{s:I,s:I}", "tail_seq", (json_int_t)seq,
               "head_seq", (json_int_t)head_seq);
        rc = yj_error_set(err, YJ_EINTERNAL, NULL, "the audit chain is broken; run audit verify");
        goto out;
    }
    if (store_setting_get(tx, "audit_alg", &a, &stored_alg, err) == YJ_OK) {
        alg = stored_alg;
    } else {
        if (err->code != YJ_ENOTFOUND) {
            rc = err->code;
            goto out;
        }
        yj_error_clear(err);
        alg = AUDIT_ALG_SHA256;
    }
    struct store_audit_row r = {
        .seq = seq + 1,
        .at = now,
        .actor_id = e->actor_id,
        .actor = e->actor ? e->actor : "system",
        .source_ip = e->source_ip,
        .action = e->action,
        .object_type = e->object_type,
        .object_id = e->object_id,
        .changes = e->changes ? e->changes : "{}",
        .alg = alg,
        .prev_hash = hash ? hash : AUDIT_GENESIS,
    };
    char h[65];
    rc = audit_record_hash(&r, h, err);
    if (rc)
        goto out;
    r.hash = h;
    rc = store_audit_insert(tx, &r, err);
out:
    yj_arena_release(&a);
    return rc;
}

struct verify_state {
    struct audit_verify_result *res;
    char prev[65];
    struct yj_error *err;
};

static enum yj_err verify_one(const struct store_audit_row *r, void *ctx)
{
    struct verify_state *vs = ctx;
    struct audit_verify_result *res = vs->res;
    int64_t want_seq = res->records + 1;
    char h[65];
    const char *why = NULL;
    if (r->seq != want_seq)
        why = r->seq > want_seq ? "records before it are missing" : "sequence out of order";
    else if (!r->prev_hash || strcmp(r->prev_hash, vs->prev) != 0)
        why = "does not follow the previous record (removed, inserted or reordered)";
    else if (audit_record_hash(r, h, vs->err) != YJ_OK)
        why = "unknown hash algorithm";
    else if (!r->hash || strcmp(h, r->hash) != 0)
        why = "content does not match its hash (altered)";
    if (why) {
        res->bad_seq = r->seq > 0 ? r->seq : want_seq;
        snprintf(res->reason, sizeof res->reason, "%s", why);
        return YJ_ECONFLICT; /* stops the walk; not an error of the verify itself */
    }
    res->records++;
    snprintf(vs->prev, sizeof vs->prev, "%s", r->hash);
    return YJ_OK;
}

enum yj_err audit_verify(struct store *st, struct audit_verify_result *res, struct yj_error *err)
{
    memset(res, 0, sizeof *res);
    struct verify_state vs = {.res = res, .err = err};
    snprintf(vs.prev, sizeof vs.prev, "%s", AUDIT_GENESIS);
    struct store_tx *tx = NULL;
    enum yj_err rc = store_read_begin(st, &tx, err);
    if (rc)
        return rc;
    rc = store_audit_each(tx, verify_one, &vs, err);
    if (rc == YJ_ECONFLICT && res->bad_seq) {
        rc = YJ_OK;
    } else if (rc == YJ_OK) {
        struct yj_arena a;
        yj_arena_init(&a, 0);
        int64_t seq, head_seq;
        char *hash, *head_hash;
        rc = store_audit_tail(tx, &a, &seq, &hash, &head_seq, &head_hash, err);
        if (!rc && (head_seq != res->records ||
                    (head_seq && (!head_hash || strcmp(head_hash, vs.prev) != 0)))) {
            res->bad_seq = res->records + 1;
            snprintf(res->reason, sizeof res->reason,
                     "the chain ends at record %lld but its head says %lld: records were "
                     "removed from the end",
                     (long long)res->records, (long long)head_seq);
        }
        yj_arena_release(&a);
    }
    snprintf(res->head_hash, sizeof res->head_hash, "%s", vs.prev);
    store_tx_end(tx);
    return rc;
}
