/*
 * incident_json.c - incidents, dispatches, timeline entries and evidence as the
 * API shows them; grading facts both ways; timeline appends.
 */
#include "api/api_incidents.h"
#include "api/api_int.h"

/* Stored JSON text back into JSON (NULL text: null). */
static json_t *stored_json(const char *text)
{
    if (!text)
        return json_null();
    json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);
    return v ? v : json_null();
}

json_t *api_incident_json(const struct store_incident *i, bool full)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(i->id));
    json_object_set_new(o, "version", json_integer(i->version));
    json_object_set_new(o, "title", json_string(i->title));
    json_object_set_new(o, "status", json_string(inc_status_code(i->status)));
    json_object_set_new(o, "class_code", api_str_or_null(i->class_code));
    json_object_set_new(o, "subclass_code", api_str_or_null(i->subclass_code));
    json_object_set_new(o, "level", api_str_or_null(i->level));
    json_object_set_new(o, "level_proposed", api_str_or_null(i->level_proposed));
    json_object_set_new(o, "affected_org", json_string(i->affected_org));
    json_object_set_new(o, "affected_system", api_str_or_null(i->affected_system));
    json_object_set_new(o, "operator_type", json_string(i->operator_type));
    json_object_set_new(o, "province", api_str_or_null(i->province));
    json_object_set_new(o, "city", api_str_or_null(i->city));
    json_object_set_new(o, "discovered_at", api_time(i->discovered_at));
    json_object_set_new(o, "source", json_string(i->source));
    json_object_set_new(o, "source_unit_id", api_id_or_null(i->source_unit_id));
    json_object_set_new(o, "parent_id", api_id_or_null(i->parent_id));
    json_object_set_new(o, "merged_into", api_id_or_null(i->merged_into));
    json_object_set_new(o, "resolved_at", api_time(i->resolved_at));
    json_object_set_new(o, "closed_at", api_time(i->closed_at));
    json_object_set_new(o, "created_at", api_time(i->created_at));
    json_object_set_new(o, "updated_at", api_time(i->updated_at));
    if (!full)
        return o;
    json_object_set_new(o, "description", api_str_or_null(i->description));
    json_object_set_new(o, "indicators", stored_json(i->indicators ? i->indicators : "[]"));
    json_object_set_new(o, "ransom", stored_json(i->ransom));
    json_object_set_new(o, "level_reason", api_str_or_null(i->level_reason));
    json_object_set_new(o, "level_override_reason", api_str_or_null(i->level_override_reason));
    json_object_set_new(o, "grading_facts", stored_json(i->grading_facts));
    json_object_set_new(o, "graded_at", api_time(i->graded_at));
    json_object_set_new(o, "final_report", stored_json(i->final_report));
    return o;
}

json_t *api_dispatch_json(const struct store_dispatch *d, bool with_notes)
{
    const struct inc_dispatch *x = &d->d;
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(d->id));
    json_object_set_new(o, "version", json_integer(d->version));
    json_object_set_new(o, "incident_id", json_integer(d->incident_id));
    json_object_set_new(o, "incident_title", api_str_or_null(d->incident_title));
    json_object_set_new(o, "incident_level", api_str_or_null(d->incident_level));
    json_object_set_new(o, "unit_id", json_integer(d->unit_id));
    json_object_set_new(o, "unit_name", api_str_or_null(d->unit_name));
    json_object_set_new(o, "status", json_string(inc_dispatch_status_code(x->status)));
    json_object_set_new(o, "urgent", json_boolean(d->urgent));
    json_object_set_new(o, "instructions", api_str_or_null(d->instructions));
    json_object_set_new(o, "notified_at", api_time(x->notified_at));
    json_object_set_new(o, "ack_due_at", api_time(x->ack_due_at));
    json_object_set_new(o, "commit_due_at", api_time(x->commit_due_at));
    json_object_set_new(o, "accepted_at", api_time(x->accepted_at));
    json_object_set_new(o, "declined_at", api_time(x->declined_at));
    json_object_set_new(o, "decline_reason", api_str_or_null(d->decline_reason));
    json_object_set_new(o, "plan_started_at", api_time(x->plan_started_at));
    json_object_set_new(o, "on_site_at", api_time(x->on_site_at));
    json_object_set_new(o, "on_site_people", api_str_or_null(d->on_site_people));
    json_object_set_new(o, "remote_support_at", api_time(x->remote_support_at));
    json_object_set_new(o, "resolved_at", api_time(x->resolved_at));
    json_object_set_new(o, "withdrawn_at", api_time(x->withdrawn_at));
    json_object_set_new(o, "withdraw_reason", api_str_or_null(d->withdraw_reason));
    json_object_set_new(o, "ack_breached_at", api_time(x->ack_breached_at));
    json_object_set_new(o, "commit_breached_at", api_time(x->commit_breached_at));
    json_object_set_new(o, "next_deadline", api_time(inc_dispatch_next_deadline(x)));
    json_object_set_new(o, "replaces", api_id_or_null(d->replaces));
    if (with_notes)
        json_object_set_new(o, "unit_notes", api_str_or_null(d->unit_notes));
    json_object_set_new(o, "created_at", api_time(d->created_at));
    json_object_set_new(o, "updated_at", api_time(d->updated_at));
    return o;
}

json_t *api_inc_event_json(const struct store_inc_event *e)
{
    return json_pack("{s:I,s:o,s:s,s:o,s:s,s:o,s:o}", "seq", (json_int_t)e->seq, "at",
                     api_time(e->at), "actor", e->actor, "actor_id", api_id_or_null(e->actor_id),
                     "kind", e->kind, "unit_id",
                     api_id_or_null(e->unit_id == STORE_EVENT_AUTHORITY ? 0 : e->unit_id), "detail",
                     stored_json(e->detail));
}

json_t *api_evidence_json(const struct store_evidence *e)
{
    json_t *o = json_object();
    json_object_set_new(o, "incident_id", json_integer(e->incident_id));
    json_object_set_new(o, "seq", json_integer(e->seq));
    json_object_set_new(o, "sha256", json_string(e->sha256));
    json_object_set_new(o, "filename", json_string(e->filename));
    json_object_set_new(o, "media_type", json_string(e->media_type));
    json_object_set_new(o, "size", json_integer(e->size));
    json_object_set_new(o, "note", api_str_or_null(e->note));
    json_object_set_new(o, "added_by", json_integer(e->added_by));
    json_object_set_new(o, "added_by_name", api_str_or_null(e->added_by_name));
    json_object_set_new(o, "unit_id", api_id_or_null(e->unit_id));
    json_object_set_new(o, "added_at", api_time(e->added_at));
    json_object_set_new(o, "prev_hash", json_string(e->prev_hash));
    json_object_set_new(o, "entry_hash", json_string(e->entry_hash));
    return o;
}

/* --- grading facts ------------------------------------------------------------------- */

/* The social-impact scale is the levels' own; their codes are fixed by the schema. */
static const char *const severity_codes[] = {NULL, "extraordinary", "major", "significant",
                                             "general"};

static int64_t *metric_slot(struct inc_grading_facts *f, const char *key)
{
    static const struct {
        const char *key;
        size_t off;
    } slots[] = {
        {"people_affected", offsetof(struct inc_grading_facts, people_affected)},
        {"personal_records", offsetof(struct inc_grading_facts, personal_records)},
        {"direct_loss_cny", offsetof(struct inc_grading_facts, direct_loss_cny)},
        {"cii_outage_whole_min", offsetof(struct inc_grading_facts, cii_outage_whole_min)},
        {"cii_outage_main_min", offsetof(struct inc_grading_facts, cii_outage_main_min)},
        {"portal_down_min", offsetof(struct inc_grading_facts, portal_down_min)},
        {"defacement_min", offsetof(struct inc_grading_facts, defacement_min)},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(slots); i++)
        if (strcmp(key, slots[i].key) == 0)
            return (int64_t *)(void *)((char *)f + slots[i].off);
    return NULL;
}

static const char *const metric_keys[] = {
    "people_affected",     "personal_records", "direct_loss_cny", "cii_outage_whole_min",
    "cii_outage_main_min", "portal_down_min",  "defacement_min"};

enum yj_err api_grading_facts_decode(json_t *o, struct inc_grading_facts *f, struct yj_error *err)
{
    inc_grading_facts_init(f);
    if (!json_is_object(o))
        return yj_error_set(err, YJ_EINVAL, "facts", "must be an object");
    const char *key;
    json_t *v;
    json_object_foreach (o, key, v) {
        char field[96];
        snprintf(field, sizeof field, "facts.%s", key);
        if (json_is_null(v))
            continue;
        int64_t *slot = metric_slot(f, key);
        if (slot) {
            if (!json_is_integer(v) || json_integer_value(v) < 0)
                return yj_error_set(err, YJ_EINVAL, field, "must be a whole number >= 0");
            *slot = json_integer_value(v);
        } else if (strcmp(key, "importance") == 0) {
            if (!json_is_string(v) || inc_importance_parse(json_string_value(v), &f->importance))
                return yj_error_set(err, YJ_EINVAL, field,
                                    "must be especially_important, important or general");
        } else if (strcmp(key, "loss") == 0) {
            if (!json_is_string(v) || inc_loss_parse(json_string_value(v), &f->loss))
                return yj_error_set(err, YJ_EINVAL, field,
                                    "must be especially_serious, serious, larger or smaller");
        } else if (strcmp(key, "social_impact") == 0) {
            int sev = 0;
            for (int i = 1; i <= 4 && json_is_string(v); i++)
                if (strcmp(json_string_value(v), severity_codes[i]) == 0)
                    sev = i;
            if (!sev)
                return yj_error_set(err, YJ_EINVAL, field, "must be a level code");
            f->social_impact = sev;
        } else {
            return yj_error_set(err, YJ_EINVAL, field, "unknown fact");
        }
    }
    return YJ_OK;
}

json_t *api_grading_facts_json(const struct inc_grading_facts *f)
{
    json_t *o = json_object();
    if (f->importance != INC_IMP_UNKNOWN)
        json_object_set_new(o, "importance", json_string(inc_importance_code(f->importance)));
    if (f->loss != INC_LOSS_UNKNOWN)
        json_object_set_new(o, "loss", json_string(inc_loss_code(f->loss)));
    if (f->social_impact >= 1 && f->social_impact <= 4)
        json_object_set_new(o, "social_impact", json_string(severity_codes[f->social_impact]));
    struct inc_grading_facts copy = *f;
    for (size_t i = 0; i < YJ_ARRAY_LEN(metric_keys); i++) {
        int64_t v = *metric_slot(&copy, metric_keys[i]);
        if (v >= 0)
            json_object_set_new(o, metric_keys[i], json_integer(v));
    }
    return o;
}

const struct inc_level *api_level_find(const struct inc_level *levels, size_t n, const char *code)
{
    for (size_t i = 0; code && i < n; i++)
        if (strcmp(levels[i].code, code) == 0)
            return &levels[i];
    return NULL;
}

enum yj_err api_inc_event(struct store_tx *tx, int64_t incident_id, int64_t now,
                          const struct auth_subject *who, const char *kind, int64_t unit_id,
                          json_t *detail, struct yj_error *err)
{
    char *text = detail ? json_dumps(detail, JSON_COMPACT) : strdup("{}");
    json_decref(detail);
    if (!text)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    struct store_inc_event e = {
        .incident_id = incident_id,
        .at = now,
        .actor_id = who ? who->user_id : 0,
        .actor = who ? who->username : "system",
        .kind = kind,
        .unit_id = unit_id,
        .detail = text,
    };
    enum yj_err rc = store_inc_event_append(tx, &e, err);
    free(text);
    return rc;
}
