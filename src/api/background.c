/*
 * background.c - the worker thread that does timed work by itself: a pass over
 * everything due (run_due), then a wait on a condition variable until the next
 * due time, a kick from a handler that queued something, or a poll interval.
 * Times are the app's clock (injectable); the wait is real time, bounded, so an
 * injected clock moved by a test is noticed within one poll.
 */
#include <pthread.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "api/api_incidents.h"
#include "api/api_int.h"
#include "notify/notify.h"

enum {
    POLL_MS = 1000,     /* the longest wait: time may be moved or rows added by others */
    POLL_TEST_MS = 200, /* with an injected clock file */
};

struct api_background {
    struct api_app *app;
    struct notify_config cfg; /* strings owned (copies) */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond; /* CLOCK_MONOTONIC */
    bool kicked, stop;
    atomic_bool stopping; /* cfg.stop: ends a pass early */
    int poll_ms;
};

/* The earlier of two due times, where 0 means "nothing due". */
static int64_t earliest(int64_t a, int64_t b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    return a < b ? a : b;
}

/*
 * Everything due at now; returns when something is next due (0: nothing known).
 *
 * THE PLACE FOR TIMED WORK: each job that must happen by itself at a time runs
 * here, one call each, and folds its own next due time into the result with
 * earliest(). Today: the notification outbox. Incident timers (acknowledgement
 * and 2-hour commitment deadlines, escalations, reporting deadlines) join here,
 * before the outbox, so that what they queue goes out in the same pass (no kick
 * needed). Jobs log their own errors and must not block for long: the outbox's
 * deliveries are bounded by notify_config.timeout_ms each.
 */
static int64_t run_due(struct api_app *app, int64_t now)
{
    int64_t next = 0;

    /* Incident deadlines first: what they escalate is queued for the pass below. */
    int64_t timers_next = 0;
    api_incident_timers_run(app, now, &timers_next);
    next = earliest(next, timers_next);

    int64_t outbox_next = 0;
    struct yj_error err;
    yj_error_clear(&err);
    if (notify_deliver_due(app->store, &app->background->cfg, now, NULL, &outbox_next, &err))
        yj_log(YJ_LOG_ERROR, "background.outbox_failed", "{s:s}", "error", err.msg);
    next = earliest(next, outbox_next);
    return next;
}

static void *worker(void *arg)
{
    struct api_background *bg = arg;
    pthread_mutex_lock(&bg->lock);
    while (!bg->stop) {
        bg->kicked = false;
        pthread_mutex_unlock(&bg->lock);
        int64_t now = yj_now_ms(bg->app->clock);
        int64_t next = run_due(bg->app, now);
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
        while (!bg->stop && !bg->kicked && wait > 0)
            if (pthread_cond_timedwait(&bg->cond, &bg->lock, &until) != 0)
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
    pthread_cond_destroy(&bg->cond);
    pthread_mutex_destroy(&bg->lock);
    free(bg);
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
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&bg->cond, &ca);
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
    app->background = bg; /* before the thread, which reads its configuration there */
    if (pthread_create(&bg->thread, NULL, worker, bg) != 0) {
        app->background = NULL;
        curl_global_cleanup();
        background_free(bg);
        return yj_error_set(err, YJ_EINTERNAL, NULL, "cannot start the background thread");
    }
    return YJ_OK;
}

void api_background_kick(struct api_app *app)
{
    struct api_background *bg = app ? app->background : NULL;
    if (!bg)
        return;
    pthread_mutex_lock(&bg->lock);
    bg->kicked = true;
    pthread_cond_signal(&bg->cond);
    pthread_mutex_unlock(&bg->lock);
}

void api_background_stop(struct api_app *app)
{
    struct api_background *bg = app ? app->background : NULL;
    if (!bg)
        return;
    atomic_store(&bg->stopping, true); /* a pass in progress ends at once */
    pthread_mutex_lock(&bg->lock);
    bg->stop = true;
    pthread_cond_signal(&bg->cond);
    pthread_mutex_unlock(&bg->lock);
    pthread_join(bg->thread, NULL);
    app->background = NULL;
    background_free(bg);
    curl_global_cleanup();
}
