"""Read the catalog's (Odoo 19) field names from any Odoo 16-19 server.

Some fields were renamed, replaced or added between versions. The map in
versions.yml says, per model and field, what to read instead on an older
server; nothing is guessed from names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

VERSIONS_PATH = Path(__file__).with_name("versions.yml")


@dataclass(frozen=True)
class FieldSource:
    """Where a catalog field comes from on one server version."""

    name: str  # the catalog's (warehouse's) field name
    source: str | None  # the server field to read; None when absent on this version
    type: str | None = None  # column type override (absent fields, value-mapped fields)
    values: dict[Any, Any] = field(default_factory=dict)
    default: Any = None

    def translate(self, value: Any) -> Any:
        """The server's value in the catalog field's terms."""
        if self.source is None:
            return False
        if self.values:
            return self.values.get(value, self.default)
        return value


def resolve(model: str, fields: tuple[str, ...], major: int) -> list[FieldSource]:
    """The source of every declared field on a server of this major version."""
    entries = _version_map().get(model, {})
    resolved = []
    for name in fields:
        entry = entries.get(name)
        if entry is None or major >= entry["before"]:
            resolved.append(FieldSource(name, name))
        elif "absent" in entry:
            resolved.append(FieldSource(name, None, type=entry["absent"]))
        else:
            resolved.append(
                FieldSource(
                    name,
                    entry["source"],
                    type=entry.get("type"),
                    values=entry.get("values", {}),
                    default=entry.get("default"),
                )
            )
    return resolved


@cache
def _version_map() -> dict[str, dict[str, dict[str, Any]]]:
    return yaml.safe_load(VERSIONS_PATH.read_text()) or {}
