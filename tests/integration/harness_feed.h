/*
 * harness_feed.h - the HTTP peer of the indicator feed tests:
 * tests/integration/feed_peer.py serving the files of a directory on loopback with
 * ETag and Last-Modified, answering 304 to a request whose validators are current,
 * and logging every request's conditional headers as a JSON line, written before
 * the answer, so that a test reads what the server sent once its run returned.
 */
#ifndef YJ_TESTS_HARNESS_FEED_H
#define YJ_TESTS_HARNESS_FEED_H

#include "harness.h"

#include <sys/types.h>

struct hx_feed_peer {
    pid_t pid;
    int port;
    char dir[HX_PATH_MAX]; /* the files served; made by hx_feed_peer_start */
    char log[HX_PATH_MAX]; /* the request log: dir + ".requests" */
};

/* Starts the peer serving dir (copied; made when absent) and reads the port it announces;
 * fails the test when it does not start. */
void hx_feed_peer_start(struct hx_feed_peer *p, const char *dir);
/* SIGTERM and wait; a stopped peer is a no-op. */
void hx_feed_peer_stop(struct hx_feed_peer *p);

/* Writes the file name in the peer's directory (the next GET sees the new bytes). */
void hx_feed_peer_put(struct hx_feed_peer *p, const char *name, const char *text);

/* "http://127.0.0.1:PORT/path" (from hx_fmt's buffers). */
const char *hx_feed_peer_url(const struct hx_feed_peer *p, const char *path);

/* Every request the peer logged so far, oldest first: a new JSON array of
 * {"path", "if_none_match", "if_modified_since", "authorization", "status"}. */
json_t *hx_feed_peer_requests(const struct hx_feed_peer *p);

/* The last request the peer logged for path (the caller's reference); fails the test when
 * there is none. */
json_t *hx_feed_peer_last(const struct hx_feed_peer *p, const char *path);

#endif
