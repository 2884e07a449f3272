/*
 * duty_api.c - the authority's duty desk (值班): the one mailbox and phone that
 * missed deadlines and other escalations reach besides the authority's users in
 * the app. Authority accounts carry no e-mail of their own; a duty desk outlives
 * whoever is on shift, so it is an installation setting, changed only by the
 * authority and audited.
 */
#include "api/api_incidents.h"
#include "api/api_int.h"
#include "api/api_notify.h"
#include "notify/notify.h"
#include "units/units.h"

#define DUTY_KEY "notify.duty"

enum { DUTY_NAME_MAX = 100 };

/* The stored setting, or an object of nulls when it was never set. */
static enum yj_err duty_read(struct store_tx *tx, struct yj_arena *a, json_t **out,
                             struct yj_error *err)
{
    char *text = NULL;
    enum yj_err rc = store_setting_get(tx, DUTY_KEY, a, &text, err);
    if (rc == YJ_ENOTFOUND) {
        *out = json_pack("{s:n,s:n,s:n}", "name", "email", "mobile");
        return YJ_OK;
    }
    if (rc)
        return rc;
    *out = json_loads(text, 0, NULL);
    if (!*out)
        return yj_error_set(err, YJ_EIO, "", "the duty setting is not JSON");
    return YJ_OK;
}

enum yj_err api_duty_recipient(struct store_tx *tx, struct yj_arena *a,
                               struct notify_recipient *out, bool *set, struct yj_error *err)
{
    json_t *d;
    enum yj_err rc = duty_read(tx, a, &d, err);
    if (rc)
        return rc;
    const char *email = json_string_value(json_object_get(d, "email"));
    const char *mobile = json_string_value(json_object_get(d, "mobile"));
    const char *name = json_string_value(json_object_get(d, "name"));
    *set = email || mobile;
    *out = (struct notify_recipient){
        .name = name ? yj_arena_strdup(a, name) : "主管部门值班",
        .email = email ? yj_arena_strdup(a, email) : NULL,
        .mobile = mobile ? yj_arena_strdup(a, mobile) : NULL,
    };
    json_decref(d);
    return YJ_OK;
}

void api_duty_get(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    struct auth_subject who;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_OUTBOX_READ, NULL))
        return;
    struct yj_error err;
    struct store_tx *tx = NULL;
    json_t *d = NULL;
    enum yj_err rc = store_read_begin(app->store, &tx, &err);
    if (!rc)
        rc = duty_read(tx, req->arena, &d, &err);
    store_tx_end(tx);
    if (rc) {
        api_fail(resp, &err);
        return;
    }
    http_response_json(resp, 200, d);
}

/* PUT {"name": "...", "email": "...", "mobile": "..."}: the whole setting; a null or
 * missing member clears it. */
void api_duty_put(void *vapp, struct http_request *req, struct http_response *resp)
{
    struct api_app *app = vapp;
    static const char *const keys[] = {"name", "email", "mobile", NULL};
    struct auth_subject who;
    json_t *body;
    if (!api_authenticate(app, req, resp, &who) ||
        !api_allow(req, resp, &who, AUTH_NOTIFY_MANAGE, NULL) || !(body = api_body(req, resp)))
        return;
    struct yj_error err;
    const char *name = NULL, *email = NULL, *mobile = NULL;
    enum yj_err rc = api_check_keys(body, keys, &err);
    if (!rc)
        rc = api_get_text(body, "name", false, DUTY_NAME_MAX, req->arena, &name, &err);
    if (!rc)
        rc = api_get_string(body, "email", false, req->arena, &email, &err);
    if (!rc && email && !unit_email_valid(email))
        rc = yj_error_set(&err, YJ_EINVAL, "email", "not an e-mail address");
    if (!rc)
        rc = api_get_string(body, "mobile", false, req->arena, &mobile, &err);
    if (!rc && mobile && !unit_mobile_valid(mobile) && !unit_phone_valid(mobile))
        rc = yj_error_set(&err, YJ_EINVAL, "mobile", "not a mobile or office phone number");
    json_decref(body);
    json_t *d = json_pack("{s:s?,s:s?,s:s?}", "name", name, "email", email, "mobile", mobile);
    char *text = json_dumps(d, JSON_COMPACT);
    int64_t now = yj_now_ms(app->clock);
    struct store_tx *tx = NULL;
    if (!rc)
        rc = store_write_begin(app->store, &tx, &err);
    if (!rc)
        rc = store_setting_set(tx, DUTY_KEY, text, &err);
    if (!rc) {
        struct audit_entry e = api_audit_entry(&who, req, "notify.duty", "setting", DUTY_KEY, text);
        rc = audit_append(tx, &e, now, &err);
    }
    if (!rc)
        rc = store_tx_commit(tx, &err);
    store_tx_end(tx);
    free(text);
    if (rc) {
        json_decref(d);
        api_fail(resp, &err);
        return;
    }
    http_response_json(resp, 200, d);
}
