"""A real HTTP endpoint on 127.0.0.1 that counts webhook deliveries per event id."""

from __future__ import annotations

import collections
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class EventReceiver:
    """Answers 200 to every POST and counts them by their X-OMS-Event-Id header."""

    def __init__(self) -> None:
        self.counts: collections.Counter[str] = collections.Counter()
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    receiver.counts[self.headers.get("X-OMS-Event-Id", "")] += 1
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/oms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> EventReceiver:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def received(self) -> dict[str, int]:
        with self._lock:
            return dict(self.counts)

    def wait_for_events(self, event_ids: set[str], timeout: float) -> dict[str, int]:
        """Wait until every one of `event_ids` arrived at least once (or the time is up)."""
        deadline = time.monotonic() + timeout
        while not event_ids <= set(self.received()) and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.received()
