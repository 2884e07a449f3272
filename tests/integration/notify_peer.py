#!/usr/bin/python3
"""notify_peer.py - the far ends of yingji's notifications, for tests/integration/test_notify.c.

    notify_peer.py smtp DIR [PORT]   an SMTP server (aiosmtpd, Debian's python3-aiosmtpd)
    notify_peer.py http DIR          a webhook receiver (http.server)

Each listens on 127.0.0.1 (PORT, or any free port), prints "port N" once it accepts
connections, and writes every message it receives into DIR atomically (a temporary
name, then rename), so a test that sees a file sees all of it:

  smtp: mail-N.eml, the message exactly as sent (the DATA bytes), and mail-N.json,
        {"mail_from", "rcpt_tos", "login"}. With $PEER_SMTP_USER and $PEER_SMTP_PASSWORD
        set, the server requires AUTH (over plain text, as on loopback) with exactly them.
  http: req-N.json, {"method", "path", "headers": {...}, "body", "status"}. A path with
        ?fail=K answers 500 to its first K requests and 200 after; any other path 200.

Runs until SIGTERM or SIGINT.
"""
import asyncio
import itertools
import json
import logging
import os
import signal
import sys
import threading
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


def write_atomic(directory, name, data):
    tmp = os.path.join(directory, "." + name + ".tmp")
    with open(tmp, "wb") as f:
        f.write(data)
    os.rename(tmp, os.path.join(directory, name))


def first_number(directory, suffix):
    """The next file number in directory, so that a restarted peer adds to what is there."""
    return 1 + sum(1 for name in os.listdir(directory) if name.endswith(suffix))


def announce(port):
    sys.stdout.write("port %d\n" % port)
    sys.stdout.flush()


def serve_smtp(directory, port):
    from aiosmtpd.smtp import SMTP, AuthResult

    # AUTH without TLS is what a loopback test wants; aiosmtpd warns about it.
    warnings.filterwarnings("ignore")
    logging.getLogger("mail.log").setLevel(logging.ERROR)

    user = os.environ.get("PEER_SMTP_USER", "").encode()
    password = os.environ.get("PEER_SMTP_PASSWORD", "").encode()
    counter = itertools.count(first_number(directory, ".json"))

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == user and auth_data.password == password
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            n = next(counter)
            login = session.auth_data.login.decode() if session.auth_data else None
            meta = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos, "login": login}
            write_atomic(directory, "mail-%d.eml" % n, envelope.original_content)
            write_atomic(directory, "mail-%d.json" % n, json.dumps(meta).encode())
            return "250 OK"

    def factory():
        if user:
            return SMTP(Handler(), hostname="127.0.0.1", authenticator=authenticate,
                        auth_required=True, auth_require_tls=False)
        return SMTP(Handler(), hostname="127.0.0.1")

    async def main():
        loop = asyncio.get_running_loop()
        server = await loop.create_server(factory, "127.0.0.1", port, reuse_address=True)
        stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        announce(server.sockets[0].getsockname()[1])
        await stop.wait()
        server.close()
        await server.wait_closed()

    asyncio.run(main())


def serve_http(directory):
    counter = itertools.count(first_number(directory, ".json"))
    seen = {}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            url = urlsplit(self.path)
            fail = int(parse_qs(url.query).get("fail", ["0"])[0])
            with lock:
                n = next(counter)
                seen[url.path] = seen.get(url.path, 0) + 1
                status = 500 if seen[url.path] <= fail else 200
            record = {"method": "POST", "path": url.path, "headers": dict(self.headers.items()),
                      "body": body.decode("utf-8"), "status": status}
            write_atomic(directory, "req-%d.json" % n, json.dumps(record).encode())
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, fmt, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    announce(server.server_address[1])
    server.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in ("smtp", "http"):
        sys.exit(__doc__)
    if sys.argv[1] == "smtp":
        serve_smtp(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 0)
    else:
        serve_http(sys.argv[2])
