from flask import Blueprint

from application.commands import RegisterNetwork
from interfaces.http.formats import render, request_fields
from interfaces.http.routes import services
from interfaces.http.schemas import NetworkCreateSchema, NetworkSchema, load

bp = Blueprint("networks", __name__)


@bp.post("/networks")
def create():
    fields = load(NetworkCreateSchema(), request_fields(NetworkCreateSchema.accepted_names()))
    network = services().ledger.register_network(
        RegisterNetwork(
            network_id=fields["id"],
            ipv4_network=fields["network"],
            prefix=fields["prefix"],
            gateway=fields["gw"],
            dns_server=fields["dns_server"],
            dhcp_server=fields["dhcp_server"],
            metadata_server=fields["metadata_server"],
            dhcp_range=fields["dhcp_range"],
            ip_assignment=fields["ip_assignment"],
            display_name=fields["display_name"],
        )
    )
    return render(NetworkSchema().dump(services().queries.network(network.network_id)))


@bp.get("/networks")
def index():
    return render(NetworkSchema(many=True).dump(services().queries.networks()))


@bp.get("/networks/<network_id>")
def show(network_id: str):
    return render(NetworkSchema().dump(services().queries.network(network_id)))
