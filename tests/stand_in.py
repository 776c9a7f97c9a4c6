"""A local HTTP server standing in for an outside provider (a group robot, an SMS gateway): it records
each POST and answers what the test's ``reply`` says, so a test checks the request the provider would
get, byte for byte, without the network."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Received:
    path: str
    content_type: str
    body: bytes


class StandIn:
    """``reply(request)`` gives the HTTP status and the JSON to answer with."""

    def __init__(self, reply: Callable[[Received], tuple[int, dict[str, object]]]) -> None:
        self.received: list[Received] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                request = Received(
                    path=self.path,
                    content_type=self.headers["Content-Type"],
                    body=self.rfile.read(int(self.headers["Content-Length"])),
                )
                stand_in.received.append(request)
                status, answer = reply(request)
                body = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def shutdown(self) -> None:
        self.server.shutdown()
        self.server.server_close()
