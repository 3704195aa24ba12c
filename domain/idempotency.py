"""An ``Idempotency-Key`` a caller sent, and the instance its first request created.

Its aggregate id derives from the account and the key, so two requests racing with one
key collide in the event store itself; the loser reruns and finds the winner's record.
"""

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import IdempotencyKeyReused
from domain.identifiers import aggregate_id


class IdempotencyKey(Aggregate):
    class Recorded(Aggregate.Created):
        account_id: str
        key: str
        fingerprint: str  # of the request's parameters
        instance_id: str

    @staticmethod
    def create_id(account_id: str, key: str, **_: object) -> UUID:
        return idempotency_key_aggregate_id(account_id, key)

    @event(Recorded)
    def __init__(self, account_id: str, key: str, fingerprint: str, instance_id: str):
        self.account_id = account_id
        self.key = key
        self.fingerprint = fingerprint
        self.instance_id = instance_id

    def check_same_request(self, fingerprint: str) -> None:
        if fingerprint != self.fingerprint:
            raise IdempotencyKeyReused(
                f"Idempotency-Key: {self.key!r} was used for another request (instance {self.instance_id})"
            )


def idempotency_key_aggregate_id(account_id: str, key: str) -> UUID:
    return aggregate_id("idempotency_keys", f"{account_id}/{key}")
