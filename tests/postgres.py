"""Fresh PostgreSQL databases for tests, on the server this machine runs.

Outside CI a missing server skips the PostgreSQL tests; in CI (``CI=true``) it fails them,
since ``.ci/run`` starts the server.
"""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

HOST = os.environ.get("VDC_TEST_POSTGRES_HOST", "127.0.0.1")
USER = os.environ.get("VDC_TEST_POSTGRES_USER", "postgres")
ADMIN_DB = os.environ.get("VDC_TEST_POSTGRES_DB", "postgres")


def _admin() -> psycopg.Connection:
    return psycopg.connect(host=HOST, user=USER, dbname=ADMIN_DB, autocommit=True, connect_timeout=3)


@contextmanager
def fresh_database(config_dir: Path) -> Iterator[Path]:
    """A new, empty database, and a vdc-ledger config file that stores events in it."""
    try:
        admin = _admin()
    except psycopg.OperationalError as error:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL must be reachable in CI: {error}")
        pytest.skip(f"no PostgreSQL server reachable: {error}")
    name = f"vdc_test_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    config = config_dir / f"{name}.toml"
    config.write_text(
        f'[store]\nkind = "postgres"\n\n[postgres]\nhost = "{HOST}"\nuser = "{USER}"\ndbname = "{name}"\n'
    )
    try:
        yield config
    finally:
        with _admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
