"""The caller's account, from ``X-VDC-Account-UUID``.

Wakame's CLI spells it ``X_VDC_ACCOUNT_UUID``; a WSGI server maps both spellings to the
same environ key once it is told to keep underscore headers (see ``interfaces.server``).
"""

import re

from flask import request

from domain.errors import InvalidRequestCredentials

_ACCOUNT = re.compile(r"a-[A-Za-z0-9][A-Za-z0-9_-]*")


def account_id() -> str:
    value = request.headers.get("X-VDC-Account-UUID")
    if value is None:
        raise InvalidRequestCredentials("X-VDC-Account-UUID: the account header is missing")
    if not _ACCOUNT.fullmatch(value.strip()):
        raise InvalidRequestCredentials(f"X-VDC-Account-UUID: {value!r} is not an account id")
    return value.strip()
