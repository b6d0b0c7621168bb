"""Score the exceptions mart against a demo world's ground-truth manifest (DESIGN.md).

A row of `marts_reconciliation.exceptions` matches a manifest case when both have the same
type and exactly the same keys (names and business values). Recall is cases found / cases;
precision is rows that match a case / rows. A spurious row that matches one of the
manifest's `in_flight` items is marked so: it is a lag the marts should have tolerated.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EXCEPTIONS_SQL = (
    "select exception_id, exception_type, exception_keys, cause "
    "from marts_reconciliation.exceptions order by exception_type, exception_keys::text"
)


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    matched: int  # manifest cases found by at least one row
    missed: list[dict[str, Any]] = field(default_factory=list)  # cases no row matched
    spurious: list[dict[str, Any]] = field(default_factory=list)  # rows matching no case
    by_type: dict[str, dict[str, int]] = field(default_factory=dict)  # cases/rows/matched


def _signature(kind: str, keys: dict[str, Any]) -> tuple:
    return kind, tuple(sorted((name, str(value)) for name, value in keys.items()))


def score_rows(rows: list[dict[str, Any]], manifest: dict[str, Any]) -> Score:
    """Score exception rows (`exception_type`, `exception_keys`) against a manifest dict."""
    cases = {_signature(c["type"], c["keys"]): c for c in manifest["cases"]}
    in_flight = {_signature(c["type"], c["keys"]) for c in manifest.get("in_flight", [])}
    found: set[tuple] = set()
    spurious = []
    for row in rows:
        sig = _signature(row["exception_type"], row["exception_keys"])
        if sig in cases:
            found.add(sig)
        else:
            spurious.append({**row, "in_flight": sig in in_flight})
    missed = [c for sig, c in cases.items() if sig not in found]
    matched_rows = len(rows) - len(spurious)
    by_type: dict[str, Counter] = {}
    for sig in cases:
        by_type.setdefault(sig[0], Counter())["cases"] += 1
        by_type[sig[0]]["matched"] += sig in found
    for row in rows:
        by_type.setdefault(row["exception_type"], Counter())["rows"] += 1
    return Score(
        precision=matched_rows / len(rows) if rows else 1.0,
        recall=len(found) / len(cases) if cases else 1.0,
        matched=len(found),
        missed=missed,
        spurious=spurious,
        by_type={kind: dict(counts) for kind, counts in sorted(by_type.items())},
    )


def score(warehouse_url: str, manifest_path: Path | str) -> Score:
    """Read the exceptions mart of `warehouse_url` and score it against the manifest file."""
    import psycopg
    from psycopg.rows import dict_row

    manifest = json.loads(Path(manifest_path).read_text())
    with psycopg.connect(warehouse_url, row_factory=dict_row) as conn:
        rows = conn.execute(EXCEPTIONS_SQL).fetchall()
    return score_rows(rows, manifest)


def report(result: Score) -> str:
    """The scoring block `hub demo` prints: totals, then one line per exception type."""
    lines = [
        f"Reconciliation vs ground truth: precision {result.precision:.3f}  "
        f"recall {result.recall:.3f}  ({result.matched} cases found, "
        f"{len(result.missed)} missed, {len(result.spurious)} spurious)",
        f"  {'exception type':<28} {'cases':>6} {'rows':>6} {'found':>6}",
    ]
    for kind, counts in result.by_type.items():
        lines.append(
            f"  {kind:<28} {counts.get('cases', 0):>6} {counts.get('rows', 0):>6} "
            f"{counts.get('matched', 0):>6}"
        )
    lines += [f"  missed:   {c['type']} {json.dumps(c['keys'])}" for c in result.missed]
    lines += [
        f"  spurious: {r['exception_type']} {json.dumps(r['exception_keys'])}"
        + (" (in flight)" if r.get("in_flight") else "")
        for r in result.spurious
    ]
    return "\n".join(lines)
