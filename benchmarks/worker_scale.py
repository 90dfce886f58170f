"""`scopekeeper run --once` at scale: 200 Trello boards of 200 cards, 50 ms per request, Trello's token budget.

Run: .venv/bin/python benchmarks/worker_scale.py [--boards 200] [--cards 200] [--clients 20] [--state-url URL]
     .venv/bin/python benchmarks/worker_scale.py --vas 50 --boards 40 --cards 200 --clients 4   (a team)
     ... --vas 50 ... --process-each   (the same VAs, one worker process each, for comparison)
The worker runs as its own process against the Trello sandbox served here on loopback, which answers each
request after `--latency` seconds and refuses (429) past 100 requests per 10 s per token and 300 per 10 s per
API key, as Trello does. With --vas N, N VAs are scanned at once, each with her own token (the same API key: a
hosted team's), configuration and state, each reading `--boards` boards (the same boards for every VA, so the
fake's cost does not grow with N; each VA still reads every one of them with her own token): by one team
worker, `run --config FOLDER` (threads, and a forked process per core), or with --process-each by one worker
process per VA. Processes share the key's budget through the host's budget file (here in the run's temporary
folder). CPU is the worker processes' user + system time; peak memory the largest process's VmHWM, and the sum
over the worker's processes.
Printed: wall time against the rate-limit lower bound, the workers' CPU and peak memory, and a second scan.

The fake must not be what this measures. TrelloSandbox keeps the actions of all its boards in one dict and
scans them on every request (~70 ms of CPU per board read at 200 boards), and even alone a board's answers
take ~30 ms of CPU to build, on the same two cores the worker needs. So each board gets its own sandbox,
whose answers to the two requests of a board read are built once before the run (nothing changes during
it), behind one server whose requests all pass a further sandbox first: that one adds the latency and
enforces the token's budget, with its 429s and rate-limit headers.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing it

from integrations.hostwindow import BUDGETS_DIR_ENV  # noqa: E402
from integrations.sandbox.server import LoopbackServer  # noqa: E402
from integrations.sandbox.trello import (  # noqa: E402
    KEY_LIMIT,
    SANDBOX_KEY,
    SANDBOX_TOKEN,
    TOKEN_LIMIT,
    WINDOW,
    TrelloSandbox,
    synthetic_export,
)
from integrations.trello.adapter import BOARD_ACTIONS, BOARD_QUERY  # noqa: E402
from scheduler.testing_hooks import TRELLO_URL_ENV  # noqa: E402

CREDENTIALS = {"Authorization": f'OAuth oauth_consumer_key="{SANDBOX_KEY}", oauth_token="{SANDBOX_TOKEN}"'}
CLIENT = """
[[clients]]
name = "Client {n}"
boards = [{boards}]

[clients.contract]
hours = 20
period = "month"
overage_rate = 40
currency = "EUR"
hours_field = "Hours"

[[clients.contract.services]]
name = "Newsletter"
keywords = ["newsletter"]
labels = ["Newsletter"]

[[clients.contract.services]]
name = "Social media"
keywords = ["social"]
labels = ["Social"]
"""


class ShardedTrello:
    """Trello's API over one sandbox per board; a referee sandbox answers for the token's budget."""

    def __init__(self, latency: float, tokens: list[str]) -> None:
        self.referee = TrelloSandbox(latency=latency, tokens=tokens)
        self._shards: dict[str, TrelloSandbox] = {}
        self._built: dict[tuple, tuple] = {}  # (path, query) -> the shard's answer

    @property
    def log(self) -> list[dict]:
        return self.referee.log

    @property
    def rate_limited(self) -> int:
        return self.referee.rate_limited

    def load(self, export: dict) -> str:
        shard = TrelloSandbox(enforce_limits=False)
        board_id = shard.load_export(export)
        self._shards[board_id] = shard
        for path, query in ((f"/1/boards/{board_id}", BOARD_QUERY), (f"/1/boards/{board_id}/actions", BOARD_ACTIONS)):
            self._built[_key(path, query)] = shard.handle("GET", path, dict(query), b"", CREDENTIALS)
        return board_id

    def handle(self, method: str, path: str, query, body: bytes, headers):
        status, budget, answer = self.referee.handle("GET", "/1/members/me", {}, b"", headers)
        if status != 200:  # 429 (or a refused token): the request goes no further
            return status, budget, answer
        budget = {k: v for k, v in budget.items() if k.startswith("x-rate-limit")}
        parts = path.split("/")  # "", "1", "boards", <id>, ...
        if path.startswith("/1/members/me/boards"):
            boards = [b for shard in self._shards.values()
                      for b in json.loads(shard.handle(method, path, query, body, CREDENTIALS)[2])]
            return 200, {"Content-Type": "application/json", **budget}, json.dumps(boards).encode()
        shard = self._shards.get(parts[3]) if len(parts) > 3 and parts[2] == "boards" else None
        if shard is None:
            return 404, {"Content-Type": "text/plain", **budget}, b"The requested resource was not found."
        built = self._built.get(_key(path, query)) if method == "GET" else None
        # The referee took the token: the shards know only the sandbox's own.
        status, reply, answer = built or shard.handle(method, path, query, body, CREDENTIALS)
        return status, {**reply, **budget}, answer


def _key(path: str, query) -> tuple:
    return path, tuple(sorted(query.items()))


def main() -> None:
    options = _options()
    if options.state_url and _has_tables(options.state_url):
        sys.exit(f"--state-url must name an empty database: {options.state_url.split('@')[-1]} has tables "
                 "(a previous run's state would make the first scan a re-scan)")
    tokens = [SANDBOX_TOKEN] if options.vas == 1 else [f"{SANDBOX_TOKEN}-va{n + 1}" for n in range(options.vas)]
    sandbox = ShardedTrello(options.latency, tokens)
    board_ids = [sandbox.load(synthetic_export(options.cards, seed=seed)) for seed in range(1, options.boards + 1)]
    with tempfile.TemporaryDirectory() as folder, LoopbackServer(sandbox.handle) as server:
        workers, team = [], Path(folder) / "team"
        team.mkdir()
        environment = {**os.environ, "TRELLO_API_KEY": SANDBOX_KEY, TRELLO_URL_ENV: server.url + "/1",
                       "SCOPEKEEPER_LOG_LEVEL": "WARNING", BUDGETS_DIR_ENV: folder}
        for n, token in enumerate(tokens):
            config = (team if options.vas > 1 and not options.process_each else Path(folder)) / f"va-{n + 1:03}.toml"
            state_url = options.state_url or f"sqlite:///{Path(folder) / f'scopekeeper-{n}.db'}"
            token_env = f"TRELLO_TOKEN_VA{n + 1}"
            config.write_text(_config(state_url, board_ids, options.clients, token_env), encoding="utf-8")
            environment[token_env] = token
            if options.vas == 1 or options.process_each:
                workers.append((config, environment))
        if not workers:  # the team: one process, `run --config FOLDER`
            workers.append((team, environment))
        first = _scan(workers, sandbox)
        time.sleep(WINDOW)  # the second scan starts with the budgets whole again
        second = _scan(workers, sandbox)
    _report(options, first, second)


def _scan(workers: list[tuple[Path, dict]], sandbox: ShardedTrello) -> dict:
    """`scopekeeper run --once` of every worker at once, each in its own process: wall time until the last
    ends, requests, 429s, the largest process's peak memory."""
    logged, refused = len(sandbox.log), sandbox.rate_limited
    cpu = _children_cpu()
    started = time.monotonic()
    processes = [subprocess.Popen([sys.executable, "-c", "from scheduler.cli.main import main; main()", "run",
                                   "--once", "--config", str(config)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True) for config, env in workers]
    peaks: dict[int, float] = {}  # per process of the workers' trees
    while any(p.poll() is None for p in processes):
        for pid in (each for p in processes for each in _tree(p.pid)):
            peaks[pid] = max(peaks.get(pid, 0.0), _high_water_mb(pid))
        time.sleep(0.05)
    wall = time.monotonic() - started
    for process in processes:
        if process.returncode != 0:
            sys.exit(f"scopekeeper run failed ({process.returncode}):\n{process.stderr.read()[-3000:]}")
    requests = sandbox.log[logged:]
    return {"wall": wall, "requests": len(requests), "refused": sandbox.rate_limited - refused,
            "span": requests[-1]["at"] - requests[0]["at"] if requests else 0.0, "peak_mb": max(peaks.values()),
            "total_mb": sum(peaks.values()), "workers": len(peaks), "cpu": _children_cpu() - cpu}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _has_tables(url: str) -> bool:
    from sqlalchemy import create_engine, inspect
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        return bool(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _tree(pid: int) -> list[int]:
    """The process and its descendants (a team worker's forked processes)."""
    try:
        children = [int(c) for task in Path(f"/proc/{pid}/task").iterdir() for c in (task / "children").read_text().split()]
    except OSError:  # ended meanwhile
        return []
    return [pid, *(each for child in children for each in _tree(child))]


def _high_water_mb(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM). Not getrusage(RUSAGE_CHILDREN): a child forked from
    this process, itself large with the fake's boards, would count those pages until its exec."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:  # ended meanwhile
        return 0.0
    return int(status.split("VmHWM:")[1].split()[0]) / 1024 if "VmHWM:" in status else 0.0


def _bound(requests: int, latency: float, workers: int = 1) -> float:
    """The least time `requests` (shared evenly by `workers` tokens of one API key) can take from empty windows:
    a token's request k waits until 10 * floor(k / 100) s, the key's until 10 * floor(k / 300) s."""
    if not requests:
        return 0.0
    per_token = -(-requests // workers)
    return WINDOW * max((per_token - 1) // TOKEN_LIMIT, (requests - 1) // KEY_LIMIT) + latency


def _report(options, first: dict, second: dict) -> None:
    answered = first["requests"] - first["refused"]  # a 429 spends no budget
    bound = _bound(answered, options.latency, options.vas)
    cards = options.boards * options.cards
    fleet = (f"{options.vas} VAs (one token each, one API key; "
             f"{'a worker each' if options.process_each else 'one team worker'}) x " if options.vas > 1 else "")
    print(f"scopekeeper run --once: {fleet}{options.boards} boards x {options.cards} cards ({cards:,} cards "
          f"{'per VA' if fleet else ''}), {options.clients} clients, {options.latency * 1000:.0f} ms per request, "
          f"Trello's {TOKEN_LIMIT} requests per {WINDOW:.0f} s per token and {KEY_LIMIT} per key")
    print(f"first scan      {first['requests']} requests, {first['refused']} refused (429)")
    print(f"  wall time     {first['wall']:6.1f} s  (process start to exit; first to last request "
          f"{first['span']:.1f} s)")
    print(f"  lower bound   {bound:6.1f} s  ({answered} answered; a token's request k cannot start before {WINDOW:.0f} s x floor(k / "
          f"{TOKEN_LIMIT}), the key's before {WINDOW:.0f} s x floor(k / {KEY_LIMIT}); plus one answer)")
    print(f"  ratio         {first['wall'] / bound:6.2f} x  (target <= 1.3; the whole run, CPU included)")
    print(f"  requests      {first['span'] / bound:6.2f} x  the bound from first to last request (the rate limits' "
          "share)")
    print(f"  worker CPU    {first['cpu']:6.1f} s  ({first['cpu'] / options.vas:.2f} s per VA, user + system, "
          f"{first['workers']} process(es), {os.cpu_count()} cores)")
    print(f"  peak memory   {first['peak_mb']:6.0f} MB (target < 300 MB; the largest worker process's VmHWM; "
          f"{first['total_mb']:.0f} MB summed over its {first['workers']} process(es))")
    print(f"second scan     {second['requests']} request(s) (nothing changed), {second['refused']} refused, "
          f"{second['wall']:.1f} s wall, peak memory {second['peak_mb']:.0f} MB")


def _config(state_url: str, board_ids: list[str], clients: int, token_env: str) -> str:
    text = (f'[scopekeeper]\nstate_url = "{state_url}"\nmode = "review"\nscan_every = "15m"\n'
            f'[connections.trello]\napi_key_env = "TRELLO_API_KEY"\ntoken_env = "{token_env}"\n')
    for n in range(clients):
        mine = board_ids[n::clients]
        text += CLIENT.format(n=n + 1, boards=", ".join(f'{{ provider = "trello", id = "{b}" }}' for b in mine))
    return text


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boards", type=int, default=200)
    parser.add_argument("--cards", type=int, default=200)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--vas", type=int, default=1, help="VAs scanned at once, each with her own token: by one "
                        "worker process (`run --config FOLDER`)")
    parser.add_argument("--process-each", action="store_true", help="with --vas: one worker process per VA instead")
    parser.add_argument("--state-url", help="default: a SQLite file in a temporary folder")
    return parser.parse_args()


if __name__ == "__main__":
    main()
