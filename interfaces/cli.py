"""``vdc-ledger``: serve the API, rebuild projections, print reports, audit, verify.

Every command takes ``--data-dir`` and ``--config`` as ``serve`` does, and works while a
server runs on the same data dir.
"""

import argparse
import json
import sys
import time
from pathlib import Path

from eventsourcing.persistence import PersistenceError
from tqdm import tqdm

from application.audit import Audit, parse_time
from application.demo import load_demo_topology
from application.verify import Verifier
from domain.errors import DomainError
from infrastructure.bootstrap import Services, build_services
from infrastructure.config import ConfigError, load_settings
from interfaces.cli_output import print_audit, print_rows


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(
            args.config,
            data_dir=args.data_dir,
            kind=args.store,
            port=getattr(args, "port", None),
            workers=getattr(args, "workers", None),
        )
    except ConfigError as error:
        print(f"vdc-ledger: configuration: {error}", file=sys.stderr)
        return 2
    if args.command == "serve":
        return _serve(settings, args)
    services = build_services(settings)
    try:
        return args.run(services, args)
    except DomainError as error:
        print(f"vdc-ledger: {error.name}: {error.message}", file=sys.stderr)
        return 1
    finally:
        services.close()


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, help="where the event store lives (default ./var)")
    common.add_argument("--config", type=Path, help="TOML settings file (see README)")
    common.add_argument("--store", choices=["sqlite", "postgres"], help="event store (default: the config's)")

    parser = argparse.ArgumentParser(prog="vdc-ledger", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", parents=[common], help="serve the 12.03 API")
    serve.add_argument("--port", type=int, help="port to listen on (default 9001)")
    serve.add_argument("--workers", type=int, help="worker processes (default 1)")
    serve.add_argument("--host", default="0.0.0.0", help="address to bind (default all)")
    serve.add_argument("--no-demo", action="store_true", help="do not load the demo topology")

    projections = commands.add_parser("projections", help="manage the views built from the log")
    projections.add_subparsers(dest="action", required=True).add_parser(
        "rebuild", parents=[common], help="rebuild every view from the first event"
    ).set_defaults(run=_rebuild)

    report = commands.add_parser("report", parents=[common], help="utilization and capacity reports")
    report.add_argument("subject", choices=["networks", "hosts", "macs"])
    formats = report.add_mutually_exclusive_group()
    formats.add_argument("--json", dest="format", action="store_const", const="json")
    formats.add_argument("--csv", dest="format", action="store_const", const="csv")
    report.set_defaults(run=_report, format="table")

    audit = commands.add_parser("audit", help="replay the history of an address, host, instance or request")
    subjects = audit.add_subparsers(dest="subject", required=True)
    for name, arguments in (
        ("ip", ("network_id", "address")), ("mac", ("mac_addr",)), ("host", ("host_node_id",)),
        ("instance", ("instance_id",)), ("request", ("request_id",)),
    ):  # fmt: skip
        subject = subjects.add_parser(name, parents=[common])
        for argument in arguments:
            subject.add_argument(argument)
        if name != "request":
            subject.add_argument("--at", help="ISO-8601 time: the holder then, and the history up to it")
        subject.add_argument("--json", action="store_true")
        subject.set_defaults(run=_audit)

    verify = commands.add_parser("verify", parents=[common], help="replay the log and check every invariant")
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(run=_verify)
    return parser


def _serve(settings, args) -> int:
    from interfaces.server import serve

    services = _create_store(settings)
    try:  # before any worker starts
        if not args.no_demo and services.ledger.is_empty():
            load_demo_topology(services.ledger)
            print(f"vdc-ledger: loaded the demo topology into {settings.data_dir}", file=sys.stderr)
    finally:
        services.close()
    serve(settings, host=args.host)
    return 0


def _create_store(settings) -> Services:
    """Creates the store's tables before any worker starts. Servers starting at once on
    other hosts may race for the same DDL on PostgreSQL; the loser tries again."""
    for attempt in range(5):
        try:
            return build_services(settings)
        except PersistenceError as error:
            print(f"vdc-ledger: creating the store's tables: {error}; trying again", file=sys.stderr)
            time.sleep(0.5 * (attempt + 1))
    return build_services(settings)


def _rebuild(services: Services, args) -> int:
    with _progress(services, "rebuilding views") as bar:
        services.views.rebuild(progress=bar.update)
    print(f"rebuilt {len(services.views.by_name)} views from {services.views.follower.head()} events")
    return 0


def _report(services: Services, args) -> int:
    queries = services.queries
    rows = {"networks": queries.network_report, "hosts": queries.host_report, "macs": queries.mac_report}
    print_rows(rows[args.subject](), args.format)
    return 0


def _audit(services: Services, args) -> int:
    audit, at = Audit(services.ledger), parse_time(getattr(args, "at", None))
    answers = {
        "ip": lambda: audit.ip_address(args.network_id, args.address, at),
        "mac": lambda: audit.mac_address(args.mac_addr, at),
        "host": lambda: audit.host_node(args.host_node_id, at),
        "instance": lambda: audit.instance(args.instance_id, at),
        "request": lambda: audit.request(args.request_id),
    }
    print_audit(answers[args.subject](), args.json)
    return 0


def _verify(services: Services, args) -> int:
    try:  # compare at the end of the log where the views can get there
        services.views.follower.catch_up_all()
    except Exception as error:  # a broken event can stop a view; the replay will name it
        print(f"vdc-ledger: a view could not catch up: {error}", file=sys.stderr)
    with _progress(services, "verifying") as bar:
        report = Verifier(services.ledger, services.views).run(progress=bar.update)
    if args.json:
        print(json.dumps({
            "ok": report.ok, "events": report.events, "checked": report.checked,
            "violations": [vars(v) for v in report.violations],
        }, indent=2))  # fmt: skip
    else:
        for violation in report.violations:
            print(f"VIOLATION {violation}")
        verdict = "OK" if report.ok else f"{len(report.violations)} violation(s)"
        print(f"{verdict}: replayed {report.events} events; checked {', '.join(report.checked)}")
    return 0 if report.ok else 1


def _progress(services: Services, what: str) -> tqdm:
    """A progress bar on a terminal for logs long enough to wait for; silent otherwise."""
    total = services.views.follower.head()
    return tqdm(total=total, desc=what, unit="event", disable=total < 50_000 or not sys.stderr.isatty())


if __name__ == "__main__":
    sys.exit(main())
