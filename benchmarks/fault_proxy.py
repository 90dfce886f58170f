"""Nothing lost, nothing twice: the real `scopekeeper run` through a proxy that spoils Trello's and Asana's answers.

Run: .venv/bin/python benchmarks/fault_proxy.py [--rounds 30] [--fault-rate 0.2] [--clients 8] [--seed 7]
    [--state-url URL]

Both sandboxes are served on loopback behind one fault-injecting proxy each. For every request the proxy
draws a fault with probability --fault-rate, one kind at random:
  429            refused with Retry-After (1 s), nothing forwarded
  5xx_before     500/502/503, nothing forwarded
  5xx_after      forwarded (a POST is stored), then 502
  reset_before   the connection reset, nothing forwarded
  reset_after    forwarded, then the connection reset: the answer is lost
  cut_body       forwarded, answered 200 with half the body (Content-Length says half)
  cut_connection forwarded, Content-Length of the whole body, half of it sent, connection closed
  html_before    a proxy's HTML login page with 200, nothing forwarded
  html_after     forwarded, then an HTML page with 200 instead of the answer
  slow           forwarded after 0.2-1.5 s
The clients (half on Trello, half on Asana, cards in English, French, Spanish and Polish) are scanned in
auto mode by `scopekeeper run --once` processes, each killed with SIGKILL at a random moment with
probability --kill-rate. Then the faults stop and `run --once` settles what is left. Printed: the faults
injected by kind, the kills, and comments expected (what a fault-free scan plans for these cards, computed
in this process from the same boards), posted, duplicated and missing. Exit status 1 if any comment is
duplicated or missing.
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing it

from integrations.asana.adapter import AsanaAdapter  # noqa: E402
from integrations.reference import references_in  # noqa: E402
from integrations.sandbox.asana import SANDBOX_TOKEN as ASANA_TOKEN  # noqa: E402
from integrations.sandbox.asana import AsanaSandbox  # noqa: E402
from integrations.sandbox.trello import SANDBOX_KEY, TrelloSandbox  # noqa: E402
from integrations.sandbox.trello import SANDBOX_TOKEN as TRELLO_TOKEN  # noqa: E402
from integrations.trello.adapter import TrelloAdapter  # noqa: E402
from scheduler.config.models import load_config, rules_for  # noqa: E402
from scheduler.testing_hooks import ASANA_URL_ENV, TRELLO_URL_ENV  # noqa: E402
from scheduler.worker.plan import planned_comments  # noqa: E402

KINDS = ("429", "5xx_before", "5xx_after", "reset_before", "reset_after", "cut_body", "cut_connection",
         "html_before", "html_after", "slow")
HTML = (b"<!DOCTYPE html><html><head><title>Sign in to the hotel Wi-Fi</title></head>"
        b"<body><form action=/login><input name=room></form></body></html>")
# Per client: (title, minutes tracked or None, description); 2 contracted hours a month, so the tracked
# hours go over; "strategy" asks a consultation, "invoice" a referral.
CARDS = {
    "en": [("Content strategy for 2027 🚀", None, "Can we talk about the **plan**?"),
           ("Send the invoices to our customers", None, "All of them, pls"),
           ("Newsletter for December [2h]", 120, "Same as last month"),
           ("Instagram posts for the launch [2h]", 120, "3 posts, not 2!"),
           ("Misc", None, "")],
    "fr": [("Stratégie de contenu pour 2027", None, "On en parle ?"),
           ("Envoyer les factures aux clients", None, "Toutes, merci"),
           ("Newsletter de décembre [2h]", 120, "Comme le mois dernier"),
           ("Publications Instagram pour le lancement [2h]", 120, "3 publications, pas 2 !")],
    "es": [("Estrategia de contenido para 2027", None, "¿Lo hablamos?"),
           ("Enviar las facturas a los clientes", None, "Todas, porfa"),
           ("Boletín de diciembre [2h]", 120, "Igual que el mes pasado"),
           ("Publicaciones de Instagram para el lanzamiento [2h]", 120, "¡3, no 2!")],
    "pl": [("Strategia treści na 2027", None, "Pogadamy?"),
           ("Wyślij faktury do klientów", None, "Wszystkie, dzięki"),
           ("Newsletter na grudzień [2h]", 120, "Jak w zeszłym miesiącu"),
           ("Posty na Instagram na premierę [2h]", 120, "3 posty, nie 2!")],
}
# Cards clients add between two worker processes, so that comments keep being posted while faults go on.
NEW_CARDS = {
    "en": ("Quick question: strategy for campaign #{n}?", "Pls send invoice #{n} to the accountant"),
    "fr": ("Petite question : stratégie pour la campagne n°{n} ?", "Envoyer la facture n°{n} au comptable"),
    "es": ("Pregunta: ¿estrategia para la campaña {n}?", "Enviar la factura {n} al contable"),
    "pl": ("Pytanie: strategia kampanii nr {n}?", "Wyślij fakturę nr {n} do księgowej"),
}
KEYWORDS = {  # (newsletter, social media, strategy, invoice) in each language, dictionary forms
    "en": ("newsletter", "instagram", "strategy", "invoice"),
    "fr": ("newsletter", "instagram", "stratégie", "facture"),
    "es": ("boletín", "instagram", "estrategia", "factura"),
    "pl": ("newsletter", "instagram", "strategia", "faktura"),
}
SETTINGS = """\
[scopekeeper]
state_url = "{state_url}"
timezone = "Europe/Warsaw"
mode = "auto"
scan_every = "1m"
max_comments_per_run = 30
"""
CLIENT = """
[[clients]]
name = "{name}"
language = "{language}"
timezone = "UTC"
boards = [{{ provider = "{provider}", id = "{board}" }}]

[clients.contract]
hours = 2
period = "month"
overage_rate = 30
currency = "EUR"
consultation_url = "https://calendly.com/example/consultation"

[[clients.contract.services]]
name = "Newsletter"
keywords = ["{k[0]}"]

[[clients.contract.services]]
name = "Social media"
keywords = ["{k[1]}"]

[[clients.contract.out_of_scope]]
name = "Content strategy"
keywords = ["{k[2]}"]
response = "consultation"

[[clients.contract.out_of_scope]]
name = "Bookkeeping"
keywords = ["{k[3]}"]
response = "referral"
referral = "Maria Lopez, bookkeeping VA"
"""


class FaultyProxy:
    """A reverse proxy to one upstream on loopback that spoils a share of the exchanges; counts what it did."""

    def __init__(self, upstream: str, rate: float, rng: random.Random) -> None:
        host, port = upstream.removeprefix("http://").split(":")
        self.upstream, self.rate, self.rng = (host, int(port)), rate, rng
        self.enabled = True
        self.injected: Counter[tuple[str, str]] = Counter()  # (kind, method) -> count
        self.requests = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FaultyProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def draw(self, method: str) -> str | None:
        with self._lock:
            self.requests += 1
            if not self.enabled or self.rng.random() >= self.rate:
                return None
            kind = self.rng.choice(KINDS)
            self.injected[(kind, method)] += 1
            return kind

    def forward(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, list, bytes]:
        connection = http.client.HTTPConnection(*self.upstream, timeout=60)
        try:
            connection.request(method, path, body=body or None, headers=headers)
            answer = connection.getresponse()
            return answer.status, [(k, v) for k, v in answer.getheaders()
                                   if k.lower() not in ("content-length", "connection", "transfer-encoding")], \
                answer.read()
        finally:
            connection.close()

    def _handler_class(self):
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                kind = proxy.draw(self.command)
                if kind == "429":
                    payload = (b'{"errors": [{"message": "You have made too many requests recently."}]}'
                               if self.path.startswith("/api/") else
                               b'{"error": "API_TOKEN_LIMIT_EXCEEDED", "message": "Rate limit exceeded"}')
                    return self._answer(429, [("Content-Type", "application/json"), ("Retry-After", "1")], payload)
                if kind == "5xx_before":
                    return self._answer(proxy.rng.choice((500, 502, 503)), [("Content-Type", "text/plain")],
                                        b"upstream unavailable")
                if kind == "reset_before":
                    return self._reset()
                if kind == "html_before":
                    return self._answer(200, [("Content-Type", "text/html")], HTML)
                if kind == "slow":
                    time.sleep(proxy.rng.uniform(0.2, 1.5))
                status, reply_headers, payload = proxy.forward(self.command, self.path, headers, body)
                if kind == "5xx_after":
                    return self._answer(502, [("Content-Type", "text/html")], b"<html>502 Bad Gateway</html>")
                if kind == "reset_after":
                    return self._reset()
                if kind == "cut_body":
                    return self._answer(status, reply_headers, payload[:len(payload) // 2])
                if kind == "cut_connection":
                    return self._answer(status, reply_headers, payload[:len(payload) // 2], declared=len(payload))
                if kind == "html_after":
                    return self._answer(200, [("Content-Type", "text/html")], HTML)
                return self._answer(status, reply_headers, payload)

            def _answer(self, status: int, headers, payload: bytes, declared: int | None = None) -> None:
                self.send_response(status)
                for key, value in headers:
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload) if declared is None else declared))
                self.end_headers()
                self.wfile.write(payload)
                if declared is not None:
                    self.close_connection = True

            def _reset(self) -> None:
                # SO_LINGER with a zero timeout: close() sends a TCP RST, as a crashing middlebox does.
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True

            do_GET = do_POST = do_PUT = do_DELETE = _serve

            def log_message(self, *args) -> None:
                pass

        return Handler


def seed(trello: TrelloSandbox, asana: AsanaSandbox, clients: int) -> list[tuple[str, str, str, str]]:
    """One board per client, half Trello, half Asana, languages in turn: (name, language, provider, board)."""
    made = []
    languages = list(CARDS)
    for n in range(clients):
        language, provider = languages[n % len(languages)], ("trello", "asana")[n % 2]
        name = f"Client {n + 1} ({language}, {provider})"
        if provider == "trello":
            board = trello.add_board(name, number_fields=["Hours"])
            for title, _minutes, desc in CARDS[language]:
                trello.add_card(board, title, desc=desc)
        else:
            board = asana.add_project(name)
            for title, minutes, desc in CARDS[language]:
                asana.add_task(board, title, notes=desc, actual_time_minutes=minutes)
        made.append((name, language, provider, board))
    return made


def add_requests(trello: TrelloSandbox, asana: AsanaSandbox, clients: list[tuple[str, str, str, str]],
                 rng: random.Random, number: int) -> int:
    """Some clients add a card asking something out of scope; how many cards were added."""
    added = 0
    for _name, language, provider, board in clients:
        if rng.random() < 0.5:
            continue
        title = rng.choice(NEW_CARDS[language]).format(n=number)
        if provider == "trello":
            trello.add_card(board, title, desc="")
        else:
            asana.add_task(board, title)
        added += 1
    return added


def config_text(state_url: str, clients: list[tuple[str, str, str, str]]) -> str:
    return SETTINGS.format(state_url=state_url) + "".join(
        CLIENT.format(name=name, language=language, provider=provider, board=board, k=KEYWORDS[language])
        for name, language, provider, board in clients)


def expected_references(config_path: Path, trello_url: str, asana_url: str) -> set[str]:
    """What a fault-free scan plans for these boards now: the comments that should each be posted once."""
    config = load_config(config_path)
    now = datetime.now(UTC)
    references: set[str] = set()
    with AsanaAdapter(ASANA_TOKEN, host=asana_url) as asana:
        trello = TrelloAdapter(SANDBOX_KEY, TRELLO_TOKEN, base_url=trello_url)
        for client in config.clients:
            cards = [card for board in client.boards
                     for card in (trello if board.provider == "trello" else asana).read_board(board.id).cards]
            result = rules_for(client).evaluate(cards, now)
            references |= {i.reference for i in planned_comments(result, {c.id: c for c in cards})}
    return references


def posted_references(trello: TrelloSandbox, asana: AsanaSandbox) -> Counter[str]:
    texts = [a["data"]["text"] for a in trello.actions.values() if a["type"] == "commentCard"]
    texts += [s["text"] for gid in asana.tasks for s in asana.comments(gid)]
    return Counter(ref for text in texts for ref in references_in(text))


def run_worker(config: Path, env: dict[str, str], kill_after: float | None, timeout: float = 300) -> str:
    """One `scopekeeper run --once`: 'done', 'killed' (SIGKILL after kill_after s) or 'failed'."""
    process = subprocess.Popen([sys.executable, "-c", "from scheduler.cli.main import main; main()", "run",
                                "--config", str(config), "--once"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        process.communicate(timeout=kill_after if kill_after is not None else timeout)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.communicate()
        return "killed"
    return "done" if process.returncode in (0, 1) else f"failed ({process.returncode})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30, help="worker processes started while faults are on")
    parser.add_argument("--fault-rate", type=float, default=0.2, help="share of the requests spoilt")
    parser.add_argument("--kill-rate", type=float, default=0.6, help="share of the worker processes killed")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--state-url", help="a PostgreSQL URL of an empty database; default: a new SQLite file")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    trello, asana = TrelloSandbox(), AsanaSandbox()
    made = seed(trello, asana, args.clients)
    folder = Path(tempfile.mkdtemp(prefix="sk-faults-"))
    config = folder / "scopekeeper.toml"
    config.write_text(config_text(args.state_url or f"sqlite:///{folder / 'state.db'}", made), encoding="utf-8")
    with trello.serve() as trello_server, asana.serve() as asana_server, \
            FaultyProxy(trello_server.url, args.fault_rate, rng) as trello_proxy, \
            FaultyProxy(asana_server.url, args.fault_rate, rng) as asana_proxy:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SCOPEKEEPER_")}
        env.update({"TRELLO_API_KEY": SANDBOX_KEY, "TRELLO_TOKEN": TRELLO_TOKEN, "ASANA_TOKEN": ASANA_TOKEN,
                    TRELLO_URL_ENV: trello_proxy.url + "/1", ASANA_URL_ENV: asana_proxy.url + "/api/1.0",
                    "SCOPEKEEPER_LOG_FORMAT": "json"})
        outcomes: Counter[str] = Counter()
        added = 0
        started = time.monotonic()
        for number in range(args.rounds):
            added += add_requests(trello, asana, made, rng, number + 1)
            kill_after = rng.uniform(0.5, 6.0) if rng.random() < args.kill_rate else None
            outcomes[run_worker(config, env, kill_after)] += 1
        faulty_seconds = time.monotonic() - started
        posted_while_faulty = posted_references(trello, asana)
        trello_proxy.enabled = asana_proxy.enabled = False
        settle = [run_worker(config, env, None) for _ in range(2)]  # the first settles, the second shows the rest
        posted = posted_references(trello, asana)
        expected = expected_references(config, trello_server.url + "/1", asana_server.host)

    injected = trello_proxy.injected + asana_proxy.injected
    by_kind = Counter()
    for (kind, _method), n in injected.items():
        by_kind[kind] += n
    duplicated = sum(n - 1 for ref, n in posted.items() if ref in expected and n > 1)
    missing = sorted(ref for ref in expected if posted[ref] == 0)
    unexpected = sorted(ref for ref in posted if ref not in expected)
    print(f"clients: {args.clients} ({sum(1 for m in made if m[2] == 'trello')} Trello, "
          f"{sum(1 for m in made if m[2] == 'asana')} Asana), cards in {', '.join(CARDS)}, {added} cards added "
          f"between the worker processes; seed {args.seed}")
    print(f"worker processes while faulty: {args.rounds} in {faulty_seconds:.0f} s: "
          + ", ".join(f"{n} {outcome}" for outcome, n in sorted(outcomes.items()))
          + f"; then fault-free: {', '.join(settle)}")
    print(f"requests through the proxies: Trello {trello_proxy.requests}, Asana {asana_proxy.requests}; "
          f"faults injected: {sum(injected.values())} (rate {args.fault_rate:g})")
    for kind in KINDS:
        posts = injected[(kind, "POST")]
        print(f"  {kind:<15} {by_kind[kind]:>5}  (on a POST: {posts})")
    print(f"comments expected: {len(expected)}; posted while faulty: "
          f"{sum(1 for ref in expected if posted_while_faulty[ref])}; posted in the end: "
          f"{sum(1 for ref in expected if posted[ref])}; duplicated: {duplicated}; missing: {len(missing)}"
          + (f"; not expected: {len(unexpected)}" if unexpected else ""))
    for ref in missing[:10]:
        print(f"  missing {ref}")
    return 1 if duplicated or missing or unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
