"""Calls to Renshi's own simulated gateway, dispatched in this thread.

The SDKs build and sign each request and verify each response exactly as against the real
provider; only the socket is skipped. That matters because order_open() asks the gateway to close
the old order while it holds the payer's row locks: over loopback HTTP the simulator's request
would need the database lock the caller holds (SQLite has one writer) and would wait forever.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve


@dataclass
class Response:
    status: int
    headers: dict
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode()


class InProcessTransport:
    def request(self, method: str, url: str, *, headers=None, body: bytes | str = b"") -> Response:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = dict(headers or {})
        content_type = headers.pop("Content-Type", "application/octet-stream")
        factory = RequestFactory(SERVER_NAME="127.0.0.1")
        request = factory.generic(
            method, path, data=body, content_type=content_type, headers=headers
        )
        match = resolve(parts.path)
        response: HttpResponse = match.func(request, *match.args, **match.kwargs)
        return Response(response.status_code, response.headers, response.content)

    def get(self, url: str) -> Response:
        return self.request("GET", url)

    def post(self, url: str, *, headers=None, body=b"") -> Response:
        return self.request("POST", url, headers=headers, body=body)
