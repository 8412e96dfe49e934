#!/usr/bin/env python3
"""An independent HTTP/1.1 server for transport stress tests (Python's http.server, not ours).

Keeps connections alive but closes idle ones after --idle seconds (as Node's 5 s keep-alive
timeout does, shortened), and drops --drop of requests mid-request: it reads the headers and
half the body, then closes the socket without answering. Every request body is checked byte for
byte against the SHA-256 the client sends in X-Body-SHA256; GET /bytes?n=N answers N bytes of a
known pattern. GET /stats gives the counts as JSON. Prints "PORT <n>" on stdout once listening.
"""
import argparse
import hashlib
import http.server
import json
import loopback_server
import random
import socket
import sys
import threading

stats = {"requests": 0, "bodies_ok": 0, "bodies_bad": 0, "dropped": 0, "connections": 0}
lock = threading.Lock()


def count(key):
    with lock:
        stats[key] += 1


def pattern(n):
    block = bytes(range(256))
    return (block * (n // 256 + 1))[:n]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        count("connections")

    def log_message(self, *args):
        pass

    def answer(self, status, body, content_type="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def drop(self, length):
        # Half the body, then a hard close (RST): the client sees the connection die mid-request.
        if length:
            self.rfile.read(length // 2)
        count("dropped")
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        self.connection.close()
        self.close_connection = True

    def do_GET(self):
        count("requests")
        if self.path == "/stats":
            with lock:
                return self.answer(200, json.dumps(stats).encode())
        if random.random() < self.server.drop:
            return self.drop(0)
        n = 0
        if self.path.startswith("/bytes?n="):
            n = int(self.path.split("=", 1)[1])
        self.answer(200, pattern(n), "application/octet-stream")

    def do_body(self):
        count("requests")
        length = int(self.headers.get("Content-Length", "0"))
        if random.random() < self.server.drop:
            return self.drop(length)
        body = self.rfile.read(length)
        digest = hashlib.sha256(body).hexdigest()
        if digest == self.headers.get("X-Body-SHA256") and len(body) == length:
            count("bodies_ok")
            self.answer(200, json.dumps({"sha256": digest, "length": length, "method": self.command}).encode())
        else:
            count("bodies_bad")
            self.answer(400, json.dumps({"error": "body mismatch", "length": len(body)}).encode())

    do_POST = do_body
    do_PUT = do_body


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--idle", type=float, default=0.3, help="close a connection idle this long (s)")
    parser.add_argument("--drop", type=float, default=0.01, help="fraction of requests dropped mid-request")
    parser.add_argument("--seed", type=int, default=None)
    options = parser.parse_args()
    random.seed(options.seed)
    loopback_server.serve(Handler, options.idle, drop=options.drop)


if __name__ == "__main__":
    sys.exit(main())
