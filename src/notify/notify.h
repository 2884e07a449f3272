/*
 * notify.h - telling people: the outbox (email over SMTP and JSON webhooks,
 * delivered by a worker with back-off, every attempt recorded) and in-app
 * notifications for logged-in users.
 *
 * A change that must tell someone enqueues its messages in its own write
 * transaction (notify_enqueue), so a message exists exactly when the change
 * does; the worker delivers afterwards, outside any transaction, and records
 * each attempt. Delivery is at least once: a crash between sending and
 * recording may send a message twice, never lose it. A dedupe key makes
 * enqueueing idempotent (a timer that fires again after a crash enqueues
 * nothing new).
 *
 * Webhooks carry one JSON document per message and every recipient's name,
 * mobile and email, so that an SMS gateway or an enterprise chat robot can
 * be attached without yingji knowing its protocol. Bodies are signed
 * (X-Yingji-Signature: sha256=<hex HMAC of the body>) when the webhook has a
 * secret.
 *
 * Recipients' addresses are personal data: they are stored in the outbox (the
 * delivery needs them) but never logged.
 */
#ifndef YJ_NOTIFY_NOTIFY_H
#define YJ_NOTIFY_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/clock.h"
#include "core/err.h"

struct store;
struct store_tx;

enum {
    NOTIFY_MAX_ATTEMPTS = 10,          /* then the message is "failed" */
    NOTIFY_BACKOFF_FIRST_MS = 60000,   /* 1 min, doubling ... */
    NOTIFY_BACKOFF_MAX_MS = 3600000,   /* ... up to 1 h */
    NOTIFY_SUBJECT_MAX = 200,          /* characters */
    NOTIFY_TEXT_MAX = 20000,
    NOTIFY_RECIPIENTS_MAX = 64,
};

/* One person to tell. Any of email / mobile / user_id may be absent (NULL, 0). */
struct notify_recipient {
    const char *name;
    const char *email;  /* an email message is queued when set */
    const char *mobile; /* carried to webhooks (SMS gateways) */
    int64_t user_id;    /* an in-app notification is written when > 0 */
};

struct notify_message {
    const char *event;    /* e.g. "dispatch.notified", "dispatch.escalated"; webhooks filter on it */
    const char *subject;  /* one line, Chinese */
    const char *text;     /* the body as plain text */
    const char *link;     /* the UI path it concerns, e.g. "/#/dispatches/12"; may be NULL */
    const char *ref_type; /* what it concerns: "dispatch", "incident", "drill", ...; may be NULL */
    int64_t ref_id;
    /* Idempotence: messages with the same dedupe key are enqueued once (per channel
     * and recipient). NULL: no deduplication. */
    const char *dedupe;
};

/*
 * Queues m for every recipient (email when it has an address; in-app when it has
 * a user) and, once, for every enabled webhook whose events match m->event (with
 * all recipients in the document). Runs in the caller's write transaction; the
 * worker sees the messages once it commits (call notify_worker_kick after the
 * commit). *queued (may be NULL) gets how many outbox rows were added (0 when the
 * dedupe key had been used). YJ_EINVAL naming "subject"/"text" when over limits.
 */
enum yj_err notify_enqueue(struct store_tx *tx, const struct notify_message *m,
                           const struct notify_recipient *to, size_t n, int64_t now,
                           size_t *queued, struct yj_error *err);

/* The wait before attempt number `attempts` + 1 after `attempts` failures (>= 1):
 * 1 min, 2, 4, ... at most 1 h. */
int64_t notify_backoff_ms(int attempts);

/* How mail leaves and how links are made. Strings are copied by notify_worker_start. */
struct notify_config {
    const char *smtp_url;      /* "smtp://host:port" or "smtps://..."; NULL: email is not sent
                                  (attempts fail with "no SMTP server configured") */
    const char *smtp_user;     /* optional */
    const char *smtp_password; /* optional; from the environment, never a flag */
    const char *mail_from;     /* the envelope and From: address */
    const char *public_url;    /* prefix of links in messages, e.g. "https://yj.example.gov.cn" */
    long timeout_ms;           /* per delivery attempt; 0: 10 s */
};

/*
 * One pass: claims every message due at now (pending, next_attempt_at <= now,
 * not leased by another pass), delivers each, records the attempt, and sets the
 * message sent, or pending with back-off, or failed after NOTIFY_MAX_ATTEMPTS.
 * *attempted (may be NULL) gets how many were tried; *next_due the earliest
 * next_attempt_at still pending (0 when none).
 */
enum yj_err notify_deliver_due(struct store *st, const struct notify_config *cfg, int64_t now,
                               size_t *attempted, int64_t *next_due, struct yj_error *err);

#endif
