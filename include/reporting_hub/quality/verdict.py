"""The gate's verdict on one batch, and the error that stops a batch from publishing.

Below both the gate that reaches it and the records that store it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class GateResult:
    """The verdict on one batch, with one sentence per failed expectation."""

    success: bool
    stream: str
    batch_id: str
    suite: str
    evaluated: int
    failed: int
    failures: list[str] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)


class GateFailed(RuntimeError):
    """A batch failed its quality gate; `result` holds the evidence."""

    def __init__(self, result: GateResult) -> None:
        self.result = result
        listed = "; ".join(result.failures) or "no expectation details"
        super().__init__(
            f"{result.stream} batch {result.batch_id} failed {result.failed} of "
            f"{result.evaluated} expectations in suite {result.suite}: {listed}"
        )


def enforce(result: GateResult) -> GateResult:
    """Raise GateFailed unless the gate passed; returns the result for chaining."""
    if not result.success:
        raise GateFailed(result)
    return result
