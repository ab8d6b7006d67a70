"""A threaded HTTP server on 127.0.0.1 (random port) serving bytes the test registers.

Nothing in the tests downloads from anywhere else.  ``hits`` counts requests
per path, ``content_length`` lets a route announce more bytes than it sends
(a truncated transfer).
"""
import collections
import hashlib
import http.server
import io
import socket
import threading

import torch


class LocalServer:
    """Serve registered bodies at ``http://127.0.0.1:<port>/<path>``; use as a context manager."""

    def __init__(self):
        self.routes = {}
        self.hits = collections.Counter()
        routes, hits = self.routes, self.hits

        class Handler(http.server.BaseHTTPRequestHandler):

            def do_GET(self):  # noqa: N802 (http.server's name)
                hits[self.path] += 1
                if self.path not in routes:
                    self.send_error(404, 'not here')
                    return
                body, length = routes[self.path]
                self.send_response(200)
                self.send_header('Content-Type', 'application/octet-stream')
                self.send_header('Content-Length', str(length))
                self.end_headers()
                self.wfile.write(body)
                self.close_connection = True

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       kwargs=dict(poll_interval=0.05), daemon=True)

    def add(self, path: str, body: bytes, content_length=None) -> str:
        """Serve ``body`` at ``/path``; returns its URL."""
        path = '/' + path.lstrip('/')
        self.routes[path] = (body, len(body) if content_length is None else content_length)
        return self.url(path)

    def url(self, path: str) -> str:
        return f'http://127.0.0.1:{self.port}/{path.lstrip("/")}'

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (connection refused)."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def checkpoint_bytes(checkpoint: dict) -> bytes:
    buf = io.BytesIO()
    torch.save(checkpoint, buf)
    return buf.getvalue()


def hashed_name(stem: str, body: bytes, ext: str = 'pth') -> str:
    """OpenMMLab file name: ``<stem>-<first 8 hex of sha256>.<ext>``."""
    return f'{stem}-{hashlib.sha256(body).hexdigest()[:8]}.{ext}'
