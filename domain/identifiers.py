"""Public ids (``nw-demo1``, ``i-3k9x0a2b``) and the aggregate ids derived from them.

Aggregate ids are uuid5 of the public id, so a lookup by public id is a direct
``repository.get`` and registering an id twice collides in the event store itself
(the library's primary key), even between processes.
"""

import re
import secrets
import string
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.errors import InvalidParameter

_ALPHABET = string.ascii_lowercase + string.digits
_ID_BODY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def aggregate_id(kind: str, public_id: str) -> UUID:
    return uuid5(NAMESPACE_URL, f"vdc-ledger:/{kind}/{public_id}")


def generate_id(prefix: str) -> str:
    """Wakame's id shape: a prefix and eight random lower-case letters or digits."""
    return f"{prefix}-" + "".join(secrets.choice(_ALPHABET) for _ in range(8))


def check_id(public_id: str, prefix: str, field: str = "id") -> str:
    body = public_id[len(prefix) + 1 :] if public_id.startswith(prefix + "-") else None
    if body is None or not _ID_BODY.fullmatch(body):
        raise InvalidParameter(
            f"{field}: {public_id!r} must be '{prefix}-' followed by letters, digits, '.', '_' or '-'"
        )
    return public_id
