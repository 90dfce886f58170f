"""A stateful fake of the Asana REST API (the routes ScopeKeeper uses), with injectable faults.

Shapes follow the public OpenAPI description (../shared/specs/asana-openapi.yaml): `{"data": ...}`
answers, `next_page: {offset, path, uri}` when a `limit` is given, `{"errors": [{"message"}]}`
failures, opt_fields with dotted sub-fields. Serve it with `with sandbox.serve() as srv:` and point the
SDK (or AsanaAdapter) at `srv.host`.
"""
from __future__ import annotations

import base64
import copy
import json
import random
import re
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

from integrations.sandbox.deliver import Deliverer
from integrations.sandbox.server import LoopbackServer
from integrations.webhooks import asana_signature

API_PREFIX = "/api/1.0"
SANDBOX_TOKEN = "sandbox-asana-token"
EXPIRED_OFFSET = "offset: Your pagination token has expired."
SYNC_EXPIRED = (
    "Sync token invalid or too old. If you are attempting to keep resources in sync, you must fetch the full "
    "dataset for this query now and use the new sync token for the next sync.")

Response = tuple[int, dict[str, str], bytes]

# (method, path template as in the OpenAPI description, handler method)
ROUTES = (
    ("GET", "/users/{user_gid}", "_get_user"),
    ("GET", "/workspaces", "_get_workspaces"),
    ("GET", "/workspaces/{workspace_gid}/projects", "_get_workspace_projects"),
    ("GET", "/projects/{project_gid}", "_get_project"),
    ("GET", "/projects/{project_gid}/tasks", "_get_project_tasks"),
    ("GET", "/tasks", "_get_tasks"),
    ("GET", "/tasks/{task_gid}", "_get_task"),
    ("GET", "/tasks/{task_gid}/stories", "_get_stories"),
    ("POST", "/tasks/{task_gid}/stories", "_post_story"),
    ("POST", "/webhooks", "_post_webhook"),
    ("GET", "/webhooks/{webhook_gid}", "_get_webhook"),
    ("DELETE", "/webhooks/{webhook_gid}", "_delete_webhook"),
    ("GET", "/tasks/{task_gid}/time_tracking_entries", "_get_time_entries"),
    ("GET", "/events", "_get_events"),
)
_COMPILED = [(m, re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", t) + "$"), t, h) for m, t, h in ROUTES]

# What Asana returns for a resource when no opt_fields are asked for (its compact form).
_COMPACT = {
    "task": ("name", "resource_type", "resource_subtype"),
    "story": ("created_at", "created_by", "resource_type", "text", "type", "resource_subtype"),
    "time_tracking_entry": ("resource_type", "duration_minutes", "entered_on", "attributable_to", "created_by"),
}
_COMPACT_DEFAULT = ("name", "resource_type")

_TITLES = (
    "Newsletter for {month}", "Schedule Instagram posts", "Send the monthly invoices", "Clean up the inbox",
    "Content strategy for Q1", "Publicaciones de Instagram", "Boletín de novedades", "Przygotuj faktury",
    "Planning des réseaux sociaux", "Can you do it cheaper this month?", "Urgent: reply to the suppliers",
    "Book flights for the retreat", "Update the website banner", "Transcribe the podcast episode",
)


# Unreadable answers with status 200, as proxies and cut connections produce them.
GARBLES = ("cut", "cut_connection", "garbage", "html", "deep")
_HTML_PAGE = (b"<!DOCTYPE html><html><head><title>Just a moment...</title></head>"
              b"<body><h1>Checking your browser</h1></body></html>")


def garbled(garble: str, body: bytes) -> Response:
    """A 200 answer spoiling `body`: cut in half (announced as such, or announced whole and closed early),
    replaced by bytes that are not UTF-8, by an HTML page, or by JSON nested too deeply for any parser."""
    half = body[:max(1, len(body) // 2)]
    if garble == "cut":
        return 200, {"Content-Type": "application/json"}, half
    if garble == "cut_connection":
        return 200, {"Content-Type": "application/json", "Content-Length": str(len(body))}, half
    if garble == "garbage":
        return 200, {"Content-Type": "application/json"}, b"\x8b\x08\x00\xff\xfe garbage \x00\x9c"
    if garble == "deep":
        return 200, {"Content-Type": "application/json"}, b"[" * 100_000 + b"]" * 100_000
    return 200, {"Content-Type": "text/html; charset=utf-8"}, _HTML_PAGE


class _ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class _Fault:
    kind: str  # "status" | "drop" | "stall" | "expire_offset" | "garble"
    times: int
    route: str | None  # "METHOD /template", or None for any route
    status: int = 0
    retry_after: float | None = None
    seconds: float = 0.0
    after_processing: bool = False
    garble: str = ""  # one of GARBLES

    def matches(self, route: str, query: Mapping[str, str]) -> bool:
        return self.times > 0 and self.route in (None, route) and (self.kind != "expire_offset" or "offset" in query)


class AsanaServer(LoopbackServer):
    """The LoopbackServer serving a sandbox; `host` is what Configuration.host / AsanaAdapter(host=) take."""

    @property
    def host(self) -> str:
        return self.url + API_PREFIX


class AsanaSandbox:
    """Users, workspaces, projects, tasks and stories in memory; thread-safe; counts requests per route."""

    def __init__(self, *, token: str = SANDBOX_TOKEN, clock: Callable[[], datetime] | None = None) -> None:
        self.tokens = {token}
        self.clock = clock or (lambda: datetime.now(UTC))
        self.latency = 0.0  # seconds added to every answer, to observe concurrency
        self.requests: Counter[tuple[str, str]] = Counter()
        self.log: list[tuple[str, str, dict[str, str]]] = []
        self.peak_in_flight: Counter[str] = Counter()
        self._in_flight: Counter[str] = Counter()
        self._lock = threading.RLock()
        self._faults: list[_Fault] = []
        self._offsets: dict[str, tuple[tuple, int]] = {}
        self._next_gid = 1300000000000000
        self.users: dict[str, dict] = {}
        self.workspaces: dict[str, dict] = {}
        self.projects: dict[str, dict] = {}
        self.tasks: dict[str, dict] = {}
        self.project_tasks: dict[str, list[str]] = {}
        self.stories: dict[str, list[dict]] = {}
        self.time_entries: dict[str, dict] = {}
        self._sections: dict[tuple[str, str], dict] = {}
        self.me = self._resource("user", gid="1100000000000001", name="Sandbox VA", email="va@example.com")
        self.users[self.me["gid"]] = self.me
        self.workspace = self.add_workspace("Sandbox workspace")
        self.client_user = self._resource("user", name="Client", email="client@example.com")
        self.webhooks: dict[str, dict] = {}   # gid -> {gid, resource, target, active, secret, failures...}
        self.events: dict[str, list[dict]] = {}   # project gid -> every event on it, oldest first (GET /events)
        self._sync_tokens: dict[str, tuple[str, int]] = {}  # sync token -> (project gid, events seen)
        self.deliver = Deliverer()            # deliver.times = 3: every event delivered three times

    # ---- seeding and changing the data -------------------------------------------------------

    def serve(self) -> AsanaServer:
        """A server for this sandbox, not started: `with sandbox.serve() as srv:` (or `.start()`)."""
        return AsanaServer(self.handle)

    def add_workspace(self, name: str) -> str:
        with self._lock:
            workspace = self._resource("workspace", name=name, is_organization=False)
            self.workspaces[workspace["gid"]] = workspace
            return workspace["gid"]

    def add_project(self, name: str, *, workspace: str | None = None, gid: str | None = None) -> str:
        with self._lock:
            project = self._resource("project", gid=gid, name=name, archived=False,
                                     workspace=_compact(self.workspaces[workspace or self.workspace]))
            self.projects[project["gid"]] = project
            self.project_tasks.setdefault(project["gid"], [])
            return project["gid"]

    def load_export(self, document: Mapping[str, Any]) -> str:
        """Seed the tasks of an Asana project export (`{"data": [tasks]}`); returns the project gid."""
        first = ""
        with self._lock:
            for raw in document["data"]:
                task = copy.deepcopy(dict(raw))
                for membership in task.get("memberships") or []:
                    project = membership["project"]
                    if project["gid"] not in self.projects:
                        self.add_project(project.get("name") or "Imported project", gid=project["gid"])
                    first = first or project["gid"]
                self._store_task(task)
        return first

    def add_task(self, project_gid: str, name: str, *, created_at: datetime | None = None,
                 section: str = "To do", **fields: Any) -> dict:
        """Create a task in a project, with any task fields (notes, due_on, tags, custom_fields...)."""
        with self._lock:
            created = _stamp(created_at or self.clock())
            project = self.projects[project_gid]
            task = self._resource(
                "task", name=name, resource_subtype="default_task", notes="", completed=False, created_at=created,
                modified_at=created, due_on=None, due_at=None, actual_time_minutes=None, tags=[], custom_fields=[],
                created_by=_compact(self.me),
                memberships=[{"project": _compact(project), "section": self._section(project_gid, section)}])
            task.update(fields)
            task["permalink_url"] = f"https://app.asana.com/0/{project_gid}/{task['gid']}"
            stored = self._store_task(task)
            self._announce(task["gid"], "added", self.client_user)
            return stored

    def generate_project(self, n: int, *, name: str = "Synthetic project", seed: int = 0) -> str:
        """A project of n varied, realistic tasks (sections, due dates, hours, tags), reproducible by seed."""
        rng = random.Random(seed)
        gid = self.add_project(name)
        hours_field = self._gid()
        # Created every 7 minutes up to an hour before the sandbox's now: all in the past, none modified since.
        start = self.clock() - timedelta(hours=1, minutes=7 * n)
        for i in range(n):
            created = start + timedelta(minutes=7 * i)
            hours = rng.choice([None, None, 0.5, 1, 2, 3.5])
            self.add_task(
                gid, rng.choice(_TITLES).format(month="December") + f" #{i + 1}", created_at=created,
                section=rng.choice(["To do", "Doing", "Done"]),
                notes=rng.choice(["", "", "Details in the shared doc.", "Por favor, antes del viernes."]),
                due_on=rng.choice([None, (created + timedelta(days=rng.randint(1, 14))).date().isoformat()]),
                actual_time_minutes=rng.choice([None, None, 30, 60, 90]),
                tags=[{"gid": "1400000000000001", "resource_type": "tag", "name": "Newsletter"}] if i % 7 == 0 else [],
                custom_fields=[{"gid": hours_field, "resource_type": "custom_field", "name": "Hours", "type": "number",
                                "resource_subtype": "number", "number_value": hours,
                                "display_value": None if hours is None else f"{hours:g}"}])
        return gid

    def update_task(self, task_gid: str, *, modified_at: datetime | None = None, **fields: Any) -> dict:
        """Change task fields (values as the API shows them: due_on "2026-12-01") and bump modified_at."""
        with self._lock:
            task = self.tasks[task_gid]
            if fields.get("due_at"):
                fields.setdefault("due_on", fields["due_at"][:10])
            elif "due_on" in fields:
                fields["due_at"] = None
            due = (fields.get("due_at", task.get("due_at")), fields.get("due_on", task.get("due_on")))
            if due != (task.get("due_at"), task.get("due_on")):
                self._system_story(task_gid, "due_date_changed", f"changed the due date to {due[0] or due[1]}")
            if fields.get("name", task["name"]) != task["name"]:
                self._system_story(task_gid, "name_changed", f"changed the name to \"{fields['name']}\"")
            task.update(fields)
            task["modified_at"] = _stamp(modified_at or self.clock())
            self._announce(task_gid, "changed", self.client_user)
            return task

    def add_comment(self, task_gid: str, text: str, *, by_client: bool = True) -> dict:
        """A comment story, as the token's user posting it (the webhook event names the client, unless not)."""
        with self._lock:
            story = self._resource("story", resource_subtype="comment_added", type="comment", text=text,
                                   created_at=_stamp(self.clock()), created_by=_compact(self.me))
            self.stories[task_gid].append(story)
            self.tasks[task_gid]["modified_at"] = story["created_at"]  # adding a story modifies the task
            self._announce(task_gid, "added", self.client_user if by_client else self.me, story)
            return story

    def heartbeat(self) -> None:
        """Asana's periodic empty delivery to every webhook."""
        with self._lock:
            for hook in self.webhooks.values():
                self._send_events(hook, [])

    def _announce(self, task_gid: str, action: str, user: dict, story: dict | None = None) -> None:
        """Each webhook of a project holding the task gets the event (a story's, for a comment)."""
        task = self.tasks[task_gid]
        projects = {m["project"]["gid"] for m in task.get("memberships") or [] if m.get("project")}
        resource = _compact(story) if story else _compact(task)
        event = {"user": _compact(user), "created_at": _stamp(self.clock()), "action": action,
                 "resource": {**resource, "resource_type": "story" if story else "task"},
                 "parent": {"gid": task_gid, "resource_type": "task"} if story else None}
        for project in projects:
            self.events.setdefault(project, []).append(event)
        for hook in self.webhooks.values():
            if hook["resource"]["gid"] in projects and hook["active"]:
                self._send_events(hook, [event])

    def _send_events(self, hook: dict, events: list[dict]) -> None:
        body = json.dumps({"events": events}).encode()
        self.deliver.post(hook["target"], body, {"Content-Type": "application/json",
                                                 "X-Hook-Signature": asana_signature(hook["secret"], body)})

    def add_time_entry(self, task_gid: str, minutes: int, entered_on: str, *, by: str = "Sandbox VA",
                       created_at: datetime | None = None) -> dict:
        """A time tracking entry on a task ("2026-11-30" as entered_on), attributed to the task's project, as
        Asana stores it; the task's actual_time_minutes grows by it and the task is modified."""
        with self._lock:
            task = self.tasks[task_gid]
            project = task["memberships"][0]["project"]
            user = next((u for u in self.users.values() if u.get("name") == by), None) or self._user(by)
            entry = self._resource(
                "time_tracking_entry", duration_minutes=minutes, entered_on=entered_on,
                attributable_to=project, created_by=_compact(user), task=_compact(task),
                created_at=_stamp(created_at or self.clock()), approval_status="DRAFT", billable_status="billable",
                categories=[])
            self.time_entries[entry["gid"]] = entry
            task["actual_time_minutes"] = (task.get("actual_time_minutes") or 0) + minutes
            task["modified_at"] = entry["created_at"]
            self._announce(task_gid, "changed", user)  # the task's actual_time_minutes changed
            return entry

    def _user(self, name: str) -> dict:
        user = self._resource("user", name=name, email=f"{name.split()[0].lower()}@example.com")
        self.users[user["gid"]] = user
        return user

    def comments(self, task_gid: str) -> list[dict]:
        """The comment stories of a task (system stories left out)."""
        with self._lock:
            return [s for s in self.stories[task_gid] if s["resource_subtype"] == "comment_added"]

    # ---- faults ---------------------------------------------------------------------------------

    def fail_next(self, status: int, *, times: int = 1, route: str | None = None,
                  retry_after: float | None = None) -> None:
        """Answer the next `times` requests (of `route`, e.g. "GET /tasks") with an error status."""
        self._add_fault(_Fault("status", times, route, status=status, retry_after=retry_after))

    def drop_next(self, *, times: int = 1, route: str | None = None, after_processing: bool = False) -> None:
        """Close the connection without answering; after_processing: do the work first (answer lost)."""
        self._add_fault(_Fault("drop", times, route, after_processing=after_processing))

    def stall_next(self, seconds: float, *, times: int = 1, route: str | None = None,
                   after_processing: bool = False) -> None:
        """Hold the request `seconds` then drop it: a client timeout; after_processing as for drop_next."""
        self._add_fault(_Fault("stall", times, route, seconds=seconds, after_processing=after_processing))

    def garble_next(self, garble: str, *, times: int = 1, route: str | None = None) -> None:
        """Do the work, then answer 200 with an unreadable body (one of GARBLES): a proxy or a cut answer."""
        if garble not in GARBLES:
            raise ValueError(f"garble {garble!r}: use one of {', '.join(GARBLES)}")
        self._add_fault(_Fault("garble", times, route, garble=garble, after_processing=True))

    def expire_next_offsets(self, times: int = 1) -> None:
        """The next `times` requests carrying a pagination offset are told it expired (400)."""
        self._add_fault(_Fault("expire_offset", times, None))

    def expire_sync_tokens(self) -> None:
        """Every Events API sync token given so far is too old (Asana answers 412 with a fresh one)."""
        with self._lock:
            self._sync_tokens.clear()

    def total_requests(self) -> int:
        """Requests received on every route, faulty ones included."""
        with self._lock:
            return sum(self.requests.values())

    def reset_counts(self) -> None:
        """Start counting afresh (the data stays)."""
        with self._lock:
            self.requests.clear()
            self.log.clear()
            self.peak_in_flight.clear()

    # ---- HTTP -----------------------------------------------------------------------------------

    def handle(self, method: str, path: str, query: Mapping[str, str], body: bytes,
               headers: Mapping[str, str]) -> Response:
        """The LoopbackServer handler: route, count, inject faults, answer."""
        method, query = method.upper(), dict(query)
        name, handler, params = self._route(method, path)
        with self._lock:
            self.requests[(method, name)] += 1
            self.log.append((method, name, query))
            self._in_flight[method] += 1
            self.peak_in_flight[method] = max(self.peak_in_flight[method], self._in_flight[method])
            fault = self._take_fault(f"{method} {name}", query)
        try:
            if self.latency:
                time.sleep(self.latency)
            if fault and not fault.after_processing:
                return self._faulty(fault)
            answer = self._answer(handler, params, query, body, headers)
            return self._faulty(fault, answer) if fault else answer
        finally:
            with self._lock:
                self._in_flight[method] -= 1

    def _route(self, method: str, path: str) -> tuple[str, str | None, dict[str, str]]:
        if path.startswith(API_PREFIX):
            for route_method, pattern, template, handler in _COMPILED:
                match = pattern.match(path[len(API_PREFIX):])
                if match and route_method == method:
                    return template, handler, match.groupdict()
        return path, None, {}

    def _answer(self, handler: str | None, params: dict, query: dict, body: bytes,
                headers: Mapping[str, str]) -> Response:
        auth = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
        try:
            if not auth.startswith("Bearer ") or auth[len("Bearer "):] not in self.tokens:
                raise _ApiError(401, "Not Authorized")
            if handler is None:
                raise _ApiError(404, "No matching route for request")
            with self._lock:
                status, payload = getattr(self, handler)(query=query, body=body, host=_host(headers), **params)
        except _ApiError as err:
            return _json(err.status, {"errors": [{"message": err.message, "help": _HELP}]})
        return _json(status, payload)

    def _faulty(self, fault: _Fault, answer: Response | None = None) -> Response:
        if fault.kind == "garble":
            return garbled(fault.garble, answer[2] if answer else b"{}")
        if fault.kind == "status":
            extra = {"Retry-After": f"{fault.retry_after:g}"} if fault.retry_after is not None else {}
            message = ("You have made too many requests recently." if fault.status == 429
                       else HTTPStatus(fault.status).phrase)
            status, headers, body = _json(fault.status, {"errors": [{"message": message, "phrase": "sandbox fault"}]})
            return status, {**headers, **extra}, body
        if fault.kind == "expire_offset":
            return _json(400, {"errors": [{"message": EXPIRED_OFFSET, "help": _HELP}]})
        if fault.kind == "stall":
            time.sleep(fault.seconds)
        return 0, {}, b""

    def _add_fault(self, fault: _Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def _take_fault(self, route: str, query: Mapping[str, str]) -> _Fault | None:
        for fault in self._faults:
            if fault.matches(route, query):
                fault.times -= 1
                return fault
        return None

    # ---- routes (called with the lock held) -----------------------------------------------------

    def _get_user(self, user_gid: str, query: dict, **_: Any) -> tuple[int, dict]:
        user = self.me if user_gid == "me" else self._find(self.users, user_gid, "user")
        user = {**user, "workspaces": [_compact(w) for w in self.workspaces.values()]}
        return 200, {"data": _select(user, query)}

    def _get_workspaces(self, query: dict, host: str, **_: Any) -> tuple[int, dict]:
        return 200, self._page("/workspaces", list(self.workspaces.values()), query, host)

    def _get_workspace_projects(self, workspace_gid: str, query: dict, host: str, **_: Any) -> tuple[int, dict]:
        self._find(self.workspaces, workspace_gid, "workspace")
        archived = query.get("archived")
        projects = [p for p in self.projects.values() if p["workspace"]["gid"] == workspace_gid
                    and (archived is None or str(p["archived"]).lower() == archived)]
        return 200, self._page(f"/workspaces/{workspace_gid}/projects", projects, query, host)

    def _get_project(self, project_gid: str, query: dict, **_: Any) -> tuple[int, dict]:
        return 200, {"data": _select(self._find(self.projects, project_gid, "project"), query)}

    def _get_project_tasks(self, project_gid: str, query: dict, host: str, **_: Any) -> tuple[int, dict]:
        self._find(self.projects, project_gid, "project")
        tasks = [self.tasks[gid] for gid in self.project_tasks[project_gid]]
        return 200, self._page(f"/projects/{project_gid}/tasks", tasks, query, host)

    def _get_tasks(self, query: dict, host: str, **_: Any) -> tuple[int, dict]:
        project_gid = query.get("project")
        if not project_gid:
            raise _ApiError(400, "project: Must specify exactly one of project, tag, section, user task list, "
                                 "or assignee + workspace")
        self._find(self.projects, project_gid, "project")
        tasks = [self.tasks[gid] for gid in self.project_tasks[project_gid]]
        if "modified_since" in query:
            since = _parse_time(query["modified_since"], "modified_since")
            tasks = [t for t in tasks if _parse_time(t["modified_at"], "modified_at") >= since]
        return 200, self._page("/tasks", tasks, query, host)

    def _get_task(self, task_gid: str, query: dict, **_: Any) -> tuple[int, dict]:
        return 200, {"data": _select(self._find(self.tasks, task_gid, "task"), query)}

    def _get_stories(self, task_gid: str, query: dict, host: str, **_: Any) -> tuple[int, dict]:
        self._find(self.tasks, task_gid, "task")
        return 200, self._page(f"/tasks/{task_gid}/stories", self.stories[task_gid], query, host)

    def _post_story(self, task_gid: str, query: dict, body: bytes, **_: Any) -> tuple[int, dict]:
        self._find(self.tasks, task_gid, "task")
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            raise _ApiError(400, "Could not parse request data, invalid JSON") from None
        fields = data.get("data") if isinstance(data, dict) else None
        text = fields.get("text") if isinstance(fields, dict) else None
        if not isinstance(text, str) or not text.strip():
            raise _ApiError(400, "text: Missing input")
        return 201, {"data": _select(self.add_comment(task_gid, text, by_client=False), query)}

    def _post_webhook(self, query: dict, body: bytes, **_: Any) -> tuple[int, dict]:
        import requests

        try:
            fields = (json.loads(body or b"{}") or {}).get("data") or {}
        except (ValueError, AttributeError):
            raise _ApiError(400, "Could not parse request data, invalid JSON") from None
        target, resource = fields.get("target"), fields.get("resource")
        project = self._find(self.projects, str(resource), "project")
        secret = f"{random.getrandbits(256):064x}"
        try:  # the handshake, while this request waits, as Asana does it
            answer = requests.post(str(target), data=b"", headers={"X-Hook-Secret": secret}, timeout=30)
            echoed = answer.status_code in (200, 204) and answer.headers.get("X-Hook-Secret") == secret
        except requests.RequestException:
            echoed = False
        if not echoed:
            raise _ApiError(400, "The remote server did not respond with the handshake secret.")
        hook = self._resource("webhook", resource=_compact(project), target=target, active=True,
                              last_success_at=None, last_failure_at=None, last_failure_content="",
                              failure_deletion_timestamp=None, delivery_retry_count=0)
        self.webhooks[hook["gid"]] = {**hook, "secret": secret}
        return 201, {"data": hook}

    def _get_webhook(self, webhook_gid: str, query: dict, **_: Any) -> tuple[int, dict]:
        hook = self._find(self.webhooks, webhook_gid, "webhook")
        return 200, {"data": {k: v for k, v in hook.items() if k != "secret"}}

    def _delete_webhook(self, webhook_gid: str, query: dict, **_: Any) -> tuple[int, dict]:
        self._find(self.webhooks, webhook_gid, "webhook")
        del self.webhooks[webhook_gid]
        return 200, {"data": {}}

    def _get_events(self, query: dict, **_: Any) -> tuple[int, dict]:
        """GET /events?resource=&sync=: the project's events since the sync token, at most 100 (has_more), with
        the next token; without a token, or with an unknown or too old one, 412 and a fresh token."""
        project_gid = query.get("resource") or ""
        self._find(self.projects, project_gid, "project")
        happened = self.events.get(project_gid, [])
        known = self._sync_tokens.get(query.get("sync") or "")
        if known is None or known[0] != project_gid:
            return 412, {"errors": [{"message": SYNC_EXPIRED, "help": _HELP}],
                         "sync": self._sync_token(project_gid, len(happened))}
        events = happened[known[1]:known[1] + 100]
        seen = known[1] + len(events)
        return 200, {"data": copy.deepcopy(events), "sync": self._sync_token(project_gid, seen),
                     "has_more": seen < len(happened)}

    def _sync_token(self, project_gid: str, seen: int) -> str:
        token = secrets.token_hex(16)
        self._sync_tokens[token] = (project_gid, seen)
        return token

    def _get_time_entries(self, task_gid: str, query: dict, host: str, **_: Any) -> tuple[int, dict]:
        """GET /tasks/{task_gid}/time_tracking_entries: the task's entries, oldest first."""
        self._find(self.tasks, task_gid, "task")
        entries = [e for e in self.time_entries.values() if e["task"]["gid"] == task_gid]
        return 200, self._page(f"/tasks/{task_gid}/time_tracking_entries", entries, query, host)

    # ---- helpers --------------------------------------------------------------------------------

    def _page(self, path: str, items: list[dict], query: dict, host: str) -> dict:
        """Asana's paging: everything without `limit`; else `limit` items and a next_page offset."""
        if "limit" not in query:
            return {"data": [_select(item, query) for item in items]}
        try:
            limit = int(query["limit"])
        except ValueError:
            limit = 0
        if not 1 <= limit <= 100:
            raise _ApiError(400, "limit: Must be between 1 and 100")
        listing = (path, tuple(sorted((k, v) for k, v in query.items() if k not in ("offset", "limit"))))
        start = 0
        if "offset" in query:
            issued = self._offsets.get(query["offset"])
            if issued is None or issued[0] != listing:
                raise _ApiError(400, EXPIRED_OFFSET)
            start = issued[1]
        end = start + limit
        next_page = None
        if end < len(items):
            token = base64.urlsafe_b64encode(json.dumps({"o": end, "n": len(self._offsets)}).encode()).decode()
            self._offsets[token] = (listing, end)
            next_path = f"{path}?{urlencode({**query, 'offset': token})}"
            next_page = {"offset": token, "path": next_path, "uri": f"http://{host}{API_PREFIX}{next_path}"}
        return {"data": [_select(item, query) for item in items[start:end]], "next_page": next_page}

    def _store_task(self, task: dict) -> dict:
        self.tasks[task["gid"]] = task
        self.stories.setdefault(task["gid"], [])
        for membership in task.get("memberships") or []:
            self.project_tasks[membership["project"]["gid"]].append(task["gid"])
            self._system_story(task["gid"], "added_to_project", f"added to {membership['project'].get('name', '')}",
                               at=task["created_at"])
        return task

    def _section(self, project_gid: str, name: str) -> dict:
        key = (project_gid, name)
        if key not in self._sections:
            self._sections[key] = self._resource("section", name=name)
        return dict(self._sections[key])

    def _system_story(self, task_gid: str, subtype: str, text: str, at: str | None = None) -> None:
        self.stories[task_gid].append(self._resource(
            "story", resource_subtype=subtype, type="system", text=text, created_at=at or _stamp(self.clock()),
            created_by=_compact(self.me)))

    def _resource(self, kind: str, gid: str | None = None, **fields: Any) -> dict:
        return {"gid": gid or self._gid(), "resource_type": kind, **fields}

    def _gid(self) -> str:
        with self._lock:
            self._next_gid += 1
            return str(self._next_gid)

    @staticmethod
    def _find(table: Mapping[str, dict], gid: str, kind: str) -> dict:
        if gid not in table:
            raise _ApiError(404, f"{kind}: Not a recognized ID: {gid}")
        return table[gid]


_HELP = ("For more information on API status codes and how to handle them, read the docs on errors: "
         "https://developers.asana.com/docs/errors")


def _select(resource: Mapping[str, Any], query: Mapping[str, str]) -> dict:
    """The resource as Asana returns it for `opt_fields` (gid always), else its compact form."""
    fields = [f for f in (query.get("opt_fields") or "").split(",") if f]
    if not fields:
        keep = _COMPACT.get(str(resource.get("resource_type")), _COMPACT_DEFAULT)
        return {"gid": resource["gid"], **{k: _compact(resource[k]) for k in keep if k in resource}}
    return _project(resource, _tree(fields))


def _tree(fields: Iterable[str]) -> dict:
    tree: dict = {}
    for field in fields:
        node = tree
        for part in field.split("."):
            node = node.setdefault(part, {})
    return tree


def _project(value: Any, tree: dict) -> Any:
    if isinstance(value, list):
        return [_project(item, tree) for item in value]
    if not isinstance(value, Mapping):
        return value
    out = {"gid": value["gid"]} if "gid" in value else {}
    for key, sub in tree.items():
        if key in value:  # Asana leaves out fields a resource does not have (text_value on a number field)
            out[key] = _project(value[key], sub) if sub else _compact(value[key])
    return out


def _compact(value: Any) -> Any:
    """A nested object asked for without sub-fields comes back as its compact reference."""
    if isinstance(value, list):
        return [_compact(item) for item in value]
    if isinstance(value, Mapping) and "gid" in value:
        return {k: value[k] for k in ("gid", "resource_type", "name") if k in value}
    return value


def _json(status: int, payload: Any) -> Response:
    return status, {"Content-Type": "application/json; charset=UTF-8"}, json.dumps(payload).encode()


def _host(headers: Mapping[str, str]) -> str:
    return next((v for k, v in headers.items() if k.lower() == "host"), "127.0.0.1")


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _parse_time(value: str, name: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(value), datetime.min.time())
        except ValueError:
            raise _ApiError(400, f"{name}: Invalid date-time: {value}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
