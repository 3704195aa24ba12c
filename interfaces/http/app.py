"""The Flask app factory."""

from flask import Flask

from infrastructure.bootstrap import Services
from interfaces.http.errors import register_error_handlers
from interfaces.http.formats import FormatSuffix
from interfaces.http.routes import catalog, host_nodes, instances, mac_ranges, networks

API_PREFIX = "/api/12.03"


def create_app(services: Services) -> Flask:
    app = Flask("vdc_ledger")
    app.extensions["vdc_ledger"] = services
    for module in (instances, networks, mac_ranges, host_nodes, catalog):
        app.register_blueprint(module.bp, url_prefix=API_PREFIX)
    register_error_handlers(app)
    app.wsgi_app = FormatSuffix(app.wsgi_app)
    return app
