"""Odoo 19's JSON-2 API: `POST /json/2/<model>/<method>` with a bearer API key.

Named arguments only, bare JSON results, and errors as an HTTP status plus the error object
(401 + WWW-Authenticate for a bad key, 404 for an unknown model or method, 500 for ValueError or
TypeError); an unknown X-Odoo-Database gets Odoo's HTML 404 page. Also serves
`GET /doc-bearer/<model>.json`, which odoo-client-lib reads to name positional arguments.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any

from .errors import NotFound, OdooError, Unauthorized
from .orm import Database
from .security import User

NO_DATABASE_HTML = (
    "<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
    "<p>No database is selected and the requested URL was not found in the server-wide "
    "controllers.</p>\n<p>Please verify the hostname, <a href=/web/login>login</a> and try "
    "again.</p>\n\n<!-- Alternatively, use the X-Odoo-Database header. -->\n"
)


@dataclass
class Reply:
    """An HTTP answer: status, JSON (or HTML when `html` is set) and extra headers."""

    status: int
    body: Any = None
    html: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


def _error(exc: OdooError) -> Reply:
    headers = {"WWW-Authenticate": "Bearer "} if exc.http_status == 401 else {}
    return Reply(exc.http_status, exc.payload(), headers=headers)


def _authenticate(db: Database, headers: dict[str, str]) -> User:
    scheme, _, key = (headers.get("authorization") or "").strip().partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key:
        raise Unauthorized(
            "User not authenticated, use an API Key with a Bearer Authorization header."
        )
    user = db.users.by_api_key(key)
    if user is None:
        raise Unauthorized("Invalid apikey")
    return user


def _wrong_database(db: Database, headers: dict[str, str]) -> bool:
    name = headers.get("x-odoo-database")
    return name is not None and name != db.name


def handle_call(db: Database, model: str, method: str, headers: dict[str, str], body: Any) -> Reply:
    """Answer `POST /json/2/<model>/<method>`; `headers` keys are lower-case."""
    if _wrong_database(db, headers):
        return Reply(404, html=NO_DATABASE_HTML)
    try:
        user = _authenticate(db, headers)
        if model not in db.registry:
            raise NotFound(f"the model '{model}' does not exist")
        fn = db.methods(model).get(method)
        if fn is None and not method.startswith("_"):
            raise NotFound(f"The method '{model}.{method}' does not exist")
        kwargs = dict(body) if isinstance(body, dict) else {}
        if fn is not None and fn.api_model:
            kwargs.pop("ids", None)  # JSON-2 browses `ids` first; model methods ignore them
        return Reply(200, db.call(user, model, method, [], kwargs))
    except OdooError as exc:
        return _error(exc)


def handle_doc(db: Database, model: str, headers: dict[str, str]) -> Reply:
    """Answer `GET /doc-bearer/<model>.json`: the model's fields and public method signatures."""
    if _wrong_database(db, headers):
        return Reply(404, html=NO_DATABASE_HTML)
    try:
        _authenticate(db, headers)
        if model not in db.registry:
            raise NotFound(f"the model '{model}' does not exist")
    except OdooError as exc:
        return _error(exc)
    spec = db.registry[model]
    return Reply(
        200,
        {
            "model": model,
            "name": spec.description,
            "doc": "",
            "fields": {n: {"name": n, **f.describe(None)} for n, f in spec.fields.items()},
            "methods": {n: _describe(fn) for n, fn in sorted(db.methods(model).items())},
        },
    )


def _describe(fn: Any) -> dict[str, Any]:
    params = list(inspect.signature(fn).parameters.values())[1:]  # drop self
    described = {}
    for p in params:
        entry: dict[str, Any] = {}
        if p.kind is p.VAR_KEYWORD:
            entry["kind"] = "VAR_KEYWORD"
        elif p.default is not p.empty:
            entry["default"] = p.default
        described[p.name] = entry
    shown = ", ".join(p.name if p.default is p.empty else f"{p.name}={p.default!r}" for p in params)
    return {
        "signature": f"({shown})",
        "api": ["model", "readonly"] if fn.api_model else ["readonly"],
        "parameters": described,
    }
