"""Odoo domains compiled to SQL, as Odoo's ORM does, so filtering costs what an index costs.

`compile_domain(registry, model, domain, alias)` returns a WHERE expression and its parameters.
Semantics follow Odoo 19: prefix `&` `|` `!` with an implicit `&` between terms; `= False`
means NULL (and '' for text); `!=`/`not in` keep NULLs; `like`/`ilike` wrap the value in `%`;
dotted paths and `any` go through a subquery on the comodel; `child_of`/`parent_of` use
`parent_path`; a date-only string against a datetime means that day (UTC).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .errors import OdooTypeError, OdooValueError
from .models import Field, Model, Registry

NEGATIVE = {
    "!=": "=",
    "not in": "in",
    "not like": "like",
    "not ilike": "ilike",
    "not =like": "=like",
    "not =ilike": "=ilike",
    "not any": "any",
    "not any!": "any!",
}
COMPARISONS = {"<", ">", "<=", ">="}
LIKES = {"like", "ilike", "=like", "=ilike"}
OPERATORS = (
    {"=", "=?", "in", "child_of", "parent_of", "any", "any!"} | COMPARISONS | LIKES | set(NEGATIVE)
)
TEXT_TYPES = {"char", "text", "html", "selection"}
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TRUE_SQL, FALSE_SQL = "TRUE", "FALSE"


@dataclass
class Sql:
    """A SQL fragment with its positional parameters."""

    text: str
    params: list[Any]

    @staticmethod
    def join(op: str, parts: Sequence[Sql]) -> Sql:
        return Sql(
            f" {op} ".join(f"({p.text})" for p in parts), [x for p in parts for x in p.params]
        )


def parse(domain: Any) -> Any:
    """Domain list -> tree of ('&'|'|', a, b), ('!', a) and leaf tuples; raises like Odoo."""
    if not isinstance(domain, (list, tuple)):
        raise OdooTypeError(f"Domain() invalid argument type for domain: {domain!r}")
    stack: list[Any] = []
    for item in reversed(domain):
        if item in ("&", "|") and isinstance(item, str):
            if len(stack) < 2:
                raise _malformed(domain)
            stack.append((item, stack.pop(), stack.pop()))
        elif item == "!" and isinstance(item, str):
            if not stack:
                raise _malformed(domain)
            stack.append(("!", stack.pop()))
        elif isinstance(item, (list, tuple)) and len(item) == 3:
            leaf = tuple(item)
            if leaf[1] not in OPERATORS:
                raise OdooValueError(f"Invalid operator in condition {leaf!r}")
            stack.append(leaf)
        else:
            raise _malformed(domain)
    tree: Any = None
    for node in reversed(stack):  # remaining terms are and-ed, in order
        tree = node if tree is None else ("&", tree, node)
    return tree


def _malformed(domain: Any) -> OdooValueError:
    return OdooValueError(f"Domain() malformed domain {list(domain)!r}")


def mentions_field(tree: Any, name: str) -> bool:
    """Whether any leaf of the parsed domain starts with field `name` (for active_test)."""
    if tree is None:
        return False
    if tree[0] in ("&", "|") and len(tree) == 3 and isinstance(tree[1], tuple):
        return mentions_field(tree[1], name) or mentions_field(tree[2], name)
    if tree[0] == "!" and len(tree) == 2:
        return mentions_field(tree[1], name)
    return isinstance(tree[0], str) and tree[0].split(".")[0] == name


class Compiler:
    """Compiles parsed domains of one registry; `active_test` applies to `any` subqueries."""

    def __init__(self, registry: Registry, active_test: bool = True) -> None:
        self.registry = registry
        self.active_test = active_test
        self._aliases = 0

    def where(self, model: Model, domain: Any, alias: str) -> Sql:
        tree = parse(domain)
        return Sql(TRUE_SQL, []) if tree is None else self._node(model, tree, alias)

    def _node(self, model: Model, node: tuple, alias: str) -> Sql:
        if node[0] in ("&", "|") and len(node) == 3 and isinstance(node[1], tuple):
            op = "AND" if node[0] == "&" else "OR"
            return Sql.join(
                op, [self._node(model, node[1], alias), self._node(model, node[2], alias)]
            )
        if node[0] == "!" and len(node) == 2:
            inner = self._node(model, node[1], alias)
            return Sql(f"NOT ({inner.text})", inner.params)
        return self._leaf(model, node, alias)

    # -- leaves ---------------------------------------------------------------------------

    def _leaf(self, model: Model, leaf: tuple, alias: str) -> Sql:
        path, op, value = leaf
        if path in (0, 1) and op == "=" and value == 1:  # Odoo's TRUE_LEAF / FALSE_LEAF
            return Sql(TRUE_SQL if path == 1 else FALSE_SQL, [])
        if not isinstance(path, str):
            raise OdooValueError(f"Invalid field {model.name}.{path} in condition {leaf!r}")
        name, _, rest = path.partition(".")
        field = model.fields.get(name)
        if field is None:
            raise OdooValueError(f"Invalid field {model.name}.{name} in condition {leaf!r}")
        if op in NEGATIVE and op.startswith("not any"):
            return self._negate(field, self._leaf(model, (path, NEGATIVE[op], value), alias), alias)
        if rest:
            return self._related(field, alias, [(rest, op, value)], active_test=False, leaf=leaf)
        if op in ("any", "any!"):
            return self._related(field, alias, value, active_test=op == "any", leaf=leaf)
        if op in ("child_of", "parent_of"):
            return self._hierarchy(model, field, op, value, alias, leaf)
        if field.type == "many2one" and _is_name_value(value) and op not in COMPARISONS:
            return self._by_name(field, op, value, alias, leaf)
        if field.type in ("one2many", "many2many"):
            raise OdooValueError(f"Unsupported condition on {field.type} field {leaf!r}")
        return self._compare(field, op, value, f'"{alias}"."{field.column}"')

    def _compare(self, field: Field, op: str, value: Any, col: str) -> Sql:
        if op == "=?":
            return (
                Sql(TRUE_SQL, [])
                if value is False or value is None
                else self._compare(field, "=", value, col)
            )
        if op in NEGATIVE:
            positive = self._compare(field, NEGATIVE[op], value, col)
            nulls_match = not self._compare_matches_null(field, NEGATIVE[op], value)
            text = f"NOT ({positive.text})"
            if nulls_match:
                text = f"({text} OR {col} IS NULL)"
            return Sql(text, positive.params)
        if field.type == "datetime" and isinstance(value, str) and _DATE_ONLY.match(value):
            return self._date_on_datetime(op, value, col)
        if field.type == "datetime" and isinstance(value, str):
            value = _normalize_datetime(value)
        if op == "=":
            return self._equals(field, value, col)
        if op == "in":
            return self._in(field, value, col)
        if op in COMPARISONS:
            return Sql(f"{col} {op} ?", [_param(field, value)])
        return self._like(op, value, col)

    def _compare_matches_null(self, field: Field, op: str, value: Any) -> bool:
        """Whether the positive condition already matches NULL (then its negation must not)."""
        if op == "=":
            return value is False or value is None
        if op == "in":
            values = value if isinstance(value, (list, tuple)) else [value]
            return any(v is False or v is None for v in values)
        return False

    def _equals(self, field: Field, value: Any, col: str) -> Sql:
        if field.type == "boolean":
            return Sql(f"{col} = 1", []) if value else Sql(f"({col} IS NULL OR {col} = 0)", [])
        if value is False or value is None:
            if field.type in TEXT_TYPES:
                return Sql(f"({col} IS NULL OR {col} = '')", [])
            return Sql(f"{col} IS NULL", [])
        return Sql(f"{col} = ?", [_param(field, value)])

    def _in(self, field: Field, value: Any, col: str) -> Sql:
        values = list(value) if isinstance(value, (list, tuple, set)) else [value]
        if field.type == "boolean":
            parts = [self._equals(field, v, col) for v in {bool(v) for v in values}]
            return Sql.join("OR", parts) if parts else Sql(FALSE_SQL, [])
        real = [_param(field, v) for v in values if v is not False and v is not None]
        parts = []
        if real:
            parts.append(Sql(f"{col} IN ({', '.join('?' for _ in real)})", real))
        if len(real) < len(values):
            parts.append(self._equals(field, False, col))
        return Sql.join("OR", parts) if parts else Sql(FALSE_SQL, [])

    def _like(self, op: str, value: Any, col: str) -> Sql:
        pattern = "" if value is False or value is None else str(value)
        if op in ("like", "ilike"):
            pattern = f"%{pattern}%"
        if op in ("ilike", "=ilike"):
            return Sql(f"lower({col}) LIKE lower(?)", [pattern])
        return Sql(f"{col} LIKE ?", [pattern])

    def _date_on_datetime(self, op: str, value: str, col: str) -> Sql:
        day = dt.date.fromisoformat(value)
        start = f"{day} 00:00:00"
        nxt = f"{day + dt.timedelta(days=1)} 00:00:00"
        if op == "=":
            return Sql(f"({col} >= ? AND {col} < ?)", [start, nxt])
        if op in (">", ">="):
            return Sql(f"{col} >= ?", [nxt if op == ">" else start])
        if op in ("<", "<="):
            return Sql(f"{col} < ?", [nxt if op == "<=" else start])
        if op == "in":
            return Sql(f"{col} IN (?)", [start])
        return self._like(op, value, col)

    # -- relational -----------------------------------------------------------------------

    def _comodel(self, field: Field, leaf: tuple) -> Model:
        if field.relation not in self.registry:
            raise OdooValueError(f"Invalid field {field.model}.{field.name} in condition {leaf!r}")
        return self.registry[field.relation]

    def _subquery(self, comodel: Model, domain: Any, active_test: bool, select: str = "id") -> Sql:
        self._aliases += 1
        alias = f"{comodel.table}__{self._aliases}"
        tree = parse(domain)
        parts = [] if tree is None else [self._node(comodel, tree, alias)]
        if active_test and comodel.has_active and not mentions_field(tree, "active"):
            parts.append(Sql(f'"{alias}"."active" = 1', []))
        where = Sql.join("AND", parts) if parts else Sql(TRUE_SQL, [])
        text = f'SELECT "{alias}"."{select}" FROM "{comodel.table}" AS "{alias}" WHERE {where.text}'
        return Sql(text, where.params)

    def _related(
        self, field: Field, alias: str, domain: Any, active_test: bool, leaf: tuple
    ) -> Sql:
        comodel = self._comodel(field, leaf)
        active_test = active_test and self.active_test
        if field.type == "many2one":
            sub = self._subquery(comodel, domain, active_test)
            return Sql(f'"{alias}"."{field.column}" IN ({sub.text})', sub.params)
        if field.type == "one2many":
            sub = self._subquery(comodel, domain, active_test, select=field.relation_field or "id")
            return Sql(f'"{alias}"."id" IN ({sub.text})', sub.params)
        raise OdooValueError(f"Unsupported condition on {field.type} field {leaf!r}")

    def _negate(self, field: Field, positive: Sql, alias: str) -> Sql:
        col = f'"{alias}"."{field.column or "id"}"'
        return Sql(f"(NOT ({positive.text}) OR {col} IS NULL)", positive.params)

    def _by_name(self, field: Field, op: str, value: Any, alias: str, leaf: tuple) -> Sql:
        """many2one compared to a name: match the comodel's display_name (Odoo's name_search)."""
        positive = NEGATIVE.get(op, op)
        sub_leaf = ("display_name", positive, value)
        sub = self._related(field, alias, [sub_leaf], active_test=False, leaf=leaf)
        return self._negate(field, sub, alias) if op in NEGATIVE else sub

    def _hierarchy(
        self, model: Model, field: Field, op: str, value: Any, alias: str, leaf: tuple
    ) -> Sql:
        if field.name == "id" or (field.type == "many2one" and field.relation == model.name):
            target, col = model, f'"{alias}"."id"'
        elif field.type == "many2one":
            target, col = self._comodel(field, leaf), f'"{alias}"."{field.column}"'
        else:
            raise OdooValueError(f"Invalid condition {leaf!r}")
        roots = self._roots(target, value)
        if not target.parent or "parent_path" not in target.fields:
            return Sql(f"{col} IN ({roots.text})", roots.params)
        self._aliases += 1
        c, p = f"c{self._aliases}", f"p{self._aliases}"
        found, given = (c, p) if op == "child_of" else (p, c)
        text = (
            f'SELECT "{found}"."id" FROM "{target.table}" AS "{c}" JOIN "{target.table}" AS "{p}" '
            f'ON "{c}"."parent_path" LIKE "{p}"."parent_path" || \'%\' '
            f'WHERE "{given}"."id" IN ({roots.text})'
        )
        return Sql(f"{col} IN ({text})", roots.params)

    def _roots(self, target: Model, value: Any) -> Sql:
        """The ids child_of/parent_of start from: ids as given, or names via display_name."""
        values = list(value) if isinstance(value, (list, tuple)) else [value]
        names = [v for v in values if isinstance(v, str)]
        ids = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
        parts = []
        if ids:
            parts.append(Sql("SELECT value FROM json_each(?)", [_json_list(ids)]))
        for name in names:
            parts.append(
                self._subquery(target, [("display_name", "ilike", name)], self.active_test)
            )
        if not parts:
            return Sql("SELECT NULL WHERE 0", [])
        return Sql(" UNION ".join(p.text for p in parts), [x for p in parts for x in p.params])


def _is_name_value(value: Any) -> bool:
    if isinstance(value, str):
        return True
    return (
        isinstance(value, (list, tuple)) and bool(value) and all(isinstance(v, str) for v in value)
    )


def _normalize_datetime(value: str) -> str:
    value = value.replace("T", " ")
    return value + ":00" if len(value) == 16 else value[:19]


def _param(field: Field, value: Any) -> Any:
    if field.type == "boolean":
        return 1 if value else 0
    return value


def _json_list(values: list[int]) -> str:
    return "[" + ",".join(str(int(v)) for v in values) + "]"


def compile_domain(
    registry: Registry, model: Model, domain: Any, alias: str, active_test: bool = True
) -> Sql:
    """Convenience: one-shot compilation of `domain` on `model` (table aliased `alias`)."""
    return Compiler(registry, active_test).where(model, domain, alias)
