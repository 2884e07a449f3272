/*
 * notify_int.h - shared by the notify module's files (and its unit tests): the
 * e-mail message builder, the stored content of an outbox row and the webhook
 * document made from it, and the body signature.
 */
#ifndef YJ_NOTIFY_INT_H
#define YJ_NOTIFY_INT_H

#include <jansson.h>

#include "core/yj.h"
#include "notify/notify.h"
#include "store/store.h"

/* What one e-mail says. Strings are borrowed. */
struct notify_mail {
    const char *from;       /* address */
    const char *from_name;  /* display name, may be NULL */
    const char *to;         /* address */
    const char *to_name;    /* display name, may be NULL */
    const char *subject;    /* UTF-8, one line */
    const char *text;       /* UTF-8 plain text; \n or \r\n line ends */
    int64_t date_ms;        /* the Date: header */
    const char *message_id; /* without the angle brackets: "outbox-12-1780272000000@host" */
};

/* The longest message notify_mail_build makes (the text is at most NOTIFY_TEXT_MAX
 * characters, up to 4 bytes each, grown by a third by base64). */
enum { NOTIFY_MAIL_MAX = 256 * 1024 };

/*
 * Appends the RFC 5322 message m to out: From, To (a non-ASCII display name as
 * RFC 2047 encoded words, an ASCII one quoted), Subject as =?UTF-8?B?...?= words
 * of at most 75 characters folded onto continuation lines, Date, Message-ID,
 * MIME-Version, Content-Type text/plain; charset=UTF-8, Content-Transfer-Encoding
 * base64, then the text (line ends made CRLF) in base64 lines of 76. Lines end
 * in CRLF. YJ_EINVAL naming "from"/"to" for an address with characters a header
 * cannot carry, YJ_ETOOBIG, YJ_ENOMEM.
 */
enum yj_err notify_mail_build(const struct notify_mail *m, struct yj_buf *out,
                              struct yj_error *err);

/* Appends s as RFC 2047 "B" encoded words (UTF-8), split on character boundaries so
 * that each word is at most 75 characters, separated by CRLF and a space. */
enum yj_err notify_encoded_words(const char *s, struct yj_buf *out);

/* Appends the base64 of n bytes in lines of 76 characters, each ended by CRLF. */
enum yj_err notify_base64_lines(const void *data, size_t n, struct yj_buf *out);

/* The content of an outbox row as stored in outbox.body (see notify_enqueue). */
struct notify_content {
    const char *text;
    const char *link;   /* may be NULL */
    json_t *recipients; /* webhooks: [{"name","mobile","email"}]; NULL for email rows */
};

/* Parses r->body into c (strings borrowed from *doc, which the caller json_decref's).
 * YJ_EINVAL when the stored document is malformed. */
enum yj_err notify_content_parse(const char *body, json_t **doc, struct notify_content *c,
                                 struct yj_error *err);

/* public_url + link, without a doubled or missing slash between them; link alone
 * when public_url is NULL or empty; NULL when link is NULL. malloc'd. */
char *notify_link(const char *public_url, const char *link);

/*
 * The JSON document a webhook receives for outbox row r (malloc'd, compact):
 * {"event","subject","text","link","ref":{"type","id"}|null,"recipients":[...],
 * "sent_at"}. NULL when r's stored content is malformed or on ENOMEM.
 */
char *notify_webhook_body(const struct store_outbox *r, const char *public_url, int64_t sent_at);

/* Lower-case hex HMAC-SHA256 of body under secret, into out[65]. */
void notify_signature(const char *secret, const void *body, size_t n, char out[65]);

#endif
