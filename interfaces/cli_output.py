"""How the CLI prints rows: a readable table, JSON or CSV."""

import csv
import json
import sys
from typing import Any

from tabulate import tabulate


def print_rows(rows: list[dict[str, Any]], fmt: str) -> None:
    if fmt == "json":
        print(json.dumps(rows, indent=2))
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else [])
        writer.writeheader()
        writer.writerows(rows)
    else:
        print(tabulate(rows, headers="keys") if rows else "(none)")


def print_audit(answer: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(answer, indent=2))
        return
    print(" ".join(f"{key}={value}" for key, value in answer["subject"].items()))
    columns = ("at", "event", "instance_id", "vif_id", "account_id", "request_id", "command")
    history = [{c: entry.get(c) for c in columns} | _details(entry, columns) for entry in answer["history"]]
    print(tabulate(history, headers="keys") if history else "(no history)")
    print(f"holder: {json.dumps(answer['holder'])}")


def _details(entry: dict[str, Any], shown: tuple[str, ...]) -> dict[str, Any]:
    rest = {key: value for key, value in entry.items() if key not in shown and value is not None}
    return {"details": " ".join(f"{key}={value}" for key, value in rest.items())}
