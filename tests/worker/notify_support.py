"""Notification test helpers: a loopback HTTP server that keeps what apprise's json:// and form:// URLs post."""
from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Received:
    """What the server was sent: per request its path, headers and JSON body; `status` is what it answers."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.status = 200

    @property
    def bodies(self) -> list[dict]:
        return [r["json"] for r in self.requests]


@contextmanager
def hook_server() -> Iterator[tuple[Received, int]]:
    """An HTTP server on 127.0.0.1 answering every POST with `received.status`."""
    received = Received()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                parsed = json.loads(body)
            except ValueError:
                parsed = None
            received.requests.append({"path": self.path, "headers": dict(self.headers), "json": parsed})
            self.send_response(received.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield received, server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
