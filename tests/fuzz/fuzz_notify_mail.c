/*
 * fuzz_notify_mail.c - the e-mail builder and the notification checks that see
 * user text. Subjects, names and addresses come from people (units' contacts,
 * the test message's address), so whatever they hold must never add a header or
 * break a line: every line of a built message ends in CRLF, every header line
 * is one the builder writes or a continuation, and the subject, a non-ASCII
 * name and the body decode back to what was given. Also: a URL or event filter
 * the checks accept has the shape they promise.
 *
 * The input is "subject\nname\naddress\ntext...".
 */
#include <sodium.h>

#include "fuzz.h"
#include "notify/notify_int.h"

/* The next line of s (up to '\n' or the end) as a malloc'd string; advances *s. */
static char *field(const char **s)
{
    size_t n = strcspn(*s, "\n");
    char *f = fuzz_strndup((const uint8_t *)*s, n);
    *s += n + ((*s)[n] == '\n');
    return f;
}

/* The bytes of every RFC 2047 "B" word in v, joined (malloc'd). */
static char *decode_words(const char *v, size_t n)
{
    char *out = calloc(1, n + 1);
    if (!out)
        fuzz_fail("calloc", __FILE__, __LINE__);
    size_t len = 0;
    for (const char *p = v; (p = strstr(p, "=?UTF-8?B?")) != NULL && p < v + n;) {
        p += 10;
        const char *end = strstr(p, "?=");
        FUZZ_CHECK(end != NULL);
        size_t k = 0;
        FUZZ_CHECK(sodium_base642bin((unsigned char *)out + len, n - len, p, (size_t)(end - p),
                                     NULL, &k, NULL, sodium_base64_VARIANT_ORIGINAL) == 0);
        len += k;
        p = end + 2;
    }
    out[len] = '\0';
    return out;
}

static bool ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return false;
    return true;
}

static void check_mail(const char *subject, const char *name, const char *to, const char *text)
{
    struct notify_mail m = {.from = "noreply@yj.example.gov.cn",
                            .from_name = "yingji 应急",
                            .to = to,
                            .to_name = name,
                            .subject = subject,
                            .text = text,
                            .date_ms = 1780272000000,
                            .message_id = "yingji.outbox.1.1@yj.example.gov.cn"};
    struct yj_buf b;
    struct yj_error err;
    yj_buf_init(&b, NOTIFY_MAIL_MAX);
    if (notify_mail_build(&m, &b, &err) != YJ_OK) {
        FUZZ_CHECK(err.code == YJ_EINVAL || err.code == YJ_ETOOBIG);
        yj_buf_release(&b);
        return;
    }
    static const char *const headers[] = {
        "From: ",       "To: ",           "Subject: ",      "Date: ",
        "Message-ID: ", "MIME-Version: ", "Content-Type: ", "Content-Transfer-Encoding: "};
    const char *p = b.ptr, *end = b.ptr + b.len;
    bool in_headers = true;
    size_t body_at = 0;
    while (p < end) {
        const char *eol = strstr(p, "\r\n");
        FUZZ_CHECK(eol != NULL);
        FUZZ_CHECK(memchr(p, '\n', (size_t)(eol - p)) == NULL);
        FUZZ_CHECK(memchr(p, '\r', (size_t)(eol - p)) == NULL);
        if (in_headers && eol == p) {
            in_headers = false;
            body_at = (size_t)(eol + 2 - b.ptr);
        } else if (in_headers) {
            bool known = *p == ' ';
            for (size_t i = 0; !known && i < sizeof headers / sizeof *headers; i++)
                known = strncmp(p, headers[i], strlen(headers[i])) == 0;
            FUZZ_CHECK(known);
            if (strncmp(p, "Subject: ", 9) == 0) {
                const char *v = p + 9, *vend = v;
                while ((vend = strstr(vend, "\r\n")) && vend[2] == ' ')
                    vend += 2;
                char *back = decode_words(v, (size_t)(vend - v));
                FUZZ_CHECK(strcmp(back, subject) == 0);
                free(back);
            }
            if (strncmp(p, "To: ", 4) == 0 && *name && !ascii(name)) {
                const char *v = p + 4, *vend = strstr(v, " <");
                FUZZ_CHECK(vend != NULL);
                char *back = decode_words(v, (size_t)(vend - v));
                FUZZ_CHECK(strcmp(back, name) == 0);
                free(back);
            }
        }
        p = eol + 2;
    }
    FUZZ_CHECK(!in_headers);
    /* The body decodes to the text, line ends made CRLF: no bare CR or LF. */
    size_t cap = b.len - body_at + 1, n = 0;
    unsigned char *body = malloc(cap);
    if (!body)
        fuzz_fail("malloc", __FILE__, __LINE__);
    FUZZ_CHECK(sodium_base642bin(body, cap, b.ptr + body_at, b.len - body_at, "\r\n", &n, NULL,
                                 sodium_base64_VARIANT_ORIGINAL) == 0);
    for (size_t i = 0; i < n; i++) {
        if (body[i] == '\r')
            FUZZ_CHECK(i + 1 < n && body[i + 1] == '\n');
        if (body[i] == '\n')
            FUZZ_CHECK(i > 0 && body[i - 1] == '\r');
    }
    free(body);
    yj_buf_release(&b);
}

static void check_shapes(const char *s, const char *event)
{
    if (notify_url_valid(s)) {
        FUZZ_CHECK(strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0);
        FUZZ_CHECK(strlen(s) <= 2048);
        for (const char *p = s; *p; p++)
            FUZZ_CHECK((unsigned char)*p > ' ' && *p != 0x7f);
    }
    if (notify_event_valid(s))
        FUZZ_CHECK(notify_events_valid(s) && notify_events_match(s, s));
    if (notify_events_valid(s) && notify_event_valid(event))
        (void)notify_events_match(s, event);
    FUZZ_CHECK(notify_events_match(s, "notify.test") || !notify_events_valid(s) || !*s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *all = fuzz_strndup(data, size);
    const char *p = all;
    char *subject = field(&p), *name = field(&p), *to = field(&p);
    check_mail(subject, name, to, p);
    check_shapes(subject, name);
    check_shapes(all, to);
    free(subject);
    free(name);
    free(to);
    free(all);
    return 0;
}
