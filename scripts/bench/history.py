"""A real allocation history, generated quickly: the command handler itself, run many
commands per transaction instead of one, so that a 200,000-event log takes seconds."""

from pathlib import Path

from application.commands import (
    AddMacRange,
    CreateInstance,
    RegisterHostNode,
    RegisterImage,
    RegisterNetwork,
    VifRequest,
)
from application.instances import create_instance, terminate_instance
from infrastructure.bootstrap import Services, build_services
from infrastructure.config import load_settings

ACCOUNT = "a-bench"


def open_store(data_dir: Path) -> Services:
    return build_services(load_settings(data_dir=data_dir))


def register_topology(services: Services) -> None:
    ledger = services.ledger
    ledger.register_network(RegisterNetwork(network_id="nw-big", ipv4_network="10.0.0.0", prefix=16,
                                            gateway="10.0.0.1"))  # fmt: skip
    ledger.register_network(RegisterNetwork(network_id="nw-nat", ipv4_network="10.1.0.0", prefix=16,
                                            gateway="10.1.0.1"))  # fmt: skip
    ledger.add_mac_range(AddMacRange(range_id="mr-bench", range_begin="000001", range_end="ffffff"))
    for n in range(4):
        ledger.register_host_node(RegisterHostNode(host_node_id=f"hn-bench{n}", offering_cpu_cores=128,
                                                   offering_memory_size=999999))  # fmt: skip
    ledger.register_image(RegisterImage(image_id="wmi-bench"))


def generate(services: Services, events: int, alive: int = 400, per_transaction: int = 100) -> int:
    """Creates and terminates instances (10 events a pair) until the log holds ``events``;
    at most ``alive`` instances hold addresses at once. Returns the log's length."""
    ledger = services.ledger
    command = CreateInstance(
        account_id=ACCOUNT, image_id="wmi-bench", cpu_cores=1, memory_size=128,
        vifs=(VifRequest(name="eth0", network_id="nw-big", nat_network_id="nw-nat"),),
    )  # fmt: skip
    living: list[str] = []
    while (ledger.recorder.max_notification_id() or 0) < events:
        ws = ledger._workspace()
        for _ in range(per_transaction):
            living.append(create_instance(ws, command, ledger.schedulers, ledger.rules).instance_id)
            if len(living) > alive:
                terminate_instance(ws, ACCOUNT, living.pop(0))
        ledger.save(*ws.aggregates)
    return ledger.recorder.max_notification_id()
