from flask import Blueprint

from application.commands import RegisterHostNode
from interfaces.http.formats import render, request_fields
from interfaces.http.routes import services
from interfaces.http.schemas import HostNodeCreateSchema, HostNodeSchema, HostNodeUpdateSchema, load

bp = Blueprint("host_nodes", __name__)


@bp.post("/host_nodes")
def create():
    fields = load(HostNodeCreateSchema(), request_fields(HostNodeCreateSchema.accepted_names()))
    host = services().ledger.register_host_node(
        RegisterHostNode(
            host_node_id=fields.pop("id"),
            **fields,
        )
    )
    return render(HostNodeSchema().dump(services().queries.host_node(host.host_node_id)))


@bp.get("/host_nodes")
def index():
    return render(HostNodeSchema(many=True).dump(services().queries.host_nodes()))


@bp.get("/host_nodes/<host_node_id>")
def show(host_node_id: str):
    return render(HostNodeSchema().dump(services().queries.host_node(host_node_id)))


@bp.put("/host_nodes/<host_node_id>")
def update(host_node_id: str):
    fields = load(HostNodeUpdateSchema(), request_fields(HostNodeUpdateSchema.accepted_names()))
    services().ledger.change_host_node_status(host_node_id, fields["status"])
    return render(HostNodeSchema().dump(services().queries.host_node(host_node_id)))
