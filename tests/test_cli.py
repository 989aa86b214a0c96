"""The command line: ``generate``, ``spec`` and ``check``, in a subprocess (the real
entry point) and through ``generator.cli.main`` (fast), with their exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import (
    REPO_ROOT,
    SALESFORCE_COLLECTION,
    SALESFORCE_PACKAGE,
    tree_bytes,
)

from generator.cli import EXIT_FAILED, EXIT_INPUT, EXIT_OK, main
from generator.spec.serialize import SCHEMA_PATH, make_schema

Pmgen = Callable[..., subprocess.CompletedProcess[str]]

WARNING_COLLECTION = {
    "info": {
        "name": "Digest Demo",
        "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
    },
    "auth": {
        "type": "ntlm",
        "ntlm": [
            {"key": "username", "value": "{{user}}"},
            {"key": "password", "value": "{{pass}}"},
        ],
    },
    "item": [
        {
            "name": "Get thing",
            "request": {"method": "GET", "url": "https://ntlm.example.com/thing"},
        }
    ],
}


def _copy_project(tmp_path: Path, pmgen: Pmgen) -> Path:
    """A copy of what ``pmgen check`` reads (pyproject, collections, generated),
    regenerated there so the test does not depend on the repository being current."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy2(REPO_ROOT / "pyproject.toml", project / "pyproject.toml")
    shutil.copytree(
        REPO_ROOT / "collections",
        project / "collections",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shutil.copytree(
        REPO_ROOT / "generated",
        project / "generated",
        ignore=shutil.ignore_patterns("__pycache__", ".mypy_cache", ".pytest_cache"),
    )
    collection = project / "collections" / SALESFORCE_COLLECTION.name
    result = pmgen("-q", "generate", collection, cwd=project)
    assert result.returncode == EXIT_OK, result.stderr
    assert (project / "generated" / SALESFORCE_PACKAGE / "client.py").is_file()
    return project


# --- generate ----------------------------------------------------------------------


def test_generate_subprocess_matches_in_process(
    tmp_path: Path, pmgen: Pmgen, chdir_tmp: Path
) -> None:
    out_sub, out_main = tmp_path / "sub" / "pkg", tmp_path / "main" / "pkg"
    result = pmgen("generate", SALESFORCE_COLLECTION, "-o", out_sub, cwd=tmp_path)
    assert result.returncode == EXIT_OK, result.stderr
    assert f"to {out_sub}" in result.stderr  # the summary line
    assert result.stdout == ""
    assert (
        main(["-q", "generate", str(SALESFORCE_COLLECTION), "-o", str(out_main)]) == 0
    )
    assert tree_bytes(out_sub) == tree_bytes(out_main)
    assert (out_main / "client.py").is_file()


def test_generate_quiet_prints_nothing(tmp_path: Path, pmgen: Pmgen) -> None:
    result = pmgen(
        "-q", "generate", SALESFORCE_COLLECTION, "-o", tmp_path / "x", cwd=tmp_path
    )
    assert result.returncode == EXIT_OK
    assert result.stderr == "" and result.stdout == ""


def test_generate_package_name_and_default_output(chdir_tmp: Path) -> None:
    """Without ``-o`` the package goes to ``generated/<package>`` (cwd-relative)."""
    code = main(["-q", "generate", str(SALESFORCE_COLLECTION), "--package-name", "sf"])
    assert code == EXIT_OK
    init = (chdir_tmp / "generated" / "sf" / "tests" / "_clients.py").read_text("utf-8")
    assert "from sf import AsyncClient, Client" in init


def test_generate_in_repo_uses_project_config(tmp_path: Path, pmgen: Pmgen) -> None:
    """From the repo root, the [tool.pmgen] client's package name applies."""
    result = pmgen(
        "-q", "generate", SALESFORCE_COLLECTION, "-o", tmp_path / "o", cwd=REPO_ROOT
    )
    assert result.returncode == EXIT_OK, result.stderr
    elsewhere = pmgen(
        "-q",
        "generate",
        SALESFORCE_COLLECTION,
        "-o",
        tmp_path / "p",
        "--package-name",
        SALESFORCE_PACKAGE,
        cwd=tmp_path,
    )
    assert elsewhere.returncode == EXIT_OK, elsewhere.stderr
    assert tree_bytes(tmp_path / "o") == tree_bytes(tmp_path / "p")
    clients = (tmp_path / "o" / "tests" / "_clients.py").read_text("utf-8")
    assert f"from {SALESFORCE_PACKAGE} import" in clients


def test_generate_format_flag_is_stable(tmp_path: Path, chdir_tmp: Path) -> None:
    """``--format`` runs black; templates already emit black style (same output)."""
    plain, formatted = tmp_path / "plain", tmp_path / "formatted"
    assert main(["-q", "generate", str(SALESFORCE_COLLECTION), "-o", str(plain)]) == 0
    assert (
        main(
            [
                "-q",
                "generate",
                str(SALESFORCE_COLLECTION),
                "-o",
                str(formatted),
                "--format",
            ]
        )
        == 0
    )
    assert tree_bytes(plain) == tree_bytes(formatted)


def test_generate_strict_fails_on_warnings(tmp_path: Path, chdir_tmp: Path) -> None:
    collection = tmp_path / "ntlm.json"
    collection.write_text(json.dumps(WARNING_COLLECTION), encoding="utf-8")
    assert main(["-q", "generate", str(collection), "-o", str(tmp_path / "a")]) == 0
    code = main(
        ["-q", "generate", str(collection), "-o", str(tmp_path / "b"), "--strict"]
    )
    assert code == EXIT_FAILED
    assert (tmp_path / "b" / "client.py").is_file()  # still written


def test_generate_warning_is_printed(tmp_path: Path, pmgen: Pmgen) -> None:
    collection = tmp_path / "ntlm.json"
    collection.write_text(json.dumps(WARNING_COLLECTION), encoding="utf-8")
    result = pmgen("generate", collection, "-o", tmp_path / "o", cwd=tmp_path)
    assert result.returncode == EXIT_OK
    assert (
        "warning: Get thing: auth type 'ntlm' is not reproduced (ntlm.json: $.auth)"
        in result.stderr
    )


def test_usage_errors_exit_2(
    chdir_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate"]) == EXIT_INPUT
    assert "give a COLLECTION" in capsys.readouterr().err
    with pytest.raises(SystemExit) as raised:
        main(["frobnicate"])
    assert raised.value.code == 2
    with pytest.raises(SystemExit) as raised:
        main([])
    assert raised.value.code == 2


def test_usage_error_subprocess(pmgen: Pmgen, tmp_path: Path) -> None:
    result = pmgen("generate", "--bogus-flag", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "usage: pmgen" in result.stderr


# --- check -------------------------------------------------------------------------


def test_check_passes_on_the_repository(pmgen: Pmgen) -> None:
    result = pmgen("check", cwd=REPO_ROOT)
    assert result.returncode == EXIT_OK, result.stderr
    assert "up to date" in result.stderr


def test_check_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO_ROOT)
    assert main(["-q", "check"]) == EXIT_OK
    assert main(["-q", "check", "--config", str(REPO_ROOT / "pyproject.toml")]) == 0


def test_check_detects_an_edited_file(tmp_path: Path, pmgen: Pmgen) -> None:
    project = _copy_project(tmp_path, pmgen)
    assert pmgen("check", cwd=project).returncode == EXIT_OK
    client = project / "generated" / SALESFORCE_PACKAGE / "client.py"
    text = client.read_text(encoding="utf-8")
    assert '"""Synchronous client for' in text
    client.write_text(text.replace('"""Synchronous client for', '"""Edited client for'))
    result = pmgen("check", cwd=project)
    assert result.returncode == EXIT_FAILED
    assert "is stale; run: pmgen generate" in result.stderr
    assert '-    """Edited client for' in result.stderr
    assert '+    """Synchronous client for' in result.stderr
    assert "Traceback" not in result.stderr


def test_check_detects_missing_and_extra_files(
    tmp_path: Path,
    pmgen: Pmgen,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project = _copy_project(tmp_path, pmgen)
    package = project / "generated" / SALESFORCE_PACKAGE
    (package / "py.typed").unlink()
    (package / "leftover.py").write_text("x = 1\n", encoding="utf-8")
    monkeypatch.chdir(project)
    assert main(["check"]) == EXIT_FAILED
    err = capsys.readouterr().err
    assert "missing:" in err and "py.typed" in err
    assert "not generated (stale):" in err and "leftover.py" in err


def test_check_without_config_exits_2(chdir_tmp: Path, pmgen: Pmgen) -> None:
    result = pmgen("check", cwd=chdir_tmp)
    assert result.returncode == EXIT_INPUT
    assert "no [tool.pmgen]" in result.stderr
    assert "Traceback" not in result.stderr


# --- spec --------------------------------------------------------------------------


def test_spec_to_stdout(capsys: pytest.CaptureFixture[str], chdir_tmp: Path) -> None:
    assert main(["-q", "spec", str(SALESFORCE_COLLECTION)]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("# pmgen intermediate spec")
    data = yaml.safe_load(out)
    assert data["title"] == "Salesforce Bulk API 2.0"
    assert data["format"] == 1


def test_spec_round_trip_subprocess(tmp_path: Path, pmgen: Pmgen) -> None:
    spec_file = tmp_path / "x.yaml"
    assert (
        pmgen(
            "-q", "spec", SALESFORCE_COLLECTION, "-o", spec_file, cwd=tmp_path
        ).returncode
        == 0
    )
    from_spec = pmgen(
        "-q", "generate", "--spec", spec_file, "-o", tmp_path / "a", cwd=tmp_path
    )
    assert from_spec.returncode == EXIT_OK, from_spec.stderr
    direct = pmgen(
        "-q", "generate", SALESFORCE_COLLECTION, "-o", tmp_path / "b", cwd=tmp_path
    )
    assert direct.returncode == EXIT_OK, direct.stderr
    assert tree_bytes(tmp_path / "a") == tree_bytes(tmp_path / "b")


@pytest.mark.parametrize(
    "collection",
    [
        SALESFORCE_COLLECTION,
        REPO_ROOT / "tests" / "golden" / "auth-and-params" / "collection.json",
        REPO_ROOT / "tests" / "golden" / "naming-edge-cases" / "collection.json",
        REPO_ROOT / "tests" / "golden" / "v20-format" / "collection.json",
    ],
    ids=lambda p: p.parent.name if p.name == "collection.json" else "salesforce",
)
def test_spec_round_trip_in_process(collection: Path, chdir_tmp: Path) -> None:
    spec_file = chdir_tmp / "x.yaml"
    assert main(["-q", "spec", str(collection), "-o", str(spec_file)]) == EXIT_OK
    assert main(["-q", "generate", "--spec", str(spec_file), "-o", "a"]) == EXIT_OK
    assert main(["-q", "generate", str(collection), "-o", "b"]) == EXIT_OK
    assert tree_bytes(chdir_tmp / "a") == tree_bytes(chdir_tmp / "b")
    # The YAML itself is a fixed point: dump(load(dump(spec))) == dump(spec).
    assert main(["-q", "spec", str(collection), "-o", "y.yaml"]) == EXIT_OK
    from generator.spec.serialize import dump_yaml, load_yaml

    assert dump_yaml(load_yaml(spec_file)) == spec_file.read_text(encoding="utf-8")


def test_edited_method_name_renames_the_method(chdir_tmp: Path) -> None:
    spec_file = chdir_tmp / "x.yaml"
    assert main(["-q", "spec", str(SALESFORCE_COLLECTION), "-o", str(spec_file)]) == 0
    text = spec_file.read_text(encoding="utf-8")
    assert text.count("name: abort_a_job_query\n") == 1
    spec_file.write_text(
        text.replace("name: abort_a_job_query\n", "name: cancel_query_job\n"),
        encoding="utf-8",
    )
    assert main(["-q", "generate", "--spec", str(spec_file), "-o", "out"]) == EXIT_OK
    resource = (chdir_tmp / "out" / "resources" / "bulk_v2_query.py").read_text("utf-8")
    assert "def cancel_query_job(self, job_id: str" in resource
    assert "async def cancel_query_job(self, job_id: str" in resource
    assert "abort_a_job_query" not in resource
    everything = "".join(
        p.read_text(encoding="utf-8") for p in (chdir_tmp / "out").rglob("*.py")
    )
    assert "abort_a_job_query" not in everything


def test_invalid_spec_type_exits_2_with_path(tmp_path: Path, pmgen: Pmgen) -> None:
    spec_file = tmp_path / "broken-spec.yaml"
    assert (
        pmgen(
            "-q", "spec", SALESFORCE_COLLECTION, "-o", spec_file, cwd=tmp_path
        ).returncode
        == 0
    )
    text = spec_file.read_text(encoding="utf-8")
    spec_file.write_text(
        text.replace("name: abort_a_job_query\n", "name: [1, 2]\n"), encoding="utf-8"
    )
    result = pmgen("generate", "--spec", spec_file, "-o", tmp_path / "o", cwd=tmp_path)
    assert result.returncode == EXIT_INPUT
    assert "Traceback" not in result.stderr
    assert "broken-spec.yaml" in result.stderr
    assert "$.root.resources[0].resources[0].operations[" in result.stderr
    assert "].name" in result.stderr
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        ("format: 1\n", "format: one\n", "$.format"),
        ("version: 0.1.0\n", "version: 0.1.0\nsurprise: true\n", "$"),
        ("  kind: bearer\n", "  kind: kerberos\n", "$.auth[0].kind"),
    ],
    ids=["wrong-type", "unknown-key", "bad-enum"],
)
def test_invalid_spec_in_process(
    old: str,
    new: str,
    path: str,
    chdir_tmp: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    spec_file = chdir_tmp / "s.yaml"
    assert main(["-q", "spec", str(SALESFORCE_COLLECTION), "-o", str(spec_file)]) == 0
    text = spec_file.read_text(encoding="utf-8")
    assert old in text
    spec_file.write_text(text.replace(old, new, 1), encoding="utf-8")
    capsys.readouterr()
    assert main(["generate", "--spec", str(spec_file), "-o", "o"]) == EXIT_INPUT
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"pmgen: error: {spec_file}: {path}:"), err
    assert len(err.splitlines()) == 1


def test_spec_schema_file_matches_the_types() -> None:
    shipped = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert (
        shipped == make_schema()
    ), "generator/spec/spec.schema.json is out of date with spec/model.py"


def test_spec_yaml_validates_against_the_schema(chdir_tmp: Path) -> None:
    import jsonschema

    spec_file = chdir_tmp / "x.yaml"
    assert main(["-q", "spec", str(SALESFORCE_COLLECTION), "-o", str(spec_file)]) == 0
    data = yaml.safe_load(spec_file.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(make_schema()).validate(data)


def test_spec_needs_an_input_and_names_its_own_options(
    chdir_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["spec"]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert "give a COLLECTION or a --config naming a collection" in err
    assert "--spec" not in err  # `pmgen spec` takes no --spec


def test_check_with_an_explicit_config_suggests_it(
    tmp_path: Path, pmgen: Pmgen
) -> None:
    project = _copy_project(tmp_path, pmgen)
    config = project / "pyproject.toml"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    client = project / "generated" / SALESFORCE_PACKAGE / "client.py"
    client.write_text(client.read_text(encoding="utf-8") + "# edited\n", "utf-8")
    result = pmgen("check", "--config", config, cwd=elsewhere)
    assert result.returncode == EXIT_FAILED
    assert f"--config {config}" in result.stderr  # `generate` would not find it


_SCHEMA_V21 = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


def test_check_refuses_a_lock_for_several_collections(
    chdir_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("a", "b"):
        (chdir_tmp / f"{name}.json").write_text(
            json.dumps(
                {
                    "info": {"name": name, "schema": _SCHEMA_V21},
                    "item": [{"name": "Get", "request": {"url": "https://x.test/a"}}],
                }
            ),
            encoding="utf-8",
        )
    (chdir_tmp / "pmgen.yaml").write_text(
        "collections:\n  - {collection: a.json, name: a}\n"
        "  - {collection: b.json, name: b}\noutput: out\nlock: pmgen.lock\n",
        encoding="utf-8",
    )
    assert main(["check"]) == EXIT_INPUT  # as `generate` refuses it
    assert "applies to one collection, not to several" in capsys.readouterr().err
