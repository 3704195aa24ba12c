"""One blueprint per resource, all under ``/api/12.03``."""

from flask import current_app

from infrastructure.bootstrap import Services


def services() -> Services:
    return current_app.extensions["vdc_ledger"]
