from flask import Blueprint, request

from application.commands import CreateInstance, VifRequest
from application.queries import instance_row
from interfaces.http.account import account_id
from interfaces.http.formats import render, request_fields
from interfaces.http.routes import services
from interfaces.http.schemas import (
    CreateInstanceSchema,
    InstanceListQuerySchema,
    InstanceListSchema,
    InstanceSchema,
    load,
)

bp = Blueprint("instances", __name__)


@bp.post("/instances")
def create():
    account = account_id()
    fields = load(CreateInstanceSchema(), request_fields(CreateInstanceSchema.accepted_names()))
    vifs = tuple(VifRequest(name=name, **vif) for name, vif in fields.pop("vifs").items())
    instance = services().ledger.create_instance(
        CreateInstance(account_id=account, vifs=vifs, **fields), request.headers.get("Idempotency-Key")
    )
    return render(InstanceSchema().dump(instance_row(instance)))


@bp.get("/instances")
def index():
    query = load(InstanceListQuerySchema(), request.args.to_dict())
    page = services().queries.instances(account_id(), **query)
    return render([InstanceListSchema().dump(page)])


@bp.get("/instances/<instance_id>")
def show(instance_id: str):
    return render(InstanceSchema().dump(services().queries.instance(account_id(), instance_id)))


@bp.delete("/instances/<instance_id>")
def terminate(instance_id: str):
    instance = services().ledger.terminate_instance(account_id(), instance_id)
    return render([instance.instance_id])
