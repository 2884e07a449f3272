/*
 * applications_api.c - a unit's application in a campaign: started from its
 * registry profile, autosaved as a draft, frozen on submission (its SHA-256 goes
 * on the paper copy's cover), returned for correction as a new version, and
 * pre-checked for eligibility criterion by criterion.
 */

#include "api/api_int.h"
#include "api/api_selection.h"

static char *dump(const json_t *j)
{
    return j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
}

/* The effective eligibility: an override wins over the pre-check. */
static const char *effective_eligibility(const struct store_application *a)
{
    return a->eligibility_override ? a->eligibility_override : a->eligibility;
}

/* The list item / header of an application. What each role sees of the review
 * (security result, score, rank) follows the policy. */
static json_t *summary_json(const struct auth_subject *who, const struct store_application *a)
{
    json_t *o =
        json_pack("{s:I,s:I,s:I,s:s,s:s,s:I}", "id", (json_int_t)a->id, "campaign_id",
                  (json_int_t)a->campaign_id, "unit_id", (json_int_t)a->unit_id, "unit_name",
                  a->unit_name, "credit_code", a->credit_code, "version", (json_int_t)a->version);
    json_object_set_new(o, "status", json_string(a->status));
    json_object_set_new(o, "current_version", json_integer(a->current_version));
    json_object_set_new(o, "submitted_version",
                        a->submitted_version ? json_integer(a->submitted_version) : json_null());
    json_object_set_new(o, "submitted_at", api_time(a->submitted_at));
    json_object_set_new(o, "eligibility", json_string(effective_eligibility(a)));
    json_object_set_new(o, "direct_entry", json_boolean(a->direct_entry));
    json_object_set_new(o, "outcome", json_string(a->outcome));
    bool reviewer = auth_policy_check(who, AUTH_APPLICATION_READ_SECURITY, NULL, NULL) == YJ_OK;
    if (reviewer)
        json_object_set_new(o, "security_result", json_string(a->security_result));
    if (auth_policy_check(who, AUTH_RANKING_READ, NULL, NULL) == YJ_OK) {
        json_object_set_new(o, "score",
                            a->score_centi >= 0 ? json_real((double)a->score_centi / 100.0)
                                                : json_null());
        json_object_set_new(o, "rank", a->rank ? json_integer(a->rank) : json_null());
    }
    json_object_set_new(o, "updated_at", api_time(a->updated_at));
    return o;
}

/* Loads an application and decides access for action; answers and returns false
 * when refused (404 outside the caller's scope). */
static bool load(struct api_app *app, struct http_request *req, struct http_response *resp,
                 const struct auth_subject *who, enum auth_action action, struct store_tx *tx,
                 struct store_application *ap, struct store_application_facts *f)
{
    (void)app;
    struct yj_error err;
    int64_t id = api_param_id(req, resp, 0);
    if (!id)
        return false;
    enum yj_err rc = store_application_facts(tx, id, who->user_id, req->arena, f, &err);
    if (!rc) {
        struct auth_object obj = {.unit_id = f->unit_id,
                                  .assigned = f->assigned,
                                  .conflicted = f->conflicted,
                                  .panel_closed = f->panel_closed};
        rc = auth_policy_check(who, action, &obj, &err);
    }
    if (!rc)
        rc = store_application_get(tx, id, req->arena, ap, &err);
    if (rc) {
        api_fail(resp, &err);
        return false;
    }
    return true;
}

/* A filter's value must be one of the codes; answers 400 naming it otherwise. */
static bool one_of(struct http_response *resp, const char *name, const char *v,
                   const char *const *codes)
{
    if (!v)
        return true;
    for (const char *const *c = codes; *c; c++)
        if (strcmp(*c, v) == 0)
            return true;
    struct yj_error err;
    yj_error_set(&err, YJ_EINVAL, name, "unknown value");
    api_fail(resp, &err);
    return false;
}

void api_applications_list(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const allowed[] = {"status", "outcome", "limit", "cursor", NULL};
    struct auth_subject who;
    struct api_page page;
    int64_t cid;
    if (!api_authenticate(app, req, resp, &who) || !(cid = api_param_id(req, resp, 0)) ||
        !api_allow(req, resp, &who, AUTH_APPLICATION_LIST, NULL) ||
        !api_query_only(req, resp, allowed) || !api_page_parse(req, resp, &page))
        return;
    struct store_application_query q = {.campaign_id = cid,
                                        .status = http_query(req, "status"),
                                        .outcome = http_query(req, "outcome"),
                                        .after_id = page.after,
                                        .limit = page.limit + 1};
    static const char *const statuses[] = {"draft", "submitted", "returned", "withdrawn", NULL};
    static const char *const outcomes[] = {"pending",      "proposed",  "selected",
                                           "not_selected", "cancelled", NULL};
    if (!one_of(resp, "status", q.status, statuses) ||
        !one_of(resp, "outcome", q.outcome, outcomes))
        return;
    switch (auth_policy_scope(who.role, AUTH_APPLICATION_LIST)) {
    case AUTH_OWN_UNIT:
        q.unit_id = who.unit_id;
        break;
    case AUTH_ASSIGNED:
        q.expert_id = who.user_id;
        break;
    default:
        break;
    }
    /* A background reviewer works on what was submitted, never on drafts. */
    if (auth_policy_check(&who, AUTH_APPLICATION_READ, NULL, NULL) != YJ_OK)
        q.submitted_only = true;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct sel_campaign c;
    struct store_application *items = NULL;
    size_t n = 0;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_campaign_get(tx, cid, req->arena, &c, &err);
    if (!rc && c.stage == SEL_STAGE_DRAFT &&
        auth_policy_check(&who, AUTH_CAMPAIGN_READ_DRAFT, NULL, NULL) != YJ_OK)
        rc = yj_error_set(&err, YJ_ENOTFOUND, NULL, "no such campaign");
    if (!rc)
        rc = store_application_list(tx, &q, req->arena, &items, &n, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    bool more = api_page_trim(&page, &n);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, summary_json(&who, &items[i]));
    api_list(resp, arr, more, n ? items[n - 1].id : 0);
}

/* The detail view: the summary, the working version's content, the versions, and
 * the pre-check and review facts the caller may see. */
static json_t *detail_json(struct store_tx *tx, struct http_request *req,
                           const struct auth_subject *who, const struct store_application *ap,
                           struct yj_error *err)
{
    struct store_application_version v, *versions;
    struct store_eligibility_row *checks;
    size_t nv, nc;
    if (store_application_version_get(tx, ap->id, ap->current_version, req->arena, &v, err) ||
        store_application_versions(tx, ap->id, req->arena, &versions, &nv, err) ||
        store_eligibility_get(tx, ap->id, req->arena, &checks, &nc, err))
        return NULL;
    /* A returning unit's past evaluations (年度评价) go before the experts with the
     * application, as the selection rules ask; the authority's notes on them do not. */
    struct store_grade *grades;
    struct store_ban *bans;
    size_t ng, nb;
    struct sel_unit_history h;
    if (store_unit_history_get(tx, ap->unit_id, req->arena, &grades, &ng, &bans, &nb, &h, err))
        return NULL;
    json_t *o = summary_json(who, ap);
    json_t *past = json_array();
    for (size_t i = ng; i-- > 0;)
        json_array_append_new(past, json_pack("{s:s,s:s,s:s}", "period", grades[i].g.period,
                                              "grade", sel_grade_code(grades[i].g.grade),
                                              "graded_on", grades[i].g.graded_on));
    json_object_set_new(o, "past_evaluations", past);
    json_t *content = json_loads(v.content, 0, NULL);
    /* Experts judge the application, not the people: contacts' phones and e-mail
     * stay with those who may read the unit's personal data. */
    struct auth_object unit = {.unit_id = ap->unit_id};
    if (auth_policy_check(who, AUTH_UNIT_READ_PERSONAL, &unit, NULL) != YJ_OK) {
        json_t *contacts = json_object_get(json_object_get(content, "profile"), "contacts");
        size_t i;
        json_t *c;
        json_array_foreach (contacts, i, c) {
            json_object_del(c, "mobile");
            json_object_del(c, "office_phone");
            json_object_del(c, "email");
        }
    }
    json_object_set_new(o, "content", content ? content : json_null());
    json_t *vs = json_array();
    for (size_t i = 0; i < nv; i++) {
        json_t *j = json_pack("{s:I}", "version_no", (json_int_t)versions[i].version_no);
        json_object_set_new(j, "sha256",
                            versions[i].sha256 ? json_string(versions[i].sha256) : json_null());
        json_object_set_new(j, "created_at", api_time(versions[i].created_at));
        json_object_set_new(j, "updated_at", api_time(versions[i].updated_at));
        json_object_set_new(j, "submitted_at", api_time(versions[i].submitted_at));
        json_object_set_new(j, "returned_at", api_time(versions[i].returned_at));
        json_object_set_new(j, "return_reason",
                            versions[i].return_reason ? json_string(versions[i].return_reason)
                                                      : json_null());
        json_array_append_new(vs, j);
    }
    json_object_set_new(o, "versions", vs);
    json_t *cs = json_array();
    for (size_t i = 0; i < nc; i++) {
        json_t *j = json_pack("{s:s,s:b,s:s,s:s}", "code", checks[i].code, "passed",
                              checks[i].passed, "reason", checks[i].reason, "evidence",
                              checks[i].evidence ? checks[i].evidence : "");
        json_array_append_new(cs, j);
    }
    json_object_set_new(o, "eligibility_checks", cs);
    json_object_set_new(o, "eligibility_precheck", json_string(ap->eligibility));
    json_object_set_new(o, "eligibility_override",
                        ap->eligibility_override ? json_string(ap->eligibility_override)
                                                 : json_null());
    json_object_set_new(o, "override_reason",
                        ap->override_reason ? json_string(ap->override_reason) : json_null());
    if (auth_policy_check(who, AUTH_APPLICATION_MANAGE, NULL, NULL) == YJ_OK ||
        auth_policy_check(who, AUTH_RANKING_READ, NULL, NULL) == YJ_OK) {
        json_object_set_new(o, "security_notes",
                            ap->security_notes ? json_string(ap->security_notes) : json_null());
        json_object_set_new(o, "outcome_reason",
                            ap->outcome_reason ? json_string(ap->outcome_reason) : json_null());
        json_t *paper = json_null();
        if (ap->paper_received_at) {
            paper = json_pack("{s:o,s:b}", "received_at", api_time(ap->paper_received_at),
                              "matches", ap->paper_matches == 1);
            json_object_set_new(paper, "note",
                                ap->paper_note ? json_string(ap->paper_note) : json_null());
        }
        json_object_set_new(o, "paper", paper);
    }
    return o;
}

static void answer(struct http_request *req, struct http_response *resp, int status, json_t *detail,
                   int64_t version)
{
    http_response_json(resp, status, detail);
    http_response_header(resp, "ETag", api_etag(req->arena, version));
}

void api_applications_get(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    if (!api_authenticate(app, req, resp, &who))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_application ap;
    struct store_application_facts f;
    if (store_read_begin(app->store, &tx, &err)) {
        api_fail(resp, &err);
        return;
    }
    if (load(app, req, resp, &who, AUTH_APPLICATION_READ, tx, &ap, &f)) {
        json_t *d = detail_json(tx, req, &who, &ap, &err);
        if (d)
            answer(req, resp, 200, d, ap.version);
        else
            api_fail(resp, &err);
    }
    store_tx_end(tx);
}

void api_applications_version(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    int64_t no;
    if (!api_authenticate(app, req, resp, &who))
        return;
    if (req->n_params < 2 || yj_parse_i64(req->params[1], 1, INT64_MAX, &no) != 0) {
        struct yj_error err;
        yj_error_set(&err, YJ_ENOTFOUND, NULL, "no such version");
        api_fail(resp, &err);
        return;
    }
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_application ap;
    struct store_application_facts f;
    struct store_application_version v;
    if (store_read_begin(app->store, &tx, &err)) {
        api_fail(resp, &err);
        return;
    }
    if (load(app, req, resp, &who, AUTH_APPLICATION_READ, tx, &ap, &f)) {
        if (store_application_version_get(tx, ap.id, no, req->arena, &v, &err)) {
            api_fail(resp, &err);
        } else {
            json_t *content = json_loads(v.content, 0, NULL);
            json_t *o =
                json_pack("{s:I,s:I,s:o}", "application_id", (json_int_t)ap.id, "version_no",
                          (json_int_t)v.version_no, "content", content ? content : json_null());
            json_object_set_new(o, "sha256", v.sha256 ? json_string(v.sha256) : json_null());
            json_object_set_new(o, "submitted_at", api_time(v.submitted_at));
            http_response_json(resp, 200, o);
        }
    }
    store_tx_end(tx);
}

/* The content a new application starts from: the unit's registry profile. */
static json_t *initial_content(const struct unit *u)
{
    json_t *o = json_object();
    json_object_set_new(o, "profile", api_unit_encode(u, true, true));
    json_t *p = json_object_get(o, "profile");
    json_object_del(p, "oncall"); /* the roster is the registry's, not the application's */
    return o;
}

void api_applications_create(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    int64_t cid;
    if (!api_authenticate(app, req, resp, &who) || !(cid = api_param_id(req, resp, 0)))
        return;
    struct auth_object own = {.unit_id = who.unit_id};
    if (!api_allow(req, resp, &who, AUTH_APPLICATION_WRITE, &own))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct sel_campaign c;
    struct unit u;
    struct store_application ap = {.campaign_id = cid, .unit_id = who.unit_id};
    int64_t now = yj_now_ms(app->clock);
    char *content = NULL;
    enum yj_err rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_campaign_get(tx, cid, req->arena, &c, &err);
    if (!rc && c.stage == SEL_STAGE_DRAFT)
        rc = yj_error_set(&err, YJ_ENOTFOUND, NULL, "no such campaign");
    if (!rc && (c.stage != SEL_STAGE_OPEN || now > c.deadline_at || now < c.opens_at))
        rc = yj_error_set(&err, YJ_ECONFLICT, "campaign_id",
                          "the campaign is not accepting applications");
    if (!rc)
        rc = store_unit_get(tx, who.unit_id, false, req->arena, &u, &err);
    if (!rc) {
        json_t *doc = initial_content(&u);
        content = api_application_canonical(doc);
        json_decref(doc);
        rc = content ? store_application_insert(tx, &ap, content, now, &err)
                     : yj_error_set(&err, YJ_ENOMEM, NULL, "out of memory");
    }
    if (!rc) {
        char changes[64];
        snprintf(changes, sizeof changes, "{\"campaign_id\":%lld,\"unit_id\":%lld}", (long long)cid,
                 (long long)who.unit_id);
        struct audit_entry e = api_audit_entry(&who, req, "application.create", "application",
                                               api_id_str(req->arena, ap.id), changes);
        rc = audit_append(tx, &e, now, &err);
    }
    if (!rc)
        rc = store_tx_commit(tx, &err);
    json_t *d = NULL;
    if (!rc && !(rc = store_application_get(tx, ap.id, req->arena, &ap, &err)))
        d = detail_json(tx, req, &who, &ap, &err);
    store_tx_end(tx);
    free(content);
    if (rc || !d) {
        api_fail(resp, &err);
        return;
    }
    answer(req, resp, 201, d, ap.version);
    http_response_header(
        resp, "Location",
        yj_arena_printf(req->arena, "/api/v1/applications/%lld", (long long)ap.id));
}

/* A draft may change while the campaign is open and before the deadline; one
 * returned for correction also during review. */
static enum yj_err editable(const struct store_application *ap,
                            const struct store_application_facts *f, int64_t now,
                            struct yj_error *err)
{
    return sel_application_editable(ap->status, f->campaign_stage, f->deadline_at, now, err);
}

/* Decodes and checks a content document as a draft. */
static enum yj_err content_check(struct api_app *app, struct http_request *req, const json_t *doc,
                                 struct sel_application *a, struct yj_error *err)
{
    char today[11];
    yj_date_cst(yj_now_ms(app->clock), today);
    enum yj_err rc = api_application_decode(doc, req->arena, a, err);
    return rc ? rc : sel_application_validate(a, NULL, false, today, err);
}

void api_applications_content(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    int64_t want;
    /* The role first: a caller who may never write learns 403, not what the
     * request lacks. The unit itself is checked once the application is loaded. */
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_APPLICATION_WRITE, NULL) ||
        !(want = api_if_match(req, resp, false)))
        return;
    json_t *patch = api_body(req, resp);
    if (!patch)
        return;
    struct yj_error err;
    yj_error_clear(&err);
    if (json_object_get(patch, "attachments")) {
        json_decref(patch);
        yj_error_set(&err, YJ_EINVAL, "attachments",
                     "read-only: upload files to /api/v1/applications/{id}/attachments");
        api_fail(resp, &err);
        return;
    }
    struct store_tx *tx = NULL;
    struct store_application ap;
    struct store_application_facts f;
    struct store_application_version v;
    struct sel_application a;
    json_t *before = NULL, *merged = NULL, *diff = NULL;
    char *text = NULL, *changes = NULL;
    int64_t now = yj_now_ms(app->clock);
    enum yj_err rc = store_write_begin(app->store, &tx, &err);
    bool ok = !rc && load(app, req, resp, &who, AUTH_APPLICATION_WRITE, tx, &ap, &f);
    if (ok) {
        if (ap.version != want)
            rc = yj_error_set(&err, YJ_EPRECOND, "If-Match", "the application changed meanwhile");
        if (!rc)
            rc = editable(&ap, &f, now, &err);
        if (!rc)
            rc = store_application_version_get(tx, ap.id, ap.current_version, req->arena, &v, &err);
        if (!rc) {
            before = json_loads(v.content, 0, NULL);
            merged = api_merge_patch(before, patch);
            if (!before || !merged)
                rc = yj_error_set(&err, YJ_EINTERNAL, NULL, "stored content unreadable");
        }
        if (!rc)
            rc = content_check(app, req, merged, &a, &err);
        if (!rc) {
            /* Stored as our own encoding, so the document is always the canonical one. */
            json_t *canon = api_application_encode(&a);
            text = api_application_canonical(canon);
            diff = api_json_diff(before, canon);
            changes = dump(diff);
            json_decref(canon);
            v.content = text;
            v.updated_at = now;
            rc = text ? store_application_version_put(tx, &v, &err)
                      : yj_error_set(&err, YJ_ENOMEM, NULL, "out of memory");
        }
        if (!rc)
            rc = store_application_update(tx, &ap, want, now, &err);
        struct audit_entry e = api_audit_entry(&who, req, "application.update", "application",
                                               api_id_str(req->arena, ap.id), changes);
        if (!rc)
            rc = audit_append(tx, &e, now, &err);
        if (!rc)
            rc = store_tx_commit(tx, &err);
    }
    json_t *d = NULL;
    if (ok && !rc)
        d = detail_json(tx, req, &who, &ap, &err);
    store_tx_end(tx);
    json_decref(patch);
    json_decref(before);
    json_decref(merged);
    json_decref(diff);
    free(text);
    free(changes);
    if (!ok && !rc)
        return;
    if (rc || !d) {
        api_fail(resp, &err);
        return;
    }
    answer(req, resp, 200, d, ap.version);
}

/* Freezes the working version: completeness, hash, pre-check. */
static enum yj_err freeze(struct http_request *req, const struct auth_subject *who,
                          struct store_tx *tx, struct store_application *ap, int64_t now,
                          char *hash_out, struct yj_error *err)
{
    struct store_application_version v;
    struct sel_application a;
    struct sel_attachment_counts counts;
    struct sel_campaign c;
    struct store_grade *grades;
    struct store_ban *bans;
    size_t ng, nb;
    struct sel_unit_history h;
    struct sel_eligibility el;
    char today[11];
    yj_date_cst(now, today);
    enum yj_err rc =
        store_application_version_get(tx, ap->id, ap->current_version, req->arena, &v, err);
    json_t *doc = rc ? NULL : json_loads(v.content, 0, NULL);
    if (!rc && !doc)
        rc = yj_error_set(err, YJ_EINTERNAL, NULL, "stored content unreadable");
    if (!rc)
        rc = api_application_decode(doc, req->arena, &a, err);
    json_decref(doc);
    if (!rc)
        rc = store_application_attachment_counts(tx, ap->id, &counts, err);
    if (!rc)
        rc = sel_application_validate(&a, &counts, true, today, err);
    if (!rc)
        rc = store_campaign_get(tx, ap->campaign_id, req->arena, &c, err);
    if (!rc)
        rc = store_unit_history_get(tx, ap->unit_id, req->arena, &grades, &ng, &bans, &nb, &h, err);
    if (rc)
        return rc;
    /* The frozen version names its files by SHA-256, so the hash on the paper copy's
     * cover covers the attachments too. */
    struct store_attachment *files;
    size_t nf;
    rc = store_attachment_list(tx, ap->id, req->arena, &files, &nf, err);
    if (rc)
        return rc;
    json_t *frozen = api_application_encode(&a);
    json_t *manifest = json_array();
    for (size_t i = 0; i < nf; i++)
        json_array_append_new(
            manifest,
            json_pack("{s:I,s:s,s:s,s:s,s:I,s:s}", "id", (json_int_t)files[i].id, "kind",
                      files[i].kind, "filename", files[i].filename, "sha256", files[i].sha256,
                      "size", (json_int_t)files[i].size, "media_type", files[i].media_type));
    json_object_set_new(frozen, "attachments", manifest);
    char *text = api_application_canonical(frozen);
    json_decref(frozen);
    if (!text)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    v.content = yj_arena_strdup(req->arena, text);
    free(text);
    unsigned char digest[32];
    yj_sha256(v.content, strlen(v.content), digest);
    yj_hex(digest, sizeof digest, hash_out);
    v.sha256 = hash_out;
    v.submitted_at = now;
    v.submitted_by = who->user_id;
    v.updated_at = now;
    /* Facts are judged at the deadline, as the notice says. */
    sel_eligibility_check(&c, &a, &h, c.deadline_at, &el);
    ap->status = "submitted";
    ap->submitted_version = ap->current_version;
    /* The first submission counts for the ranking's tie-break: a correction the
     * authority asked for must not cost the unit its place in time. */
    if (!ap->submitted_at)
        ap->submitted_at = now;
    /* A corrected application is judged afresh. */
    ap->eligibility_override = NULL;
    ap->override_reason = NULL;
    ap->override_by = 0;
    ap->override_at = 0;
    ap->eligibility = el.eligible ? "eligible" : "ineligible";
    ap->direct_entry = el.direct_entry;
    rc = store_application_version_put(tx, &v, err);
    if (!rc)
        rc = store_eligibility_put(tx, ap->id, &el, now, err);
    return rc;
}

void api_applications_submit(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    int64_t want;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_APPLICATION_WRITE, NULL) ||
        !(want = api_if_match(req, resp, false)))
        return;
    struct yj_error err;
    yj_error_clear(&err);
    struct store_tx *tx = NULL;
    struct store_application ap;
    struct store_application_facts f;
    char hash[65];
    int64_t now = yj_now_ms(app->clock);
    enum yj_err rc = store_write_begin(app->store, &tx, &err);
    bool ok = !rc && load(app, req, resp, &who, AUTH_APPLICATION_WRITE, tx, &ap, &f);
    if (ok) {
        if (ap.version != want)
            rc = yj_error_set(&err, YJ_EPRECOND, "If-Match", "the application changed meanwhile");
        if (!rc)
            rc = editable(&ap, &f, now, &err);
        if (!rc)
            rc = freeze(req, &who, tx, &ap, now, hash, &err);
        if (!rc)
            rc = store_application_update(tx, &ap, want, now, &err);
        if (!rc) {
            char changes[160];
            snprintf(changes, sizeof changes,
                     "{\"version_no\":%lld,\"sha256\":\"%s\",\"eligibility\":\"%s\"}",
                     (long long)ap.current_version, hash, ap.eligibility);
            struct audit_entry e = api_audit_entry(&who, req, "application.submit", "application",
                                                   api_id_str(req->arena, ap.id), changes);
            rc = audit_append(tx, &e, now, &err);
        }
        if (!rc)
            rc = store_tx_commit(tx, &err);
    }
    json_t *d = NULL;
    if (ok && !rc)
        d = detail_json(tx, req, &who, &ap, &err);
    store_tx_end(tx);
    if (!ok && !rc)
        return;
    if (rc || !d) {
        api_fail(resp, &err);
        return;
    }
    answer(req, resp, 200, d, ap.version);
}

/* The authority's actions on a submitted application share this shape: load with
 * AUTH_APPLICATION_MANAGE, check the version, change, audit, answer the detail. */
typedef enum yj_err (*manage_fn)(struct api_app *app, struct http_request *req, const json_t *body,
                                 struct store_tx *tx, struct store_application *ap, int64_t who_id,
                                 int64_t now, char *changes, size_t n, struct yj_error *err);

static void manage(struct api_app *app, struct http_request *req, struct http_response *resp,
                   const char *action, manage_fn fn)
{
    struct auth_subject who;
    int64_t want;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_APPLICATION_MANAGE, NULL) ||
        !(want = api_if_match(req, resp, false)))
        return;
    json_t *body = api_body(req, resp);
    if (!body)
        return;
    struct yj_error err;
    yj_error_clear(&err);
    struct store_tx *tx = NULL;
    struct store_application ap;
    struct store_application_facts f;
    char changes[2048] = "{}";
    int64_t now = yj_now_ms(app->clock);
    enum yj_err rc = store_write_begin(app->store, &tx, &err);
    bool ok = !rc && load(app, req, resp, &who, AUTH_APPLICATION_MANAGE, tx, &ap, &f);
    if (ok) {
        if (ap.version != want)
            rc = yj_error_set(&err, YJ_EPRECOND, "If-Match", "the application changed meanwhile");
        if (!rc)
            rc = fn(app, req, body, tx, &ap, who.user_id, now, changes, sizeof changes, &err);
        if (!rc)
            rc = store_application_update(tx, &ap, want, now, &err);
        struct audit_entry e = api_audit_entry(&who, req, action, "application",
                                               api_id_str(req->arena, ap.id), changes);
        if (!rc)
            rc = audit_append(tx, &e, now, &err);
        if (!rc)
            rc = store_tx_commit(tx, &err);
    }
    json_t *d = NULL;
    if (ok && !rc)
        d = detail_json(tx, req, &who, &ap, &err);
    store_tx_end(tx);
    json_decref(body);
    if (!ok && !rc)
        return;
    if (rc || !d) {
        api_fail(resp, &err);
        return;
    }
    answer(req, resp, 200, d, ap.version);
}

/* JSON text of one string, for the changes of an audit record. */
static void quoted(const char *s, char *out, size_t n)
{
    json_t *j = json_string(s ? s : "");
    char *t = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
    snprintf(out, n, "%s", t ? t : "\"\"");
    free(t);
    json_decref(j);
}

static enum yj_err reason_field(const json_t *body, const char *key, struct yj_arena *a,
                                const char **out, struct yj_error *err)
{
    enum yj_err rc = api_get_string(body, key, true, a, out, err);
    if (!rc && (!**out || yj_utf8_chars(*out) > UNIT_LONG_TEXT_MAX ||
                !yj_utf8_text_ok(*out, strlen(*out))))
        rc = yj_error_set(err, YJ_EINVAL, key, "1 to %d characters of text", UNIT_LONG_TEXT_MAX);
    return rc;
}

static enum yj_err do_return(struct api_app *app, struct http_request *req, const json_t *body,
                             struct store_tx *tx, struct store_application *ap, int64_t who_id,
                             int64_t now, char *changes, size_t n, struct yj_error *err)
{
    (void)app;
    static const char *const keys[] = {"reason", NULL};
    const char *reason = NULL;
    struct store_application_facts f;
    struct store_application_version v;
    enum yj_err rc = api_check_keys(body, keys, err);
    if (!rc)
        rc = reason_field(body, "reason", req->arena, &reason, err);
    if (!rc)
        rc = store_application_facts(tx, ap->id, who_id, req->arena, &f, err);
    if (!rc && strcmp(ap->status, "submitted") != 0)
        rc = yj_error_set(err, YJ_ECONFLICT, "status", "only a submitted application is returned");
    if (!rc && strcmp(f.campaign_stage, "open") != 0 && strcmp(f.campaign_stage, "review") != 0)
        rc = yj_error_set(err, YJ_ECONFLICT, "stage", "the campaign no longer takes corrections");
    if (!rc)
        rc = store_application_version_get(tx, ap->id, ap->current_version, req->arena, &v, err);
    if (rc)
        return rc;
    /* The frozen version is kept as it was; the correction is a new version. */
    v.returned_at = now;
    v.returned_by = who_id;
    v.return_reason = reason;
    rc = store_application_version_put(tx, &v, err);
    struct store_application_version next = {.application_id = ap->id,
                                             .version_no = ap->current_version + 1,
                                             .content = v.content,
                                             .created_at = now,
                                             .updated_at = now};
    if (!rc)
        rc = store_application_version_put(tx, &next, err);
    ap->status = "returned";
    ap->current_version = next.version_no;
    char q[1024];
    quoted(reason, q, sizeof q);
    snprintf(changes, n, "{\"returned_version\":%lld,\"reason\":%s}",
             (long long)next.version_no - 1, q);
    return rc;
}

/* Facts about a selection stop changing once its list is under notice. */
static enum yj_err before_publication(struct store_tx *tx, const struct store_application *ap,
                                      int64_t who_id, struct http_request *req,
                                      struct yj_error *err)
{
    struct store_application_facts f;
    enum yj_err rc = store_application_facts(tx, ap->id, who_id, req->arena, &f, err);
    if (!rc && strcmp(f.campaign_stage, "open") != 0 && strcmp(f.campaign_stage, "review") != 0)
        rc = yj_error_set(err, YJ_ECONFLICT, "stage",
                          "the campaign's list is already under notice or published");
    return rc;
}

static enum yj_err do_paper(struct api_app *app, struct http_request *req, const json_t *body,
                            struct store_tx *tx, struct store_application *ap, int64_t who_id,
                            int64_t now, char *changes, size_t n, struct yj_error *err)
{
    (void)app;
    (void)tx;
    static const char *const keys[] = {"matches", "note", NULL};
    bool matches = false;
    const char *note = NULL;
    enum yj_err rc = api_check_keys(body, keys, err);
    if (!rc && !json_is_boolean(json_object_get(body, "matches")))
        rc = yj_error_set(err, YJ_EINVAL, "matches", "say whether the paper copy matches");
    if (!rc)
        rc = api_get_bool(body, "matches", &matches, err);
    if (!rc)
        rc = api_get_text(body, "note", false, UNIT_LONG_TEXT_MAX, req->arena, &note, err);
    if (!rc && !ap->submitted_version)
        rc = yj_error_set(err, YJ_ECONFLICT, "status", "nothing has been submitted yet");
    if (!rc)
        rc = before_publication(tx, ap, who_id, req, err);
    if (rc)
        return rc;
    ap->paper_received_at = now;
    ap->paper_matches = matches;
    ap->paper_note = note;
    ap->paper_by = who_id;
    char q[1024];
    quoted(note, q, sizeof q);
    snprintf(changes, n, "{\"paper_matches\":%s,\"version_no\":%lld,\"note\":%s}",
             matches ? "true" : "false", (long long)ap->submitted_version, q);
    return YJ_OK;
}

static enum yj_err do_override(struct api_app *app, struct http_request *req, const json_t *body,
                               struct store_tx *tx, struct store_application *ap, int64_t who_id,
                               int64_t now, char *changes, size_t n, struct yj_error *err)
{
    (void)app;
    (void)tx;
    static const char *const keys[] = {"eligible", "reason", NULL};
    bool eligible = false;
    const char *reason = NULL;
    enum yj_err rc = api_check_keys(body, keys, err);
    if (!rc && !json_is_boolean(json_object_get(body, "eligible")))
        rc = yj_error_set(err, YJ_EINVAL, "eligible", "true or false is required");
    if (!rc)
        rc = api_get_bool(body, "eligible", &eligible, err);
    if (!rc)
        rc = reason_field(body, "reason", req->arena, &reason, err);
    if (!rc && !ap->submitted_version)
        rc = yj_error_set(err, YJ_ECONFLICT, "status", "nothing has been submitted yet");
    if (!rc)
        rc = before_publication(tx, ap, who_id, req, err);
    if (rc)
        return rc;
    const char *old = effective_eligibility(ap);
    ap->eligibility_override = eligible ? "eligible" : "ineligible";
    ap->override_reason = reason;
    ap->override_by = who_id;
    ap->override_at = now;
    char q[1024];
    quoted(reason, q, sizeof q);
    snprintf(changes, n, "{\"eligibility\":{\"old\":\"%s\",\"new\":\"%s\"},\"reason\":%s}", old,
             ap->eligibility_override, q);
    return YJ_OK;
}

void api_applications_return(void *app, struct http_request *req, struct http_response *resp)
{
    manage(app, req, resp, "application.return", do_return);
}

void api_applications_paper(void *app, struct http_request *req, struct http_response *resp)
{
    manage(app, req, resp, "application.paper", do_paper);
}

void api_applications_override(void *app, struct http_request *req, struct http_response *resp)
{
    manage(app, req, resp, "application.eligibility_override", do_override);
}
