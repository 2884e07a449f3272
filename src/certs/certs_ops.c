/*
 * certs_ops.c - what changes certificates: issue, status changes (with the bans
 * revocations impose), expiry, change reports and re-qualification decisions.
 * Each runs in the caller's write transaction and appends its audit records
 * there (jansson only builds their "changes" text), except certs_issue (its
 * caller audits) and certs_expire_due (a job with its own transactions).
 */
#include <jansson.h>

#include "audit/audit.h"
#include "certs/certs.h"
#include "core/yj.h"
#include "store/store.h"

/* Certificates expired per write transaction: short batches hold the write lock
 * briefly, and nine statements each stay within the STORE_TX_STMTS (64) a
 * transaction tracks for resetting at its end. */
enum { EXPIRE_BATCH = 6 };

/* Checks free text: present (when required), valid UTF-8 text, not blank, at most max
 * characters, and on one line unless multiline. */
static enum yj_err text_check(const char *s, const char *field, size_t max, bool required,
                              bool multiline, struct yj_error *err)
{
    if (!s) {
        if (required)
            return yj_error_set(err, YJ_EINVAL, field, "required");
        return YJ_OK;
    }
    size_t len = strlen(s);
    if (!yj_utf8_text_ok(s, len))
        return yj_error_set(err, YJ_EINVAL, field, "not valid UTF-8 text");
    if (strspn(s, " \t\r\n") == len)
        return yj_error_set(err, YJ_EINVAL, field, "must not be blank");
    if (yj_utf8_chars(s) > max)
        return yj_error_set(err, YJ_EINVAL, field, "longer than %zu characters", max);
    if (!multiline && strpbrk(s, "\t\r\n"))
        return yj_error_set(err, YJ_EINVAL, field, "must be on one line");
    return YJ_OK;
}

static enum yj_err oom(struct yj_error *err)
{
    return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
}

/* Appends an audit record whose changes are j (taken). */
static enum yj_err audit(struct store_tx *tx, const struct cert_actor *actor, const char *action,
                         const char *object_type, int64_t object_id, json_t *j, int64_t now,
                         struct yj_error *err)
{
    char *changes = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(j);
    if (!changes)
        return oom(err);
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)object_id);
    struct audit_entry e = {
        .actor_id = actor ? actor->user_id : 0,
        .actor = actor && actor->username ? actor->username : "system",
        .source_ip = actor ? actor->source_ip : NULL,
        .action = action,
        .object_type = object_type,
        .object_id = id,
        .changes = changes,
    };
    enum yj_err rc = audit_append(tx, &e, now, err);
    free(changes);
    return rc;
}

static json_t *old_new(const char *old, const char *new)
{
    return json_pack("{s:s?,s:s?}", "old", old, "new", new);
}

/* --- issue ---------------------------------------------------------------------------- */

static enum yj_err issue_check(const struct cert_issue *req, int64_t now, struct yj_error *err)
{
    int y, m, d;
    char today[11];
    enum yj_err rc;
    if (req->unit_id <= 0)
        return yj_error_set(err, YJ_EINVAL, "unit_id", "required");
    if ((rc = text_check(req->holder_name, "holder_name", CERT_TEXT_MAX, true, false, err)) ||
        (rc = text_check(req->title, "title", CERT_TEXT_MAX, true, false, err)) ||
        (rc = text_check(req->issuing_authorities, "issuing_authorities", CERT_AUTHORITIES_MAX,
                         true, false, err)) ||
        (rc = cert_number_pattern_check(req->number_pattern, err)))
        return rc;
    if (req->year < 1000 || req->year > 9999)
        return yj_error_set(err, YJ_EINVAL, "year", "must be from 1000 to 9999");
    if (yj_date_parse(req->valid_from, &y, &m, &d) != 0)
        return yj_error_set(err, YJ_EINVAL, "valid_from", "not a calendar date (YYYY-MM-DD)");
    if (yj_date_parse(req->valid_to, &y, &m, &d) != 0)
        return yj_error_set(err, YJ_EINVAL, "valid_to", "not a calendar date (YYYY-MM-DD)");
    if (strcmp(req->valid_from, req->valid_to) > 0)
        return yj_error_set(err, YJ_EINVAL, "valid_to", "before valid_from");
    yj_date_cst(now, today);
    if (strcmp(req->valid_to, today) < 0)
        return yj_error_set(err, YJ_EINVAL, "valid_to", "already past");
    return YJ_OK;
}

enum yj_err certs_issue(struct store_tx *tx, const struct cert_issue *req, int64_t now,
                        int64_t actor_id, struct yj_arena *a, struct cert *out,
                        struct yj_error *err)
{
    enum yj_err rc = issue_check(req, now, err);
    if (rc)
        return rc;
    int64_t version, seq;
    rc = store_unit_version(tx, req->unit_id, &version, err);
    if (rc == YJ_ENOTFOUND)
        return yj_error_set(err, YJ_ENOTFOUND, "unit_id", "no such unit");
    if (!rc)
        rc = store_cert_next_sequence(tx, req->number_pattern, req->year, &seq, err);
    char number[CERT_NUMBER_MAX + 1];
    if (!rc)
        rc = cert_number_format(req->number_pattern, req->year, seq, number, sizeof number, err);
    if (rc)
        return rc;
    struct cert c = {
        .number = yj_arena_strdup(a, number),
        .campaign_id = req->campaign_id,
        .unit_id = req->unit_id,
        .application_id = req->application_id,
        .holder_name = yj_arena_strdup(a, req->holder_name),
        .title = yj_arena_strdup(a, req->title),
        .issuing_authorities = yj_arena_strdup(a, req->issuing_authorities),
        .valid_from = yj_arena_strdup(a, req->valid_from),
        .valid_to = yj_arena_strdup(a, req->valid_to),
        .status = CERT_VALID,
    };
    if (!c.number || !c.holder_name || !c.title || !c.issuing_authorities || !c.valid_from ||
        !c.valid_to)
        return oom(err);
    rc = store_cert_insert(tx, &c, now, err);
    if (rc == YJ_ECONFLICT) /* another pattern already made this very number */
        return yj_error_set(err, YJ_ECONFLICT, "number_pattern", "the number %s is already taken",
                            number);
    struct cert_event ev = {.to = CERT_VALID, .at = now, .actor_id = actor_id};
    if (!rc)
        rc = store_cert_event_insert(tx, c.id, &ev, err);
    if (!rc)
        *out = c;
    return rc;
}

/* --- status changes --------------------------------------------------------------------- */

static enum yj_err change_check(const struct cert_status_change *req, struct yj_error *err)
{
    if ((unsigned)req->to >= CERT_STATUS__COUNT)
        return yj_error_set(err, YJ_EINVAL, "status", "unknown status");
    if (req->to == CERT_EXPIRED)
        return yj_error_set(err, YJ_EINVAL, "status",
                            "a certificate expires by itself at the end of valid_to");
    if (req->to == CERT_REVOKED && !req->cause)
        return yj_error_set(err, YJ_EINVAL, "cause", "a revocation needs its cause");
    if (req->to != CERT_REVOKED && req->cause)
        return yj_error_set(err, YJ_EINVAL, "cause", "only a revocation has a cause");
    return text_check(req->reason, "reason", CERT_REASON_MAX, true, true, err);
}

/* Records the ban a revocation for cause imposes, and audits it. */
static enum yj_err ban_record(struct store_tx *tx, const struct cert *c,
                              const struct cert_cause *cause, const char *reason, int64_t now,
                              const struct cert_actor *actor, struct yj_arena *a,
                              struct cert_ban *out, struct yj_error *err)
{
    char *starts = yj_arena_alloc(a, 11), *ends = yj_arena_alloc(a, 11);
    if (!starts || !ends)
        return oom(err);
    yj_date_cst(now, starts);
    if (cert_ban_ends_on(starts, (int)cause->ban_years, ends) != 0)
        return yj_error_set(err, YJ_EINTERNAL, NULL, "the cause's ban period is out of range");
    struct cert_ban b = {
        .unit_id = c->unit_id,
        .certificate_id = c->id,
        .cause = cause->code,
        .reason = reason,
        .starts_on = starts,
        .ends_on = ends,
        .created_at = now,
        .created_by = actor ? actor->user_id : 0,
    };
    enum yj_err rc = store_cert_ban_insert(tx, &b, err);
    if (!rc)
        rc = audit(tx, actor, "unit.ban", "unit", c->unit_id,
                   json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:I}", "ban_id", (json_int_t)b.id,
                             "certificate_id", (json_int_t)c->id, "cause", cause->code, "reason",
                             reason, "starts_on", starts, "ends_on", ends, "years",
                             (json_int_t)cause->ban_years),
                   now, err);
    if (!rc)
        *out = b;
    return rc;
}

enum yj_err certs_status_change(struct store_tx *tx, const struct cert_status_change *req,
                                int64_t now, const struct cert_actor *actor, struct yj_arena *a,
                                struct cert *out, struct cert_ban *ban, bool *banned,
                                struct yj_error *err)
{
    if (banned)
        *banned = false;
    struct cert c;
    struct cert_cause cause = {0};
    enum yj_err rc = change_check(req, err);
    if (!rc)
        rc = store_cert_get(tx, req->cert_id, a, &c, err);
    if (rc)
        return rc;
    if (req->expected_version > 0 && req->expected_version != c.version)
        return yj_error_set(err, YJ_EPRECOND, "If-Match",
                            "the certificate was changed by someone else; reload and retry");
    if (cert_status_at(c.status, c.valid_to, now) == CERT_EXPIRED)
        return yj_error_set(err, YJ_ECONFLICT, "status", "the certificate has expired");
    if (!cert_transition_allowed(c.status, req->to))
        return yj_error_set(err, YJ_ECONFLICT, "status", "a %s certificate cannot become %s",
                            cert_status_code(c.status), cert_status_code(req->to));
    if (req->to == CERT_REVOKED && (rc = store_cert_cause_get(tx, req->cause, a, &cause, err)))
        return rc == YJ_ENOTFOUND ? yj_error_set(err, YJ_EINVAL, "cause", "unknown cause") : rc;
    rc = store_cert_status_set(tx, c.id, c.version, c.status, req->to, now, err);
    struct cert_event ev = {.has_from = true,
                            .from = c.status,
                            .to = req->to,
                            .cause = cause.code,
                            .reason = req->reason,
                            .at = now,
                            .actor_id = actor ? actor->user_id : 0};
    if (!rc)
        rc = store_cert_event_insert(tx, c.id, &ev, err);
    if (!rc)
        rc = audit(tx, actor, "certificate.status_change", "certificate", c.id,
                   json_pack("{s:s,s:o,s:s?,s:s}", "number", c.number, "status",
                             old_new(cert_status_code(c.status), cert_status_code(req->to)),
                             "cause", cause.code, "reason", req->reason),
                   now, err);
    if (rc)
        return rc;
    if (cause.ban_years > 0) {
        struct cert_ban b;
        rc = ban_record(tx, &c, &cause, req->reason, now, actor, a, &b, err);
        if (rc)
            return rc;
        if (ban)
            *ban = b;
        if (banned)
            *banned = true;
    }
    c.status = req->to;
    c.version++;
    c.updated_at = now;
    *out = c;
    return YJ_OK;
}

/* --- expiry ------------------------------------------------------------------------------ */

/* Records one certificate's expiry if it is (still) due; *done says whether it did. */
static enum yj_err expire_one(struct store_tx *tx, int64_t id, int64_t now, struct yj_arena *a,
                              bool *done, struct yj_error *err)
{
    *done = false;
    struct cert c;
    enum yj_err rc = store_cert_get(tx, id, a, &c, err);
    if (rc == YJ_ENOTFOUND) {
        yj_error_clear(err);
        return YJ_OK;
    }
    if (rc || c.status == CERT_EXPIRED || cert_status_at(c.status, c.valid_to, now) != CERT_EXPIRED)
        return rc; /* someone else recorded it, or it is not due after all */
    int64_t at = cert_expiry_ms(c.valid_to);
    struct cert_event ev = {.has_from = true, .from = c.status, .to = CERT_EXPIRED, .at = at};
    char at_text[YJ_TIME_STRLEN];
    yj_time_format(at, at_text);
    rc = store_cert_status_set(tx, id, c.version, c.status, CERT_EXPIRED, now, err);
    if (!rc)
        rc = store_cert_event_insert(tx, id, &ev, err);
    if (!rc)
        rc = audit(tx, NULL, "certificate.expire", "certificate", id,
                   json_pack("{s:s,s:o,s:s,s:s}", "number", c.number, "status",
                             old_new(cert_status_code(c.status), "expired"), "valid_to", c.valid_to,
                             "expired_at", at_text),
                   now, err);
    *done = rc == YJ_OK;
    return rc;
}

/* One batch: the due ids seen in a read transaction, expired in one write transaction. */
static enum yj_err expire_batch(struct store *st, int64_t cert_id, int64_t now, size_t *seen,
                                size_t *expired, struct yj_error *err)
{
    struct yj_arena a;
    yj_arena_init(&a, 0);
    char today[11];
    yj_date_cst(now, today);
    struct store_tx *tx = NULL;
    int64_t *ids = NULL;
    size_t n = 0;
    *seen = *expired = 0;
    enum yj_err rc = store_read_begin(st, &tx, err);
    if (!rc)
        rc = store_cert_due(tx, today, cert_id, EXPIRE_BATCH, &a, &ids, &n, err);
    store_tx_end(tx);
    tx = NULL;
    if (!rc && n > 0)
        rc = store_write_begin(st, &tx, err);
    size_t done_n = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        bool done;
        rc = expire_one(tx, ids[i], now, &a, &done, err);
        done_n += done;
    }
    if (!rc && tx)
        rc = store_tx_commit(tx, err);
    store_tx_end(tx);
    yj_arena_release(&a);
    if (!rc) {
        *seen = n;
        *expired = done_n;
    }
    return rc;
}

enum yj_err certs_expire_due(struct store *st, int64_t cert_id, int64_t now, size_t *expired,
                             struct yj_error *err)
{
    struct yj_error local;
    if (!err)
        err = &local;
    yj_error_clear(err);
    size_t total = 0, seen, done;
    enum yj_err rc;
    /* A batch that expired nothing although it saw due ids means they were recorded
     * meanwhile (or cannot be): stop rather than spin. */
    while ((rc = expire_batch(st, cert_id, now, &seen, &done, err)) == YJ_OK && done > 0) {
        total += done;
        if (seen < EXPIRE_BATCH)
            break;
    }
    if (total > 0)
        yj_log(YJ_LOG_INFO, "certs.expired", "{s:I}", "count", (json_int_t)total);
    if (rc)
        yj_log(YJ_LOG_ERROR, "certs.expire_failed", "{s:s,s:s}", "error", yj_err_name(rc),
               "message", err->msg);
    if (expired)
        *expired = total;
    return rc;
}

/* --- change reports and re-qualification ------------------------------------------------------ */

static json_t *requal_changes(const struct cert_requal *t)
{
    json_t *j = json_pack("{s:I,s:s,s:s}", "unit_id", (json_int_t)t->unit_id, "kind",
                          cert_change_kind_code(t->kind), "description", t->description);
    if (j)
        json_object_set_new(j, "certificate_id",
                            t->certificate_id ? json_integer(t->certificate_id) : json_null());
    return j;
}

enum yj_err certs_change_report(struct store_tx *tx, int64_t unit_id, enum cert_change_kind kind,
                                const char *description, int64_t now,
                                const struct cert_actor *actor, struct yj_arena *a,
                                struct cert_requal *out, struct yj_error *err)
{
    if ((unsigned)kind >= CERT_CHANGE__COUNT)
        return yj_error_set(err, YJ_EINVAL, "kind", "must be ownership or legal_representative");
    enum yj_err rc = text_check(description, "description", CERT_NOTE_MAX, true, true, err);
    int64_t version;
    if (!rc && (rc = store_unit_version(tx, unit_id, &version, err)) == YJ_ENOTFOUND)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "no such unit");
    if (rc)
        return rc;
    char today[11];
    yj_date_cst(now, today);
    struct cert current;
    struct cert_requal t = {
        .unit_id = unit_id,
        .kind = kind,
        .description = yj_arena_strdup(a, description),
        .reported_at = now,
        .reported_by = actor ? actor->user_id : 0,
    };
    if (!t.description)
        return oom(err);
    rc = store_cert_current(tx, unit_id, today, a, &current, err);
    if (rc == YJ_ENOTFOUND) {
        yj_error_clear(err);
        rc = YJ_OK;
    } else if (!rc) {
        t.certificate_id = current.id;
    }
    if (!rc)
        rc = store_requal_insert(tx, &t, err);
    if (!rc)
        rc = audit(tx, actor, "requalification.open", "requalification_task", t.id,
                   requal_changes(&t), now, err);
    if (!rc)
        *out = t;
    return rc;
}

enum yj_err certs_requal_decide(struct store_tx *tx, int64_t task_id, const char *decision,
                                bool close, int64_t now, const struct cert_actor *actor,
                                struct yj_arena *a, struct cert_requal *out, struct yj_error *err)
{
    struct cert_requal t;
    enum yj_err rc = text_check(decision, "decision", CERT_NOTE_MAX, true, true, err);
    if (!rc)
        rc = store_requal_get(tx, task_id, a, &t, err);
    if (!rc && t.closed)
        rc = yj_error_set(err, YJ_ECONFLICT, "status", "the task is already closed");
    int64_t by = actor ? actor->user_id : 0;
    if (!rc)
        rc = store_requal_decide(tx, task_id, decision, close, now, by, err);
    if (rc)
        return rc;
    json_t *j = json_pack("{s:o}", "decision", old_new(t.decision, decision));
    if (j && close)
        json_object_set_new(j, "status", old_new("open", "closed"));
    if ((rc = audit(tx, actor, "requalification.decide", "requalification_task", task_id, j, now,
                    err)))
        return rc;
    t.decision = yj_arena_strdup(a, decision);
    if (!t.decision)
        return oom(err);
    if (close) {
        t.closed = true;
        t.closed_at = now;
        t.closed_by = by;
    }
    *out = t;
    return YJ_OK;
}
