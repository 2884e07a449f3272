/*
 * test_notify.c - the notify module: the back-off schedule; event names, webhook
 * filters and URLs; RFC 2047 words and the MIME message (decoded back and
 * checked line by line); the webhook document and its signature (RFC 4231's
 * HMAC-SHA256 vector); queueing into a real store in a temporary directory
 * (e-mail, in-app and webhook rows, filters, bad addresses, duplicates, dedupe
 * keys); and delivery passes against what refuses them (no SMTP server, a closed
 * port, a disabled webhook): leases, attempts, back-off, giving up, cancelling,
 * and a pass told to stop.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <sodium.h>
#include <stdio.h>
#include <sys/stat.h>

/* store_int.h first: it includes system headers that banned.h (via yj.h) would poison. */
#include "store/store_int.h"
#include "notify/notify_int.h"

#define ASSERT_OK(call)                                                                            \
    do {                                                                                           \
        enum yj_err rc_ = (call);                                                                  \
        if (rc_ != YJ_OK)                                                                          \
            fail_msg("%s: %s (field \"%s\": %s)", #call, yj_err_name(rc_), e.field, e.msg);        \
    } while (0)

#define NOW INT64_C(1780272000000) /* 2026-06-01T00:00:00Z, a Monday */

/* --- pure functions -----------------------------------------------------------------------------
 */

static void test_backoff(void **state)
{
    (void)state;
    assert_int_equal(notify_backoff_ms(0), 60000);
    assert_int_equal(notify_backoff_ms(1), 60000);
    assert_int_equal(notify_backoff_ms(2), 120000);
    assert_int_equal(notify_backoff_ms(3), 240000);
    assert_int_equal(notify_backoff_ms(6), 32 * 60000);
    assert_int_equal(notify_backoff_ms(7), NOTIFY_BACKOFF_MAX_MS); /* 64 min -> 1 h */
    assert_int_equal(notify_backoff_ms(NOTIFY_MAX_ATTEMPTS), NOTIFY_BACKOFF_MAX_MS);
    assert_int_equal(notify_backoff_ms(1000), NOTIFY_BACKOFF_MAX_MS);
}

static void test_names_filters_urls(void **state)
{
    (void)state;
    assert_true(notify_event_valid("dispatch.notified"));
    assert_true(notify_event_valid("notify.test"));
    assert_false(notify_event_valid(""));
    assert_false(notify_event_valid("Dispatch"));
    assert_false(notify_event_valid("1abc"));
    assert_false(notify_event_valid("a b"));
    assert_false(notify_event_valid(NULL));

    assert_true(notify_events_valid("*"));
    assert_true(notify_events_valid("dispatch.*,incident.closed"));
    assert_false(notify_events_valid(""));
    assert_false(notify_events_valid("a,,b"));
    assert_false(notify_events_valid("a, b"));
    assert_false(notify_events_valid("*,a"));
    assert_false(notify_events_valid(".*"));

    assert_true(notify_events_match("*", "dispatch.notified"));
    assert_true(notify_events_match("dispatch.*", "dispatch.notified"));
    assert_false(notify_events_match("dispatch.*", "dispatch"));
    assert_false(notify_events_match("dispatch.*", "dispatches.x"));
    assert_true(notify_events_match("a,dispatch.escalated", "dispatch.escalated"));
    assert_false(notify_events_match("dispatch.escalate", "dispatch.escalated"));
    assert_true(notify_events_match("incident.closed", "notify.test")); /* tests reach all */

    assert_true(notify_url_valid("https://oapi.example.com/robot/send?access_token=x"));
    assert_true(notify_url_valid("http://127.0.0.1:8080/hook"));
    assert_false(notify_url_valid("ftp://example.com/"));
    assert_false(notify_url_valid("https://"));
    assert_false(notify_url_valid("https:///path"));
    assert_false(notify_url_valid("https://a b/"));
    assert_false(notify_url_valid("https://a/\r\nX: y"));
    char long_url[2100];
    memset(long_url, 'a', sizeof long_url - 1);
    long_url[sizeof long_url - 1] = '\0';
    memcpy(long_url, "https://", 8);
    assert_false(notify_url_valid(long_url));
}

/* Decodes base64 text into a NUL-terminated malloc'd string. */
static char *unbase64(const char *b64, size_t n)
{
    size_t max = n + 1, len = 0;
    unsigned char *out = malloc(max);
    assert_non_null(out);
    assert_int_equal(
        sodium_base642bin(out, max, b64, n, "\r\n", &len, NULL, sodium_base64_VARIANT_ORIGINAL), 0);
    out[len] = '\0';
    return (char *)out;
}

/* Decodes one header value made of encoded words (folded or not) back to UTF-8. */
static char *decode_words(const char *v)
{
    struct yj_buf out;
    yj_buf_init(&out, 1 << 20);
    const char *p = v;
    while ((p = strstr(p, "=?UTF-8?B?")) != NULL) {
        p += 10;
        const char *end = strstr(p, "?=");
        assert_non_null(end);
        char *part = unbase64(p, (size_t)(end - p));
        assert_int_equal(yj_buf_puts(&out, part), YJ_OK);
        free(part);
        p = end + 2;
    }
    return yj_buf_detach(&out, NULL);
}

static void test_encoded_words(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, 1 << 16);
    assert_int_equal(notify_encoded_words("应急", &b), YJ_OK);
    assert_string_equal(b.ptr, "=?UTF-8?B?5bqU5oCl?=");
    yj_buf_reset(&b);

    /* 40 Chinese characters: four words on folded lines, none over 75 characters. */
    const char *s = "网络安全应急技术支撑单位派单通知：请于两小时内响应并赶赴现场处置"
                    "网络安全事件谢谢";
    assert_int_equal(notify_encoded_words(s, &b), YJ_OK);
    size_t words = 0;
    for (const char *line = b.ptr; line;) {
        const char *next = strstr(line, "\r\n ");
        size_t n = next ? (size_t)(next - line) : strlen(line);
        assert_true(n <= 75);
        words++;
        line = next ? next + 3 : NULL;
    }
    assert_true(words > 1);
    char *back = decode_words(b.ptr);
    assert_string_equal(back, s);
    free(back);
    yj_buf_release(&b);
}

/* The value of header name in the message (unfolded lines kept as they are). */
static char *header(const char *msg, const char *name)
{
    char want[64];
    snprintf(want, sizeof want, "\r\n%s: ", name);
    const char *p = strncmp(msg, want + 2, strlen(want + 2)) == 0 ? msg + strlen(want + 2) : NULL;
    if (!p) {
        p = strstr(msg, want);
        if (!p)
            return NULL;
        p += strlen(want);
    }
    const char *end = p;
    while ((end = strstr(end, "\r\n")) != NULL && end[2] == ' ')
        end += 2; /* a folded continuation */
    return strndup(p, end ? (size_t)(end - p) : strlen(p));
}

static void test_mail_build(void **state)
{
    (void)state;
    struct yj_buf b;
    yj_buf_init(&b, NOTIFY_MAIL_MAX);
    struct yj_error e;
    const char *text = "派单通知\n请于 2 小时内响应。\r\n"
                       "这一行很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长"
                       "很长很长很长很长很长很长很长很长很长很长。\n";
    struct notify_mail m = {.from = "noreply@yj.example.gov.cn",
                            .from_name = "yingji 应急",
                            .to = "zhang@unit.example.com",
                            .to_name = "张三",
                            .subject = "【派单】六盘水市网络安全事件应急处置",
                            .text = text,
                            .date_ms = NOW,
                            .message_id = "yingji.outbox.7.1@yj.example.gov.cn"};
    ASSERT_OK(notify_mail_build(&m, &b, &e));
    const char *msg = b.ptr;

    char *v = header(msg, "Subject");
    char *subject = decode_words(v);
    assert_string_equal(subject, m.subject);
    free(v);
    free(subject);
    v = header(msg, "To");
    assert_non_null(strstr(v, "<zhang@unit.example.com>"));
    char *name = decode_words(v);
    assert_string_equal(name, "张三");
    free(v);
    free(name);
    v = header(msg, "From");
    assert_non_null(strstr(v, "<noreply@yj.example.gov.cn>"));
    free(v);
    v = header(msg, "Date");
    assert_string_equal(v, "Mon, 01 Jun 2026 00:00:00 +0000");
    free(v);
    v = header(msg, "Message-ID");
    assert_string_equal(v, "<yingji.outbox.7.1@yj.example.gov.cn>");
    free(v);
    v = header(msg, "Content-Type");
    assert_string_equal(v, "text/plain; charset=UTF-8");
    free(v);
    v = header(msg, "Content-Transfer-Encoding");
    assert_string_equal(v, "base64");
    free(v);
    v = header(msg, "MIME-Version");
    assert_string_equal(v, "1.0");
    free(v);

    /* Every line ends in CRLF and fits 76 columns; there is no bare LF. */
    for (const char *p = msg; *p;) {
        const char *eol = strstr(p, "\r\n");
        assert_non_null(eol);
        assert_true(eol - p <= 76);
        assert_null(memchr(p, '\n', (size_t)(eol - p)));
        p = eol + 2;
    }
    /* The body decodes to the text with CRLF line ends. */
    const char *body = strstr(msg, "\r\n\r\n");
    assert_non_null(body);
    char *decoded = unbase64(body + 4, strlen(body + 4));
    assert_non_null(strstr(decoded, "派单通知\r\n请于 2 小时内响应。\r\n这一行"));
    assert_null(strstr(decoded, "。\n"));
    free(decoded);

    /* An ASCII name is quoted (with its quote escaped); a header cannot be injected. */
    yj_buf_reset(&b);
    m.to_name = "Li \"Lei\"";
    ASSERT_OK(notify_mail_build(&m, &b, &e));
    v = header(b.ptr, "To");
    assert_string_equal(v, "\"Li \\\"Lei\\\"\" <zhang@unit.example.com>");
    free(v);
    yj_buf_reset(&b);
    m.to = "a@b.cn\r\nBcc: x@y.cn";
    assert_int_equal(notify_mail_build(&m, &b, &e), YJ_EINVAL);
    assert_string_equal(e.field, "to");
    yj_buf_release(&b);
}

static void test_link_and_signature(void **state)
{
    (void)state;
    char *l = notify_link("https://yj.example.gov.cn/", "/#/dispatches/12");
    assert_string_equal(l, "https://yj.example.gov.cn/#/dispatches/12");
    free(l);
    l = notify_link("https://yj.example.gov.cn", "#/x");
    assert_string_equal(l, "https://yj.example.gov.cn/#/x");
    free(l);
    l = notify_link(NULL, "/#/x");
    assert_string_equal(l, "/#/x");
    free(l);
    assert_null(notify_link("https://a.cn", NULL));

    /* RFC 4231 test case 2. */
    char sig[65];
    const char *data = "what do ya want for nothing?";
    notify_signature("Jefe", data, strlen(data), sig);
    assert_string_equal(sig, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

static void test_webhook_body(void **state)
{
    (void)state;
    struct store_outbox r = {
        .id = 3,
        .channel = "webhook",
        .event = "dispatch.notified",
        .subject = "派单通知",
        .body = "{\"text\":\"请响应\",\"link\":\"/#/dispatches/12\","
                "\"recipients\":[{\"name\":\"张三\",\"mobile\":\"13800000000\"}]}",
        .ref_type = "dispatch",
        .ref_id = 12,
    };
    char *s = notify_webhook_body(&r, "https://yj.example.gov.cn", NOW);
    assert_non_null(s);
    json_t *j = json_loads(s, 0, NULL);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "event")), "dispatch.notified");
    assert_string_equal(json_string_value(json_object_get(j, "subject")), "派单通知");
    assert_string_equal(json_string_value(json_object_get(j, "text")), "请响应");
    assert_string_equal(json_string_value(json_object_get(j, "link")),
                        "https://yj.example.gov.cn/#/dispatches/12");
    json_t *ref = json_object_get(j, "ref");
    assert_string_equal(json_string_value(json_object_get(ref, "type")), "dispatch");
    assert_int_equal(json_integer_value(json_object_get(ref, "id")), 12);
    json_t *who = json_array_get(json_object_get(j, "recipients"), 0);
    assert_string_equal(json_string_value(json_object_get(who, "mobile")), "13800000000");
    assert_string_equal(json_string_value(json_object_get(j, "sent_at")),
                        "2026-06-01T00:00:00.000Z");
    json_decref(j);
    free(s);

    r.body = "not json";
    assert_null(notify_webhook_body(&r, NULL, NOW));
}

/* --- with a store ------------------------------------------------------------------------------
 */

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

struct fx {
    char dir[64];
    struct store *st;
    struct yj_arena a;
    int64_t user_a, user_b;
    int64_t hook_all, hook_dispatch, hook_off, hook_other;
};

/* Runs in a committed write transaction of its own. */
static struct store_tx *write_begin(struct fx *f)
{
    struct yj_error e;
    struct store_tx *tx = NULL;
    ASSERT_OK(store_write_begin(f->st, &tx, &e));
    return tx;
}

static void write_commit(struct store_tx *tx)
{
    struct yj_error e;
    ASSERT_OK(store_tx_commit(tx, &e));
    store_tx_end(tx);
}

static int64_t user_new(struct store_tx *tx, const char *name)
{
    struct yj_error e;
    struct store_user u = {.username = name,
                           .role = "authority",
                           .password_hash = "x",
                           .created_at = NOW,
                           .updated_at = NOW};
    ASSERT_OK(store_user_insert(tx, &u, &e));
    return u.id;
}

static int64_t hook_new(struct store_tx *tx, const char *url, const char *events, bool enabled,
                        const char *secret)
{
    struct yj_error e;
    struct store_webhook w = {
        .name = "钉钉机器人", .url = url, .events = events, .enabled = enabled, .secret = secret};
    ASSERT_OK(store_webhook_insert(tx, &w, NOW, &e));
    return w.id;
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/yj-ut-notify-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    struct yj_error e;
    ASSERT_OK(store_open(f->dir, STORE_CREATE | STORE_MIGRATE, &f->st, &e));
    yj_arena_init(&f->a, 0);
    struct store_tx *tx = write_begin(f);
    f->user_a = user_new(tx, "notify_a");
    f->user_b = user_new(tx, "notify_b");
    /* Port 1 on loopback refuses at once: a webhook that always fails. */
    f->hook_all = hook_new(tx, "http://127.0.0.1:1/all", "*", true, "s3cret-s3cret-s3cret");
    f->hook_dispatch = hook_new(tx, "http://127.0.0.1:1/d", "dispatch.*", true, NULL);
    f->hook_off = hook_new(tx, "http://127.0.0.1:1/off", "*", false, NULL);
    f->hook_other = hook_new(tx, "http://127.0.0.1:1/o", "incident.closed", true, NULL);
    write_commit(tx);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    store_close(f->st);
    yj_arena_release(&f->a);
    nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

static const struct notify_message DISPATCH = {
    .event = "dispatch.notified",
    .subject = "【派单】请响应",
    .text = "请于两小时内响应。",
    .link = "/#/dispatches/12",
    .ref_type = "dispatch",
    .ref_id = 12,
};

static struct store_outbox *outbox_all(struct fx *f, size_t *n)
{
    struct yj_error e;
    struct store_tx *tx = NULL;
    struct store_outbox *items = NULL;
    struct store_outbox_query q = {.limit = 200};
    ASSERT_OK(store_read_begin(f->st, &tx, &e));
    ASSERT_OK(store_outbox_list(tx, &q, &f->a, &items, n, &e));
    store_tx_end(tx);
    return items;
}

static int64_t unread(struct fx *f, int64_t user)
{
    struct yj_error e;
    struct store_tx *tx = NULL;
    int64_t n = 0;
    ASSERT_OK(store_read_begin(f->st, &tx, &e));
    ASSERT_OK(store_notification_unread(tx, user, &n, &e));
    store_tx_end(tx);
    return n;
}

static void test_enqueue(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct notify_recipient to[] = {
        {.name = "张三",
         .email = "zhang@unit.example.com",
         .mobile = "13800000000",
         .user_id = f->user_a},
        {.name = "李四", .mobile = "13900000000"},                         /* webhooks only */
        {.name = "王五", .email = "not an address", .user_id = f->user_b}, /* in-app only */
        {.name = "张三", .email = "zhang@unit.example.com", .user_id = f->user_a}, /* again */
    };
    size_t queued = 99;
    struct store_tx *tx = write_begin(f);
    ASSERT_OK(notify_enqueue(tx, &DISPATCH, to, 4, NOW, &queued, &e));
    write_commit(tx);
    /* One e-mail, and one row for each enabled webhook whose filter takes the event. */
    assert_int_equal(queued, 3);
    size_t n;
    struct store_outbox *rows = outbox_all(f, &n);
    assert_int_equal(n, 3);
    size_t emails = 0;
    for (size_t i = 0; i < n; i++) {
        struct store_outbox *r = &rows[i];
        assert_string_equal(r->status, "pending");
        assert_int_equal(r->next_attempt_at, NOW);
        assert_string_equal(r->subject, DISPATCH.subject);
        assert_string_equal(r->ref_type, "dispatch");
        assert_int_equal(r->ref_id, 12);
        assert_null(r->dedupe_key);
        json_t *doc;
        struct notify_content c;
        ASSERT_OK(notify_content_parse(r->body, &doc, &c, &e));
        assert_string_equal(c.text, DISPATCH.text);
        assert_string_equal(c.link, DISPATCH.link);
        if (strcmp(r->channel, "email") == 0) {
            emails++;
            assert_string_equal(r->recipient, "zhang@unit.example.com");
            assert_string_equal(r->recipient_name, "张三");
            assert_null(c.recipients);
        } else {
            int64_t id = strtoll(r->recipient, NULL, 10);
            assert_true(id == f->hook_all || id == f->hook_dispatch);
            assert_int_equal(json_array_size(c.recipients), 4); /* everyone, as given */
            json_t *li = json_array_get(c.recipients, 1);
            assert_string_equal(json_string_value(json_object_get(li, "mobile")), "13900000000");
        }
        json_decref(doc);
    }
    assert_int_equal(emails, 1);
    assert_int_equal(unread(f, f->user_a), 1);
    assert_int_equal(unread(f, f->user_b), 1);

    struct store_notification *items;
    size_t k;
    tx = write_begin(f);
    ASSERT_OK(store_notification_list(tx, f->user_a, false, 0, 10, &f->a, &items, &k, &e));
    assert_int_equal(k, 1);
    assert_string_equal(items[0].title, DISPATCH.subject);
    assert_string_equal(items[0].body, DISPATCH.text);
    assert_string_equal(items[0].link, DISPATCH.link);
    assert_int_equal(items[0].read_at, 0);
    ASSERT_OK(store_notification_read(tx, f->user_a, items[0].id, NOW + 5, &e));
    /* Another user's notification is not theirs to mark. */
    assert_int_equal(store_notification_read(tx, f->user_b, items[0].id, NOW, &e), YJ_ENOTFOUND);
    write_commit(tx);
    assert_int_equal(unread(f, f->user_a), 0);
}

static void test_enqueue_dedupe(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct notify_message m = DISPATCH;
    m.event = "dispatch.escalated";
    m.dedupe = "dispatch:12:ack_due";
    struct notify_recipient to[] = {
        {.name = "张三", .email = "zhang@unit.example.com", .user_id = f->user_a}};
    size_t queued = 0;
    for (int round = 0; round < 3; round++) {
        struct store_tx *tx = write_begin(f);
        ASSERT_OK(notify_enqueue(tx, &m, to, 1, NOW + round, &queued, &e));
        write_commit(tx);
        assert_int_equal(queued, round == 0 ? 3 : 0);
        assert_int_equal(unread(f, f->user_a), 1);
    }
    size_t n;
    struct store_outbox *rows = outbox_all(f, &n);
    assert_int_equal(n, 3);
    for (size_t i = 0; i < n; i++)
        assert_non_null(strstr(rows[i].dedupe_key, "dispatch:12:ack_due|"));

    /* Without a key the same message is queued again. */
    m.dedupe = NULL;
    struct store_tx *tx = write_begin(f);
    ASSERT_OK(notify_enqueue(tx, &m, to, 1, NOW, &queued, &e));
    write_commit(tx);
    assert_int_equal(queued, 3);
    assert_int_equal(unread(f, f->user_a), 2);

    /* Channels: e-mail only. */
    tx = write_begin(f);
    ASSERT_OK(notify_enqueue_channels(tx, &m, to, 1, NOTIFY_CH_EMAIL, NOW, &queued, &e));
    write_commit(tx);
    assert_int_equal(queued, 1);
    assert_int_equal(unread(f, f->user_a), 2);
}

static void test_enqueue_invalid(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct store_tx *tx = write_begin(f);
    struct notify_message m = DISPATCH;
    char long_subject[4 * NOTIFY_SUBJECT_MAX + 8] = "";
    for (int i = 0; i <= NOTIFY_SUBJECT_MAX; i++)
        memcpy(long_subject + 3 * i, "应", 4);
    m.subject = long_subject;
    assert_int_equal(notify_enqueue(tx, &m, NULL, 0, NOW, NULL, &e), YJ_EINVAL);
    assert_string_equal(e.field, "subject");
    m.subject = "two\nlines";
    assert_int_equal(notify_enqueue(tx, &m, NULL, 0, NOW, NULL, &e), YJ_EINVAL);
    assert_string_equal(e.field, "subject");
    m = DISPATCH;
    m.event = "Bad Event";
    assert_int_equal(notify_enqueue(tx, &m, NULL, 0, NOW, NULL, &e), YJ_EINVAL);
    assert_string_equal(e.field, "event");
    m = DISPATCH;
    m.text = NULL;
    assert_int_equal(notify_enqueue(tx, &m, NULL, 0, NOW, NULL, &e), YJ_EINVAL);
    assert_string_equal(e.field, "text");
    struct notify_recipient many[NOTIFY_RECIPIENTS_MAX + 1] = {{0}};
    assert_int_equal(notify_enqueue(tx, &DISPATCH, many, YJ_ARRAY_LEN(many), NOW, NULL, &e),
                     YJ_EINVAL);
    assert_string_equal(e.field, "recipients");
    store_tx_end(tx);
}

static struct store_outbox outbox_get(struct fx *f, int64_t id)
{
    struct yj_error e;
    struct store_tx *tx = NULL;
    struct store_outbox r;
    ASSERT_OK(store_read_begin(f->st, &tx, &e));
    ASSERT_OK(store_outbox_get(tx, id, &f->a, &r, &e));
    store_tx_end(tx);
    return r;
}

static void test_claim_lease(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct store_tx *tx = write_begin(f);
    ASSERT_OK(notify_enqueue(tx, &DISPATCH, NULL, 0, NOW, NULL, &e)); /* two webhook rows */
    write_commit(tx);
    struct store_outbox *items;
    size_t n;
    tx = write_begin(f);
    ASSERT_OK(store_outbox_claim(tx, NOW - 1, NOW + 1000, 10, &f->a, &items, &n, &e));
    assert_int_equal(n, 0); /* not due yet */
    ASSERT_OK(store_outbox_claim(tx, NOW, NOW + 1000, 1, &f->a, &items, &n, &e));
    assert_int_equal(n, 1);
    int64_t first = items[0].id;
    ASSERT_OK(store_outbox_claim(tx, NOW, NOW + 1000, 10, &f->a, &items, &n, &e));
    assert_int_equal(n, 1); /* only the other one: the first is leased */
    assert_true(items[0].id != first);
    ASSERT_OK(store_outbox_claim(tx, NOW + 999, NOW + 2000, 10, &f->a, &items, &n, &e));
    assert_int_equal(n, 0);
    int64_t due = 0;
    ASSERT_OK(store_outbox_next_due(tx, &due, &e));
    assert_int_equal(due, NOW + 1000); /* when the leases end */
    ASSERT_OK(store_outbox_claim(tx, NOW + 1000, NOW + 2000, 10, &f->a, &items, &n, &e));
    assert_int_equal(n, 2); /* a lease that ran out (a worker died) is taken again */
    write_commit(tx);
}

static void test_deliver_failures(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct notify_recipient to = {.name = "张三", .email = "zhang@unit.example.com"};
    struct store_tx *tx = write_begin(f);
    ASSERT_OK(notify_enqueue(tx, &DISPATCH, &to, 1, NOW, NULL, &e));
    write_commit(tx);
    struct notify_config cfg = {.mail_from = "noreply@yj.example.gov.cn", .timeout_ms = 5000};
    size_t tried = 0;
    int64_t next = 0;
    ASSERT_OK(notify_deliver_due(f->st, &cfg, NOW, &tried, &next, &e));
    assert_int_equal(tried, 3);
    assert_int_equal(next, NOW + 60000);
    size_t n;
    struct store_outbox *rows = outbox_all(f, &n);
    assert_int_equal(n, 3);
    int64_t mail = 0, hook = 0;
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(rows[i].status, "pending");
        assert_int_equal(rows[i].attempts, 1);
        assert_int_equal(rows[i].lease_until, 0);
        assert_int_equal(rows[i].next_attempt_at, NOW + 60000);
        if (strcmp(rows[i].channel, "email") == 0) {
            mail = rows[i].id;
            assert_string_equal(rows[i].last_error, "no SMTP server configured");
        } else {
            assert_non_null(strstr(rows[i].last_error, "http: "));
            if (strtoll(rows[i].recipient, NULL, 10) == f->hook_dispatch)
                hook = rows[i].id;
        }
    }
    /* Nothing is due before the back-off ends. */
    ASSERT_OK(notify_deliver_due(f->st, &cfg, NOW + 59999, &tried, &next, &e));
    assert_int_equal(tried, 0);

    /* A disabled webhook's messages are cancelled at their next attempt. */
    tx = write_begin(f);
    struct store_webhook w;
    ASSERT_OK(store_webhook_get(tx, f->hook_dispatch, &f->a, &w, &e));
    w.enabled = false;
    ASSERT_OK(store_webhook_update(tx, &w, &e));
    write_commit(tx);
    int64_t t = NOW + 60000;
    ASSERT_OK(notify_deliver_due(f->st, &cfg, t, &tried, &next, &e));
    assert_int_equal(tried, 3);
    assert_string_equal(outbox_get(f, hook).status, "cancelled");
    assert_string_equal(outbox_get(f, hook).last_error, "webhook disabled");
    struct store_outbox r = outbox_get(f, mail);
    assert_int_equal(r.attempts, 2);
    assert_int_equal(r.next_attempt_at, t + 120000);

    /* The back-off doubles until the tenth attempt, which gives up. */
    while (strcmp((r = outbox_get(f, mail)).status, "pending") == 0) {
        t = r.next_attempt_at;
        ASSERT_OK(notify_deliver_due(f->st, &cfg, t, &tried, &next, &e));
        assert_true(tried >= 1);
    }
    assert_string_equal(r.status, "failed");
    assert_int_equal(r.attempts, NOTIFY_MAX_ATTEMPTS);
    assert_int_equal(r.sent_at, 0);
    struct store_outbox_attempt *att;
    size_t k;
    tx = NULL;
    ASSERT_OK(store_read_begin(f->st, &tx, &e));
    ASSERT_OK(store_outbox_attempts(tx, mail, &f->a, &att, &k, &e));
    store_tx_end(tx);
    assert_int_equal(k, NOTIFY_MAX_ATTEMPTS);
    for (size_t i = 0; i < k; i++) {
        assert_int_equal(att[i].n, (int64_t)i + 1);
        assert_false(att[i].ok);
        assert_string_equal(att[i].detail, "no SMTP server configured");
        if (i)
            assert_int_equal(att[i].at - att[i - 1].at, notify_backoff_ms((int)i));
    }
}

/* A pass told to stop sends nothing and leaves what is due untouched for the next one. */
static void test_deliver_stopped(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    struct store_tx *tx = write_begin(f);
    ASSERT_OK(notify_enqueue(tx, &DISPATCH, NULL, 0, NOW, NULL, &e));
    write_commit(tx);
    atomic_bool stop;
    atomic_init(&stop, true);
    struct notify_config cfg = {.stop = &stop};
    size_t tried = 9;
    int64_t next = 0;
    ASSERT_OK(notify_deliver_due(f->st, &cfg, NOW, &tried, &next, &e));
    assert_int_equal(tried, 0);
    assert_int_equal(next, NOW);
    size_t n;
    struct store_outbox *rows = outbox_all(f, &n);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(rows[i].attempts, 0);
        assert_int_equal(rows[i].lease_until, 0);
    }
    /* Released rows are claimed at once by the next pass. */
    tx = write_begin(f);
    struct store_outbox *items;
    ASSERT_OK(store_outbox_claim(tx, NOW, NOW + 1000, 10, &f->a, &items, &n, &e));
    assert_int_equal(n, 2);
    ASSERT_OK(store_outbox_release(tx, items[0].id, &e));
    ASSERT_OK(store_outbox_claim(tx, NOW, NOW + 1000, 10, &f->a, &items, &n, &e));
    assert_int_equal(n, 1);
    write_commit(tx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_backoff),
        cmocka_unit_test(test_names_filters_urls),
        cmocka_unit_test(test_encoded_words),
        cmocka_unit_test(test_mail_build),
        cmocka_unit_test(test_link_and_signature),
        cmocka_unit_test(test_webhook_body),
        cmocka_unit_test_setup_teardown(test_enqueue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_enqueue_dedupe, setup, teardown),
        cmocka_unit_test_setup_teardown(test_enqueue_invalid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_claim_lease, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deliver_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deliver_stopped, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
