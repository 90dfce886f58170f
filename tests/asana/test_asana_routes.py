"""The adapter and the sandbox checked against Asana's OpenAPI description (../shared/specs/asana-openapi.yaml)."""
from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import yaml

from integrations.sandbox.asana import API_PREFIX, ROUTES, SANDBOX_TOKEN

AUTH = {"Authorization": f"Bearer {SANDBOX_TOKEN}"}


@pytest.fixture(scope="module")
def spec(shared_dir) -> dict:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(shared_dir / "specs" / "asana-openapi.yaml", encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)


def _resolve(spec: dict, node: dict, full: bool = True) -> dict:
    while "$ref" in node:
        section, name = node["$ref"].split("/")[-2:]
        # Listings declare compact items, but opt_fields select from the full record.
        if full and name.endswith("Compact") and name[:-7] + "Response" in spec["components"]["schemas"]:
            name = name[:-7] + "Response"
        node = spec["components"][section][name]
    return node


def _properties(spec: dict, schema: dict, full: bool = True) -> dict:
    schema = _resolve(spec, schema, full)
    found = dict(schema.get("properties") or {})
    for part in schema.get("allOf", []) + schema.get("oneOf", []) + schema.get("anyOf", []):
        found.update(_properties(spec, part, full=False))  # the parts of a Response include its Compact
    return found


def _undeclared(spec: dict, value, schema: dict, where: str = "$") -> list[str]:
    """Keys of `value` (recursively) that the schema does not declare."""
    schema = _resolve(spec, schema)
    if isinstance(value, list):
        items = schema.get("items")
        return [w for v in value for w in _undeclared(spec, v, items, where + "[]")] if items else []
    if not isinstance(value, dict):
        return []
    declared = _properties(spec, schema)
    if not declared:  # a free-form object
        return []
    return [w for key, v in value.items()
            for w in ([f"{where}.{key}"] if key not in declared else _undeclared(spec, v, declared[key], f"{where}.{key}"))]


def _operation(spec: dict, method: str, template: str) -> tuple[dict, dict[str, dict]]:
    item = spec["paths"][template]
    operation = item[method.lower()]
    parameters = [_resolve(spec, p) for p in item.get("parameters", []) + operation.get("parameters", [])]
    return operation, {p["name"]: p for p in parameters if p.get("in") == "query"}


def _exercise(sandbox, adapter) -> None:
    """Every call the adapter makes, with a listing long enough to page."""
    project = sandbox.generate_project(120)
    task = sandbox.project_tasks[project][0]
    adapter.read_board(project)
    adapter.read_modified(project, datetime(2026, 1, 1, tzinfo=UTC))
    adapter.changed_boards([project], {})   # no sync token yet: 412 and a fresh one
    sandbox.add_task(project, "Newsletter")
    adapter.changed_boards([project], {})   # with the token
    sandbox.add_time_entry(task, 45, "2026-11-30")
    adapter.read_time_entries([task])
    adapter.post_comment(task, "hello\n\nref SK-123abc")
    adapter.find_comment(task, "SK-123abc")
    adapter.me()
    for workspace in adapter.workspaces():
        adapter.projects(workspace["gid"])


def test_every_route_and_query_parameter_the_adapter_uses_is_in_the_spec(spec, sandbox, adapter):
    _exercise(sandbox, adapter)

    used = {(method, template) for method, template, _ in sandbox.log}
    webhooks = {(m, t) for m, t, _ in ROUTES if t.startswith("/webhooks")}  # need a handshake: see below
    assert used == {(m, t) for m, t, _ in ROUTES} - {("GET", "/projects/{project_gid}"), ("GET", "/tasks/{task_gid}")} - webhooks
    for method, template, query in sandbox.log:
        assert template in spec["paths"] and method.lower() in spec["paths"][template], (method, template)
        _, parameters = _operation(spec, method, template)
        assert set(query) <= set(parameters), (method, template, set(query) - set(parameters))
        enum = set(parameters["opt_fields"]["schema"]["items"]["enum"])
        for field in filter(None, query.get("opt_fields", "").split(",")):
            # gid is always returned, so the spec's list leaves out 'x.gid'; its parent must be there.
            assert field in enum or (field.endswith(".gid") and field[:-4] in enum), (template, field)


def test_the_webhook_fields_the_adapter_reads_are_in_the_spec(spec):
    import inspect

    from integrations.asana import adapter as asana_adapter

    source = inspect.getsource(asana_adapter.AsanaAdapter.webhook_state)
    _, parameters = _operation(spec, "GET", "/webhooks/{webhook_gid}")
    enum = set(parameters["opt_fields"]["schema"]["items"]["enum"])
    for field in ("active", "last_success_at", "last_failure_at", "failure_deletion_timestamp"):
        assert field in source and field in enum, field
    assert "post" in spec["paths"]["/webhooks"] and "delete" in spec["paths"]["/webhooks/{webhook_gid}"]


def test_every_sandbox_route_is_in_the_spec(spec):
    for method, template, _ in ROUTES:
        assert method.lower() in spec["paths"].get(template, {}), (method, template)


def test_sandbox_answers_declare_only_fields_of_the_spec(spec, sandbox, adapter):
    _exercise(sandbox, adapter)
    sandbox.reset_counts()
    project = next(iter(sandbox.project_tasks))
    task = sandbox.project_tasks[project][0]
    opt_fields = {query.get("opt_fields") for _, _, query in sandbox.log} | {None}
    calls = [("GET", "/users/me"), ("GET", "/workspaces"), ("GET", f"/workspaces/{sandbox.workspace}/projects"),
             ("GET", f"/projects/{project}"), ("GET", f"/projects/{project}/tasks"), ("GET", f"/tasks/{task}"),
             ("GET", "/tasks"), ("GET", f"/tasks/{task}/stories")]
    checked = 0
    for method, path in calls:
        for fields in opt_fields:
            query = {"limit": "2", "project": project, **({"opt_fields": fields} if fields else {})}
            status, _, body = sandbox.handle(method, API_PREFIX + path, query, b"", AUTH)
            template = sandbox.log[-1][1]
            if status != 200:  # an opt_field another resource has; Asana would refuse it too
                continue
            schema = _operation(spec, method, template)[0]["responses"][200]["content"]["application/json"]["schema"]
            assert _undeclared(spec, json.loads(body), schema) == [], (path, fields)
            checked += 1
    status, _, body = sandbox.handle("POST", f"{API_PREFIX}/tasks/{task}/stories", {}, b'{"data": {"text": "hi"}}', AUTH)
    schema = _operation(spec, "POST", "/tasks/{task_gid}/stories")[0]["responses"][201]["content"]["application/json"]["schema"]
    assert status == 201 and _undeclared(spec, json.loads(body), schema) == []
    assert checked >= len(calls)


def test_sandbox_errors_have_the_spec_error_shape(spec, sandbox):
    error = spec["components"]["schemas"]["ErrorResponse"]
    answers = [sandbox.handle("GET", f"{API_PREFIX}/workspaces", {}, b"", {}),
               sandbox.handle("GET", f"{API_PREFIX}/projects/404/tasks", {}, b"", AUTH),
               sandbox.handle("GET", f"{API_PREFIX}/workspaces", {"limit": "500"}, b"", AUTH)]
    sandbox.fail_next(429, retry_after=5)
    answers.append(sandbox.handle("GET", f"{API_PREFIX}/workspaces", {}, b"", AUTH))

    assert [status for status, _, _ in answers] == [401, 404, 400, 429]
    assert answers[-1][1]["Retry-After"] == "5"
    for _, _, body in answers:
        document = json.loads(body)
        assert document["errors"][0]["message"] and _undeclared(spec, document, error) == []
