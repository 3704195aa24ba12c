"""Benchmark: verify and projection rebuild over a 200,000-event history, and the lag of
the views behind a steady stream of creates to the real server.

Each rate is printed with its ratio to a yardstick measured in the same run on the same
disk: reading and JSON-decoding the whole log, the least any replay must do.
"""

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

from application.verify import Verifier
from scripts.bench.history import ACCOUNT, generate, open_store, register_topology
from tests.e2e.conftest import Server


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def read_and_decode(services) -> int:
    count, start = 0, 1
    while batch := services.ledger.recorder.select_notifications(start=start, limit=5000):
        for notification in batch:
            json.loads(notification.state)
        count += len(batch)
        start = batch[-1].id + 1
    return count


def measure_replays(data_dir: Path, events: int) -> dict:
    services = open_store(data_dir)
    register_topology(services)
    generating = time.perf_counter()
    head = generate(services, events)
    print(f"generated {head} events in {time.perf_counter() - generating:.1f}s")

    yardstick = head / timed(lambda: read_and_decode(services))
    rebuild = head / timed(services.views.rebuild)
    reports = {}
    verify_time = timed(lambda: reports.setdefault("verify", Verifier(services.ledger, services.views).run()))
    assert reports["verify"].ok, reports["verify"].violations[:3]
    services.close()
    return {"events": head, "yardstick": yardstick, "rebuild": rebuild, "verify": head / verify_time}


def measure_lag(data_dir: Path, creates: int, rate: float) -> dict[str, list[float]]:
    """POSTs at a steady ``rate``; after each answer, watches two views' own files (not
    through the API, whose reads catch up by themselves) until the new rows are there."""
    server = Server(data_dir, "--no-demo").start()
    try:
        services = open_store(data_dir)
        register_topology(services)
        services.close()
        views = {
            name: sqlite3.connect(f"file:{data_dir / 'views' / name}.sqlite?mode=ro", uri=True)
            for name in ("instances", "ip_leases")
        }
        lags: dict[str, list[float]] = {name: [] for name in views}
        body = {"image_id": "wmi-bench", "memory_size": "128",
                "vifs": json.dumps({"eth0": {"network_id": "nw-big"}})}  # fmt: skip
        for _ in range(creates):
            due = time.perf_counter() + 1 / rate
            response = requests.post(f"{server.base}/instances", data=body,
                                     headers={"X-VDC-Account-UUID": ACCOUNT}, timeout=30)  # fmt: skip
            answered, created = time.perf_counter(), response.json()
            wanted = {
                "instances": ("SELECT 1 FROM instances WHERE instance_id = ?", [created["id"]]),
                "ip_leases": ("SELECT 1 FROM ip_leases WHERE vif_id = ?", [created["vif"][0]["vif_id"]]),
            }
            for name, (sql, params) in wanted.items():
                while not views[name].execute(sql, params).fetchone():
                    time.sleep(0.0002)
                lags[name].append(time.perf_counter() - answered)
            time.sleep(max(0.0, due - time.perf_counter()))
        return lags
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--creates", type=int, default=300, help="creates for the lag measurement")
    parser.add_argument("--rate", type=float, default=20.0, help="creates per second for the lag measurement")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as root:
        replays = measure_replays(Path(root) / "replay", args.events)
        lags = measure_lag(Path(root) / "lag", args.creates, args.rate)

    base = replays["yardstick"]
    print(f"\nhistory: {replays['events']} events")
    print(f"{'read + decode the log (yardstick)':<36}{base:>12,.0f} events/s   1.00")
    for name in ("rebuild", "verify"):
        label = "projections rebuild (6 views)" if name == "rebuild" else "verify (replay + checks + compare)"
        print(f"{label:<36}{replays[name]:>12,.0f} events/s   {replays[name] / base:.2f}")
    for name, lag in lags.items():
        ms = sorted(seconds * 1000 for seconds in lag)
        print(f"lag of view {name:<10} at {args.rate:g} creates/s: p50 {statistics.median(ms):6.1f} ms, "
              f"p99 {ms[int(len(ms) * 0.99) - 1]:6.1f} ms, max {ms[-1]:6.1f} ms")  # fmt: skip
    print("(views follow the log on a 50 ms background poll; a GET catches its view up first)")


if __name__ == "__main__":
    sys.exit(main())
