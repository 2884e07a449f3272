/*
 * harness_peer.c - the SMTP and webhook peers (harness_peer.h).
 */
#include "harness_peer.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sodium.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PYTHON "/usr/bin/python3"

void hx_pause_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

pid_t hx_python_start(const char *script, const char *const *args, const char *log, int *port)
{
    const char *argv[8] = {PYTHON, script};
    size_t argc = 2;
    for (; args[argc - 2] && argc < sizeof argv / sizeof argv[0] - 1; argc++)
        argv[argc] = args[argc - 2];
    argv[argc] = NULL;
    int out[2];
    assert_int_equal(pipe(out), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        int err = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
        dup2(out[1], STDOUT_FILENO);
        if (err >= 0)
            dup2(err, STDERR_FILENO);
        close(out[0]);
        execv(PYTHON, (char *const *)(uintptr_t)argv);
        _exit(127);
    }
    close(out[1]);
    char line[64] = "";
    size_t len = 0;
    struct pollfd pf = {.fd = out[0], .events = POLLIN};
    while (!strchr(line, '\n') && len < sizeof line - 1 && poll(&pf, 1, HX_WAIT_MS) > 0) {
        ssize_t n = read(out[0], line + len, sizeof line - 1 - len);
        if (n <= 0)
            break;
        len += (size_t)n;
        line[len] = '\0';
    }
    close(out[0]);
    if (sscanf(line, "port %d", port) != 1) {
        char *text = hx_read_file(log, NULL);
        fail_msg("%s did not start (is python3-aiosmtpd installed?):\n%s", script,
                 text ? text : "");
    }
    return pid;
}

/* Starts `notify_peer.py kind dir [port]` and reads the port it announces. */
void hx_peer_start(struct hx_peer *p, const char *kind, int port)
{
    char script[HX_PATH_MAX], port_arg[16], log[HX_PATH_MAX + 8];
    snprintf(script, sizeof script, "%s/tests/integration/notify_peer.py", getenv("YINGJI_SRC"));
    snprintf(port_arg, sizeof port_arg, "%d", port);
    snprintf(log, sizeof log, "%s.log", p->dir);
    hx_make_dir(p->dir);
    const char *args[] = {kind, p->dir, port_arg, NULL};
    p->pid = hx_python_start(script, args, log, &p->port);
}

void hx_peer_stop(struct hx_peer *p)
{
    if (!p->pid)
        return;
    kill(p->pid, SIGTERM);
    int status;
    waitpid(p->pid, &status, 0);
    p->pid = 0;
}

/* Polls until path exists (the peers write by rename: complete once seen). */
bool hx_wait_file(const char *path)
{
    for (int waited = 0; waited < HX_WAIT_MS; waited += HX_POLL_MS) {
        if (access(path, F_OK) == 0)
            return true;
        hx_pause_ms(HX_POLL_MS);
    }
    return false;
}

/* The next mail the SMTP peer received: its raw text (malloc'd) and envelope. */
char *hx_mail_next(struct hx_peer *smtp, json_t **envelope)
{
    int n = ++smtp->seen;
    const char *meta = hx_fmt("%s/mail-%d.json", smtp->dir, n);
    if (!hx_wait_file(meta))
        fail_msg("no mail %d arrived in %d ms", n, HX_WAIT_MS);
    *envelope = json_load_file(meta, 0, NULL);
    assert_non_null(*envelope);
    char *raw = hx_read_file(hx_fmt("%s/mail-%d.eml", smtp->dir, n), NULL);
    assert_non_null(raw);
    return raw;
}

/* The request number n the webhook receiver recorded. */
json_t *hx_hook_request(struct hx_peer *hooks, int n)
{
    const char *path = hx_fmt("%s/req-%d.json", hooks->dir, n);
    if (!hx_wait_file(path))
        fail_msg("no webhook request %d arrived in %d ms", n, HX_WAIT_MS);
    json_t *j = json_load_file(path, 0, NULL);
    assert_non_null(j);
    return j;
}

/* Decodes a header made of RFC 2047 "B" words back to UTF-8 (malloc'd). */
char *hx_mail_decode_words(const char *v)
{
    size_t cap = strlen(v) + 1, len = 0;
    char *out = calloc(1, cap);
    assert_non_null(out);
    for (const char *p = v; (p = strstr(p, "=?UTF-8?B?")) != NULL;) {
        p += 10;
        const char *end = strstr(p, "?=");
        assert_non_null(end);
        size_t n = 0;
        assert_int_equal(sodium_base642bin((unsigned char *)out + len, cap - len - 1, p,
                                           (size_t)(end - p), NULL, &n, NULL,
                                           sodium_base64_VARIANT_ORIGINAL),
                         0);
        len += n;
        p = end + 2;
    }
    out[len] = '\0';
    return out;
}

/* A header's value in a raw message, continuation lines joined (malloc'd). */
char *hx_mail_header(const char *raw, const char *name)
{
    const char *p = raw;
    size_t n = strlen(name);
    while (p && !(strncasecmp(p, name, n) == 0 && p[n] == ':'))
        p = (p = strstr(p, "\r\n")) ? p + 2 : NULL;
    if (!p)
        fail_msg("no %s header in:\n%s", name, raw);
    p += n + 1;
    while (*p == ' ')
        p++;
    const char *end = p;
    while ((end = strstr(end, "\r\n")) && (end[2] == ' ' || end[2] == '\t'))
        end += 2;
    return strndup(p, (size_t)(end - p));
}

/* The base64 body of a raw message, decoded (malloc'd). */
char *hx_mail_body(const char *raw)
{
    const char *b = strstr(raw, "\r\n\r\n");
    assert_non_null(b);
    b += 4;
    size_t cap = strlen(b) + 1, n = 0;
    unsigned char *out = calloc(1, cap);
    assert_non_null(out);
    assert_int_equal(sodium_base642bin(out, cap - 1, b, strlen(b), "\r\n", &n, NULL,
                                       sodium_base64_VARIANT_ORIGINAL),
                     0);
    out[n] = '\0';
    return (char *)out;
}

char *hx_mail_subject(const char *raw)
{
    char *v = hx_mail_header(raw, "Subject"), *s = hx_mail_decode_words(v);
    free(v);
    return s;
}
