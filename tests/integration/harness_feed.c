/*
 * harness_feed.c - the indicator feed peer (harness_feed.h).
 */
#include "harness_feed.h"
#include "harness_peer.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

void hx_feed_peer_start(struct hx_feed_peer *p, const char *dir)
{
    char script[HX_PATH_MAX], err_log[HX_PATH_MAX + 8];
    snprintf(p->dir, sizeof p->dir, "%s", dir);
    snprintf(p->log, sizeof p->log, "%s.requests", dir);
    snprintf(script, sizeof script, "%s/tests/integration/feed_peer.py", getenv("YINGJI_SRC"));
    snprintf(err_log, sizeof err_log, "%s.stderr", dir);
    hx_make_dir(p->dir);
    const char *args[] = {p->dir, p->log, NULL};
    p->pid = hx_python_start(script, args, err_log, &p->port);
}

void hx_feed_peer_stop(struct hx_feed_peer *p)
{
    if (!p->pid)
        return;
    kill(p->pid, SIGTERM);
    int status;
    waitpid(p->pid, &status, 0);
    p->pid = 0;
}

void hx_feed_peer_put(struct hx_feed_peer *p, const char *name, const char *text)
{
    hx_write_file(hx_fmt("%s/%s", p->dir, name), text, strlen(text));
}

const char *hx_feed_peer_url(const struct hx_feed_peer *p, const char *path)
{
    return hx_fmt("http://127.0.0.1:%d%s", p->port, path);
}

json_t *hx_feed_peer_requests(const struct hx_feed_peer *p)
{
    json_t *all = json_array();
    char *text = hx_read_file(p->log, NULL);
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        json_error_t e;
        json_t *r = json_loads(line, 0, &e);
        if (!r)
            fail_msg("the feed peer logged a line that is not JSON: %s", line);
        json_array_append_new(all, r);
        if (!next)
            break;
    }
    free(text);
    return all;
}

json_t *hx_feed_peer_last(const struct hx_feed_peer *p, const char *path)
{
    json_t *all = hx_feed_peer_requests(p), *found = NULL;
    size_t i;
    json_t *r;
    json_array_foreach (all, i, r) {
        const char *rp = json_string_value(json_object_get(r, "path"));
        if (rp && !strcmp(rp, path))
            found = r;
    }
    if (!found)
        fail_msg("the feed peer logged no request for %s", path);
    json_incref(found);
    json_decref(all);
    return found;
}
