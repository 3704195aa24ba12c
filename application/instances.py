"""The custom-instance command and its inverse, terminate.

Both work on a Workspace: every aggregate they touch is saved together by the caller
(``Ledger``), so a request that fails half-way allocates nothing.
"""

import hashlib
import json
import re
from dataclasses import asdict, dataclass

from application.commands import CreateInstance, VifRequest
from application.schedulers import Schedulers
from application.workspace import Workspace
from domain.addresses import format_ipv4, format_mac, parse_ipv4, parse_mac
from domain.capacity import instance_size
from domain.catalog import Image, image_aggregate_id, ssh_key_pair_aggregate_id
from domain.errors import InvalidParameter, UnknownImage, UnknownInstance, UnknownSshKeyPair
from domain.idempotency import IdempotencyKey, idempotency_key_aggregate_id
from domain.identifiers import generate_id
from domain.instance import Instance, Vif, instance_aggregate_id
from domain.network import Network


@dataclass(frozen=True)
class AllocationRules:
    """Optional strictness for pinned addresses (both off, as in the spec)."""

    manual_ip_must_be_in_dhcp_range: bool = False
    manual_mac_must_be_in_mac_range: bool = False


_IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,255}")

# Fields that only a custom instance may send: they bypass a scheduler.
_CUSTOM_VIF_FIELDS = ("ipv4_addr", "nat_ipv4_addr", "mac_addr")


class _VifDraft:
    """An interface being allocated: pinned fields first, scheduled ones after."""

    def __init__(self, request: VifRequest, instance_id: str):
        self.request = request
        self.vif_id = generate_id("vif")
        self.instance_id = instance_id
        self.mac: int | None = None
        self.ipv4: int | None = None
        self.nat_ipv4: int | None = None

    def field(self, name: str) -> str:
        return f"vifs.{self.request.name}.{name}"


def create_instance(
    ws: Workspace, command: CreateInstance, schedulers: Schedulers, rules: AllocationRules
) -> Instance:
    _check_custom_flag(command)
    image: Image = ws.get(
        image_aggregate_id(command.image_id),
        lambda: UnknownImage(f"image_id: image {command.image_id!r} does not exist"),
    )
    if command.hypervisor and not command.host_node_id:
        offered = {host.hypervisor for host in ws.host_nodes() if host.online}
        if command.hypervisor not in offered:
            raise InvalidParameter(f"hypervisor: no online host node offers {command.hypervisor!r}")
    size = instance_size(command.cpu_cores, command.memory_size)
    if command.ssh_key_id is not None:
        key = ws.find(ssh_key_pair_aggregate_id(command.ssh_key_id))
        if key is None or key.account_id != command.account_id:
            raise UnknownSshKeyPair(f"ssh_key_id: key pair {command.ssh_key_id!r} does not exist")

    instance_id = generate_id("i")
    drafts = [_VifDraft(request, instance_id) for request in _in_index_order(command.vifs)]
    # Pinned addresses first, so that the schedulers steer round them even when a
    # later interface of this same request pinned them.
    for draft in drafts:
        _allocate_pinned(ws, draft, rules)
    for draft in drafts:
        _schedule_rest(ws, draft, schedulers)

    if command.host_node_id:
        host = ws.host_node(command.host_node_id)
    else:
        host = schedulers.host_node.choose_host(ws.host_nodes(), size, image.arch, command.hypervisor)
    host.reserve(instance_id, size, image.arch, command.hypervisor)

    instance = Instance.launch(
        instance_id=instance_id,
        account_id=command.account_id,
        host_node_id=host.host_node_id,
        size=size,
        arch=image.arch,
        hypervisor=host.hypervisor,
        image_id=command.image_id,
        ssh_key_id=command.ssh_key_id,
        display_name=command.display_name,
        hostname=command.hostname,
        user_data=command.user_data,
        ha_enabled=command.ha_enabled,
        custom_instance=command.custom_instance,
        vifs=[_vif(draft, position) for position, draft in enumerate(drafts)],
    )
    ws.add(instance)
    return instance


def create_instance_once(
    ws: Workspace, command: CreateInstance, key: str, schedulers: Schedulers, rules: AllocationRules
) -> Instance:
    """``create_instance``, unless this account's ``key`` already created one: then that
    instance, provided the parameters are the same (``IdempotencyKeyReused`` if not)."""
    if not _IDEMPOTENCY_KEY.fullmatch(key):
        raise InvalidParameter("Idempotency-Key: must be 1 to 255 printable ASCII characters")
    fingerprint = hashlib.sha256(json.dumps(asdict(command), sort_keys=True).encode()).hexdigest()
    record = ws.find(idempotency_key_aggregate_id(command.account_id, key))
    if record is not None:
        record.check_same_request(fingerprint)
        return find_instance(ws, command.account_id, record.instance_id)
    instance = create_instance(ws, command, schedulers, rules)
    ws.add(IdempotencyKey(account_id=command.account_id, key=key, fingerprint=fingerprint,
                          instance_id=instance.instance_id))  # fmt: skip
    return instance


def terminate_instance(ws: Workspace, account_id: str, instance_id: str) -> Instance:
    instance = find_instance(ws, account_id, instance_id)
    instance.terminate()
    pool = ws.mac_pool()
    for vif in instance.vifs:
        ws.network(vif.network_id).release(parse_ipv4(vif.ipv4_addr, "ipv4_addr"), instance_id, vif.vif_id)
        if vif.nat_network_id:
            ws.network(vif.nat_network_id).release(
                parse_ipv4(vif.nat_ipv4_addr, "nat_ipv4_addr"), instance_id, vif.vif_id
            )
        pool.release(int(vif.mac_addr, 16), instance_id, vif.vif_id)
    ws.host_node(instance.host_node_id).release(instance_id)
    return instance


def find_instance(ws: Workspace, account_id: str, instance_id: str) -> Instance:
    """Another account's instance is as unknown as a missing one."""
    instance = ws.find(instance_aggregate_id(instance_id))
    if instance is None or instance.account_id != account_id:
        raise UnknownInstance(f"instance {instance_id!r} does not exist")
    return instance


def _check_custom_flag(command: CreateInstance) -> None:
    if command.custom_instance:
        return
    if command.host_node_id is not None:
        raise InvalidParameter("host_node_id: custom_instance=true is required to pin a host node")
    for vif in command.vifs:
        for name in _CUSTOM_VIF_FIELDS:
            if getattr(vif, name) is not None:
                raise InvalidParameter(
                    f"vifs.{vif.name}.{name}: custom_instance=true is required to pin {name}"
                )


def _in_index_order(vifs: tuple[VifRequest, ...]) -> list[VifRequest]:
    return sorted(vifs, key=lambda vif: (vif.index is None, vif.index or 0, vif.name))


def _allocate_pinned(ws: Workspace, draft: _VifDraft, rules: AllocationRules) -> None:
    """The original's per-interface order: MAC, then IP, then NAT IP."""
    request = draft.request
    if request.mac_addr is not None:
        draft.mac = parse_mac(request.mac_addr, draft.field("mac_addr"))
        ws.mac_pool().assign(
            draft.mac,
            draft.instance_id,
            draft.vif_id,
            field=draft.field("mac_addr"),
            require_range=rules.manual_mac_must_be_in_mac_range,
        )
    if request.network_id is None:
        raise InvalidParameter(f"{draft.field('network_id')}: is required")
    network = ws.network(request.network_id, draft.field("network_id"))
    if request.ipv4_addr is not None:
        draft.ipv4 = _pin_address(network, draft, request.ipv4_addr, "ipv4_addr", rules)
    if request.nat_network_id is None:
        if request.nat_ipv4_addr is not None:
            raise InvalidParameter(f"{draft.field('nat_network_id')}: is required with nat_ipv4_addr")
        return
    nat_network = ws.network(request.nat_network_id, draft.field("nat_network_id"))
    if request.nat_ipv4_addr is not None:
        draft.nat_ipv4 = _pin_address(nat_network, draft, request.nat_ipv4_addr, "nat_ipv4_addr", rules)


def _pin_address(network: Network, draft: _VifDraft, text: str, name: str, rules: AllocationRules) -> int:
    address = parse_ipv4(text, draft.field(name))
    network.assign(
        address,
        draft.instance_id,
        draft.vif_id,
        field=draft.field(name),
        require_dhcp_range=rules.manual_ip_must_be_in_dhcp_range,
    )
    return address


def _schedule_rest(ws: Workspace, draft: _VifDraft, schedulers: Schedulers) -> None:
    request = draft.request
    if draft.mac is None:
        pool = ws.mac_pool()
        draft.mac = schedulers.mac_address.choose_mac(pool)
        pool.assign(draft.mac, draft.instance_id, draft.vif_id, scheduled=True)
    if draft.ipv4 is None:
        network = ws.network(request.network_id)
        draft.ipv4 = schedulers.network.choose_address(network)
        network.assign(draft.ipv4, draft.instance_id, draft.vif_id, scheduled=True)
    if request.nat_network_id is not None and draft.nat_ipv4 is None:
        nat_network = ws.network(request.nat_network_id)
        draft.nat_ipv4 = schedulers.network.choose_address(nat_network)
        nat_network.assign(draft.nat_ipv4, draft.instance_id, draft.vif_id, scheduled=True)


def _vif(draft: _VifDraft, position: int) -> Vif:
    request = draft.request
    return Vif(
        vif_id=draft.vif_id,
        name=request.name,
        index=request.index if request.index is not None else position,
        network_id=request.network_id,
        ipv4_addr=format_ipv4(draft.ipv4),
        mac_addr=format_mac(draft.mac),
        nat_network_id=request.nat_network_id,
        nat_ipv4_addr=format_ipv4(draft.nat_ipv4) if draft.nat_ipv4 is not None else None,
    )
