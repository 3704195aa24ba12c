"""The aggregates one command reads and changes, loaded once and saved together."""

import contextlib
from collections.abc import Callable, Iterable
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Repository
from eventsourcing.domain import Aggregate

from domain.errors import DomainError, UnknownHostNode, UnknownNetwork
from domain.host_node import HOST_NODE_INDEX_ID, HostNode, HostNodeIndex, host_node_aggregate_id
from domain.mac_pool import MAC_POOL_ID, MacPool
from domain.network import Network, network_aggregate_id


def project(aggregate: Aggregate | None, events: Iterable[Any]) -> Aggregate | None:
    """The library's ``project_aggregate`` without its per-event ``isinstance`` check
    against a runtime Protocol, which cost more than applying the event (measured:
    twice as fast to load a network with 10,000 events)."""
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


class Workspace:
    """Each aggregate is loaded at most once per command, so that a request naming one
    network twice (two interfaces, or an interface and its NAT) sees its own changes;
    ``aggregates`` is what the command then saves, all in one transaction.

    The repository hands out its cached aggregates themselves, not copies: copying a
    network that holds 60,000 addresses on every command would make each command slower
    as the network fills. The price is ``discard``: a command that fails, or whose save
    loses a race, must drop what it touched from the cache, since those objects now hold
    changes that were never stored.
    """

    def __init__(self, repository: Repository):
        self._repository = repository
        self._loaded: dict[UUID, Aggregate] = {}

    @property
    def aggregates(self) -> list[Aggregate]:
        return list(self._loaded.values())

    def discard(self) -> None:
        cache = self._repository.cache
        for aggregate_id in self._loaded:
            if cache is not None:
                with contextlib.suppress(KeyError):
                    cache.get(aggregate_id, evict=True)
        self._loaded.clear()

    def add(self, aggregate: Aggregate) -> None:
        self._loaded[aggregate.id] = aggregate

    def find(self, aggregate_id: UUID) -> Aggregate | None:
        if aggregate_id not in self._loaded:
            try:
                self._loaded[aggregate_id] = self._repository.get(aggregate_id, projector_func=project)
            except AggregateNotFoundError:
                return None
        return self._loaded[aggregate_id]

    def get(self, aggregate_id: UUID, missing: Callable[[], DomainError]) -> Aggregate:
        aggregate = self.find(aggregate_id)
        if aggregate is None:
            raise missing()
        return aggregate

    def network(self, network_id: str, field: str = "network_id") -> Network:
        return self.get(
            network_aggregate_id(network_id),
            lambda: UnknownNetwork(f"{field}: network {network_id!r} does not exist"),
        )

    def host_node(self, host_node_id: str, field: str = "host_node_id") -> HostNode:
        return self.get(
            host_node_aggregate_id(host_node_id),
            lambda: UnknownHostNode(f"{field}: host node {host_node_id!r} does not exist"),
        )

    def host_nodes(self) -> list[HostNode]:
        index = self.find(HOST_NODE_INDEX_ID)
        return [self.host_node(host_id) for host_id in index.host_node_ids] if index else []

    def host_node_index(self) -> HostNodeIndex:
        return self._get_or_open(HOST_NODE_INDEX_ID, HostNodeIndex)

    def mac_pool(self) -> MacPool:
        return self._get_or_open(MAC_POOL_ID, MacPool)

    def _get_or_open(self, aggregate_id: UUID, cls: type[Aggregate]) -> Aggregate:
        """Singletons open on first use; two processes opening one at once collide in the
        store and the loser retries, finding it open."""
        found = self.find(aggregate_id)
        if found is None:
            found = cls()
            self.add(found)
        return found
