/*
 * notify.c - queueing messages in the caller's transaction (outbox rows for
 * e-mail and webhooks, in-app notifications), the back-off schedule, the
 * checks of event names, webhook filters and URLs, and the stored content of
 * an outbox row with the webhook document made from it.
 */
#include <sodium.h>

#include "notify/notify_int.h"
#include "units/units.h"

int64_t notify_backoff_ms(int attempts)
{
    int64_t ms = NOTIFY_BACKOFF_FIRST_MS;
    for (int i = 1; i < attempts && ms < NOTIFY_BACKOFF_MAX_MS; i++)
        ms *= 2;
    return ms < NOTIFY_BACKOFF_MAX_MS ? ms : NOTIFY_BACKOFF_MAX_MS;
}

/* --- names, filters, URLs --------------------------------------------------------------------- */

enum { EVENT_MAX = 64, EVENTS_MAX = 1000, URL_MAX = 2048 };

static bool event_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

/* n bytes at s form an event name. */
static bool event_ok(const char *s, size_t n)
{
    if (n == 0 || n > EVENT_MAX || s[0] < 'a' || s[0] > 'z')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!event_char(s[i]))
            return false;
    return true;
}

int notify_event_valid(const char *event)
{
    return event && event_ok(event, strlen(event));
}

/* Calls fn on each entry of a comma-separated filter until it returns true. */
static bool each_entry(const char *filter, bool (*fn)(const char *s, size_t n, const void *ctx),
                       const void *ctx)
{
    for (const char *p = filter;;) {
        size_t n = strcspn(p, ",");
        if (fn(p, n, ctx))
            return true;
        if (!p[n])
            return false;
        p += n + 1;
    }
}

static bool entry_bad(const char *s, size_t n, const void *ctx)
{
    (void)ctx;
    if (n > 2 && s[n - 2] == '.' && s[n - 1] == '*')
        n -= 2; /* a prefix: "dispatch.*" */
    return !event_ok(s, n);
}

int notify_events_valid(const char *filter)
{
    if (!filter || strlen(filter) > EVENTS_MAX)
        return 0;
    if (strcmp(filter, "*") == 0)
        return 1;
    return !each_entry(filter, entry_bad, NULL);
}

static bool entry_matches(const char *s, size_t n, const void *ctx)
{
    const char *event = ctx;
    size_t len = strlen(event);
    if (n > 2 && s[n - 2] == '.' && s[n - 1] == '*')
        return len > n - 1 && strncmp(event, s, n - 1) == 0; /* "dispatch." + more */
    return len == n && strncmp(event, s, n) == 0;
}

int notify_events_match(const char *filter, const char *event)
{
    if (!filter || !event)
        return 0;
    if (strcmp(filter, "*") == 0 || strcmp(event, "notify.test") == 0)
        return 1;
    return each_entry(filter, entry_matches, event);
}

int notify_url_valid(const char *url)
{
    if (!url)
        return 0;
    size_t n = strlen(url), scheme;
    if (n > URL_MAX)
        return 0;
    if (strncmp(url, "http://", 7) == 0)
        scheme = 7;
    else if (strncmp(url, "https://", 8) == 0)
        scheme = 8;
    else
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)url[i] <= ' ' || url[i] == 0x7f)
            return 0;
    /* A host: something before the path, query or fragment. */
    return strcspn(url + scheme, "/?#") > 0;
}

/* --- the stored content and the webhook document --------------------------------------------- */

/* The JSON text stored in outbox.body; malloc'd, NULL on ENOMEM. */
static char *content_dump(const char *text, const char *link, bool link_secret, json_t *recipients)
{
    json_t *o = json_pack("{s:s,s:s?}", "text", text, "link", link);
    if (o && link && link_secret)
        json_object_set_new(o, "link_secret", json_true());
    if (o && recipients)
        json_object_set(o, "recipients", recipients);
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(o);
    return s;
}

enum yj_err notify_content_parse(const char *body, json_t **doc, struct notify_content *c,
                                 struct yj_error *err)
{
    memset(c, 0, sizeof *c);
    *doc = body ? json_loads(body, 0, NULL) : NULL;
    json_t *text = json_object_get(*doc, "text"), *link = json_object_get(*doc, "link");
    if (!json_is_string(text) || (link && !json_is_string(link))) {
        json_decref(*doc);
        *doc = NULL;
        return yj_error_set(err, YJ_EINVAL, "body", "stored message is malformed");
    }
    c->text = json_string_value(text);
    c->link = link ? json_string_value(link) : NULL;
    c->recipients = json_object_get(*doc, "recipients");
    return YJ_OK;
}

char *notify_link(const char *public_url, const char *link)
{
    if (!link)
        return NULL;
    if (!public_url || !*public_url || strncmp(link, "http://", 7) == 0 ||
        strncmp(link, "https://", 8) == 0)
        return strdup(link);
    size_t n = strlen(public_url);
    while (n && public_url[n - 1] == '/')
        n--;
    const char *rest = link[0] == '/' ? link + 1 : link;
    struct yj_buf b;
    yj_buf_init(&b, n + strlen(rest) + 2);
    if (yj_buf_append(&b, public_url, n) || yj_buf_puts(&b, "/") || yj_buf_puts(&b, rest)) {
        yj_buf_release(&b);
        return NULL;
    }
    return yj_buf_detach(&b, NULL);
}

char *notify_webhook_body(const struct store_outbox *r, const char *public_url, int64_t sent_at)
{
    json_t *doc;
    struct notify_content c;
    struct yj_error err;
    if (notify_content_parse(r->body, &doc, &c, &err))
        return NULL;
    char *link = notify_link(public_url, c.link);
    char at[YJ_TIME_STRLEN];
    yj_time_format(sent_at, at);
    json_t *ref = r->ref_type ? json_pack("{s:s,s:o}", "type", r->ref_type, "id",
                                          r->ref_id ? json_integer(r->ref_id) : json_null())
                              : json_null();
    json_t *people = c.recipients ? json_incref(c.recipients) : json_array();
    json_t *out =
        json_pack("{s:s,s:s,s:s,s:s?,s:o,s:o,s:s}", "event", r->event, "subject", r->subject,
                  "text", c.text, "link", link, "ref", ref, "recipients", people, "sent_at", at);
    char *s = out ? json_dumps(out, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(out);
    json_decref(doc);
    free(link);
    return s;
}

void notify_signature(const char *secret, const void *body, size_t n, char out[65])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, body, n);
    crypto_auth_hmacsha256_final(&st, mac);
    yj_hex(mac, sizeof mac, out);
}

/* --- enqueueing ------------------------------------------------------------------------------- */

static enum yj_err message_check(const struct notify_message *m, size_t n, struct yj_error *err)
{
    if (!notify_event_valid(m->event))
        return yj_error_set(err, YJ_EINVAL, "event", "1 to 64 of a-z, 0-9, '_', '.', '-'");
    if (!m->subject || !*m->subject || !yj_utf8_text_ok(m->subject, strlen(m->subject)) ||
        strpbrk(m->subject, "\r\n") || yj_utf8_chars(m->subject) > NOTIFY_SUBJECT_MAX)
        return yj_error_set(err, YJ_EINVAL, "subject", "one line of text, 1 to %d characters",
                            NOTIFY_SUBJECT_MAX);
    if (!m->text || !yj_utf8_text_ok(m->text, strlen(m->text)) ||
        yj_utf8_chars(m->text) > NOTIFY_TEXT_MAX)
        return yj_error_set(err, YJ_EINVAL, "text", "text of at most %d characters",
                            NOTIFY_TEXT_MAX);
    if (m->link && (strlen(m->link) > URL_MAX || !yj_utf8_text_ok(m->link, strlen(m->link))))
        return yj_error_set(err, YJ_EINVAL, "link", "at most %d bytes of text", URL_MAX);
    if (n > NOTIFY_RECIPIENTS_MAX)
        return yj_error_set(err, YJ_EINVAL, "recipients", "at most %d recipients",
                            NOTIFY_RECIPIENTS_MAX);
    return YJ_OK;
}

/* An earlier recipient in to[0..i) has the same address (email) or user (!email). */
static bool seen_before(const struct notify_recipient *to, size_t i, bool email)
{
    for (size_t k = 0; k < i; k++) {
        if (email && to[k].email && strcmp(to[k].email, to[i].email) == 0)
            return true;
        if (!email && to[k].user_id == to[i].user_id)
            return true;
    }
    return false;
}

/* The outbox row every channel shares, from m. */
static struct store_outbox row_of(const struct notify_message *m, int64_t now)
{
    struct store_outbox r = {.event = m->event,
                             .subject = m->subject,
                             .ref_type = m->ref_type,
                             .ref_id = m->ref_id,
                             .status = "pending",
                             .next_attempt_at = now,
                             .created_at = now};
    return r;
}

/* Inserts r with dedupe key "<dedupe>|<channel>|<recipient>" (none without dedupe). */
static enum yj_err outbox_add(struct store_tx *tx, struct store_outbox *r, const char *dedupe,
                              struct yj_arena *a, size_t *queued, struct yj_error *err)
{
    r->dedupe_key =
        dedupe ? yj_arena_printf(a, "%s|%s|%s", dedupe, r->channel, r->recipient) : NULL;
    if (dedupe && !r->dedupe_key)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    bool inserted = false;
    enum yj_err rc = store_outbox_insert(tx, r, &inserted, err);
    *queued += !rc && inserted;
    return rc;
}

static enum yj_err enqueue_emails(struct store_tx *tx, const struct notify_message *m,
                                  const struct notify_recipient *to, size_t n, int64_t now,
                                  struct yj_arena *a, size_t *queued, struct yj_error *err)
{
    char *body = content_dump(m->text, m->link, m->link_secret, NULL);
    if (!body)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    enum yj_err rc = YJ_OK;
    size_t bad = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        if (!to[i].email || !*to[i].email || seen_before(to, i, true))
            continue;
        if (!unit_email_valid(to[i].email)) {
            bad++;
            continue;
        }
        struct store_outbox r = row_of(m, now);
        r.channel = "email";
        r.recipient = to[i].email;
        r.recipient_name = to[i].name;
        r.body = body;
        rc = outbox_add(tx, &r, m->dedupe, a, queued, err);
    }
    free(body);
    if (bad)
        yj_log(YJ_LOG_WARN, "notify.bad_address", "{s:s,s:i}", "event", m->event, "count",
               (int)bad);
    return rc;
}

static enum yj_err enqueue_inapp(struct store_tx *tx, const struct notify_message *m,
                                 const struct notify_recipient *to, size_t n, int64_t now,
                                 struct yj_error *err)
{
    enum yj_err rc = YJ_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        if (to[i].user_id <= 0 || seen_before(to, i, false))
            continue;
        struct store_notification row = {.user_id = to[i].user_id,
                                         .event = m->event,
                                         .title = m->subject,
                                         .body = m->text,
                                         .link = m->link,
                                         .ref_type = m->ref_type,
                                         .ref_id = m->ref_id,
                                         .created_at = now};
        bool exists = false;
        if (m->dedupe)
            rc = store_notification_exists(tx, &row, &exists, err);
        if (!rc && !exists)
            rc = store_notification_insert(tx, &row, err);
    }
    return rc;
}

/* [{"name","mobile","email"}] of every recipient. New reference, NULL on ENOMEM. */
static json_t *recipients_json(const struct notify_recipient *to, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        json_t *o = json_pack("{s:s?,s:s?,s:s?}", "name", to[i].name, "mobile", to[i].mobile,
                              "email", to[i].email);
        if (!o || json_array_append_new(arr, o)) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

static enum yj_err enqueue_webhooks(struct store_tx *tx, const struct notify_message *m,
                                    const struct notify_recipient *to, size_t n, int64_t now,
                                    struct yj_arena *a, size_t *queued, struct yj_error *err)
{
    json_t *people = recipients_json(to, n);
    char *body = people ? content_dump(m->text, m->link, m->link_secret, people) : NULL;
    json_decref(people);
    if (!body)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    enum yj_err rc = YJ_OK;
    int64_t after = 0;
    for (;;) {
        struct store_webhook *hooks = NULL;
        size_t k = 0;
        if ((rc = store_webhook_list(tx, true, after, 100, a, &hooks, &k, err)) || k == 0)
            break;
        for (size_t i = 0; !rc && i < k; i++) {
            if (!notify_events_match(hooks[i].events, m->event))
                continue;
            struct store_outbox r = row_of(m, now);
            r.channel = "webhook";
            r.recipient = yj_arena_printf(a, "%lld", (long long)hooks[i].id);
            r.recipient_name = hooks[i].name;
            r.body = body;
            rc = r.recipient ? outbox_add(tx, &r, m->dedupe, a, queued, err)
                             : yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
        }
        after = hooks[k - 1].id;
        if (rc || k < 100)
            break;
    }
    free(body);
    return rc;
}

enum yj_err notify_enqueue(struct store_tx *tx, const struct notify_message *m,
                           const struct notify_recipient *to, size_t n, int64_t now, size_t *queued,
                           struct yj_error *err)
{
    return notify_enqueue_channels(tx, m, to, n, NOTIFY_CH_ALL, now, queued, err);
}

enum yj_err notify_enqueue_channels(struct store_tx *tx, const struct notify_message *m,
                                    const struct notify_recipient *to, size_t n, unsigned channels,
                                    int64_t now, size_t *queued, struct yj_error *err)
{
    size_t added = 0;
    if (queued)
        *queued = 0;
    enum yj_err rc = message_check(m, n, err);
    if (rc)
        return rc;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    if (channels & NOTIFY_CH_EMAIL)
        rc = enqueue_emails(tx, m, to, n, now, &a, &added, err);
    if (!rc && (channels & NOTIFY_CH_INAPP))
        rc = enqueue_inapp(tx, m, to, n, now, err);
    if (!rc && (channels & NOTIFY_CH_WEBHOOK))
        rc = enqueue_webhooks(tx, m, to, n, now, &a, &added, err);
    yj_arena_release(&a);
    if (!rc && queued)
        *queued = added;
    return rc;
}
