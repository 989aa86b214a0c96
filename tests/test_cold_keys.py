"""On a cold run the content keys are made alongside the rendering, by a worker
(generator/pipeline.py, generator/parallel.py): the manifest is the same as when
the parent makes them before rendering, as it must when files may be reused."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import SHARED_DIR

from generator import generate, incremental, pipeline
from generator.render.plan import PlannedFile
from generator.spec.model import ApiSpec

SYNTHETIC = SHARED_DIR / "bench" / "synthetic-100.postman_collection.json"


def _keys(cache: Path, output: Path) -> dict[str, object]:
    manifest = incremental.load(cache, output)
    assert manifest is not None
    return {path: entry[0] for path, entry in manifest.files.items()}


@pytest.mark.parametrize("jobs", [1, 2])
def test_cold_keys_are_the_keys_a_warm_run_checks(tmp_path: Path, jobs: int) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    cold = generate(SYNTHETIC, out, cache_dir=cache, jobs=jobs)
    assert cold.rendered == cold.files
    made_while_rendering = _keys(cache, out)
    assert len(made_while_rendering) == len(cold.files) > 40
    # Warm: the parent makes every key first, to compare with the manifest's.
    warm = generate(SYNTHETIC, out, cache_dir=cache, jobs=jobs)
    assert warm.rendered == []  # every cold key was right: every file reused
    assert _keys(cache, out) == made_while_rendering


def test_a_cold_run_makes_the_keys_in_a_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    where = tmp_path / "pids"
    made = pipeline.file_keys

    def recorded(
        planned: list[PlannedFile], spec: ApiSpec, salt: str
    ) -> dict[str, str]:
        with open(where, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()}\n")
        return made(planned, spec, salt)

    monkeypatch.setattr(pipeline, "file_keys", recorded)
    out, cache = tmp_path / "out", tmp_path / "cache"
    generate(SYNTHETIC, out, cache_dir=cache, jobs=2)
    pids = where.read_text(encoding="utf-8").split()
    assert len(pids) == 1 and int(pids[0]) != os.getpid()
    # With files to reuse, the keys are needed first: the parent makes them.
    where.unlink()
    generate(SYNTHETIC, out, cache_dir=cache, jobs=2)
    assert where.read_text(encoding="utf-8").split() == [str(os.getpid())]
    # An output folder gone since: nothing to reuse, a cold run again.
    shutil.rmtree(out)
    where.unlink()
    generate(SYNTHETIC, out, cache_dir=cache, jobs=2)
    assert int(where.read_text(encoding="utf-8").split()[0]) != os.getpid()


def test_without_a_cache_no_key_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*_args: object) -> dict[str, str]:
        raise AssertionError("keys made for a run that records nothing")

    monkeypatch.setattr(pipeline, "file_keys", refused)
    report = generate(SYNTHETIC, tmp_path / "out", cache_dir=None, jobs=2)
    assert report.rendered == report.files
