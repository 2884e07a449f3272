/*
 * disposal_api.c - the authority's side of disposal notices (处置通知): from an
 * accepted threat report, the plan of which constituents own its values, sending a
 * notice to each owner (through the outbox, with a link for the owner), the list
 * (open overdue notices first, then by deadline), one notice with its history, and
 * recording the owner's answers given by other means or sending a notice again.
 * Every change is audited in the transaction that makes it.
 *
 * Auditors read everything; a unit reads the notices of the reports it filed, without
 * the owners' contacts.
 */
#include "api/api_disposal.h"
#include "api/api_int.h"
#include "api/api_threats.h"
#include "notify/notify.h"
#include "store/store_constituency.h"
#include "store/store_incidents.h"

/* --- encoding ------------------------------------------------------------------------------- */

json_t *api_disposal_value_json(const struct disposal_value *v)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s}", "value", v->value, "type", intel_type_code(v->type),
                     "type_name_zh", intel_type_name_zh(v->type), "role", v->role, "role_name_zh",
                     disposal_role_name_zh(v->role));
}

static json_t *port_json(int port)
{
    return port > 0 ? json_integer(port) : json_null();
}

json_t *api_disposal_tuple_json(const struct threat_tuple *t)
{
    return json_pack("{s:s,s:o,s:s,s:o,s:s,s:o,s:o,s:I}", "src_ip", t->src_ip, "src_port",
                     port_json(t->src_port), "dst_ip", t->dst_ip, "dst_port",
                     port_json(t->dst_port), "protocol", t->protocol, "first_seen",
                     api_time(t->first_seen), "last_seen", api_time(t->last_seen), "count",
                     (json_int_t)t->count);
}

static json_t *blocks_json(unsigned blocks)
{
    json_t *arr = json_array();
    for (int b = 0; b < THREAT_B__COUNT; b++)
        if (blocks & (1u << b))
            json_array_append_new(arr, json_string(threat_block_code((enum threat_block)b)));
    return arr;
}

/* The scalar facts every view of a notice shows. */
static json_t *facts_json(const struct store_disposal *d, int64_t now)
{
    int64_t left;
    bool open = disposal_remaining(d->status, d->deadline_at, now, &left);
    json_t *o = json_object();
    json_object_set_new(o, "threat_report_title", json_string(d->report_title));
    json_object_set_new(o, "constituent_name", json_string(d->constituent_name));
    json_object_set_new(o, "constituent_kind", json_string(d->constituent_kind));
    json_object_set_new(o, "status", json_string(disposal_status_code(d->status)));
    json_object_set_new(o, "status_name_zh", json_string(disposal_status_name_zh(d->status)));
    json_object_set_new(o, "overdue", json_boolean(d->overdue_at != 0));
    json_object_set_new(o, "overdue_at", api_time(d->overdue_at));
    json_object_set_new(o, "measure", json_string(threat_measure_code(d->measure.measure)));
    json_object_set_new(o, "measure_name_zh",
                        json_string(threat_measure_name_zh(d->measure.measure)));
    json_object_set_new(o, "blocks", blocks_json(d->measure.blocks));
    json_object_set_new(o, "measure_text", api_str_or_null(d->measure.text));
    json_object_set_new(o, "subject", json_string(d->subject));
    json_object_set_new(o, "deadline_at", api_time(d->deadline_at));
    json_object_set_new(o, "remaining_ms", open ? json_integer(left) : json_null());
    json_object_set_new(o, "sent_at", api_time(d->sent_at));
    json_object_set_new(o, "acknowledged_at", api_time(d->acknowledged_at));
    json_object_set_new(o, "acknowledged_by", api_str_or_null(d->acknowledged_by));
    json_object_set_new(o, "handled_at", api_time(d->handled_at));
    json_object_set_new(o, "handled_by", api_str_or_null(d->handled_by));
    json_object_set_new(o, "feedback", api_str_or_null(d->feedback));
    return o;
}

json_t *api_disposal_common_json(const struct store_disposal *d, int64_t now)
{
    json_t *o = facts_json(d, now), *arr = json_array();
    json_object_set_new(o, "text", json_string(d->text));
    for (size_t k = 0; k < d->n_values; k++)
        json_array_append_new(arr, api_disposal_value_json(&d->values[k]));
    json_object_set_new(o, "matched", arr);
    arr = json_array();
    for (size_t k = 0; k < d->n_tuples; k++)
        json_array_append_new(arr, api_disposal_tuple_json(&d->tuples[k]));
    json_object_set_new(o, "five_tuples", arr);
    return o;
}

/* The internal references of a notice (not in the owner's view). */
static void ids_set(json_t *o, const struct store_disposal *d)
{
    json_object_set_new(o, "id", json_integer(d->id));
    json_object_set_new(o, "version", json_integer(d->version));
    json_object_set_new(o, "threat_report_id", json_integer(d->threat_report_id));
    json_object_set_new(o, "constituent_id", json_integer(d->constituent_id));
    json_object_set_new(o, "created_by", json_integer(d->created_by));
    json_object_set_new(o, "created_by_name", api_str_or_null(d->created_by_name));
    json_object_set_new(o, "created_at", api_time(d->created_at));
    json_object_set_new(o, "updated_at", api_time(d->updated_at));
}

static json_t *summary_json(const struct store_disposal *d, int64_t now)
{
    json_t *o = facts_json(d, now);
    ids_set(o, d);
    return o;
}

/* The whole notice with its history; personal false leaves the owner's contacts out. */
static json_t *notice_json(const struct store_disposal *d, const struct store_disposal_event *ev,
                           size_t n_ev, bool personal, int64_t now)
{
    json_t *o = api_disposal_common_json(d, now), *arr = json_array();
    ids_set(o, d);
    for (size_t k = 0; personal && k < d->n_recipients; k++) {
        const struct store_disposal_recipient *r = &d->recipients[k];
        json_array_append_new(
            arr, json_pack("{s:s,s:o,s:o,s:o}", "role", r->role, "name", api_str_or_null(r->name),
                           "email", api_str_or_null(r->email), "phone", api_str_or_null(r->phone)));
    }
    json_object_set_new(o, "recipients", arr);
    if (!personal)
        json_object_set_new(o, "personal_data_hidden", json_true());
    arr = json_array();
    for (size_t k = 0; k < n_ev; k++)
        json_array_append_new(
            arr, json_pack("{s:I,s:o,s:s,s:s,s:o,s:o,s:o}", "seq", (json_int_t)ev[k].seq, "at",
                           api_time(ev[k].at), "action", ev[k].action, "actor", ev[k].actor,
                           "user_id", api_id_or_null(ev[k].user_id), "by",
                           api_str_or_null(ev[k].by), "note", api_str_or_null(ev[k].note)));
    json_object_set_new(o, "events", arr);
    return o;
}

/* The notice id with its events, read in tx, as who may see it. */
static enum yj_err notice_read(struct store_tx *tx, struct yj_arena *a,
                               const struct auth_subject *who, int64_t id, int64_t now,
                               struct store_disposal *d, json_t **out, struct yj_error *err)
{
    struct store_disposal_event *ev = NULL;
    size_t n = 0;
    enum yj_err rc = store_disposal_get(tx, id, a, d, err);
    if (rc == YJ_ENOTFOUND)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "not found");
    /* A notice belongs to the unit that filed its report; the authority's own, to none. */
    struct auth_object obj = {.unit_id = d->report_unit_id ? d->report_unit_id : -1};
    if (!rc)
        rc = auth_policy_check(who, AUTH_DISPOSAL_READ, &obj, err);
    if (!rc)
        rc = store_disposal_events(tx, id, a, &ev, &n, err);
    if (!rc)
        *out = notice_json(d, ev, n, who->role != AUTH_ROLE_UNIT, now);
    return rc;
}

/* --- the plan ------------------------------------------------------------------------------ */

/* What planning and sending read of a report. */
struct plan_ctx {
    struct store_threat_report r;
    struct threat_tuple *tuples;
    size_t n_tuples;
    struct disposal_plan plan;
    int64_t *notified;
    size_t n_notified;
};

static enum yj_err plan_load(struct store_tx *tx, struct yj_arena *a, int64_t report_id,
                             struct plan_ctx *p, struct yj_error *err)
{
    struct threat_indicator *ind;
    struct intel_owned *ranges, *domains;
    size_t ni, nr, nd;
    enum yj_err rc = store_threat_get(tx, report_id, a, &p->r, err);
    if (rc == YJ_ENOTFOUND)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "not found");
    if (!rc)
        rc = store_threat_indicators(tx, report_id, a, &ind, &ni, err);
    if (!rc)
        rc = store_threat_tuples(tx, report_id, a, &p->tuples, &p->n_tuples, err);
    if (!rc)
        rc = store_constituency_owned(tx, a, &ranges, &nr, &domains, &nd, err);
    if (!rc)
        rc = disposal_plan_build(ind, ni, p->tuples, p->n_tuples, ranges, nr, domains, nd, a,
                                 &p->plan, err);
    if (!rc)
        rc = store_disposal_notified(tx, report_id, a, &p->notified, &p->n_notified, err);
    return rc;
}

static bool notified(const struct plan_ctx *p, int64_t constituent_id)
{
    for (size_t k = 0; k < p->n_notified; k++)
        if (p->notified[k] == constituent_id)
            return true;
    return false;
}

static json_t *values_json(const struct disposal_value *v, size_t n)
{
    json_t *arr = json_array();
    for (size_t k = 0; k < n; k++)
        json_array_append_new(arr, api_disposal_value_json(&v[k]));
    return arr;
}

static json_t *contacts_json(const struct store_constituent *c)
{
    json_t *arr = json_array();
    for (size_t k = 0; k < c->n_contacts; k++) {
        const struct store_constituent_contact *x = &c->contacts[k];
        json_array_append_new(
            arr, json_pack("{s:s,s:o,s:o,s:o}", "role", x->role, "name", api_str_or_null(x->name),
                           "email", api_str_or_null(x->email), "phone", api_str_or_null(x->phone)));
    }
    return arr;
}

/* GET /api/v1/threat-reports/{id}/disposal-plan */
void api_disposal_plan(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const none[] = {NULL};
    struct auth_subject who;
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_DISPOSAL_WRITE, NULL) ||
        !api_query_only(req, resp, none) || !(id = api_param_id(req, resp, 0)))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct plan_ctx p;
    json_t *items = json_array();
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = plan_load(tx, req->arena, id, &p, &err);
    for (size_t k = 0; !rc && k < p.plan.n_owners; k++) {
        const struct disposal_owner *o = &p.plan.owners[k];
        struct store_constituent c;
        json_t *tuples = json_array();
        if ((rc = store_constituent_get(tx, o->constituent_id, req->arena, &c, &err)))
            break;
        for (size_t t = 0; t < o->n_tuples; t++)
            json_array_append_new(tuples, api_disposal_tuple_json(&p.tuples[o->tuples[t]]));
        json_array_append_new(items, json_pack("{s:I,s:s,s:s,s:o,s:o,s:o,s:b}", "constituent_id",
                                               (json_int_t)c.id, "constituent_name", c.name, "kind",
                                               c.kind, "contacts", contacts_json(&c), "matched",
                                               values_json(o->values, o->n_values), "five_tuples",
                                               tuples, "already_notified", notified(&p, c.id)));
    }
    store_tx_end(tx);
    if (rc) {
        json_decref(items);
        api_fail(resp, &err);
        return;
    }
    http_response_json(resp, 200,
                       json_pack("{s:I,s:s,s:o,s:o}", "report_id", (json_int_t)id, "report_status",
                                 threat_status_code(p.r.status), "items", items, "unowned",
                                 values_json(p.plan.unowned, p.plan.n_unowned)));
}

/* --- sending ------------------------------------------------------------------------------- */

/* What a send asks for besides the report. */
struct send_req {
    int64_t deadline_at, hours;
    struct disposal_override o;
    int64_t *targets; /* NULL: every owner not yet notified */
    size_t n_targets;
};

static enum yj_err decode_blocks(const json_t *v, unsigned *out, struct yj_error *err)
{
    size_t i;
    const json_t *it;
    if (!json_is_array(v))
        return yj_error_set(err, YJ_EINVAL, "blocks", "must be an array");
    *out = 0;
    json_array_foreach (v, i, it) {
        enum threat_block b;
        if (!json_is_string(it) || threat_block_parse(json_string_value(it), &b)) {
            char field[32];
            snprintf(field, sizeof field, "blocks[%zu]", i);
            return yj_error_set(err, YJ_EINVAL, field,
                                "must be domain_resolution, ip, url, account or number");
        }
        *out |= 1u << b;
    }
    return YJ_OK;
}

static enum yj_err decode_targets(const json_t *v, struct yj_arena *a, struct send_req *s,
                                  struct yj_error *err)
{
    if (!json_is_array(v) || json_array_size(v) == 0 ||
        json_array_size(v) > API_DISPOSAL_TARGETS_MAX)
        return yj_error_set(err, YJ_EINVAL, "constituent_ids",
                            "must be an array of 1 to %d constituent ids",
                            API_DISPOSAL_TARGETS_MAX);
    s->targets = yj_arena_calloc(a, json_array_size(v), sizeof *s->targets);
    if (!s->targets)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    size_t i;
    const json_t *it;
    json_array_foreach (v, i, it) {
        json_int_t id = json_is_integer(it) ? json_integer_value(it) : 0;
        const char *why = id < 1 ? "must be a constituent id" : NULL;
        for (size_t k = 0; !why && k < i; k++)
            if (s->targets[k] == id)
                why = "listed twice";
        if (why)
            return yj_error_set(err, YJ_EINVAL, yj_arena_printf(a, "constituent_ids[%zu]", i), "%s",
                                why);
        s->targets[s->n_targets++] = id;
    }
    return YJ_OK;
}

static enum yj_err decode_send(const json_t *body, struct yj_arena *a, struct send_req *s,
                               struct yj_error *err)
{
    static const char *const keys[] = {"deadline_at", "deadline_hours",  "measure", "blocks",
                                       "text",        "constituent_ids", NULL};
    const char *measure = NULL;
    const json_t *v;
    *s = (struct send_req){0};
    enum yj_err rc = api_check_keys(body, keys, err);
    if (!rc)
        rc = api_get_time(body, "deadline_at", false, &s->deadline_at, err);
    if (!rc)
        rc = api_get_int(body, "deadline_hours", false, 1, DISPOSAL_HOURS_MAX, &s->hours, err);
    if (!rc)
        rc = api_get_text(body, "measure", false, 32, a, &measure, err);
    if (!rc && measure && threat_measure_parse(measure, &s->o.measure))
        rc = yj_error_set(err, YJ_EINVAL, "measure",
                          "must be stop_service, block_resource, remove_malware, order_fix or "
                          "other");
    s->o.has_measure = measure != NULL;
    if (!rc && (v = json_object_get(body, "blocks")) && !json_is_null(v)) {
        s->o.has_blocks = true;
        rc = decode_blocks(v, &s->o.blocks, err);
    }
    if (!rc && (v = json_object_get(body, "text"))) {
        s->o.has_text = true;
        rc = api_get_text(body, "text", false, API_DISPOSAL_MEASURE_TEXT_MAX, a, &s->o.text, err);
    }
    if (!rc && (v = json_object_get(body, "constituent_ids")) && !json_is_null(v))
        rc = decode_targets(v, a, s, err);
    return rc;
}

/* The contacts a notice goes to: the abuse and security contacts, or when there are
 * none the others; only those with an e-mail address or a phone. */
static size_t recipients_pick(const struct store_constituent *c, struct yj_arena *a,
                              struct store_disposal_recipient **out)
{
    size_t n = 0;
    *out = yj_arena_calloc(a, c->n_contacts + 1, sizeof **out);
    for (int pass = 0; pass < 2 && n == 0; pass++)
        for (size_t k = 0; k < c->n_contacts && n < NOTIFY_RECIPIENTS_MAX - 1; k++) {
            const struct store_constituent_contact *x = &c->contacts[k];
            bool main_role = strcmp(x->role, "abuse") == 0 || strcmp(x->role, "security") == 0;
            if (main_role == (pass == 0) && (x->email || x->phone))
                (*out)[n++] =
                    (struct store_disposal_recipient){x->role, x->name, x->email, x->phone};
        }
    return n;
}

static enum yj_err audit_notice(struct store_tx *tx, const struct auth_subject *who,
                                const struct http_request *req, const char *action, int64_t id,
                                json_t *changes, int64_t now, struct yj_error *err)
{
    return api_threat_audit(tx, who, req, action, "disposal", id, changes, now, err);
}

/* Makes, records and queues the notice to one owner. */
static enum yj_err send_one(struct store_tx *tx, const struct auth_subject *who,
                            struct http_request *req, const struct plan_ctx *p,
                            const struct disposal_owner *o, const struct store_constituent *c,
                            const struct threat_disposal *measure, int64_t deadline_at, int64_t now,
                            struct store_disposal *d, struct yj_error *err)
{
    struct yj_arena *a = req->arena;
    char token[DISPOSAL_TOKEN_LEN + 1], hash[65];
    *d = (struct store_disposal){
        .threat_report_id = p->r.id,
        .constituent_id = c->id,
        .constituent_name = c->name,
        .constituent_kind = c->kind,
        .status = DISPOSAL_SENT,
        .measure = *measure,
        .deadline_at = deadline_at,
        .created_by = who->user_id,
        .created_at = now,
        .sent_at = now,
        .updated_at = now,
        .report_title = p->r.title,
        .report_unit_id = p->r.unit_id,
        .created_by_name = who->username,
        .values = o->values,
        .n_values = o->n_values,
        .n_tuples = o->n_tuples,
    };
    d->n_recipients = recipients_pick(c, a, &d->recipients);
    d->tuples = yj_arena_calloc(a, o->n_tuples + 1, sizeof *d->tuples);
    for (size_t k = 0; d->tuples && k < o->n_tuples; k++)
        d->tuples[k] = p->tuples[o->tuples[k]];
    struct disposal_facts f = {c->name,     c->kind,   p->r.title,  p->r.category, o->values,
                               o->n_values, d->tuples, o->n_tuples, &d->measure,   deadline_at};
    api_disposal_token(token, hash);
    d->token_hash = yj_arena_strdup(a, hash);
    struct store_disposal_event ev = {
        .at = now, .action = "sent", .actor = "user", .user_id = who->user_id, .by = who->username};
    enum yj_err rc = d->tuples ? disposal_compose(&f, a, &d->subject, &d->text, err)
                               : yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    if (!rc)
        rc = store_disposal_insert(tx, d, err);
    if (!rc)
        rc = store_disposal_event_add(tx, d->id, &ev, err);
    if (!rc)
        rc = store_timer_add(tx, API_DISPOSAL_TIMER, d->id, deadline_at, err);
    if (!rc)
        rc = api_disposal_mail(tx, d, token, ev.seq, now, a, err);
    if (!rc)
        rc = audit_notice(
            tx, who, req, "disposal.send", d->id,
            json_pack("{s:I,s:I,s:s,s:o,s:s,s:I,s:I}", "threat_report_id", (json_int_t)p->r.id,
                      "constituent_id", (json_int_t)c->id, "constituent_name", c->name,
                      "deadline_at", api_time(deadline_at), "measure",
                      threat_measure_code(measure->measure), "values", (json_int_t)o->n_values,
                      "recipients", (json_int_t)d->n_recipients),
            now, err);
    return rc;
}

/* POST /api/v1/threat-reports/{id}/disposals */
void api_disposal_send(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const none[] = {NULL};
    struct auth_subject who;
    int64_t id;
    json_t *body;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_DISPOSAL_WRITE, NULL) ||
        !api_query_only(req, resp, none) || !(id = api_param_id(req, resp, 0)) ||
        !(body = api_body(req, resp)))
        return;
    struct yj_error err;
    struct yj_arena *a = req->arena;
    int64_t now = yj_now_ms(app->clock), deadline = 0;
    struct send_req s;
    struct plan_ctx p = {0};
    struct threat_disposal measure;
    struct store_tx *tx = NULL;
    json_t *items = json_array(), *skipped = json_array();
    enum yj_err rc = decode_send(body, a, &s, &err);
    json_decref(body);
    if (!rc)
        rc = disposal_deadline(now, s.deadline_at, s.hours, &deadline, &err);
    if (!rc)
        rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = plan_load(tx, a, id, &p, &err);
    if (!rc && p.r.status != THREAT_ACCEPTED)
        rc = yj_error_set(&err, YJ_ECONFLICT, "status",
                          "only an accepted report's values are disposed of; this one is %s",
                          threat_status_code(p.r.status));
    if (!rc)
        rc = disposal_measure(&p.r.disposal, &s.o, &measure, &err);
    if (!rc && p.plan.n_owners == 0)
        rc =
            yj_error_set(&err, YJ_EINCOMPLETE, NULL, "no constituent owns any value of the report");
    /* Who: the ones asked for (each must own something in the report), or every owner. */
    size_t n = s.targets ? s.n_targets : p.plan.n_owners;
    for (size_t k = 0; !rc && k < n; k++) {
        int64_t cid = s.targets ? s.targets[k] : p.plan.owners[k].constituent_id;
        const struct disposal_owner *o = disposal_plan_find(&p.plan, cid);
        struct store_constituent c;
        struct store_disposal d;
        const char *why = NULL;
        if (!o) {
            rc = yj_error_set(&err, YJ_EINVAL, yj_arena_printf(a, "constituent_ids[%zu]", k),
                              "the constituent owns no value of the report");
            break;
        }
        if (notified(&p, cid))
            why = "already_notified";
        else if ((rc = store_constituent_get(tx, cid, a, &c, &err)))
            break;
        else if (!recipients_pick(&c, a, &d.recipients))
            why = "no_contact";
        if (why) {
            json_array_append_new(
                skipped, json_pack("{s:I,s:s}", "constituent_id", (json_int_t)cid, "reason", why));
            continue;
        }
        rc = send_one(tx, &who, req, &p, o, &c, &measure, deadline, now, &d, &err);
        if (!rc) {
            struct store_disposal_event ev = {.seq = 1,
                                              .at = now,
                                              .action = "sent",
                                              .actor = "user",
                                              .user_id = who.user_id,
                                              .by = who.username};
            json_array_append_new(items, notice_json(&d, &ev, 1, true, now));
        }
    }
    if (!rc && json_array_size(items) == 0)
        rc = yj_error_set(&err, YJ_ECONFLICT, "constituent_ids",
                          "nothing was sent: every owner asked for is notified already or has "
                          "no contact");
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        json_decref(items);
        json_decref(skipped);
        api_fail(resp, &err);
        return;
    }
    api_background_kick(app); /* the mails wait in the outbox, the deadlines in the timers */
    http_response_json(resp, 201, json_pack("{s:o,s:o}", "items", items, "skipped", skipped));
}

/* --- reading --------------------------------------------------------------------------------- */

/* GET /api/v1/disposals?status=&overdue=&threat_report_id=&constituent_id= */
void api_disposals_list(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const allowed[] = {
        "status", "overdue", "threat_report_id", "constituent_id", "limit", "cursor", NULL};
    struct auth_subject who;
    struct api_page page;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_DISPOSAL_READ, NULL) ||
        !api_query_only(req, resp, allowed) || !api_page_parse(req, resp, &page))
        return;
    struct yj_error err;
    struct store_disposal_query q = {.status = http_query(req, "status"),
                                     .overdue = -1,
                                     .after_id = page.after,
                                     .limit = page.limit + 1};
    const char *overdue = http_query(req, "overdue"), *rid = http_query(req, "threat_report_id"),
               *cid = http_query(req, "constituent_id");
    enum disposal_status st;
    enum yj_err rc = YJ_OK;
    if (q.status && disposal_status_parse(q.status, &st))
        rc = yj_error_set(&err, YJ_EINVAL, "status", "must be sent, acknowledged or handled");
    if (!rc && overdue && strcmp(overdue, "true") && strcmp(overdue, "false"))
        rc = yj_error_set(&err, YJ_EINVAL, "overdue", "must be true or false");
    if (!rc && rid && yj_parse_i64(rid, 1, INT64_MAX, &q.threat_report_id))
        rc = yj_error_set(&err, YJ_EINVAL, "threat_report_id", "must be a report id");
    if (!rc && cid && yj_parse_i64(cid, 1, INT64_MAX, &q.constituent_id))
        rc = yj_error_set(&err, YJ_EINVAL, "constituent_id", "must be a constituent id");
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    if (overdue)
        q.overdue = strcmp(overdue, "true") == 0;
    /* A unit's list is that of its own reports whatever it asks for. */
    if (auth_policy_scope(who.role, AUTH_DISPOSAL_READ) == AUTH_OWN_UNIT)
        q.unit_id = who.unit_id;
    struct store_tx *tx = NULL;
    struct store_disposal *items = NULL;
    size_t n = 0;
    int64_t now = yj_now_ms(app->clock);
    rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_disposal_list(tx, &q, req->arena, &items, &n, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    bool more = api_page_trim(&page, &n);
    json_t *arr = json_array();
    for (size_t k = 0; k < n; k++)
        json_array_append_new(arr, summary_json(&items[k], now));
    api_list(resp, arr, more, n ? items[n - 1].id : 0);
}

void api_disposals_get(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const none[] = {NULL};
    struct auth_subject who;
    int64_t id;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_DISPOSAL_READ, NULL) || !api_query_only(req, resp, none) ||
        !(id = api_param_id(req, resp, 0)))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_disposal d;
    json_t *out = NULL;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = notice_read(tx, req->arena, &who, id, yj_now_ms(app->clock), &d, &out, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_header(resp, "ETag", api_etag(req->arena, d.version));
    http_response_json(resp, 200, out);
}

/* --- the authority records a step ------------------------------------------------------------ */

/*
 * The frame of the authority's steps: an optional If-Match, an optional body with the
 * one text key (note or feedback), one write transaction that loads, steps, audits
 * and answers the notice with its new ETag.
 */
static void step_route(struct api_app *app, struct http_request *req, struct http_response *resp,
                       enum disposal_step step, const char *key, bool required, size_t max,
                       const char *audit_action)
{
    static const char *const none[] = {NULL};
    struct auth_subject who;
    int64_t id, want = 0;
    json_t *body = NULL;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_DISPOSAL_WRITE, NULL) ||
        !api_query_only(req, resp, none) || !(id = api_param_id(req, resp, 0)) ||
        (http_header(req, "If-Match") && !(want = api_if_match(req, resp, false))))
        return;
    /* No body at all is an empty one: there may be nothing to say. */
    if (req->body_len == 0)
        body = json_object();
    else if (!(body = api_body(req, resp)))
        return;
    struct yj_error err;
    struct yj_arena *a = req->arena;
    int64_t now = yj_now_ms(app->clock);
    const char *keys[] = {key, NULL}, *text = NULL;
    struct store_tx *tx = NULL;
    struct store_disposal d = {0};
    json_t *out = NULL;
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc)
        rc = api_get_text(body, key, required, max, a, &text, &err);
    json_decref(body);
    if (!rc)
        rc = store_write_begin(app->store, &tx, &err);
    if (!rc && (rc = store_disposal_get(tx, id, a, &d, &err)) == YJ_ENOTFOUND)
        rc = yj_error_set(&err, YJ_ENOTFOUND, NULL, "not found");
    if (!rc && want && want != d.version)
        rc = yj_error_set(&err, YJ_EPRECOND, "If-Match", "the notice changed meanwhile");
    struct api_disposal_actor actor = {"user", who.user_id, who.username};
    enum disposal_status from = d.status;
    if (!rc)
        rc = api_disposal_step(tx, &d, step, &actor, text, now, a, &err);
    if (!rc)
        rc = audit_notice(tx, &who, req, audit_action, id,
                          json_pack("{s:s,s:s,s:s?,s:I}", "from", disposal_status_code(from), "to",
                                    disposal_status_code(d.status), key, text, "version",
                                    (json_int_t)d.version),
                          now, &err);
    if (!rc)
        rc = notice_read(tx, a, &who, id, now, &d, &out, &err);
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    if (rc) {
        json_decref(out);
        api_fail(resp, &err);
        return;
    }
    api_background_kick(app);
    http_response_header(resp, "ETag", api_etag(a, d.version));
    http_response_json(resp, 200, out);
}

/* POST …/acknowledge {"note"}: the owner confirmed receipt by other means. */
void api_disposals_acknowledge(void *app, struct http_request *req, struct http_response *resp)
{
    step_route(app, req, resp, DISPOSAL_STEP_ACKNOWLEDGE, "note", false, DISPOSAL_NOTE_MAX,
               "disposal.acknowledge");
}

/* POST …/handled {"feedback"}: the owner reported the result by other means. */
void api_disposals_handled(void *app, struct http_request *req, struct http_response *resp)
{
    step_route(app, req, resp, DISPOSAL_STEP_HANDLE, "feedback", true, DISPOSAL_FEEDBACK_MAX,
               "disposal.handled");
}

/* POST …/resend {"note"}: the same notice again, with a new link. */
void api_disposals_resend(void *app, struct http_request *req, struct http_response *resp)
{
    step_route(app, req, resp, DISPOSAL_STEP_RESEND, "note", false, DISPOSAL_NOTE_MAX,
               "disposal.resend");
}
