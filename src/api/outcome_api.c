/*
 * outcome_api.c - from scores to certificates: the ranking, the proposed list
 * the authority approves, objections during the public notice (an upheld one
 * cancels that unit's selection), and publication, which issues certificates.
 */
#include "api/api_int.h"
#include "api/api_review.h"
#include "certs/certs.h"

static const char *effective(const struct store_application *a)
{
    return a->eligibility_override ? a->eligibility_override : a->eligibility;
}

/* Everything the ranking needs of a campaign's submitted applications. */
struct standing {
    struct store_application *apps;
    size_t n;
    struct sel_rank_entry *ranked; /* eligible, passed the background review, scored */
    size_t n_ranked;
    int64_t unscored, unreviewed;
};

/* The tie-break criterion's points, aggregated like the totals. */
static enum yj_err tiebreak(struct store_tx *tx, struct yj_arena *a, const struct sel_campaign *c,
                            int64_t application_id, int64_t *out, struct yj_error *err)
{
    size_t k = 0;
    while (k < c->n_criteria && strcmp(c->criteria[k].code, SEL_TIEBREAK_CRITERION) != 0)
        k++;
    *out = 0;
    if (k == c->n_criteria)
        return YJ_OK;
    struct store_score_sheet *sheets;
    size_t n;
    enum yj_err rc = store_score_sheets(tx, application_id, 0, a, &sheets, &n, err);
    int64_t points[256];
    size_t m = 0;
    for (size_t s = 0; !rc && s < n && m < YJ_ARRAY_LEN(points); s++) {
        if (!sheets[s].submitted_at)
            continue;
        int64_t p = 0;
        for (size_t j = 0; j < sheets[s].n_scores; j++)
            if (sheets[s].scores[j].criterion == (int64_t)k)
                p = sheets[s].scores[j].points;
        points[m++] = p;
    }
    if (!rc && m)
        *out = sel_aggregate(points, m);
    return rc;
}

static enum yj_err standing_get(struct store_tx *tx, struct yj_arena *a,
                                const struct sel_campaign *c, struct standing *st,
                                struct yj_error *err)
{
    memset(st, 0, sizeof *st);
    struct store_application_query q = {
        .campaign_id = c->id, .submitted_only = true, .limit = 10000};
    enum yj_err rc = store_application_list(tx, &q, a, &st->apps, &st->n, err);
    if (rc)
        return rc;
    st->ranked = yj_arena_calloc(a, st->n + 1, sizeof *st->ranked);
    if (!st->ranked)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; i < st->n && !rc; i++) {
        const struct store_application *ap = &st->apps[i];
        if (strcmp(ap->status, "submitted") != 0 || strcmp(effective(ap), "eligible") != 0)
            continue;
        if (strcmp(ap->security_result, "pending") == 0)
            st->unreviewed++;
        if (strcmp(ap->security_result, "pass") != 0 || ap->direct_entry)
            continue;
        if (ap->score_centi < 0) {
            st->unscored++;
            continue;
        }
        struct sel_rank_entry *e = &st->ranked[st->n_ranked++];
        e->application_id = ap->id;
        e->score_centi = ap->score_centi;
        e->submitted_at = ap->submitted_at;
        rc = tiebreak(tx, a, c, ap->id, &e->tiebreak_centi, err);
    }
    if (!rc)
        sel_rank(st->ranked, st->n_ranked);
    return rc;
}

static const struct sel_rank_entry *rank_of(const struct standing *st, int64_t id)
{
    for (size_t i = 0; i < st->n_ranked; i++)
        if (st->ranked[i].application_id == id)
            return &st->ranked[i];
    return NULL;
}

static bool campaign(struct api_app *app, struct http_request *req, struct http_response *resp,
                     bool write, struct store_tx **tx, struct sel_campaign *c)
{
    struct yj_error err;
    int64_t id = api_param_id(req, resp, 0);
    if (!id)
        return false;
    enum yj_err rc =
        write ? store_write_begin(app->store, tx, &err) : store_read_begin(app->store, tx, &err);
    if (!rc)
        rc = store_campaign_get(*tx, id, req->arena, c, &err);
    if (rc) {
        store_tx_end(*tx);
        *tx = NULL;
        api_fail(resp, &err);
        return false;
    }
    return true;
}

static json_t *standing_item(const struct store_application *ap, const struct sel_rank_entry *r)
{
    json_t *o =
        json_pack("{s:I,s:I,s:s,s:s,s:s,s:b,s:s,s:s}", "application_id", (json_int_t)ap->id,
                  "unit_id", (json_int_t)ap->unit_id, "unit_name", ap->unit_name, "credit_code",
                  ap->credit_code, "eligibility", effective(ap), "direct_entry", ap->direct_entry,
                  "security_result", ap->security_result, "outcome", ap->outcome);
    json_object_set_new(o, "score",
                        ap->score_centi >= 0 ? json_real((double)ap->score_centi / 100.0)
                                             : json_null());
    json_object_set_new(o, "tiebreak",
                        r ? json_real((double)r->tiebreak_centi / 100.0) : json_null());
    json_object_set_new(o, "rank", r ? json_integer(r->rank) : json_null());
    json_object_set_new(o, "submitted_at", api_time(ap->submitted_at));
    return o;
}

void api_ranking(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    struct store_tx *tx = NULL;
    struct sel_campaign c;
    struct standing st;
    struct yj_error err;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_RANKING_READ, NULL) ||
        !campaign(app, req, resp, false, &tx, &c))
        return;
    enum yj_err rc = standing_get(tx, req->arena, &c, &st, &err);
    json_t *arr = json_array();
    /* Ranked candidates in rank order, then everyone else. */
    for (size_t i = 0; !rc && i < st.n_ranked; i++)
        for (size_t j = 0; j < st.n; j++)
            if (st.apps[j].id == st.ranked[i].application_id)
                json_array_append_new(arr, standing_item(&st.apps[j], &st.ranked[i]));
    for (size_t j = 0; !rc && j < st.n; j++)
        if (!rank_of(&st, st.apps[j].id))
            json_array_append_new(arr, standing_item(&st.apps[j], NULL));
    store_tx_end(tx);
    if (rc) {
        json_decref(arr);
        api_fail(resp, &err);
        return;
    }
    http_response_json(resp, 200,
                       json_pack("{s:I,s:I,s:I,s:I,s:o,s:s}", "campaign_id", (json_int_t)c.id,
                                 "places", (json_int_t)c.places, "unscored",
                                 (json_int_t)st.unscored, "unreviewed", (json_int_t)st.unreviewed,
                                 "items", arr, "aggregation",
                                 "mean of the experts' totals; with five or more experts the "
                                 "highest and lowest are dropped first; ties go to the higher "
                                 "technical-capability score, then the earlier submission"));
}

/* The proposed list: eligible units that passed the background review; those
 * graded excellent last term first (direct entry), then the ranking, up to the
 * places. Every other submitted application is not selected. */
void api_proposal(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    struct store_tx *tx = NULL;
    struct sel_campaign c;
    struct standing st;
    struct yj_error err;
    yj_error_clear(&err);
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_CAMPAIGN_MANAGE, NULL) ||
        !campaign(app, req, resp, true, &tx, &c))
        return;
    int64_t now = yj_now_ms(app->clock);
    enum yj_err rc =
        c.stage == SEL_STAGE_REVIEW
            ? YJ_OK
            : yj_error_set(&err, YJ_ECONFLICT, "stage", "the proposed list is made during review");
    if (!rc)
        rc = standing_get(tx, req->arena, &c, &st, &err);
    if (!rc && st.unreviewed)
        rc = yj_error_set(&err, YJ_ECONFLICT, "security_result",
                          "%lld eligible applications await the background review",
                          (long long)st.unreviewed);
    if (!rc && st.unscored)
        rc = yj_error_set(&err, YJ_ECONFLICT, "score",
                          "%lld candidates have no score yet (close their panels)",
                          (long long)st.unscored);
    /* Everyone starts not selected; direct entries take places first, in the
     * order they applied, then the ranking fills what remains. */
    int64_t places = c.places;
    for (size_t i = 0; !rc && i < st.n; i++) {
        struct store_application *ap = &st.apps[i];
        const struct sel_rank_entry *r = rank_of(&st, ap->id);
        ap->rank = r ? r->rank : 0;
        ap->outcome = "not_selected";
        ap->outcome_reason = NULL;
    }
    /* Direct entries in the order they were first submitted. */
    while (!rc && places > 0) {
        struct store_application *next = NULL;
        for (size_t i = 0; i < st.n; i++) {
            struct store_application *ap = &st.apps[i];
            if (strcmp(ap->status, "submitted") == 0 && ap->direct_entry &&
                strcmp(ap->outcome, "proposed") != 0 && strcmp(effective(ap), "eligible") == 0 &&
                strcmp(ap->security_result, "pass") == 0 &&
                (!next || ap->submitted_at < next->submitted_at))
                next = ap;
        }
        if (!next)
            break;
        next->outcome = "proposed";
        next->outcome_reason = "上届考评优秀，直接入选";
        places--;
    }
    for (size_t k = 0; !rc && k < st.n_ranked && places > 0; k++)
        for (size_t i = 0; i < st.n; i++)
            if (st.apps[i].id == st.ranked[k].application_id) {
                st.apps[i].outcome = "proposed";
                places--;
            }
    json_t *proposed = json_array();
    for (size_t i = 0; !rc && i < st.n; i++) {
        struct store_application *ap = &st.apps[i];
        if (strcmp(ap->outcome, "proposed") == 0)
            json_array_append_new(proposed, json_integer(ap->id));
        rc = store_application_update(tx, ap, ap->version, now, &err);
    }
    if (!rc) {
        json_t *c_json =
            json_pack("{s:O,s:I}", "proposed", proposed, "places", (json_int_t)c.places);
        char *changes = json_dumps(c_json, JSON_COMPACT);
        json_decref(c_json);
        struct audit_entry e = api_audit_entry(&who, req, "campaign.proposal", "campaign",
                                               api_id_str(req->arena, c.id), changes);
        rc = audit_append(tx, &e, now, &err);
        free(changes);
    }
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        json_decref(proposed);
        api_fail(resp, &err);
        return;
    }
    http_response_json(
        resp, 200, json_pack("{s:I,s:o}", "campaign_id", (json_int_t)c.id, "proposed", proposed));
}

/* --- objections ------------------------------------------------------------------ */

static json_t *objection_json(const struct store_objection *o)
{
    json_t *j =
        json_pack("{s:I,s:I,s:I,s:s,s:s}", "id", (json_int_t)o->id, "campaign_id",
                  (json_int_t)o->campaign_id, "application_id", (json_int_t)o->application_id,
                  "content", o->content, "status", o->status);
    json_object_set_new(j, "complainant",
                        o->complainant ? json_string(o->complainant) : json_null());
    json_object_set_new(j, "received_at", api_time(o->received_at));
    json_object_set_new(j, "findings", o->findings ? json_string(o->findings) : json_null());
    json_object_set_new(j, "decided_at", api_time(o->decided_at));
    return j;
}

void api_objections_list(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    struct store_tx *tx = NULL;
    struct sel_campaign c;
    struct yj_error err;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_OBJECTION_READ, NULL) ||
        !campaign(app, req, resp, false, &tx, &c))
        return;
    static const char *const none[] = {NULL};
    if (!api_query_only(req, resp, none)) {
        store_tx_end(tx);
        return;
    }
    struct store_objection *items;
    size_t n;
    enum yj_err rc = store_objection_list(tx, c.id, req->arena, &items, &n, &err);
    json_t *arr = json_array();
    for (size_t i = 0; !rc && i < n; i++)
        json_array_append_new(arr, objection_json(&items[i]));
    store_tx_end(tx);
    if (rc) {
        json_decref(arr);
        api_fail(resp, &err);
        return;
    }
    api_list(resp, arr, false, 0);
}

static enum yj_err text_field(const json_t *body, const char *key, bool required,
                              struct yj_arena *a, const char **out, struct yj_error *err)
{
    enum yj_err rc = api_get_string(body, key, required, a, out, err);
    if (!rc && *out &&
        ((required && !**out) || yj_utf8_chars(*out) > UNIT_LONG_TEXT_MAX ||
         !yj_utf8_text_ok(*out, strlen(*out))))
        rc = yj_error_set(err, YJ_EINVAL, key, "1 to %d characters of text", UNIT_LONG_TEXT_MAX);
    return rc;
}

void api_objections_create(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const keys[] = {"application_id", "complainant", "content", NULL};
    struct auth_subject who;
    struct store_tx *tx = NULL;
    struct sel_campaign c;
    struct yj_error err;
    yj_error_clear(&err);
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_OBJECTION_MANAGE, NULL))
        return;
    json_t *body = api_body(req, resp);
    if (!body)
        return;
    int64_t now = yj_now_ms(app->clock);
    struct store_objection o = {.received_at = now, .created_by = who.user_id};
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc)
        rc = api_get_int(body, "application_id", true, 1, INT64_MAX, &o.application_id, &err);
    if (!rc)
        rc = text_field(body, "complainant", false, req->arena, &o.complainant, &err);
    if (!rc)
        rc = text_field(body, "content", true, req->arena, &o.content, &err);
    json_decref(body);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    if (!campaign(app, req, resp, true, &tx, &c))
        return;
    o.campaign_id = c.id;
    struct store_application ap;
    if (c.stage != SEL_STAGE_NOTICE)
        rc = yj_error_set(&err, YJ_ECONFLICT, "stage", "objections are received during the notice");
    if (!rc && (store_application_get(tx, o.application_id, req->arena, &ap, &err) ||
                ap.campaign_id != c.id || strcmp(ap.outcome, "proposed") != 0))
        rc = yj_error_set(&err, YJ_EINVAL, "application_id",
                          "not a proposed application of this campaign");
    if (!rc)
        rc = store_objection_insert(tx, &o, &err);
    if (!rc) {
        char changes[64];
        snprintf(changes, sizeof changes, "{\"application_id\":%lld}", (long long)o.application_id);
        struct audit_entry e = api_audit_entry(&who, req, "objection.create", "objection",
                                               api_id_str(req->arena, o.id), changes);
        rc = audit_append(tx, &e, now, &err);
    }
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_json(resp, 201, objection_json(&o));
    http_response_header(
        resp, "Location",
        yj_arena_printf(req->arena, "/api/v1/campaigns/%lld/objections", (long long)o.campaign_id));
}

void api_objections_decide(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const keys[] = {"status", "findings", NULL};
    struct auth_subject who;
    struct store_tx *tx = NULL;
    struct yj_error err;
    yj_error_clear(&err);
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) || !(id = api_param_id(req, resp, 0)) ||
        !api_allow(req, resp, &who, AUTH_OBJECTION_MANAGE, NULL))
        return;
    json_t *body = api_body(req, resp);
    if (!body)
        return;
    const char *status = NULL, *findings = NULL;
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc)
        rc = api_get_string(body, "status", true, req->arena, &status, &err);
    if (!rc && strcmp(status, "investigating") != 0 && strcmp(status, "upheld") != 0 &&
        strcmp(status, "rejected") != 0)
        rc = yj_error_set(&err, YJ_EINVAL, "status", "investigating, upheld or rejected");
    if (!rc)
        rc = text_field(body, "findings", strcmp(status, "investigating") != 0, req->arena,
                        &findings, &err);
    json_decref(body);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    int64_t now = yj_now_ms(app->clock);
    struct store_objection o;
    struct store_application ap;
    struct sel_campaign c;
    if ((rc = store_write_begin(app->store, &tx, &err)) != YJ_OK) {
        api_fail(resp, &err);
        return;
    }
    rc = store_objection_get(tx, id, req->arena, &o, &err);
    if (!rc)
        rc = store_campaign_get(tx, o.campaign_id, req->arena, &c, &err);
    if (!rc && c.stage != SEL_STAGE_NOTICE)
        rc = yj_error_set(&err, YJ_ECONFLICT, "stage", "objections are decided during the notice");
    if (!rc && (strcmp(o.status, "upheld") == 0 || strcmp(o.status, "rejected") == 0))
        rc = yj_error_set(&err, YJ_ECONFLICT, "status", "the objection is already decided");
    if (!rc) {
        o.status = status;
        o.findings = findings;
        bool final = strcmp(status, "investigating") != 0;
        o.decided_at = final ? now : 0;
        o.decided_by = final ? who.user_id : 0;
        rc = store_objection_update(tx, &o, &err);
    }
    /* A verified problem cancels the selection (seed 000). */
    if (!rc && strcmp(status, "upheld") == 0 &&
        !(rc = store_application_get(tx, o.application_id, req->arena, &ap, &err))) {
        ap.outcome = "cancelled";
        ap.outcome_reason = findings;
        rc = store_application_update(tx, &ap, ap.version, now, &err);
    }
    if (!rc) {
        char changes[96];
        snprintf(changes, sizeof changes, "{\"status\":\"%s\",\"application_id\":%lld}", status,
                 (long long)o.application_id);
        struct audit_entry e = api_audit_entry(&who, req, "objection.decide", "objection",
                                               api_id_str(req->arena, o.id), changes);
        rc = audit_append(tx, &e, now, &err);
    }
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_json(resp, 200, objection_json(&o));
}

/* --- publication ----------------------------------------------------------------- */

/* The day before the same date `years` later: a 2-year title from 2026-02-01 runs
 * to 2028-01-31 inclusive. */
static void validity_end(const char *from, int64_t years, char out[11])
{
    int y, m, d;
    yj_date_parse(from, &y, &m, &d);
    int64_t days = yj_days_from_civil(y + (int)years, m, d) - 1;
    yj_date_cst(days * 86400000LL, out);
}

enum yj_err api_campaign_publish(struct api_app *app, struct http_request *req,
                                 const struct auth_subject *who, struct store_tx *tx,
                                 struct sel_campaign *c, int64_t now, struct yj_error *err)
{
    (void)app;
    char from[11], to[11];
    yj_date_cst(now, from);
    validity_end(from, c->validity_years, to);
    struct yj_buf auth;
    yj_buf_init(&auth, 4096);
    for (size_t i = 0; i < c->n_authorities; i++)
        if (yj_buf_printf(&auth, "%s%s", i ? "、" : "", c->authorities[i]) != YJ_OK) {
            yj_buf_release(&auth);
            return yj_error_set(err, YJ_ETOOBIG, "authorities", "too long");
        }
    struct store_application *apps;
    size_t n;
    struct store_application_query q = {
        .campaign_id = c->id, .outcome = "proposed", .limit = 10000};
    enum yj_err rc = store_application_list(tx, &q, req->arena, &apps, &n, err);
    int year, mon, day;
    yj_date_parse(from, &year, &mon, &day);
    for (size_t i = 0; !rc && i < n; i++) {
        struct store_application *ap = &apps[i];
        struct cert_issue ci = {.campaign_id = c->id,
                                .unit_id = ap->unit_id,
                                .application_id = ap->id,
                                .holder_name = ap->unit_name,
                                .title = c->title,
                                .issuing_authorities = auth.ptr ? auth.ptr : "",
                                .number_pattern = c->cert_number_pattern,
                                .valid_from = from,
                                .valid_to = to,
                                .year = year};
        struct cert cert;
        rc = certs_issue(tx, &ci, now, who->user_id, req->arena, &cert, err);
        if (rc && rc != YJ_EIO && rc != YJ_ENOMEM) {
            /* Not "no such campaign": say which selected unit cannot be certified. */
            char why[YJ_ERR_MSG_MAX];
            snprintf(why, sizeof why, "%s", err->msg);
            rc = yj_error_set(err, YJ_ECONFLICT, "to",
                              "cannot issue a certificate for application %lld: %s",
                              (long long)ap->id, why);
        }
        if (!rc) {
            ap->outcome = "selected";
            rc = store_application_update(tx, ap, ap->version, now, err);
        }
        if (!rc) {
            char changes[256];
            snprintf(changes, sizeof changes,
                     "{\"number\":\"%s\",\"unit_id\":%lld,\"application_id\":%lld,"
                     "\"valid_from\":\"%s\",\"valid_to\":\"%s\"}",
                     cert.number, (long long)ap->unit_id, (long long)ap->id, from, to);
            struct audit_entry e = api_audit_entry(who, req, "certificate.issue", "certificate",
                                                   api_id_str(req->arena, cert.id), changes);
            rc = audit_append(tx, &e, now, err);
        }
    }
    yj_buf_release(&auth);
    if (!rc) {
        c->published_at = now;
        c->valid_from = yj_arena_strdup(req->arena, from);
        c->valid_to = yj_arena_strdup(req->arena, to);
    }
    return rc;
}
