"""The runtime package as a whole: exports, imports and portability."""

from __future__ import annotations

import ast
import pickle
import subprocess
import sys
from copy import copy, deepcopy
from pathlib import Path

import generator.runtime as runtime
from generator.runtime import UNSET, Unset

RUNTIME_DIR = Path(runtime.__file__).parent

CONTRACT_NAMES = {
    "UNSET", "Unset", "QueryValue", "HeaderValues", "FileContent", "AsyncFileContent",
    "ClientError", "ApiError", "BadRequestError", "AuthenticationError",
    "PermissionDeniedError", "NotFoundError", "ConflictError", "RateLimitError",
    "ServerError", "ApiConnectionError", "ApiTimeoutError", "ResponseValidationError",
    "ErrorDetail", "error_for_response",
    "AuthScheme", "BearerAuth", "BasicAuth", "ApiKeyAuth", "TokenSource",
    "Authenticator", "DigestAuth", "OAuth2Auth", "OAuth1Auth", "HawkAuth",
    "AwsSigV4Auth",
    "Model", "make", "decode", "to_jsonable",
    "sync_content", "async_content",
    "RetryPolicy",
    "SyncClient", "AsyncClient", "Captured", "DEFAULT_TIMEOUT",
}  # fmt: skip


def test_all_exports_the_contract() -> None:
    assert set(runtime.__all__) >= CONTRACT_NAMES
    assert len(runtime.__all__) == len(set(runtime.__all__))
    for name in runtime.__all__:
        assert getattr(runtime, name) is not None


def test_contract_files_exist() -> None:
    names = {p.name for p in RUNTIME_DIR.glob("*.py")}
    assert names >= {
        "__init__.py", "_types.py", "_errors.py", "_auth.py", "_auth_flow.py",
        "_auth_sign.py", "_models.py",
        "_files.py", "_retry.py", "_client.py",
    }  # fmt: skip


def test_only_relative_imports_of_httpx_and_stdlib() -> None:
    allowed = set(sys.stdlib_module_names) | {"httpx", "__future__"}
    for path in RUNTIME_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                roots = {(node.module or "").split(".")[0]}
            else:
                continue
            assert roots <= allowed, (path.name, roots)
            assert "generator" not in roots


def test_nothing_api_specific() -> None:
    for path in RUNTIME_DIR.glob("*.py"):
        text = path.read_text().lower()
        for word in ("salesforce", "sforce", "bulk"):
            assert word not in text, (path.name, word)


def test_import_is_cheap_and_works_as_a_copied_subpackage(tmp_path: Path) -> None:
    package = tmp_path / "some_client"
    (package / "_runtime").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    for path in RUNTIME_DIR.glob("*.py"):
        (package / "_runtime" / path.name).write_text(path.read_text())
    code = (
        "import sys; import some_client._runtime as r; "
        "assert r.SyncClient and r.Model; "
        "print(sorted(m for m in ('asyncio', 'pytest', 'generator') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "[]"


def test_unset_sentinel() -> None:
    assert Unset() is UNSET
    assert not UNSET
    assert repr(UNSET) == "UNSET"
    assert copy(UNSET) is UNSET
    assert deepcopy({"v": UNSET})["v"] is UNSET
    assert pickle.loads(pickle.dumps(UNSET)) is UNSET
