"""The few app services the benchmarks call, found where they live.

The generator and the runner write through the apps' own services where the result must be
exactly what the app would store (a closed period's frozen breakdown, the risk flags, the
portfolio rollups). The apps are being split into ``<app>/services/<concept>.py`` packages
whose services take a keyword-only ``actor``; this module looks a service up in the new
module first and the old flat ``services`` module second, and passes the benchmark's system
actor when the service takes one, so the benchmarks run on either side of that change.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Sequence
from typing import Any, cast

from core.roles import SystemActor

BENCH_ACTOR = SystemActor("benchmark")


def _find(name: str, modules: Sequence[str]) -> Callable[..., Any]:
    for module_name in modules:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        function = getattr(module, name, None)
        if callable(function):
            return cast(Callable[..., Any], function)
    raise LookupError(f"{name} is in none of {', '.join(modules)}")


def _call(function: Callable[..., Any], **kwargs: Any) -> Any:
    parameters = inspect.signature(function).parameters
    if "actor" in parameters:
        kwargs.setdefault("actor", BENCH_ACTOR)
    return function(**{k: v for k, v in kwargs.items() if k in parameters})


def periods_close(period_ids: Sequence[int]) -> int:
    """Close the given open periods with the app's set-based close; how many it closed."""
    function = _find(
        "periods_close",
        ("scorecards.services.periods", "scorecards.services.closing", "scorecards.services"),
    )
    return len(_call(function, period_ids=list(period_ids)))


def rollups_refresh() -> None:
    """Rebuild the portfolio rollups the executive dashboard reads."""
    function = _find("rollups_refresh", ("scorecards.services.rollups", "scorecards.services"))
    _call(function)


def partner_flags_refresh() -> None:
    """Recompute every partner's stored risk flags."""
    function = _find(
        "partner_flags_refresh",
        ("partners.services.risk", "partners.services.flags", "partners.services"),
    )
    _call(function, partner_ids=None)
