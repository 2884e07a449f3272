#!/usr/bin/python3
"""feed_peer.py - the far end of yingji's indicator feeds, for tests/integration/test_feeds.c.

    feed_peer.py DIR LOG

Serves the files of DIR over HTTP on 127.0.0.1 (any free port), printing "port N" once it
accepts connections. Every answer to a file carries an ETag (the SHA-256 of its bytes,
quoted) and a Last-Modified (its modification time); a GET whose If-None-Match names the
current ETag, or, without If-None-Match, whose If-Modified-Since is not before the
modification time, is answered 304 without a body (RFC 9110 §13.1). A missing file is 404.
A path "/redirect/NAME" answers 302 to "/NAME".

Each request is appended to LOG as one JSON line, written before the answer is sent, so a
test that got its answer can read it: {"path", "if_none_match", "if_modified_since",
"authorization" (whether one was sent: never its value), "status"}.

Runs until SIGTERM or SIGINT.
"""
import email.utils
import hashlib
import json
import os
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit


def main(directory, log_path):
    lock = threading.Lock()

    def log(record):
        with lock, open(log_path, "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")
            f.flush()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def answer(self, status, headers=(), body=b""):
            inm = self.headers.get("If-None-Match")
            ims = self.headers.get("If-Modified-Since")
            log({"path": urlsplit(self.path).path, "if_none_match": inm, "if_modified_since": ims,
                 "authorization": self.headers.get("Authorization") is not None,
                 "status": status})
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

        def do_GET(self):
            path = unquote(urlsplit(self.path).path)
            if path.startswith("/redirect/"):
                self.answer(302, [("Location", path[len("/redirect"):])])
                return
            name = os.path.normpath(path.lstrip("/"))
            full = os.path.join(directory, name)
            if name.startswith("..") or not os.path.isfile(full):
                self.answer(404)
                return
            with open(full, "rb") as f:
                data = f.read()
            mtime = int(os.stat(full).st_mtime)
            etag = '"%s"' % hashlib.sha256(data).hexdigest()
            headers = [("ETag", etag), ("Last-Modified", email.utils.formatdate(mtime, usegmt=True))]
            inm = self.headers.get("If-None-Match")
            ims = self.headers.get("If-Modified-Since")
            if inm is not None:
                fresh = inm.strip() == "*" or etag in [t.strip() for t in inm.split(",")]
            elif ims is not None:
                try:
                    fresh = mtime <= email.utils.parsedate_to_datetime(ims).timestamp()
                except (TypeError, ValueError):
                    fresh = False
            else:
                fresh = False
            if fresh:
                self.answer(304, headers)
            else:
                self.answer(200, headers + [("Content-Type", "application/octet-stream")], data)

        def log_message(self, fmt, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    signal.signal(signal.SIGINT, lambda *_: threading.Thread(target=server.shutdown).start())
    sys.stdout.write("port %d\n" % server.server_address[1])
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
