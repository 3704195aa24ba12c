"""The 12.03 API's wire formats: ``.json``/``.yml`` suffixes, and form, multipart or
JSON request bodies (JSON possibly wrapped as ActiveResource clients send it)."""

import json
from collections.abc import Iterable
from typing import Any

import yaml
from flask import Response, request

from domain.errors import InvalidParameter

FORMAT_KEY = "vdc_ledger.format"
_SUFFIXES = ((".json", "json"), (".yml", "yaml"), (".yaml", "yaml"))


class FormatSuffix:
    """WSGI middleware: ``/instances.yml`` is ``/instances`` answered in YAML.

    Stripping the suffix before routing keeps every route declared once.
    """

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        for suffix, name in _SUFFIXES:
            if path.endswith(suffix):
                environ["PATH_INFO"] = path[: -len(suffix)]
                environ[FORMAT_KEY] = name
                break
        return self.app(environ, start_response)


def render(payload: Any, status: int = 200) -> Response:
    if request.environ.get(FORMAT_KEY) == "yaml":
        body = yaml.safe_dump(payload, sort_keys=False, allow_unicode=True)
        return Response(body, status=status, mimetype="application/x-yaml")
    return Response(json.dumps(payload), status=status, mimetype="application/json")


def request_fields(known_fields: Iterable[str]) -> dict[str, Any]:
    """The request's parameters as one flat dict.

    A JSON body that is a single-key object wrapping another object
    (``{"instance": {...}}``) is unwrapped, unless that key is itself a parameter.
    """
    if request.is_json:
        try:
            data = json.loads(request.get_data(as_text=True) or "{}")
        except ValueError as error:
            raise InvalidParameter(f"body: malformed JSON ({error})") from None
        if not isinstance(data, dict):
            raise InvalidParameter("body: a JSON body must be an object")
        if len(data) == 1:
            ((key, value),) = data.items()
            if isinstance(value, dict) and key not in set(known_fields):
                data = value
        return data
    # Form and multipart bodies; query parameters count too, as Wakame's CLI may send them.
    return {**request.args.to_dict(), **request.form.to_dict()}
