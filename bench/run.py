"""``make bench``: the portfolio-scale benchmark of issue 12, in one run.

1. Builds the 10 % and 100 % portfolios (databases ``srm_bench_10`` and ``srm_bench_100`` on
   the server DATABASE_URL names) with ``manage.py generate_portfolio``, or reuses them when
   their fingerprint (generator source, scale, migrations) is current.
2. Counts the SQL queries of every page at 10 % and at 100 % (bench.pages).
3. Starts gunicorn with production settings (SRM_ENV=production, HTTPS off for the local run, a
   generated secret key, DEBUG off, 3 workers as docker-compose.yml) on the 100 % database,
   signs in as the manager, the executive and the supplier, and loads every page with wrk at
   8 connections, three runs each, keeping the median run; the baseline is ``/healthz`` signed
   in, measured in the same run.
4. Imports 10,000 XLSX rows of partners with spend and of measurements end to end: upload
   through the page, check by a worker, preview, confirm, write (bench.imports measure).
5. Closes the open quarter of every scorecard against the plain SQL aggregate
   (bench.period_close), then dispatches 10,000 reminders (bench.reminders, once it exists).
6. Writes bench/results/<date>.json and .md and prints the summary.

``--quick`` uses only the 10 % portfolio, one 2-second run per page and skips nothing else:
a smoke test of the whole chain in a few minutes. ``--only pages`` runs steps 1-3 alone
(results ``<date>-pages.json``/``.md``). ``--reuse`` keeps existing portfolio databases whose
fingerprint is stale and brings them up to date with ``manage.py migrate`` instead of
rebuilding them (for a branch that only adds migrations, such as indexes; the fingerprint is
left as it was, so a later run without ``--reuse`` rebuilds). Before counting and loading,
each database is vacuumed and analysed, as autovacuum keeps a running server's tables: a
freshly generated table has no visibility map, and every count then reads the table itself.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import json
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg

from bench.users import EXECUTIVE, MANAGER, PASSWORD, SUPPLIER

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
LUA = ROOT / "bench" / "wrk_report.lua"
PYTHON = sys.executable
WORKERS = 3  # as the production compose file runs gunicorn
CONNECTIONS = 8
GUNICORN_TIMEOUT = 30  # gunicorn's default, which the production compose file keeps
IMPORT_ROWS = 10_000


def say(message: str) -> None:
    print(f"[bench] {message}", flush=True)


# --------------------------------------------------------------------------- databases


def server_url() -> str:
    url = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def database_url(name: str) -> str:
    return urlunsplit(urlsplit(server_url())._replace(path=f"/{name}"))


def database_name(scale: float) -> str:
    return f"srm_bench_{round(scale * 100)}"


def app_env(database: str) -> dict[str, str]:
    """Production settings for a local, plain-HTTP run against ``database``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SRM_")}
    env.update(
        SRM_ENV="production",
        SRM_HTTPS="0",
        SRM_DEBUG="0",
        SRM_SECRET_KEY=SECRET_KEY,
        SRM_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SRM_STATIC_ROOT=str(ROOT / ".data" / "bench-static"),
        SRM_LOG_LEVEL="WARNING",
        DATABASE_URL=database_url(database),
        DJANGO_SETTINGS_MODULE="srm.settings",
    )
    env.setdefault("SRM_CELERY_QUEUE", "srm-bench")
    return env


SECRET_KEY = secrets.token_urlsafe(50)


def run_python(args: list[str], database: str, *, capture: bool = False) -> str:
    result = subprocess.run(
        [PYTHON, *args],
        cwd=ROOT,
        env=app_env(database),
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


def ensure_portfolio(scale: float, *, reuse: bool = False) -> dict[str, Any]:
    """The database of ``scale``: reused when current (or, with ``reuse``, migrated forward
    when it exists), otherwise built anew."""
    name = database_name(scale)
    assert name.startswith("srm_bench_")
    with psycopg.connect(server_url(), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    if exists:
        check = subprocess.run(
            [
                PYTHON,
                "-c",
                "import sys, django; django.setup(); from bench.portfolio import main; "
                "sys.exit(main(sys.argv[1:]))",
                "--current",
                str(scale),
            ],
            cwd=ROOT,
            env=app_env(name),
        )
        if check.returncode == 0:
            say(f"{name}: current, reused")
            return {"database": name, "built": False, "seconds": 0}
        if reuse:
            say(f"{name}: built on other migrations; reused (--reuse), migrating forward")
            started = time.perf_counter()
            run_python(["manage.py", "migrate", "--no-input", "-v", "0"], name)
            seconds = round(time.perf_counter() - started)
            return {"database": name, "built": False, "migrated": True, "seconds": seconds}
    say(f"{name}: building the portfolio at scale {scale}")
    started = time.perf_counter()
    with psycopg.connect(server_url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    run_python(["manage.py", "migrate", "--no-input", "-v", "0"], name)
    run_python(["manage.py", "generate_portfolio", "--scale", str(scale)], name)
    return {"database": name, "built": True, "seconds": round(time.perf_counter() - started)}


def vacuum(name: str) -> None:
    """VACUUM ANALYZE ``name``: what autovacuum does for a running server's tables."""
    with psycopg.connect(database_url(name), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


# --------------------------------------------------------------------------- HTTP


class Session:
    """A signed-in browser session against the local gunicorn."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 120,
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        all_headers = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            conn.request(method, path, body=body, headers=all_headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def csrf_token(self, path: str) -> str:
        status, _, page = self.request("GET", path)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or match is None:
            raise RuntimeError(f"no form at {path} ({status})")
        return match.group(1).decode()

    def sign_in(self, username: str) -> None:
        token = self.csrf_token("/accounts/login/")
        body = urlencode(
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        ).encode()
        status, _headers, _ = self.request(
            "POST",
            "/accounts/login/",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": self.url},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"sign-in of {username} failed ({status})")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def upload(self, path: str, field: str, file: Path) -> tuple[int, bytes, float]:
        """Post ``file`` through the page's form as a browser does; status, body, seconds."""
        token = self.csrf_token(path)
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f"{token}\r\n".encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{file.name}"\r\nContent-Type: application/vnd.openxmlformats-'
            "officedocument.spreadsheetml.sheet\r\n\r\n".encode(),
            file.read_bytes(),
            f"\r\n--{boundary}--\r\n".encode(),
        ]
        started = time.perf_counter()
        try:
            status, _, body = self.request(
                "POST",
                path,
                body=b"".join(parts),
                headers={
                    "Content-Type": f"multipart/form-data; boundary={boundary}",
                    "Referer": self.url,
                },
                timeout=GUNICORN_TIMEOUT * 4,
            )
        except (ConnectionError, http.client.HTTPException) as error:
            return 0, str(error).encode(), time.perf_counter() - started
        return status, body, time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Gunicorn:
    def __init__(self, database: str) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "srm.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(WORKERS), "--timeout", str(GUNICORN_TIMEOUT),
             "--log-level", "error"],
            cwd=ROOT,
            env=app_env(database),
        )  # fmt: skip
        for _ in range(100):
            try:
                if Session(self.port).request("GET", "/healthz", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not answer /healthz")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


# --------------------------------------------------------------------------- load


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit("wrk is not installed: `make bench` installs it (apt-get install wrk).")
    return found


def wrk(port: int, page: dict[str, Any], cookie: str, seconds: int) -> dict[str, Any]:
    result = subprocess.run(
        [wrk_binary(), "-t", "2", "-c", str(CONNECTIONS), "-d", f"{seconds}s",
         "--timeout", "120s", "-s", str(LUA), "-H", f"Cookie: {cookie}",
         "-H", f"Accept: {page['accept']}", f"http://127.0.0.1:{port}{page['url']}"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    line = next(ln for ln in result.stdout.splitlines() if ln.startswith("{"))
    stats: dict[str, Any] = json.loads(line)
    stats["rps"] = stats["requests"] / (stats["duration_us"] / 1e6)
    return stats


def load(
    port: int, pages: list[dict[str, Any]], *, runs: int, base_seconds: int
) -> list[dict[str, Any]]:
    sessions: dict[str, Session] = {}
    for user in (MANAGER, EXECUTIVE, SUPPLIER):
        sessions[user] = Session(port)
        sessions[user].sign_in(user)
        say(f"signed in as {user}")
    results = []
    for page in pages:
        session = sessions[page["user"]]
        latencies = []
        for _ in range(2):
            started = time.perf_counter()
            status, _, _ = session.request(
                "GET", page["url"], headers={"Accept": page["accept"]}, timeout=300
            )
            latencies.append(time.perf_counter() - started)
            if status != 200:
                break
        single = min(latencies)
        if status != 200:
            say(f"{page['name']}: {status}, not loaded")
            results.append({"name": page["name"], "status": status})
            continue
        # Long enough for about a dozen answers from the slowest page; the in-flight requests
        # of a slow page are drained before the next run, so no run pays for the one before.
        seconds = max(base_seconds, min(60, round(6 * single)))
        drain = CONNECTIONS * single / min(WORKERS, os.cpu_count() or 1) + 0.5
        cookie = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
        samples = []
        for _ in range(runs):
            samples.append(wrk(port, page, cookie, seconds))
            if single > 0.2:
                time.sleep(drain)
        median = sorted(samples, key=lambda s: s["rps"])[len(samples) // 2]
        row = {
            "name": page["name"],
            "url": page["url"],
            "user": page["user"],
            "status": status,
            "single_request_seconds": round(single, 4),
            "run_seconds": seconds,
            "runs_rps": [round(s["rps"], 2) for s in samples],
            "rps": round(median["rps"], 2),
            "p50_ms": round(median["p50_us"] / 1000, 1),
            "p95_ms": round(median["p95_us"] / 1000, 1),
            "p99_ms": round(median["p99_us"] / 1000, 1),
            "requests": median["requests"],
            "errors": median["errors"],
        }
        results.append(row)
        say(
            f"{page['name']:<36} {row['rps']:>8.1f} req/s  p50 {row['p50_ms']:>8.1f}  "
            f"p95 {row['p95_ms']:>8.1f}  p99 {row['p99_ms']:>8.1f} ms"
        )
    return results


# --------------------------------------------------------------------------- imports


def imports(database: str) -> dict[str, Any]:
    """10,000 XLSX rows of partners with spend and of measurements, end to end: upload through
    the import page, the check by a worker, the preview, "Import now" and the write
    (``bench.imports measure``, which starts its own worker and removes what it imported)."""
    out = run_python(["-m", "bench.imports", "measure", str(IMPORT_ROWS)], database, capture=True)
    measured: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    outcome: dict[str, Any] = {}
    for name in ("partners and spend", "measurements"):
        result = measured[name]
        what = (
            f"{result['outcome']} in {result['seconds_total']} s end to end (upload "
            f"{result['seconds_upload']} s, check {result['seconds_check']} s, write "
            f"{result['seconds_write']} s)"
        )
        outcome[name] = {**result, "rows": result.get("rows") or IMPORT_ROWS, "outcome": what}
        say(f"import {IMPORT_ROWS} rows of {name}: {what}")
    outcome["clean_up"] = measured.get("clean_up")
    return outcome


# --------------------------------------------------------------------------- reminders


def reminders(database: str) -> dict[str, Any]:
    if importlib.util.find_spec("bench.reminders") is None:
        return {"outcome": "not available yet (bench/reminders.py comes with the outbox)"}
    started = time.perf_counter()
    out = run_python(
        ["-c", "import django, json; django.setup(); from bench import reminders; "
               "print(json.dumps(reminders.run(), default=str))"],
        database, capture=True,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    line = out.strip().splitlines()[-1] if out.strip() else "{}"
    return {"outcome": f"ran in {seconds:.1f} s", "seconds": round(seconds, 2),
            "result": json.loads(line)}  # fmt: skip


# --------------------------------------------------------------------------- report


def machine() -> dict[str, Any]:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor(),
    )  # fmt: skip
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
    with psycopg.connect(server_url()) as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
    wrk_version = subprocess.run([wrk_binary(), "-v"], capture_output=True, text=True).stdout
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()  # fmt: skip
    return {
        "nproc": os.cpu_count(),
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "postgresql": pg,
        "python": platform.python_version(),
        "wrk": wrk_version.split("[")[0].strip(),
        "commit": commit,
    }


def markdown(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [
        f"# Portfolio benchmark {report['date']}"
        + (" (quick)" if report["quick"] else "")
        + (f" ({report['only']} only)" if report.get("only") else ""),
        "",
        f"Machine: {m['nproc']} cores ({m['cpu']}), {m['ram_gb']} GB RAM, PostgreSQL "
        f"{m['postgresql']}, Python {m['python']}, {m['wrk']}; commit {m['commit']}. "
        f"gunicorn {WORKERS} workers, production settings; wrk {CONNECTIONS} connections, "
        f"{report['runs']} run(s) per page, median run. Load against `{report['load_database']}`; "
        "load average (1/5/15 min) before the load "
        + "/".join(f"{x:.1f}" for x in report.get("load_average_before", ()))
        + ", after "
        + "/".join(f"{x:.1f}" for x in report.get("load_average_after", ()))
        + ".",
        "",
    ]
    counts = report["portfolios"]
    lines.append("| portfolio | " + " | ".join(next(iter(counts.values()))["counts"]) + " |")
    lines.append("|---|" + "---|" * len(next(iter(counts.values()))["counts"]))
    for name, info in counts.items():
        lines.append(f"| {name} | " + " | ".join(f"{n:,}" for n in info["counts"].values()) + " |")
    lines += ["", "| page | SQL queries (10 % / 100 %) | one request (test client) | one request "
              "(HTTP) | req/s | p50 | p95 | p99 | ratio to baseline | failed |",
              "|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    baseline = next((r for r in report["load"] if r["name"].startswith("baseline")), None)
    queries = report["queries"]
    for row in report["load"]:
        q = " / ".join(str(queries[db].get(row["name"], {}).get("queries", "-"))
                       for db in queries)  # fmt: skip
        client = queries[report["load_database"]].get(row["name"], {}).get("seconds")
        q += f" | {client * 1000:.1f} ms" if client is not None else " | -"
        if "rps" not in row:
            lines.append(f"| {row['name']} | {q} | status {row['status']} | | | | | | |")
            continue
        errors = row["errors"]
        failed = errors["status"] + errors["read"] + errors["timeout"] + errors["connect"]
        single = f"{row['single_request_seconds'] * 1000:.0f} ms"
        if not row["requests"]:
            failure = f"every request failed (gunicorn's {GUNICORN_TIMEOUT} s timeout)"
            lines.append(f"| {row['name']} | {q} | {single} | 0 | {failure} | | | | {failed} |")
            continue
        ratio = "-"
        if baseline and row["rps"]:
            share = row["rps"] / baseline["rps"]
            ratio = f"1/{1 / share:.0f}" if share < 0.5 else f"{share:.2f}"
        lines.append(
            f"| {row['name']} | {q} | {single} | {row['rps']:.1f} | {row['p50_ms']:.0f} ms | "
            f"{row['p95_ms']:.0f} ms | {row['p99_ms']:.0f} ms | {ratio} | {failed or ''} |"
        )
    close = report.get("period_close")
    if close is None:  # --only pages
        return "\n".join(lines) + "\n"
    lines += [
        "",
        f"Period close, one quarter for all {close['periods']:,} scorecards: "
        f"{close['close_seconds']} s against {close['sql_seconds']} s for the same rollups in "
        f"plain SQL ({close['ratio']}x); {close['compared']:,} results compared, "
        f"{close['mismatches']} differ as shown (score, coverage, rating, provisional); "
        f"{close.get('differ_in_the_4th_decimal', '?')} stored 0.0001 apart.",
        "",
    ]
    for name, result in report["imports"].items():
        if name == "clean_up":
            continue
        lines.append(f"- XLSX import, {result['rows']:,} rows of {name}: {result['outcome']}")
        if "at_the_cap" in result:
            cap = result["at_the_cap"]
            lines.append(f"  - at the cap, {cap['rows']:,} rows: {cap['outcome']}")
    lines.append(f"- {IMPORT_ROWS:,} reminders dispatched: {report['reminders']['outcome']}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="10 %% only, one 2 s run per page")
    parser.add_argument("--report", type=Path, help="only re-render the .md of a results .json")
    parser.add_argument(
        "--only", choices=["pages"], help="pages: build/reuse, count queries and load pages only"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="migrate stale portfolio databases forward instead of rebuilding them",
    )
    args = parser.parse_args(argv)
    if args.report:
        stored = json.loads(args.report.read_text())
        args.report.with_suffix(".md").write_text(markdown(stored))
        print(markdown(stored))
        return 0
    started = time.perf_counter()
    scales = [0.1] if args.quick else [0.1, 1.0]
    runs, base_seconds = (1, 2) if args.quick else (3, 5)
    report: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "quick": args.quick,
        "only": args.only,
        "runs": runs,
        "machine": machine(),
        "portfolios": {},
        "queries": {},
    }
    for scale in scales:
        report["portfolios"][database_name(scale)] = ensure_portfolio(scale, reuse=args.reuse)
        say(f"{database_name(scale)}: VACUUM ANALYZE")
        vacuum(database_name(scale))
    load_db = database_name(scales[-1])
    report["load_database"] = load_db
    say("collecting static files for the production settings")
    run_python(["manage.py", "collectstatic", "--no-input", "-v", "0"], load_db)
    for scale in scales:
        name = database_name(scale)
        script = (
            "import django, json; django.setup(); "
            "from bench.portfolio import table_counts; print(json.dumps(table_counts()))"
        )
        counts = run_python(["-c", script], name, capture=True)
        report["portfolios"][name]["counts"] = json.loads(counts)
        say(f"counting queries per page on {name}")
        measured = json.loads(run_python(["-m", "bench.pages"], name, capture=True))
        report["queries"][name] = {row["name"]: row for row in measured}
    pages = list(report["queries"][load_db].values())
    server = Gunicorn(load_db)
    try:
        say(f"gunicorn on port {server.port} against {load_db}; loading {len(pages)} pages")
        report["load_average_before"] = os.getloadavg()
        # The baseline again at the end: other work on the machine shows as a drift between them.
        closing = {**pages[0], "name": pages[0]["name"] + " (again, at the end)"}
        report["load"] = load(server.port, [*pages, closing], runs=runs, base_seconds=base_seconds)
        report["load_average_after"] = os.getloadavg()
        if not args.only:
            report["imports"] = imports(load_db)
    finally:
        server.stop()
    if not args.only:
        say("period close of every scorecard against the plain SQL aggregate")
        report["period_close"] = json.loads(
            run_python(["-m", "bench.period_close"], load_db, capture=True)
        )
        try:
            report["reminders"] = reminders(load_db)
        except subprocess.CalledProcessError as exc:  # keep the rest of the report
            report["reminders"] = {"outcome": f"failed (exit status {exc.returncode}); see the log"}
    report["seconds"] = round(time.perf_counter() - started)
    RESULTS.mkdir(exist_ok=True)
    stem = report["date"] + ("-quick" if args.quick else "")
    stem += f"-{args.only}" if args.only else ""
    if (RESULTS / f"{stem}.json").exists():  # a second run the same day keeps the first
        stem += "-" + datetime.now(UTC).strftime("%H%M")
    (RESULTS / f"{stem}.json").write_text(json.dumps(report, indent=2) + "\n")
    summary = markdown(report)
    (RESULTS / f"{stem}.md").write_text(summary)
    print(summary)
    say(f"done in {report['seconds']} s; results in bench/results/{stem}.json and .md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
