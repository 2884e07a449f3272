/*
 * test_feeds.c - scheduled indicator feeds through a real server and a real HTTP
 * peer (feed_peer.py): a bad field is refused naming it; a run by hand imports
 * what the peer serves, with the feed's defaults; the next run sends the stored
 * ETag and Last-Modified back and a 304 imports nothing; a changed file imports
 * again and merges; the schedule fires when the injected clock passes next_run_at
 * and a disabled feed never runs; a malformed body records the parser's message
 * and imports nothing; file:// sources, CSV mappings and MISP feeds (a directory
 * and a URL); edits, deletion, the audit chain, and a source's password that
 * reaches neither auditors, the audit chain nor the log.
 */
#include <stdlib.h>
#include <string.h>

#include "core/yj.h"
#include "harness.h"
#include "harness_feed.h"
#include "harness_peer.h"

static struct hx_server *srv;
static struct hx_client *admin, *auditor;
static struct hx_feed_peer peer;

static int setup(void **state)
{
    (void)state;
    struct hx_server_options opt = {.clock = true};
    srv = hx_server_new(&opt);
    admin = hx_tokened(srv, hx_login_admin(srv));
    auditor = hx_tokened(srv, hx_user_client(admin, "auditor", 0));
    hx_feed_peer_start(&peer, hx_fmt("%s/peer", srv->root));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    hx_feed_peer_stop(&peer);
    hx_client_free(auditor);
    hx_client_free(admin);
    hx_server_stop(srv);
    hx_server_assert_log_clean(srv);
    hx_server_free(srv);
    return 0;
}

/* --- helpers ------------------------------------------------------------------------- */

/* POSTs a feed (doc consumed) and asserts 201; returns its id. */
static int64_t create(json_t *doc)
{
    struct hx_resp *r = hx_post(admin, "/api/v1/feeds", doc);
    HX_EXPECT(r, 201);
    return hx_json_int(r, "id");
}

static json_t *feed_doc(const char *name, const char *source, const char *format)
{
    return json_pack("{s:s,s:s,s:s}", "name", name, "source", source, "format", format);
}

static json_t *get_feed(struct hx_client *c, int64_t id)
{
    struct hx_resp *r = hx_get(c, hx_fmt("/api/v1/feeds/%lld", (long long)id));
    HX_EXPECT(r, 200);
    return r->json;
}

/* Runs the feed now and returns the run (owned by the response). */
static json_t *run(int64_t id)
{
    struct hx_resp *r = hx_post(admin, hx_fmt("/api/v1/feeds/%lld/run", (long long)id), NULL);
    HX_EXPECT(r, 200);
    json_t *run = json_object_get(r->json, "run");
    assert_non_null(run);
    assert_non_null(json_object_get(r->json, "feed"));
    return run;
}

static const char *str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static int64_t num(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    if (!json_is_integer(v))
        fail_msg("%s is not an integer", key);
    return json_integer_value(v);
}

static int64_t count(const json_t *run, const char *key)
{
    return num(json_object_get(run, "counts"), key);
}

static void expect_run(const json_t *run, const char *status, int64_t imported, int64_t merged)
{
    if (strcmp(str(run, "status"), status))
        fail_msg("run status %s, not %s (error: %s)", str(run, "status"), status,
                 str(run, "error") ? str(run, "error") : "none");
    assert_int_equal(count(run, "imported"), imported);
    assert_int_equal(count(run, "merged"), merged);
}

static size_t total_indicators(void)
{
    json_t *all = hx_list_all(admin, "/api/v1/indicators", 200);
    size_t n = json_array_size(all);
    json_decref(all);
    return n;
}

/* The one indicator whose value is v, with its sources (owned by the response). */
static json_t *indicator(const char *v)
{
    struct hx_resp *r = hx_get(admin, hx_fmt("/api/v1/indicators?q=%s", hx_escape(v)));
    HX_EXPECT(r, 200);
    size_t i;
    json_t *it;
    json_array_foreach (json_object_get(r->json, "items"), i, it) {
        if (!strcmp(str(it, "value"), v)) {
            r = hx_get(admin, hx_fmt("/api/v1/indicators/%lld", (long long)num(it, "id")));
            HX_EXPECT(r, 200);
            return r->json;
        }
    }
    fail_msg("no indicator %s", v);
    return NULL;
}

/* The feed's runs once there are at least n: polls the API (the scheduler runs on its
 * own thread), never waiting for time itself. */
static json_t *runs_until(int64_t id, size_t n)
{
    for (int waited = 0; waited < HX_WAIT_MS; waited += HX_POLL_MS) {
        struct hx_resp *r = hx_get(admin, hx_fmt("/api/v1/feeds/%lld/runs", (long long)id));
        HX_EXPECT(r, 200);
        json_t *items = json_object_get(r->json, "items");
        if (json_array_size(items) >= n)
            return items;
        hx_pause_ms(HX_POLL_MS);
    }
    fail_msg("feed %lld has not run %zu times in %d ms", (long long)id, n, HX_WAIT_MS);
    return NULL;
}

static size_t runs_now(int64_t id)
{
    struct hx_resp *r = hx_get(admin, hx_fmt("/api/v1/feeds/%lld/runs", (long long)id));
    HX_EXPECT(r, 200);
    return json_array_size(json_object_get(r->json, "items"));
}

/* The audit records of object_type/object_id, newest first (owned by the response). */
static json_t *audit_of(const char *object_type, int64_t id)
{
    struct hx_resp *r = hx_get(
        admin, hx_fmt("/api/v1/audit?object_type=%s&object_id=%lld", object_type, (long long)id));
    HX_EXPECT(r, 200);
    return json_object_get(r->json, "items");
}

static bool has_action(const json_t *items, const char *action, const char *actor)
{
    size_t i;
    json_t *e;
    json_array_foreach (items, i, e) {
        if (!strcmp(str(e, "action"), action) && (!actor || !strcmp(str(e, "actor"), actor)))
            return true;
    }
    return false;
}

/* --- create ---------------------------------------------------------------------------- */

static void expect_refused(json_t *doc, long status, const char *code, const char *field)
{
    struct hx_resp *r = hx_post(admin, "/api/v1/feeds", doc);
    HX_EXPECT_ERROR(r, status, code, field);
}

static void test_create_validation(void **state)
{
    (void)state;
    const char *url = hx_feed_peer_url(&peer, "/list.txt");
    expect_refused(json_pack("{s:s,s:s}", "source", url, "format", "plain"), 400, "invalid",
                   "name");
    expect_refused(json_pack("{s:s,s:s}", "name", "x", "format", "plain"), 400, "invalid",
                   "source");
    expect_refused(feed_doc("x", "ftp://127.0.0.1/list.txt", "plain"), 400, "invalid", "source");
    expect_refused(feed_doc("x", "file://relative/list.txt", "plain"), 400, "invalid", "source");
    expect_refused(feed_doc("x", "file:///srv/../etc/passwd", "plain"), 400, "invalid", "source");
    expect_refused(feed_doc("x", "https://exa mple.cn/x", "plain"), 400, "invalid", "source");
    expect_refused(feed_doc("x", url, "xml"), 400, "invalid", "format");
    json_t *d = feed_doc("x", url, "stix");
    json_object_set_new(d, "columns", json_string("value,type"));
    expect_refused(d, 400, "invalid", "columns");
    d = feed_doc("x", url, "csv");
    json_object_set_new(d, "columns", json_string("type,category"));
    expect_refused(d, 400, "invalid", "columns");
    d = feed_doc("x", url, "plain");
    json_object_set_new(d, "defaults", json_pack("{s:s}", "tlp", "purple"));
    expect_refused(d, 400, "invalid", "defaults.tlp");
    d = feed_doc("x", url, "plain");
    json_object_set_new(d, "defaults", json_pack("{s:s}", "category", "spam"));
    expect_refused(d, 400, "invalid", "defaults.category");
    d = feed_doc("x", url, "plain");
    json_object_set_new(d, "defaults", json_pack("{s:i}", "confidence", 101));
    expect_refused(d, 400, "invalid", "defaults.confidence");
    d = feed_doc("x", url, "plain");
    json_object_set_new(d, "defaults", json_pack("{s:i}", "valid_days", 0));
    expect_refused(d, 400, "invalid", "defaults.valid_days");
    d = feed_doc("x", url, "plain");
    json_object_set_new(d, "defaults", json_pack("{s:s}", "colour", "red"));
    expect_refused(d, 400, "invalid", "defaults.colour");
    d = feed_doc("x", url, "plain");
    json_object_set_new(d, "interval_minutes", json_integer(1));
    expect_refused(d, 400, "invalid", "interval_minutes");
    d = feed_doc("x", url, "plain");
    json_object_set_new(d, "enabled", json_string("yes"));
    expect_refused(d, 400, "invalid", "enabled");
    d = feed_doc("x", url, "plain");
    json_object_set_new(d, "etag", json_string("\"1\""));
    expect_refused(d, 400, "invalid", "etag");

    /* Nothing was half-written: no feed exists yet. */
    json_t *all = hx_list_all(admin, "/api/v1/feeds", 50);
    assert_int_equal(json_array_size(all), 0);
    json_decref(all);

    struct hx_resp *r = hx_post(admin, "/api/v1/feeds", feed_doc("validation ok", url, "plain"));
    HX_EXPECT(r, 201);
    assert_string_equal(r->etag, "\"1\"");
    assert_int_equal(hx_json_int(r, "interval_minutes"), 60);
    assert_true(json_is_true(json_object_get(r->json, "enabled")));
    assert_string_equal(hx_json_str(r, "next_run_at"), hx_time(srv->now_ms + 60 * HX_MINUTE_MS));
    assert_true(json_is_null(json_object_get(r->json, "last_status")));
    assert_true(json_is_null(json_object_get(r->json, "last_counts")));
    assert_true(json_is_null(json_object_get(r->json, "etag")));
    expect_refused(feed_doc("validation ok", url, "plain"), 409, "conflict", "name");
}

/* --- HTTP: conditional requests ---------------------------------------------------------- */

static void test_http_conditional(void **state)
{
    (void)state;
    hx_feed_peer_put(&peer, "list.txt", "198.51.100.1\n198.51.100.2\nevil-feed.example.cn\n");
    json_t *doc = feed_doc("peer list", hx_feed_peer_url(&peer, "/list.txt"), "plain");
    json_object_set_new(doc, "defaults",
                        json_pack("{s:s,s:s,s:i,s:i}", "category", "botnet", "tlp", "green",
                                  "confidence", 70, "valid_days", 30));
    int64_t id = create(doc);
    const char *next = hx_time(srv->now_ms + 60 * HX_MINUTE_MS);
    size_t before = total_indicators();

    json_t *r1 = run(id);
    expect_run(r1, "ok", 3, 0);
    assert_int_equal(count(r1, "objects"), 3);
    assert_int_equal(num(r1, "http_status"), 200);
    assert_true(num(r1, "bytes") > 0);
    assert_true(num(r1, "import_id") > 0);
    assert_string_equal(str(r1, "trigger"), "manual");
    assert_int_equal(num(r1, "run_by"), admin->user_id);
    assert_int_equal(total_indicators(), before + 3);
    json_t *first = hx_feed_peer_last(&peer, "/list.txt");
    assert_true(json_is_null(json_object_get(first, "if_none_match")));
    assert_true(json_is_null(json_object_get(first, "if_modified_since")));
    json_decref(first);

    json_t *f = get_feed(admin, id);
    assert_string_equal(str(f, "last_status"), "ok");
    assert_int_equal(num(json_object_get(f, "last_counts"), "imported"), 3);
    const char *etag = str(f, "etag"), *lm = str(f, "last_modified");
    assert_non_null(etag);
    assert_non_null(lm);
    assert_int_equal(etag[0], '"');
    /* A run by hand does not move the schedule. */
    assert_string_equal(str(f, "next_run_at"), next);

    /* The feed's defaults went into what it imported; its name is the source. */
    json_t *ind = indicator("198.51.100.1");
    assert_string_equal(str(ind, "category"), "botnet");
    assert_string_equal(str(ind, "tlp"), "green");
    assert_int_equal(num(ind, "confidence"), 70);
    assert_string_equal(str(ind, "valid_until"), hx_time(srv->now_ms + 30 * 24 * HX_HOUR_MS));
    json_t *src = json_array_get(json_object_get(ind, "sources"), 0);
    assert_string_equal(str(src, "source"), "peer list");

    /* Unchanged: the validators go back and the 304 imports nothing. */
    json_t *r2 = run(id);
    expect_run(r2, "not_modified", 0, 0);
    assert_int_equal(num(r2, "http_status"), 304);
    assert_true(json_is_null(json_object_get(r2, "import_id")));
    json_t *second = hx_feed_peer_last(&peer, "/list.txt");
    assert_string_equal(str(second, "if_none_match"), etag);
    assert_string_equal(str(second, "if_modified_since"), lm);
    assert_int_equal(num(second, "status"), 304);
    json_decref(second);
    json_t *f2 = get_feed(admin, id);
    assert_string_equal(str(f2, "last_status"), "not_modified");
    assert_string_equal(str(f2, "etag"), etag);
    assert_int_equal(num(json_object_get(f2, "last_counts"), "imported"), 0);
    assert_int_equal(total_indicators(), before + 3);

    /* Changed on the peer: imported again, merging as the store does. */
    hx_feed_peer_put(&peer, "list.txt", "198.51.100.1\n198.51.100.3\n");
    json_t *r3 = run(id);
    expect_run(r3, "ok", 1, 1);
    assert_int_equal(total_indicators(), before + 4);
    ind = indicator("198.51.100.1");
    assert_int_equal(num(ind, "sightings"), 2);
    src = json_array_get(json_object_get(ind, "sources"), 0);
    assert_int_equal(num(src, "count"), 2);
    assert_string_not_equal(str(get_feed(admin, id), "etag"), etag);

    /* The history, newest first. */
    json_t *items = runs_until(id, 3);
    assert_int_equal(json_array_size(items), 3);
    assert_string_equal(str(json_array_get(items, 0), "status"), "ok");
    assert_string_equal(str(json_array_get(items, 1), "status"), "not_modified");
    assert_string_equal(str(json_array_get(items, 2), "status"), "ok");
    /* The auditor reads the runs too. */
    HX_EXPECT(hx_get(auditor, hx_fmt("/api/v1/feeds/%lld/runs", (long long)id)), 200);

    /* Redirects are followed; a missing file is an error run. */
    hx_feed_peer_put(&peer, "moved.txt", "198.51.100.9\n");
    int64_t moved =
        create(feed_doc("moved", hx_feed_peer_url(&peer, "/redirect/moved.txt"), "plain"));
    expect_run(run(moved), "ok", 1, 0);
    int64_t gone = create(feed_doc("gone", hx_feed_peer_url(&peer, "/gone.txt"), "plain"));
    json_t *r4 = run(gone);
    expect_run(r4, "error", 0, 0);
    assert_string_equal(str(r4, "error"), "the server answered 404");
    assert_int_equal(num(r4, "http_status"), 404);
}

/* --- the schedule ---------------------------------------------------------------------- */

static void test_schedule(void **state)
{
    (void)state;
    hx_feed_peer_put(&peer, "sched.csv", "value,type\n203.0.113.50,ipv4\n");
    const char *url = hx_feed_peer_url(&peer, "/sched.csv");
    json_t *doc = feed_doc("scheduled", url, "csv");
    json_object_set_new(doc, "interval_minutes", json_integer(5));
    int64_t id = create(doc);
    doc = feed_doc("scheduled but off", url, "csv");
    json_object_set_new(doc, "interval_minutes", json_integer(5));
    json_object_set_new(doc, "enabled", json_false());
    int64_t off = create(doc);
    int64_t t0 = srv->now_ms;
    assert_string_equal(str(get_feed(admin, id), "next_run_at"), hx_time(t0 + 5 * HX_MINUTE_MS));
    assert_true(json_is_null(json_object_get(get_feed(admin, off), "next_run_at")));
    assert_int_equal(runs_now(id), 0);

    /* The clock passes next_run_at: the scheduler runs it, as the system. */
    hx_clock_advance(srv, 5 * HX_MINUTE_MS);
    json_t *items = runs_until(id, 1);
    json_t *r = json_array_get(items, 0);
    expect_run(r, "ok", 1, 0);
    assert_string_equal(str(r, "trigger"), "schedule");
    assert_true(json_is_null(json_object_get(r, "run_by")));
    assert_string_equal(str(r, "started_at"), hx_time(t0 + 5 * HX_MINUTE_MS));
    json_t *f = get_feed(admin, id);
    assert_string_equal(str(f, "next_run_at"), hx_time(t0 + 10 * HX_MINUTE_MS));
    assert_string_equal(str(f, "last_status"), "ok");
    assert_true(has_action(audit_of("indicator_import", num(r, "import_id")), "indicator.import",
                           "system"));

    /* Next time round nothing changed on the peer. */
    hx_clock_advance(srv, 5 * HX_MINUTE_MS);
    items = runs_until(id, 2);
    expect_run(json_array_get(items, 0), "not_modified", 0, 0);
    json_t *last = hx_feed_peer_last(&peer, "/sched.csv");
    assert_non_null(str(last, "if_none_match"));
    json_decref(last);
    assert_string_equal(str(get_feed(admin, id), "next_run_at"), hx_time(t0 + 15 * HX_MINUTE_MS));

    /* A disabled feed never ran, and cannot be run by hand either. */
    assert_int_equal(runs_now(off), 0);
    struct hx_resp *refused =
        hx_post(admin, hx_fmt("/api/v1/feeds/%lld/run", (long long)off), NULL);
    HX_EXPECT_ERROR(refused, 409, "conflict", "enabled");
}

/* --- a malformed body ------------------------------------------------------------------ */

static void test_malformed(void **state)
{
    (void)state;
    hx_feed_peer_put(&peer, "bundle.json", "{ not json }");
    int64_t id = create(feed_doc("broken bundle", hx_feed_peer_url(&peer, "/bundle.json"), "stix"));
    size_t before = total_indicators();
    json_t *r = run(id);
    expect_run(r, "error", 0, 0);
    assert_int_equal(count(r, "objects"), 0);
    assert_true(json_is_null(json_object_get(r, "import_id")));
    assert_non_null(strstr(str(r, "error"), "malformed JSON at line 1, column"));
    json_t *f = get_feed(admin, id);
    assert_string_equal(str(f, "last_status"), "error");
    assert_string_equal(str(f, "last_error"), str(r, "error"));
    /* A failed answer's validators are not kept: the next run must read it again. */
    assert_true(json_is_null(json_object_get(f, "etag")));
    assert_int_equal(total_indicators(), before);

    size_t len;
    const char *corpora = getenv("YINGJI_CORPORA");
    assert_non_null(corpora);
    char *stix = hx_read_file(hx_fmt("%s/stix21/indicator-for-c2-ip-address.json", corpora), &len);
    assert_non_null(stix);
    hx_feed_peer_put(&peer, "bundle.json", stix);
    free(stix);
    expect_run(run(id), "ok", 1, 0);
    assert_int_equal(total_indicators(), before + 1);
    assert_true(json_is_null(json_object_get(get_feed(admin, id), "last_error")));
}

/* --- file sources and MISP feeds ---------------------------------------------------------- */

#define EVENT_UUID "5a3c2fcd-8328-42bb-a95e-4f4402de0b81"
#define EVENT                                                                                      \
    "{\"Event\": {\"uuid\": \"" EVENT_UUID "\", \"info\": \"feed test\", \"Attribute\": ["         \
    "{\"uuid\": \"0b1e7a52-2d3b-4b8b-9a5e-1c2d3e4f5a6b\", \"type\": \"ip-dst\","                   \
    " \"category\": \"Network activity\", \"to_ids\": true, \"value\": \"192.0.2.30\"},"           \
    "{\"uuid\": \"0b1e7a52-2d3b-4b8b-9a5e-1c2d3e4f5a6c\", \"type\": \"domain\","                   \
    " \"category\": \"Network activity\", \"to_ids\": true, \"value\": \"misp-feed.example.cn\"}"  \
    "]}}"
#define MANIFEST                                                                                   \
    "{\"" EVENT_UUID "\": {\"info\": \"feed test\"},"                                              \
    " \"00000000-0000-4000-8000-000000000000\": {\"info\": \"missing\"}}"

static void test_file_source(void **state)
{
    (void)state;
    const char *dir = hx_fmt("%s/feeds", srv->root);
    hx_make_dir(dir);
    const char *path = hx_fmt("%s/list.csv", dir);
    const char *csv = "value,type,tags\n192.0.2.10,ipv4,filefeed\n192.0.2.11,ipv4,filefeed\n";
    hx_write_file(path, csv, strlen(csv));
    int64_t id = create(feed_doc("file feed", hx_fmt("file://%s", path), "csv"));
    json_t *r = run(id);
    expect_run(r, "ok", 2, 0);
    assert_true(json_is_null(json_object_get(r, "http_status")));
    expect_run(run(id), "not_modified", 0, 0);
    csv = "value,type,tags\n192.0.2.10,ipv4,filefeed\n192.0.2.11,ipv4,filefeed\n"
          "192.0.2.12,ipv4,filefeed\n";
    hx_write_file(path, csv, strlen(csv));
    expect_run(run(id), "ok", 1, 2);

    /* A CSV without a header row, by its column mapping. */
    path = hx_fmt("%s/bare.csv", dir);
    hx_write_file(path, "192.0.2.20,ipv4\n", 16);
    json_t *doc = feed_doc("bare csv", hx_fmt("file://%s", path), "csv");
    json_object_set_new(doc, "columns", json_string("value,type"));
    expect_run(run(create(doc)), "ok", 1, 0);

    /* A missing file is an error run naming no path. */
    json_t *missing = run(create(feed_doc("no file", "file:///nonexistent/feed.txt", "plain")));
    expect_run(missing, "error", 0, 0);
    assert_string_equal(str(missing, "error"), "cannot open the file: No such file or directory");

    /* A MISP feed directory: a missing event file is a problem, not a failure. */
    const char *misp = hx_fmt("%s/misp", dir);
    hx_make_dir(misp);
    hx_write_file(hx_fmt("%s/manifest.json", misp), MANIFEST, strlen(MANIFEST));
    hx_write_file(hx_fmt("%s/%s.json", misp, EVENT_UUID), EVENT, strlen(EVENT));
    int64_t mid = create(feed_doc("misp dir", hx_fmt("file://%s", misp), "misp_feed"));
    r = run(mid);
    expect_run(r, "ok", 2, 0);
    assert_int_equal(count(r, "objects"), 2);
    assert_int_equal(count(r, "problems"), 1);
    char *problems = json_dumps(json_object_get(r, "problems"), 0);
    assert_non_null(
        strstr(problems, "event file 00000000-0000-4000-8000-000000000000.json missing"));
    free(problems);
    expect_run(run(mid), "not_modified", 0, 0);

    /* The same feed over HTTP: the manifest, then each event; 304 on the manifest. */
    const char *served = hx_fmt("%s/misp", peer.dir);
    hx_make_dir(served);
    hx_feed_peer_put(&peer, "misp/manifest.json", MANIFEST);
    hx_feed_peer_put(&peer, "misp/" EVENT_UUID ".json", EVENT);
    int64_t hid = create(feed_doc("misp url", hx_feed_peer_url(&peer, "/misp/"), "misp_feed"));
    r = run(hid);
    expect_run(r, "ok", 0, 2);
    assert_int_equal(count(r, "problems"), 1);
    json_t *ev = hx_feed_peer_last(&peer, "/misp/" EVENT_UUID ".json");
    assert_int_equal(num(ev, "status"), 200);
    json_decref(ev);
    expect_run(run(hid), "not_modified", 0, 0);
    json_t *man = hx_feed_peer_last(&peer, "/misp/manifest.json");
    assert_int_equal(num(man, "status"), 304);
    json_decref(man);
}

/* --- edits, deletion and the audit chain ---------------------------------------------------- */

static void test_edit_delete_audit(void **state)
{
    (void)state;
    hx_feed_peer_put(&peer, "edit.txt", "198.51.100.200\n");
    const char *url = hx_feed_peer_url(&peer, "/edit.txt");
    json_t *doc = feed_doc("edited", url, "plain");
    json_object_set_new(doc, "enabled", json_false());
    int64_t id = create(doc);
    const char *path = hx_fmt("/api/v1/feeds/%lld", (long long)id);

    struct hx_resp *r = hx_send(admin, "PATCH", path, json_pack("{s:b}", "enabled", 1), "\"1\"");
    HX_EXPECT(r, 200);
    assert_string_equal(r->etag, "\"2\"");
    assert_string_equal(hx_json_str(r, "next_run_at"), hx_time(srv->now_ms + 60 * HX_MINUTE_MS));
    expect_run(run(id), "ok", 1, 0);
    assert_non_null(str(get_feed(admin, id), "etag"));
    /* A run leaves the settings' version alone. */
    r = hx_send(admin, "PATCH", path, json_pack("{s:i}", "interval_minutes", 30), "\"2\"");
    HX_EXPECT(r, 200);
    assert_string_equal(hx_json_str(r, "next_run_at"), hx_time(srv->now_ms + 30 * HX_MINUTE_MS));
    assert_non_null(hx_json_str(r, "etag"));
    /* A new source is read whole the next time: the old validators are dropped. */
    r = hx_send(admin, "PATCH", path, json_pack("{s:s}", "source", url), "\"3\"");
    HX_EXPECT(r, 200);
    assert_true(json_is_null(json_object_get(r->json, "etag")));
    expect_run(run(id), "ok", 0, 1);
    r = hx_send(admin, "PATCH", path, json_pack("{s:s}", "format", "xml"), "\"4\"");
    HX_EXPECT_ERROR(r, 400, "invalid", "format");
    r = hx_send(admin, "PATCH", path, json_pack("{s:s}", "name", "x"), "\"1\"");
    HX_EXPECT_ERROR(r, 412, "precondition_failed", "If-Match");
    r = hx_send(admin, "PATCH", path, json_pack("{s:b}", "enabled", 0), "\"4\"");
    HX_EXPECT(r, 200);
    assert_true(json_is_null(json_object_get(r->json, "next_run_at")));

    json_t *trail = audit_of("feed", id);
    assert_true(has_action(trail, "feed.create", HX_ADMIN_USER));
    assert_true(has_action(trail, "feed.update", HX_ADMIN_USER));
    assert_true(has_action(trail, "feed.run", HX_ADMIN_USER));

    HX_EXPECT(hx_send(admin, "DELETE", path, NULL, "\"5\""), 204);
    HX_EXPECT_ERROR(hx_get(admin, path), 404, "not_found", NULL);
    HX_EXPECT_ERROR(hx_get(admin, hx_fmt("%s/runs", path)), 404, "not_found", NULL);
    HX_EXPECT_ERROR(hx_post(admin, hx_fmt("%s/run", path), NULL), 404, "not_found", NULL);
    assert_true(has_action(audit_of("feed", id), "feed.delete", HX_ADMIN_USER));
    /* Its name is free again. */
    create(feed_doc("edited", url, "plain"));
}

/* The password and key in a source reach neither the auditor, the audit chain nor the log. */
static void test_credentials(void **state)
{
    (void)state;
    hx_secret_note(srv, "feedpass-s3cret");
    hx_secret_note(srv, "k3y-s3cret");
    hx_feed_peer_put(&peer, "private.txt", "198.51.100.77\n");
    const char *source = hx_fmt("http://feeduser:feedpass-s3cret@127.0.0.1:%d/private.txt"
                                "?key=k3y-s3cret",
                                peer.port);
    int64_t id = create(feed_doc("private", source, "plain"));
    assert_string_equal(str(get_feed(admin, id), "source"), source);
    assert_string_equal(str(get_feed(auditor, id), "source"),
                        hx_fmt("http://***@127.0.0.1:%d/private.txt?***", peer.port));
    expect_run(run(id), "ok", 1, 0);
    json_t *req = hx_feed_peer_last(&peer, "/private.txt");
    assert_true(json_is_true(json_object_get(req, "authorization")));
    json_decref(req);
    char *trail = json_dumps(audit_of("feed", id), 0);
    assert_null(strstr(trail, "feedpass-s3cret"));
    assert_null(strstr(trail, "k3y-s3cret"));
    assert_non_null(strstr(trail, "feed.run"));
    free(trail);
}

/* `yingji intel feed list|run` on the same data directory, beside the server. */
static void test_cli(void **state)
{
    (void)state;
    hx_feed_peer_put(&peer, "cli.txt", "198.51.100.150\n");
    int64_t id = create(feed_doc("cli feed", hx_feed_peer_url(&peer, "/cli.txt"), "plain"));
    char *out = NULL;
    assert_int_equal(hx_yingji(&out, "intel", "feed", "list", "--data", srv->data, NULL), 0);
    assert_non_null(strstr(out, "cli feed"));
    assert_non_null(strstr(out, "private.txt?***"));
    assert_null(strstr(out, "feedpass-s3cret"));
    free(out);
    const char *arg = hx_fmt("%lld", (long long)id);
    assert_int_equal(hx_yingji(&out, "intel", "feed", "run", "--data", srv->data, arg, NULL), 0);
    assert_non_null(strstr(out, ": ok, 1 objects, 1 imported"));
    free(out);
    assert_int_equal(hx_yingji(&out, "intel", "feed", "run", "--data", srv->data, arg, NULL), 0);
    assert_non_null(strstr(out, ": not_modified"));
    free(out);
    assert_int_equal(runs_now(id), 2);
    assert_int_equal(hx_yingji(&out, "intel", "feed", "run", "--data", srv->data, "999", NULL), 1);
    assert_non_null(strstr(out, "feed not found"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_validation), cmocka_unit_test(test_http_conditional),
        cmocka_unit_test(test_schedule),          cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_file_source),       cmocka_unit_test(test_edit_delete_audit),
        cmocka_unit_test(test_credentials),       cmocka_unit_test(test_cli),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
