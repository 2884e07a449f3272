/*
 * review_api.c - reviewing submitted applications: the background review by the
 * security reviewers, expert panels, conflict-of-interest declarations and the
 * experts' score sheets.
 */
#include "api/api_int.h"
#include "api/api_review.h"

/* The application the path names, with the caller's relation to it, decided by the
 * policy for action; answers and returns false when refused. */
static bool application(struct http_request *req, struct http_response *resp,
                        const struct auth_subject *who, enum auth_action action,
                        struct store_tx *tx, struct store_application *ap,
                        struct store_application_facts *f)
{
    struct yj_error err;
    int64_t id = api_param_id(req, resp, 0);
    if (!id)
        return false;
    enum yj_err rc = store_application_facts(tx, id, who->user_id, req->arena, f, &err);
    if (!rc) {
        struct auth_object obj = {.unit_id = f->unit_id,
                                  .owner_user_id = who->user_id,
                                  .assigned = f->assigned,
                                  .conflicted = f->conflicted,
                                  .panel_closed = f->panel_closed};
        rc = auth_policy_check(who, action, &obj, &err);
    }
    if (!rc)
        rc = store_application_get(tx, id, req->arena, ap, &err);
    if (!rc && !ap->submitted_version)
        rc = yj_error_set(&err, YJ_ENOTFOUND, NULL, "no such application");
    if (rc) {
        api_fail(resp, &err);
        return false;
    }
    return true;
}

static bool begin(struct api_app *app, struct http_response *resp, bool write, struct store_tx **tx)
{
    struct yj_error err;
    enum yj_err rc =
        write ? store_write_begin(app->store, tx, &err) : store_read_begin(app->store, tx, &err);
    if (rc)
        api_fail(resp, &err);
    return rc == YJ_OK;
}

/* Commits and answers body (taken), or answers the error. */
static void finish(struct store_tx *tx, struct http_response *resp, enum yj_err rc,
                   struct yj_error *err, int status, json_t *body)
{
    if (!rc && tx)
        rc = store_tx_commit(tx, err);
    store_tx_end(tx);
    if (rc) {
        json_decref(body);
        api_fail(resp, err);
        return;
    }
    if (body)
        http_response_json(resp, status, body);
    else
        http_response_empty(resp);
}

/* --- the background review ---------------------------------------------------------- */

/* What a background reviewer sees: who the applicant is and what it does, its key
 * people; not finances, cases, scores or attachments. */
void api_security_view(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    struct store_tx *tx = NULL;
    struct store_application ap;
    struct store_application_facts f;
    struct store_application_version v;
    struct yj_error err;
    if (!api_authenticate(app, req, resp, &who) || !begin(app, resp, false, &tx))
        return;
    if (!application(req, resp, &who, AUTH_APPLICATION_READ_SECURITY, tx, &ap, &f)) {
        store_tx_end(tx);
        return;
    }
    enum yj_err rc =
        store_application_version_get(tx, ap.id, ap.submitted_version, req->arena, &v, &err);
    json_t *doc = rc ? NULL : json_loads(v.content, 0, NULL);
    json_t *profile = json_object_get(doc, "profile");
    json_t *out =
        json_pack("{s:I,s:I,s:s,s:s}", "application_id", (json_int_t)ap.id, "unit_id",
                  (json_int_t)ap.unit_id, "unit_name", ap.unit_name, "credit_code", ap.credit_code);
    static const char *const basic[] = {"legal_representative",
                                        "registered_capital",
                                        "founded_on",
                                        "business_scope",
                                        "registration_authority",
                                        "province",
                                        "city",
                                        "address",
                                        NULL};
    for (const char *const *k = basic; profile && *k; k++)
        if (json_object_get(profile, *k))
            json_object_set(out, *k, json_object_get(profile, *k));
    json_t *staff = json_array();
    json_t *list = json_object_get(profile, "staff");
    size_t i;
    json_t *p;
    json_array_foreach (list, i, p) {
        json_t *s = json_object();
        static const char *const keys[] = {"name", "department", "post", "certificates", NULL};
        for (const char *const *k = keys; *k; k++)
            if (json_object_get(p, *k))
                json_object_set(s, *k, json_object_get(p, *k));
        json_array_append_new(staff, s);
    }
    json_object_set_new(out, "key_staff", staff);
    json_object_set(out, "main_business", json_object_get(doc, "main_business"));
    json_object_set(out, "qualifications", json_object_get(doc, "qualifications"));
    json_object_set_new(out, "security_result", json_string(ap.security_result));
    json_object_set_new(out, "security_notes",
                        ap.security_notes ? json_string(ap.security_notes) : json_null());
    json_object_set_new(out, "security_at", api_time(ap.security_at));
    json_decref(doc);
    store_tx_end(tx);
    if (rc) {
        json_decref(out);
        api_fail(resp, &err);
        return;
    }
    http_response_json(resp, 200, out);
}

void api_security_review(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const keys[] = {"result", "notes", NULL};
    struct auth_subject who;
    struct store_tx *tx = NULL;
    struct store_application ap;
    struct store_application_facts f;
    struct yj_error err;
    yj_error_clear(&err);
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_SECURITY_REVIEW, NULL))
        return;
    json_t *body = api_body(req, resp);
    if (!body)
        return;
    const char *result = NULL, *notes = NULL;
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc)
        rc = api_get_string(body, "result", true, req->arena, &result, &err);
    if (!rc && strcmp(result, "pass") != 0 && strcmp(result, "fail") != 0)
        rc = yj_error_set(&err, YJ_EINVAL, "result", "pass or fail");
    if (!rc)
        rc = api_get_string(body, "notes", false, req->arena, &notes, &err);
    if (!rc && notes &&
        (yj_utf8_chars(notes) > UNIT_LONG_TEXT_MAX || !yj_utf8_text_ok(notes, strlen(notes))))
        rc = yj_error_set(&err, YJ_EINVAL, "notes", "at most %d characters of text",
                          UNIT_LONG_TEXT_MAX);
    if (!rc && strcmp(result, "fail") == 0 && (!notes || !*notes))
        rc = yj_error_set(&err, YJ_EINVAL, "notes", "say why the review failed");
    json_decref(body);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    int64_t now = yj_now_ms(app->clock);
    if (!begin(app, resp, true, &tx))
        return;
    if (!application(req, resp, &who, AUTH_SECURITY_REVIEW, tx, &ap, &f)) {
        store_tx_end(tx);
        return;
    }
    if (strcmp(f.campaign_stage, "review") != 0)
        rc = yj_error_set(&err, YJ_ECONFLICT, "stage",
                          "background reviews are decided while the campaign is in review");
    else if (strcmp(ap.status, "submitted") != 0)
        rc = yj_error_set(&err, YJ_ECONFLICT, "status",
                          "the application is back with the unit for correction");
    const char *old = ap.security_result;
    ap.security_result = result;
    ap.security_notes = notes;
    ap.security_by = who.user_id;
    ap.security_at = now;
    if (!rc)
        rc = store_application_update(tx, &ap, ap.version, now, &err);
    if (!rc) {
        char changes[96];
        snprintf(changes, sizeof changes, "{\"security_result\":{\"old\":\"%s\",\"new\":\"%s\"}}",
                 old, result);
        struct audit_entry e =
            api_audit_entry(&who, req, "application.security_review", "application",
                            api_id_str(req->arena, ap.id), changes);
        rc = audit_append(tx, &e, now, &err);
    }
    finish(tx, resp, rc, &err, 200,
           json_pack("{s:I,s:s,s:o}", "application_id", (json_int_t)ap.id, "security_result",
                     result, "security_at", api_time(now)));
}

/* --- panels ------------------------------------------------------------------------- */

static json_t *panel_json(const struct store_panel *p)
{
    json_t *e = json_array(), *a = json_array();
    for (size_t i = 0; i < p->n_experts; i++)
        json_array_append_new(e, json_integer(p->experts[i]));
    for (size_t i = 0; i < p->n_applications; i++)
        json_array_append_new(a, json_integer(p->applications[i]));
    json_t *o = json_pack("{s:I,s:I,s:s,s:s,s:o,s:o}", "id", (json_int_t)p->id, "campaign_id",
                          (json_int_t)p->campaign_id, "name", p->name, "status", p->status,
                          "experts", e, "applications", a);
    json_object_set_new(o, "created_at", api_time(p->created_at));
    json_object_set_new(o, "closed_at", api_time(p->closed_at));
    return o;
}

static enum yj_err id_array(const json_t *body, const char *key, struct yj_arena *a, int64_t **out,
                            size_t *n, struct yj_error *err)
{
    const json_t *arr = json_object_get(body, key);
    *out = NULL;
    *n = 0;
    if (!arr || json_is_null(arr))
        return YJ_OK;
    if (!json_is_array(arr) || json_array_size(arr) > 500)
        return yj_error_set(err, YJ_EINVAL, key, "an array of at most 500 ids");
    *out = yj_arena_calloc(a, json_array_size(arr) + 1, sizeof **out);
    if (!*out)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; i < json_array_size(arr); i++) {
        const json_t *v = json_array_get(arr, i);
        if (!json_is_integer(v) || json_integer_value(v) < 1) {
            char path[48];
            snprintf(path, sizeof path, "%s[%zu]", key, i);
            return yj_error_set(err, YJ_EINVAL, path, "must be an id");
        }
        (*out)[(*n)++] = json_integer_value(v);
    }
    return YJ_OK;
}

/* Experts must be expert accounts, applications submitted ones of this campaign. */
static enum yj_err members_valid(struct store_tx *tx, struct yj_arena *a,
                                 const struct store_panel *p, struct yj_error *err)
{
    char path[48];
    for (size_t i = 0; i < p->n_experts; i++) {
        struct store_user u;
        snprintf(path, sizeof path, "experts[%zu]", i);
        if (store_user_get(tx, p->experts[i], a, &u, err) || strcmp(u.role, "expert") != 0 ||
            u.disabled)
            return yj_error_set(err, YJ_EINVAL, path, "not an active expert account");
    }
    for (size_t i = 0; i < p->n_applications; i++) {
        struct store_application ap;
        snprintf(path, sizeof path, "applications[%zu]", i);
        if (store_application_get(tx, p->applications[i], a, &ap, err) ||
            ap.campaign_id != p->campaign_id || !ap.submitted_version)
            return yj_error_set(err, YJ_EINVAL, path,
                                "not a submitted application of this campaign");
    }
    return YJ_OK;
}

void api_panels_list(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    struct store_tx *tx = NULL;
    struct yj_error err;
    int64_t cid;
    if (!api_authenticate(app, req, resp, &who) || !(cid = api_param_id(req, resp, 0)) ||
        !api_allow(req, resp, &who, AUTH_PANEL_READ, NULL) || !begin(app, resp, false, &tx))
        return;
    int64_t expert =
        auth_policy_scope(who.role, AUTH_PANEL_READ) == AUTH_ASSIGNED ? who.user_id : 0;
    static const char *const none[] = {NULL};
    if (!api_query_only(req, resp, none)) {
        store_tx_end(tx);
        return;
    }
    struct store_panel *items;
    struct sel_campaign c;
    size_t n = 0;
    enum yj_err rc = store_campaign_get(tx, cid, req->arena, &c, &err);
    if (!rc && c.stage == SEL_STAGE_DRAFT &&
        auth_policy_check(&who, AUTH_CAMPAIGN_READ_DRAFT, NULL, NULL) != YJ_OK)
        rc = yj_error_set(&err, YJ_ENOTFOUND, NULL, "no such campaign");
    if (!rc)
        rc = store_panel_list(tx, cid, expert, req->arena, &items, &n, &err);
    json_t *arr = json_array();
    for (size_t i = 0; !rc && i < n; i++)
        json_array_append_new(arr, panel_json(&items[i]));
    store_tx_end(tx);
    if (rc) {
        json_decref(arr);
        api_fail(resp, &err);
        return;
    }
    api_list(resp, arr, false, 0);
}

void api_panels_create(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const keys[] = {"name", "experts", "applications", NULL};
    struct auth_subject who;
    struct store_tx *tx = NULL;
    struct yj_error err;
    int64_t cid;
    if (!api_authenticate(app, req, resp, &who) || !(cid = api_param_id(req, resp, 0)) ||
        !api_allow(req, resp, &who, AUTH_PANEL_MANAGE, NULL))
        return;
    json_t *body = api_body(req, resp);
    if (!body)
        return;
    int64_t now = yj_now_ms(app->clock);
    struct store_panel p = {.campaign_id = cid, .created_at = now};
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc)
        rc = api_get_string(body, "name", true, req->arena, &p.name, &err);
    if (!rc && (!*p.name || yj_utf8_chars(p.name) > 100))
        rc = yj_error_set(&err, YJ_EINVAL, "name", "1 to 100 characters");
    if (!rc)
        rc = id_array(body, "experts", req->arena, &p.experts, &p.n_experts, &err);
    if (!rc)
        rc = id_array(body, "applications", req->arena, &p.applications, &p.n_applications, &err);
    json_decref(body);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    if (!begin(app, resp, true, &tx))
        return;
    struct sel_campaign c;
    rc = store_campaign_get(tx, cid, req->arena, &c, &err);
    if (!rc && c.stage != SEL_STAGE_REVIEW)
        rc = yj_error_set(&err, YJ_ECONFLICT, "stage", "panels are formed during review");
    if (!rc)
        rc = members_valid(tx, req->arena, &p, &err);
    if (!rc)
        rc = store_panel_insert(tx, &p, &err);
    json_t *o = rc ? NULL : panel_json(&p);
    if (!rc) {
        char *changes = json_dumps(o, JSON_COMPACT);
        struct audit_entry e = api_audit_entry(&who, req, "panel.create", "panel",
                                               api_id_str(req->arena, p.id), changes);
        rc = audit_append(tx, &e, now, &err);
        free(changes);
    }
    finish(tx, resp, rc, &err, 201, o);
    if (!rc)
        http_response_header(resp, "Location",
                             yj_arena_printf(req->arena, "/api/v1/panels/%lld", (long long)p.id));
}

static bool panel(struct http_request *req, struct http_response *resp,
                  const struct auth_subject *who, enum auth_action action, struct store_tx *tx,
                  struct store_panel *p)
{
    struct yj_error err;
    int64_t id = api_param_id(req, resp, 0);
    if (!id)
        return false;
    enum yj_err rc = store_panel_get(tx, id, req->arena, p, &err);
    bool member = false;
    for (size_t i = 0; !rc && i < p->n_experts; i++)
        member |= p->experts[i] == who->user_id;
    struct auth_object obj = {.assigned = member, .panel_closed = !rc && p->status[0] == 'c'};
    if (!rc)
        rc = auth_policy_check(who, action, &obj, &err);
    if (rc) {
        api_fail(resp, &err);
        return false;
    }
    return true;
}

void api_panels_get(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    struct store_tx *tx = NULL;
    struct store_panel p;
    if (!api_authenticate(app, req, resp, &who) || !begin(app, resp, false, &tx))
        return;
    if (panel(req, resp, &who, AUTH_PANEL_READ, tx, &p))
        http_response_json(resp, 200, panel_json(&p));
    store_tx_end(tx);
}

void api_panels_members(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const keys[] = {"experts", "applications", NULL};
    struct auth_subject who;
    struct store_tx *tx = NULL;
    struct store_panel p;
    struct yj_error err;
    yj_error_clear(&err);
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_PANEL_MANAGE, NULL))
        return;
    json_t *body = api_body(req, resp);
    if (!body)
        return;
    if (!begin(app, resp, true, &tx)) {
        json_decref(body);
        return;
    }
    if (!panel(req, resp, &who, AUTH_PANEL_MANAGE, tx, &p)) {
        json_decref(body);
        store_tx_end(tx);
        return;
    }
    int64_t now = yj_now_ms(app->clock);
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc && strcmp(p.status, "open") != 0)
        rc = yj_error_set(&err, YJ_ECONFLICT, "status", "the panel is closed");
    if (!rc && json_object_get(body, "experts"))
        rc = id_array(body, "experts", req->arena, &p.experts, &p.n_experts, &err);
    if (!rc && json_object_get(body, "applications"))
        rc = id_array(body, "applications", req->arena, &p.applications, &p.n_applications, &err);
    json_decref(body);
    if (!rc)
        rc = members_valid(tx, req->arena, &p, &err);
    if (!rc)
        rc = store_panel_set_members(tx, &p, &err);
    json_t *o = rc ? NULL : panel_json(&p);
    if (!rc) {
        char *changes = json_dumps(o, JSON_COMPACT);
        struct audit_entry e = api_audit_entry(&who, req, "panel.members", "panel",
                                               api_id_str(req->arena, p.id), changes);
        rc = audit_append(tx, &e, now, &err);
        free(changes);
    }
    finish(tx, resp, rc, &err, 200, o);
}

/* Closing a panel aggregates each of its applications' submitted sheets into the
 * application's score (and keeps the tie-break subtotal in the ranking). */
void api_panels_close(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    struct store_tx *tx = NULL;
    struct store_panel p;
    struct yj_error err;
    yj_error_clear(&err);
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_PANEL_MANAGE, NULL) || !begin(app, resp, true, &tx))
        return;
    if (!panel(req, resp, &who, AUTH_PANEL_MANAGE, tx, &p)) {
        store_tx_end(tx);
        return;
    }
    int64_t now = yj_now_ms(app->clock), pending = 0;
    enum yj_err rc = store_panel_pending_sheets(tx, p.id, &pending, &err);
    if (!rc && pending)
        rc = yj_error_set(&err, YJ_ECONFLICT, "status", "%lld score sheets are not submitted yet",
                          (long long)pending);
    for (size_t i = 0; !rc && i < p.n_applications; i++) {
        struct store_score_sheet *sheets;
        size_t n;
        struct store_application ap;
        rc = store_score_sheets(tx, p.applications[i], 0, req->arena, &sheets, &n, &err);
        if (!rc)
            rc = store_application_get(tx, p.applications[i], req->arena, &ap, &err);
        if (rc)
            break;
        int64_t totals[256];
        size_t k = 0;
        for (size_t s = 0; s < n && k < YJ_ARRAY_LEN(totals); s++) {
            if (!sheets[s].submitted_at)
                continue;
            int64_t t = 0;
            for (size_t j = 0; j < sheets[s].n_scores; j++)
                t += sheets[s].scores[j].points;
            totals[k++] = t;
        }
        /* Every expert declared a tie with it: the panel needs another before it closes. */
        if (k == 0) {
            rc = yj_error_set(&err, YJ_ECONFLICT, "experts",
                              "application %lld has no score: add an expert without a conflict",
                              (long long)ap.id);
            break;
        }
        ap.score_centi = sel_aggregate(totals, k);
        rc = store_application_update(tx, &ap, ap.version, now, &err);
    }
    if (!rc)
        rc = store_panel_close(tx, p.id, now, &err);
    if (!rc) {
        struct audit_entry e =
            api_audit_entry(&who, req, "panel.close", "panel", api_id_str(req->arena, p.id), NULL);
        rc = audit_append(tx, &e, now, &err);
    }
    p.status = "closed";
    p.closed_at = now;
    finish(tx, resp, rc, &err, 200, rc ? NULL : panel_json(&p));
}

/* --- conflicts and scores ---------------------------------------------------------- */

void api_conflict_declare(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const keys[] = {"conflicted", "statement", NULL};
    struct auth_subject who;
    struct store_tx *tx = NULL;
    struct store_application ap;
    struct store_application_facts f;
    struct yj_error err;
    yj_error_clear(&err);
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_SCORE_WRITE, NULL))
        return;
    json_t *body = api_body(req, resp);
    if (!body)
        return;
    bool conflicted = false;
    const char *statement = NULL;
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc && !json_is_boolean(json_object_get(body, "conflicted")))
        rc = yj_error_set(&err, YJ_EINVAL, "conflicted", "true or false is required");
    if (!rc)
        rc = api_get_bool(body, "conflicted", &conflicted, &err);
    if (!rc)
        rc = api_get_text(body, "statement", false, UNIT_LONG_TEXT_MAX, req->arena, &statement,
                          &err);
    if (!rc && conflicted && (!statement || !*statement))
        rc = yj_error_set(&err, YJ_EINVAL, "statement", "describe the tie");
    json_decref(body);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    if (!begin(app, resp, true, &tx))
        return;
    if (!application(req, resp, &who, AUTH_SCORE_WRITE, tx, &ap, &f)) {
        store_tx_end(tx);
        return;
    }
    int64_t now = yj_now_ms(app->clock);
    struct store_score_sheet *sheets;
    size_t n;
    rc = store_score_sheets(tx, ap.id, who.user_id, req->arena, &sheets, &n, &err);
    if (!rc && f.panel_closed)
        rc = yj_error_set(&err, YJ_ECONFLICT, "status", "the panel is closed");
    if (!rc && conflicted && n && sheets[0].submitted_at)
        rc = yj_error_set(&err, YJ_ECONFLICT, "conflicted", "the score sheet is already submitted");
    if (!rc)
        rc = store_conflict_put(tx, ap.id, who.user_id, conflicted, statement, now, &err);
    if (!rc && conflicted) /* a declared tie withdraws whatever was scored */
        rc = store_scores_put(tx, ap.id, who.user_id, NULL, 0, now, &err);
    if (!rc) {
        char changes[64];
        snprintf(changes, sizeof changes, "{\"conflicted\":%s}", conflicted ? "true" : "false");
        struct audit_entry e = api_audit_entry(&who, req, "application.conflict", "application",
                                               api_id_str(req->arena, ap.id), changes);
        rc = audit_append(tx, &e, now, &err);
    }
    finish(tx, resp, rc, &err, 200,
           json_pack("{s:I,s:I,s:b}", "application_id", (json_int_t)ap.id, "expert_id",
                     (json_int_t)who.user_id, "conflicted", conflicted));
}

/* A score sheet with the rubric's names next to the points. */
static json_t *sheet_json(const struct sel_campaign *c, const struct store_score_sheet *s)
{
    json_t *scores = json_array();
    int64_t total = 0;
    for (size_t i = 0; i < s->n_scores; i++) {
        const struct store_score *sc = &s->scores[i];
        const struct sel_criterion *k = sc->criterion >= 0 && (size_t)sc->criterion < c->n_criteria
                                            ? &c->criteria[sc->criterion]
                                            : NULL;
        json_t *o = json_pack("{s:s,s:I}", "criterion", k ? k->code : "?", "points",
                              (json_int_t)sc->points);
        json_object_set_new(o, "name", k ? json_string(k->name) : json_null());
        json_object_set_new(o, "max_points", k ? json_integer(k->max_points) : json_null());
        json_object_set_new(o, "comment", sc->comment ? json_string(sc->comment) : json_null());
        json_array_append_new(scores, o);
        total += sc->points;
    }
    json_t *o = json_pack("{s:I,s:s,s:o,s:I}", "expert_id", (json_int_t)s->expert_id, "expert_name",
                          s->expert_name ? s->expert_name : "", "scores", scores, "total",
                          (json_int_t)total);
    json_object_set_new(o, "submitted_at", api_time(s->submitted_at));
    return o;
}

/* The caller's sheet before they saved anything: empty, under the name sheets carry. */
static struct store_score_sheet empty_sheet(struct store_tx *tx, struct http_request *req,
                                            const struct auth_subject *who)
{
    struct store_score_sheet e = {.expert_id = who->user_id, .expert_name = who->username};
    struct store_user u;
    struct yj_error ignored;
    if (store_user_get(tx, who->user_id, req->arena, &u, &ignored) == YJ_OK && u.display_name &&
        u.display_name[0])
        e.expert_name = u.display_name;
    return e;
}

void api_scores_mine_get(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    struct store_tx *tx = NULL;
    struct store_application ap;
    struct store_application_facts f;
    struct yj_error err;
    if (!api_authenticate(app, req, resp, &who) || !begin(app, resp, false, &tx))
        return;
    if (!application(req, resp, &who, AUTH_SCORE_WRITE, tx, &ap, &f)) {
        store_tx_end(tx);
        return;
    }
    struct sel_campaign c;
    struct store_score_sheet *sheets;
    size_t n;
    enum yj_err rc = store_campaign_get(tx, ap.campaign_id, req->arena, &c, &err);
    if (!rc)
        rc = store_score_sheets(tx, ap.id, who.user_id, req->arena, &sheets, &n, &err);
    struct store_score_sheet empty = empty_sheet(tx, req, &who);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_json(resp, 200, sheet_json(&c, n ? &sheets[0] : &empty));
}

/* Reads [{"criterion","points","comment"}] against the rubric; with submit every
 * criterion must be scored. */
static enum yj_err scores_from(const json_t *arr, const struct sel_campaign *c, bool submit,
                               struct yj_arena *a, struct store_score *out, size_t *n,
                               struct yj_error *err)
{
    static const char *const keys[] = {"criterion", "points", "comment", NULL};
    *n = 0;
    if (!json_is_array(arr) || json_array_size(arr) > c->n_criteria)
        return yj_error_set(err, YJ_EINVAL, "scores", "an array with one entry per criterion");
    bool seen[SEL_CRITERIA_MAX] = {false};
    for (size_t i = 0; i < json_array_size(arr); i++) {
        const json_t *o = json_array_get(arr, i);
        char path[48];
        snprintf(path, sizeof path, "scores[%zu]", i);
        const char *code = NULL;
        int64_t points = 0;
        struct store_score *sc = &out[*n];
        memset(sc, 0, sizeof *sc);
        enum yj_err rc = json_is_object(o) ? api_check_keys(o, keys, err)
                                           : yj_error_set(err, YJ_EINVAL, NULL, "an object");
        if (!rc)
            rc = api_get_string(o, "criterion", true, a, &code, err);
        size_t k = 0;
        while (!rc && k < c->n_criteria && strcmp(c->criteria[k].code, code) != 0)
            k++;
        if (!rc && k == c->n_criteria)
            rc = yj_error_set(err, YJ_EINVAL, "criterion", "not a criterion of this rubric");
        if (!rc && seen[k])
            rc = yj_error_set(err, YJ_EINVAL, "criterion", "scored twice");
        if (!rc)
            rc = api_get_int(o, "points", true, 0,
                             c->criteria[k < c->n_criteria ? k : 0].max_points, &points, err);
        if (!rc)
            rc = api_get_text(o, "comment", false, UNIT_LONG_TEXT_MAX, a, &sc->comment, err);
        if (rc) {
            yj_error_prefix_field(err, path);
            return rc;
        }
        seen[k] = true;
        sc->criterion = (int64_t)k;
        sc->points = points;
        (*n)++;
    }
    if (submit)
        for (size_t k = 0; k < c->n_criteria; k++)
            if (!seen[k])
                return yj_error_set(err, YJ_EINVAL, "scores", "score %s before submitting",
                                    c->criteria[k].code);
    return YJ_OK;
}

void api_scores_mine_put(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const keys[] = {"scores", "submit", NULL};
    struct auth_subject who;
    struct store_tx *tx = NULL;
    struct store_application ap;
    struct store_application_facts f;
    struct yj_error err;
    yj_error_clear(&err);
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_SCORE_WRITE, NULL))
        return;
    json_t *body = api_body(req, resp);
    if (!body)
        return;
    if (!begin(app, resp, true, &tx)) {
        json_decref(body);
        return;
    }
    if (!application(req, resp, &who, AUTH_SCORE_WRITE, tx, &ap, &f)) {
        json_decref(body);
        store_tx_end(tx);
        return;
    }
    int64_t now = yj_now_ms(app->clock);
    bool submit = false;
    struct sel_campaign c;
    struct store_score scores[SEL_CRITERIA_MAX] = {{0}};
    size_t n = 0;
    struct store_score_sheet *sheets;
    size_t ns;
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc)
        rc = api_get_bool(body, "submit", &submit, &err);
    if (!rc)
        rc = store_campaign_get(tx, ap.campaign_id, req->arena, &c, &err);
    if (!rc)
        rc = scores_from(json_object_get(body, "scores"), &c, submit, req->arena, scores, &n, &err);
    if (!rc)
        rc = store_score_sheets(tx, ap.id, who.user_id, req->arena, &sheets, &ns, &err);
    if (!rc && ns && sheets[0].submitted_at)
        rc = yj_error_set(&err, YJ_ECONFLICT, "submit", "the score sheet is already submitted");
    if (!rc && f.panel_closed)
        rc = yj_error_set(&err, YJ_ECONFLICT, "status", "the panel is closed");
    if (!rc)
        rc = store_scores_put(tx, ap.id, who.user_id, scores, n, now, &err);
    if (!rc && submit)
        rc = store_score_sheet_submit(tx, ap.id, who.user_id, now, &err);
    if (!rc)
        rc = store_score_sheets(tx, ap.id, who.user_id, req->arena, &sheets, &ns, &err);
    struct store_score_sheet empty = empty_sheet(tx, req, &who);
    json_t *out = rc ? NULL : sheet_json(&c, ns ? &sheets[0] : &empty);
    if (!rc) {
        char *changes = json_dumps(out, JSON_COMPACT);
        struct audit_entry e =
            api_audit_entry(&who, req, submit ? "score.submit" : "score.save", "application",
                            api_id_str(req->arena, ap.id), changes);
        rc = audit_append(tx, &e, now, &err);
        free(changes);
    }
    json_decref(body);
    finish(tx, resp, rc, &err, 200, out);
}

void api_scores_all(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    struct store_tx *tx = NULL;
    struct store_application ap;
    struct store_application_facts f;
    struct yj_error err;
    if (!api_authenticate(app, req, resp, &who) || !begin(app, resp, false, &tx))
        return;
    if (!application(req, resp, &who, AUTH_SCORE_READ_ALL, tx, &ap, &f)) {
        store_tx_end(tx);
        return;
    }
    struct sel_campaign c;
    struct store_score_sheet *sheets;
    size_t n;
    enum yj_err rc = store_campaign_get(tx, ap.campaign_id, req->arena, &c, &err);
    if (!rc)
        rc = store_score_sheets(tx, ap.id, 0, req->arena, &sheets, &n, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, sheet_json(&c, &sheets[i]));
    json_t *o = json_pack("{s:I,s:o}", "application_id", (json_int_t)ap.id, "sheets", arr);
    json_object_set_new(
        o, "score", ap.score_centi >= 0 ? json_real((double)ap.score_centi / 100.0) : json_null());
    http_response_json(resp, 200, o);
}
