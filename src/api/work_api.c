/*
 * work_api.c - /api/v1/work-logs and the obligations: a unit records the hours
 * it worked (against its dispatches or other tasks), and yingji computes from
 * the records, month by month, whether the unit meets DOMAIN.md §4 (at least 1
 * incident response and 40 hours of technical support a month on average, a
 * contact reachable 7 x 24). The numbers come from the store; the rules from
 * incidents/work.h; nothing here is typed in by anyone.
 */
#include "api/api_int.h"
#include "api/api_work.h"
#include "store/store_incidents.h"
#include "store/store_work.h"

enum {
    WORK_DESCRIPTION_MAX = 4000,
    MONTHS_MAX = 36,         /* months one obligations view may span */
    DEFAULT_MONTHS = 12,     /* ... and spans without from/to */
    PEOPLE_MAX = 1000,       /* as the table's CHECK */
    SPAN_MAX_DAYS = 31,      /* one log covers at most this */
    FUTURE_SLACK_HOURS = 24, /* a log may end this far after now (a shift being logged) */
};
static const int64_t HOUR_MS = 3600 * 1000;

/* --- encoding --------------------------------------------------------------------------- */

static int64_t person_minutes(const struct store_work_log *l)
{
    return l->people * ((l->ended_at - l->started_at) / 60000);
}

static json_t *log_json(const struct store_work_log *l)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(l->id));
    json_object_set_new(o, "version", json_integer(l->version));
    json_object_set_new(o, "unit_id", json_integer(l->unit_id));
    json_object_set_new(o, "unit_name", api_str_or_null(l->unit_name));
    json_object_set_new(o, "kind", json_string(work_kind_code(l->kind)));
    json_object_set_new(o, "kind_name_zh", json_string(work_kind_name_zh(l->kind)));
    json_object_set_new(o, "dispatch_id", api_id_or_null(l->dispatch_id));
    json_object_set_new(o, "incident_id", api_id_or_null(l->incident_id));
    json_object_set_new(o, "task", json_string(l->task));
    json_object_set_new(o, "description", api_str_or_null(l->description));
    json_object_set_new(o, "started_at", api_time(l->started_at));
    json_object_set_new(o, "ended_at", api_time(l->ended_at));
    json_object_set_new(o, "people", json_integer(l->people));
    json_object_set_new(o, "minutes", json_integer(person_minutes(l)));
    json_object_set_new(o, "created_by", api_id_or_null(l->created_by));
    json_object_set_new(o, "created_at", api_time(l->created_at));
    json_object_set_new(o, "updated_at", api_time(l->updated_at));
    return o;
}

/* x with two decimals, for the averages. */
static double round2(double x)
{
    return (double)(int64_t)(x * 100 + 0.5) / 100.0;
}

/* Minutes as hours with two decimals (40.0, 1.67), in whole arithmetic first so that
 * exactly 2400 minutes shows as 40. */
static double hours_of(int64_t minutes)
{
    return (double)((minutes * 100 + 30) / 60) / 100.0;
}

/* --- decoding --------------------------------------------------------------------------- */

/* A time given as RFC 3339 text (as the rest of the API) or as UTC ms. */
static enum yj_err get_when(const json_t *o, const char *key, bool required, int64_t *out,
                            struct yj_error *err)
{
    const json_t *v = json_object_get(o, key);
    if (json_is_integer(v)) {
        if (json_integer_value(v) < 1)
            return yj_error_set(err, YJ_EINVAL, key, "must be a time");
        *out = json_integer_value(v);
        return YJ_OK;
    }
    return api_get_time(o, key, required, out, err);
}

static const char *const log_keys[] = {"kind",       "dispatch_id", "task",   "description",
                                       "started_at", "ended_at",    "people", NULL};

/* The fields of a create (create true: kind, task, times and people required) or a
 * PATCH (absent keys leave l as it is; null clears dispatch_id and description). */
static enum yj_err decode_log(const json_t *o, bool create, struct yj_arena *a,
                              struct store_work_log *l, struct yj_error *err)
{
    const char *kind = NULL;
    enum yj_err rc = api_check_keys(o, log_keys, err);
    if (!rc)
        rc = api_get_text(o, "kind", create, 32, a, &kind, err);
    if (!rc && kind && work_kind_parse(kind, &l->kind))
        rc = yj_error_set(err, YJ_EINVAL, "kind",
                          "must be incident_response, technical_support, monitoring, "
                          "major_event or other");
    if (!rc)
        rc = api_get_text(o, "task", create || json_object_get(o, "task"), WORK_TASK_MAX, a,
                          &l->task, err);
    if (!rc && json_is_null(json_object_get(o, "description")))
        l->description = NULL;
    else if (!rc)
        rc = api_get_text(o, "description", false, WORK_DESCRIPTION_MAX, a, &l->description, err);
    if (!rc && json_is_null(json_object_get(o, "dispatch_id")))
        l->dispatch_id = 0;
    else if (!rc)
        rc = api_get_int(o, "dispatch_id", false, 1, INT64_MAX, &l->dispatch_id, err);
    if (!rc)
        rc = get_when(o, "started_at", create, &l->started_at, err);
    if (!rc)
        rc = get_when(o, "ended_at", create, &l->ended_at, err);
    if (!rc)
        rc = api_get_int(o, "people", create, 1, PEOPLE_MAX, &l->people, err);
    return rc;
}

/* The log as a whole, after decoding: a real span, not far in the future, not too long;
 * its dispatch one of the unit's own. */
static enum yj_err check_log(struct store_tx *tx, const struct store_work_log *l, int64_t now,
                             struct yj_arena *a, struct yj_error *err)
{
    if (l->ended_at <= l->started_at)
        return yj_error_set(err, YJ_EINVAL, "ended_at", "must be after started_at");
    if (l->ended_at > now + FUTURE_SLACK_HOURS * HOUR_MS)
        return yj_error_set(err, YJ_EINVAL, "ended_at", "is more than a day in the future");
    if (l->ended_at - l->started_at > SPAN_MAX_DAYS * 24 * HOUR_MS)
        return yj_error_set(err, YJ_EINVAL, "ended_at", "one log covers at most %d days",
                            SPAN_MAX_DAYS);
    if (!l->dispatch_id)
        return YJ_OK;
    struct store_dispatch d;
    enum yj_err rc = store_dispatch_get(tx, l->dispatch_id, a, &d, err);
    if (rc == YJ_ENOTFOUND || (!rc && d.unit_id != l->unit_id))
        return yj_error_set(err, YJ_EINVAL, "dispatch_id", "not a dispatch of this unit");
    return rc;
}

/* Audits the log's new state (or, for a deletion, what was deleted). */
static enum yj_err audit_log(struct store_tx *tx, const struct auth_subject *who,
                             const struct http_request *req, const char *action,
                             const struct store_work_log *l, int64_t now, struct yj_error *err)
{
    json_t *o = log_json(l);
    char *changes = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    struct audit_entry e =
        api_audit_entry(who, req, action, "work_log", api_id_str(req->arena, l->id), changes);
    enum yj_err rc = changes ? audit_append(tx, &e, now, err)
                             : yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    free(changes);
    return rc;
}

static void send_log(struct http_request *req, struct http_response *resp, int status,
                     const struct store_work_log *l)
{
    http_response_header(resp, "ETag", api_etag(req->arena, l->version));
    http_response_json(resp, status, log_json(l));
}

/* --- the work log ---------------------------------------------------------------------- */

void api_worklogs_list(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    static const char *const allowed[] = {"unit_id", "month", "limit", "cursor", NULL};
    struct api_page page;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_WORKLOG_READ, NULL) ||
        !api_query_only(req, resp, allowed) || !api_page_parse(req, resp, &page))
        return;
    struct yj_error err;
    struct store_work_log_query q = {.after_id = page.after, .limit = page.limit + 1};
    const char *u = http_query(req, "unit_id"), *month = http_query(req, "month");
    enum yj_err rc = YJ_OK;
    if (u && yj_parse_i64(u, 1, INT64_MAX, &q.unit_id))
        rc = yj_error_set(&err, YJ_EINVAL, "unit_id", "must be a unit id");
    if (!rc && month)
        rc = work_month_parse(month, "month", &q.from, &q.to, &err);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    /* A unit's list is its own whatever it asks for, as the dispatch inbox. */
    if (auth_policy_scope(who.role, AUTH_WORKLOG_READ) == AUTH_OWN_UNIT)
        q.unit_id = who.unit_id;
    struct store_tx *tx = NULL;
    struct store_work_log *items = NULL;
    size_t n = 0;
    rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_work_log_list(tx, &q, req->arena, &items, &n, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    bool more = api_page_trim(&page, &n);
    json_t *arr = json_array();
    for (size_t k = 0; k < n; k++)
        json_array_append_new(arr, log_json(&items[k]));
    api_list(resp, arr, more, n ? items[n - 1].id : 0);
}

/* POST {"kind", "dispatch_id"?, "task", "description"?, "started_at", "ended_at", "people"}:
 * a unit's log, for itself. */
void api_worklogs_create(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    json_t *body;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_WORKLOG_WRITE, NULL) || !(body = api_body(req, resp)))
        return;
    struct yj_error err;
    int64_t now = yj_now_ms(app->clock);
    struct store_work_log l = {
        .unit_id = who.unit_id, .created_by = who.user_id, .created_at = now, .updated_at = now};
    enum yj_err rc = decode_log(body, true, req->arena, &l, &err);
    json_decref(body);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    struct store_tx *tx = NULL;
    rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = check_log(tx, &l, now, req->arena, &err);
    if (!rc)
        rc = store_work_log_insert(tx, &l, &err);
    if (!rc) /* read back: the unit's name and the dispatch's incident */
        rc = store_work_log_get(tx, l.id, req->arena, &l, &err);
    if (!rc)
        rc = audit_log(tx, &who, req, "worklog.create", &l, now, &err);
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_header(resp, "Location",
                         yj_arena_printf(req->arena, "/api/v1/work-logs/%lld", (long long)l.id));
    send_log(req, resp, 201, &l);
}

/*
 * Opens the write transaction of a change to log id and loads the log: the policy must
 * allow AUTH_WORKLOG_WRITE on it (a unit: its own only) and, with want > 0, it must
 * still be that version. On failure answers resp, ends the transaction, returns false.
 */
static bool change_begin(struct api_app *app, struct http_request *req, struct http_response *resp,
                         const struct auth_subject *who, int64_t id, int64_t want,
                         struct store_tx **tx, struct store_work_log *l)
{
    struct yj_error err;
    enum yj_err rc = store_write_begin(app->store, tx, &err);
    if (!rc)
        rc = store_work_log_get(*tx, id, req->arena, l, &err);
    if (!rc) {
        struct auth_object obj = {.unit_id = l->unit_id};
        rc = auth_policy_check(who, AUTH_WORKLOG_WRITE, &obj, &err);
    }
    if (!rc && want > 0 && want != l->version)
        rc = yj_error_set(&err, YJ_EPRECOND, "If-Match", "the work log changed meanwhile");
    if (rc) {
        store_tx_end(*tx);
        api_fail(resp, &err);
    }
    return !rc;
}

/* PATCH with If-Match: the given fields replace, null clears dispatch_id and description. */
void api_worklogs_patch(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    int64_t id, want;
    json_t *body;
    if (!api_authenticate(app, req, resp, &who) || !(id = api_param_id(req, resp, 0)) ||
        !(want = api_if_match(req, resp, false)) || !(body = api_body(req, resp)))
        return;
    struct yj_error err;
    int64_t now = yj_now_ms(app->clock);
    struct store_tx *tx = NULL;
    struct store_work_log l;
    if (!change_begin(app, req, resp, &who, id, want, &tx, &l)) {
        json_decref(body);
        return;
    }
    enum yj_err rc = decode_log(body, false, req->arena, &l, &err);
    json_decref(body);
    l.updated_at = now;
    if (!rc)
        rc = check_log(tx, &l, now, req->arena, &err);
    if (!rc)
        rc = store_work_log_update(tx, &l, &err);
    if (!rc)
        rc = store_work_log_get(tx, l.id, req->arena, &l, &err);
    if (!rc)
        rc = audit_log(tx, &who, req, "worklog.update", &l, now, &err);
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    send_log(req, resp, 200, &l);
}

/* DELETE (If-Match optional: with it, only that version goes): a soft delete; the log
 * stops counting towards the obligations and stays in the store for the audit. */
void api_worklogs_delete(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    int64_t id, want = -1;
    if (!api_authenticate(app, req, resp, &who) || !(id = api_param_id(req, resp, 0)) ||
        (http_header(req, "If-Match") && !(want = api_if_match(req, resp, true))))
        return;
    struct yj_error err;
    int64_t now = yj_now_ms(app->clock);
    struct store_tx *tx = NULL;
    struct store_work_log l;
    if (!change_begin(app, req, resp, &who, id, want, &tx, &l))
        return;
    enum yj_err rc = store_work_log_delete(tx, l.id, l.version, now, &err);
    if (!rc)
        rc = audit_log(tx, &who, req, "worklog.delete", &l, now, &err);
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_empty(resp);
}

/* --- months ------------------------------------------------------------------------------ */

/* Months are counted as y * 12 + (m - 1). */
static int month_index(int64_t ms)
{
    char m[8];
    work_month_of(ms, m);
    return ((m[0] - '0') * 1000 + (m[1] - '0') * 100 + (m[2] - '0') * 10 + (m[3] - '0')) * 12 +
           (m[5] - '0') * 10 + (m[6] - '0') - 1;
}

/* "YYYY-MM" of query parameter key as a month index; *idx unchanged when absent. */
static enum yj_err month_param(struct http_request *req, const char *key, int *idx,
                               struct yj_error *err)
{
    const char *v = http_query(req, key);
    int64_t start, end;
    if (!v)
        return YJ_OK;
    enum yj_err rc = work_month_parse(v, key, &start, &end, err);
    if (!rc)
        *idx = month_index(start);
    return rc;
}

/* Month idx as "YYYY-MM" into out[16] and as [*start, *end) in UTC ms. */
static void month_range(int idx, char out[16], int64_t *start, int64_t *end)
{
    struct yj_error ignored;
    snprintf(out, 16, "%04d-%02d", idx / 12, idx % 12 + 1);
    /* Indices come from parsed months or now, give or take 36: always a valid month. */
    work_month_parse(out, "month", start, end, &ignored);
}

/* One unit's month as judged from its records. */
struct month_view {
    char month[16];
    bool partial; /* still running: contact counts up to now only */
    struct work_month_facts f;
    struct work_month_result r;
    struct work_interval gaps[WORK_GAPS_MAX];
};

static enum yj_err month_compute(struct store_tx *tx, int64_t unit_id, int idx, int64_t now,
                                 struct yj_arena *a, struct month_view *v, struct yj_error *err)
{
    int64_t start, end;
    struct store_work_month m;
    month_range(idx, v->month, &start, &end);
    enum yj_err rc = store_work_month(tx, unit_id, start, end, a, &m, err);
    if (rc)
        return rc;
    v->f = (struct work_month_facts){
        .start = start,
        .end = end,
        .incidents = m.incidents,
        .dispatches = m.dispatches,
        .breaches = m.breaches,
        .drills = m.drills,
        .drills_acked = m.drills_acked,
    };
    /* Person-time summed in ms and cut to minutes once, so short logs are not lost. */
    int64_t person_ms = 0;
    for (size_t k = 0; k < m.n_logs; k++)
        if (work_kind_counts_as_support(m.logs[k].kind))
            person_ms += m.logs[k].people *
                         work_overlap(m.logs[k].started_at, m.logs[k].ended_at, start, end);
    v->f.support_minutes = person_ms / 60000;
    v->partial = now < end;
    if (v->partial)
        v->f.end = now > start ? now : start;
    v->f.covered_ms = work_coverage(m.roster, m.n_roster, v->f.start, v->f.end, v->gaps,
                                    WORK_GAPS_MAX, &v->f.n_gaps);
    work_month_judge(&v->f, &v->r);
    return YJ_OK;
}

/* Covered share of the month (so far), cut down to 4 decimals so that a month with any
 * gap never shows 1. */
static double covered_ratio(const struct work_month_facts *f)
{
    int64_t len = f->end - f->start;
    return len > 0 ? (double)(f->covered_ms * 10000 / len) / 10000.0 : 1.0;
}

static json_t *month_json(const struct month_view *v, bool full)
{
    json_t *o = json_object();
    json_object_set_new(o, "month", json_string(v->month));
    json_object_set_new(o, "incidents", json_integer(v->f.incidents));
    json_object_set_new(o, "support_hours", json_real(hours_of(v->f.support_minutes)));
    json_object_set_new(o, "support_minutes", json_integer(v->f.support_minutes));
    json_object_set_new(o, "covered_ratio", json_real(covered_ratio(&v->f)));
    json_object_set_new(o, "n_gaps", json_integer((json_int_t)v->f.n_gaps));
    json_object_set_new(o, "dispatches", json_integer(v->f.dispatches));
    json_object_set_new(o, "breaches", json_integer(v->f.breaches));
    json_object_set_new(o, "drills", json_integer(v->f.drills));
    json_object_set_new(o, "drills_acked", json_integer(v->f.drills_acked));
    json_object_set_new(o, "incidents_met", json_boolean(v->r.incidents_met));
    json_object_set_new(o, "hours_met", json_boolean(v->r.hours_met));
    json_object_set_new(o, "contact_met", json_boolean(v->r.contact_met));
    json_object_set_new(o, "partial", json_boolean(v->partial));
    if (!full)
        return o;
    json_t *gaps = json_array();
    for (size_t k = 0; k < v->f.n_gaps && k < WORK_GAPS_MAX; k++)
        json_array_append_new(gaps, json_pack("{s:o,s:o}", "from", api_time(v->gaps[k].from), "to",
                                              api_time(v->gaps[k].to)));
    json_object_set_new(o, "roster_gaps", gaps);
    return o;
}

/* GET ?from=YYYY-MM&to=YYYY-MM: one unit's months (default: the last 12 up to the current
 * one) and the average the obligations are judged on. */
void api_obligations_unit(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    int64_t id;
    static const char *const allowed[] = {"from", "to", NULL};
    if (!api_authenticate(app, req, resp, &who) || !(id = api_param_id(req, resp, 0)))
        return;
    struct auth_object obj = {.unit_id = id};
    if (!api_allow(req, resp, &who, AUTH_OBLIGATIONS_READ, &obj) ||
        !api_query_only(req, resp, allowed))
        return;
    struct yj_error err;
    int64_t now = yj_now_ms(app->clock);
    int current = month_index(now), to = -1, from = -1;
    enum yj_err rc = month_param(req, "to", &to, &err);
    if (!rc)
        rc = month_param(req, "from", &from, &err);
    if (to < 0)
        to = current;
    if (from < 0)
        from = to - (DEFAULT_MONTHS - 1);
    if (!rc && to > current)
        rc = yj_error_set(&err, YJ_EINVAL, "to", "is after the current month");
    if (!rc && from > to)
        rc = yj_error_set(&err, YJ_EINVAL, "from", "is after to");
    if (!rc && to - from + 1 > MONTHS_MAX)
        rc = yj_error_set(&err, YJ_EINVAL, "from", "at most %d months at a time", MONTHS_MAX);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    size_t n = (size_t)(to - from + 1);
    struct month_view *v = yj_arena_calloc(req->arena, n, sizeof *v);
    struct work_month_facts *done = yj_arena_calloc(req->arena, n, sizeof *done);
    struct store_tx *tx = NULL;
    struct unit u;
    rc = v && done ? store_read_begin(app->store, &tx, &err)
                   : yj_error_set(&err, YJ_ENOMEM, NULL, "out of memory");
    if (!rc)
        rc = store_unit_get(tx, id, true, req->arena, &u, &err);
    for (size_t k = 0; !rc && k < n; k++)
        rc = month_compute(tx, id, from + (int)k, now, req->arena, &v[k], &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    /* The average is over the months that are over; the running month joins it only when
     * it is the only one asked for. */
    size_t nd = 0;
    json_t *months = json_array();
    for (size_t k = 0; k < n; k++) {
        json_array_append_new(months, month_json(&v[k], true));
        if (!v[k].partial || n == 1)
            done[nd++] = v[k].f;
    }
    struct work_average avg;
    work_average(done, nd, &avg);
    json_t *average = json_pack(
        "{s:f,s:f,s:b,s:b,s:b,s:I}", "incidents_per_month", round2(avg.incidents_per_month),
        "hours_per_month", round2(avg.hours_per_month), "incidents_met", avg.incidents_met,
        "hours_met", avg.hours_met, "contact_met", avg.contact_met, "months", (json_int_t)nd);
    http_response_json(resp, 200,
                       json_pack("{s:I,s:s,s:o,s:o}", "unit_id", (json_int_t)id, "unit_name",
                                 u.name, "months", months, "average", average));
}

/* GET ?month=YYYY-MM (default: the current one): every live unit's month side by side (a
 * unit: its own row). */
void api_obligations_month(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    static const char *const allowed[] = {"month", NULL};
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_OBLIGATIONS_READ, NULL) ||
        !api_query_only(req, resp, allowed))
        return;
    struct yj_error err;
    int64_t now = yj_now_ms(app->clock);
    int idx = month_index(now);
    enum yj_err rc = month_param(req, "month", &idx, &err);
    if (!rc && idx > month_index(now))
        rc = yj_error_set(&err, YJ_EINVAL, "month", "is after the current month");
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    int64_t only =
        auth_policy_scope(who.role, AUTH_OBLIGATIONS_READ) == AUTH_OWN_UNIT ? who.unit_id : 0;
    struct store_tx *tx = NULL;
    struct store_work_unit *units = NULL;
    size_t nu = 0;
    struct month_view v = {0};
    json_t *items = json_array();
    rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_work_units(tx, req->arena, &units, &nu, &err);
    for (size_t k = 0; !rc && k < nu; k++) {
        if (only && units[k].id != only)
            continue;
        rc = month_compute(tx, units[k].id, idx, now, req->arena, &v, &err);
        if (rc)
            break;
        json_t *o = month_json(&v, false);
        json_object_del(o, "month");
        json_object_del(o, "partial");
        json_object_set_new(o, "unit_id", json_integer(units[k].id));
        json_object_set_new(o, "unit_name", json_string(units[k].name));
        json_array_append_new(items, o);
    }
    store_tx_end(tx);
    if (rc) {
        json_decref(items);
        api_fail(resp, &err);
        return;
    }
    char month[16];
    int64_t start, end;
    month_range(idx, month, &start, &end);
    http_response_json(
        resp, 200,
        json_pack("{s:s,s:b,s:o}", "month", month, "partial", now < end, "items", items));
}
