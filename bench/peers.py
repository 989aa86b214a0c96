"""The peer pipeline: postman-to-openapi (npm) then openapi-python-client (PyPI).

The bench installs both itself, pinned, under ``.cache/bench-peers/`` (git-ignored):
``npm/`` (``npm install --prefix``) and ``venv/`` (a virtualenv). A second run with
both in place installs nothing. Per input, in a fresh folder:

1. ``p2o COLLECTION -f spec.yaml`` (postman-to-openapi's CLI; default options);
2. ``openapi-python-client generate --path spec.yaml --output-path client`` with
   its defaults, i.e. its ruff post-hooks (``ruff check --fix-only``, ``ruff
   format``) over the generated code (the venv's ``bin`` is first on ``PATH``).

A failure (of the install or of either step on one input) is reported in that
input's row; it never stops the benchmark.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import (
    PEERS_DIR,
    Proc,
    Table,
    fmt_mib,
    fmt_ratio,
    fmt_s,
    progress,
    ratio,
    run_measured,
)

P2O_PACKAGE = "postman-to-openapi"
P2O_VERSION = "3.0.1"
OPC_PACKAGE = "openapi-python-client"
OPC_VERSION = "0.29.1"


@dataclass(frozen=True)
class Peers:
    p2o: Path
    venv_bin: Path

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "PATH": f"{self.venv_bin}{os.pathsep}{os.environ.get('PATH', '')}",
        }


def _run(command: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, check=False
    )


def _installed_npm_version(prefix: Path) -> str | None:
    manifest = prefix / "node_modules" / P2O_PACKAGE / "package.json"
    try:
        version = json.loads(manifest.read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError):
        return None
    return str(version) if version else None


def install(root: Path = PEERS_DIR, timeout: float = 900) -> Peers | str:
    """Both peers, installed if needed; or why they could not be."""
    npm_prefix = root / "npm"
    p2o = npm_prefix / "node_modules" / ".bin" / "p2o"
    if _installed_npm_version(npm_prefix) != P2O_VERSION or not p2o.exists():
        npm = shutil.which("npm")
        if npm is None:
            return "npm not found (Node.js is needed for postman-to-openapi)"
        progress(f"peers: installing {P2O_PACKAGE}@{P2O_VERSION} into {npm_prefix}")
        npm_prefix.mkdir(parents=True, exist_ok=True)
        done = _run(
            [
                npm,
                "install",
                "--prefix",
                str(npm_prefix),
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                "--no-save",
                f"{P2O_PACKAGE}@{P2O_VERSION}",
            ],
            timeout,
        )
        if done.returncode != 0 or not p2o.exists():
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["?"]
            return f"npm install {P2O_PACKAGE}@{P2O_VERSION} failed: {tail[0]}"

    venv = root / "venv"
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    stamp = venv / f".installed-{OPC_PACKAGE}-{OPC_VERSION}"
    if not stamp.is_file():
        progress(f"peers: installing {OPC_PACKAGE}=={OPC_VERSION} into {venv}")
        if not (bin_dir / "python").exists():
            made = _run([sys.executable, "-m", "venv", str(venv)], timeout)
            if made.returncode != 0:
                return f"cannot create {venv}: {made.stderr.strip()[-200:]}"
        done = _run(
            [
                str(bin_dir / "python"),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                f"{OPC_PACKAGE}=={OPC_VERSION}",
            ],
            timeout,
        )
        if done.returncode != 0:
            lines = [
                line
                for line in (done.stderr or done.stdout).splitlines()
                if "is ignored" not in line and line.strip()
            ]
            return f"pip install {OPC_PACKAGE}=={OPC_VERSION} failed: {(lines or ['?'])[-1]}"
        stamp.touch()
    return Peers(p2o=p2o, venv_bin=bin_dir)


@dataclass
class PeerResult:
    label: str
    p2o: Proc | None = None
    opc: Proc | None = None
    py_files: int | None = None
    error: str | None = None
    pmgen_s: float | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def total_s(self) -> float | None:
        if self.p2o is None or self.opc is None or self.error:
            return None
        return self.p2o.wall_s + self.opc.wall_s

    @property
    def peak_kib(self) -> int | None:
        values = [proc.figures["maxrss_kib"] for proc in (self.p2o, self.opc) if proc]
        return max(values) if values else None

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "p2o_s": self.p2o.wall_s if self.p2o else None,
            "openapi_python_client_s": self.opc.wall_s if self.opc else None,
            "total_s": self.total_s,
            "pmgen_cli_cold_s": self.pmgen_s,
            "peer_over_pmgen": ratio(self.total_s, self.pmgen_s),
            "peak_rss_kib": self.peak_kib,
            "py_files": self.py_files,
            "error": self.error,
            "notes": self.notes,
            "p2o": dict(self.p2o.figures) if self.p2o else None,
            "openapi_python_client": dict(self.opc.figures) if self.opc else None,
        }


def run_peer(
    label: str,
    collection: Path,
    peers: Peers,
    workdir: Path,
    timeout: float | None,
    keep: bool,
) -> PeerResult:
    result = PeerResult(label)
    if not collection.is_file():
        result.error = f"{collection} not found"
        return result
    where = workdir / f"peer-{label}"
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir(parents=True)
    spec = where / "spec.yaml"
    env = peers.env()
    progress(f"peers: {label}: postman-to-openapi")
    result.p2o = run_measured(
        [str(peers.p2o), str(collection), "-f", str(spec)],
        cwd=where,
        env=env,
        timeout=timeout,
        keep_output=False,  # p2o also prints the whole spec on stdout
    )
    if not result.p2o.ok or not spec.is_file():
        result.error = f"postman-to-openapi: {result.p2o.reason()}"
    else:
        progress(f"peers: {label}: openapi-python-client")
        result.opc = run_measured(
            [
                str(peers.venv_bin / "openapi-python-client"),
                "generate",
                "--path",
                str(spec),
                "--output-path",
                str(where / "client"),
            ],
            cwd=where,
            env=env,
            timeout=timeout,
        )
        if not result.opc.ok:
            result.error = f"openapi-python-client: {result.opc.reason()}"
        else:
            result.py_files = sum(1 for _ in (where / "client").rglob("*.py"))
            warnings = sum(
                1 for line in result.opc.stdout.splitlines() if "WARNING" in line
            )
            if warnings:
                result.notes.append(
                    f"openapi-python-client printed {warnings} warning(s)"
                    " (endpoints or schemas it skipped)"
                )
    if not keep:
        shutil.rmtree(where, ignore_errors=True)
    return result


def table(results: list[PeerResult]) -> str:
    out = Table(
        [
            "input",
            "p2o s",
            "opc s",
            "peer s",
            "pmgen s",
            "peer/pmgen",
            "peer peak MiB",
            "peer .py files",
        ]
    )
    for item in results:
        notes = list(item.notes)
        if item.error:
            notes.insert(0, f"FAILED: {item.error}")
        out.add(
            [
                item.label,
                fmt_s(item.p2o.wall_s if item.p2o else None),
                fmt_s(item.opc.wall_s if item.opc else None),
                fmt_s(item.total_s),
                fmt_s(item.pmgen_s),
                fmt_ratio(ratio(item.total_s, item.pmgen_s)),
                fmt_mib(item.peak_kib),
                "-" if item.py_files is None else f"{item.py_files:,}",
            ],
            notes,
        )
    return out.render()
