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

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/clock.h"
#include "core/err.h"

struct store;
struct store_tx;

enum {
    NOTIFY_MAX_ATTEMPTS = 10,        /* then the message is "failed" */
    NOTIFY_BACKOFF_FIRST_MS = 60000, /* 1 min, doubling ... */
    NOTIFY_BACKOFF_MAX_MS = 3600000, /* ... up to 1 h */
    NOTIFY_SUBJECT_MAX = 200,        /* characters */
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
    const char *event;   /* e.g. "dispatch.notified", "dispatch.escalated"; webhooks filter on it */
    const char *subject; /* one line, Chinese */
    const char *text;    /* the body as plain text */
    const char *link;    /* the UI path it concerns, e.g. "/#/dispatches/12"; may be NULL */
    const char *ref_type; /* what it concerns: "dispatch", "incident", "drill", ...; may be NULL */
    int64_t ref_id;
    /* Idempotence: messages with the same dedupe key are enqueued once (per channel
     * and recipient). NULL: no deduplication. */
    const char *dedupe;
    /* The link's fragment is a capability for the recipients alone (e.g. an owner's
     * answer link): delivered whole, but stored marked so that readers of the outbox
     * see it hidden (outbox.body's "link_secret"). */
    bool link_secret;
};

/*
 * Queues m for every recipient (email when it has an address; in-app when it has
 * a user) and, once, for every enabled webhook whose events match m->event (with
 * all recipients in the document). Runs in the caller's write transaction; the
 * worker sees the messages once it commits (call api_background_kick after the
 * commit). *queued (may be NULL) gets how many outbox rows were added (0 when the
 * dedupe key had been used). YJ_EINVAL naming "event", "subject" (required, one
 * line), "text" or "recipients" when malformed or over limits.
 *
 * Details: a recipient whose email is not a plausible address gets no email (a
 * warning is logged, without the address) rather than failing the change; the
 * same address or user twice in `to` is told once. Outbox rows store the text,
 * link and (for webhooks) the recipients as a JSON document in outbox.body; the
 * link is made absolute with notify_config.public_url at delivery. Deduplication
 * keys outbox rows by "<dedupe>|email|<address>" and "<dedupe>|webhook|<id>";
 * in-app notifications (whose table has no key) are deduplicated, when m->dedupe
 * is set, by the user already having one with the same event, reference, subject
 * and text. Event "notify.test" goes to every enabled webhook whatever its filter.
 */
enum yj_err notify_enqueue(struct store_tx *tx, const struct notify_message *m,
                           const struct notify_recipient *to, size_t n, int64_t now, size_t *queued,
                           struct yj_error *err);

/* The channels notify_enqueue_channels may use (notify_enqueue uses all). */
enum {
    NOTIFY_CH_EMAIL = 1 << 0,
    NOTIFY_CH_INAPP = 1 << 1,
    NOTIFY_CH_WEBHOOK = 1 << 2,
    NOTIFY_CH_ALL = NOTIFY_CH_EMAIL | NOTIFY_CH_INAPP | NOTIFY_CH_WEBHOOK,
};

/* notify_enqueue over the channels in the mask only (e.g. a test message to one
 * address and no webhook). */
enum yj_err notify_enqueue_channels(struct store_tx *tx, const struct notify_message *m,
                                    const struct notify_recipient *to, size_t n, unsigned channels,
                                    int64_t now, size_t *queued, struct yj_error *err);

/* The wait before attempt number `attempts` + 1 after `attempts` failures (>= 1):
 * 1 min, 2, 4, ... at most 1 h. */
int64_t notify_backoff_ms(int attempts);

/* How mail leaves and how links are made. Strings are copied by api_background_start. */
struct notify_config {
    const char *smtp_url;      /* "smtp://host:port" or "smtps://..."; NULL: email is not sent
                                  (attempts fail with "no SMTP server configured") */
    const char *smtp_user;     /* optional */
    const char *smtp_password; /* optional; from the environment, never a flag */
    const char *mail_from;     /* the envelope and From: address */
    const char *public_url;    /* prefix of links in messages, e.g. "https://yj.example.gov.cn" */
    long timeout_ms;           /* per delivery attempt; 0: 10 s */
    /* Optional (NULL: none): once true, a pass sends nothing more and aborts the delivery
     * in progress; what it had claimed and not delivered is released, uncounted, for the
     * next pass (a shutting-down server does not wait out slow receivers). */
    const atomic_bool *stop;
};

/* Names of events: 1 to 64 of [a-z0-9_.-], starting with a letter. 1 when valid. */
int notify_event_valid(const char *event);

/*
 * A webhook's filter: "*" (every event), or a comma-separated list of event names,
 * each optionally ending in ".*" for every event under that prefix
 * ("dispatch.*,incident.closed"). notify_events_valid: 1 when well-formed (at most
 * 1000 bytes); notify_events_match: 1 when filter selects event.
 */
int notify_events_valid(const char *filter);
int notify_events_match(const char *filter, const char *event);

/* A webhook URL: http:// or https:// with a host, at most 2048 bytes, no spaces or
 * control characters. 1 when acceptable. */
int notify_url_valid(const char *url);

/* The lease a delivery pass puts on the messages it claims: longer than a batch of
 * deliveries can take, so no other pass takes them meanwhile. */
enum { NOTIFY_BATCH = 8, NOTIFY_LEASE_MS = 5 * 60 * 1000 };

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
