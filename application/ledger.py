"""The event-sourced application: runs each command against fresh aggregates and saves
everything it touched in one transaction, retrying when another writer got there first."""

import logging
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ClassVar, TypeVar
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, Mapper, OperationalError

from application.causes import CauseRecordingMapper, running_command
from application.commands import (
    AddMacRange,
    CreateInstance,
    RegisterHostNode,
    RegisterImage,
    RegisterNetwork,
    RegisterSshKeyPair,
)
from application.instances import AllocationRules, create_instance, create_instance_once, terminate_instance
from application.schedulers import Schedulers
from application.workspace import Workspace, project
from domain.catalog import Image, SshKeyPair, image_aggregate_id, ssh_key_pair_aggregate_id
from domain.errors import ResourceAlreadyExists
from domain.host_node import HostNode, host_node_aggregate_id
from domain.identifiers import check_id, generate_id
from domain.instance import Instance
from domain.mac_pool import MacPool, MacRange
from domain.network import Network, network_aggregate_id, parse_dhcp_ranges

log = logging.getLogger(__name__)
T = TypeVar("T")
A = TypeVar("A", bound=Aggregate)


class ConflictRetriesExhausted(Exception):
    """Other writers kept winning; the caller may simply try again."""


class Ledger(Application):
    name = "Ledger"
    # Bounded retries, with full-jitter exponential back-off capped at 25 ms. Processes
    # that write one network back to back make a rerun lose again often (measured on
    # PostgreSQL with three workers: 15% of 100 simultaneous creates needed 10 or more
    # attempts, a few 30); 200 attempts make giving up (ServiceBusy) practically
    # impossible while bounding a caller's wait to a few seconds.
    MAX_ATTEMPTS = 200
    BACKOFF_SECONDS = 0.001
    BACKOFF_CAP_SECONDS = 0.025
    # Large aggregates are snapshotted every 500 events, so a cold process replays at most
    # that many. The save that reaches the interval takes it: one reload from the previous.
    snapshotting_intervals: ClassVar = dict.fromkeys((Network, MacPool, HostNode), 500)
    snapshotting_projectors: ClassVar = dict.fromkeys((Network, MacPool, HostNode), project)

    def __init__(
        self,
        env: dict[str, str] | None = None,
        schedulers: Schedulers | None = None,
        rules: AllocationRules | None = None,
    ):
        super().__init__(env)
        self.schedulers = schedulers or Schedulers()
        self.rules = rules or AllocationRules()
        # Commands mutate the cached aggregates themselves (see Workspace), so one
        # command at a time per process; processes run side by side.
        self._commands = threading.RLock()
        self._snapshotter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="snapshots")

    # Commands -------------------------------------------------------------------------

    def construct_mapper(self) -> Mapper:
        return self.factory.mapper(transcoder=self.construct_transcoder(), mapper_class=CauseRecordingMapper)

    def create_instance(self, command: CreateInstance, idempotency_key: str | None = None) -> Instance:
        """With an ``idempotency_key``, a repeat of the same request answers the instance
        the first one created and allocates nothing more."""
        if idempotency_key is None:
            return self._run(
                lambda ws: create_instance(ws, command, self.schedulers, self.rules), "CreateInstance"
            )
        return self._run(
            lambda ws: create_instance_once(ws, command, idempotency_key, self.schedulers, self.rules),
            "CreateInstance",
        )

    def terminate_instance(self, account_id: str, instance_id: str) -> Instance:
        return self._run(lambda ws: terminate_instance(ws, account_id, instance_id), "TerminateInstance")

    def register_network(self, command: RegisterNetwork) -> Network:
        network_id = _new_id(command.network_id, "nw")
        return self._register(
            "RegisterNetwork",
            network_aggregate_id(network_id),
            f"network {network_id}",
            lambda ws: Network.register(
                network_id=network_id,
                ipv4_network=command.ipv4_network,
                prefix=command.prefix,
                gateway=command.gateway,
                dns_server=command.dns_server,
                dhcp_server=command.dhcp_server,
                metadata_server=command.metadata_server,
                dhcp_ranges=parse_dhcp_ranges(command.dhcp_range),
                ip_assignment=command.ip_assignment,
                display_name=command.display_name,
            ),
        )

    def add_mac_range(self, command: AddMacRange) -> MacRange:
        range_id = _new_id(command.range_id, "mr")
        return self._run(
            lambda ws: ws.mac_pool().add_range(
                range_id,
                command.range_begin,
                command.range_end,
                vendor_id=command.vendor_id,
                display_name=command.display_name,
            ),
            "AddMacRange",
        )

    def register_host_node(self, command: RegisterHostNode) -> HostNode:
        host_node_id = _new_id(command.host_node_id, "hn")

        def register(ws: Workspace) -> HostNode:
            ws.host_node_index().add(host_node_id)
            return HostNode.register(
                host_node_id=host_node_id,
                node_id=command.node_id or host_node_id,
                arch=command.arch,
                hypervisor=command.hypervisor,
                offering_cpu_cores=command.offering_cpu_cores,
                offering_memory_size=command.offering_memory_size,
            )

        return self._register(
            "RegisterHostNode", host_node_aggregate_id(host_node_id), f"host node {host_node_id}", register
        )

    def change_host_node_status(self, host_node_id: str, status: str) -> HostNode:
        def change(ws: Workspace) -> HostNode:
            host = ws.host_node(host_node_id, field="id")
            host.change_status(status)
            return host

        return self._run(change, "ChangeHostNodeStatus")

    def register_image(self, command: RegisterImage) -> Image:
        image_id = _new_id(command.image_id, "wmi")
        return self._register(
            "RegisterImage",
            image_aggregate_id(image_id),
            f"image {image_id}",
            lambda ws: Image(image_id=image_id, arch=command.arch, display_name=command.display_name),
        )

    def register_ssh_key_pair(self, command: RegisterSshKeyPair) -> SshKeyPair:
        ssh_key_id = _new_id(command.ssh_key_id, "ssh")
        return self._register(
            "RegisterSshKeyPair",
            ssh_key_pair_aggregate_id(ssh_key_id),
            f"ssh key pair {ssh_key_id}",
            lambda ws: SshKeyPair(
                ssh_key_id=ssh_key_id,
                account_id=command.account_id,
                public_key=command.public_key,
                display_name=command.display_name,
            ),
        )

    # The current aggregates, for checks that compare them with the log and the views --

    def network(self, network_id: str) -> Network:
        return self._read(lambda ws: ws.network(network_id, field="id"))

    def host_node(self, host_node_id: str) -> HostNode:
        return self._read(lambda ws: ws.host_node(host_node_id, field="id"))

    def mac_pool(self) -> MacPool:
        return self._read(lambda ws: ws.mac_pool())

    def is_empty(self) -> bool:
        return self.recorder.max_notification_id() in (None, 0)

    # Running commands -----------------------------------------------------------------

    def _take_snapshots(self, processing_event) -> None:
        """Snapshots are taken in the background, after the command has answered: taking
        one reloads the aggregate and encodes its whole state (100 ms for a MAC pool
        holding 60,000 addresses), which no caller should wait for. They only speed up
        loading, so a failure is logged, never mistaken for the command failing (its
        events are stored already: a rerun would allocate twice)."""
        due = [
            (event.originator_id, event.originator_version, type(aggregate))
            for event in processing_event.events
            if (aggregate := processing_event.aggregates.get(event.originator_id)) is not None
            and (interval := self.snapshotting_intervals.get(type(aggregate)))
            and event.originator_version % interval == 0
        ]
        for aggregate_id, version, cls in due:
            self._snapshotter.submit(self._snapshot, aggregate_id, version, cls)

    def _snapshot(self, aggregate_id: UUID, version: int, cls: type) -> None:
        try:
            self.take_snapshot(aggregate_id, version, projector_func=self.snapshotting_projectors[cls])
        except Exception:
            log.exception("taking a snapshot failed; loading stays correct, only slower")

    def flush_snapshots(self) -> None:
        """Waits until every snapshot due so far is stored (one worker: first in, first out)."""
        self._snapshotter.submit(lambda: None).result()

    def close(self) -> None:
        self._snapshotter.shutdown(wait=True)
        super().close()

    def _workspace(self) -> Workspace:
        return Workspace(self.repository)

    def _read(self, read: Callable[[Workspace], T]) -> T:
        with self._commands:
            return read(self._workspace())

    def _register(self, name: str, aggregate_id: UUID, what: str, create: Callable[[Workspace], A]) -> A:
        """Registers a new resource; an id that exists is refused, also when another
        process registers it between our check and our save (the rerun finds it)."""

        def register(ws: Workspace) -> A:
            if ws.find(aggregate_id) is not None:
                raise ResourceAlreadyExists(f"id: {what} exists already")
            aggregate = create(ws)
            ws.add(aggregate)
            return aggregate

        return self._run(register, name)

    def _run(self, command: Callable[[Workspace], T], name: str) -> T:
        """Runs ``command`` on freshly loaded aggregates and saves all it touched in one
        transaction. A conflict means another writer changed one of them first: the
        in-memory aggregates are stale, so the whole command (validation included) runs
        again on reloaded ones, and then raises the domain error a rerun finds, if any.
        ``name`` is recorded with every event the command stores (see ``causes``).
        """
        with self._commands, running_command(name):
            for attempt in range(self.MAX_ATTEMPTS):
                ws = self._workspace()
                try:
                    result = command(ws)
                    self.save(*ws.aggregates)
                except (IntegrityError, OperationalError) as error:
                    # Another writer won (a conflict), or held the store's lock too long.
                    ws.discard()
                    log.info("%s attempt %d: %s: %s", name, attempt + 1, type(error).__name__, error)
                    time.sleep(
                        random.uniform(0, min(self.BACKOFF_CAP_SECONDS, self.BACKOFF_SECONDS * 2**attempt))
                    )
                    continue
                except BaseException:
                    ws.discard()
                    raise
                return result
        raise ConflictRetriesExhausted(f"gave up after {self.MAX_ATTEMPTS} conflicting attempts; try again")


def _new_id(given: str | None, prefix: str) -> str:
    return check_id(given, prefix) if given is not None else generate_id(prefix)
