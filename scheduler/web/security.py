"""The web app's security contract: Host allowlist, same-origin writes, sessions from one-time logins or a password.

Everything here runs before routing (an ASGI middleware), so no route can forget it.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import os
import secrets
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

SESSION_COOKIE = "sk_session"
SESSION_HOURS = 12
LOGIN_MINUTES = 15               # a one-time login URL not opened within this is spent
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Reachable without a session: the login itself, assets, the Trello return page (it only carries a token to
# a POST that needs the session), webhooks (signed) and the client's own read-only page (its token).
PUBLIC_PREFIXES = ("/login", "/static/", "/connect/trello/return", "/hooks/", "/c/")
# Webhooks come from the services' servers: their signature is their authentication, not an Origin.
CROSS_SITE_PREFIXES = ("/hooks/",)

Scope = MutableMapping[str, Any]  # an ASGI scope, as starlette types it
ASGIApp = Callable[[Scope, Callable, Callable], Awaitable[None]]


def is_loopback(bind: str) -> bool:
    """127.0.0.0/8, ::1 and localhost: reachable only from this machine."""
    if bind == "localhost":
        return True
    try:
        return ipaddress.ip_address(bind.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(bind: str, port: int, extra: Iterable[str] = ()) -> frozenset[str]:
    """The Host header values the app answers (anything else may be a DNS-rebinding page): host:port."""
    names = {"127.0.0.1", "localhost", "[::1]"} if is_loopback(bind) or bind in ("0.0.0.0", "::") else set()
    if not is_loopback(bind) and bind not in ("0.0.0.0", "::"):
        names.add(f"[{bind}]" if ":" in bind else bind)
    hosts = {f"{name}:{port}" for name in names}
    return frozenset(hosts | {h.lower() for h in extra})


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """scrypt$<salt hex>$<digest hex>: what `[scopekeeper.web] password_hash` holds."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"scrypt${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str | None) -> bool:
    if not stored or stored.count("$") != 2:
        return False
    _, salt, _ = stored.split("$")
    try:
        return hmac.compare_digest(hash_password(password, salt=bytes.fromhex(salt)), stored)
    except ValueError:
        return False


class LoginTokens:
    """One-time login tokens, shared through a small file so that `scopekeeper open` can make one for a running
    app. Only their SHA-256 is written; each is spent on first use or after LOGIN_MINUTES."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def new(self) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            known = self._read()
            known[_digest(token)] = time.time() + LOGIN_MINUTES * 60
            self._write(known)
        return token

    def spend(self, token: str) -> bool:
        with self._lock:
            known = self._read()
            expires = known.pop(_digest(token), None)
            self._write(known)
        return expires is not None and expires > time.time()

    def _read(self) -> dict[str, float]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        now = time.time()
        return {k: float(v) for k, v in data.items() if isinstance(v, (int, float)) and v > now} \
            if isinstance(data, dict) else {}

    def _write(self, known: dict[str, float]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(known, handle)
        os.replace(temporary, self.path)


@dataclass
class Sessions:
    """Session ids of this app process (a restart logs out: open a fresh login URL)."""

    hours: float = SESSION_HOURS
    _expiry: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> str:
        session = secrets.token_urlsafe(32)
        with self._lock:
            self._expiry[_digest(session)] = time.time() + self.hours * 3600
        return session

    def valid(self, session: str | None) -> bool:
        if not session:
            return False
        with self._lock:
            expires = self._expiry.get(_digest(session))
        return expires is not None and expires > time.time()

    def end(self, session: str | None) -> None:
        if session:
            with self._lock:
                self._expiry.pop(_digest(session), None)


def session_cookie(session: str, *, secure: bool = False) -> str:
    """Set-Cookie value: HttpOnly (no script reads it), SameSite=Strict (no other site sends it)."""
    return (f"{SESSION_COOKIE}={session}; Path=/; HttpOnly; SameSite=Strict; Max-Age={SESSION_HOURS * 3600}"
            + ("; Secure" if secure else ""))


def cookie_of(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"cookie":
            jar = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:
                return None
            if SESSION_COOKIE in jar:
                return jar[SESSION_COOKIE].value
    return None


# same-origin, not no-referrer: with no-referrer Chromium sends `Origin: null` on form posts, which the guard refuses.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"), (b"x-frame-options", b"DENY"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                    (b"cross-origin-resource-policy", b"same-origin")]


class Guard:
    """ASGI middleware: the Host allowlist (403), the same-origin check of unsafe methods (403) and the session
    check (a login page for pages, 401 for htmx), all before routing; the security headers on every answer."""

    def __init__(self, app: ASGIApp, *, hosts: Callable[[], frozenset[str]], sessions: Sessions) -> None:
        self.app, self.hosts, self.sessions = app, hosts, sessions

    async def __call__(self, scope: Scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]}
        path, method = scope["path"], scope["method"]
        hosts = self.hosts()
        host = headers.get("host", "").lower()
        if host not in hosts:
            return await _plain(send, 403, "This address is not ScopeKeeper's. Open the link ScopeKeeper printed "
                                           "(scopekeeper open prints a fresh one).")
        if method in UNSAFE and not path.startswith(CROSS_SITE_PREFIXES) and not _same_origin(headers, hosts):
            return await _plain(send, 403, "Refused: this request came from another website.")
        if not path.startswith(PUBLIC_PREFIXES) and not self.sessions.valid(cookie_of(scope)):
            if method == "GET" and "hx-request" not in headers:
                return await _redirect(send, "/login")
            return await _plain(send, 401, "Your session has ended: open a fresh login link (scopekeeper open).")

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                # A page may bring a stricter policy of its own (a report: no script at all, its inline styles).
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in SECURITY_HEADERS if name not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)


def _same_origin(headers: dict[str, str], hosts: frozenset[str]) -> bool:
    """Browsers send Sec-Fetch-Site and Origin with every POST: both must say this very app, when present; a
    request carrying neither cannot show where it came from and is refused."""
    fetch_site = headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site != "same-origin":
        return False
    origin = headers.get("origin")
    if origin is not None:
        scheme, _, rest = origin.partition("://")
        return scheme in ("http", "https") and rest.lower() in hosts
    return fetch_site is not None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def _plain(send, status: int, text: str) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"), *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": text.encode()})


async def _redirect(send, location: str) -> None:
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", location.encode()), *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": b""})
