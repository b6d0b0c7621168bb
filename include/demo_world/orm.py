"""ORM-lite: Odoo's public model methods, generic over the registry and backed by SQL.

`Database.call(user, model, method, args, kwargs)` is what both wire protocols end in. Each call
is one read transaction; search compiles the domain (plus active_test and the company rule) and
the order to one SELECT with LIMIT/OFFSET, and read formats values the way Odoo's `read` does.
"""

from __future__ import annotations

import inspect
import json
import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from . import grouping
from .domain import Compiler, Sql, mentions_field, parse
from .errors import (
    AccessError,
    InvalidTextRepresentation,
    OdooAttributeError,
    OdooTypeError,
    OdooValueError,
)
from .models import Field, Model, Registry
from .security import ADMIN_GROUP, User, Users, allowed_companies, check_model_access
from .store import Store

DB_NAME = "demo"
ALIAS = "t"
_ORDER_RE = re.compile(
    r"^(\s*([a-z0-9:_]+|\"[a-z0-9:_]+\")(\s+(desc|asc))?(\s+nulls\s+(first|last))?\s*(,|$))+(?<!,)$",
    re.IGNORECASE,
)
# Python-style names Odoo's TypeErrors carry for each public method.
_QUALNAMES = {"search_read": "BaseModel._read_format"}


def public(api_model: bool = True) -> Callable:
    """Mark a method callable over RPC; `api_model=False` means its first argument is ids."""

    def mark(fn: Callable) -> Callable:
        fn.rpc_public = True
        fn.api_model = api_model
        return fn

    return mark


class Database:
    """One served database: the store, its registry and its users."""

    def __init__(self, store: Store, registry: Registry, name: str = DB_NAME) -> None:
        self.store = store
        self.registry = registry
        self.name = name
        self.users = Users(store)

    def methods(self, model: str) -> dict[str, Callable]:
        """Public methods of a model (for dispatch and the /doc-bearer description)."""
        cls = MODEL_CLASSES.get(model, BaseModel)
        return {
            name: fn for name in dir(cls) if getattr(fn := getattr(cls, name), "rpc_public", False)
        }

    def call(
        self, user: User, model: str, method: str, args: list[Any], kwargs: dict[str, Any]
    ) -> Any:
        """Run `model.method(*args, **kwargs)` as `user`, with Odoo's errors."""
        spec = self.registry[model]
        if method.startswith("_"):
            raise AccessError(
                f"Private methods (such as '{model}.{method}') cannot be called remotely."
            )
        fn = self.methods(model).get(method)
        if fn is None:
            raise OdooAttributeError(f"The method '{model}.{method}' does not exist")
        kwargs = dict(kwargs)
        context = kwargs.pop("context", None) or {}
        if not isinstance(context, dict):
            raise OdooTypeError("context must be a dictionary")
        check_model_access(user, spec)
        recs = MODEL_CLASSES.get(model, BaseModel)(self, spec, user, context)
        if not fn.api_model:
            if not args and "ids" not in kwargs:
                raise OdooTypeError(f"{_qualname(method)}() missing 1 required positional argument")
            ids = args[0] if args else kwargs.pop("ids")
            recs.ids = _to_ids(ids)
            args = args[1:]
        bound = _bind(fn, method, recs, args, kwargs)
        with self.store.connection() as conn:
            conn.execute("BEGIN")
            recs.conn = conn
            try:
                return fn(*bound.args, **bound.kwargs)
            finally:
                conn.rollback()


def _qualname(method: str) -> str:
    return _QUALNAMES.get(method, f"BaseModel.{method}")


def _bind(fn: Callable, method: str, recs: BaseModel, args: list, kwargs: dict):
    try:
        return inspect.signature(fn).bind(recs, *args, **kwargs)
    except TypeError as exc:
        raise OdooTypeError(f"{_qualname(method)}() {exc}") from None


def _to_ids(ids: Any) -> list[int]:
    values = list(ids) if isinstance(ids, (list, tuple, str)) else [ids]
    out = []
    for v in values:
        if isinstance(v, int) and not isinstance(v, bool):
            out.append(v)
        elif isinstance(v, str) and v.strip().lstrip("-").isdigit():
            out.append(int(v))
        else:
            raise InvalidTextRepresentation.for_value("integer", v)
    return out


def _check_int(value: Any) -> int | None:
    if value is None or value is False:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTextRepresentation.for_value("bigint", value)
    return value


class ReadPlan:
    """How to read a list of fields: SELECT columns, LEFT JOINs and per-field converters."""

    def __init__(self) -> None:
        self.select: list[str] = []
        self.joins: list[str] = []
        self.readers: list[tuple[str, int, Callable[[tuple, int], Any]]] = []
        self.one2many: list[Field] = []
        self.names: list[str] = []

    @property
    def columns(self) -> str:
        return ", ".join(self.select)

    def source(self, model: Model) -> str:
        return " ".join([f'"{model.table}" AS "{ALIAS}"', *self.joins])


class BaseModel:
    """The methods every model has. `ids` is set for record methods (read)."""

    def __init__(self, db: Database, model: Model, user: User, context: dict[str, Any]) -> None:
        self.db = db
        self.model = model
        self.user = user
        self.context = context
        self.ids: list[int] = []
        self.conn: Any = None
        self.companies = allowed_companies(user, context)

    # -- public API ----------------------------------------------------------------------

    @public()
    def search_read(
        self,
        domain: Any = None,
        fields: list[str] | None = None,
        offset: int = 0,
        limit: int | None = None,
        order: str | None = None,
        load: str = "_classic_read",
    ) -> list[dict[str, Any]]:
        plan = self._read_plan(self._check_fields(fields))
        query = self._search_sql(domain or [], offset, limit, order, plan)
        return self._fetch(query, plan)

    @public()
    def search(
        self, domain: Any, offset: int = 0, limit: int | None = None, order: str | None = None
    ) -> list[int]:
        query = self._search_sql(domain, offset, limit, order)
        return [r[0] for r in self.conn.execute(query.text, query.params)]

    @public()
    def search_count(self, domain: Any, limit: int | None = None) -> int:
        query = self._search_sql(domain, 0, limit, "id")
        sql = f"SELECT count(*) FROM ({query.text})"
        return self.conn.execute(sql, query.params).fetchone()[0]

    @public(api_model=False)
    def read(self, fields: list[str] | None = None, load: str = "_classic_read") -> list[dict]:
        plan = self._read_plan(self._check_fields(fields))
        ids = list(dict.fromkeys(self.ids))
        if not ids:
            return []
        query = Sql(
            f"SELECT {plan.columns} FROM {plan.source(self.model)} "
            f'WHERE "{ALIAS}"."id" IN (SELECT value FROM json_each(?))',
            [json.dumps(ids)],
        )
        rows = {r["id"]: r for r in self._fetch(query, plan)}
        return [rows[i] for i in ids if i in rows]

    @public()
    def fields_get(
        self, allfields: list[str] | None = None, attributes: list[str] | None = None
    ) -> dict[str, dict[str, Any]]:
        return {
            name: f.describe(attributes)
            for name, f in self.model.fields.items()
            if not allfields or name in allfields
        }

    @public()
    def name_search(
        self, name: str = "", domain: Any = None, operator: str = "ilike", limit: int = 100
    ) -> list[list[Any]]:
        full = list(domain or [])
        if name:
            full = (
                ["&", ("display_name", operator, name), *full]
                if full
                else [("display_name", operator, name)]
            )
        plan = self._read_plan(["id", "display_name"])
        rows = self._fetch(self._search_sql(full, 0, limit, None, plan), plan)
        return [[r["id"], r["display_name"]] for r in rows]

    # -- search ----------------------------------------------------------------------------

    def _search_sql(
        self, domain: Any, offset: Any, limit: Any, order: Any, plan: ReadPlan | None = None
    ) -> Sql:
        """One SELECT of the records matching: the ids, or the plan's columns; ordered, paged."""
        limit, offset = _check_int(limit), _check_int(offset) or 0
        cond = self._condition(domain)
        columns = plan.columns if plan else f'"{ALIAS}"."id"'
        source = plan.source(self.model) if plan else f'"{self.model.table}" AS "{ALIAS}"'
        sql = (
            f"SELECT {columns} FROM {source} WHERE {cond.text} "
            f"ORDER BY {self._order_sql(order)} LIMIT ? OFFSET ?"
        )
        return Sql(sql, [*cond.params, -1 if limit is None else limit, offset])

    def _condition(self, domain: Any) -> Sql:
        """The WHERE of a search: the domain, active_test and the record rules."""
        active_test = self.context.get("active_test", True) is not False
        where = Compiler(self.db.registry, active_test).where(self.model, domain, ALIAS)
        parts = [where]
        if active_test and self.model.has_active and not mentions_field(parse(domain), "active"):
            parts.append(Sql(f'"{ALIAS}"."active" = 1', []))
        parts += self._rule_sql()
        return Sql.join("AND", parts)

    # -- grouping --------------------------------------------------------------------------

    @public()
    def read_group(
        self,
        domain: Any,
        fields: list[str],
        groupby: Any,
        offset: int = 0,
        limit: int | None = None,
        orderby: str | bool = False,
        lazy: bool = True,
    ) -> list[dict[str, Any]]:
        groups = grouping.parse_groupby(self.model, groupby)
        if lazy:
            groups = groups[:1]
        aggs = [grouping.parse_aggregate(self.model, f, default_sum=True) for f in fields or []]
        aggs = [(key.partition(":")[0], sql) for key, sql in aggs if key != "__count"]
        count_key = f"{groups[0].field}_count" if lazy and groups else "__count"
        rows = self._group_rows(domain, groups, [(count_key, "COUNT(*)"), *aggs], offset, limit)
        out = []
        for values, measures in rows:
            rec: dict[str, Any] = {}
            for g, v in zip(groups, values, strict=True):
                rec[g.spec] = self._group_value(g, v, label_only=True)
            rec.update(measures)
            conds = [grouping.group_condition(g, v) for g, v in zip(groups, values, strict=True)]
            rec["__domain"] = grouping.and_domains([*conds, list(domain or [])])
            ranges = {
                g.spec: dict(zip(("from", "to"), g.bounds(v), strict=True))
                for g, v in zip(groups, values, strict=True)
                if g.granularity and v
            }
            if ranges:
                rec["__range"] = ranges
            out.append(rec)
        return out

    @public()
    def formatted_read_group(
        self,
        domain: Any,
        groupby: Any = (),
        aggregates: Any = (),
        having: Any = (),
        offset: int = 0,
        limit: int | None = None,
        order: str | None = None,
    ) -> list[dict[str, Any]]:
        groups = grouping.parse_groupby(self.model, groupby)
        aggs = [grouping.parse_aggregate(self.model, a) for a in aggregates or []]
        rows = self._group_rows(domain, groups, aggs, offset, limit)
        out = []
        for values, measures in rows:
            rec: dict[str, Any] = {
                g.spec: self._group_value(g, v, label_only=False)
                for g, v in zip(groups, values, strict=True)
            }
            conds = [grouping.group_condition(g, v) for g, v in zip(groups, values, strict=True)]
            rec["__extra_domain"] = grouping.and_domains(conds)
            rec.update(measures)
            out.append(rec)
        return out

    def _group_rows(
        self, domain: Any, groups: list, aggs: list[tuple[str, str]], offset: Any, limit: Any
    ) -> list[tuple[tuple, dict[str, Any]]]:
        limit, offset = _check_int(limit), _check_int(offset) or 0
        cond = self._condition(domain or [])
        keys = [g.sql(ALIAS) for g in groups]
        select = ", ".join([*keys, *(sql for _, sql in aggs)]) or "COUNT(*)"
        sql = f'SELECT {select} FROM "{self.model.table}" AS "{ALIAS}" WHERE {cond.text}'
        if keys:
            order = ", ".join(f"{k} ASC NULLS LAST" for k in keys)
            sql += f" GROUP BY {', '.join(keys)} ORDER BY {order}"
        sql += " LIMIT ? OFFSET ?"
        rows = self.conn.execute(sql, [*cond.params, -1 if limit is None else limit, offset])
        out = []
        n = len(groups)
        for row in rows.fetchall():
            measures = {key: _measure(v) for (key, _), v in zip(aggs, row[n:], strict=True)}
            out.append((tuple(row[:n]), measures))
        return out

    def _group_value(self, g: Any, value: Any, label_only: bool) -> Any:
        if value is None:
            return False
        if g.granularity:
            label = g.label(value)
            return label if label_only else [g.bounds(value)[0], label]
        field = self.model.fields[g.field]
        if field.type == "many2one" and field.relation in self.db.registry:
            comodel = self.db.registry[field.relation]
            row = self.conn.execute(
                f'SELECT display_name FROM "{comodel.table}" WHERE id = ?', [value]
            ).fetchone()
            return [value, row[0] if row else ""]
        if field.type == "boolean":
            return bool(value)
        return value

    def _rule_sql(self) -> list[Sql]:
        """Record rules: the user's group rules, then the multi-company rule."""
        compiler = Compiler(self.db.registry, active_test=False)
        parts = [
            compiler.where(self.model, r.bind(self.user.uid), ALIAS)
            for r in self.model.rules
            if self.user.groups & set(r.groups) and ADMIN_GROUP not in self.user.groups
        ]
        rule = self.model.company_rule
        if not rule:
            return parts
        col = f'"{ALIAS}"."{rule}"'
        ids = json.dumps(list(self.companies))
        text = f"{col} IN (SELECT value FROM json_each(?))"
        if rule != "id":
            text = f"({text} OR {col} IS NULL)"
        return [*parts, Sql(text, [ids])]

    def _order_sql(self, order: Any) -> str:
        spec = order or self.model.order
        if not isinstance(spec, str) or not _ORDER_RE.match(spec):
            raise OdooValueError(
                f'Invalid "order" specified ({spec}). A valid "order" specification is a '
                "comma-separated list of valid field names (optionally followed by asc/desc for "
                "the direction)"
            )
        terms, seen = [], set()
        for term in spec.split(","):
            words = term.split()
            name = words[0].strip('"')
            field = self.model.fields.get(name)
            if field is None or not field.column:
                raise OdooValueError(f"Invalid field {name!r} on model {self.model.name!r}")
            direction = words[1].upper() if len(words) > 1 else "ASC"
            nulls = " ".join(w.upper() for w in words[2:4])
            if not nulls and not field.not_null:  # PostgreSQL's default NULL placement
                nulls = "NULLS LAST" if direction == "ASC" else "NULLS FIRST"
            terms.append(f'"{ALIAS}"."{field.column}" {direction} {nulls}'.rstrip())
            seen.add(name)
        if "id" not in seen:  # a total order, so that paging is stable
            terms.append(f'"{ALIAS}"."id" ASC')
        return ", ".join(terms)

    # -- read ------------------------------------------------------------------------------

    def _check_fields(self, fields: Any) -> list[str]:
        if not fields:
            return list(self.model.fields)
        if isinstance(fields, str):
            fields = [fields]
        for name in fields:
            if name not in self.model.fields:
                raise OdooValueError(f"Invalid field {name!r} on {self.model.name!r}")
        return ["id", *(f for f in dict.fromkeys(fields) if f != "id")]

    def _read_plan(self, names: list[str]) -> ReadPlan:
        """Columns, joins and converters to read `names` in the same SELECT as the search."""
        plan = ReadPlan()
        plan.names = list(names)
        for i, f in enumerate(self.model.fields[n] for n in names):
            if f.type == "one2many":
                plan.one2many.append(f)
                continue
            col = f'"{ALIAS}"."{f.column}"'
            plan.select.append(col)
            if f.type == "many2one" and f.relation in self.db.registry:
                j = f"j{i}"
                comodel = self.db.registry[f.relation]
                plan.joins.append(f'LEFT JOIN "{comodel.table}" AS "{j}" ON "{j}"."id" = {col}')
                plan.select.append(f'"{j}"."display_name"')
                plan.readers.append((f.name, len(plan.select) - 2, _m2o))
            elif f.type == "many2one":
                plan.readers.append((f.name, len(plan.select) - 1, _false))
            else:
                conv = _CONVERTERS.get(f.type, _or_false)
                plan.readers.append((f.name, len(plan.select) - 1, conv))
        return plan

    def _fetch(self, query: Sql, plan: ReadPlan) -> list[dict[str, Any]]:
        rows = self.conn.execute(query.text, query.params).fetchall()
        readers = plan.readers
        out = [{name: conv(row, idx) for name, idx, conv in readers} for row in rows]
        for f in plan.one2many:
            self._read_one2many(f, out)
        if plan.one2many:  # back to the order the fields were asked in
            out = [{n: rec[n] for n in plan.names} for rec in out]
        return out

    def _read_one2many(self, field: Field, records: list[dict[str, Any]]) -> None:
        comodel = self.db.registry[field.relation]
        ids = json.dumps([r["id"] for r in records])
        sql = (
            f'SELECT "{field.relation_field}", id FROM "{comodel.table}" '
            f'WHERE "{field.relation_field}" IN (SELECT value FROM json_each(?)) ORDER BY id'
        )
        children: dict[int, list[int]] = defaultdict(list)
        for parent, child in self.conn.execute(sql, [ids]):
            children[parent].append(child)
        for rec in records:
            rec[field.name] = children.get(rec["id"], [])


def _measure(value: Any) -> Any:
    return 0 if value is None else value


def _m2o(row: tuple, i: int) -> Any:
    return [row[i], row[i + 1]] if row[i] is not None else False


def _false(row: tuple, i: int) -> bool:
    return False


def _or_false(row: tuple, i: int) -> Any:
    v = row[i]
    return False if v is None else v


_CONVERTERS: dict[str, Callable[[tuple, int], Any]] = {
    "boolean": lambda row, i: bool(row[i]),
    "integer": lambda row, i: row[i] or 0,
    "float": lambda row, i: float(row[i] or 0.0),
    "monetary": lambda row, i: float(row[i] or 0.0),
    "many2many": lambda row, i: json.loads(row[i]) if row[i] else [],
}


class ResUsers(BaseModel):
    @public()
    def context_get(self) -> dict[str, Any]:
        """The user's context, which clients merge into every later call."""
        return {"lang": self.user.lang, "tz": self.user.tz, "uid": self.user.uid}


MODEL_CLASSES: dict[str, type[BaseModel]] = {"res.users": ResUsers}
