"""Why each event was recorded: the command, the caller's account and the request id.

Every stored event carries a small ``caused_by`` object next to its own payload, so an
auditor can link the HTTP request (its ``X-Request-Id``) to everything it allocated. The
domain stays unaware of it: the mapper adds it while storing, and the library's event
classes ignore keys that are not their fields when they are replayed.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import Mapper, StoredEvent


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    account_id: str | None = None


_request: ContextVar[RequestContext | None] = ContextVar("vdc_ledger_request", default=None)
_command: ContextVar[str | None] = ContextVar("vdc_ledger_command", default=None)


def new_request_id() -> str:
    return f"req-{uuid.uuid4().hex}"


@contextmanager
def request_context(request_id: str, account_id: str | None = None) -> Iterator[RequestContext]:
    """Set by the entry point (an HTTP request, a CLI command) around the work it asks for."""
    context = RequestContext(request_id, account_id)
    token = _request.set(context)
    try:
        yield context
    finally:
        _request.reset(token)


@contextmanager
def running_command(name: str) -> Iterator[None]:
    """Set by the application around one command (all its retries)."""
    request_token = None
    if _request.get() is None:  # work not started by a request still gets an id
        request_token = _request.set(RequestContext(new_request_id()))
    command_token = _command.set(name)
    try:
        yield
    finally:
        _command.reset(command_token)
        if request_token is not None:
            _request.reset(request_token)


def cause_of(event: Any) -> dict[str, Any]:
    """The ``caused_by`` of a stored event (empty for events stored outside a command)."""
    return getattr(event, "caused_by", None) or {}


class CauseRecordingMapper(Mapper):
    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        request, command = _request.get(), _command.get()
        if request is None or command is None:
            return super().to_stored_event(domain_event)
        caused_by = {
            "command": command,
            "request_id": request.request_id,
            "account_id": request.account_id,
        }
        # Events are frozen: store a copy that carries the cause.
        stored = object.__new__(type(domain_event))
        object.__setattr__(stored, "__dict__", {**vars(domain_event), "caused_by": caused_by})
        return super().to_stored_event(stored)
