"""``X-Request-Id``: taken from the request (or generated), recorded with every event the
request causes, and returned on every response, so callers and auditors share one key."""

import re

from flask import Flask, g, request

from application.causes import new_request_id, request_context
from domain.errors import InvalidParameter

HEADER = "X-Request-Id"
_VALID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def install_request_ids(app: Flask) -> None:
    @app.before_request
    def enter_request_context():
        given = request.headers.get(HEADER)
        g.request_id = given if given is not None and _VALID.fullmatch(given) else new_request_id()
        # The account header is optional on operator routes, and checked by tenant ones.
        context = request_context(g.request_id, request.headers.get("X-VDC-Account-UUID"))
        context.__enter__()
        g.request_context = context
        if given is not None and given != g.request_id:
            raise InvalidParameter(f"{HEADER}: {given!r} must be 1 to 128 letters, digits or ._:-")

    @app.teardown_request
    def leave_request_context(_error):
        context = g.pop("request_context", None)
        if context is not None:
            context.__exit__(None, None, None)

    @app.after_request
    def return_request_id(response):
        response.headers[HEADER] = g.get("request_id") or new_request_id()
        return response
