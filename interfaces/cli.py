"""``vdc-ledger``: the command line."""

import argparse
import sys
from pathlib import Path

from application.demo import load_demo_topology
from infrastructure.bootstrap import build_services
from infrastructure.config import ConfigError, load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="vdc-ledger", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the 12.03 API")
    serve.add_argument("--port", type=int, help="port to listen on (default 9001)")
    serve.add_argument("--host", default="0.0.0.0", help="address to bind (default all)")
    serve.add_argument("--data-dir", type=Path, help="where the event store lives (default ./var)")
    serve.add_argument("--config", type=Path, help="TOML settings file (see README)")
    serve.add_argument("--no-demo", action="store_true", help="do not load the demo topology")

    args = parser.parse_args(argv)
    try:
        settings = load_settings(args.config, port=args.port, data_dir=args.data_dir)
    except ConfigError as error:
        print(f"vdc-ledger: configuration: {error}", file=sys.stderr)
        return 2

    if args.command == "serve":
        from interfaces.server import serve as run_server

        _prepare_store(settings, demo=not args.no_demo)
        run_server(settings, host=args.host)
    return 0


def _prepare_store(settings, demo: bool) -> None:
    """Loads the demo topology into an empty store, before any worker starts."""
    services = build_services(settings)
    try:
        if demo and services.ledger.is_empty():
            load_demo_topology(services.ledger)
            print(f"vdc-ledger: loaded the demo topology into {settings.data_dir}", file=sys.stderr)
    finally:
        services.close()


if __name__ == "__main__":
    sys.exit(main())
