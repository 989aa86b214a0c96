"""Request equivalence with Newman: every listed collection is sent by Newman 6.2.2
and by its generated client through the recording proxy, and each request compared.

Fails on a difference not listed in ``EXPECTED_DIFFERENCES.yaml`` and on a listed
one that is gone. Prints the per-collection table. Needs the peers
(``scripts/install_peers.sh``, run by ``scripts/test.sh``); without them the test is
skipped locally and fails in CI.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from .harness import (
    TABLES,
    TARGETS,
    CollectionResult,
    key_set,
    load_expected,
    measured,
    run_target,
    table,
)
from .peers import INSTALL_HINT, EchoServer, missing

NAMES = [t.name for t in TARGETS]


@pytest.fixture(scope="module")
def results(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, CollectionResult]]:
    absent = missing()
    if absent:
        message = (
            f"equivalence peers not installed ({', '.join(absent)}): {INSTALL_HINT}"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    for target in TARGETS:
        if not target.collection.exists():
            pytest.fail(f"collection missing: {target.collection}")
    work: Path = tmp_path_factory.mktemp("equivalence")
    with EchoServer(work / "echo-server.log") as echo:
        found = {t.name: run_target(t, echo.port, work / t.name) for t in TARGETS}
    TABLES.append(
        ("request equivalence with Newman 6.2.2", table(list(found.values())))
    )
    yield found


@pytest.mark.parametrize("name", NAMES)
def test_differences_are_the_expected_ones(
    results: dict[str, CollectionResult], name: str
) -> None:
    result = results[name]
    assert result.compared > 0, "no request was compared"
    actual = key_set(measured([result])[name])
    expected = key_set(load_expected().get(name, []))
    new = actual - expected
    gone = expected - actual
    assert not new and not gone, (
        f"{name}: new differences {sorted(new)}; listed but gone {sorted(gone)} "
        "(`.venv/bin/python -m tests.equivalence.harness --details "
        f"{name}` shows them; update EXPECTED_DIFFERENCES.yaml)"
    )


def test_every_collection_has_an_entry() -> None:
    expected = load_expected()
    assert sorted(expected) == sorted(NAMES)
    for entries in expected.values():
        for entry in entries:
            assert entry["reason"], entry
    assert Counter(NAMES).most_common(1)[0][1] == 1
