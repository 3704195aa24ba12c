"""Listings: ids come from a read model that follows the event log, the resources
themselves from the aggregates (so a listed item is never staler than a direct GET)."""

from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from application.ledger import Ledger
from domain.catalog import Image, SshKeyPair
from domain.instance import Instance
from domain.network import Network

T = TypeVar("T")


class ResourceIndex(Protocol):
    """Implemented by a projection. Each call first catches up with the log, so a caller
    sees the effect of every command that has answered before it asked."""

    def instance_ids(
        self,
        account_id: str,
        *,
        state: str | None,
        host_node_id: str | None,
        display_name: str | None,
        start: int,
        limit: int,
    ) -> tuple[int, list[str]]:
        """The total matching and one page of ids, oldest first. ``state`` 'alive'
        means any state but terminated."""

    def network_ids(self) -> list[str]: ...

    def image_ids(self) -> list[str]: ...

    def ssh_key_pair_ids(self, account_id: str) -> list[str]: ...


@dataclass(frozen=True)
class Page(Generic[T]):
    total: int
    start: int
    limit: int
    results: list[T]


class Queries:
    def __init__(self, ledger: Ledger, index: ResourceIndex):
        self._ledger = ledger
        self._index = index

    def instances(
        self,
        account_id: str,
        *,
        state: str | None = None,
        host_node_id: str | None = None,
        display_name: str | None = None,
        start: int = 0,
        limit: int = 250,
    ) -> Page[Instance]:
        total, ids = self._index.instance_ids(
            account_id,
            state=state,
            host_node_id=host_node_id,
            display_name=display_name,
            start=start,
            limit=limit,
        )
        return Page(total, start, limit, [self._ledger.instance(account_id, i) for i in ids])

    def networks(self) -> list[Network]:
        return [self._ledger.network(i) for i in self._index.network_ids()]

    def images(self) -> list[Image]:
        return [self._ledger.image(i) for i in self._index.image_ids()]

    def ssh_key_pairs(self, account_id: str) -> list[SshKeyPair]:
        return [self._ledger.find_ssh_key_pair(i) for i in self._index.ssh_key_pair_ids(account_id)]
