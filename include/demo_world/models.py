"""The model registry: what the demo world serves, loaded from the field specs in fields.yml.

Everything else (schema, domain compiler, ORM, fields_get) is generic over this registry, so a new
model is a new entry in fields.yml plus rows from the generator, not new code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

SPEC_PATH = Path(__file__).with_name("fields.yml")

#: fields_get attributes that Odoo reports for every field, with the value assumed when a spec
#: leaves them out.
ATTRIBUTE_DEFAULTS: dict[str, Any] = {
    "required": False,
    "readonly": False,
    "store": True,
    "company_dependent": False,
}

#: SQLite column type per Odoo field type (x2many have no column; many2many is a JSON list).
COLUMN_TYPES = {
    "integer": "INTEGER",
    "many2one": "INTEGER",
    "float": "REAL",
    "monetary": "REAL",
    "boolean": "INTEGER",
    "char": "TEXT",
    "text": "TEXT",
    "html": "TEXT",
    "selection": "TEXT",
    "date": "TEXT",
    "datetime": "TEXT",
    "many2many": "TEXT",
}

#: Magic columns that are never NULL (lets ORDER BY skip NULLS clauses and use the indexes).
NOT_NULL = ("id", "create_date", "write_date")


@dataclass(frozen=True)
class Field:
    """One field of a model, with its fields_get metadata."""

    model: str
    name: str
    type: str
    meta: dict[str, Any]

    @property
    def relation(self) -> str | None:
        return self.meta.get("relation")

    @property
    def relation_field(self) -> str | None:
        return self.meta.get("relation_field")

    @property
    def column(self) -> str | None:
        """The SQLite column holding the value, or None for one2many (computed from the inverse)."""
        return None if self.type == "one2many" else self.name

    @property
    def not_null(self) -> bool:
        """Never NULL in the store: magic keys and booleans (stored 0/1, as Odoo reads them)."""
        return self.name in NOT_NULL or self.type == "boolean"

    def describe(self, attributes: list[str] | None) -> dict[str, Any]:
        """fields_get entry: every known attribute, or only the ones asked for (as Odoo does)."""
        full = {"type": self.type, **ATTRIBUTE_DEFAULTS, **self.meta}
        if attributes is None:
            return full
        return {a: full[a] for a in sorted(attributes) if a in full}


@dataclass(frozen=True)
class Rule:
    """A record rule: users in any of `groups` only see records matching `domain`.

    The domain may name the value "uid", replaced by the caller's user id (Odoo's `user.id`).
    """

    groups: tuple[str, ...]
    domain: tuple[Any, ...]

    def bind(self, uid: int) -> list[Any]:
        return [
            [leaf[0], leaf[1], uid if leaf[2] == "uid" else leaf[2]]
            if isinstance(leaf, (list, tuple))
            else leaf
            for leaf in self.domain
        ]


@dataclass
class Model:
    """A model: its table, default order, security hooks and fields (in fields_get order)."""

    name: str
    description: str
    order: str
    fields: dict[str, Field]
    parent: str | None = None
    company_rule: str | None = None
    access: tuple[str, ...] = ()
    indexes: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()

    @property
    def table(self) -> str:
        return self.name.replace(".", "_")

    @property
    def has_active(self) -> bool:
        return "active" in self.fields

    def columns(self) -> list[Field]:
        """Fields stored as columns, id first."""
        return [f for f in self.fields.values() if f.column]


class Registry:
    """All models served, by name; Odoo's `env.registry`."""

    def __init__(self, models: dict[str, Model]) -> None:
        self.models = models

    def __contains__(self, name: object) -> bool:
        return name in self.models

    def __getitem__(self, name: str) -> Model:
        return self.models[name]

    def __iter__(self):
        return iter(self.models.values())


def _build_model(name: str, spec: dict[str, Any]) -> Model:
    fields = {}
    for fname, attrs in spec["fields"].items():
        meta = {k: v for k, v in attrs.items() if k != "type"}
        fields[fname] = Field(name, fname, attrs["type"], meta)
    company_rule = spec.get("company_rule") or ("company_id" if "company_id" in fields else None)
    rules = tuple(Rule(tuple(r["groups"]), tuple(r["domain"])) for r in spec.get("rules", ()))
    return Model(
        name=name,
        description=spec["description"],
        order=spec["order"],
        fields=fields,
        parent=spec.get("parent"),
        company_rule=None if company_rule == "none" else company_rule,
        rules=rules,
        access=tuple(spec.get("access", ())),
        indexes=tuple(spec.get("indexes", ())),
    )


@cache
def load_registry(path: Path = SPEC_PATH) -> Registry:
    """Parse fields.yml once per process."""
    specs = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Registry({name: _build_model(name, spec) for name, spec in specs.items()})
