"""Start-up shared by the independent test servers (http-stress-server.py, keepalive-proxy.py):
a threaded HTTP/1.1 server on 127.0.0.1, an ephemeral port announced as "PORT <n>" on stdout,
idle keep-alive connections closed after `idle` seconds."""
import http.server


def serve(handler, idle, **attributes):
    handler.timeout = idle
    # A listen backlog like Node's (511), not socketserver's 5: a burst of new connections
    # would otherwise wait for SYN retransmits (1 s), which is the server's fault, not the client's.
    http.server.ThreadingHTTPServer.request_queue_size = 511
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    for name, value in attributes.items():
        setattr(server, name, value)
    print("PORT", server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
