"""Odoo's server-side exceptions, as they travel over the wire.

Each error carries the dotted Python class name Odoo reports in `data.name` (JSON-RPC) or `name`
(JSON-2), the message, the HTTP status JSON-2 answers with, and a traceback-shaped `debug` text.
"""

from __future__ import annotations

from typing import Any

# The innermost frames Odoo's tracebacks show for the JSON-RPC object service; the debug text
# only has to look like Odoo's (clients display it, nobody parses it).
_FRAMES = (
    ("odoo/http.py", 2273, "_serve_db"),
    ("odoo/service/model.py", 184, "retrying"),
    ("odoo/http.py", 2328, "_serve_ir_http"),
    ("odoo/http.py", 788, "route_wrapper"),
    ("odoo/service/model.py", 93, "call_kw"),
)


class OdooError(Exception):
    """Base: an exception the server reports to the client instead of crashing."""

    name = "odoo.exceptions.UserError"
    http_status = 422
    extra_arguments: tuple[Any, ...] = ()

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def debug(self) -> str:
        frames = "".join(f'  File "<odoo-root>/{p}", line {n}, in {fn}\n' for p, n, fn in _FRAMES)
        short = self.name.removeprefix("builtins.")
        return f"Traceback (most recent call last):\n{frames}{short}: {self.message}\n"

    def payload(self) -> dict[str, Any]:
        """The `data` of a JSON-RPC error, which is also the whole body of a JSON-2 error."""
        return {
            "name": self.name,
            "message": self.message,
            "arguments": [self.message, *self.extra_arguments],
            "context": {},
            "debug": self.debug(),
        }


class UserError(OdooError):
    name = "odoo.exceptions.UserError"


class AccessError(OdooError):
    name = "odoo.exceptions.AccessError"
    http_status = 403


class AccessDenied(OdooError):
    name = "odoo.exceptions.AccessDenied"
    http_status = 403

    def __init__(self, message: str = "Access Denied") -> None:
        super().__init__(message)

    def debug(self) -> str:
        # Odoo hides the traceback of a failed login: one line only.
        return f"{self.name}: {self.message}\n"


class MissingError(OdooError):
    name = "odoo.exceptions.MissingError"
    http_status = 404


class ServerError(OdooError):
    """An uncaught Python or database exception: Odoo answers HTTP 500 with its class name."""

    http_status = 500


class OdooValueError(ServerError):
    name = "builtins.ValueError"


class OdooTypeError(ServerError):
    name = "builtins.TypeError"


class OdooAttributeError(ServerError):
    name = "builtins.AttributeError"


class OperationalError(ServerError):
    """What Odoo answers when the database named does not exist."""

    name = "psycopg2.OperationalError"

    @classmethod
    def unknown_database(cls, db: str) -> OperationalError:
        return cls(
            f'connection to server at "127.0.0.1", port 5432 failed: '
            f'FATAL:  database "{db}" does not exist\n'
        )


class InvalidTextRepresentation(ServerError):
    """A wrongly typed argument reaching SQL (e.g. limit="three")."""

    name = "psycopg2.errors.InvalidTextRepresentation"

    @classmethod
    def for_value(cls, sql_type: str, value: Any) -> InvalidTextRepresentation:
        return cls(f'invalid input syntax for type {sql_type}: "{value}"\n')


class HttpError(OdooError):
    """werkzeug errors raised by the JSON-2 controller; arguments also carry the status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.http_status = status
        self.extra_arguments = (status,)

    def debug(self) -> str:
        base = super().debug().rsplit("\n", 2)[0]
        return f"{base}\n{self.name}: {self.http_status} {self.reason}: {self.message}\n"

    @property
    def reason(self) -> str:
        return {401: "Unauthorized", 404: "Not Found"}.get(self.http_status, "Error")


class Unauthorized(HttpError):
    name = "werkzeug.exceptions.Unauthorized"

    def __init__(self, message: str) -> None:
        super().__init__(message, 401)


class NotFound(HttpError):
    name = "werkzeug.exceptions.NotFound"

    def __init__(self, message: str) -> None:
        super().__init__(message, 404)


def from_exception(exc: BaseException) -> OdooError:
    """Any other exception, reported the way Odoo reports an uncaught Python error."""
    if isinstance(exc, OdooError):
        return exc
    err = ServerError(str(exc))
    err.name = f"builtins.{type(exc).__name__}"
    return err
