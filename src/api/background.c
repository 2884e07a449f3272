/*
 * background.c - the worker that does timed work by itself, in three threads: one
 * fires the incident timers (deadlines and their escalations), one delivers the
 * notification outbox, one runs the indicator feeds that are due. Each runs a pass
 * over what is due, then waits on a condition variable until its next due time, a
 * kick, or a poll interval. They are apart so that deliveries - a network round trip
 * per message, a slow SMTP server, retries - and feed fetches never hold an
 * escalation back: a deadline is escalated at its time whatever the outbox is doing.
 * Times are the app's clock (injectable); the waits are real time, bounded, so an
 * injected clock moved by a test is noticed within one poll.
 */
#include <pthread.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "api/api_feeds.h"
#include "api/api_incidents.h"
#include "api/api_indicators.h"
#include "api/api_int.h"
#include "notify/notify.h"

enum {
    POLL_MS = 1000,     /* the longest wait: time may be moved or rows added by others */
    POLL_TEST_MS = 200, /* with an injected clock file */
};

struct api_background;

/* One thread of the worker: its pass and its wake-up. */
struct bg_thread {
    struct api_background *bg;
    /* Everything due at now; returns when something is next due (0: nothing known).
     * Logs its own errors and must not block for long. */
    int64_t (*pass)(struct api_background *bg, int64_t now);
    void (*start)(struct api_background *bg); /* once, before the first pass; may be NULL */
    pthread_t thread;
    pthread_cond_t cond; /* CLOCK_MONOTONIC; under bg->lock */
    bool kicked, running;
};

struct api_background {
    struct api_app *app;
    struct notify_config cfg; /* strings owned (copies) */
    pthread_mutex_t lock;
    struct bg_thread timers, outbox, feeds;
    bool stop;
    atomic_bool stopping; /* cfg.stop: ends a delivery pass early */
    int poll_ms;
};

/*
 * THE PLACES FOR TIMED WORK: a job that must happen by itself at a time runs in the
 * pass of one of the two threads, which returns the earliest time anything of its
 * own is next due. Deadlines (acknowledgement and 2-hour commitment, repeated urgent
 * notices; upward-reporting deadlines when they come) belong to the timer thread:
 * what they queue goes out through the outbox thread, which they kick. Deliveries
 * are bounded by notify_config.timeout_ms each.
 */
static int64_t timers_pass(struct api_background *bg, int64_t now)
{
    int64_t next = 0;
    api_incident_timers_run(bg->app, now, &next);
    return next;
}

static int64_t outbox_pass(struct api_background *bg, int64_t now)
{
    int64_t next = 0;
    struct yj_error err;
    yj_error_clear(&err);
    if (notify_deliver_due(bg->app->store, &bg->cfg, now, NULL, &next, &err))
        yj_log(YJ_LOG_ERROR, "background.outbox_failed", "{s:s}", "error", err.msg);
    return next;
}

/* Indicator feeds have a thread of their own: a fetch may take a minute, which must hold
 * back neither a deadline nor a delivery. Each run claims its feed in a short write
 * transaction and fetches outside any (feeds_run.c). */
static int64_t feeds_pass(struct api_background *bg, int64_t now)
{
    (void)now; /* the pass reads the clock itself: it runs feeds one after another */
    return api_feeds_run_due(bg->app->store, bg->app->clock, &bg->stopping);
}

/* The indicator lookup is built on its first use: at start, so that the first request
 * does not wait for it (a second or so for a million indicators). On the feeds thread,
 * which delays nothing urgent; a request meanwhile waits for this build. */
static void lookup_warm(struct api_background *bg)
{
    struct intel_lookup *l = NULL;
    struct yj_error err;
    yj_error_clear(&err);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (api_indicators_lookup_get(bg->app->store, &l, &err)) {
        yj_log(YJ_LOG_ERROR, "background.lookup_failed", "{s:s}", "error", err.msg);
    } else {
        clock_gettime(CLOCK_MONOTONIC, &t1);
        long ms = (long)(t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
        yj_log(YJ_LOG_INFO, "background.lookup_ready", "{s:i}", "ms", (int)ms);
    }
    intel_lookup_free(l);
}

static void *worker(void *arg)
{
    struct bg_thread *t = arg;
    struct api_background *bg = t->bg;
    if (t->start)
        t->start(bg);
    pthread_mutex_lock(&bg->lock);
    while (!bg->stop) {
        t->kicked = false;
        pthread_mutex_unlock(&bg->lock);
        int64_t now = yj_now_ms(bg->app->clock);
        int64_t next = t->pass(bg, now);
        int64_t wait = bg->poll_ms;
        if (next && next - now < wait)
            wait = next > now ? next - now : 0;
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += (time_t)(wait / 1000);
        until.tv_nsec += (long)(wait % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_mutex_lock(&bg->lock);
        while (!bg->stop && !t->kicked && wait > 0)
            if (pthread_cond_timedwait(&t->cond, &bg->lock, &until) != 0)
                break; /* timed out (or failed: poll again) */
    }
    pthread_mutex_unlock(&bg->lock);
    return NULL;
}

static void config_free(struct notify_config *c)
{
    free((char *)(uintptr_t)c->smtp_url);
    free((char *)(uintptr_t)c->smtp_user);
    free((char *)(uintptr_t)c->smtp_password);
    free((char *)(uintptr_t)c->mail_from);
    free((char *)(uintptr_t)c->public_url);
    memset(c, 0, sizeof *c);
}

/* A copy of s (NULL stays NULL); false on ENOMEM. */
static bool copy(const char **to, const char *s)
{
    *to = s ? strdup(s) : NULL;
    return !s || *to;
}

static void background_free(struct api_background *bg)
{
    if (!bg)
        return;
    if (bg->cfg.smtp_password)
        sodium_memzero((char *)(uintptr_t)bg->cfg.smtp_password, strlen(bg->cfg.smtp_password));
    config_free(&bg->cfg);
    pthread_cond_destroy(&bg->timers.cond);
    pthread_cond_destroy(&bg->outbox.cond);
    pthread_cond_destroy(&bg->feeds.cond);
    pthread_mutex_destroy(&bg->lock);
    free(bg);
}

/* Stops and joins the threads that run (under no lock). */
static void threads_stop(struct api_background *bg)
{
    atomic_store(&bg->stopping, true); /* a delivery pass in progress ends at once */
    pthread_mutex_lock(&bg->lock);
    bg->stop = true;
    pthread_cond_signal(&bg->timers.cond);
    pthread_cond_signal(&bg->outbox.cond);
    pthread_cond_signal(&bg->feeds.cond);
    pthread_mutex_unlock(&bg->lock);
    struct bg_thread *all[] = {&bg->timers, &bg->outbox, &bg->feeds};
    for (size_t i = 0; i < YJ_ARRAY_LEN(all); i++)
        if (all[i]->running)
            pthread_join(all[i]->thread, NULL);
}

enum yj_err api_background_start(struct api_app *app, const struct notify_config *cfg,
                                 struct yj_error *err)
{
    struct api_background *bg = calloc(1, sizeof *bg);
    if (!bg)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    bg->app = app;
    bg->cfg.timeout_ms = cfg ? cfg->timeout_ms : 0;
    atomic_init(&bg->stopping, false);
    bg->cfg.stop = &bg->stopping;
    const char *clock_file = getenv("YINGJI_TEST_CLOCK_FILE");
    bg->poll_ms = clock_file && *clock_file ? POLL_TEST_MS : POLL_MS;
    bg->timers = (struct bg_thread){.bg = bg, .pass = timers_pass};
    bg->outbox = (struct bg_thread){.bg = bg, .pass = outbox_pass};
    bg->feeds = (struct bg_thread){.bg = bg, .pass = feeds_pass, .start = lookup_warm};
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&bg->timers.cond, &ca);
    pthread_cond_init(&bg->outbox.cond, &ca);
    pthread_cond_init(&bg->feeds.cond, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&bg->lock, NULL);
    bool ok =
        !cfg ||
        (copy(&bg->cfg.smtp_url, cfg->smtp_url) && copy(&bg->cfg.smtp_user, cfg->smtp_user) &&
         copy(&bg->cfg.smtp_password, cfg->smtp_password) &&
         copy(&bg->cfg.mail_from, cfg->mail_from) && copy(&bg->cfg.public_url, cfg->public_url));
    if (!ok) {
        background_free(bg);
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    }
    /* libcurl's global state, before the worker's first handle. */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        background_free(bg);
        return yj_error_set(err, YJ_EINTERNAL, NULL, "libcurl did not initialise");
    }
    app->background = bg; /* before the threads, which read their configuration there */
    bg->timers.running = pthread_create(&bg->timers.thread, NULL, worker, &bg->timers) == 0;
    bg->outbox.running =
        bg->timers.running && pthread_create(&bg->outbox.thread, NULL, worker, &bg->outbox) == 0;
    bg->feeds.running =
        bg->outbox.running && pthread_create(&bg->feeds.thread, NULL, worker, &bg->feeds) == 0;
    if (!bg->feeds.running) {
        threads_stop(bg);
        app->background = NULL;
        curl_global_cleanup();
        background_free(bg);
        return yj_error_set(err, YJ_EINTERNAL, NULL, "cannot start the background threads");
    }
    return YJ_OK;
}

void api_background_kick(struct api_app *app)
{
    struct api_background *bg = app ? app->background : NULL;
    if (!bg)
        return;
    /* Both: the outbox for what was queued, the timers for a deadline just set. */
    pthread_mutex_lock(&bg->lock);
    bg->timers.kicked = bg->outbox.kicked = true;
    pthread_cond_signal(&bg->timers.cond);
    pthread_cond_signal(&bg->outbox.cond);
    pthread_mutex_unlock(&bg->lock);
}

void api_background_stop(struct api_app *app)
{
    struct api_background *bg = app ? app->background : NULL;
    if (!bg)
        return;
    threads_stop(bg);
    app->background = NULL;
    background_free(bg);
    curl_global_cleanup();
}
