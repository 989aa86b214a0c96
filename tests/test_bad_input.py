"""Bad input: every unusable file exits 2 with one line naming the file and a JSON
path, never a traceback; and a failed run never damages an existing output folder."""

from __future__ import annotations

import builtins
import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES_DIR, SALESFORCE_COLLECTION, SHARED_DIR, tree_bytes

import generator.writer
from generator.cli import EXIT_INPUT, EXIT_OK, main
from generator.errors import InputError, PmgenError
from generator.writer import write_tree

Pmgen = Callable[..., subprocess.CompletedProcess[str]]

SF_RAW_V1 = SHARED_DIR / "sf-bulk-v2-raw" / "bulk_v2__create_job.json"
SF_RAW_ENV = SHARED_DIR / "sf-bulk-v2-raw" / "_salesforce_template_environment.json"


def _needs(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"shared data not found: {path}")
    return path


# (id, file, JSON path, words the message must contain)
BAD_COLLECTIONS: list[tuple[str, Callable[[Path], Path], str, str]] = [
    (
        "malformed-json",
        lambda _tmp: FIXTURES_DIR / "malformed.json",
        "$",
        "invalid JSON at line",
    ),
    (
        "item-not-a-list",
        lambda _tmp: FIXTURES_DIR / "wrong-schema.json",
        "$.item",
        "expected an array",
    ),
    ("v1-tiny", lambda _tmp: FIXTURES_DIR / "v1-collection.json", "$", "v1"),
    ("v1-salesforce-raw", lambda _tmp: _needs(SF_RAW_V1), "$", "v1"),
    (
        "environment-file",
        lambda _tmp: FIXTURES_DIR / "environment.json",
        "$",
        "environment file, not a collection",
    ),
    (
        "environment-salesforce",
        lambda _tmp: _needs(SF_RAW_ENV),
        "$",
        "environment file, not a collection",
    ),
    (
        "missing-file",
        lambda tmp: tmp / "does-not-exist.json",
        "$",
        "No such file",
    ),
    (
        "json-array",
        lambda tmp: _write(tmp / "list.json", "[1, 2, 3]"),
        "$",
        "found an array",
    ),
    ("empty-file", lambda tmp: _write(tmp / "empty.json", ""), "$", "invalid JSON"),
    (
        "not-utf8",
        lambda tmp: _write_bytes(tmp / "latin1.json", b'{"info": "caf\xe9"}'),
        "$",
        "not UTF-8",
    ),
    (
        "v1-schema-url",
        lambda tmp: _write(
            tmp / "v1url.json",
            json.dumps(
                {
                    "info": {
                        "name": "x",
                        "schema": "https://schema.getpostman.com/json/collection/v1.0.0/collection.json",
                    },
                    "item": [],
                }
            ),
        ),
        "$.info.schema",
        "v1",
    ),
    (
        "request-method-wrong-type",
        lambda tmp: _write(
            tmp / "method.json",
            json.dumps(
                {
                    "info": {
                        "name": "x",
                        "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
                    },
                    "item": [
                        {
                            "name": "a",
                            "request": {"method": 5, "url": "https://x.test/"},
                        }
                    ],
                }
            ),
        ),
        "$.item[0].request",
        "",
    ),
]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _check_one_line(stderr: str, file: Path, json_path: str, words: str) -> None:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    line = lines[0]
    assert line.startswith(f"pmgen: error: {file}: {json_path}"), line
    assert words in line, line


@pytest.mark.parametrize(
    ("make", "json_path", "words"),
    [pytest.param(m, p, w, id=i) for i, m, p, w in BAD_COLLECTIONS],
)
def test_bad_collection_subprocess(
    make: Callable[[Path], Path],
    json_path: str,
    words: str,
    tmp_path: Path,
    pmgen: Pmgen,
) -> None:
    collection = make(tmp_path)
    out = tmp_path / "out"
    result = pmgen("generate", collection, "-o", out, cwd=tmp_path)
    assert result.returncode == EXIT_INPUT, result.stderr
    _check_one_line(result.stderr, collection, json_path, words)
    assert not out.exists()
    assert not list(tmp_path.glob(".*pmgen-*"))


@pytest.mark.parametrize(
    ("make", "json_path", "words"),
    [pytest.param(m, p, w, id=i) for i, m, p, w in BAD_COLLECTIONS],
)
@pytest.mark.parametrize("command", ["generate", "spec"])
def test_bad_collection_in_process(
    make: Callable[[Path], Path],
    json_path: str,
    words: str,
    command: str,
    chdir_tmp: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    collection = make(chdir_tmp)
    extra = ["-o", "out"] if command == "generate" else []
    assert main([command, str(collection), *extra]) == EXIT_INPUT
    captured = capsys.readouterr()
    _check_one_line(captured.err, collection, json_path, words)
    assert captured.out == ""


def test_error_value_names_file_and_path() -> None:
    from generator.pipeline import build

    with pytest.raises(InputError) as raised:
        build(FIXTURES_DIR / "wrong-schema.json")
    assert raised.value.file == str(FIXTURES_DIR / "wrong-schema.json")
    assert raised.value.json_path == "$.item"
    assert isinstance(raised.value, PmgenError)


def test_unknown_config_key(tmp_path: Path, pmgen: Pmgen) -> None:
    config = FIXTURES_DIR / "unknown-config-key.yaml"
    result = pmgen(
        "generate",
        SALESFORCE_COLLECTION,
        "--config",
        config,
        "-o",
        tmp_path / "o",
        cwd=tmp_path,
    )
    assert result.returncode == EXIT_INPUT
    _check_one_line(result.stderr, config, "$.output_dir", "unknown option")
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("text", "json_path", "words"),
    [
        ("variables:\n  version: {role: boss}\n", "$.variables.version.role", "role"),
        ("package_name: 12\n", "$.package_name", "expected a string"),
        ("model_names: [a, b]\n", "$.model_names", "mapping"),
        ("clients: []\n", "$.clients", "non-empty list"),
        ("- just\n- a list\n", "$", "mapping"),
    ],
    ids=["bad-role", "bad-type", "bad-map", "no-clients", "not-a-mapping"],
)
def test_bad_config_values(
    text: str,
    json_path: str,
    words: str,
    chdir_tmp: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = _write(chdir_tmp / "pmgen-client.yaml", text)
    code = main(["generate", str(SALESFORCE_COLLECTION), "--config", str(config)])
    assert code == EXIT_INPUT
    _check_one_line(capsys.readouterr().err, config, json_path, words)


def test_unknown_key_in_pyproject(chdir_tmp: Path, pmgen: Pmgen) -> None:
    _write(
        chdir_tmp / "pyproject.toml",
        "[tool.pmgen]\n[[tool.pmgen.clients]]\n"
        f'collection = "{SALESFORCE_COLLECTION.as_posix()}"\n'
        'output = "gen/x"\nflavour = "mint"\n',
    )
    result = pmgen("check", cwd=chdir_tmp)
    assert result.returncode == EXIT_INPUT
    _check_one_line(
        result.stderr,
        chdir_tmp.resolve() / "pyproject.toml",
        "$.tool.pmgen.clients[0].flavour",
        "unknown option",
    )


@pytest.mark.parametrize("kind", ["config", "spec"])
def test_yaml_syntax_error_is_one_line(
    kind: str, chdir_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = _write(chdir_tmp / "broken.yaml", "clients: [\n")
    if kind == "config":
        argv = ["generate", str(SALESFORCE_COLLECTION), "--config", str(broken)]
    else:
        argv = ["generate", "--spec", str(broken), "-o", "o"]
    assert main(argv) == EXIT_INPUT
    _check_one_line(capsys.readouterr().err, broken, "$", "invalid YAML")


def test_environment_file_that_is_a_collection(
    chdir_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "generate",
            str(SALESFORCE_COLLECTION),
            "--environment",
            str(SALESFORCE_COLLECTION),
            "-o",
            "o",
        ]
    )
    assert code == EXIT_INPUT
    _check_one_line(
        capsys.readouterr().err,
        SALESFORCE_COLLECTION,
        "$",
        "a Postman collection, not an environment",
    )


def test_bom_is_accepted(chdir_tmp: Path) -> None:
    data = SALESFORCE_COLLECTION.read_bytes()
    with_bom = chdir_tmp / "bom.json"
    with_bom.write_bytes(b"\xef\xbb\xbf" + data)
    assert main(["-q", "generate", str(with_bom), "-o", "o"]) == EXIT_OK


# --- atomic output -----------------------------------------------------------------


@pytest.fixture
def previous_output(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """A folder already holding a generated package, and its bytes."""
    out = tmp_path / "work" / "client_pkg"
    code = main(["-q", "generate", str(SALESFORCE_COLLECTION), "-o", str(out)])
    assert code == EXIT_OK
    (out / "user-notes.txt").write_text("kept only until a successful run\n")
    return out, tree_bytes(out)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".pmgen-" in p.name)


def test_bad_collection_leaves_output_untouched(
    previous_output: tuple[Path, dict[str, bytes]], pmgen: Pmgen
) -> None:
    out, before = previous_output
    result = pmgen(
        "generate", FIXTURES_DIR / "wrong-schema.json", "-o", out, cwd=out.parent
    )
    assert result.returncode == EXIT_INPUT
    assert tree_bytes(out) == before
    assert _leftovers(out.parent) == []


def test_successful_run_replaces_the_whole_folder(
    previous_output: tuple[Path, dict[str, bytes]],
) -> None:
    out, before = previous_output
    code = main(["-q", "generate", str(SALESFORCE_COLLECTION), "-o", str(out)])
    assert code == EXIT_OK
    after = tree_bytes(out)
    assert "user-notes.txt" not in after
    assert after == {k: v for k, v in before.items() if k != "user-notes.txt"}
    assert _leftovers(out.parent) == []


def _failing_open(after: int, error: BaseException) -> Callable[..., Any]:
    """An ``open`` that works ``after`` times for writing, then raises ``error``."""
    calls = {"n": 0}

    def fake_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "w" in mode:
            calls["n"] += 1
            if calls["n"] > after:
                raise error
        return builtins.open(file, mode, *args, **kwargs)

    return fake_open


def test_disk_full_mid_write_keeps_previous_output(
    previous_output: tuple[Path, dict[str, bytes]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out, before = previous_output
    full = OSError(28, "No space left on device")
    monkeypatch.setattr(generator.writer, "open", _failing_open(5, full), raising=False)
    code = main(
        ["-q", "generate", str(SALESFORCE_COLLECTION), "-o", str(out), "--no-cache"]
    )
    assert code == EXIT_INPUT
    err = capsys.readouterr().err
    assert "cannot write the output: No space left on device" in err
    assert "Traceback" not in err
    assert tree_bytes(out) == before
    assert _leftovers(out.parent) == []


def test_failed_write_into_new_folder_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = OSError(28, "No space left on device")
    monkeypatch.setattr(generator.writer, "open", _failing_open(3, full), raising=False)
    with pytest.raises(PmgenError):
        write_tree(tmp_path / "fresh", {f"m{i}.py": "x = 1\n" for i in range(10)})
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("failing", ["swap-in", "move-aside"])
def test_failed_rename_keeps_previous_output(
    failing: str,
    previous_output: tuple[Path, dict[str, bytes]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out, before = previous_output
    real_replace = os.replace
    target = out.resolve()
    calls: list[tuple[str, str]] = []

    def fake_replace(src: Any, dst: Any) -> None:
        calls.append((Path(src).name, Path(dst).name))
        source, destination = Path(src), Path(dst)
        staging = ".pmgen-" in source.name and not source.name.endswith("-old")
        if failing == "swap-in" and staging and destination == target:
            raise OSError(13, "Permission denied")
        if failing == "move-aside" and source == target:
            raise OSError(16, "Device or resource busy")
        real_replace(src, dst)

    monkeypatch.setattr(generator.writer.os, "replace", fake_replace)
    with pytest.raises(PmgenError, match="cannot write the output"):
        write_tree(out, {"only.py": "x = 1\n"})
    monkeypatch.undo()
    assert calls, "the writer did not rename anything"
    assert tree_bytes(out) == before
    assert _leftovers(out.parent) == []


def test_interrupt_mid_write_leaves_no_temp_folder(
    previous_output: tuple[Path, dict[str, bytes]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out, before = previous_output
    monkeypatch.setattr(
        generator.writer,
        "open",
        _failing_open(5, KeyboardInterrupt()),
        raising=False,
    )
    main(["-q", "generate", str(SALESFORCE_COLLECTION), "-o", str(out), "--no-cache"])
    assert tree_bytes(out) == before
    assert _leftovers(out.parent) == []


def test_stale_backup_from_a_crash_is_replaced(
    previous_output: tuple[Path, dict[str, bytes]],
) -> None:
    out, _before = previous_output
    stale = out.parent / f".{out.name}.pmgen-old"
    stale.mkdir()
    (stale / "junk.txt").write_text("from a crashed run")
    write_tree(out, {"a.py": "x = 1\n"})
    assert tree_bytes(out) == {"a.py": b"x = 1\n"}
    assert _leftovers(out.parent) == []


def _large_collection(path: Path, last_item: object) -> Path:
    """A collection past the size where the schema check runs in a forked process,
    whose last item is ``last_item``."""
    filler = {
        "name": "Get thing",
        "request": {"method": "GET", "url": "https://api.example.test/things"},
        "description": "x" * 2_000,
    }
    collection = {
        "info": {
            "name": "Large",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": [*[filler] * 1_100, last_item],
    }
    path.write_text(json.dumps(collection), encoding="utf-8")
    from generator.postman.load import BACKGROUND_CHECK_BYTES

    assert path.stat().st_size >= BACKGROUND_CHECK_BYTES
    return path


@pytest.mark.parametrize(
    ("last_item", "json_path", "words"),
    [
        # the schema check says no, the normalisation would have accepted it
        ({"name": "Bad", "request": {"method": 5, "url": "x"}}, "$.item[1100]", ""),
        # the normalisation fails first: the schema's message is the one given
        ({"name": "Bad", "item": "not a list"}, "$.item[1100]", ""),
    ],
)
def test_large_bad_collection_checked_in_background(
    last_item: object,
    json_path: str,
    words: str,
    chdir_tmp: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    collection = _large_collection(chdir_tmp / "large.json", last_item)
    small = chdir_tmp / "small.json"
    data = json.loads(collection.read_text(encoding="utf-8"))
    data["item"] = data["item"][-1:]
    small.write_text(json.dumps(data), encoding="utf-8")
    assert main(["generate", str(small), "-o", "out"]) == EXIT_INPUT
    expected = capsys.readouterr().err.replace(str(small), str(collection))
    expected = expected.replace("$.item[0]", json_path)
    assert main(["generate", str(collection), "-o", "out"]) == EXIT_INPUT
    captured = capsys.readouterr()
    assert captured.err == expected  # the same message as the in-process check
    _check_one_line(captured.err, collection, json_path, words)
    assert not (chdir_tmp / "out").exists()


def test_large_good_collection_checked_in_background(
    chdir_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.postman.load as load

    good = {"name": "Last", "request": {"method": "GET", "url": "https://a.test/x"}}
    collection = _large_collection(chdir_tmp / "large.json", good)
    children: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            children.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    loaded = load.load_collection(collection)
    assert len(loaded.items) == 1_101
    assert len(children) == 1  # the check ran in a child process
    small = _write(
        chdir_tmp / "small.json",
        json.dumps(
            {**json.loads(collection.read_text(encoding="utf-8")), "item": [good]}
        ),
    )
    load.load_collection(small)
    assert len(children) == 1  # small files are checked in process
