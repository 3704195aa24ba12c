"""The Flask app factory."""

from flask import Flask

from infrastructure.bootstrap import Services
from interfaces.http.errors import register_error_handlers
from interfaces.http.formats import FormatSuffix
from interfaces.http.request_ids import install_request_ids
from interfaces.http.routes import audit, catalog, host_nodes, instances, mac_ranges, networks, reports

API_PREFIX = "/api/12.03"


def create_app(services: Services) -> Flask:
    app = Flask("vdc_ledger")
    app.extensions["vdc_ledger"] = services
    for module in (instances, networks, mac_ranges, host_nodes, catalog, reports, audit):
        app.register_blueprint(module.bp, url_prefix=API_PREFIX)
    install_request_ids(app)
    register_error_handlers(app)
    app.wsgi_app = FormatSuffix(app.wsgi_app)
    return app
