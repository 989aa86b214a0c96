"""Import time of a generated package: the top level, then one resource of it.

Each measurement is a fresh ``python -c`` process timing ``import pkg`` with
``time.perf_counter`` (then ``Client(...)``, the attribute chain down to one
resource and one of its methods); the baseline is ``import httpx`` alone, in the
same kind of process, interleaved with the package's runs. Bytecode goes to a
``PYTHONPYCACHEPREFIX`` folder outside the package, so the output tree stays
exactly what pmgen wrote (the one-change run later diffs it).
"""

from __future__ import annotations

import ast
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import Proc, Table, fmt_int, fmt_ms, fmt_ratio, progress, ratio
from bench.common import run_measured as _run

DUMMY = "bench-dummy"
DUMMY_URL = "https://api.example.invalid"

DISCOVER = """\
import functools, importlib, inspect, json, sys
package = importlib.import_module(sys.argv[1])
obj = package.Client(*json.loads(sys.argv[2]), **json.loads(sys.argv[3]))
chain = []
for _ in range(16):
    members = list(vars(type(obj)).items())
    methods = [
        name for name, value in members
        if not name.startswith("_") and inspect.isfunction(value)
    ]
    if methods and chain:
        print(json.dumps({"chain": chain, "method": methods[0]}))
        break
    resources = [
        name for name, value in members
        if not name.startswith("_")
        and isinstance(value, (functools.cached_property, property))
    ]
    if not resources:
        raise SystemExit(f"no resource attribute on {type(obj).__qualname__}")
    chain.append(resources[0])
    obj = getattr(obj, resources[0])
else:
    raise SystemExit("no method found 16 attributes deep")
"""


def constructor_arguments(client_py: Path) -> tuple[list[str], dict[str, str]]:
    """Dummy values for the required arguments of ``Client.__init__``.

    Read from the generated ``client.py`` (its AST, nothing imported): positional
    parameters without a default (``base_url`` gets a URL) and keyword-only ones
    without a default (the credentials) get dummy strings.
    """
    tree = ast.parse(client_py.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == "Client":
            for member in node.body:
                if isinstance(member, ast.FunctionDef) and member.name == "__init__":
                    return _required(member.args)
    raise ValueError(f"no Client.__init__ in {client_py}")


def _required(args: ast.arguments) -> tuple[list[str], dict[str, str]]:
    positional = [*args.posonlyargs, *args.args][1:]  # without self
    without_default = positional[: len(positional) - len(args.defaults)]
    values = [DUMMY_URL if "url" in a.arg else DUMMY for a in without_default]
    keywords = {
        a.arg: (DUMMY_URL if "url" in a.arg else DUMMY)
        for a, default in zip(args.kwonlyargs, args.kw_defaults, strict=True)
        if default is None
    }
    return values, keywords


def timed_script(
    package: str,
    args: list[str] | None = None,
    kwargs: dict[str, str] | None = None,
    chain: list[str] | None = None,
    method: str | None = None,
) -> str:
    """``python -c`` code printing ``<import s> <total s> <modules> <modules>``.

    Without ``chain``, only the import; with it, the client is built and
    ``client.<chain...>.<method>`` accessed after the import (total includes it).
    """
    lines = [
        "import sys, time",
        "started = time.perf_counter()",
        f"import {package}",
        "imported = time.perf_counter()",
        "modules = len(sys.modules)",
    ]
    if chain is not None and method is not None:
        lines += [
            f"client = {package}.Client(*{args!r}, **{kwargs!r})",
            f"resource = client.{'.'.join(chain)}",
            f"method = resource.{method}",
        ]
    lines += [
        "done = time.perf_counter()",
        "print(imported - started, done - started, modules, len(sys.modules))",
    ]
    return "\n".join(lines) + "\n"


@dataclass
class Timing:
    """Several runs of one script: (import s, total s, modules, modules) each."""

    script: str
    runs: list[tuple[float, float, int, int]] = field(default_factory=list)
    first: tuple[float, float, int, int] | None = None
    error: str | None = None

    def best(self, index: int) -> float | None:
        return min(run[index] for run in self.runs) if self.runs else None

    def modules(self, index: int) -> int | None:
        return int(self.runs[0][index]) if self.runs else None


@dataclass
class ImportResult:
    label: str
    package: str
    repeat: int
    chain: list[str] | None = None
    method: str | None = None
    httpx: Timing | None = None
    top: Timing | None = None
    resource: Timing | None = None
    error: str | None = None

    @property
    def top_s(self) -> float | None:
        return self.top.best(0) if self.top else None

    @property
    def resource_s(self) -> float | None:
        return self.resource.best(1) if self.resource else None

    @property
    def httpx_s(self) -> float | None:
        return self.httpx.best(0) if self.httpx else None

    def to_json(self) -> dict[str, Any]:
        def timing(t: Timing | None) -> dict[str, Any] | None:
            if t is None:
                return None
            return {"first": t.first, "runs": t.runs, "error": t.error}

        return {
            "label": self.label,
            "package": self.package,
            "repeat": self.repeat,
            "resource_chain": self.chain,
            "method": self.method,
            "httpx_s": self.httpx_s,
            "top_level_s": self.top_s,
            "one_resource_s": self.resource_s,
            "error": self.error,
            "httpx": timing(self.httpx),
            "top_level": timing(self.top),
            "resource": timing(self.resource),
        }


def _once(
    timing: Timing, cwd: Path, env: dict[str, str], timeout: float | None
) -> None:
    if timing.error is not None:
        return
    proc: Proc = _run(
        [sys.executable, "-c", timing.script], cwd=cwd, env=env, timeout=timeout
    )
    if not proc.ok:
        timing.error = proc.reason()
        return
    a, b, c, d = proc.stdout.split()
    run = (float(a), float(b), int(c), int(d))
    if timing.first is None:
        timing.first = run
    else:
        timing.runs.append(run)


def measure(
    label: str,
    package_dir: Path,
    pycache: Path,
    *,
    repeat: int = 5,
    timeout: float | None = None,
) -> ImportResult:
    """Import timings of the package in ``package_dir`` (its name is the folder's).

    One untimed-for-the-minimum first run of each script (it writes the
    bytecode: reported apart), then ``repeat`` rounds of httpx, top level, one
    resource, each in a fresh process; the table shows the minimum.
    """
    package = package_dir.name
    result = ImportResult(label, package, repeat)
    cwd = package_dir.parent
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(pycache)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        args, kwargs = constructor_arguments(package_dir / "client.py")
    except (OSError, SyntaxError, ValueError) as exc:
        result.error = f"cannot read the constructor: {exc}"
        return result
    progress(f"imports: {label}: finding one resource and method")
    found = _run(
        [sys.executable, "-c", DISCOVER, package, json.dumps(args), json.dumps(kwargs)],
        cwd=cwd,
        env=env,
        timeout=timeout,
    )
    if found.ok:
        shape = json.loads(found.stdout)
        result.chain, result.method = list(shape["chain"]), str(shape["method"])
    else:
        result.error = f"no resource found: {found.reason()}"
    result.httpx = Timing(timed_script("httpx"))
    result.top = Timing(timed_script(package))
    timings = [result.httpx, result.top]
    if result.chain is not None:
        result.resource = Timing(
            timed_script(package, args, kwargs, result.chain, result.method)
        )
        timings.append(result.resource)
    for round_ in range(repeat + 1):
        progress(f"imports: {label} round {round_ + 1}/{repeat + 1}")
        for timing in timings:
            _once(timing, cwd, env, timeout)
    return result


def table(result: ImportResult) -> str:
    out = Table(
        ["what", "first ms", "min ms", "Δ ms", "/httpx", "modules"],
    )
    base = result.httpx_s
    top, resource = result.top, result.resource
    if result.httpx is not None:
        out.add(
            [
                "import httpx (baseline)",
                fmt_ms(result.httpx.first[0] if result.httpx.first else None),
                fmt_ms(base),
                "-",
                fmt_ratio(ratio(base, base), 2),
                fmt_int(result.httpx.modules(2)),
            ],
            [f"ERROR: {result.httpx.error}"] if result.httpx.error else [],
        )
    if top is not None:
        out.add(
            [
                f"import {result.package}",
                fmt_ms(top.first[0] if top.first else None),
                fmt_ms(result.top_s),
                fmt_ms(
                    None
                    if result.top_s is None or base is None
                    else result.top_s - base
                ),
                fmt_ratio(ratio(result.top_s, base), 2),
                fmt_int(top.modules(2)),
            ],
            [f"ERROR: {top.error}"] if top.error else [],
        )
    if resource is not None and result.chain is not None:
        out.add(
            [
                f"  + Client(), .{'.'.join(result.chain)}.{result.method}",
                fmt_ms(resource.first[1] if resource.first else None),
                fmt_ms(result.resource_s),
                fmt_ms(
                    None
                    if result.resource_s is None or result.top_s is None
                    else result.resource_s - result.top_s
                ),
                fmt_ratio(ratio(result.resource_s, base), 2),
                fmt_int(resource.modules(3)),
            ],
            [f"ERROR: {resource.error}"] if resource.error else [],
        )
    text = out.render()
    if result.error:
        text += f"\nERROR: {result.error}"
    return text
