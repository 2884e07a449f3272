/*
 * harness.c - the server process and other child processes for the integration
 * tests: temporary directories, `yingji init`, spawning `yingji serve` and
 * reading its "listening on" line, stopping and killing it, the injected clock
 * file, and the secrets that must never reach its log. HTTP is in harness_http.c.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#include "core/yj.h"

extern char **environ;

enum { START_TIMEOUT_MS = 60000, STOP_TIMEOUT_MS = 60000, CHILD_TIMEOUT_MS = 120000 };

static const char *env_required(const char *name)
{
    const char *v = getenv(name);
    if (!v || !*v)
        fail_msg("%s is not set; run the integration tests through ctest", name);
    return v;
}

static int64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds left until deadline, at least 0. */
static int remaining(int64_t deadline)
{
    int64_t left = deadline - monotonic_ms();
    return left > 0 ? (int)left : 0;
}

/* --- environment and process plumbing ------------------------------------------------ */

/* environ with the "NAME=value" entries of extra replacing or adding; the
 * YINGJI_TEST_CLOCK_FILE of the test's own environment is always dropped. */
static char **env_with(const char *const *extra)
{
    size_t n = 0, k = 0;
    while (environ[n])
        n++;
    while (extra && extra[k])
        k++;
    char **env = calloc(n + k + 1, sizeof *env);
    assert_non_null(env);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(environ[i], '=');
        size_t len = eq ? (size_t)(eq - environ[i]) + 1 : strlen(environ[i]);
        bool replaced = strncmp(environ[i], "YINGJI_TEST_CLOCK_FILE=", 23) == 0;
        for (size_t j = 0; j < k && !replaced; j++)
            replaced = strncmp(environ[i], extra[j], len) == 0;
        if (!replaced)
            env[m++] = environ[i];
    }
    for (size_t j = 0; j < k; j++)
        env[m++] = (char *)(uintptr_t)extra[j];
    env[m] = NULL;
    return env;
}

/* Waits for pid for at most timeout_ms; true and *status when it was reaped. */
static bool wait_pid(pid_t pid, int timeout_ms, int *status)
{
    int fd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (fd >= 0) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int rc;
        do
            rc = poll(&p, 1, timeout_ms);
        while (rc < 0 && errno == EINTR);
        close(fd);
        if (rc == 0)
            return false;
    }
    pid_t r;
    do
        r = waitpid(pid, status, 0);
    while (r < 0 && errno == EINTR);
    return r == pid;
}

static int exit_code(int status)
{
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return -1;
}

/* Collects argv from a NULL-terminated va_list after the program. */
static void argv_from(const char **argv, size_t max, const char *prog, va_list ap)
{
    size_t n = 0;
    argv[n++] = prog;
    const char *a;
    while ((a = va_arg(ap, const char *)) != NULL) {
        if (n + 1 >= max)
            fail_msg("too many arguments");
        argv[n++] = a;
    }
    argv[n] = NULL;
}

/* Forks and execs argv with env, stdout and stderr into a new pipe. */
static void spawn_argv(struct hx_child *c, const char *const *argv, char **env)
{
    int p[2];
    assert_int_equal(pipe2(p, O_CLOEXEC), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(p[1], STDOUT_FILENO);
        dup2(p[1], STDERR_FILENO);
        execve(argv[0], (char *const *)(uintptr_t)argv, env);
        _exit(127);
    }
    close(p[1]);
    memset(c, 0, sizeof *c);
    c->pid = pid;
    c->out_fd = p[0];
}

/* Reads fd to EOF (at most until deadline) into a malloc'd string (NUL-terminated; *len,
 * when len is not NULL, the number of bytes read, NUL bytes included). */
static char *read_all(int fd, int64_t deadline, bool *timed_out, size_t *len)
{
    struct yj_buf b;
    yj_buf_init(&b, 64 * 1024 * 1024);
    *timed_out = false;
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int rc = poll(&p, 1, remaining(deadline));
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc == 0) {
            *timed_out = true;
            break;
        }
        char chunk[4096];
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        assert_int_equal(yj_buf_append(&b, chunk, (size_t)n), YJ_OK);
    }
    size_t n = 0;
    char *s = yj_buf_detach(&b, &n);
    if (!s) {
        s = strdup("");
        n = 0;
    }
    assert_non_null(s);
    if (len)
        *len = n;
    return s;
}

int hx_spawn_wait(struct hx_child *c, char **out)
{
    int64_t deadline = monotonic_ms() + CHILD_TIMEOUT_MS;
    bool timed_out;
    char *text = read_all(c->out_fd, deadline, &timed_out, NULL);
    close(c->out_fd);
    c->out_fd = -1;
    int status = c->status;
    if (!c->exited && (timed_out || !wait_pid(c->pid, remaining(deadline), &status))) {
        kill(c->pid, SIGKILL);
        waitpid(c->pid, &status, 0);
        fail_msg("child %d did not finish in time; output:\n%s", (int)c->pid, text);
    }
    c->exited = true;
    c->status = status;
    if (out)
        *out = text;
    else
        free(text);
    return exit_code(status);
}

bool hx_spawn_done(struct hx_child *c)
{
    if (c->exited)
        return true;
    int status;
    pid_t r = waitpid(c->pid, &status, WNOHANG);
    if (r == c->pid) {
        c->exited = true;
        c->status = status;
    }
    return c->exited;
}

void hx_spawn(struct hx_child *c, ...)
{
    const char *argv[32];
    va_list ap;
    va_start(ap, c);
    argv_from(argv, YJ_ARRAY_LEN(argv), env_required("YINGJI_BIN"), ap);
    va_end(ap);
    char **env = env_with(NULL);
    spawn_argv(c, argv, env);
    free(env);
}

static int run_argv(char **out, const char *const *argv, const char *const *extra_env)
{
    char **env = env_with(extra_env);
    struct hx_child c;
    spawn_argv(&c, argv, env);
    free(env);
    return hx_spawn_wait(&c, out);
}

int hx_yingji(char **out, ...)
{
    const char *argv[32];
    va_list ap;
    va_start(ap, out);
    argv_from(argv, YJ_ARRAY_LEN(argv), env_required("YINGJI_BIN"), ap);
    va_end(ap);
    return run_argv(out, argv, NULL);
}

int hx_audit_verify(const char *dir, char **out)
{
    return hx_yingji(out, "audit", "verify", "--data", dir, NULL);
}

/* --- files ------------------------------------------------------------------------------- */

char *hx_read_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    bool timed_out;
    /* The byte count, not strlen: a binary file may hold NUL bytes. */
    char *s = read_all(fd, monotonic_ms() + CHILD_TIMEOUT_MS, &timed_out, len);
    close(fd);
    return s;
}

void hx_write_file(const char *path, const void *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        fail_msg("cannot write %s: %s", path, strerror(errno));
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            fail_msg("cannot write %s: %s", path, strerror(errno));
        p += n;
        len -= (size_t)n;
    }
    close(fd);
}

void hx_copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        fail_msg("cannot read %s: %s", from, strerror(errno));
    int outfd = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (outfd < 0)
        fail_msg("cannot write %s: %s", to, strerror(errno));
    char buf[65536];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        assert_int_equal(write(outfd, buf, (size_t)n), n);
    assert_true(n == 0);
    close(in);
    close(outfd);
}

void hx_make_dir(const char *path)
{
    if (mkdir(path, 0700) != 0 && errno != EEXIST)
        fail_msg("cannot make %s: %s", path, strerror(errno));
}

void hx_copy_tree(const char *src, const char *dst)
{
    hx_make_dir(dst);
    DIR *d = opendir(src);
    if (!d)
        fail_msg("cannot open %s: %s", src, strerror(errno));
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char from[HX_PATH_MAX], to[HX_PATH_MAX];
        snprintf(from, sizeof from, "%s/%s", src, e->d_name);
        snprintf(to, sizeof to, "%s/%s", dst, e->d_name);
        struct stat st;
        assert_int_equal(stat(from, &st), 0);
        if (S_ISDIR(st.st_mode))
            hx_copy_tree(from, to);
        else if (S_ISREG(st.st_mode))
            hx_copy_file(from, to);
    }
    closedir(d);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

void hx_remove_tree(const char *path)
{
    nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* --- the server ---------------------------------------------------------------------- */

void hx_secret_note(struct hx_server *s, const char *value)
{
    if (!s || !value || !*value)
        return;
    for (size_t i = 0; i < s->n_secrets; i++)
        if (strcmp(s->secrets[i], value) == 0)
            return;
    if (s->n_secrets == s->cap_secrets) {
        size_t cap = s->cap_secrets ? 2 * s->cap_secrets : 32;
        char **p = realloc(s->secrets, cap * sizeof *p);
        assert_non_null(p);
        s->secrets = p;
        s->cap_secrets = cap;
    }
    s->secrets[s->n_secrets] = strdup(value);
    assert_non_null(s->secrets[s->n_secrets]);
    s->n_secrets++;
}

char *hx_server_log(const struct hx_server *s)
{
    char *text = hx_read_file(s->log, NULL);
    return text ? text : strdup("");
}

void hx_server_assert_log_clean(const struct hx_server *s)
{
    char *log = hx_server_log(s);
    for (size_t i = 0; i < s->n_secrets; i++)
        if (strstr(log, s->secrets[i])) {
            print_error("secret %zu of %zu (%.4s...) appears in the server log %s\n", i + 1,
                        s->n_secrets, s->secrets[i], s->log);
            free(log);
            fail();
        }
    free(log);
}

void hx_clock_set(struct hx_server *s, int64_t ms)
{
    if (!s->clock[0])
        fail_msg("this server has no injected clock (hx_server_options.clock)");
    char tmp[HX_PATH_MAX + 8], text[32];
    snprintf(tmp, sizeof tmp, "%s.tmp", s->clock);
    int n = snprintf(text, sizeof text, "%lld\n", (long long)ms);
    hx_write_file(tmp, text, (size_t)n);
    /* rename is atomic: the server never reads a half-written number */
    assert_int_equal(rename(tmp, s->clock), 0);
    s->now_ms = ms;
}

void hx_clock_advance(struct hx_server *s, int64_t ms)
{
    hx_clock_set(s, s->now_ms + ms);
}

/* The tail of the log, for failure messages. */
static void print_log_tail(const struct hx_server *s)
{
    char *log = hx_server_log(s);
    size_t n = strlen(log);
    print_error("--- server log (%s), last part ---\n%s\n", s->log,
                n > 4000 ? log + n - 4000 : log);
    free(log);
}

void hx_server_start(struct hx_server *s)
{
    if (s->pid)
        fail_msg("the server is already running");
    bool tls = s->tls_cert[0] != '\0';
    const char *argv[32] = {
        env_required("YINGJI_BIN"),
        "serve",
        "--data",
        s->data,
        "--listen",
        "127.0.0.1:0",
        "--web",
        s->web,
    };
    size_t argc = 8;
    if (tls) {
        argv[argc++] = "--tls-cert";
        argv[argc++] = s->tls_cert;
        argv[argc++] = "--tls-key";
        argv[argc++] = s->tls_key;
    }
    for (size_t i = 0; s->serve_args && s->serve_args[i]; i++) {
        if (argc + 1 >= YJ_ARRAY_LEN(argv))
            fail_msg("too many serve_args");
        argv[argc++] = s->serve_args[i];
    }
    argv[argc] = NULL;
    char clock_env[HX_PATH_MAX + 32];
    snprintf(clock_env, sizeof clock_env, "YINGJI_TEST_CLOCK_FILE=%s", s->clock);
    const char *extra[] = {s->clock[0] ? clock_env : NULL, NULL};
    char **env = env_with(extra);
    int p[2];
    assert_int_equal(pipe2(p, O_CLOEXEC), 0);
    int logfd = open(s->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    assert_true(logfd >= 0);
    pid_t parent = getpid();
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* Never outlive the test, whatever happens to it. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        dup2(p[1], STDOUT_FILENO);
        dup2(logfd, STDERR_FILENO);
        execve(argv[0], (char *const *)(uintptr_t)argv, env);
        _exit(127);
    }
    free(env);
    close(p[1]);
    close(logfd);
    s->pid = pid;

    char line[512];
    size_t len = 0;
    int64_t deadline = monotonic_ms() + START_TIMEOUT_MS;
    const char *prefix = tls ? "listening on https://127.0.0.1:" : "listening on http://127.0.0.1:";
    int port = 0;
    while (!port) {
        struct pollfd pf = {.fd = p[0], .events = POLLIN};
        int rc = poll(&pf, 1, remaining(deadline));
        if (rc < 0 && errno == EINTR)
            continue;
        ssize_t n = rc > 0 ? read(p[0], line + len, sizeof line - 1 - len) : 0;
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || len + (size_t)n >= sizeof line - 1) {
            close(p[0]);
            kill(pid, SIGKILL);
            int status;
            waitpid(pid, &status, 0);
            s->pid = 0;
            print_log_tail(s);
            fail_msg("the server %s (stdout so far: %.*s)",
                     rc == 0 ? "did not announce itself within 60 s" : "exited before listening",
                     (int)len, line);
        }
        len += (size_t)n;
        line[len] = '\0';
        const char *at = strstr(line, prefix);
        const char *nl = at ? strchr(at, '\n') : NULL;
        if (nl) {
            int64_t v;
            char num[8] = "";
            size_t dl = strspn(at + strlen(prefix), "0123456789");
            if (dl > 0 && dl < sizeof num)
                memcpy(num, at + strlen(prefix), dl);
            if (yj_parse_i64(num, 1, 65535, &v) != 0)
                fail_msg("cannot read the port from %s", line);
            port = (int)v;
        }
    }
    close(p[0]);
    s->port = port;
    snprintf(s->base_url, sizeof s->base_url, "%s://127.0.0.1:%d", tls ? "https" : "http", port);
}

int hx_server_wait_exit(struct hx_server *s)
{
    if (!s->pid)
        fail_msg("the server is not running");
    int status = 0;
    if (!wait_pid(s->pid, STOP_TIMEOUT_MS, &status)) {
        kill(s->pid, SIGKILL);
        waitpid(s->pid, &status, 0);
        s->pid = 0;
        print_log_tail(s);
        fail_msg("the server did not stop within 60 s");
    }
    s->pid = 0;
    s->port = 0;
    s->base_url[0] = '\0';
    return status;
}

int hx_server_terminate(struct hx_server *s)
{
    if (!s->pid)
        fail_msg("the server is not running");
    assert_int_equal(kill(s->pid, SIGTERM), 0);
    return hx_server_wait_exit(s);
}

void hx_server_stop(struct hx_server *s)
{
    int status = hx_server_terminate(s);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        print_log_tail(s);
        fail_msg("the server did not exit cleanly after SIGTERM: %s %d",
                 WIFEXITED(status) ? "exit status" : "signal",
                 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
    }
}

void hx_server_kill(struct hx_server *s)
{
    if (!s->pid)
        fail_msg("the server is not running");
    assert_int_equal(kill(s->pid, SIGKILL), 0);
    int status = 0;
    assert_true(wait_pid(s->pid, STOP_TIMEOUT_MS, &status));
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    s->pid = 0;
    s->port = 0;
    s->base_url[0] = '\0';
}

void hx_server_restart(struct hx_server *s)
{
    if (s->pid)
        hx_server_stop(s);
    hx_server_start(s);
}

struct hx_server *hx_server_new(const struct hx_server_options *opt)
{
    struct hx_server *s = calloc(1, sizeof *s);
    assert_non_null(s);
    const char *tmp = getenv("TMPDIR");
    snprintf(s->root, sizeof s->root, "%s/yj-it-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(s->root))
        fail_msg("mkdtemp %s: %s", s->root, strerror(errno));
    snprintf(s->data, sizeof s->data, "%s/data", s->root);
    snprintf(s->log, sizeof s->log, "%s/server.log", s->root);
    snprintf(s->web, sizeof s->web, "%s",
             opt && opt->web_dir ? opt->web_dir : env_required("YINGJI_WEB"));
    s->serve_args = opt ? opt->serve_args : NULL;
    if (opt && opt->clock) {
        snprintf(s->clock, sizeof s->clock, "%s/clock", s->root);
        hx_clock_set(s, HX_CLOCK_START);
    }
    if (opt && opt->tls) {
        snprintf(s->tls_cert, sizeof s->tls_cert, "%s/cert.pem", s->root);
        snprintf(s->tls_key, sizeof s->tls_key, "%s/key.pem", s->root);
        const char *req[] = {"/usr/bin/openssl",
                             "req",
                             "-x509",
                             "-newkey",
                             "rsa:2048",
                             "-nodes",
                             "-keyout",
                             s->tls_key,
                             "-out",
                             s->tls_cert,
                             "-days",
                             "1",
                             "-subj",
                             "/CN=127.0.0.1",
                             NULL};
        char *out = NULL;
        if (run_argv(&out, req, NULL) != 0)
            fail_msg("openssl req failed:\n%s", out);
        free(out);
    }
    hx_secret_note(s, HX_ADMIN_PASSWORD);
    const char *argv[] = {env_required("YINGJI_BIN"), "init", "--data", s->data, NULL};
    char clock_env[HX_PATH_MAX + 32];
    snprintf(clock_env, sizeof clock_env, "YINGJI_TEST_CLOCK_FILE=%s", s->clock);
    const char *extra[] = {"YINGJI_ADMIN_PASSWORD=" HX_ADMIN_PASSWORD,
                           s->clock[0] ? clock_env : NULL, NULL};
    char *out = NULL;
    int rc = run_argv(&out, argv, extra);
    if (rc != 0)
        fail_msg("yingji init exited %d:\n%s", rc, out);
    free(out);
    hx_server_start(s);
    return s;
}

void hx_server_free(struct hx_server *s)
{
    if (!s)
        return;
    if (s->pid)
        hx_server_stop(s);
    hx_remove_tree(s->root);
    for (size_t i = 0; i < s->n_secrets; i++)
        free(s->secrets[i]);
    free(s->secrets);
    free(s);
}

bool hx_server_wait_log(struct hx_server *s, const char *needle, int timeout_ms)
{
    int64_t deadline = monotonic_ms() + timeout_ms;
    int fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    assert_true(fd >= 0);
    assert_true(inotify_add_watch(fd, s->log, IN_MODIFY) >= 0);
    bool found = false;
    for (;;) {
        /* Look after arming the watch, so that a write in between is not missed. */
        char *log = hx_server_log(s);
        found = strstr(log, needle) != NULL;
        free(log);
        if (found || remaining(deadline) == 0)
            break;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, remaining(deadline)) > 0) {
            char ev[4096];
            while (read(fd, ev, sizeof ev) > 0)
                ;
        }
    }
    close(fd);
    return found;
}
