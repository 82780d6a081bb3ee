"""Every benchmark of the project, on SQLite and (with --postgres-url) PostgreSQL,
summed up in one table.

    python -m bench [--postgres-url postgresql://kefu:kefu@127.0.0.1/postgres] [--quick]

Each benchmark runs as its own process on a fresh database (for PostgreSQL, a new
database created on the server and dropped afterwards); its full output is
printed first, then one table of the headline figures. `--quick` runs smaller
sizes (a smoke test of the benchmarks themselves, not figures to quote).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@contextmanager
def fresh_database(server: str | None, folder: str) -> Iterator[str]:
    """A new, empty database: a SQLite file, or a PostgreSQL database on `server`."""
    if server is None:
        yield f"sqlite:///{folder}/bench-{uuid.uuid4().hex[:8]}.db"
        return
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"kefu_bench_{uuid.uuid4().hex[:12]}"
    admin = make_url(server).set(drivername="postgresql")
    dsn = admin.render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(module: str, args: list[str]) -> str:
    """Run one benchmark; its output (printed as it is, and returned)."""
    print(f"\n$ python -m {module} {' '.join(args)}", flush=True)
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    print(done.stdout, end="")
    if done.returncode:
        print(done.stderr[-2000:], file=sys.stderr)
        return ""
    return done.stdout


def find(pattern: str, text: str) -> str:
    found = re.search(pattern, text, re.MULTILINE)
    return found.group(1) if found else "failed"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres-url", help="a PostgreSQL server's maintenance database")
    parser.add_argument("--quick", action="store_true", help="small sizes, a smoke test")
    options = parser.parse_args()
    engines = [("SQLite", None)]
    if options.postgres_url:
        engines.append(("PostgreSQL", options.postgres_url))
    quick = options.quick
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        for engine, server in engines:
            with fresh_database(server, folder) as url:
                size = ["--agents", "30", "--rounds", "1"] if quick else []
                out = run("bench.shift_start", [*size, "--database-url", url])
                rate = find(r"^kefu /clockin .* (\d+\.\d+)\s+\S+$", out)
                p99 = find(r"^kefu /clockin\s+\S+\s+\S+\s+(\S+)", out)
                ratio = find(r"kefu / echo: (\d+\.\d+)", out)
                rows.append(
                    (
                        "shift-start burst (/clockin)",
                        engine,
                        f"{rate} replies/s, p99 {p99} s",
                        f"{ratio} of the echo bot (target 0.8)",
                    )
                )
            with fresh_database(server, folder) as url:
                size = ["--agents", "200"] if quick else []
                out = run("bench.import_speed", [*size, "--database-url", url])
                csv_s = find(r"^kefu import, CSV\s+(\S+)", out)
                xlsx_s = find(r"^kefu import, XLSX\s+(\S+)", out)
                times = find(r"^kefu import, CSV(?:\s+\S+){2}\s+(\S+)", out)
                rows.append(
                    (
                        "metrics import",
                        engine,
                        f"CSV {csv_s} s, XLSX {xlsx_s} s",
                        f"{times}× csv.reader (target 10×)",
                    )
                )
            with fresh_database(server, folder) as url:
                size = ["--sizes", "0.2", "0.4"] if quick else []
                out = run("bench.import_latency", [*size, "--database-url", url])
                p99 = find(r"p99 (\d+\.\d+) s", out)
                growth = find(r"time grows (\d+\.\d+)×", out)
                rows.append(
                    (
                        "replies during a 5 MB /import",
                        engine,
                        f"p99 {p99} s; import time grows {growth}× the size",
                        "p99 under 0.5 s; linear (1.0)",
                    )
                )
            with fresh_database(server, folder) as url:
                size = ["--agents", "100", "200"] if quick else []
                out = run("bench.month_close", [*size, "--database-url", url])
                sizes = [line.split() for line in out.splitlines() if line[:7].strip().isdigit()]
                last = sizes[-1] if sizes else ["failed"] * 7
                per = " / ".join(f"{row[3]}" for row in sizes)
                rows.append(
                    (
                        f"month close ({last[0]} agents)",
                        engine,
                        f"lock {last[2]} s, peak {last[4]} MiB traced, {last[5]} MiB RSS",
                        f"{per} s per 1 000 (target at 5 000: 2.5 s, 100 MiB)",
                    )
                )
            with fresh_database(server, folder) as url:
                size = ["--agents", "200", "--runs", "1"] if quick else []
                out = run("bench.streaks", [*size, "--database-url", url])
                rows.append(
                    (
                        "month close with streaks, star, promotions",
                        engine,
                        find(r"^ratio with/without: (time [\d.]+, peak memory [\d.]+)", out),
                        "at most 1.20 (+20%)",
                    )
                )
            for latency in ("0", "150"):
                with fresh_database(server, folder) as url:
                    size = ["--agents", "60"] if quick else []
                    args = [*size, "--latency-ms", latency, "--database-url", url]
                    out = run("bench.broadcast", args)
                    speed = find(r"(\d+\.\d+) messages/s", out)
                    share = find(r"= (\d+%) of 30/s", out)
                    throttled = find(r"429s from the server: (\d+)", out)
                    rows.append(
                        (
                            f"payslip broadcast, Bot API {latency} ms",
                            engine,
                            f"{speed} messages/s",
                            f"{share} of 30/s (target 90%), {throttled} 429s",
                        )
                    )
            with fresh_database(server, folder) as url:
                size = ["--agents", "30", "--rounds", "1"] if quick else ["--rounds", "1"]
                args = [*size, "--rate-limit", "30", "--latency-ms", "150", "--database-url", url]
                out = run("bench.shift_start", args)
                last = find(r"time to the last reply: kefu (\S+) s", out)
                ratio = find(r"kefu at (\S+)x the floor", out)
                rows.append(
                    (
                        "shift-start burst, KEFU_RATE_LIMIT 30, Bot API 150 ms",
                        engine,
                        f"last reply after {last} s",
                        f"{ratio}x Telegram's floor (agents / 30 s; target 1.15)",
                    )
                )
            with fresh_database(server, folder) as url:
                size = ["--agents", "200"] if quick else []
                out = run("bench.roster", [*size, "--database-url", url])
                agents = find(r"^roster of \S+ for (\d+) agents", out)
                drafting = find(r"^draft: (\S+) s", out)
                publishing = find(r"^publish: (\S+) s", out)
                rows.append(
                    (
                        f"a month's roster, {agents} agents",
                        engine,
                        f"draft {drafting} s, publish {publishing} s (with every agent's DM)",
                        "draft within 2 s",
                    )
                )
            with fresh_database(server, folder) as url:
                size = ["--fines", "20", "--seconds", "10"] if quick else []
                out = run("bench.fines", [*size, "--latency-ms", "150", "--database-url", url])
                received = find(r"the group received (\d+) messages", out)
                shown = find(r"entries shown: (\S+)", out)
                throttled = find(r"429s from the server: (\d+)", out)
                rows.append(
                    (
                        "60 fines in a minute, announced, Bot API 150 ms",
                        engine,
                        f"the group received {received} messages, entries shown {shown}",
                        f"{throttled} 429s (target 0; Telegram allows 20 a minute)",
                    )
                )
            with fresh_database(server, folder) as url:
                size = ["--agents", "200", "--runs", "3"] if quick else []
                out = run("bench.team", [*size, "--database-url", url])
                rows.append(
                    (
                        "/team at a shift's start, month's roster",
                        engine,
                        find(r"^/team bot time: (p50 \S+ ms, p99 \S+ ms)", out),
                        "p99 at most 200 ms of bot time",
                    )
                )
            with fresh_database(server, folder) as url:
                size = ["--agents", "30", "--runs", "1"] if quick else []
                out = run("bench.casework", [*size, "--database-url", url])
                share = find(r"morning: .* = (\d+%) of 30/s", out)
                paced = find(r"from the first DM to the last: .* = (\d+%) of 30/s", out)
                speed = find(r"morning: (\S+) messages/s", out)
                throttled = find(r"429s from the server: (\d+)", out)
                ratio = find(r"^ratio with/without: (\S+)", out)
                rows.append(
                    (
                        "follow-up morning DMs, 200 agents × 20 due, Bot API 150 ms",
                        engine,
                        f"{speed} messages/s ({paced} of 30/s from the first DM to the last)",
                        f"{share} of 30/s (target 90%), {throttled} 429s",
                    )
                )
                rows.append(
                    (
                        "month close with casework (200 agents × 40 follow-ups, 5 cases)",
                        engine,
                        f"ratio with/without {ratio}",
                        "at most 1.20 (+20%)",
                    )
                )
            with fresh_database(server, folder) as url:
                size = ["--agents", "100", "--runs", "5"] if quick else []
                out = run("bench.webapp", [*size, "--database-url", url])
                for agents, endpoint, p50, p99 in re.findall(
                    r"^\s*(\d+)\s+(board|ledger)\s+(\S+)\s+(\S+)$", out, re.MULTILINE
                ):
                    rows.append(
                        (
                            f"Mini App {endpoint}, {agents} agents (server time)",
                            engine,
                            f"p50 {p50} ms, p99 {p99} ms",
                            "p99 at most 150 ms at 500 agents",
                        )
                    )
    print("\n| benchmark | database | figures | against the target |")
    print("|---|---|---|---|")
    for name, engine, figures, target in rows:
        print(f"| {name} | {engine} | {figures} | {target} |")


if __name__ == "__main__":
    main()
