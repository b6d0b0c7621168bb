"""Users, credentials, access rights and the multi-company rule, as Odoo applies them.

Only what the recordings show: login returns the uid or false, a wrong password on a model call
is AccessDenied, an unknown uid is MissingError, an API key works as a password, a model outside
a user's groups is AccessError, and `allowed_company_ids` must be a subset of the user's companies.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass
from typing import Any

from .errors import AccessDenied, AccessError, MissingError
from .models import Model
from .store import AUTH_TABLE, Store

ADMIN_GROUP = "admin"


@dataclass(frozen=True)
class User:
    uid: int
    login: str
    password: str
    api_key: str | None
    groups: frozenset[str]
    company_id: int
    company_ids: tuple[int, ...]
    lang: str
    tz: str
    active: bool

    def check_secret(self, secret: Any) -> bool:
        """Password or API key, compared in constant time."""
        if not isinstance(secret, str):
            return False
        ok = hmac.compare_digest(secret, self.password)
        return ok or (self.api_key is not None and hmac.compare_digest(secret, self.api_key))


class Users:
    """The user table, loaded once: logins are few and never change while serving."""

    def __init__(self, store: Store) -> None:
        rows = store.query(
            f"SELECT u.id, u.login, u.company_id, u.company_ids, u.lang, u.tz, u.active, "
            f"a.password, a.api_key, a.groups FROM res_users u JOIN {AUTH_TABLE} a ON a.uid = u.id"
        )
        self.by_uid = {
            r["id"]: User(
                uid=r["id"],
                login=r["login"],
                password=r["password"],
                api_key=r["api_key"],
                groups=frozenset(json.loads(r["groups"])),
                company_id=r["company_id"],
                company_ids=tuple(json.loads(r["company_ids"] or "[]")),
                lang=r["lang"] or "en_US",
                tz=r["tz"] or "UTC",
                active=bool(r["active"]),
            )
            for r in rows
        }

    def login(self, login: Any, password: Any) -> int | bool:
        """common.login / authenticate: the uid, or False (never an error)."""
        for user in self.by_uid.values():
            if user.active and user.login == login and user.check_secret(password):
                return user.uid
        return False

    def check(self, uid: Any, password: Any) -> User:
        """Credentials of a model call: MissingError for an unknown uid, else AccessDenied."""
        user = self.by_uid.get(uid) if isinstance(uid, int) else None
        if user is None:
            raise MissingError(
                "Record does not exist or has been deleted.\n"
                f"(Record: res.users({uid},), User: {uid})"
            )
        if not user.active or not user.check_secret(password):
            raise AccessDenied()
        return user

    def by_api_key(self, key: str) -> User | None:
        for user in self.by_uid.values():
            if user.active and user.api_key and hmac.compare_digest(key, user.api_key):
                return user
        return None


def check_model_access(user: User, model: Model, operation: str = "read") -> None:
    """ACL check: the model's groups (empty means every user may read)."""
    if operation != "read" and ADMIN_GROUP not in user.groups:
        raise _acl_error("modify", model, ("Role / Administrator",))
    if not model.access or ADMIN_GROUP in user.groups or user.groups & set(model.access):
        return
    raise _acl_error("access", model, model.access)


def _acl_error(verb: str, model: Model, groups: tuple[str, ...]) -> AccessError:
    listed = "".join(f"\t- {g}\n" for g in groups)
    return AccessError(
        f"You are not allowed to {verb} '{model.description}' ({model.name}) records.\n\n"
        f"This operation is allowed for the following groups:\n{listed}\n"
        "Contact your administrator to request access if necessary."
    )


def allowed_companies(user: User, context: dict[str, Any]) -> tuple[int, ...]:
    """env.companies: the context's allowed_company_ids, checked, else all the user's companies."""
    wanted = context.get("allowed_company_ids")
    if not wanted:
        return user.company_ids
    if not isinstance(wanted, list) or not set(wanted) <= set(user.company_ids):
        raise AccessError("Access to unauthorized or invalid companies.")
    return tuple(wanted)
