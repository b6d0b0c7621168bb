"""Copies of one key in what a partner delivered: publish a record once, hold real conflicts.

Feeds deliver at least once (a carrier re-sends events, a bank repeats a booking in the
next day's statement), so the same key arriving twice is not bad input. Right after a
batch lands, before the gate checks key uniqueness, each key's copies are settled:

- identical copies (same values, wherever they came from) publish once; the extra copies
  leave landing and are counted in `ops.sync_runs.rows_duplicate`, as is a copy of a
  record already published from another delivery;
- under `duplicates: latest` a later copy is an update: older versions leave landing and
  are counted in `rows_superseded` (the later file or line wins; `updated_at` streams keep
  the newest `updated_at`);
- under `duplicates: conflict` (records that never change once sent) copies that differ
  move to quarantine, each with a reason naming the key, the columns that differ and
  every copy by its origin (`file:line` or feed page and line), and a copy that differs
  from the published record is held the same way; a steward keeps one copy (see
  `ops/duplicate_choice.py`) and releases it.

Odoo streams are not settled here: their copies are versions ordered by write_date.
"""

from __future__ import annotations

from dataclasses import dataclass

from psycopg import Connection, sql
from psycopg.types.json import Jsonb

from reporting_hub.catalog import SELF_DESCRIBING_SOURCES, Stream
from reporting_hub.ops.alerts import Alert, raise_alert
from reporting_hub.quality.quarantine import ensure_quarantine_table
from reporting_hub.quality.schema import table_columns

EXPECTATION = "conflicting_duplicates"
# Enough origins and keys to act on, in a reason or an alert, without flooding either.
SHOWN = 5


@dataclass(frozen=True)
class Settled:
    """What settling a batch's copies did."""

    duplicate: int = 0  # identical copies dropped
    superseded: int = 0  # older versions dropped (duplicates: latest)
    conflicting: int = 0  # copies moved to quarantine (duplicates: conflict)
    alert: Alert | None = None


def settle_duplicates(conn: Connection, stream: Stream, batch_id: str) -> Settled:
    """Settle the landed batch's copies (see the module docstring) and count them."""
    if stream.source in SELF_DESCRIBING_SOURCES or stream.duplicates is None:
        return Settled()
    copies = _Copies(conn, stream, batch_id)
    repeated = copies.any_repeated()  # most batches repeat no key: one cheap look
    duplicate = copies.drop_identical() if repeated else 0
    superseded = copies.drop_older_versions() if repeated and stream.duplicates == "latest" else 0
    immutable = stream.duplicates == "conflict"
    duplicate += copies.drop_published_copies() if immutable else 0
    conflicting = copies.hold_conflicts() if repeated else 0
    conflicting += copies.hold_conflicts_with_published() if immutable else 0
    conn.execute(
        "update ops.sync_runs set rows_duplicate = %s, rows_superseded = %s where batch_id = %s",
        (duplicate, superseded, batch_id),
    )
    alert = _alert(conn, stream, batch_id, conflicting) if conflicting else None
    return Settled(duplicate, superseded, conflicting, alert)


class _Copies:
    """The SQL of settling one batch: each method is one statement over the batch."""

    def __init__(self, conn: Connection, stream: Stream, batch_id: str) -> None:
        self.conn, self.stream = conn, stream
        self.params = {"batch": batch_id, "stream": stream.id}
        columns = list(table_columns(conn, "landing", stream.table))
        self.columns = columns
        self.data = [c for c in columns if c not in stream.lineage]
        self.landing = sql.Identifier("landing", stream.table)
        self.raw = sql.Identifier("raw", stream.table)

    # -- building blocks ----------------------------------------------------------------------

    def _list(self, names: list[str], alias: str | None = None) -> sql.Composable:
        if alias is None:
            return sql.SQL(", ").join(map(sql.Identifier, names))
        return sql.SQL(", ").join(sql.Identifier(alias, n) for n in names)

    @property
    def key(self) -> sql.Composable:
        return self._list(list(self.stream.primary_key))

    def _match(self, left: str, right: str) -> sql.Composable:
        return sql.SQL(" and ").join(
            sql.SQL("{} = {}").format(sql.Identifier(left, k), sql.Identifier(right, k))
            for k in self.stream.primary_key
        )

    def _order(self, alias: str) -> sql.Composable:
        """Delivery order: the lineage (file or page, then line), else the landing order."""
        names = [sql.Identifier(alias, c) for c in self.stream.lineage]
        return sql.SQL(", ").join(names or [sql.SQL("{}.ctid").format(sql.Identifier(alias))])

    def _origin(self, alias: str) -> sql.Composable:
        """A copy as a steward finds it again: `file:line` (or page:line), else its key."""
        if self.stream.lineage:
            file, line = (sql.Identifier(alias, c) for c in self.stream.lineage)
            return sql.SQL("{} || ':' || {}").format(file, line)
        return sql.SQL("'landing row ' || {}.ctid::text").format(sql.Identifier(alias))

    def _repeated_keys(self) -> sql.Composable:
        return sql.SQL(
            "({key}) in (select {key} from {landing} where _batch_id = %(batch)s "
            "group by {key} having count(*) > 1)"
        ).format(key=self.key, landing=self.landing)

    def any_repeated(self) -> bool:
        """Whether any key comes more than once in the batch."""
        return self.conn.execute(
            sql.SQL(
                "select exists (select 1 from {landing} where _batch_id = %(batch)s "
                "group by {key} having count(*) > 1)"
            ).format(landing=self.landing, key=self.key),
            self.params,
        ).fetchone()[0]

    def _delete_ranked(self, partition: list[str], order: sql.Composable) -> int:
        """Delete every row of the batch but the first of its partition (repeated keys only)."""
        cur = self.conn.execute(
            sql.SQL(
                "with ranked as (select ctid as tid, row_number() over "
                "(partition by {partition} order by {order}) as nth from {landing} l "
                "where _batch_id = %(batch)s and {repeated}) "
                "delete from {landing} l using ranked r where l.ctid = r.tid and r.nth > 1"
            ).format(
                partition=self._list(partition),
                order=order,
                landing=self.landing,
                repeated=self._repeated_keys(),
            ),
            self.params,
        )
        return cur.rowcount

    # -- the steps ----------------------------------------------------------------------------

    def drop_identical(self) -> int:
        """Copies with the same values as an earlier copy of the batch."""
        return self._delete_ranked(self.data, self._order("l"))

    def drop_older_versions(self) -> int:
        """All but the newest copy of each key: newest `updated_at`, else last delivered."""
        newest = sql.SQL(", ").join(
            [sql.SQL("{} desc nulls last").format(sql.Identifier("l", c)) for c in self._versions()]
        )
        if not self.stream.lineage:  # copies with one updated_at but other values conflict
            return self._drop_below_newest(newest)
        return self._delete_ranked(list(self.stream.primary_key), newest)

    def _versions(self) -> list[str]:
        if self.stream.cursor == "updated_at":
            return [self.stream.cursor]
        return list(self.stream.lineage)

    def _drop_below_newest(self, newest: sql.Composable) -> int:
        cur = self.conn.execute(
            sql.SQL(
                "with ranked as (select ctid as tid, rank() over "
                "(partition by {key} order by {newest}) as nth from {landing} l "
                "where _batch_id = %(batch)s and {repeated}) "
                "delete from {landing} l using ranked r where l.ctid = r.tid and r.nth > 1"
            ).format(
                key=self.key, newest=newest, landing=self.landing, repeated=self._repeated_keys()
            ),
            self.params,
        )
        return cur.rowcount

    def _published_elsewhere(self) -> sql.Composable:
        """Raw rows with the batch row's key that came from another delivery.

        A file's own earlier versions (the published files it replaces) are not another
        delivery: their rows are what the correction updates.
        """
        replaced = sql.SQL("")
        if self.stream.cursor == "files":
            replaced = sql.SQL(
                "and r._source_file <> all(coalesce((select f.supersedes from ops.file_ledger f "
                "where f.stream = %(stream)s and f.batch_id = l._batch_id "
                "and f.file_name = l._source_file and f.status = 'landed'), '{}'))"
            )
        return sql.SQL(
            "from {raw} r where {match} and r._deleted_at is null "
            "and r._batch_id <> l._batch_id {rep}"
        ).format(raw=self.raw, match=self._match("r", "l"), rep=replaced)

    def drop_published_copies(self) -> int:
        """Batch rows identical to the published record from another delivery."""
        same = sql.SQL("({}) is not distinct from ({})").format(
            self._list(self.data, "l"), self._list(self.data, "r")
        )
        cur = self.conn.execute(
            sql.SQL(
                "delete from {landing} l where l._batch_id = %(batch)s "
                "and exists (select 1 {elsewhere} and {same})"
            ).format(landing=self.landing, elsewhere=self._published_elsewhere(), same=same),
            self.params,
        )
        return cur.rowcount

    def hold_conflicts(self) -> int:
        """Keys whose copies in the batch still differ: every copy goes to quarantine."""
        differs = sql.SQL(", ").join(
            sql.SQL(
                "case when count(distinct l.{c}) + (bool_or(l.{c} is null) "
                "and bool_or(l.{c} is not null))::int > 1 then {name} end"
            ).format(c=sql.Identifier(c), name=sql.Literal(c))
            for c in self.data
        )
        ckey = self._list(list(self.stream.primary_key), "c")
        held = sql.SQL(
            "with copies as (select l.ctid as tid, {key}, {origin} as origin from {landing} l "
            "where _batch_id = %(batch)s and {repeated}), "
            "groups as (select {ckey}, jsonb_agg(c.origin order by c.origin) as copies, "
            "array_remove(array[{differs}]::text[], null) as differs_in "
            "from copies c join {landing} l on l.ctid = c.tid group by {ckey}), "
            "held as (select c.tid, c.origin, g.copies, g.differs_in, "
            "format('%%s came %%s times with different %%s: %%s', {key_text}, "
            "jsonb_array_length(g.copies), array_to_string(g.differs_in, ', '), {copies}) "
            "as detail from copies c join groups g on {gmatch}) "
        ).format(
            key=self._list(list(self.stream.primary_key), "l"),
            ckey=ckey,
            origin=self._origin("l"),
            landing=self.landing,
            repeated=self._repeated_keys(),
            differs=differs,
            key_text=self._key_text("c"),
            copies=_listed("g.copies"),
            gmatch=self._match("g", "c"),
        )
        return self._hold(held)

    def hold_conflicts_with_published(self) -> int:
        """Batch rows that differ from the published record of another delivery."""
        differs = sql.SQL(", ").join(
            sql.SQL("case when l.{0} is distinct from r.{0} then {1} end").format(
                sql.Identifier(c), sql.Literal(c)
            )
            for c in self.data
        )
        published = self._origin("r") if self.stream.lineage else sql.SQL("'the raw row'")
        held = sql.SQL(
            "with pairs as (select l.ctid as tid, {origin} as origin, "
            "jsonb_build_array({published} || ' (published)', {origin}) as copies, "
            "array_remove(array[{differs}]::text[], null) as differs_in, {key_text} as key_text "
            "from {landing} l join {raw} r on {match} and r._deleted_at is null "
            "and r._batch_id <> l._batch_id where l._batch_id = %(batch)s "
            "and exists (select 1 {elsewhere})), "
            "held as (select tid, origin, copies, differs_in, "
            "format('%%s differs from the published record in %%s: %%s', key_text, "
            "array_to_string(differs_in, ', '), {copies}) as detail from pairs) "
        ).format(
            origin=self._origin("l"),
            published=published,
            differs=differs,
            key_text=self._key_text("l"),
            landing=self.landing,
            raw=self.raw,
            match=self._match("r", "l"),
            elsewhere=self._published_elsewhere(),
            copies=_listed("copies"),
        )
        return self._hold(held)

    def _hold(self, held: sql.Composable) -> int:
        """Move the rows `held` names (tid, origin, copies, differs_in, detail) to quarantine."""
        ensure_quarantine_table(self.conn, self.stream)
        keys = sql.SQL(", ").join(
            sql.SQL("{}, m.{}").format(sql.Literal(k), sql.Identifier(k))
            for k in self.stream.primary_key
        )
        reason = sql.SQL(
            "jsonb_build_array(jsonb_build_object('expectation', {exp}, 'level', 'row', "
            "'key', jsonb_build_object({keys}), 'copy', m.origin, 'copies', m.copies, "
            "'differs_in', to_jsonb(m.differs_in), 'detail', m.detail || "
            "'; keep the right copy, reject the others'))"
        ).format(exp=sql.Literal(EXPECTATION), keys=keys)
        names = [*self.columns, "_batch_id", "_extracted_at"]
        cur = self.conn.execute(
            held
            + sql.SQL(
                ", moved as (delete from {landing} l using held h where l.ctid = h.tid "
                "returning l.*, h.origin, h.copies, h.differs_in, h.detail) "
                "insert into {quarantine} ({names}, _reasons) "
                "select {mnames}, {reason} from moved m"
            ).format(
                landing=self.landing,
                quarantine=sql.Identifier("quarantine", self.stream.table),
                names=self._list(names),
                mnames=self._list(names, "m"),
                reason=reason,
            ),
            self.params,
        )
        return cur.rowcount

    def _key_text(self, alias: str) -> sql.Composable:
        """`bank_line_ref=BNK-1`, as the reason names the key."""
        return sql.SQL("concat_ws(', ', {})").format(
            sql.SQL(", ").join(
                sql.SQL("{} || '=' || {}").format(sql.Literal(k), sql.Identifier(alias, k))
                for k in self.stream.primary_key
            )
        )


def _listed(copies: str) -> sql.Composable:
    """A jsonb array of origins as `a, b, c` (the first few, and how many more)."""
    return sql.SQL(
        "(select string_agg(o, ', ') from (select jsonb_array_elements_text({0}) o limit {1}) s) "
        "|| case when jsonb_array_length({0}) > {1} then ' and ' || "
        "(jsonb_array_length({0}) - {1}) || ' more' else '' end"
    ).format(sql.SQL(copies), sql.Literal(SHOWN))


def _alert(conn: Connection, stream: Stream, batch_id: str, held: int) -> Alert:
    keys = conn.execute(
        sql.SQL(
            "select distinct _reasons -> 0 ->> 'detail' from {} where _batch_id = %s "
            "and _reasons @> %s order by 1 limit %s"
        ).format(sql.Identifier("quarantine", stream.table)),
        (batch_id, Jsonb([{"expectation": EXPECTATION}]), SHOWN),
    ).fetchall()
    message = (
        f"{stream.id}: {held} conflicting copies held in quarantine (batch {batch_id}): "
        + " | ".join(detail for (detail,) in keys)
    )
    return raise_alert(conn, "warning", stream.id, batch_id, message)
