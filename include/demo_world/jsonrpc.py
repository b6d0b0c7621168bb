"""Odoo's `/jsonrpc` endpoint: the common, db and object services, with Odoo's error envelope."""

from __future__ import annotations

from typing import Any

from .errors import OdooAttributeError, OdooError, OperationalError, UserError
from .orm import Database

VERSION_INFO = {
    "server_version": "19.0",
    "server_version_info": [19, 0, 0, "final", 0, ""],
    "server_serie": "19.0",
    "protocol_version": 1,
}


def envelope(request_id: Any, result: Any = None, error: OdooError | None = None) -> dict:
    """A JSON-RPC 2.0 response; errors always code 0 / "Odoo Server Error" (as recorded)."""
    if error is None:
        return {"jsonrpc": "2.0", "id": request_id, "result": result}
    return {
        "jsonrpc": "2.0",
        "id": request_id,
        "error": {"code": 0, "message": "Odoo Server Error", "data": error.payload()},
    }


def handle(db: Database, body: Any) -> dict:
    """Answer one /jsonrpc request body (already JSON-decoded)."""
    request_id = body.get("id") if isinstance(body, dict) else None
    try:
        params = body.get("params") or {} if isinstance(body, dict) else {}
        result = dispatch(db, params.get("service"), params.get("method"), params.get("args", []))
        return envelope(request_id, result)
    except OdooError as exc:
        return envelope(request_id, error=exc)


def dispatch(db: Database, service: Any, method: Any, args: list[Any]) -> Any:
    services = {"common": _common, "db": _db, "object": _object}
    if service not in services:
        raise OdooAttributeError(f"No such service: {service!r}")
    return services[service](db, method, list(args))


def _check_db(db: Database, name: Any) -> None:
    if name != db.name:
        raise OperationalError.unknown_database(str(name))


def _common(db: Database, method: Any, args: list[Any]) -> Any:
    if method == "version":
        return VERSION_INFO
    if method in ("login", "authenticate"):
        dbname, login, password = (args + [None] * 3)[:3]
        _check_db(db, dbname)
        return db.users.login(login, password)
    raise OdooAttributeError(f"The method 'common.{method}' does not exist")


def _db(db: Database, method: Any, args: list[Any]) -> Any:
    if method == "list":
        return [db.name]
    if method == "server_version":
        return VERSION_INFO["server_version"]
    if method == "exist":
        return bool(args) and args[0] == db.name
    raise OdooAttributeError(f"The method 'db.{method}' does not exist")


def _object(db: Database, method: Any, args: list[Any]) -> Any:
    if method not in ("execute", "execute_kw"):
        raise OdooAttributeError(f"The method 'object.{method}' does not exist")
    dbname, uid, password, model, model_method, *rest = (args + [None] * 5)[: max(5, len(args))]
    _check_db(db, dbname)
    user = db.users.check(uid, password)
    if model not in db.registry:
        raise UserError(f"Object {model} doesn't exist")
    if method == "execute_kw":
        call_args = rest[0] if rest else []
        call_kwargs = rest[1] if len(rest) > 1 else {}
    else:
        call_args, call_kwargs = rest, {}
    if not isinstance(call_args, list) or not isinstance(call_kwargs, dict):
        raise OdooError("execute_kw expects a list of arguments and a dict of keyword arguments")
    return db.call(user, model, model_method, call_args, call_kwargs or {})
