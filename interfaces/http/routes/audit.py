"""Auditors' questions, answered by replaying the events (see ``application.audit``)."""

from flask import Blueprint, request

from application.audit import Audit, parse_time
from interfaces.http.formats import render
from interfaces.http.routes import services
from interfaces.http.schemas import AuditQuerySchema, AuditSchema, load

bp = Blueprint("audit", __name__)


def _answer(ask):
    at = parse_time(load(AuditQuerySchema(), request.args.to_dict())["at"])
    return render(AuditSchema().dump(ask(Audit(services().ledger), at)))


@bp.get("/audit/ip_addresses/<network_id>/<address>")
def ip_address(network_id: str, address: str):
    return _answer(lambda audit, at: audit.ip_address(network_id, address, at))


@bp.get("/audit/mac_addresses/<mac_addr>")
def mac_address(mac_addr: str):
    return _answer(lambda audit, at: audit.mac_address(mac_addr, at))


@bp.get("/audit/host_nodes/<host_node_id>")
def host_node(host_node_id: str):
    return _answer(lambda audit, at: audit.host_node(host_node_id, at))


@bp.get("/audit/instances/<instance_id>")
def instance(instance_id: str):
    return _answer(lambda audit, at: audit.instance(instance_id, at))


@bp.get("/audit/requests/<request_id>")
def request_history(request_id: str):
    return _answer(lambda audit, at: audit.request(request_id))
