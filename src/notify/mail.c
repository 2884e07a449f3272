/*
 * mail.c - the RFC 5322 / MIME text of an e-mail: headers with RFC 2047 encoded
 * words for Chinese subjects and names, a UTF-8 plain-text body in base64.
 * Base64 is libsodium's; everything else is formatting.
 */
#include <sodium.h>
#include <time.h>

#include "notify/notify_int.h"

/* Raw bytes per encoded word: 39 bytes (13 Chinese characters) make 52 base64
 * characters, so "Subject: " and a word stay within 76 columns. */
enum { WORD_BYTES = 39, LINE_BYTES = 57 /* 76 base64 characters */ };

/* Appends the base64 of n bytes (n <= LINE_BYTES). */
static enum yj_err b64_append(const void *data, size_t n, struct yj_buf *out)
{
    char b64[sodium_base64_ENCODED_LEN(LINE_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(b64, sizeof b64, data, n, sodium_base64_VARIANT_ORIGINAL);
    return yj_buf_puts(out, b64);
}

/* The length of the longest prefix of s, at most max bytes, that ends on a UTF-8
 * character boundary; max itself when there is none (bytes that are not UTF-8 are
 * split anywhere, but never past max). */
static size_t utf8_prefix(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n > 0 ? n : max;
}

enum yj_err notify_encoded_words(const char *s, struct yj_buf *out)
{
    size_t len = strlen(s);
    enum yj_err rc = YJ_OK;
    for (bool first = true; !rc && (len > 0 || first); first = false) {
        size_t n = utf8_prefix(s, len, WORD_BYTES);
        if (!first)
            rc = yj_buf_puts(out, "\r\n ");
        if (!rc)
            rc = yj_buf_puts(out, "=?UTF-8?B?");
        if (!rc)
            rc = b64_append(s, n, out);
        if (!rc)
            rc = yj_buf_puts(out, "?=");
        s += n;
        len -= n;
    }
    return rc;
}

enum yj_err notify_base64_lines(const void *data, size_t n, struct yj_buf *out)
{
    const unsigned char *p = data;
    enum yj_err rc = YJ_OK;
    while (!rc && n > 0) {
        size_t k = n < LINE_BYTES ? n : LINE_BYTES;
        rc = b64_append(p, k, out);
        if (!rc)
            rc = yj_buf_puts(out, "\r\n");
        p += k;
        n -= k;
    }
    return rc;
}

static bool ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return false;
    return true;
}

/* An address a header can carry as <addr>: printable ASCII without spaces, quotes
 * or angle brackets, and an @. */
static bool address_ok(const char *s)
{
    if (!s || !*s || !strchr(s, '@'))
        return false;
    for (; *s; s++)
        if ((unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7f || strchr("<>\"\\,;", *s))
            return false;
    return true;
}

/* "Name: display <addr>\r\n": an ASCII name quoted, any other as encoded words. */
static enum yj_err mailbox(struct yj_buf *out, const char *header, const char *name,
                           const char *addr)
{
    enum yj_err rc = yj_buf_printf(out, "%s: ", header);
    if (!rc && name && *name && !ascii(name)) {
        rc = notify_encoded_words(name, out);
        if (!rc)
            rc = yj_buf_puts(out, " ");
    } else if (!rc && name && *name) {
        rc = yj_buf_puts(out, "\"");
        for (const char *p = name; !rc && *p; p++) {
            char c = (unsigned char)*p < ' ' ? ' ' : *p; /* no line breaks in a header */
            if (c == '"' || c == '\\')
                rc = yj_buf_append(out, "\\", 1);
            if (!rc)
                rc = yj_buf_append(out, &c, 1);
        }
        if (!rc)
            rc = yj_buf_puts(out, "\" ");
    }
    if (!rc)
        rc = yj_buf_printf(out, "<%s>\r\n", addr);
    return rc;
}

/* "Date: Mon, 01 Jun 2026 00:00:00 +0000\r\n" (RFC 5322 §3.3, in UTC). */
static enum yj_err date_header(struct yj_buf *out, int64_t ms)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        memset(&tm, 0, sizeof tm);
    return yj_buf_printf(out, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
                         days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
                         tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The text with every line end made CRLF, into out. */
static enum yj_err crlf_text(const char *text, struct yj_buf *out)
{
    enum yj_err rc = YJ_OK;
    for (const char *p = text; !rc && *p;) {
        size_t n = strcspn(p, "\r\n");
        rc = yj_buf_append(out, p, n);
        p += n;
        if (!rc && *p) {
            rc = yj_buf_puts(out, "\r\n");
            p += p[0] == '\r' && p[1] == '\n' ? 2 : 1;
        }
    }
    return rc;
}

enum yj_err notify_mail_build(const struct notify_mail *m, struct yj_buf *out, struct yj_error *err)
{
    if (!address_ok(m->from))
        return yj_error_set(err, YJ_EINVAL, "from", "not an address a mail header can carry");
    if (!address_ok(m->to))
        return yj_error_set(err, YJ_EINVAL, "to", "not an address a mail header can carry");
    if (m->message_id && !address_ok(m->message_id))
        return yj_error_set(err, YJ_EINVAL, "message_id", "not a message id");
    struct yj_buf body;
    yj_buf_init(&body, NOTIFY_MAIL_MAX);
    enum yj_err rc = crlf_text(m->text ? m->text : "", &body);
    if (!rc)
        rc = mailbox(out, "From", m->from_name, m->from);
    if (!rc)
        rc = mailbox(out, "To", m->to_name, m->to);
    if (!rc)
        rc = yj_buf_puts(out, "Subject: ");
    if (!rc)
        rc = notify_encoded_words(m->subject ? m->subject : "", out);
    if (!rc)
        rc = yj_buf_puts(out, "\r\n");
    if (!rc)
        rc = date_header(out, m->date_ms);
    if (!rc && m->message_id)
        rc = yj_buf_printf(out, "Message-ID: <%s>\r\n", m->message_id);
    if (!rc)
        rc = yj_buf_puts(out, "MIME-Version: 1.0\r\n"
                              "Content-Type: text/plain; charset=UTF-8\r\n"
                              "Content-Transfer-Encoding: base64\r\n\r\n");
    if (!rc)
        rc = notify_base64_lines(body.ptr ? body.ptr : "", body.len, out);
    yj_buf_release(&body);
    if (rc)
        return yj_error_set(err, rc, NULL,
                            rc == YJ_ETOOBIG ? "message too large" : "out of memory");
    return YJ_OK;
}
