/*
 * feeds.c - `yingji intel feed list|run`: the scheduled indicator feeds from the
 * command line. A run goes through api_feed_run as the scheduler's and the API's
 * do (claimed, fetched outside any transaction, imported and recorded), audited
 * as the system.
 */
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "api/api_feeds.h"
#include "cli/cli.h"
#include "core/yj.h"
#include "intel/feed.h"

static const char usage[] =
    "usage: yingji intel feed list [--data DIR]\n"
    "       yingji intel feed run [--data DIR] ID\n\n"
    "list  prints every feed: id, name, format, whether enabled, its interval, the status\n"
    "      and time of its last run, when it runs next, and its source (password and\n"
    "      query hidden).\n"
    "run   runs feed ID now, as the server's schedule would (a conditional request: an\n"
    "      unchanged source imports nothing), and prints what it did; the exit status is 1\n"
    "      when the run failed.\n";

static const char *when(int64_t ms, char *buf)
{
    if (!ms)
        return "-";
    yj_time_format(ms, buf);
    return buf;
}

static int do_list(struct store *st, struct yj_arena *a)
{
    struct yj_error err;
    struct store_tx *tx = NULL;
    struct store_feed *items = NULL;
    size_t n = 0;
    struct store_feed_query q = {.enabled = -1};
    enum yj_err rc = store_read_begin(st, &tx, &err);
    if (!rc)
        rc = store_feed_list(tx, &q, a, &items, &n, &err);
    store_tx_end(tx);
    if (rc)
        return cli_fail("intel", "%s", err.msg);
    for (size_t i = 0; i < n; i++) {
        const struct store_feed *f = &items[i];
        char last[YJ_TIME_STRLEN], next[YJ_TIME_STRLEN];
        printf("%lld\t%s\t%s\t%s\tevery %lld min\t%s\t%s\t%s\t%s\n", (long long)f->id, f->name,
               f->format, f->enabled ? "enabled" : "disabled", (long long)f->interval_minutes,
               f->last_status ? f->last_status : "never run", when(f->last_run_at, last),
               when(f->next_run_at, next), feed_source_redact(f->source, a));
    }
    printf("%zu feed%s\n", n, n == 1 ? "" : "s");
    return 0;
}

static int do_run(struct store *st, int64_t id, struct yj_arena *a)
{
    struct yj_error err;
    struct api_feed_run_ctx ctx = {
        .clock = yj_clock_default(), .trigger = "manual", .actor = {.actor = "system"}};
    struct store_feed_run run;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return cli_fail("intel", "libcurl did not initialise");
    enum yj_err rc = api_feed_run(st, id, &ctx, a, &run, &err);
    curl_global_cleanup();
    if (rc)
        return cli_fail("intel", "%s%s%s", err.field, *err.field ? ": " : "", err.msg);
    const struct store_feed_counts *c = &run.counts;
    printf("run %lld of feed %lld: %s, %lld objects, %lld imported, %lld merged, %lld flagged, "
           "%lld problems\n",
           (long long)run.id, (long long)id, run.status, (long long)c->objects,
           (long long)c->imported, (long long)c->merged, (long long)c->flagged,
           (long long)c->problems);
    if (run.error)
        printf("  %s\n", run.error);
    return strcmp(run.status, "error") ? 0 : 1;
}

int cli_intel_feed(int argc, char **argv)
{
    const char *data = NULL, *sub = NULL, *arg = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help")) {
            fputs(usage, stdout);
            return 0;
        }
        if (!strcmp(argv[i], "--data")) {
            if (i + 1 >= argc)
                return cli_fail("intel", "--data needs a value");
            data = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_fail("intel", "unknown option %s (see --help)", argv[i]);
        } else if (!sub) {
            sub = argv[i];
        } else if (!arg) {
            arg = argv[i];
        } else {
            return cli_fail("intel", "feed: too many arguments");
        }
    }
    if (!sub) {
        fputs(usage, stderr);
        return 2;
    }
    bool list = !strcmp(sub, "list");
    int64_t id = 0;
    if (!list && strcmp(sub, "run"))
        return cli_fail("intel", "feed: unknown subcommand %s (see --help)", sub);
    if (list && arg)
        return cli_fail("intel", "feed list takes no argument");
    if (!list && (!arg || yj_parse_i64(arg, 1, INT64_MAX, &id)))
        return cli_fail("intel", "feed run: ID must be a feed's id");
    struct yj_error err;
    struct store *st = NULL;
    if (store_open(cli_data_dir(data), list ? STORE_READONLY : 0, &st, &err))
        return cli_fail("intel", "%s", err.msg);
    struct yj_arena arena;
    yj_arena_init(&arena, 0);
    int rc = list ? do_list(st, &arena) : do_run(st, id, &arena);
    yj_arena_release(&arena);
    store_close(st);
    return rc;
}
