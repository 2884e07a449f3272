/*
 * api_incidents.h - the HTTP side of incidents and dispatch: handlers (routes in
 * routes_incidents.inc), the JSON encoders they share, and the timer job that
 * serve's background loop runs.
 */
#ifndef YJ_API_API_INCIDENTS_H
#define YJ_API_API_INCIDENTS_H

#include <jansson.h>

#include "api/api.h"
#include "http/http.h"
#include "store/store_incidents.h"

/* incidents_api.c */
void api_incidents_list(void *app, struct http_request *req, struct http_response *resp);
void api_incidents_create(void *app, struct http_request *req, struct http_response *resp);
void api_incidents_board(void *app, struct http_request *req, struct http_response *resp);
void api_incidents_get(void *app, struct http_request *req, struct http_response *resp);
void api_incidents_patch(void *app, struct http_request *req, struct http_response *resp);
void api_incidents_grade(void *app, struct http_request *req, struct http_response *resp);
void api_incidents_status(void *app, struct http_request *req, struct http_response *resp);
void api_incidents_final_report(void *app, struct http_request *req, struct http_response *resp);
void api_incidents_merge(void *app, struct http_request *req, struct http_response *resp);
void api_incidents_note(void *app, struct http_request *req, struct http_response *resp);

/* incident_reference_api.c */
void api_ref_incident_classes(void *app, struct http_request *req, struct http_response *resp);
void api_ref_incident_levels(void *app, struct http_request *req, struct http_response *resp);
void api_ref_incident_level_patch(void *app, struct http_request *req, struct http_response *resp);
void api_ref_incident_class_patch(void *app, struct http_request *req, struct http_response *resp);
void api_ref_grading_rule_put(void *app, struct http_request *req, struct http_response *resp);
void api_ref_report_deadline_patch(void *app, struct http_request *req, struct http_response *resp);
void api_ref_grading_rules(void *app, struct http_request *req, struct http_response *resp);
void api_ref_report_deadlines(void *app, struct http_request *req, struct http_response *resp);
void api_grading_proposal(void *app, struct http_request *req, struct http_response *resp);

/* dispatch_api.c */
void api_dispatch_suggestions(void *app, struct http_request *req, struct http_response *resp);
void api_dispatch_create(void *app, struct http_request *req, struct http_response *resp);
void api_dispatch_list(void *app, struct http_request *req, struct http_response *resp);
void api_dispatch_get(void *app, struct http_request *req, struct http_response *resp);
void api_dispatch_action(void *app, struct http_request *req, struct http_response *resp);
void api_dispatch_notes(void *app, struct http_request *req, struct http_response *resp);
void api_dispatch_redispatch(void *app, struct http_request *req, struct http_response *resp);

/* --- shared by the files above (incident_json.c) ------------------------------------- */

/* Encoders; each returns a new reference. full false leaves out what a list does not
 * need (description, indicators, ransom, grading facts, final report). */
json_t *api_incident_json(const struct store_incident *i, bool full);
json_t *api_dispatch_json(const struct store_dispatch *d, bool with_notes);
json_t *api_inc_event_json(const struct store_inc_event *e);
json_t *api_evidence_json(const struct store_evidence *e);

/* Decodes grading facts ({"importance": "...", "loss": "...", "social_impact": 2,
 * "personal_records": 1200000, ...}); unknown keys and bad values are YJ_EINVAL naming
 * "facts.<key>". */
enum yj_err api_grading_facts_decode(json_t *o, struct inc_grading_facts *f, struct yj_error *err);
json_t *api_grading_facts_json(const struct inc_grading_facts *f);

/* The level row with this code in levels[0..n), or NULL. */
const struct inc_level *api_level_find(const struct inc_level *levels, size_t n, const char *code);

/* Appends a timeline entry as the caller (or the system when who is NULL). detail
 * (may be NULL) is taken. */
enum yj_err api_inc_event(struct store_tx *tx, int64_t incident_id, int64_t now,
                          const struct auth_subject *who, const char *kind, int64_t unit_id,
                          json_t *detail, struct yj_error *err);

/* dispatch_api.c, shared with the timers: */
struct notify_recipient;
/* "2026-11-22 15:33" (China Standard Time), arena text. */
const char *api_cst(struct yj_arena *a, int64_t ms);
/* Whom to tell about a unit's dispatch: its on-call people at now, its interface
 * person (and with leads its emergency and support leads), its users in-app. */
enum yj_err api_unit_recipients(struct store_tx *tx, int64_t unit_id, int64_t now, bool leads,
                                struct yj_arena *a, struct notify_recipient *to, size_t max,
                                size_t *n, struct yj_error *err);
/* duty_api.c: the authority's duty desk as a recipient (*set false when neither
 * its e-mail nor its phone is configured; out is then only a name). */
enum yj_err api_duty_recipient(struct store_tx *tx, struct yj_arena *a,
                               struct notify_recipient *out, bool *set, struct yj_error *err);
/* Queues the notice of a dispatch (repeat > 0: the repeat-th reminder). */
enum yj_err api_dispatch_notice(struct store_tx *tx, const struct store_dispatch *d,
                                const struct store_incident *i, const char *level_zh, int repeat,
                                int64_t now, struct yj_arena *a, struct yj_error *err);
/* Creates a dispatch with its timers, notice and timeline entry (out filled, joined
 * names included). who NULL: the system. */
enum yj_err api_dispatch_open(struct store_tx *tx, const struct auth_subject *who,
                              const struct store_incident *i, const struct inc_level *lvl,
                              int64_t unit_id, bool urgent, const char *instructions,
                              int64_t replaces, int64_t now, struct yj_arena *a,
                              struct store_dispatch *out, struct yj_error *err);

/* incident_timers.c: fires every stored timer due at now (breaches, escalation,
 * repeated urgent notices), each in its own write transaction with its effects, so
 * none fires twice. *next_due gets the earliest pending due time (0: none). Returns
 * how many fired. */
size_t api_incident_timers_run(struct api_app *app, int64_t now, int64_t *next_due);

#endif
