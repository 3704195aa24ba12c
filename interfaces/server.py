"""Serving the app with gunicorn, embedded so that ``vdc-ledger serve`` is one command."""

from gunicorn.app.base import BaseApplication

from infrastructure.bootstrap import build_services
from infrastructure.config import Settings
from interfaces.http.app import create_app


class _Gunicorn(BaseApplication):
    def __init__(self, settings: Settings, options: dict):
        self._settings = settings
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self):
        # Runs in each worker after the fork: SQLite connections must not cross a fork.
        services = build_services(self._settings, create_tables=False)  # serve created them
        settings = self._settings
        services.views.start_following(
            push=settings.store == "postgres", interval=settings.view_poll_interval
        )
        return create_app(services)


def serve(settings: Settings, host: str = "0.0.0.0") -> None:
    _Gunicorn(
        settings,
        {
            "bind": f"{host}:{settings.port}",
            "workers": settings.workers,
            "worker_class": "gthread",
            "threads": settings.threads,
            # Keep headers spelled with underscores: Wakame's CLI sends X_VDC_ACCOUNT_UUID.
            # They then share an environ key with X-VDC-Account-UUID, which is what we want.
            "header_map": "dangerous",
            "accesslog": "-",
            "timeout": 60,
            # gunicorn's runtime control socket lives at one path per user; two servers
            # (tests, or several data dirs) would fight over it, and nothing here uses it.
            "control_socket_disable": True,
        },
    ).run()
