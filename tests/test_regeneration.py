"""Custom code survives regeneration: ``.pmgenignore`` rules, the writer carrying
protected files over, ``pmgen check`` leaving them out, failures leaving all as is."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import GOLDEN_DIR, REPO_ROOT, tree_bytes

from generator import writer
from generator.cli import EXIT_FAILED, EXIT_INPUT, EXIT_OK, main
from generator.errors import InputError, PmgenError
from generator.ignore import IgnoreRules, load_ignore, parse_rules

COLLECTION = GOLDEN_DIR / "v20-format" / "collection.json"
CUSTOM = '"""My own helpers."""\n\nANSWER = 42\n'


def rules(text: str) -> IgnoreRules:
    return IgnoreRules(tuple(parse_rules(text, Path(".pmgenignore"))))


# --- patterns ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "path", "protected"),
    [
        ("custom.py", "custom.py", True),
        ("custom.py", "resources/custom.py", True),  # no slash: any depth
        ("/custom.py", "resources/custom.py", False),  # leading slash: anchored
        ("resources/users.py", "resources/users.py", True),
        ("resources/users.py", "x/resources/users.py", False),  # slash: anchored
        ("*_custom.py", "resources/users_custom.py", True),
        ("*.py", "a/b.py", True),
        ("resources/*.py", "resources/a/b.py", False),  # * never spans /
        ("user?.py", "user1.py", True),
        ("user?.py", "user10.py", False),
        ("test_[ab].py", "tests/test_a.py", True),
        ("test_[!ab].py", "tests/test_a.py", False),
        ("test_[!ab].py", "tests/test_c.py", True),
        ("custom/", "custom/deep/x.py", True),  # a folder and all under it
        ("custom/", "custom", False),  # folder-only: not a file of that name
        ("**/helpers.py", "a/b/helpers.py", True),
        ("**/helpers.py", "helpers.py", True),
        ("ext/**", "ext/a/b.py", True),
        ("a/**/b.py", "a/b.py", True),
        ("a/**/b.py", "a/x/y/b.py", True),
        ("# comment", "# comment", False),
        ("\\#hash.py", "#hash.py", True),
        ("README.md   ", "README.md", True),  # trailing spaces dropped
    ],
)
def test_pattern(pattern: str, path: str, protected: bool) -> None:
    assert rules(pattern).protects(path) is protected


def test_last_match_wins_and_negation() -> None:
    found = rules("resources/*\n!resources/__init__.py\n")
    assert found.protects("resources/users.py")
    assert not found.protects("resources/__init__.py")
    assert rules("!a.py\na.py").protects("a.py")


def test_file_under_protected_folder_cannot_be_taken_back() -> None:
    assert rules("custom/\n!custom/x.py\n").protects("custom/x.py")


def test_ignore_file_itself_is_always_protected() -> None:
    assert IgnoreRules().protects(".pmgenignore")
    assert not IgnoreRules().protects("client.py")


def test_bad_pattern_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / ".pmgenignore").write_text("ok.py\n\nbad[.py\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_ignore(tmp_path)
    assert str(info.value).startswith(f"{tmp_path / '.pmgenignore'}: line 3: bad")


def test_rules_next_to_config_come_first(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / ".pmgenignore").write_text("*.py\n", encoding="utf-8")
    (out / ".pmgenignore").write_text("!client.py\n", encoding="utf-8")
    found = load_ignore(out, [tmp_path])
    assert found.protects("custom.py") and not found.protects("client.py")
    assert found.sources == (tmp_path / ".pmgenignore", out / ".pmgenignore")


# --- writer -----------------------------------------------------------------------


def test_write_tree_carries_protected_files_over(tmp_path: Path) -> None:
    target = tmp_path / "pkg"
    writer.write_tree(target, {"a.py": "a = 1\n", "sub/b.py": "b = 1\n"})
    (target / ".pmgenignore").write_text("a.py\nmine/\n", encoding="utf-8")
    (target / "a.py").write_text("a = 'edited'\n", encoding="utf-8")
    (target / "mine" / "empty").mkdir(parents=True)
    (target / "mine" / "notes.txt").write_bytes(b"\x00\xffbinary")
    (target / "stray.txt").write_text("gone\n", encoding="utf-8")
    removed = writer.write_tree(target, {"a.py": "a = 2\n", "sub/b.py": "b = 2\n"})
    assert removed == ["stray.txt"]
    assert (target / "a.py").read_text() == "a = 'edited'\n"
    assert (target / "sub" / "b.py").read_text() == "b = 2\n"
    assert (target / "mine" / "notes.txt").read_bytes() == b"\x00\xffbinary"
    assert (target / "mine" / "empty").is_dir()
    assert not (target / "stray.txt").exists()
    assert (target / ".pmgenignore").is_file()
    assert writer.diff_tree(target, {"a.py": "a = 2\n", "sub/b.py": "b = 2\n"}) == []


def test_protected_path_missing_is_written_as_generated(tmp_path: Path) -> None:
    target = tmp_path / "pkg"
    target.mkdir()
    (target / ".pmgenignore").write_text("a.py\n", encoding="utf-8")
    writer.write_tree(target, {"a.py": "a = 1\n"})
    assert (target / "a.py").read_text() == "a = 1\n"


def test_protected_symlink_is_carried_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.py").write_text("x = 1\n", encoding="utf-8")
    target = tmp_path / "pkg"
    writer.write_tree(target, {"a.py": "a = 1\n"})
    (target / ".pmgenignore").write_text("linked\n", encoding="utf-8")
    (target / "linked").symlink_to(outside, target_is_directory=True)
    writer.write_tree(target, {"a.py": "a = 1\n"})
    assert (target / "linked").is_symlink()
    assert (outside / "x.py").read_text() == "x = 1\n"


@pytest.mark.parametrize("fail_in", ["copy2", "swap"])
def test_failed_write_leaves_everything_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail_in: str
) -> None:
    target = tmp_path / "pkg"
    writer.write_tree(target, {"a.py": "a = 1\n"})
    (target / ".pmgenignore").write_text("custom.py\n", encoding="utf-8")
    (target / "custom.py").write_text(CUSTOM, encoding="utf-8")
    before = tree_bytes(tmp_path)

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    if fail_in == "copy2":
        monkeypatch.setattr(writer.shutil, "copy2", fail)
    else:
        monkeypatch.setattr(writer, "_swap", fail)
    with pytest.raises(PmgenError, match="cannot write the output"):
        writer.write_tree(target, {"a.py": "a = 2\n"})
    assert tree_bytes(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


# --- command line -----------------------------------------------------------------


def _project(tmp_path: Path) -> Path:
    shutil.copy2(COLLECTION, tmp_path / "api.json")
    (tmp_path / "pmgen.yaml").write_text(
        "collection: api.json\noutput: out/legacy_api\npackage_name: legacy_api\n",
        encoding="utf-8",
    )
    return tmp_path / "out" / "legacy_api"


def test_user_files_survive_generate_and_check_passes(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    package = _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["-q", "generate", "--config", "pmgen.yaml"]) == EXIT_OK
    readme = "# My own README\n"
    (package / "README.md").write_text(readme, encoding="utf-8")
    (package / "custom.py").write_text(CUSTOM, encoding="utf-8")
    (package / "extras").mkdir()
    (package / "extras" / "__init__.py").write_text("", encoding="utf-8")
    assert main(["-q", "check"]) == EXIT_FAILED  # not protected yet
    (package / ".pmgenignore").write_text(
        "# kept by pmgen\ncustom.py\n/README.md\nextras/\n", encoding="utf-8"
    )
    capsys.readouterr()
    assert main(["check"]) == EXIT_OK
    assert main(["generate", "--config", "pmgen.yaml"]) == EXIT_OK
    assert "removed" not in capsys.readouterr().err
    assert (package / "README.md").read_text(encoding="utf-8") == readme
    assert (package / "custom.py").read_text(encoding="utf-8") == CUSTOM
    assert (package / "extras" / "__init__.py").is_file()
    assert (package / "client.py").is_file()
    assert main(["-q", "check"]) == EXIT_OK


def test_unprotected_user_file_is_removed_with_a_message(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    package = _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["-q", "generate", "--config", "pmgen.yaml"]) == EXIT_OK
    (package / "custom.py").write_text(CUSTOM, encoding="utf-8")
    assert main(["generate", "--config", "pmgen.yaml"]) == EXIT_OK
    err = capsys.readouterr().err
    assert "removed 1 file(s) pmgen does not generate: custom.py" in err
    assert ".pmgenignore" in err
    assert not (package / "custom.py").exists()


def test_ignore_file_next_to_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".pmgenignore").write_text("custom.py\n", encoding="utf-8")
    assert main(["-q", "generate", "--config", "pmgen.yaml"]) == EXIT_OK
    (package / "custom.py").write_text(CUSTOM, encoding="utf-8")
    assert main(["-q", "generate", "--config", "pmgen.yaml"]) == EXIT_OK
    assert (package / "custom.py").read_text(encoding="utf-8") == CUSTOM
    assert main(["-q", "check"]) == EXIT_OK


def test_failing_generate_leaves_the_folder_untouched(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    package = _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["-q", "generate", "--config", "pmgen.yaml"]) == EXIT_OK
    (package / ".pmgenignore").write_text("custom.py\n", encoding="utf-8")
    (package / "custom.py").write_text(CUSTOM, encoding="utf-8")
    (package / "client.py").write_text("edited = True\n", encoding="utf-8")
    before = tree_bytes(tmp_path)
    (tmp_path / "api.json").write_text("{not json", encoding="utf-8")
    assert main(["-q", "generate", "--config", "pmgen.yaml"]) == EXIT_INPUT
    (tmp_path / "api.json").write_bytes(before["api.json"])
    monkeypatch.setattr(writer, "_swap", _disk_full)
    assert main(["-q", "generate", "--config", "pmgen.yaml"]) == EXIT_INPUT
    assert "No space left on device" in capsys.readouterr().err
    assert tree_bytes(tmp_path) == before


def test_bad_ignore_file_exits_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    package = _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["-q", "generate", "--config", "pmgen.yaml"]) == EXIT_OK
    (package / ".pmgenignore").write_text("[oops\n", encoding="utf-8")
    assert main(["-q", "generate", "--config", "pmgen.yaml"]) == EXIT_INPUT
    assert main(["-q", "check"]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert ".pmgenignore: line 1: bad pattern '[oops'" in err
    assert "Traceback" not in err


def _disk_full(*args: object) -> None:
    raise OSError(28, "No space left on device")


def test_readme_example_ignore_file() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```gitignore\n", 1)[1].split("```", 1)[0]
    found = rules(block)
    for kept in ("custom.py", "extras/a/b.py", "README.md", "tests/test_x_live.py"):
        assert found.protects(kept), kept
    for generated in ("client.py", "resources/README.md", "tests/test_x.py"):
        assert not found.protects(generated), generated
