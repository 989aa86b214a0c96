"""The issue's targets: each with the figure measured in this run, pass or fail."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from bench.calls import CallsFigures
from bench.common import Table, fmt_s, ratio
from bench.importing import ImportResult
from bench.peers import PeerResult
from bench.regen import CliInput

TARGET_INPUT = "synthetic-10000"


@dataclass(frozen=True)
class Target:
    name: str
    limit: str
    measured: str
    passed: bool | None  # None: not measured in this run
    value: float | None = None

    @property
    def status(self) -> str:
        return {None: "n/a", True: "pass", False: "FAIL"}[self.passed]


def _check(
    name: str, limit: str, value: float | None, shown: str, ok: bool | None
) -> Target:
    return Target(name, limit, shown if value is not None else "-", ok, value)


def evaluate(
    cli: Sequence[CliInput],
    big: str | None,
    peers: Sequence[PeerResult],
    imports: ImportResult | None,
    calls: CallsFigures | None,
) -> list[Target]:
    """Every target; ``big`` is the largest synthetic input run (synthetic-10000
    unless the sizes were changed), the one the size targets apply to."""
    label = big or TARGET_INPUT
    tag = "" if label == TARGET_INPUT else f" (target: {TARGET_INPUT})"
    by_label = {item.label: item for item in cli}
    item = by_label.get(label)
    peer = next((p for p in peers if p.label == label), None)
    found: list[Target] = []

    cold = item.cold_s if item else None
    found.append(
        _check(
            f"{label} cold generation (CLI){tag}",
            "<= 10 s",
            cold,
            f"{fmt_s(cold)} s",
            None if cold is None else cold <= 10,
        )
    )
    speedup = ratio(peer.total_s if peer else None, cold)
    found.append(
        _check(
            f"{label} peer pipeline / pmgen{tag}",
            ">= 15x",
            speedup,
            f"{speedup:.1f}x" if speedup is not None else "-",
            None if speedup is None else speedup >= 15,
        )
    )
    noop = item.noop_s if item else None
    found.append(
        _check(
            f"{label} no-op regeneration{tag}",
            "<= 0.5 s",
            noop,
            f"{fmt_s(noop)} s",
            None if noop is None else noop <= 0.5,
        )
    )
    change = item.change_s if item else None
    found.append(
        _check(
            f"{label} one request changed{tag}",
            "<= 1 s",
            change,
            f"{fmt_s(change)} s",
            None if change is None else change <= 1,
        )
    )
    peak = item.peak("tree") if item else None
    per_input = ratio(peak * 1024 if peak else None, item.input_bytes if item else None)
    found.append(
        _check(
            f"{label} peak RSS / input size (CLI, largest process){tag}",
            "<= 10x",
            per_input,
            (
                f"{per_input:.1f}x ({(peak or 0) / 1024:.0f} MiB)"
                if per_input is not None
                else "-"
            ),
            None if per_input is None else per_input <= 10,
        )
    )
    top = imports.top_s if imports else None
    found.append(
        _check(
            f"{imports.label if imports else label} top-level import"
            + ("" if imports and imports.label == TARGET_INPUT else tag),
            "<= 0.3 s",
            top,
            f"{fmt_s(top)} s",
            None if top is None else top <= 0.3,
        )
    )
    modes = {m["mode"]: m for m in (calls or {}).get("modes", [])}
    for mode in ("MockTransport, sync", "MockTransport, async"):
        figures = modes.get(mode)
        value = figures.get("ratio_median") if figures else None
        found.append(
            _check(
                f"generated method / raw httpx ({mode})",
                "<= 1.15x",
                value,
                f"{value:.3f}x" if value is not None else "-",
                None if value is None else value <= 1.15,
            )
        )

    identical = [i.no_cache_identical for i in cli if i.no_cache_identical is not None]
    found.append(
        Target(
            "output with --no-cache identical to cached cold output (all inputs)",
            "identical",
            f"{sum(identical)}/{len(identical)} identical" if identical else "-",
            all(identical) if identical else None,
        )
    )
    noops = [run.diff.count for i in cli for run in i.noop if run.diff is not None]
    found.append(
        Target(
            "no-op regeneration leaves the output unchanged (all inputs)",
            "0 files changed",
            f"{sum(noops)} file(s) changed in {len(noops)} run(s)" if noops else "-",
            (sum(noops) == 0) if noops else None,
        )
    )
    return found


def table(targets: Sequence[Target]) -> str:
    out = Table(["target", "limit", "measured", "status"], left=4)
    for target in targets:
        out.add([target.name, target.limit, target.measured, target.status])
    return out.render()


def to_json(targets: Sequence[Target]) -> list[dict[str, Any]]:
    return [{**asdict(t), "status": t.status} for t in targets]
