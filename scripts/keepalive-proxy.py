#!/usr/bin/env python3
"""A keep-alive HTTP/1.1 reverse proxy on Python's http.server, for testing clients against a
server that is not ours: it keeps client connections open, closes idle ones after --idle seconds
(Node's default keep-alive timeout is 5 s), forwards each request to --upstream and times it.
GET /__proxy/stats answers {"requests", "max_ms", "over_2s", "connections"} as JSON.
Prints "PORT <n>" on stdout once listening.
"""
import argparse
import http.client
import http.server
import json
import loopback_server
import sys
import threading
import time
import urllib.parse

stats = {"requests": 0, "max_ms": 0.0, "over_2s": 0, "connections": 0}
lock = threading.Lock()
local = threading.local()


class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        with lock:
            stats["connections"] += 1

    def log_message(self, *args):
        pass

    def upstream(self):
        connection = getattr(local, "connection", None)
        if connection is None:
            target = urllib.parse.urlsplit(self.server.upstream)
            connection = http.client.HTTPConnection(target.hostname, target.port, timeout=120)
            local.connection = connection
        return connection

    def forward(self):
        started = time.monotonic()
        if self.path == "/__proxy/stats":
            with lock:
                body = json.dumps(stats).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection", "keep-alive")}
        for attempt in range(2):
            try:
                connection = self.upstream()
                connection.request(self.command, self.path, body=body, headers=headers)
                reply = connection.getresponse()
                data = reply.read()
                break
            except (http.client.HTTPException, OSError):
                local.connection = None
                if attempt == 1:
                    raise
        self.send_response(reply.status)
        for name, value in reply.getheaders():
            if name.lower() not in ("connection", "keep-alive", "transfer-encoding", "content-length"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        elapsed = (time.monotonic() - started) * 1000
        with lock:
            stats["requests"] += 1
            stats["max_ms"] = max(stats["max_ms"], elapsed)
            if elapsed > 2000:
                stats["over_2s"] += 1

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = forward


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--upstream", required=True, help="e.g. http://127.0.0.1:2283")
    parser.add_argument("--idle", type=float, default=5.0, help="close a client connection idle this long (s)")
    options = parser.parse_args()
    loopback_server.serve(Proxy, options.idle, upstream=options.upstream)


if __name__ == "__main__":
    sys.exit(main())
