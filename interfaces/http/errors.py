"""Errors as the 12.03 API reports them: ``{"error", "message", "code"}`` with the
contract's HTTP status and Wakame's numeric code."""

import logging

from flask import Flask
from werkzeug.exceptions import HTTPException

from application.ledger import ConflictRetriesExhausted
from domain import errors
from interfaces.http.formats import render

log = logging.getLogger(__name__)

# error class -> (HTTP status, code). The last two are this service's additions.
STATUS_AND_CODE: dict[type[errors.DomainError], tuple[int, str]] = {
    errors.UnknownUUIDResource: (404, "100"),
    errors.InvalidRequestCredentials: (400, "103"),
    errors.UnknownHostNode: (404, "114"),
    errors.UnknownInstance: (404, "115"),
    errors.OutOfHostCapacity: (400, "120"),
    errors.UnknownSshKeyPair: (404, "121"),
    errors.InvalidInstanceState: (400, "125"),
    errors.UnknownImage: (404, "127"),
    errors.UnknownNetwork: (404, "129"),
    errors.InvalidHostNodeID: (400, "141"),
    errors.InvalidParameter: (400, "143"),
    errors.InvalidMacAddress: (400, "174"),
    errors.DuplicateMacAddress: (400, "175"),
    errors.InvalidIPAddress: (400, "176"),
    errors.DuplicateIPAddress: (400, "177"),
    errors.IPAddressNotPartOfSegment: (400, "178"),
    errors.IncompatibleHostNode: (400, "179"),
    errors.MacNotInRange: (400, "180"),
    errors.IpNotInDhcpRange: (400, "181"),
    errors.OutOfIpRange: (400, "901"),
    errors.OutOfMacRange: (400, "902"),
    errors.ResourceAlreadyExists: (409, "190"),
    errors.IdempotencyKeyReused: (422, "192"),
}
SERVICE_BUSY = (503, "191")


def error_body(name: str, message: str, code: str) -> dict[str, str]:
    return {"error": name, "message": message, "code": code}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(errors.DomainError)
    def domain_error(error: errors.DomainError):
        status, code = STATUS_AND_CODE[type(error)]
        return render(error_body(error.name, error.message, code), status)

    @app.errorhandler(ConflictRetriesExhausted)
    def busy(error: ConflictRetriesExhausted):
        status, code = SERVICE_BUSY
        response = render(error_body("ServiceBusy", str(error), code), status)
        response.headers["Retry-After"] = "1"
        return response

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        name = type(error).__name__
        return render(error_body(name, error.description or name, str(error.code)), error.code or 500)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("unhandled error")
        return render(error_body("InternalError", "the server failed; see its log", "500"), 500)
