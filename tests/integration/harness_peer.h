/*
 * harness_peer.h - the real mail and webhook peers of the integration tests:
 * tests/integration/notify_peer.py run as an SMTP server (Debian's aiosmtpd) or a
 * webhook receiver on loopback, each writing what it receives as numbered files
 * in its directory (by rename: a file seen is complete).
 *
 * Waiting for a delivery polls for the peer's file (every HX_POLL_MS, at most
 * HX_WAIT_MS): waiting for an event, not for time.
 */
#ifndef YJ_TESTS_HARNESS_PEER_H
#define YJ_TESTS_HARNESS_PEER_H

#include "harness.h"

#include <sys/types.h>

enum { HX_WAIT_MS = 20000, HX_POLL_MS = 50 };

struct hx_peer {
    pid_t pid;
    int port;
    char dir[HX_PATH_MAX]; /* set by the caller before starting */
    int seen;              /* mails read so far by hx_mail_next */
};

/* Starts `notify_peer.py kind dir [port]` (kind "smtp" or "http"; port 0: any)
 * and reads the port it announces; fails the test when it does not start. The
 * SMTP peer requires the account in $PEER_SMTP_USER / $PEER_SMTP_PASSWORD. */
void hx_peer_start(struct hx_peer *p, const char *kind, int port);
void hx_peer_stop(struct hx_peer *p);

/* Starts `python3 script args...` (args NULL-terminated, at most 5) with its stdout
 * read until it announces "port N" (into *port) and its stderr appended to log; fails
 * the test, showing log, when it does not announce itself within HX_WAIT_MS. The
 * child dies with the test process. */
pid_t hx_python_start(const char *script, const char *const *args, const char *log, int *port);

void hx_pause_ms(int ms);
/* Polls until path exists; false after HX_WAIT_MS. */
bool hx_wait_file(const char *path);

/* The next mail the SMTP peer received: its raw text (malloc'd) and envelope
 * ({"mail_from", "rcpt_tos": [...], "login"}, the caller's reference). Fails the test after
 * HX_WAIT_MS. */
char *hx_mail_next(struct hx_peer *smtp, json_t **envelope);
/* A header's value in a raw message, continuation lines joined (malloc'd). */
char *hx_mail_header(const char *raw, const char *name);
/* Decodes a header made of RFC 2047 "B" words back to UTF-8 (malloc'd). */
char *hx_mail_decode_words(const char *v);
/* The base64 body of a raw message, decoded (malloc'd). */
char *hx_mail_body(const char *raw);
/* The subject of a raw message, decoded (malloc'd). */
char *hx_mail_subject(const char *raw);

/* The webhook request number n the receiver recorded (the caller's reference). */
json_t *hx_hook_request(struct hx_peer *hooks, int n);

#endif
