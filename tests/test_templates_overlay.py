"""Custom templates (``--templates DIR`` / ``templates:``): every template can be
replaced, unused overlay files are reported, broken templates get a one-line error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import GOLDEN_DIR, REPO_ROOT

from generator.cli import EXIT_FAILED, EXIT_INPUT, EXIT_OK, main
from generator.pipeline import build, render_files
from generator.render.environment import template_dirs, template_names
from generator.render.plan import plan

COLLECTION = GOLDEN_DIR / "auth-and-params" / "collection.json"
OWN = template_dirs()[-1]


def test_every_template_is_known() -> None:
    assert template_names() == [
        "package/README.md.jinja",
        "package/client.py.jinja",
        "package/init.py.jinja",
        "package/models.py.jinja",
        "package/resource.py.jinja",
        "tests/clients.py.jinja",
        "tests/test_resource.py.jinja",
    ]


@pytest.mark.parametrize("template", template_names())
def test_overlay_replaces_each_template(tmp_path: Path, template: str) -> None:
    marker = f"overlay of {template}"
    comment = f"<!-- {marker} -->" if template.endswith(".md.jinja") else f"# {marker}"
    copy = tmp_path / template
    copy.parent.mkdir(parents=True)
    copy.write_text(comment + "\n" + (OWN / template).read_text(), encoding="utf-8")
    spec, _found = build(COLLECTION)
    files = render_files(spec, overlay=tmp_path)
    from_template = {f.path for f in plan(spec) if f.template == template}
    assert from_template
    marked = {path for path, text in files.items() if marker in text}
    assert marked == from_template
    assert files.keys() == render_files(spec).keys()


def _project(tmp_path: Path, templates: str | None = None) -> Path:
    shutil.copy2(COLLECTION, tmp_path / "api.json")
    config = "collection: api.json\noutput: out/acme\npackage_name: acme\n"
    if templates is not None:
        config += f"templates: {templates}\n"
    (tmp_path / "pmgen.yaml").write_text(config, encoding="utf-8")
    return tmp_path / "out" / "acme"


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# The README's example, verbatim.
README_OVERLAY = """\
{% include "pmgen/package/README.md.jinja" %}

## ACME notes

Regenerate with `pmgen generate`; custom code goes in `custom.py`.
"""
RESOURCE_OVERLAY = """\
# Copyright ACME Corp. All rights reserved.
{% include "pmgen/package/resource.py.jinja" %}
"""


def test_readme_examples_are_these() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert "{# my-templates/package/README.md.jinja #}\n" + README_OVERLAY in readme
    assert "{# my-templates/package/resource.py.jinja #}\n" + RESOURCE_OVERLAY in readme


def test_readme_example_overlay_and_config_option(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    package = _project(tmp_path, templates="my-templates")
    _write(tmp_path / "my-templates", "package/README.md.jinja", README_OVERLAY)
    _write(tmp_path / "my-templates", "package/resource.py.jinja", RESOURCE_OVERLAY)
    _write(tmp_path / "my-templates", "_macros.jinja", "{% macro x() %}{% endmacro %}")
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "--config", "pmgen.yaml", "--strict"]) == EXIT_OK
    assert "warning" not in capsys.readouterr().err
    readme = (package / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# ")
    assert readme.endswith(
        "\n## ACME notes\n\nRegenerate with `pmgen generate`; custom code goes in"
        " `custom.py`.\n"
    )
    resources = sorted((package / "resources").glob("[!_]*.py"))
    assert resources
    for path in resources:
        text = path.read_text(encoding="utf-8")
        assert text.startswith('# Copyright ACME Corp. All rights reserved.\n"""')
    client = (package / "client.py").read_text(encoding="utf-8")
    assert "Copyright" not in client
    assert main(["-q", "check"]) == EXIT_OK  # check renders with the overlay too
    _write(tmp_path / "my-templates", "package/README.md.jinja", "changed\n")
    assert main(["-q", "check"]) == EXIT_FAILED
    assert f"--templates {tmp_path / 'my-templates'}" in capsys.readouterr().err


def test_command_line_templates_win_over_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = _project(tmp_path, templates="configured")
    _write(tmp_path / "configured", "package/README.md.jinja", "configured\n")
    _write(tmp_path / "given", "package/README.md.jinja", "given\n")
    monkeypatch.chdir(tmp_path)
    assert main(["-q", "generate", "--config", "pmgen.yaml"]) == EXIT_OK
    assert (package / "README.md").read_text(encoding="utf-8") == "configured\n"
    args = ["-q", "generate", "--config", "pmgen.yaml", "--templates", "given"]
    assert main(args) == EXIT_OK
    assert (package / "README.md").read_text(encoding="utf-8") == "given\n"


def test_overlay_file_replacing_nothing_is_a_warning(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _project(tmp_path)
    _write(tmp_path / "t", "package/resources.py.jinja", "x = 1\n")
    _write(tmp_path / "t", "notes.txt", "hello\n")
    typo, stray = Path("t/package/resources.py.jinja"), Path("t/notes.txt")
    monkeypatch.chdir(tmp_path)
    args = ["generate", "--config", "pmgen.yaml", "--templates", "t"]
    assert main(args) == EXIT_OK
    err = capsys.readouterr().err
    assert (
        f"warning: {typo}: replaces none of pmgen's templates;"
        " did you mean package/resource.py.jinja?"
    ) in err
    assert f"warning: {stray}: replaces none of pmgen's templates; pmgen's:" in err
    assert main([*args, "--strict"]) == EXIT_FAILED


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '"""{{ view.docstring }}"""\n{{ view.nme }}\n',
            "package/client.py.jinja:2: undefined:",
        ),
        ("ok\n{% for x in %}\n", "package/client.py.jinja:2: syntax error:"),
        ("{{ view.docstring.nope() }}\n", "package/client.py.jinja:1: undefined:"),
        ("{{ 1 // 0 }}\n", "package/client.py.jinja:1: ZeroDivisionError:"),
        (
            "def broken(:\n",
            "package/client.py.jinja: rendered client.py, which is not valid Python:",
        ),
        ('{% include "pmgen/package/nope.jinja" %}\n', "template not found"),
    ],
)
def test_broken_template_is_a_one_line_error(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    text: str,
    expected: str,
) -> None:
    package = _project(tmp_path)
    _write(tmp_path / "t", "package/client.py.jinja", text)
    monkeypatch.chdir(tmp_path)
    assert main(["-q", "generate", "--config", "pmgen.yaml", "--templates", "t"]) == (
        EXIT_INPUT
    )
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("pmgen: error: ")
    assert expected in err
    assert "Traceback" not in err
    assert not package.exists()  # nothing written


def test_undefined_error_names_the_file_and_output(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _project(tmp_path)
    template = _write(
        tmp_path / "t", "package/resource.py.jinja", "\n\n{{ view.doctsring }}\n"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "--config", "pmgen.yaml", "--templates", "t"]) == (
        EXIT_INPUT
    )
    err = capsys.readouterr().err
    assert f"{template}:3: undefined: " in err
    assert (
        "has no attribute 'doctsring'; did you mean 'docstring'? (rendering resources/"
        in err
    )


def test_missing_templates_folder_exits_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _project(tmp_path, templates="nowhere")
    monkeypatch.chdir(tmp_path)
    assert main(["-q", "generate", "--config", "pmgen.yaml"]) == EXIT_INPUT
    assert main(["-q", "check"]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert "nowhere: the templates folder does not exist" in err
