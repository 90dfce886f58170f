"""Serve a fake API's request handler over HTTP on a loopback port, in a background thread."""
from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self
from urllib.parse import parse_qsl, urlsplit

# handler(method, path, query, body_bytes, headers) -> (status, headers, body_bytes)
Handler = Callable[[str, str, Mapping[str, str], bytes, Mapping[str, str]], tuple[int, Mapping[str, str], bytes]]


class LoopbackServer:
    """A context manager: `with LoopbackServer(handler) as srv: srv.url` -> 'http://127.0.0.1:PORT'."""

    def __init__(self, handler: Handler, host: str = "127.0.0.1", port: int = 0) -> None:
        self._handler = handler
        self._server = ThreadingHTTPServer((host, port), self._request_class())
        self._server.daemon_threads = True
        # A short poll interval makes stop() quick; tests start and stop many servers.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="sandbox-http", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _request_class(self):
        handler = self._handler

        class _Request(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body leave in two writes; on a keep-alive connection Nagle would hold the
            # body for the client's delayed ACK, ~40 ms per answer. TCP_NODELAY sends each at once.
            disable_nagle_algorithm = True

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status, headers, payload = handler(self.command, parts.path, dict(parse_qsl(parts.query)),
                                                   body, dict(self.headers.items()))
                if status == 0:  # the fake asks to drop the connection without answering
                    self.close_connection = True
                    return
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                # A fake may announce more than it sends (an answer cut short): then the connection closes.
                declared = next((int(v) for k, v in headers.items() if k.lower() == "content-length"), None)
                if declared is None:
                    self.send_header("Content-Length", str(len(payload)))
                elif declared != len(payload):
                    self.close_connection = True
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

            def log_message(self, format: str, *args: object) -> None:  # keep test output clean
                pass

        return _Request
