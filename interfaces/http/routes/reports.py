"""Operators' reports, from the views."""

from flask import Blueprint

from interfaces.http.formats import render
from interfaces.http.routes import services
from interfaces.http.schemas import HostReportSchema, MacReportSchema, NetworkReportSchema

bp = Blueprint("reports", __name__)


@bp.get("/reports/networks")
def networks():
    return render(NetworkReportSchema(many=True).dump(services().queries.network_report()))


@bp.get("/reports/host_nodes")
def host_nodes():
    return render(HostReportSchema(many=True).dump(services().queries.host_report()))


@bp.get("/reports/mac_ranges")
def mac_ranges():
    return render(MacReportSchema(many=True).dump(services().queries.mac_report()))
