/*
 * public_api.c - GET /public/certificates/{number}: anyone may check a
 * certificate's status and history by its number (seed 004: certification
 * bodies publish certificate status). No authentication at all, so the answer
 * carries only what is printed on the certificate and its status history, and
 * each client address is rate-limited (the app's limiter, from `serve
 * --public-limit`) to keep the numbers from being walked.
 */
#include "api/api_certs.h"
#include "api/api_int.h"
#include "core/ratelimit.h"

int64_t api_public_interval_ms(int n)
{
    return (60000 + (int64_t)n - 1) / n;
}

/* Takes a token for the caller's address from the app's limiter (none when the
 * operator turned the limit off); answers 429 with Retry-After and returns false
 * when there is none. */
static bool within_rate(struct api_app *app, struct http_request *req, struct http_response *resp,
                        int64_t now)
{
    if (!app->public_limiter)
        return true;
    int64_t wait = yj_ratelimit_take(app->public_limiter, req->client_ip, now);
    if (wait <= 0)
        return true;
    struct yj_error err;
    yj_error_set(&err, YJ_ERATE, NULL, "too many look-ups from your address; try again later");
    api_fail(resp, &err);
    http_response_header(resp, "Retry-After",
                         yj_arena_printf(req->arena, "%lld", (long long)((wait + 999) / 1000)));
    return false;
}

/* Reads the certificate numbered number with its history. */
static enum yj_err lookup(struct api_app *app, const char *number, struct yj_arena *a,
                          struct cert *c, struct cert_event **ev, size_t *n, struct yj_error *err)
{
    struct store_tx *tx = NULL;
    enum yj_err rc = store_read_begin(app->store, &tx, err);
    if (!rc)
        rc = store_cert_get_by_number(tx, number, a, c, err);
    if (!rc)
        rc = store_cert_events(tx, c->id, a, ev, n, err);
    store_tx_end(tx);
    return rc;
}

void api_public_certificate(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const none[] = {NULL};
    int64_t now = yj_now_ms(app->clock);
    if (!within_rate(app, req, resp, now) || !api_query_only(req, resp, none))
        return;
    struct yj_error err;
    const char *number = req->n_params > 0 ? req->params[0] : "";
    size_t len = strlen(number);
    /* Nothing that could not be a number is looked up; it is simply not found. */
    if (len == 0 || len > CERT_NUMBER_MAX || !yj_utf8_text_ok(number, len)) {
        yj_error_set(&err, YJ_ENOTFOUND, NULL, "no certificate has this number");
        api_fail(resp, &err);
        return;
    }
    struct cert c;
    struct cert_event *ev = NULL;
    size_t n = 0;
    enum yj_err rc = lookup(app, number, req->arena, &c, &ev, &n, &err);
    /* Time has expired it but nobody has recorded that yet: record it now, so that
     * the history shown is the stored one. */
    if (!rc && cert_status_at(c.status, c.valid_to, now) != c.status &&
        certs_expire_due(app->store, c.id, now, NULL, NULL) == YJ_OK)
        rc = lookup(app, number, req->arena, &c, &ev, &n, &err);
    if (rc == YJ_ENOTFOUND)
        yj_error_set(&err, YJ_ENOTFOUND, NULL, "no certificate has this number");
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    json_t *history = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(history, json_pack("{s:s,s:o}", "status", cert_status_code(ev[i].to),
                                                 "at", api_time(ev[i].at)));
    json_t *o =
        json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o}", "number", c.number, "holder_name",
                  c.holder_name, "title", c.title, "issuing_authorities", c.issuing_authorities,
                  "valid_from", c.valid_from, "valid_to", c.valid_to, "status",
                  cert_status_code(cert_status_at(c.status, c.valid_to, now)), "history", history);
    http_response_json(resp, 200, o);
}
