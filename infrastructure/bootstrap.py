"""Builds the application from settings: the composition root shared by the HTTP
server, the CLI and the tests."""

from dataclasses import dataclass

from application.ledger import Ledger
from application.queries import Queries
from infrastructure.config import Settings
from infrastructure.projections.read_models import SqliteViews


@dataclass
class Services:
    ledger: Ledger
    views: SqliteViews
    queries: Queries

    def close(self) -> None:
        self.views.close()
        self.ledger.close()


def event_store_env(settings: Settings, create_tables: bool = True) -> dict[str, str]:
    """The eventsourcing library reads its persistence settings from an env mapping."""
    if settings.store == "postgres":
        pg = settings.postgres
        store = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_HOST": pg["host"],
            "POSTGRES_PORT": str(pg["port"]),
            "POSTGRES_DBNAME": pg["dbname"],
            "POSTGRES_USER": pg["user"],
            "POSTGRES_PASSWORD": pg["password"],
            "POSTGRES_SCHEMA": pg["schema"],
            "POSTGRES_LOCK_TIMEOUT": str(pg["lock_timeout"]),
            "POSTGRES_POOL_SIZE": str(pg["pool_size"]),
        }
    else:
        store = {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(settings.data_dir / "events.sqlite"),
            "SQLITE_LOCK_TIMEOUT": str(settings.sqlite_lock_timeout),
        }
    return {
        **store,
        # Concurrent CREATE TABLE IF NOT EXISTS can still fail on PostgreSQL ("tuple
        # concurrently updated"): server workers leave it to the process that forked them.
        "CREATE_TABLE": "y" if create_tables else "n",
        "AGGREGATE_CACHE_MAXSIZE": str(settings.aggregate_cache_size),
        # Fast-forward reads the events other processes appended since the aggregate was
        # cached, so the cache stays correct with several writers.
        "AGGREGATE_CACHE_FASTFORWARD": "y",
        # No copy per command: a command's cost must not grow with the aggregate's state.
        # The Workspace evicts whatever a failed command touched.
        "DEEPCOPY_FROM_AGGREGATE_CACHE": "n",
    }


def build_services(settings: Settings, create_tables: bool = True) -> Services:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    env = event_store_env(settings, create_tables)
    ledger = Ledger(env, schedulers=settings.schedulers, rules=settings.rules)
    views = SqliteViews(ledger, settings.data_dir / "views")
    return Services(ledger=ledger, views=views, queries=Queries(views))
