"""DAG schedules from the environment: crons, presets, durations, `none`, and the nightly hour.

Read at parse time from environment variables only (no Airflow Variables, no database),
so a deployment retimes a DAG without editing it.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from typing import Any

from airflow.sdk import CronDataIntervalTimetable

_DURATION = re.compile(r"(\d+)\s*([smhd])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def schedule(env_var: str, default: str) -> Any:
    """The schedule named by `env_var`, else `default` (see schedule_from_env)."""
    return schedule_from_env(os.environ.get(env_var), default)


def schedule_from_env(value: str | None, default: str) -> str | timedelta | None:
    """A DAG schedule from an env value: a cron or `@preset` as is, a duration (`300`
    seconds, `90s`, `5m`, `1h30m`, `1d`) as a timedelta, or `none` for manual runs only."""
    text = (value or default).strip()
    if text.lower() == "none":
        return None
    if text.isdigit():
        return timedelta(seconds=int(text))
    parts = _DURATION.findall(text)
    if parts and not _DURATION.sub("", text).strip():
        return sum((timedelta(**{_UNITS[unit]: int(n)}) for n, unit in parts), timedelta())
    return text


def nightly_schedule(env_var: str = "HUB_NIGHTLY_HOUR", default: int = 2) -> Any:
    """Once a day at the configured UTC hour, each run covering the day before it.

    A data-interval timetable, so a run's data_interval_start/end are its window, and so
    a first start runs the latest complete day at once instead of waiting for the hour.
    """
    hour = int(os.environ.get(env_var) or default)
    if not 0 <= hour <= 23:
        raise ValueError(f"{env_var}={hour}: expected an hour from 0 to 23 (UTC)")
    return CronDataIntervalTimetable(f"0 {hour} * * *", timezone="UTC")
