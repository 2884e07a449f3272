/*
 * deliver.c - one delivery pass over the outbox: claim what is due (a lease,
 * in a short write transaction), send each message with libcurl outside any
 * transaction (SMTP for e-mail, an HTTP POST for webhooks), then record the
 * attempt and move the message to sent, back-off, failed or cancelled.
 */
#include <curl/curl.h>
#include <sodium.h>

#include "notify/notify_int.h"

enum { DETAIL_MAX = 160, TIMEOUT_DEFAULT_MS = 10000 };

/* What one attempt came to. */
struct outcome {
    bool ok;
    bool aborted;            /* stopped by notify_config.stop: not an attempt at all */
    bool cancel;             /* the target is gone: stop trying */
    bool permanent;          /* trying again cannot help: fail now */
    char detail[DETAIL_MAX]; /* never personal data */
};

static void outcome_fail(struct outcome *o, const char *detail)
{
    o->ok = false;
    snprintf(o->detail, sizeof o->detail, "%s", detail);
}

static bool stopping(const struct notify_config *cfg)
{
    return cfg->stop && atomic_load(cfg->stop);
}

/* Aborts a transfer once the pass is told to stop. */
static int progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                    curl_off_t ulnow)
{
    (void)dltotal;
    (void)dlnow;
    (void)ultotal;
    (void)ulnow;
    return stopping(ctx) ? 1 : 0;
}

/* A handle with what every delivery shares: a time limit, no signals (threads), only
 * the protocols named, and an abort on stop. NULL on ENOMEM. */
static CURL *handle_new(const struct notify_config *cfg, const char *protocols)
{
    CURL *c = curl_easy_init();
    if (!c)
        return NULL;
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, (void *)(uintptr_t)cfg);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
                     cfg->timeout_ms > 0 ? cfg->timeout_ms : (long)TIMEOUT_DEFAULT_MS);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, protocols);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    return c;
}

/* --- e-mail ----------------------------------------------------------------------------------- */

struct upload {
    const char *p;
    size_t left;
};

static size_t upload_read(char *buf, size_t size, size_t nmemb, void *ctx)
{
    struct upload *u = ctx;
    size_t n = size * nmemb < u->left ? size * nmemb : u->left;
    memcpy(buf, u->p, n);
    u->p += n;
    u->left -= n;
    return n;
}

/* The text of an e-mail: the message, then its link on a line of its own. */
static enum yj_err mail_text(const struct notify_content *c, const char *public_url,
                             struct yj_buf *out)
{
    char *link = notify_link(public_url, c->link);
    enum yj_err rc = yj_buf_puts(out, c->text);
    if (!rc && link)
        rc = yj_buf_printf(out, "\n\n链接：%s\n", link);
    free(link);
    return rc;
}

/* Sends the message text over SMTP to r's recipient. */
static void smtp_send(const struct notify_config *cfg, const struct store_outbox *r,
                      const char *message, size_t len, struct outcome *o)
{
    CURL *c = handle_new(cfg, "smtp,smtps");
    struct curl_slist *rcpt = NULL;
    char *to = NULL, *from = NULL;
    if (c) {
        size_t tn = strlen(r->recipient) + 3, fn = strlen(cfg->mail_from) + 3;
        to = malloc(tn);
        from = malloc(fn);
        if (to && from) {
            snprintf(to, tn, "<%s>", r->recipient);
            snprintf(from, fn, "<%s>", cfg->mail_from);
            rcpt = curl_slist_append(NULL, to);
        }
    }
    if (!rcpt) {
        outcome_fail(o, "out of memory");
    } else {
        struct upload u = {message, len};
        curl_easy_setopt(c, CURLOPT_URL, cfg->smtp_url);
        curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
        curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
        curl_easy_setopt(c, CURLOPT_READFUNCTION, upload_read);
        curl_easy_setopt(c, CURLOPT_READDATA, &u);
        curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
        /* STARTTLS whenever the server offers it; smtps:// is TLS from the start. */
        curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
        if (cfg->smtp_user && *cfg->smtp_user)
            curl_easy_setopt(c, CURLOPT_USERNAME, cfg->smtp_user);
        if (cfg->smtp_password && *cfg->smtp_password)
            curl_easy_setopt(c, CURLOPT_PASSWORD, cfg->smtp_password);
        CURLcode cc = curl_easy_perform(c);
        long code = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
        o->ok = cc == CURLE_OK;
        o->aborted = cc == CURLE_ABORTED_BY_CALLBACK;
        /* curl_easy_strerror's texts are fixed and name no address (unlike the error
         * buffer's), so they may be stored and logged. */
        if (o->ok)
            snprintf(o->detail, sizeof o->detail, "smtp %ld", code);
        else if (code)
            snprintf(o->detail, sizeof o->detail, "smtp %ld: %s", code, curl_easy_strerror(cc));
        else
            snprintf(o->detail, sizeof o->detail, "smtp: %s", curl_easy_strerror(cc));
    }
    curl_slist_free_all(rcpt);
    free(to);
    free(from);
    if (c)
        curl_easy_cleanup(c);
}

static void deliver_email(const struct notify_config *cfg, const struct store_outbox *r,
                          int64_t now, struct outcome *o)
{
    if (!cfg->smtp_url || !*cfg->smtp_url) {
        outcome_fail(o, "no SMTP server configured");
        return;
    }
    if (!cfg->mail_from || !*cfg->mail_from) {
        outcome_fail(o, "no sender address configured");
        return;
    }
    json_t *doc = NULL;
    struct notify_content content;
    struct yj_error err;
    struct yj_buf text, message;
    yj_buf_init(&text, NOTIFY_MAIL_MAX);
    yj_buf_init(&message, NOTIFY_MAIL_MAX);
    const char *at = strrchr(cfg->mail_from, '@');
    char id[128];
    snprintf(id, sizeof id, "yingji.outbox.%lld.%lld@%s", (long long)r->id,
             (long long)r->created_at, at ? at + 1 : "localhost");
    enum yj_err rc = notify_content_parse(r->body, &doc, &content, &err);
    if (!rc && (rc = mail_text(&content, cfg->public_url, &text)))
        yj_error_set(&err, rc, NULL, "out of memory");
    if (!rc) {
        struct notify_mail m = {.from = cfg->mail_from,
                                .from_name = "yingji 应急",
                                .to = r->recipient,
                                .to_name = r->recipient_name,
                                .subject = r->subject,
                                .text = text.ptr,
                                .date_ms = now,
                                .message_id = id};
        rc = notify_mail_build(&m, &message, &err);
    }
    if (rc) {
        o->permanent = rc == YJ_EINVAL;
        o->ok = false;
        snprintf(o->detail, sizeof o->detail, "message not built: %.100s", err.msg);
    } else {
        smtp_send(cfg, r, message.ptr, message.len, o);
    }
    yj_buf_release(&text);
    yj_buf_release(&message);
    json_decref(doc);
}

/* --- webhooks --------------------------------------------------------------------------------- */

/* The receiver's answer is not kept: only its status matters. */
static size_t discard(char *p, size_t size, size_t nmemb, void *ctx)
{
    (void)p;
    (void)ctx;
    return size * nmemb;
}

static void http_post(const struct notify_config *cfg, const struct store_webhook *w,
                      const struct store_outbox *r, const char *body, struct outcome *o)
{
    CURL *c = handle_new(cfg, "http,https");
    struct curl_slist *h = NULL;
    char line[128 + 65];
    bool ok = c != NULL;
    ok = ok && (h = curl_slist_append(h, "Content-Type: application/json"));
    snprintf(line, sizeof line, "X-Yingji-Event: %s", r->event);
    ok = ok && (h = curl_slist_append(h, line));
    snprintf(line, sizeof line, "X-Yingji-Delivery: %lld", (long long)r->id);
    ok = ok && (h = curl_slist_append(h, line));
    if (ok && w->secret && *w->secret) {
        char sig[65];
        notify_signature(w->secret, body, strlen(body), sig);
        snprintf(line, sizeof line, "X-Yingji-Signature: sha256=%s", sig);
        ok = (h = curl_slist_append(h, line)) != NULL;
    }
    if (!ok) {
        outcome_fail(o, "out of memory");
    } else {
        curl_easy_setopt(c, CURLOPT_URL, w->url);
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
        curl_easy_setopt(c, CURLOPT_USERAGENT, "yingji/" YJ_VERSION);
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
        CURLcode cc = curl_easy_perform(c);
        long status = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
        o->ok = cc == CURLE_OK && status >= 200 && status < 300;
        o->aborted = cc == CURLE_ABORTED_BY_CALLBACK;
        if (cc != CURLE_OK)
            snprintf(o->detail, sizeof o->detail, "http: %s", curl_easy_strerror(cc));
        else
            snprintf(o->detail, sizeof o->detail, "http %ld", status);
    }
    curl_slist_free_all(h);
    if (c)
        curl_easy_cleanup(c);
}

static void deliver_webhook(struct store *st, const struct notify_config *cfg,
                            const struct store_outbox *r, int64_t now, struct outcome *o)
{
    int64_t id = 0;
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_webhook w;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    enum yj_err rc = yj_parse_i64(r->recipient, 1, INT64_MAX, &id) == 0
                         ? store_read_begin(st, &tx, &err)
                         : yj_error_set(&err, YJ_ENOTFOUND, NULL, "no such webhook");
    if (!rc)
        rc = store_webhook_get(tx, id, &a, &w, &err);
    store_tx_end(tx);
    if (rc == YJ_ENOTFOUND || (!rc && !w.enabled)) {
        o->cancel = true;
        outcome_fail(o, rc ? "webhook deleted" : "webhook disabled");
    } else if (rc) {
        outcome_fail(o, "database error");
    } else {
        char *body = notify_webhook_body(r, cfg->public_url, now);
        if (body)
            http_post(cfg, &w, r, body, o);
        else
            outcome_fail(o, "stored message is malformed");
        o->permanent = !body;
        free(body);
    }
    yj_arena_release(&a);
}

/* --- the pass --------------------------------------------------------------------------------- */

/* Records o as r's next attempt and moves r on. */
static enum yj_err record(struct store *st, const struct store_outbox *r, const struct outcome *o,
                          int64_t now, struct yj_error *err)
{
    struct store_outbox_attempt a = {
        .n = r->attempts + 1, .at = now, .ok = o->ok, .detail = o->detail};
    const char *status = "pending";
    int64_t next = r->next_attempt_at;
    if (o->ok)
        status = "sent";
    else if (o->cancel)
        status = "cancelled";
    else if (o->permanent || a.n >= NOTIFY_MAX_ATTEMPTS)
        status = "failed";
    else
        next = now + notify_backoff_ms((int)a.n);
    struct store_tx *tx = NULL;
    enum yj_err rc = store_write_begin(st, &tx, err);
    if (!rc)
        rc = store_outbox_record(tx, r->id, &a, status, next, err);
    if (!rc)
        rc = store_tx_commit(tx, err);
    store_tx_end(tx);
    yj_log(o->ok ? YJ_LOG_INFO : YJ_LOG_WARN, "notify.attempt", "{s:I,s:s,s:I,s:s,s:s}", "id",
           (json_int_t)r->id, "channel", r->channel, "attempt", (json_int_t)a.n, "status", status,
           "detail", o->detail);
    return rc;
}

/* Gives r back to the next pass, unattempted. */
static enum yj_err release(struct store *st, const struct store_outbox *r, struct yj_error *err)
{
    struct store_tx *tx = NULL;
    enum yj_err rc = store_write_begin(st, &tx, err);
    if (!rc)
        rc = store_outbox_release(tx, r->id, err);
    if (!rc)
        rc = store_tx_commit(tx, err);
    store_tx_end(tx);
    return rc;
}

/* Claims a batch due at now; *n 0 when nothing is left. */
static enum yj_err claim(struct store *st, int64_t now, struct yj_arena *a,
                         struct store_outbox **items, size_t *n, struct yj_error *err)
{
    struct store_tx *tx = NULL;
    enum yj_err rc = store_write_begin(st, &tx, err);
    if (!rc)
        rc = store_outbox_claim(tx, now, now + NOTIFY_LEASE_MS, NOTIFY_BATCH, a, items, n, err);
    if (!rc)
        rc = store_tx_commit(tx, err);
    store_tx_end(tx);
    return rc;
}

enum yj_err notify_deliver_due(struct store *st, const struct notify_config *cfg, int64_t now,
                               size_t *attempted, int64_t *next_due, struct yj_error *err)
{
    size_t tried = 0;
    enum yj_err rc = YJ_OK;
    struct yj_error e1, first; /* the first attempt that could not be recorded */
    yj_error_clear(&first);
    if (sodium_init() < 0)
        return yj_error_set(err, YJ_EINTERNAL, NULL, "libsodium did not initialise");
    for (;;) {
        struct yj_arena a;
        yj_arena_init(&a, 0);
        struct store_outbox *items = NULL;
        size_t n = 0;
        rc = stopping(cfg) ? YJ_OK : claim(st, now, &a, &items, &n, err);
        for (size_t i = 0; !rc && i < n; i++) {
            struct outcome o = {0};
            o.aborted = stopping(cfg);
            if (!o.aborted && strcmp(items[i].channel, "email") == 0)
                deliver_email(cfg, &items[i], now, &o);
            else if (!o.aborted)
                deliver_webhook(st, cfg, &items[i], now, &o);
            tried += !o.aborted;
            /* A row whose attempt could not be recorded keeps its lease: this pass does
             * not take it again, a later one does once the lease ends. */
            if ((o.aborted ? release(st, &items[i], &e1) : record(st, &items[i], &o, now, &e1)) &&
                !first.code)
                first = e1;
        }
        yj_arena_release(&a);
        if (rc || n == 0)
            break;
    }
    if (attempted)
        *attempted = tried;
    if (rc)
        return rc;
    if (first.code) {
        if (err)
            *err = first;
        return first.code;
    }
    int64_t due = 0;
    struct store_tx *tx = NULL;
    if (!(rc = store_read_begin(st, &tx, err)))
        rc = store_outbox_next_due(tx, &due, err);
    store_tx_end(tx);
    if (next_due)
        *next_due = rc ? 0 : due;
    return rc;
}
