"""Live Asana projects through the official SDK: paged reads, incremental scans and comment stories.

Request costs (one request = one page of at most 100 items, nothing per task):
- read_board: ceil(n/100) for a project of n tasks, one for an empty one (GET /projects/{gid}/tasks).
- read_changes (read_modified): max(1, ceil(k/100)) for k tasks modified since the last scan (GET /tasks?project=
  &modified_since=): the pages of modified tasks, and for an unchanged project the one listing request
  that says so. The issue's budget ceil(k/100) + 1 counts that always-made listing as the "+1"; as the
  listing's first page already carries up to 100 modified tasks, k >= 1 costs one request less.
- changed_boards: one GET /events per project (the Events API with the project's sync token, called directly:
  the SDK's EventIterator never advances the token), so an unchanged project costs one request per check and
  nothing else; only a project with events is then read (read_modified). The first check of a project in a
  process, or one whose token expired, gets a fresh token (412) and counts as changed.
- post_comment: one POST; comments / find_comment: ceil(s/100) for a task with s stories, and only for a
  task whose comment outcome is unknown (reconciliation) or that is about to get a new comment (its
  reference may already be there if the state store was lost), never for every task.

Rescheduling: Asana's task records carry no due-date history and reading every task's stories would
cost a request per task, so due-date changes are the ones ScopeKeeper observes between its own scans
(merge_incremental). History before the first scan is unknown: a task moved three times before
ScopeKeeper first read it starts with no recorded change, and two moves between two scans count as one.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from datetime import UTC, datetime

import asana

from integrations import _parse as p
from integrations.asana.mapper import TASK_FIELDS, TIME_ENTRY_FIELDS, project_snapshot, time_entries
from integrations.asana.transport import AsanaTransport
from integrations.clean import clean_comment, clean_fields
from integrations.errors import MalformedItem, NotFound, UnknownOutcome
from integrations.models import BoardChanges, BoardSnapshot, Card, Comment, TimeEntry
from integrations.reference import references_in
from integrations.webhooks import HookState

log = logging.getLogger("integrations.asana.adapter")

DEFAULT_HOST = "https://app.asana.com/api/1.0"
# opt_fields must be one comma-separated string: the SDK would send a list as its Python repr.
TASK_OPT_FIELDS = ",".join(TASK_FIELDS)
STORY_OPT_FIELDS = "created_at,created_by.name,resource_subtype,text"
TIME_ENTRY_OPT_FIELDS = ",".join(TIME_ENTRY_FIELDS)


class AsanaAdapter:
    """One personal access token's connection; share one instance per token, its budgets are per token."""

    provider = "asana"
    observes_due_changes = True  # Asana keeps no due-date history
    cards_carry_comments = False  # tasks come without their stories: seeing them costs a request (comments())

    def __init__(self, token: str, *, host: str = DEFAULT_HOST, requests_per_minute: int = 150,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
                 timeout: float = 30.0, max_concurrent_reads: int = 50, max_concurrent_writes: int = 15,
                 max_attempts: int = 5, max_wait: float = 120.0, token_env: str = "ASANA_TOKEN") -> None:
        if not token:
            raise ValueError(f"an Asana personal access token is required (set {token_env})")
        self.host = host
        self._http = AsanaTransport(
            token, host=host, requests_per_minute=requests_per_minute, max_concurrent_reads=max_concurrent_reads,
            max_concurrent_writes=max_concurrent_writes, max_attempts=max_attempts, max_wait=max_wait,
            timeout=timeout, sleep=sleep, clock=clock, token_env=token_env)
        client = self._http.client
        self._tasks = asana.TasksApi(client)
        self._stories = asana.StoriesApi(client)
        self._users = asana.UsersApi(client)
        self._workspaces = asana.WorkspacesApi(client)
        self._projects = asana.ProjectsApi(client)
        self._webhooks = asana.WebhooksApi(client)
        self._time = asana.TimeTrackingEntriesApi(client)
        self._events = asana.EventsApi(client)
        self._changes = _Changes()
        self._own_gid: str | None = None

    def __repr__(self) -> str:
        return f"AsanaAdapter(host={self.host!r}, requests_made={self.requests_made})"

    def __enter__(self) -> AsanaAdapter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def requests_made(self) -> int:
        """HTTP requests sent so far, retries included."""
        return self._http.requests_made

    def own_actor(self) -> str:
        """The token's user gid (asked once)."""
        if self._own_gid is None:
            self._own_gid = str(self.me().get("gid") or "")
        return self._own_gid

    def create_webhook(self, project_gid: str, callback_url: str) -> str:
        """POST /webhooks: Asana sends the handshake to `callback_url` before it answers."""
        answer = self._http.write("POST /webhooks", self._webhooks.create_webhook,
                                  {"data": {"resource": project_gid, "target": callback_url}}, opts={})
        gid = (answer.get("data") or {}).get("gid")
        if not gid:
            raise UnknownOutcome("POST /webhooks: Asana's answer names no webhook", provider="asana")
        return str(gid)

    def delete_webhook(self, webhook_gid: str) -> None:
        self._http.write(f"DELETE /webhooks/{webhook_gid}",
                         lambda gid, opts, **kw: self._webhooks.delete_webhook(gid, **kw), webhook_gid, opts={})

    def webhook_state(self, webhook_gid: str) -> HookState | None:
        """Asana names when it will delete a webhook whose deliveries keep failing (failure_deletion_timestamp)."""
        try:
            answer = self._http.read(f"GET /webhooks/{webhook_gid}", self._webhooks.get_webhook, webhook_gid,
                                     opts={"opt_fields": "active,last_success_at,last_failure_at,"
                                                         "failure_deletion_timestamp"})
        except NotFound:
            return None
        hook = answer.get("data") or {}
        success, failure = (_moment(hook.get(k)) for k in ("last_success_at", "last_failure_at"))
        failing = failure if failure and (success is None or failure > success) else None
        return HookState(bool(hook.get("active", True)), failing, _moment(hook.get("failure_deletion_timestamp")))

    def credentials_expire(self) -> None:
        """Asana says nothing about a personal access token's expiry through the API."""
        return None

    def close(self) -> None:
        """Release the connections."""
        self._http.close()

    def read_board(self, project_gid: str) -> BoardSnapshot:
        """The whole project, normalised by the same mapper as an export: ceil(n/100) requests."""
        generation = self._changes.generation(project_gid)
        tasks = self._http.list_all(f"GET /projects/{project_gid}/tasks", self._tasks.get_tasks_for_project,
                                    project_gid, params={"opt_fields": TASK_OPT_FIELDS})
        self._changes.read(project_gid, generation)
        return project_snapshot(project_gid, tasks)

    def changed_boards(self, board_ids: Iterable[str], last_seen: Mapping[str, datetime],
                       scan_round: Hashable | None = None) -> list[str]:
        """The projects with events since this adapter last asked (one GET /events each), or whose earlier
        events were not read yet; events of ScopeKeeper's own comments do not count. A project not asked about
        before in this process (or whose sync token expired) counts as changed. Callers passing the same
        `scan_round` share the answers: the poll that found a change and the scan it starts ask once.
        """
        ids = list(board_ids)
        for gid in self._changes.to_ask(ids, scan_round):
            if self._new_events(gid):
                self._changes.mark(gid)
        return self._changes.changed(ids)

    def _new_events(self, project_gid: str) -> bool:
        """Ask for the project's events since its sync token, keep the next token; True if any is not ours."""
        answer = self._http.sync_read(f"GET /events?resource={project_gid}", self._events.get_events, project_gid,
                                      opts={**self._changes.sync_opts(project_gid),
                                            "opt_fields": "action,resource,type,user"})
        token = answer.get("sync")
        self._changes.sync(project_gid, token if isinstance(token, str) and token else None)
        if answer.get("expired"):
            return True  # what happened before the fresh token is unknown
        events = [e for e in answer.get("data") or [] if isinstance(e, dict)]
        if not events:
            return False
        stories = [e for e in events if (e.get("resource") or {}).get("resource_type") == "story"
                   and e.get("action") == "added"]
        own = self.own_actor() if stories else None
        return any(e not in stories or (e.get("user") or {}).get("gid") != own for e in events)

    def read_changes(self, project_gid: str, previous: Sequence[Card], since: datetime) -> BoardChanges:
        """The tasks modified since `since`, whole (read_modified); `previous` is not needed."""
        return BoardChanges(tuple(self.read_modified(project_gid, since)))

    def read_modified(self, project_gid: str, since: datetime) -> list[Card]:
        """Tasks of the project modified since `since`: the start of the previous read, a few minutes
        earlier against clock skew (a task read twice is harmless, merge_incremental is idempotent).

        max(1, ceil(k/100)) requests. Tasks deleted or removed from the project do not show up
        here; a periodic read_board catches them.
        """
        params = {"project": project_gid, "modified_since": _iso(since), "opt_fields": TASK_OPT_FIELDS}
        generation = self._changes.generation(project_gid)
        tasks = self._http.list_all(f"GET /tasks?project={project_gid}", self._tasks.get_tasks, params=params)
        self._changes.read(project_gid, generation)
        snapshot = project_snapshot(project_gid, tasks)
        for warning in snapshot.warnings:
            log.warning("project %s: %s", project_gid, warning)
        return list(snapshot.cards)

    def read_time_entries(self, task_gids: Iterable[str]) -> dict[str, tuple[TimeEntry, ...]]:
        """The time tracking entries of each task, by task gid: one listing per task (ceil(n/100) requests).

        Asana's project-wide listing (GET /time_tracking_entries) does not name each entry's task, so the
        entries are read per task; ask only for tasks with tracked time (actual_time_minutes > 0), the only
        ones that have entries. An entry that cannot be read is skipped with a warning.
        """
        found = {}
        for gid in task_gids:
            raw = self._http.list_all(f"GET /tasks/{gid}/time_tracking_entries",
                                      self._time.get_time_tracking_entries_for_task, gid,
                                      params={"opt_fields": TIME_ENTRY_OPT_FIELDS})
            found[gid], warnings = time_entries(raw, gid)
            for warning in warnings:
                log.warning("%s", warning)
        return found

    def post_comment(self, task_gid: str, text: str) -> str:
        """Post a comment story (text already ending with its `ref SK-...`); returns the story gid.

        Raises UnknownOutcome when Asana may have stored it without our hearing back: reconcile with
        find_comment, never post again blindly.
        """
        label = f"POST /tasks/{task_gid}/stories"
        answer = self._http.write(label, self._stories.create_story_for_task, {"data": {"text": text}}, task_gid,
                                  opts={})
        gid = (answer.get("data") or {}).get("gid")
        if not gid:
            raise UnknownOutcome(f"{label}: Asana accepted the comment but its answer names no story; "
                                 "reconcile by reading the task's stories", provider="asana")
        return str(gid)

    def comments(self, task_gid: str, since: datetime | None = None) -> list[Comment]:
        """The task's comment stories posted at `since` or later (every one without it), oldest first: ceil(s/100)
        requests for s stories (the stories API has no date filter)."""
        stories = self._http.list_all(f"GET /tasks/{task_gid}/stories", self._stories.get_stories_for_task,
                                      task_gid, params={"opt_fields": STORY_OPT_FIELDS})
        comments = [clean_comment(Comment(
            id=str(story.get("gid") or ""),
            text=str(story.get("text") or ""),
            created_at=p.instant(story.get("created_at"), "created_at"),
            author=str((story.get("created_by") or {}).get("name") or ""),
        )) for story in stories if story.get("resource_subtype") == "comment_added"]
        return comments if since is None else [c for c in comments if c.created_at >= since]

    def find_comment(self, task_gid: str, reference: str) -> Comment | None:
        """The comment story on one task carrying `ref <reference>`, if any (reconciliation)."""
        return next((c for c in self.comments(task_gid) if reference in references_in(c.text)), None)

    def me(self) -> dict:
        """The token's user: gid, name, email."""
        return clean_fields(self._http.read("GET /users/me", self._users.get_user, "me",
                                            opts={"opt_fields": "name,email"}).get("data") or {})

    def workspaces(self) -> list[dict]:
        """The workspaces the token's user belongs to (gid, name)."""
        return [clean_fields(w) for w in self._http.list_all("GET /workspaces", self._workspaces.get_workspaces,
                                                             params={"opt_fields": "name"})]

    def projects(self, workspace_gid: str) -> list[dict]:
        """The workspace's projects that are not archived (gid, name)."""
        return [clean_fields(project) for project in self._http.list_all(
            f"GET /workspaces/{workspace_gid}/projects", self._projects.get_projects_for_workspace, workspace_gid,
            params={"archived": "false", "opt_fields": "name"})]


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("modified_since needs a timezone-aware datetime (Asana compares in UTC)")
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _moment(value: object) -> datetime | None:
    try:
        return p.timestamp(value, "date") if value else None
    except MalformedItem:
        return None


class _Changes:
    """What the Events API told of each project: its sync token, and the changes not read yet (thread-safe).

    A change stays pending until a read that started after it succeeds, so a check whose scan never came (the
    client was being scanned, the read failed) is not lost.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens: dict[str, str] = {}
        self._pending: dict[str, int] = {}  # project gid -> generation of its latest unread change
        self._counter = 0
        self._round: tuple[Hashable, set[str]] | None = None

    def to_ask(self, gids: list[str], scan_round: Hashable | None) -> list[str]:
        """The projects to ask about now: those not asked yet in this round (all of them without a round)."""
        with self._lock:
            if scan_round is None:
                return list(gids)
            if self._round is None or self._round[0] is not scan_round:
                self._round = (scan_round, set())
            asked = self._round[1]
            fresh = [g for g in gids if g not in asked]
            asked.update(fresh)
            return fresh

    def sync_opts(self, gid: str) -> dict[str, str]:
        with self._lock:
            token = self._tokens.get(gid)
        return {"sync": token} if token else {}

    def sync(self, gid: str, token: str | None) -> None:
        with self._lock:
            if token:
                self._tokens[gid] = token
            else:
                self._tokens.pop(gid, None)

    def mark(self, gid: str) -> None:
        with self._lock:
            self._counter += 1
            self._pending[gid] = self._counter

    def changed(self, gids: list[str]) -> list[str]:
        with self._lock:
            return [g for g in gids if g in self._pending]

    def generation(self, gid: str) -> int:
        """Taken when a read starts: changes marked later are not covered by it."""
        with self._lock:
            return self._counter

    def read(self, gid: str, generation: int) -> None:
        """A read that started at `generation` succeeded: changes marked before it are read."""
        with self._lock:
            if self._pending.get(gid, generation + 1) <= generation:
                del self._pending[gid]
