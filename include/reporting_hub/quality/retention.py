"""Keep GX's local validation results and their Data Docs pages to the latest few per suite.

Gates run every few minutes per stream, and Data Docs lists (and reads) stored results
on every rebuild, so an unbounded store makes each gate slower than the last and fills
the disk. ops.validation_runs is the permanent record; the GX store is a recent view.
Paths follow the stores in gx/great_expectations.yml: <suite>/<run name>/<run time>/<batch>.
"""

from __future__ import annotations

from pathlib import Path

RESULTS = Path("gx/uncommitted/validations")
PAGES = Path("gx/uncommitted/data_docs/local_site/validations")


def prune_results(root: Path, suite: str, keep: int) -> int:
    """Delete all but the `keep` newest results of the suite, with their pages; count them."""
    stored = sorted((root / RESULTS / suite).glob("*/*/*.json"), key=lambda p: p.parent.name)
    old = stored[:-keep] if keep > 0 else stored
    for result in old:
        relative = result.relative_to(root / RESULTS)
        result.unlink(missing_ok=True)
        (root / PAGES / relative).with_suffix(".html").unlink(missing_ok=True)
        for tree in (RESULTS, PAGES):
            _remove_empty_parents(root / tree / relative, stop=root / tree / suite)
    return len(old)


def _remove_empty_parents(path: Path, stop: Path) -> None:
    for parent in path.parents:
        if parent == stop or not parent.is_dir() or any(parent.iterdir()):
            return
        parent.rmdir()
