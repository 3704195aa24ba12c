"""Benchmark the real HTTP server: creates/s and latency with k concurrent clients at two
fill levels of a /16, and a cold process's first command on a network with 100,000 past
events; on SQLite and on PostgreSQL.

The yardstick, measured in the same run on the same disk: raw durable SQLite commits
(WAL, synchronous=FULL, one small insert per committed transaction). Every figure of
ours is printed beside its ratio to it.
"""

import argparse
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

import requests

from application.commands import CreateInstance, RegisterHostNode, RegisterNetwork, VifRequest
from application.instances import create_instance, terminate_instance
from infrastructure.bootstrap import build_services
from infrastructure.config import load_settings
from scripts.bench.history import ACCOUNT, register_topology
from tests.e2e.conftest import Server
from tests.postgres import fresh_database


def durable_sqlite_commits(directory: Path, seconds: float = 3.0) -> float:
    connection = sqlite3.connect(directory / "yardstick.sqlite", isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT)")
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        connection.execute("BEGIN")
        connection.execute(
            "INSERT INTO t (payload) VALUES ('a small row of about fifty bytes, like an event')"
        )
        connection.execute("COMMIT")
        count += 1
    return count / (time.perf_counter() - started)


def open_store(data_dir: Path, config: Path | None):
    return build_services(load_settings(config, data_dir=data_dir))


def prepare(data_dir: Path, config: Path | None) -> None:
    services = open_store(data_dir, config)
    register_topology(services)
    ledger = services.ledger
    ledger.register_network(RegisterNetwork(network_id="nw-fill", ipv4_network="10.100.0.0", prefix=16))
    ledger.register_network(RegisterNetwork(network_id="nw-cold", ipv4_network="10.200.0.0", prefix=16))
    ledger.register_host_node(RegisterHostNode(host_node_id="hn-huge", offering_cpu_cores=10**7,
                                               offering_memory_size=10**9))  # fmt: skip
    services.close()


def fill(data_dir: Path, config: Path | None, network_id: str, assigned: int, churn: int = 0) -> None:
    """``assigned`` live instances on the network, after ``churn`` create/terminate pairs;
    written through the command handler, many commands per transaction."""
    services = open_store(data_dir, config)
    ledger = services.ledger
    command = CreateInstance(
        account_id=ACCOUNT, image_id="wmi-bench", memory_size=128, custom_instance=True,
        host_node_id="hn-huge", vifs=(VifRequest(name="eth0", network_id=network_id),),
    )  # fmt: skip
    for n in range(0, churn, 250):
        ws = ledger._workspace()
        for _ in range(min(250, churn - n)):
            made = create_instance(ws, command, ledger.schedulers, ledger.rules)
            terminate_instance(ws, ACCOUNT, made.instance_id)
        ledger.save(*ws.aggregates)
    held = len(ledger.network(network_id).holders)
    while held < assigned:
        ws = ledger._workspace()
        for _ in range(min(500, assigned - held)):
            create_instance(ws, command, ledger.schedulers, ledger.rules)
            held += 1
        ledger.save(*ws.aggregates)
    services.views.follower.catch_up_all()  # so the server starts with caught-up views
    services.close()


def drive(server: Server, clients: int, seconds: float) -> dict:
    body = {"image_id": "wmi-bench", "memory_size": "128", "custom_instance": "true",
            "host_node_id": "hn-huge", "vifs": json.dumps({"eth0": {"network_id": "nw-fill"}})}  # fmt: skip
    latencies, errors, stop = [], {}, time.perf_counter() + seconds
    lock = threading.Lock()

    def client() -> None:
        session = requests.Session()
        while time.perf_counter() < stop:
            started = time.perf_counter()
            response = session.post(f"{server.base}/instances", data=body, timeout=60,
                                    headers={"X-VDC-Account-UUID": ACCOUNT})  # fmt: skip
            elapsed = time.perf_counter() - started
            with lock:
                if response.status_code == 200:
                    latencies.append(elapsed)
                else:
                    key = f"{response.status_code} {response.json().get('error')}"
                    errors[key] = errors.get(key, 0) + 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    ms = sorted(latency * 1000 for latency in latencies)
    return {"rate": len(ms) / wall, "p50": statistics.median(ms), "p99": ms[int(len(ms) * 0.99) - 1],
            "mean": statistics.fmean(ms), "errors": errors, "count": len(ms)}  # fmt: skip


COLD = """
import sys, time
from pathlib import Path
from application.commands import CreateInstance, VifRequest
from infrastructure.bootstrap import build_services
from infrastructure.config import load_settings
config = Path(sys.argv[2]) if len(sys.argv) > 2 else None
services = build_services(load_settings(config, data_dir=Path(sys.argv[1])))
started = time.perf_counter()
services.ledger.create_instance(CreateInstance(account_id="a-bench", image_id="wmi-bench", memory_size=128,
    custom_instance=True, host_node_id="hn-huge", vifs=(VifRequest(name="eth0", network_id="nw-cold"),)))
print(time.perf_counter() - started)
"""


def first_command_of_a_cold_process(data_dir: Path, config: Path | None) -> float:
    args = [sys.executable, "-c", COLD, str(data_dir), *([str(config)] if config else [])]
    return float(subprocess.run(args, capture_output=True, text=True, check=True).stdout)


def bench_store(name: str, root: Path, config: Path | None, clients: int, seconds: float) -> dict:
    data_dir = root / name
    flags = ("--no-demo", "--workers", "2", *(("--config", str(config)) if config else ()))
    prepare(data_dir, config)
    results = {}
    for level in (100, 60_000):
        fill(data_dir, config, "nw-fill", level)
        server = Server(data_dir, *flags).start()
        try:
            drive(server, clients, 2)  # warm up
            results[level] = drive(server, clients, seconds)
        finally:
            server.stop()
        print(f"  {name}: {level} assigned done", file=sys.stderr)
    fill(data_dir, config, "nw-cold", 0, churn=50_000)  # 100,000 events on nw-cold
    results["cold"] = first_command_of_a_cold_process(data_dir, config)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--stores", default="sqlite,postgres")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory, ExitStack() as stack:
        root = Path(directory)
        yardstick = durable_sqlite_commits(root)
        runs = {}
        for store in args.stores.split(","):
            config = stack.enter_context(fresh_database(root)) if store == "postgres" else None
            runs[store] = bench_store(store, root, config, args.clients, args.seconds)
        yardstick_after = durable_sqlite_commits(root / "sqlite", 3.0)

    again = f"(again after the runs: {yardstick_after:,.0f}/s)"
    print(f"\nyardstick: raw durable SQLite commits {yardstick:,.0f}/s {again}")
    print(
        f"{args.clients} clients, {args.seconds:g} s per level, POST /instances with one scheduled address\n"
    )
    for store, r in runs.items():
        for level in (100, 60_000):
            m = r[level]
            rate = f"{m['rate']:7.0f} creates/s ({m['rate'] / yardstick:.2f} of yardstick)"
            latency = f"p50 {m['p50']:5.1f} ms  p99 {m['p99']:5.1f} ms"
            print(f"{store:<9} {level:>6} assigned: {rate}  {latency}  errors {m['errors'] or 0}")
        ratio = r[60_000]["mean"] / r[100]["mean"]
        print(f"{store:<9} cost per create at 60,000 / at 100 assigned: {ratio:.2f}")
        cold = r["cold"] * 1000
        print(f"{store:<9} cold process, first command on a 100,000-event network: {cold:.0f} ms\n")


if __name__ == "__main__":
    sys.exit(main())
