"""Images (shared) and ssh key pairs (owned by an account)."""

from flask import Blueprint

from application.commands import RegisterImage, RegisterSshKeyPair
from interfaces.http.account import account_id
from interfaces.http.formats import render, request_fields
from interfaces.http.routes import services
from interfaces.http.schemas import (
    ImageCreateSchema,
    ImageSchema,
    SshKeyPairCreateSchema,
    SshKeyPairSchema,
    load,
)

bp = Blueprint("catalog", __name__)


@bp.post("/images")
def create_image():
    fields = load(ImageCreateSchema(), request_fields(ImageCreateSchema.accepted_names()))
    image = services().ledger.register_image(RegisterImage(image_id=fields.pop("id"), **fields))
    return render(ImageSchema().dump(services().queries.image(image.image_id)))


@bp.get("/images")
def images():
    return render(ImageSchema(many=True).dump(services().queries.images()))


@bp.get("/images/<image_id>")
def image(image_id: str):
    return render(ImageSchema().dump(services().queries.image(image_id)))


@bp.post("/ssh_key_pairs")
def create_ssh_key_pair():
    account = account_id()
    fields = load(SshKeyPairCreateSchema(), request_fields(SshKeyPairCreateSchema.accepted_names()))
    key = services().ledger.register_ssh_key_pair(
        RegisterSshKeyPair(account_id=account, ssh_key_id=fields.pop("id"), **fields)
    )
    return render(SshKeyPairSchema().dump(services().queries.ssh_key_pair(account, key.ssh_key_id)))


@bp.get("/ssh_key_pairs")
def ssh_key_pairs():
    return render(SshKeyPairSchema(many=True).dump(services().queries.ssh_key_pairs(account_id())))


@bp.get("/ssh_key_pairs/<ssh_key_id>")
def ssh_key_pair(ssh_key_id: str):
    return render(SshKeyPairSchema().dump(services().queries.ssh_key_pair(account_id(), ssh_key_id)))
