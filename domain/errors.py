"""Errors the allocation rules raise.

Each class name is the error name callers of the 12.03 API see (``{"error": <Name>}``);
the HTTP status and numeric code belong to the HTTP adapter, not to the domain.
"""


class DomainError(Exception):
    """A request the rules refuse. ``message`` names the offending field or value."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    @property
    def name(self) -> str:
        return type(self).__name__


class InvalidParameter(DomainError):
    """A parameter is malformed or out of range."""


class InvalidRequestCredentials(DomainError):
    """The account is missing or malformed."""


class UnknownUUIDResource(DomainError):
    """An id names nothing this service knows."""


class ResourceAlreadyExists(DomainError):
    """An operator tried to register an id that is registered already."""


class UnknownNetwork(DomainError):
    pass


class UnknownHostNode(DomainError):
    pass


class UnknownInstance(DomainError):
    pass


class UnknownImage(DomainError):
    pass


class UnknownSshKeyPair(DomainError):
    pass


class InvalidInstanceState(DomainError):
    pass


class InvalidHostNodeID(DomainError):
    """The host node exists but cannot take instances (it is offline)."""


class IncompatibleHostNode(DomainError):
    """The host node's hypervisor or architecture does not match the request."""


class OutOfHostCapacity(DomainError):
    pass


class InvalidMacAddress(DomainError):
    pass


class DuplicateMacAddress(DomainError):
    pass


class MacNotInRange(DomainError):
    pass


class OutOfMacRange(DomainError):
    pass


class InvalidIPAddress(DomainError):
    pass


class DuplicateIPAddress(DomainError):
    pass


class IPAddressNotPartOfSegment(DomainError):
    pass


class IpNotInDhcpRange(DomainError):
    pass


class OutOfIpRange(DomainError):
    pass


class IdempotencyKeyReused(DomainError):
    """An Idempotency-Key came back with different parameters."""


class ReleaseMismatch(Exception):
    """A release names an address or reservation its holder never had.

    Not a caller error: it means a command handler is broken, so it is deliberately
    not a ``DomainError`` and surfaces as a server error.
    """
