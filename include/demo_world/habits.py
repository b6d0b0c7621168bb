"""Partners' delivery habits: encodings, empty files, in-place writes, corrections, copies.

Real partners do not deliver the way their interface documents promise. A bank exports in
a legacy code page, or after a tool upgrade in UTF-16; a day without bookings still gets
its (empty) statement; an export job dies and leaves a 0-byte file or one cut short; a
statement is corrected the next morning as `statement_<day>_v2.csv`; a booking at midnight
shows up in two days' files; a 3PL writes files in place, so they grow for a moment; a
carrier's feed delivers at least once, re-sending events (and, rarely, a garbled copy); a
buggy feed may even say more events wait without saying where to resume.

Everything is off by default (`plain`): each system delivers as its contract says. `realistic`
turns the habits on at rates a partner might show; a JSON object sets knobs per system, on
top of a preset: `{"preset": "realistic", "bank": {"correction_rate": 1}}`. Every decision
is a pure function of (seed, system, what is delivered), so a world re-served with the same
seed delivers the same files, whatever was asked before.
"""

from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass, fields, replace
from typing import Any

ENV_VAR = "DEMO_WORLD_HABITS"
SYSTEMS = ("wms", "bank", "carrier")
# Each file's encoding, drawn with these weights; the first is the system's documented one.
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1252")


@dataclass(frozen=True)
class Habits:
    """One system's habits; rates are fractions of files (or of feed pages and events)."""

    encodings: tuple[tuple[str, float], ...] = ()  # (encoding, weight); () = the documented one
    every_day: bool = False  # bank: a statement for each day, an empty one without bookings
    zero_byte_rate: float = 0.0  # a file first delivered as 0 bytes, re-sent as _v2
    truncated_rate: float = 0.0  # a file cut short (rows and trailer lost), re-sent as _v2
    miscounted_rate: float = 0.0  # a row lost but the trailer intact, re-sent as _v2
    correction_rate: float = 0.0  # a wrong booking and a wrong amount, corrected by _v2
    repeat_rate: float = 0.0  # a record delivered again: identical (bank, carrier), or first
    # provisional and then final (3PL confirmations)
    conflict_rate: float = 0.0  # a record delivered again with other content
    in_place_rate: float = 0.0  # live files written under their final name, growing
    cursorless_rate: float = 0.0  # feed pages that say more waits but give no cursor (a bug)
    seed: int = 0

    def draw(self, *what: object) -> float:
        """A uniform number in [0, 1) fixed by the seed and what is being decided."""
        return random.Random(":".join(map(str, (self.seed, *what)))).random()

    def encoding(self, default: str, *what: object) -> str:
        """The encoding one file is written in."""
        if not self.encodings:
            return default
        names, weights = zip(*self.encodings, strict=True)
        pick = self.draw("encoding", *what) * sum(weights)
        for name, weight in zip(names, weights, strict=True):
            pick -= weight
            if pick < 0:
                return name
        return names[-1]

    def fate(self, *what: object) -> str:
        """What goes wrong with a file's first delivery: `clean` or the habit's name."""
        draw = self.draw("fate", *what)
        for name in ("zero_byte", "truncated", "miscounted", "correction"):
            draw -= getattr(self, f"{name}_rate")
            if draw < 0:
                return name
        return "clean"


REALISTIC = {
    "bank": Habits(
        encodings=(("cp1252", 0.5), ("utf-8-sig", 0.25), ("utf-16", 0.25)),
        every_day=True,
        zero_byte_rate=0.04,
        truncated_rate=0.04,
        miscounted_rate=0.04,
        correction_rate=0.1,
        repeat_rate=0.15,
        conflict_rate=0.05,
    ),
    "wms": Habits(
        encodings=(("utf-8", 0.6), ("utf-8-sig", 0.2), ("utf-16", 0.2)),
        in_place_rate=0.5,
        repeat_rate=0.05,
    ),
    "carrier": Habits(repeat_rate=0.2, conflict_rate=0.01),
}
PRESETS = {"plain": {}, "realistic": REALISTIC}


@dataclass(frozen=True)
class DeliveryHabits:
    """Every system's habits, from a preset name or a JSON object (see the module docstring)."""

    systems: tuple[tuple[str, Habits], ...] = ()
    seed: int = 0

    @classmethod
    def parse(cls, text: str | None, seed: int = 0) -> DeliveryHabits:
        if not text or not text.strip():
            return cls(seed=seed)
        spec = json.loads(text) if text.strip().startswith("{") else {"preset": text.strip()}
        if not isinstance(spec, dict):
            raise ValueError("delivery habits must be a preset name or a JSON object")
        preset = spec.pop("preset", "plain")
        if preset not in PRESETS:
            raise ValueError(f"unknown habits preset {preset!r} (known: {', '.join(PRESETS)})")
        seed = int(spec.pop("seed", seed))
        unknown = sorted(set(spec) - set(SYSTEMS))
        if unknown:
            raise ValueError(
                f"unknown system(s) {', '.join(unknown)} (known: {', '.join(SYSTEMS)})"
            )
        systems = {name: PRESETS[preset].get(name, Habits()) for name in SYSTEMS}
        for name, knobs in spec.items():
            systems[name] = _knobs(systems[name], knobs, name)
        return cls(tuple((n, replace(h, seed=seed)) for n, h in systems.items()), seed)

    @classmethod
    def from_env(cls, seed: int = 0) -> DeliveryHabits:
        return cls.parse(os.environ.get(ENV_VAR), seed)

    def of(self, system: str) -> Habits:
        return dict(self.systems).get(system, Habits(seed=self.seed))


def _knobs(base: Habits, spec: dict[str, Any], system: str) -> Habits:
    known = {f.name for f in fields(Habits)} - {"seed"}
    unknown = sorted(set(spec) - known)
    if unknown:
        raise ValueError(
            f"{system}: unknown habit(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})"
        )
    values: dict[str, Any] = {}
    for name, value in spec.items():
        if name == "encodings":
            values[name] = _encodings(value, system)
        elif name == "every_day":
            values[name] = bool(value)
        else:
            values[name] = float(value)
            if not 0.0 <= values[name] <= 1.0:
                raise ValueError(f"{system}.{name} must be between 0 and 1, not {value}")
    return replace(base, **values)


def _encodings(spec: dict[str, float], system: str) -> tuple[tuple[str, float], ...]:
    odd = sorted(set(spec) - set(ENCODINGS))
    if odd:
        raise ValueError(f"{system}.encodings: {', '.join(odd)} (known: {', '.join(ENCODINGS)})")
    return tuple((name, float(weight)) for name, weight in spec.items())
