"""Request and response shapes of the 12.03 API, as marshmallow schemas.

Shape only: types, required fields, aliases and enumerations. Value rules (address
syntax, segment membership, size limits) live in the domain so that every entry point
shares them. Aliases are declared in ``ALIASES`` (not hidden in code) so an OpenAPI
generator can document them.
"""

import json
from typing import Any, ClassVar

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate

from domain.errors import InvalidParameter


class RequestSchema(Schema):
    """Unknown Wakame parameters are ignored; empty form values count as absent."""

    ALIASES: ClassVar[dict[str, str]] = {}

    class Meta:
        unknown = EXCLUDE

    @pre_load
    def _normalise(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        data = {key: value for key, value in data.items() if value != ""}
        for alias, name in self.ALIASES.items():
            if alias in data:
                value = data.pop(alias)
                data.setdefault(name, value)
        return data

    @classmethod
    def accepted_names(cls) -> set[str]:
        return {*cls._declared_fields, *cls.ALIASES}


def load(schema: RequestSchema, data: dict[str, Any]) -> dict[str, Any]:
    """Loads, turning marshmallow's error tree into ``InvalidParameter`` naming the field."""
    try:
        return schema.load(data)
    except ValidationError as error:
        path, message = _first_error(error.messages)
        raise InvalidParameter(f"{path}: {message}") from None


def _first_error(messages: Any, path: tuple[str, ...] = ()) -> tuple[str, str]:
    if isinstance(messages, dict):
        key, value = next(iter(messages.items()))
        # Dict fields nest errors under "value"/"key"; they are not part of the path.
        step = () if key in ("value", "key") else (str(key),)
        return _first_error(value, path + step)
    if isinstance(messages, list) and messages:
        return _first_error(messages[0], path)
    return ".".join(path) or "body", str(messages).rstrip(".").lower()


# Instances ------------------------------------------------------------------------------


class VifRequestSchema(RequestSchema):
    ALIASES = {"network": "network_id", "nat_network": "nat_network_id"}

    index = fields.Integer(load_default=None)
    network_id = fields.String(required=True)
    ipv4_addr = fields.String(load_default=None)
    nat_network_id = fields.String(load_default=None)
    nat_ipv4_addr = fields.String(load_default=None)
    mac_addr = fields.String(load_default=None)


class VifsField(fields.Dict):
    """Interface name -> fields; a JSON object, or (in form bodies) a JSON string of one."""

    def __init__(self, **kwargs: Any):
        super().__init__(keys=fields.String(), values=fields.Nested(VifRequestSchema), **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                raise ValidationError("is not valid JSON") from None
        if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
            raise ValidationError("must be a JSON object of interface name to an object of fields")
        return super()._deserialize(value, attr, data, **kwargs)


class CreateInstanceSchema(RequestSchema):
    ALIASES = {"cpu-cores": "cpu_cores", "memory-size": "memory_size"}

    image_id = fields.String(required=True)
    cpu_cores = fields.Integer(load_default=1, metadata={"description": "1..128"})
    memory_size = fields.Integer(load_default=1024, metadata={"description": "MB, 128..999999"})
    hypervisor = fields.String(load_default=None)
    ssh_key_id = fields.String(load_default=None)
    user_data = fields.String(load_default="")
    ha_enabled = fields.Boolean(load_default=False)
    display_name = fields.String(load_default="")
    hostname = fields.String(load_default="")
    custom_instance = fields.Boolean(load_default=False)
    host_node_id = fields.String(load_default=None)
    vifs = VifsField(load_default=dict)


class InstanceListQuerySchema(RequestSchema):
    start = fields.Integer(load_default=0, validate=validate.Range(min=0))
    limit = fields.Integer(load_default=250, validate=validate.Range(min=1, max=1000))
    state = fields.String(load_default=None)
    host_node_id = fields.String(load_default=None)
    display_name = fields.String(load_default=None)


class Ipv4Schema(Schema):
    address = fields.String(attribute="ipv4_addr")
    nat_network_id = fields.String(allow_none=True)
    nat_address = fields.String(attribute="nat_ipv4_addr", allow_none=True)


class VifSchema(Schema):
    vif_id = fields.String()
    name = fields.String()
    index = fields.Integer(attribute="idx")
    network_id = fields.String()
    mac_addr = fields.String()
    ipv4 = fields.Function(lambda vif: Ipv4Schema().dump(vif))


class InstanceSchema(Schema):
    id = fields.String(attribute="instance_id")
    account_id = fields.String()
    state = fields.String()
    host_node = fields.String(attribute="host_node_id")
    cpu_cores = fields.Integer()
    memory_size = fields.Integer()
    arch = fields.String()
    hypervisor = fields.String()
    image_id = fields.String()
    ssh_key_pair = fields.String(attribute="ssh_key_id", allow_none=True)
    display_name = fields.String()
    hostname = fields.String()
    user_data = fields.String()
    ha_enabled = fields.Boolean()
    custom_instance = fields.Boolean()
    created_at = fields.String(metadata={"format": "date-time"})
    updated_at = fields.String(metadata={"format": "date-time"})
    terminated_at = fields.String(allow_none=True, metadata={"format": "date-time"})
    vif = fields.List(fields.Nested(VifSchema), attribute="vifs")


class InstanceListSchema(Schema):
    """Wakame's list envelope; the response is a one-element array of it."""

    total = fields.Integer()
    start = fields.Integer()
    limit = fields.Integer()
    results = fields.List(fields.Nested(InstanceSchema))


# Resources an operator registers ------------------------------------------------------------


class NetworkCreateSchema(RequestSchema):
    ALIASES = {"ipv4_network": "network", "ipv4_gw": "gw"}

    id = fields.String(load_default=None)
    network = fields.String(required=True)
    prefix = fields.Integer(load_default=24)
    gw = fields.String(load_default=None)
    dns_server = fields.String(load_default=None)
    dhcp_server = fields.String(load_default=None)
    metadata_server = fields.String(load_default=None)
    dhcp_range = fields.String(load_default="default", metadata={"description": "'default' or A-B[,C-D...]"})
    ip_assignment = fields.String(load_default="asc", validate=validate.OneOf(["asc", "desc"]))
    display_name = fields.String(load_default="")


class NetworkSchema(Schema):
    id = fields.String(attribute="network_id")
    ipv4_network = fields.String()
    prefix = fields.Integer()
    ipv4_gw = fields.String(attribute="gateway", allow_none=True)
    dns_server = fields.String(allow_none=True)
    dhcp_server = fields.String(allow_none=True)
    metadata_server = fields.String(allow_none=True)
    dhcp_range = fields.List(fields.List(fields.String()), attribute="dhcp_ranges")
    ip_assignment = fields.String()
    display_name = fields.String()
    created_at = fields.String(metadata={"format": "date-time"})


class MacRangeCreateSchema(RequestSchema):
    id = fields.String(load_default=None)
    vendor_id = fields.String(load_default="525400")
    range_begin = fields.String(required=True)
    range_end = fields.String(required=True)
    display_name = fields.String(load_default="")


class MacRangeSchema(Schema):
    id = fields.String(attribute="range_id")
    vendor_id = fields.String()
    range_begin = fields.String()
    range_end = fields.String()
    display_name = fields.String()


class HostNodeCreateSchema(RequestSchema):
    id = fields.String(load_default=None)
    node_id = fields.String(load_default=None)
    arch = fields.String(load_default="x86_64")
    hypervisor = fields.String(load_default="kvm")
    offering_cpu_cores = fields.Integer(required=True)
    offering_memory_size = fields.Integer(required=True, metadata={"description": "MB"})


class HostNodeUpdateSchema(RequestSchema):
    status = fields.String(required=True, validate=validate.OneOf(["online", "offline"]))


class HostNodeSchema(Schema):
    id = fields.String(attribute="host_node_id")
    node_id = fields.String()
    arch = fields.String()
    hypervisor = fields.String()
    status = fields.String()
    offering_cpu_cores = fields.Integer()
    offering_memory_size = fields.Integer()
    available_cpu_cores = fields.Integer()
    available_memory_size = fields.Integer()
    instances = fields.Integer(metadata={"description": "instances holding capacity on the host"})
    created_at = fields.String(metadata={"format": "date-time"})


class ImageCreateSchema(RequestSchema):
    id = fields.String(load_default=None)
    arch = fields.String(load_default="x86_64")
    display_name = fields.String(load_default="")


class ImageSchema(Schema):
    id = fields.String(attribute="image_id")
    arch = fields.String()
    display_name = fields.String()
    created_at = fields.String(metadata={"format": "date-time"})


class SshKeyPairCreateSchema(RequestSchema):
    id = fields.String(load_default=None)
    public_key = fields.String(required=True)
    display_name = fields.String(load_default="")


class SshKeyPairSchema(Schema):
    id = fields.String(attribute="ssh_key_id")
    account_id = fields.String()
    public_key = fields.String()
    display_name = fields.String()
    created_at = fields.String(metadata={"format": "date-time"})


class ErrorSchema(Schema):
    error = fields.String(metadata={"description": "the error's name, e.g. DuplicateIPAddress"})
    message = fields.String(metadata={"description": "what was wrong, naming the field and value"})
    code = fields.String(metadata={"description": "Wakame-VDC's numeric error code"})


# Reports -------------------------------------------------------------------------------------


class NetworkReportSchema(Schema):
    network_id = fields.String()
    ipv4_network = fields.String()
    prefix = fields.Integer()
    total = fields.Integer(
        metadata={"description": "addresses it can hand out: usable hosts less service addresses"}
    )
    used = fields.Integer()
    free = fields.Integer()
    utilization = fields.Float(metadata={"description": "used / total, 0..1"})
    used_outside_dhcp = fields.Integer(
        metadata={"description": "used addresses pinned outside the DHCP ranges"}
    )


class HostReportSchema(Schema):
    host_node_id = fields.String()
    status = fields.String()
    offering_cpu_cores = fields.Integer()
    reserved_cpu_cores = fields.Integer()
    available_cpu_cores = fields.Integer()
    offering_memory_size = fields.Integer()
    reserved_memory_size = fields.Integer()
    available_memory_size = fields.Integer()
    instances = fields.Integer()


class MacReportSchema(Schema):
    range_id = fields.String()
    vendor_id = fields.String()
    range_begin = fields.String()
    range_end = fields.String()
    total = fields.Integer()
    used = fields.Integer()
    free = fields.Integer()
    utilization = fields.Float()


# Audit ---------------------------------------------------------------------------------------


class AuditQuerySchema(RequestSchema):
    at = fields.String(
        load_default=None, metadata={"description": "ISO-8601; the holder then, history up to it"}
    )


class AuditEntrySchema(Schema):
    event = fields.String(metadata={"description": "e.g. IPAssigned, IPReleased, CapacityReserved"})
    at = fields.String(metadata={"format": "date-time"})
    instance_id = fields.String(allow_none=True)
    vif_id = fields.String(allow_none=True)
    account_id = fields.String(allow_none=True)
    request_id = fields.String(allow_none=True)
    command = fields.String(allow_none=True)
    network_id = fields.String()
    address = fields.String()
    mac_addr = fields.String()
    cpu_cores = fields.Integer()
    memory_size = fields.Integer()
    status = fields.String()
    host_node_id = fields.String()


class AuditSchema(Schema):
    subject = fields.Dict(keys=fields.String())
    history = fields.List(fields.Nested(AuditEntrySchema))
    holder = fields.Raw(allow_none=True, metadata={"description": "who held the subject at `at` (or now)"})
