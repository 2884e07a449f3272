/*
 * serve.c - `yingji serve`: open the store (migrating it), start the HTTP
 * server, and on SIGTERM or SIGINT let requests in flight finish before
 * closing the store cleanly.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include "api/api.h"
#include "api/api_certs.h"
#include "attach/attach.h"
#include "cli/cli.h"
#include "core/yj.h"
#include "notify/notify.h"
#include "units/units.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: yingji serve [--data DIR] [--listen ADDR:PORT] [--web DIR]\n"
            "                    [--threads N] [--tls-cert PEM --tls-key PEM]\n"
            "                    [--public-limit N] [--smtp URL --mail-from ADDR]\n"
            "                    [--public-url URL]\n\n"
            "  --data DIR          data directory (default $YINGJI_DATA or ./data)\n"
            "  --listen ADDR:PORT  where to listen (default $YINGJI_LISTEN or "
            "127.0.0.1:8080; port 0 picks a free one)\n"
            "  --web DIR           the web UI's files (default $YINGJI_WEB or web/ beside "
            "the binary)\n"
            "  --threads N         worker threads (default: twice the cores, at least 4)\n"
            "  --tls-cert, --tls-key  serve HTTPS with these PEM files\n"
            "  --public-limit N    public certificate look-ups per client address: a burst\n"
            "                      of N, then N a minute (default %d, at most %d); 0 turns\n"
            "                      the limit off: only where a reverse proxy limits\n"
            "                      /public/certificates/ itself, or for the benchmark\n"
            "  --smtp URL          where e-mail notifications go: smtp://host:port or\n"
            "                      smtps://host:port (default $YINGJI_SMTP_URL; none: e-mail\n"
            "                      waits in the outbox). The account, if the server wants\n"
            "                      one, only from $YINGJI_SMTP_USER and $YINGJI_SMTP_PASSWORD\n"
            "  --mail-from ADDR    the sender of e-mail notifications (default\n"
            "                      $YINGJI_MAIL_FROM; required with --smtp)\n"
            "  --public-url URL    how users reach this server, e.g. https://yj.example.gov.cn;\n"
            "                      links in e-mail and webhooks start with it (default\n"
            "                      $YINGJI_PUBLIC_URL; none: links are paths)\n\n"
            "Prints 'listening on http://ADDR:PORT/' on standard output once it accepts "
            "connections.\n",
            API_PUBLIC_LIMIT_DEFAULT, API_PUBLIC_LIMIT_MAX);
}

/* web/ beside the running binary, as the build lays it out. */
static char *default_web_dir(void)
{
    const char *env = getenv("YINGJI_WEB");
    if (env && *env)
        return strdup(env);
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return strdup("web");
    exe[n] = '\0';
    char *dir = dirname(exe);
    size_t len = strlen(dir) + 5;
    char *out = malloc(len);
    if (out)
        snprintf(out, len, "%s/web", dir);
    return out;
}

static const char *env_or_null(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

/* The notification settings make sense together: 0, or cli_fail's 1 after saying why. */
static int notify_flags_check(const struct notify_config *n)
{
    if (n->smtp_url && strncmp(n->smtp_url, "smtp://", 7) != 0 &&
        strncmp(n->smtp_url, "smtps://", 8) != 0)
        return cli_fail("serve", "--smtp must be an smtp:// or smtps:// URL");
    if (n->smtp_url && !n->mail_from)
        return cli_fail("serve", "--smtp needs --mail-from (or $YINGJI_MAIL_FROM)");
    if (n->mail_from && !unit_email_valid(n->mail_from))
        return cli_fail("serve", "--mail-from must be an e-mail address");
    if (n->public_url && !notify_url_valid(n->public_url))
        return cli_fail("serve", "--public-url must be an http:// or https:// URL");
    return 0;
}

static char *read_text(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct yj_buf b;
    yj_buf_init(&b, 8 * 1024 * 1024);
    char chunk[8192];
    size_t n;
    enum yj_err rc = YJ_OK;
    while (!rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = yj_buf_append(&b, chunk, n);
    fclose(f);
    if (rc) {
        yj_buf_release(&b);
        return NULL;
    }
    return yj_buf_detach(&b, len);
}

int cli_serve(int argc, char **argv)
{
    static const struct option opts[] = {
        {"data", required_argument, NULL, 'd'},
        {"listen", required_argument, NULL, 'l'},
        {"web", required_argument, NULL, 'w'},
        {"threads", required_argument, NULL, 't'},
        {"tls-cert", required_argument, NULL, 'c'},
        {"tls-key", required_argument, NULL, 'k'},
        {"public-limit", required_argument, NULL, 'p'},
        {"smtp", required_argument, NULL, 's'},
        {"mail-from", required_argument, NULL, 'm'},
        {"public-url", required_argument, NULL, 'u'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *data = NULL, *listen = getenv("YINGJI_LISTEN"), *web = NULL;
    struct http_config cfg = {0};
    struct notify_config notify = {.smtp_url = env_or_null("YINGJI_SMTP_URL"),
                                   .smtp_user = env_or_null("YINGJI_SMTP_USER"),
                                   .smtp_password = env_or_null("YINGJI_SMTP_PASSWORD"),
                                   .mail_from = env_or_null("YINGJI_MAIL_FROM"),
                                   .public_url = env_or_null("YINGJI_PUBLIC_URL")};
    int c;
    int64_t threads = 0, public_limit = API_PUBLIC_LIMIT_DEFAULT;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            data = optarg;
            break;
        case 'l':
            listen = optarg;
            break;
        case 'w':
            web = optarg;
            break;
        case 't':
            if (yj_parse_i64(optarg, 1, 256, &threads) != 0)
                return cli_fail("serve", "--threads must be 1 to 256");
            break;
        case 'p':
            if (yj_parse_i64(optarg, 0, API_PUBLIC_LIMIT_MAX, &public_limit) != 0)
                return cli_fail("serve",
                                "--public-limit must be 0 (no limit) to %d look-ups a minute",
                                API_PUBLIC_LIMIT_MAX);
            break;
        case 's':
            notify.smtp_url = optarg;
            break;
        case 'm':
            notify.mail_from = optarg;
            break;
        case 'u':
            notify.public_url = optarg;
            break;
        case 'c':
            cfg.tls_cert = optarg;
            break;
        case 'k':
            cfg.tls_key = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        usage(stderr);
        return 2;
    }
    if (notify_flags_check(&notify))
        return 1;
    data = cli_data_dir(data);
    cfg.listen = listen && *listen ? listen : "127.0.0.1:8080";
    cfg.threads = (int)threads;

    /* Signals are taken by sigwait() in this thread only: block them before any
     * thread (the store's, the server's) starts, so that all inherit the mask. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct yj_error err;
    yj_error_clear(&err);
    /* A missing file-type database fails the start, not the first upload. */
    if (attach_sniff_init(&err))
        return cli_fail("serve", "%s", err.msg);
    struct store *st = NULL;
    if (store_open(data, STORE_MIGRATE, &st, &err))
        return cli_fail("serve", "%s", err.msg);
    struct api_app app;
    struct api_options api_opt = api_options_default();
    api_opt.public_limit = (int)public_limit;
    if (api_app_init(&app, st, yj_clock_default(), &api_opt, &err)) {
        store_close(st);
        return cli_fail("serve", "%s", err.msg);
    }
    char *web_dir = web ? strdup(web) : default_web_dir();
    if (web_dir) {
        size_t n = strlen(web_dir) + 16;
        char *path = malloc(n);
        if (path) {
            snprintf(path, n, "%s/openapi.yaml", web_dir);
            app.openapi = read_text(path, &app.openapi_len);
            free(path);
        }
    }
    cfg.web_dir = web_dir;
    cfg.routes = api_routes;
    cfg.n_routes = api_routes_count;
    cfg.app = &app;

    struct http_server *srv = NULL;
    if (http_server_start(&cfg, &srv, &err)) {
        api_app_release(&app);
        store_close(st);
        free(web_dir);
        return cli_fail("serve", "%s", err.msg);
    }
    char host[64];
    snprintf(host, sizeof host, "%s", cfg.listen);
    char *colon = strrchr(host, ':');
    if (colon)
        *colon = '\0';
    printf("listening on http%s://%s:%u/\n", cfg.tls_cert ? "s" : "", *host ? host : "0.0.0.0",
           (unsigned)http_server_port(srv));
    fflush(stdout);
    yj_log(YJ_LOG_INFO, "serve.started", "{s:s,s:i,s:s,s:i}", "listen", cfg.listen, "port",
           (int)http_server_port(srv), "version", YJ_VERSION, "public_limit", app.public_limit);
    /* The worker delivers notifications (and runs timed work); say whether mail can
     * leave, never where to or with which account. */
    if (api_background_start(&app, &notify, &err)) {
        http_server_stop(srv, 10000);
        api_app_release(&app);
        store_close(st);
        free(web_dir);
        return cli_fail("serve", "%s", err.msg);
    }
    yj_log(YJ_LOG_INFO, "serve.notify", "{s:b,s:b}", "smtp", notify.smtp_url != NULL, "public_url",
           notify.public_url != NULL);

    /* The main thread waits for a signal and, every half minute meanwhile, runs the
     * periodic jobs (e.g. certificates expiring at their valid_to). */
    int sig = -1;
    while (sig < 0) {
        struct timespec every = {30, 0};
        sig = sigtimedwait(&sigs, NULL, &every);
        if (sig < 0 && errno == EAGAIN)
            api_periodic(&app);
        else if (sig < 0 && errno != EINTR)
            break;
    }
    yj_log(YJ_LOG_INFO, "serve.stopping", "{s:i}", "signal", sig);
    http_server_stop(srv, 10000);
    api_background_stop(&app);
    api_app_release(&app);
    store_close(st);
    free(web_dir);
    yj_log(YJ_LOG_INFO, "serve.stopped", NULL);
    return 0;
}
