/*
 * harness.h - drives a real `yingji serve` for the integration tests.
 *
 * A test makes a server (a temporary directory holding the data directory, an
 * optional injected clock file and the server's captured standard error), talks
 * to it over HTTP through libcurl clients (each with its own cookie jar and CSRF
 * token), and runs the other subcommands (audit verify, backup) as child
 * processes. Time moves only through the clock file: no test sleeps.
 *
 * Failure policy: these are test helpers, so a helper that cannot do its job
 * (the server does not start, a request cannot be sent, a setup call gets an
 * unexpected status) fails the running cmocka test with a message saying why;
 * it never returns a half-done result. Functions that a test uses to observe
 * behaviour (hx_request, hx_yingji, hx_audit_verify, ...) return what happened
 * and leave judging it to the test.
 *
 * Ownership, in general: the caller owns a struct hx_server (hx_server_free
 * removes its temporary directory) and a struct hx_client (hx_client_free); a
 * client owns every struct hx_resp it returned, with its body, headers and
 * parsed JSON, until hx_client_free, so tests never free responses; strings
 * from hx_fmt, hx_escape and hx_etag live in 16 rotating buffers; output
 * strings of child processes are malloc'd and the caller frees them.
 *
 * Environment (set by tests/CMakeLists.txt): YINGJI_BIN, the yingji binary;
 * YINGJI_WEB, the assembled web directory; YINGJI_SRC, the source root.
 */
#ifndef YJ_TESTS_HARNESS_H
#define YJ_TESTS_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <cmocka.h>
#include <jansson.h>

/* The first account, made by `yingji init`. */
#define HX_ADMIN_USER "admin"
#define HX_ADMIN_PASSWORD "hx-admin-password-1"
/* The password hx_user_create gives new accounts unless told otherwise. */
#define HX_PASSWORD "hx-user-password-1"

/* 2026-06-01T00:00:00.000Z: where an injected clock starts. */
#define HX_CLOCK_START INT64_C(1780272000000)
#define HX_MINUTE_MS INT64_C(60000)
#define HX_HOUR_MS INT64_C(3600000)

enum { HX_PATH_MAX = 4096, HX_ROOT_MAX = 1024 };

/* --- the server process ------------------------------------------------------------ */

struct hx_server_options {
    bool clock;          /* serve with YINGJI_TEST_CLOCK_FILE, starting at HX_CLOCK_START */
    const char *web_dir; /* --web; NULL for $YINGJI_WEB */
    bool tls;            /* serve HTTPS with a self-signed certificate made for the test */
    /* more `yingji serve` arguments, NULL-terminated (e.g. {"--public-limit", "3", NULL});
     * NULL for none. Borrowed: kept in hx_server.serve_args, so it must outlive the server */
    const char *const *serve_args;
};

struct hx_server {
    char root[HX_ROOT_MAX];  /* the temporary directory holding everything below */
    char data[HX_PATH_MAX];  /* the data directory (root/data) */
    char clock[HX_PATH_MAX]; /* the clock file, "" without an injected clock */
    char log[HX_PATH_MAX];   /* the server's standard error, appended across restarts */
    char web[HX_PATH_MAX];   /* the --web directory */
    char base_url[64];       /* "http(s)://127.0.0.1:PORT" while running */
    char tls_cert[HX_PATH_MAX], tls_key[HX_PATH_MAX]; /* "" unless serving HTTPS */
    int port;                                         /* 0 while stopped */
    pid_t pid;                                        /* 0 while stopped */
    int64_t now_ms;                                   /* the injected clock's value (when clock) */
    const char *const *serve_args; /* extra serve arguments (options.serve_args); a test may
                                      change it before hx_server_start/hx_server_restart */
    char **secrets; /* values that must never appear in the log; see hx_secret_note */
    size_t n_secrets, cap_secrets;
};

/*
 * Makes a temporary directory, runs `yingji init` in it with HX_ADMIN_PASSWORD and
 * starts `yingji serve` on 127.0.0.1 port 0 (hx_server_start). opt may be NULL.
 * Returns a server owned by the caller, released with hx_server_free.
 */
struct hx_server *hx_server_new(const struct hx_server_options *opt);

/*
 * Spawns `yingji serve --data ... --listen 127.0.0.1:0 --web ...` with its stderr
 * appended to s->log and its stdout read through a pipe (poll, 60 s in all) until
 * the "listening on http://127.0.0.1:PORT/" line; sets port and base_url. The
 * server dies with the test process (PR_SET_PDEATHSIG). Fails the test if the
 * server exits or does not announce itself in time. s->serve_args follow the rest.
 */
void hx_server_start(struct hx_server *s);

/* SIGTERM, then waits (at most 60 s) and asserts a clean exit with status 0. */
void hx_server_stop(struct hx_server *s);

/* SIGTERM and wait like hx_server_stop, but returns the wait status instead of
 * asserting on it (for tests about shutdown itself). */
int hx_server_terminate(struct hx_server *s);

/* Waits (at most 60 s) for the server to exit by itself (after a signal the test
 * sent to s->pid) and returns the wait status. */
int hx_server_wait_exit(struct hx_server *s);

/* SIGKILL, then reaps the process (asserting it died of SIGKILL). */
void hx_server_kill(struct hx_server *s);

/* hx_server_stop (when running) then hx_server_start on the same data directory. */
void hx_server_restart(struct hx_server *s);

/*
 * Stops the server if it is running (asserting a clean exit), removes the
 * temporary directory and frees s. NULL is a no-op.
 */
void hx_server_free(struct hx_server *s);

/* Writes ms into the clock file (atomically, by rename). Needs opt.clock. */
void hx_clock_set(struct hx_server *s, int64_t ms);
/* hx_clock_set(s, s->now_ms + ms). */
void hx_clock_advance(struct hx_server *s, int64_t ms);

/*
 * Waits (inotify, at most timeout_ms) until the server's log contains needle.
 * Returns true when it appeared, false on time-out.
 */
bool hx_server_wait_log(struct hx_server *s, const char *needle, int timeout_ms);

/* The whole log so far, NUL-terminated; malloc'd, the caller frees it. */
char *hx_server_log(const struct hx_server *s);

/*
 * Remembers a secret (password, session id, CSRF token, API token) that must
 * never appear in the server's log. The harness notes the ones it sees by
 * itself: passwords given to hx_login/hx_user_create/hx_client_login, the
 * yj_session cookie of every Set-Cookie, and "csrf_token"/"token" fields of JSON
 * answers. Empty strings are ignored; value is copied.
 */
void hx_secret_note(struct hx_server *s, const char *value);

/* Fails the test naming the first noted secret that occurs in the server's log. */
void hx_server_assert_log_clean(const struct hx_server *s);

/* --- child processes ----------------------------------------------------------------- */

/*
 * Runs $YINGJI_BIN with the NULL-terminated arguments (after the program name),
 * capturing stdout and stderr together into *out (malloc'd, NUL-terminated, the
 * caller frees it; out may be NULL). Waits at most 120 s. Returns the exit
 * status, or 128 + signal number when killed by a signal.
 */
int hx_yingji(char **out, ...) __attribute__((sentinel));

/* `yingji audit verify --data dir`: the exit status, output into *out as for hx_yingji. */
int hx_audit_verify(const char *dir, char **out);

/* A child process started with hx_spawn, its output collected by hx_spawn_wait. */
struct hx_child {
    pid_t pid;
    int out_fd;  /* read end of stdout+stderr */
    bool exited; /* reaped (by hx_spawn_done or hx_spawn_wait) */
    int status;  /* the wait status once exited */
};

/* Starts $YINGJI_BIN with the NULL-terminated arguments without waiting. */
void hx_spawn(struct hx_child *c, ...) __attribute__((sentinel));
/* true once the child has exited (never blocks); the status is then kept for hx_spawn_wait. */
bool hx_spawn_done(struct hx_child *c);
/* Waits for it (at most 120 s); returns the exit status as hx_yingji, output into *out. */
int hx_spawn_wait(struct hx_child *c, char **out);

/* Makes directory path (mode 0700); an existing one is fine. */
void hx_make_dir(const char *path);
/* Copies one file (fails the test on error). */
void hx_copy_file(const char *from, const char *to);
/* Copies the regular files of directory src into dst (made if absent), recursively. */
void hx_copy_tree(const char *src, const char *dst);
/* Removes path and everything under it. Missing is fine. */
void hx_remove_tree(const char *path);
/* Reads a whole file into malloc'd memory with a NUL after its last byte; *len (len may be
 * NULL) is its size in bytes, NUL bytes inside a binary file included. NULL when it cannot
 * be read. */
char *hx_read_file(const char *path, size_t *len);
/* Writes a whole file (fails the test on error). */
void hx_write_file(const char *path, const void *data, size_t len);

/* --- HTTP clients ---------------------------------------------------------------------- */

enum { HX_MAX_RESP_HEADERS = 64 };

struct hx_resp {
    long status;
    char *body; /* NUL-terminated; "" when empty */
    size_t body_len;
    json_t *json;         /* the body parsed (any JSON value), or NULL when it is not JSON */
    const char *etag;     /* the named headers' values (first occurrence), or NULL */
    const char *location; /* ... */
    const char *retry_after;
    const char *set_cookie;
    const char *content_type;
    char *headers[HX_MAX_RESP_HEADERS]; /* raw "Name: value" lines of the final response */
    size_t n_headers;
    struct hx_resp *next; /* the owning client's list */
};

struct hx_client {
    struct hx_server *srv; /* borrowed: requests go to srv->base_url, which follows restarts */
    void *curl;            /* CURL * */
    char csrf[64];         /* sent as X-CSRF-Token on writes when send_csrf; "" for none */
    bool send_csrf;        /* default true */
    char bearer[64];       /* when set, sent as "Authorization: Bearer ..." */
    char session_id[64];   /* the last yj_session cookie the server set ("" for none) */
    int64_t user_id;       /* after a successful login, the user's id */
    struct hx_resp *resps; /* every response returned, freed with the client */
};

/* A client with an empty cookie jar and no credentials. Free with hx_client_free. */
struct hx_client *hx_client_new(struct hx_server *s);
/* A new client with c's cookies, CSRF token and bearer token (a second tab). */
struct hx_client *hx_client_clone(struct hx_client *c);
/* Frees the client and every response it returned. NULL is a no-op. */
void hx_client_free(struct hx_client *c);

/* Extra options for one request. */
struct hx_req {
    const char *content_type; /* NULL: none sent */
    const void *body;         /* NULL: no body */
    size_t body_len;
    const char *if_match;       /* If-Match value, NULL for none */
    const char *const *headers; /* extra "Name: value" lines, NULL-terminated; may be NULL */
    bool chunked;               /* send the body with Transfer-Encoding: chunked */
};

/*
 * Sends one request. path is the URL path with any query ("/api/v1/units?limit=2").
 * Adds X-CSRF-Token on anything but GET/HEAD when c->send_csrf and c->csrf is set,
 * and the bearer token when set. Never follows redirects, never uses a proxy.
 * Returns the response (owned by c). Fails the test only when no HTTP answer came.
 */
struct hx_resp *hx_request(struct hx_client *c, const char *method, const char *path,
                           const struct hx_req *opt);

/* GET path. */
struct hx_resp *hx_get(struct hx_client *c, const char *path);
/*
 * method path with body as application/json (body is consumed: its reference is
 * taken, NULL sends no body) and If-Match if_match (NULL for none).
 */
struct hx_resp *hx_send(struct hx_client *c, const char *method, const char *path, json_t *body,
                        const char *if_match);
/* hx_send(c, "POST", path, body, NULL). */
struct hx_resp *hx_post(struct hx_client *c, const char *path, json_t *body);
/*
 * method path with the len bytes at data (borrowed; binary is fine; NULL for no body) as
 * the body, sent with Content-Type content_type (NULL: none) and Content-Length; no
 * If-Match.
 */
struct hx_resp *hx_send_raw(struct hx_client *c, const char *method, const char *path,
                            const char *content_type, const void *data, size_t len);
/*
 * Sends the same request n times at once (curl multi, n connections) as c's
 * session or bearer token: body (borrowed; NULL for none) as application/json,
 * If-Match if_match (NULL for none). Writes each answer's status into statuses[n]
 * (in no particular order). Fails the test if any request gets no answer.
 */
void hx_parallel(struct hx_client *c, size_t n, const char *method, const char *path,
                 const json_t *body, const char *if_match, long *statuses);

/* A header of r (case-insensitive name), or NULL. Borrowed from r. */
const char *hx_header(const struct hx_resp *r, const char *name);

/* A printf-formatted string from a rotating set of 16 buffers of 1 KiB (test paths). */
const char *hx_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* s percent-encoded for a query string (from hx_fmt's buffers). */
const char *hx_escape(const char *s);

/*
 * Asserts r's status; on mismatch prints the method-independent details (status,
 * body) at the caller's line. Use the macro.
 */
#define HX_EXPECT(r, status) hx_expect_status((r), (status), __FILE__, __LINE__)
void hx_expect_status(const struct hx_resp *r, long status, const char *file, int line);

/*
 * Asserts r is the error shape {"error":{"code","message"[,"field"]}} with this
 * status and code, and field (NULL: no "field" key). Use the macro.
 */
#define HX_EXPECT_ERROR(r, status, code, field)                                                    \
    hx_expect_error((r), (status), (code), (field), __FILE__, __LINE__)
void hx_expect_error(const struct hx_resp *r, long status, const char *code, const char *field,
                     const char *file, int line);

/* r->json's string member key, or NULL. Borrowed from r. */
const char *hx_json_str(const struct hx_resp *r, const char *key);
/* r->json's integer member key; fails the test when absent. */
int64_t hx_json_int(const struct hx_resp *r, const char *key);

/* --- sessions and users ---------------------------------------------------------------- */

/*
 * POST /api/v1/session {"username","password"} on c; on 200 remembers the CSRF
 * token, the session cookie and the user id. Returns the response either way.
 */
struct hx_resp *hx_client_login(struct hx_client *c, const char *username, const char *password);

/* A new client logged in as username (asserting 200). Free with hx_client_free. */
struct hx_client *hx_login(struct hx_server *s, const char *username, const char *password);

/* hx_login as the admin. */
struct hx_client *hx_login_admin(struct hx_server *s);

/*
 * Creates a user through the API as authority client admin (asserting 201) and
 * returns its id. username NULL picks a fresh one (written to name_out when not
 * NULL, 33 bytes); password NULL means HX_PASSWORD; unit_id 0 unless role is "unit".
 */
int64_t hx_user_create(struct hx_client *admin, const char *role, int64_t unit_id,
                       const char *username, const char *password, char name_out[33]);

/* hx_user_create with a fresh name and HX_PASSWORD, then hx_login as it. */
struct hx_client *hx_user_client(struct hx_client *admin, const char *role, int64_t unit_id);

/*
 * Creates an API token for c's user (asserting 201), copying the secret into
 * token_out (at least 64 bytes). Returns the token's id.
 */
int64_t hx_token_create(struct hx_client *c, const char *name, char *token_out);

/*
 * A new client of c's user that sends an API token (hx_token_create) instead of
 * c's session, with c's user_id: it outlives the 30-minute session idle time an
 * injected clock jumps past, and a server restart. Frees c. Free the result with
 * hx_client_free.
 */
struct hx_client *hx_tokened(struct hx_server *s, struct hx_client *c);

/* --- units ------------------------------------------------------------------------------ */

/* A valid 统一社会信用代码 not given out before in this process, into out[19]. */
const char *hx_credit_code(char out[19]);

/*
 * A complete valid unit document (every section filled, five-digit marker n in
 * the name) with a fresh credit code. New reference.
 */
json_t *hx_unit_doc(const char *name);

/* A minimal valid unit: name and a fresh credit code. New reference. */
json_t *hx_unit_min(const char *name);

/* POSTs doc (consumed; NULL: hx_unit_doc("测试单位")) as c, asserts 201, returns the id. */
int64_t hx_unit_create(struct hx_client *c, json_t *doc);

/* The unit's current version (GET as c, asserting 200). */
int64_t hx_unit_version(struct hx_client *c, int64_t id);

/* "\"<version>\"", the If-Match value for version (from hx_fmt's buffers). */
const char *hx_etag(int64_t version);

/* How many live units c can see (walks every page). */
size_t hx_unit_count(struct hx_client *c);

/* How many users there are (walks every page; c must be authority or auditor). */
size_t hx_user_count(struct hx_client *c);

/* The audit chain's length: the newest record's seq (c must be authority or auditor). */
int64_t hx_audit_length(struct hx_client *c);

/* GETs path (a list route), following next_cursor with limit per page, and returns all items
 * as a new JSON array. */
json_t *hx_list_all(struct hx_client *c, const char *path, int limit);

/* --- selection: campaigns, applications, the review (harness_selection.c) -------------- */

/* ms as RFC 3339 UTC with milliseconds ("2026-06-01T00:00:00.000Z"), from hx_fmt's buffers. */
const char *hx_time(int64_t ms);

/* The path of tests/fixtures/attach/name under $YINGJI_SRC (from hx_fmt's buffers). */
const char *hx_fixture_path(const char *name);
/* That fixture's bytes (hx_read_file: malloc'd, *len its size); fails the test if unreadable. */
char *hx_fixture(const char *name, size_t *len);

/*
 * A valid campaign to create: name, the 六盘水 title and two issuing authorities, ten
 * places, the pattern LPS-YJ-{YYYY}-{NNN}, the default thresholds and rubric except one
 * certified staff member (so hx_unit_doc units are eligible), the deadline deadline_at and
 * the public notice from the deadline to HX_NOTICE_MS after it. New reference.
 *
 * Sessions end after 30 minutes idle (and 12 hours in all) by the injected clock, so a
 * test that wants to keep its logins moves the clock by minutes, not days: a deadline a
 * few minutes ahead, then hx_clock_advance past it and past the notice.
 */
enum { HX_NOTICE_MS = 5 * 60 * 1000 };
json_t *hx_campaign_doc(const char *name, int64_t deadline_at);
/* POSTs doc (consumed) as admin, asserts 201, returns the id. The campaign is a draft. */
int64_t hx_campaign_create(struct hx_client *admin, json_t *doc);
/* The campaign's version (its ETag's number) as c reads it, asserting 200. */
int64_t hx_campaign_version(struct hx_client *c, int64_t id);
/* Moves the campaign to stage to with its current ETag, asserting 200. */
void hx_campaign_stage(struct hx_client *admin, int64_t id, const char *to);
/* hx_campaign_create(hx_campaign_doc(name, deadline_at)), then open it. Returns the id. */
int64_t hx_campaign_open(struct hx_client *admin, const char *name, int64_t deadline_at);

/*
 * A complete application content document without "profile" (which comes from the unit's
 * registry record when the application starts: hx_unit_doc units have all it needs):
 * every section submission requires, three years of finances, three typical cases and
 * every declaration. New reference.
 */
json_t *hx_application_content(void);
/* Starts c's unit's application in an open campaign (asserting 201); returns its id. */
int64_t hx_application_start(struct hx_client *unit, int64_t campaign_id);
/* The application's version (its ETag's number) as c reads it, asserting 200. */
int64_t hx_application_version(struct hx_client *c, int64_t id);
/* POSTs len bytes at data as an attachment of kind named filename; returns the response. */
struct hx_resp *hx_upload(struct hx_client *c, int64_t application_id, const char *kind,
                          const char *filename, const void *data, size_t len);
/* Uploads tests/fixtures/attach/sample.pdf as a kind (asserting 201); returns its id. */
int64_t hx_attachment_add(struct hx_client *unit, int64_t application_id, const char *kind);
/*
 * Makes a draft complete: PATCHes hx_application_content() with the current ETag and
 * attaches what submission requires (one commitment_letter, response_commitment,
 * legal_documents and audit_report, three risk_assessment_report), all sample.pdf.
 */
void hx_application_complete(struct hx_client *unit, int64_t id);
/* Submits with the current ETag, asserting 200. */
void hx_application_submit(struct hx_client *unit, int64_t id);
/* hx_application_start, hx_application_complete, hx_application_submit. Returns the id. */
int64_t hx_application_submitted(struct hx_client *unit, int64_t campaign_id);

/* The security reviewer passes the application's background review (asserting 200). */
void hx_security_pass(struct hx_client *reviewer, int64_t application_id);
/* Forms a panel of experts (user ids) and applications in the campaign (asserting 201). */
int64_t hx_panel_create(struct hx_client *admin, int64_t campaign_id, const int64_t *experts,
                        size_t n_experts, const int64_t *apps, size_t n_apps);
/* The expert scores every criterion of the campaign's rubric (4/5 of its points) and
 * submits the sheet (asserting 200). */
void hx_scores_submit(struct hx_client *expert, int64_t campaign_id, int64_t application_id);
/* Closes the panel (asserting 200). */
void hx_panel_close(struct hx_client *admin, int64_t panel_id);
/* Makes the campaign's proposed list (asserting 200). */
void hx_proposal(struct hx_client *admin, int64_t campaign_id);

enum { HX_REVIEW_EXPERTS_MAX = 8 };

/* Who carries a campaign through its review. */
struct hx_review {
    struct hx_client *admin, *reviewer;
    struct hx_client *experts[HX_REVIEW_EXPERTS_MAX];
    size_t n_experts;
};

/*
 * For a campaign in review whose apps are submitted: passes each background review, forms
 * one panel of w's experts and the apps, has every expert submit a full sheet for each,
 * closes the panel and makes the proposed list (every app, eligible and scored, is then
 * proposed when there are places). Returns the panel's id.
 */
int64_t hx_review_to_proposal(const struct hx_review *w, int64_t campaign_id, const int64_t *apps,
                              size_t n_apps);

#endif
