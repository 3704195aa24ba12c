from flask import Blueprint

from application.commands import AddMacRange
from interfaces.http.formats import render, request_fields
from interfaces.http.routes import services
from interfaces.http.schemas import MacRangeCreateSchema, MacRangeSchema, load

bp = Blueprint("mac_ranges", __name__)


@bp.post("/mac_ranges")
def create():
    fields = load(MacRangeCreateSchema(), request_fields(MacRangeCreateSchema.accepted_names()))
    mac_range = services().ledger.add_mac_range(
        AddMacRange(
            range_id=fields["id"],
            vendor_id=fields["vendor_id"],
            range_begin=fields["range_begin"],
            range_end=fields["range_end"],
            display_name=fields["display_name"],
        )
    )
    return render(MacRangeSchema().dump(services().queries.mac_range(mac_range.range_id)))


@bp.get("/mac_ranges")
def index():
    return render(MacRangeSchema(many=True).dump(services().queries.mac_ranges()))


@bp.get("/mac_ranges/<range_id>")
def show(range_id: str):
    return render(MacRangeSchema().dump(services().queries.mac_range(range_id)))
