/*
 * api_disposal.h - the HTTP side of disposal notices (处置通知): the authority plans
 * and sends notices from an accepted threat report to the constituents owning its
 * values and tracks them (disposal_api.c); the owners open their notice through the
 * link in the e-mail, acknowledge it and report it handled (disposal_public.c); a
 * stored timer marks a notice overdue at its deadline. Routes in routes_disposal.inc;
 * docs/api-disposal.md is the prose contract.
 */
#ifndef YJ_API_API_DISPOSAL_H
#define YJ_API_API_DISPOSAL_H

#include <jansson.h>

#include "api/api.h"
#include "http/http.h"
#include "store/store_disposal.h"

enum {
    API_DISPOSAL_BODY_MAX = 64 * 1024,
    API_DISPOSAL_TARGETS_MAX = 200, /* constituent_ids in one send */
    API_DISPOSAL_MEASURE_TEXT_MAX = 2000,
};

/* The kind of the stored timer that marks a notice overdue at its deadline. */
#define API_DISPOSAL_TIMER "disposal.deadline"
/* The owner's page; its links carry the token in the fragment ("/disposal.html#<token>"). */
#define API_DISPOSAL_PAGE "/disposal.html"

/* disposal_api.c: the authority's routes */
void api_disposal_plan(void *app, struct http_request *req, struct http_response *resp);
void api_disposal_send(void *app, struct http_request *req, struct http_response *resp);
void api_disposals_list(void *app, struct http_request *req, struct http_response *resp);
void api_disposals_get(void *app, struct http_request *req, struct http_response *resp);
void api_disposals_acknowledge(void *app, struct http_request *req, struct http_response *resp);
void api_disposals_handled(void *app, struct http_request *req, struct http_response *resp);
void api_disposals_resend(void *app, struct http_request *req, struct http_response *resp);

/* disposal_public.c: the owner's routes, no login, the link's token in the path */
void api_public_disposal_get(void *app, struct http_request *req, struct http_response *resp);
void api_public_disposal_acknowledge(void *app, struct http_request *req,
                                     struct http_response *resp);
void api_public_disposal_handled(void *app, struct http_request *req, struct http_response *resp);

/* --- shared by the two files --------------------------------------------------------------- */

/*
 * A new link token (DISPOSAL_TOKEN_LEN characters of URL-safe base64 from 32 random
 * bytes) into token and its hex SHA-256, as stored, into hash.
 */
void api_disposal_token(char token[DISPOSAL_TOKEN_LEN + 1], char hash[65]);

/* Queues the notice d (its subject and text) to its recipients with the link carrying
 * token (event "disposal.sent"), and a copy to the duty desk for government and CII
 * owners; seq (the event's) keeps each sending's messages apart. */
enum yj_err api_disposal_mail(struct store_tx *tx, const struct store_disposal *d,
                              const char *token, int64_t seq, int64_t now, struct yj_arena *a,
                              struct yj_error *err);

/* Who did a step, for the event and the notice's *_by fields. */
struct api_disposal_actor {
    const char *kind; /* "user", "owner", "system" */
    int64_t user_id;  /* with "user" */
    const char *name; /* as shown; may be NULL */
};

/*
 * Applies step to the notice d loaded in tx as actor at now, text being the note
 * (acknowledge, resend) or the feedback (handle; the caller requires it): the state
 * rules (YJ_ECONFLICT "status"), the row, the event; a resend gets a new token (the old
 * link stops working) and its messages; handling cancels the deadline's timer unless
 * it has fired. d is updated (version bumped).
 */
enum yj_err api_disposal_step(struct store_tx *tx, struct store_disposal *d,
                              enum disposal_step step, const struct api_disposal_actor *actor,
                              const char *text, int64_t now, struct yj_arena *a,
                              struct yj_error *err);

/* Fires a timer of kind API_DISPOSAL_TIMER for notice id due at due_at, in the timer's
 * transaction: marks it overdue (once), records the event, audits, and tells the
 * authority's users in-app and the duty desk by e-mail. Nothing when handled. */
enum yj_err api_disposal_timer_fire(struct store_tx *tx, int64_t id, int64_t due_at, int64_t now,
                                    struct yj_arena *a, struct yj_error *err);

/* Encodings (new references). */
json_t *api_disposal_value_json(const struct disposal_value *v);
json_t *api_disposal_tuple_json(const struct threat_tuple *t);
/* The parts both views share: state, measure, deadline, values, five-tuples, answers. */
json_t *api_disposal_common_json(const struct store_disposal *d, int64_t now);

#endif
