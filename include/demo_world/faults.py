"""Fault knobs: make the demo systems misbehave the way real ones do, on purpose and repeatably.

Resilience tests need latency, 5xx answers, hangs, dropped connections, expired sessions, 429s,
slow pages and malformed file rows without a flaky network. Everything is off by default; a JSON
object turns knobs on (`--faults '{"latency_ms": 50, "error_rate": 0.05}'` or `DEMO_WORLD_FAULTS`).
Top-level knobs apply to every system; a section named after a system overrides them for it
(`{"error_rate": 0.05, "shop": {"throttle_rate": 0.2}}`). Decisions come from one seeded random
stream per system, so the same seed and the same sequence of calls give the same faults.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import threading
from dataclasses import dataclass, fields, replace
from typing import Any

ENV_VAR = "DEMO_WORLD_FAULTS"
SYSTEMS = ("odoo", "shop", "carrier", "wms", "bank")
ODOO_ONLY = ("odoo_error_rate", "session_expiry_rate")

# The order in which one uniform draw is mapped onto the mutually exclusive failure actions.
ACTIONS = (
    ("error_rate", "error"),
    ("throttle_rate", "throttle"),
    ("timeout_rate", "timeout"),
    ("drop_rate", "drop"),
    ("truncate_rate", "truncate"),
    ("odoo_error_rate", "odoo_error"),
    ("session_expiry_rate", "session_expired"),
)


@dataclass(frozen=True)
class FaultConfig:
    """The knobs for one system; rates are fractions of requests (or file rows) in [0, 1]."""

    latency_ms: float = 0.0  # added before every HTTP answer
    error_rate: float = 0.0  # HTTP 503 Service Unavailable
    throttle_rate: float = 0.0  # HTTP 429 with Retry-After
    retry_after_s: float = 2.0  # the Retry-After sent with injected 429s
    timeout_rate: float = 0.0  # hang for timeout_s, then close without answering
    timeout_s: float = 65.0  # longer than any sane client timeout
    drop_rate: float = 0.0  # close the connection before answering (client: ConnectionError)
    truncate_rate: float = 0.0  # close the connection halfway through the body
    odoo_error_rate: float = 0.0  # Odoo: a server error inside the protocol's error envelope
    session_expiry_rate: float = 0.0  # Odoo: AccessDenied (JSON-RPC) / 401 Invalid apikey
    slow_page_rate: float = 0.0  # a fraction of answers take slow_page_ms longer
    slow_page_ms: float = 2000.0
    malformed_row_rate: float = 0.0  # files: rows with a missing column or a garbled number
    seed: int = 0

    @property
    def active(self) -> bool:
        return self != FaultConfig(seed=self.seed)


@dataclass(frozen=True)
class Plan:
    """What to do to one request: wait `delay_s`, then fail with `action` (None: answer)."""

    delay_s: float = 0.0
    action: str | None = None


@dataclass(frozen=True)
class Faults:
    """The whole configuration: defaults plus per-system overrides."""

    default: FaultConfig = FaultConfig()
    overrides: tuple[tuple[str, FaultConfig], ...] = ()

    @classmethod
    def parse(cls, text: str | None) -> Faults:
        """Read the JSON form; an empty or missing text means no faults."""
        if not text or not text.strip():
            return cls()
        spec = json.loads(text)
        if not isinstance(spec, dict):
            raise ValueError("fault config must be a JSON object")
        sections = {k: spec.pop(k) for k in list(spec) if k in SYSTEMS}
        default = _config(FaultConfig(), spec)
        overrides = tuple((name, _config(default, sec)) for name, sec in sections.items())
        return cls(default, overrides)

    @classmethod
    def from_env(cls) -> Faults:
        return cls.parse(os.environ.get(ENV_VAR))

    def for_system(self, system: str) -> FaultConfig:
        config = dict(self.overrides).get(system, self.default)
        if system != "odoo":
            config = replace(config, **dict.fromkeys(ODOO_ONLY, 0.0))
        return config

    def injector(self, system: str) -> Injector:
        return Injector(self.for_system(system), system)


def _config(base: FaultConfig, spec: dict[str, Any]) -> FaultConfig:
    known = {f.name: f.type for f in fields(FaultConfig)}
    unknown = sorted(set(spec) - set(known))
    if unknown:
        raise ValueError(f"unknown fault knob(s): {', '.join(unknown)} (known: {', '.join(known)})")
    values = {k: int(v) if k == "seed" else float(v) for k, v in spec.items()}
    for name, value in values.items():
        if name.endswith("_rate") and not 0.0 <= value <= 1.0:
            raise ValueError(f"{name} must be between 0 and 1, not {value}")
    return replace(base, **values)


class Injector:
    """One system's seeded decision stream; thread-safe because servers answer in threads."""

    def __init__(self, config: FaultConfig, system: str) -> None:
        self.config = config
        self.system = system
        self._rng = random.Random(f"{config.seed}:{system}")
        self._lock = threading.Lock()

    def plan(self) -> Plan:
        """Decide the fate of the next request."""
        c = self.config
        if not c.active:
            return Plan()
        with self._lock:
            slow, draw = self._rng.random(), self._rng.random()
        delay = c.latency_ms / 1000 + (c.slow_page_ms / 1000 if slow < c.slow_page_rate else 0.0)
        threshold = 0.0
        for knob, action in ACTIONS:
            threshold += getattr(c, knob)
            if draw < threshold:
                return Plan(delay, action)
        return Plan(delay)

    def malform(self, lines: list[str], delimiter: str = ",") -> list[str]:
        """Garble a fraction of CSV data lines (never the header) the way broken exports do."""
        rate = self.config.malformed_row_rate
        if rate <= 0:
            return lines
        out = lines[:1]
        with self._lock:
            for line in lines[1:]:
                out.append(
                    _garble(line, self._rng, delimiter) if self._rng.random() < rate else line
                )
        return out


def _garble(line: str, rng: random.Random, delimiter: str) -> str:
    """A missing trailing column, or a number with a stray unit, or an unbalanced quote."""
    cells = next(csv.reader([line], delimiter=delimiter))
    kind = rng.randrange(3)
    if kind == 0 and len(cells) > 1:
        cells = cells[:-1]
    elif kind == 1:
        numeric = [i for i, c in enumerate(cells) if _is_number(c)] or [len(cells) - 1]
        i = rng.choice(numeric)
        cells[i] = f"{cells[i]} pcs"
    else:
        return f'{line}"'
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="").writerow(cells)
    return buf.getvalue()


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
