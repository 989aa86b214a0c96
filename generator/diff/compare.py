"""Changes between two surfaces, each classified breaking / additive / patch.

| change | level |
|---|---|
| operation added | additive |
| operation removed | breaking |
| operation renamed (same key, other call path) | breaking; additive when the old name is kept as a deprecated alias |
| deprecated alias removed | breaking |
| HTTP method or path changed | patch |
| parameter added, required | breaking |
| parameter added, optional | additive |
| parameter removed | breaking |
| parameter type changed | breaking |
| parameter now required / now optional | breaking / additive |
| parameter default changed | patch |
| body kind or model changed | breaking |
| result type changed | breaking |
| error status added / removed | additive / patch |
| model removed / added | breaking / additive |
| model field removed / type changed | breaking |
| model field added | additive |
| model field now optional / now required | breaking / patch |
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from ..errors import UsageError
from .surface import decode_field, decode_parameter

Level = Literal["breaking", "additive", "patch"]
LEVELS: tuple[Level, ...] = ("breaking", "additive", "patch")
Bump = Literal["major", "minor", "patch", "none"]
_BUMPS: dict[Level, Bump] = {"breaking": "major", "additive": "minor", "patch": "patch"}
_VERSION_RE = re.compile(r"^(\d+)\.(\d+)\.(\d+)(.*)$")


@dataclass(frozen=True)
class Change:
    """One change, what it concerns (an operation's call path or a model) and why."""

    level: Level
    subject: str
    text: str


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every change from surface ``old`` to surface ``new``, in a stable order."""
    changes: list[Change] = []
    old_ops: dict[str, Any] = old.get("operations", {})
    new_ops: dict[str, Any] = new.get("operations", {})
    for key in sorted(set(old_ops) | set(new_ops)):
        before, after = old_ops.get(key), new_ops.get(key)
        if after is None:
            changes.append(
                Change("breaking", old_ops[key]["call"], "operation removed")
            )
        elif before is None:
            changes.append(Change("additive", after["call"], "operation added"))
        else:
            changes += _operation(before, after)
    changes += _models(old.get("models", {}), new.get("models", {}))
    order = {level: i for i, level in enumerate(LEVELS)}
    return sorted(changes, key=lambda c: (order[c.level], c.subject, c.text))


def _operation(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    call = after["call"]
    changes: list[Change] = []
    if before["call"] != after["call"]:
        kept = before["call"] in after.get("aliases", [])
        changes.append(
            Change(
                "additive" if kept else "breaking",
                call,
                f"renamed from `{before['call']}`"
                + (" (the old name is kept as a deprecated alias)" if kept else ""),
            )
        )
    for alias in before.get("aliases", []):
        if alias not in after.get("aliases", []) and alias != call:
            changes.append(
                Change("breaking", call, f"deprecated alias `{alias}` removed")
            )
    if (before["method"], before["path"]) != (after["method"], after["path"]):
        changes.append(
            Change(
                "patch",
                call,
                f"request changed from {before['method']} {before['path']}"
                f" to {after['method']} {after['path']}",
            )
        )
    changes += _parameters(call, before["parameters"], after["parameters"])
    if before["body"] != after["body"]:
        changes.append(
            Change(
                "breaking",
                call,
                f"body changed from `{before['body'] or 'none'}`"
                f" to `{after['body'] or 'none'}`",
            )
        )
    if before["result"] != after["result"]:
        changes.append(
            Change(
                "breaking",
                call,
                f"result type changed from `{before['result']}` to `{after['result']}`",
            )
        )
    for status in sorted(set(after["errors"]) - set(before["errors"])):
        changes.append(Change("additive", call, f"documents error status {status}"))
    for status in sorted(set(before["errors"]) - set(after["errors"])):
        changes.append(
            Change("patch", call, f"no longer documents error status {status}")
        )
    return changes


def _parameters(
    call: str, before: dict[str, Any], after: dict[str, Any]
) -> list[Change]:
    changes: list[Change] = []
    for name in sorted(set(before) | set(after)):
        old, new = _decoded(before, name, decode_parameter), _decoded(
            after, name, decode_parameter
        )
        if new is None:
            changes.append(Change("breaking", call, f"parameter `{name}` removed"))
        elif old is None:
            required = new["required"]
            changes.append(
                Change(
                    "breaking" if required else "additive",
                    call,
                    f"{'required' if required else 'optional'} parameter `{name}` added",
                )
            )
        else:
            if old["type"] != new["type"]:
                changes.append(
                    Change(
                        "breaking",
                        call,
                        f"parameter `{name}` type changed from `{old['type']}`"
                        f" to `{new['type']}`",
                    )
                )
            if old["required"] != new["required"]:
                changes.append(
                    Change(
                        "breaking" if new["required"] else "additive",
                        call,
                        f"parameter `{name}` is now "
                        + ("required" if new["required"] else "optional"),
                    )
                )
            elif not new["required"] and old.get("default") != new.get("default"):
                changes.append(
                    Change(
                        "patch",
                        call,
                        f"parameter `{name}` default changed from"
                        f" {old.get('default')!r} to {new.get('default')!r}",
                    )
                )
            if old["location"] != new["location"]:
                changes.append(
                    Change(
                        "patch",
                        call,
                        f"parameter `{name}` now sent in the {new['location']}"
                        f" (was {old['location']})",
                    )
                )
    return changes


def _models(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if new is None:
            changes.append(Change("breaking", name, "model removed"))
            continue
        if old is None:
            changes.append(Change("additive", name, "model added"))
            continue
        for field in sorted(set(old) | set(new)):
            was = _decoded(old, field, decode_field)
            now = _decoded(new, field, decode_field)
            if now is None:
                changes.append(Change("breaking", name, f"field `{field}` removed"))
            elif was is None:
                changes.append(Change("additive", name, f"field `{field}` added"))
            else:
                if was["type"] != now["type"]:
                    changes.append(
                        Change(
                            "breaking",
                            name,
                            f"field `{field}` type changed from `{was['type']}`"
                            f" to `{now['type']}`",
                        )
                    )
                if was["required"] != now["required"]:
                    changes.append(
                        Change(
                            "patch" if now["required"] else "breaking",
                            name,
                            f"field `{field}` is now "
                            + ("always present" if now["required"] else "optional"),
                        )
                    )
    return changes


def _decoded(
    entries: dict[str, Any], name: str, decode: Callable[[str], dict[str, Any]]
) -> dict[str, Any] | None:
    text = entries.get(name)
    return decode(text) if isinstance(text, str) else None


def level_of(changes: list[Change]) -> Level | None:
    """The highest level among ``changes`` (None: no change)."""
    for level in LEVELS:
        if any(c.level == level for c in changes):
            return level
    return None


def bump(changes: list[Change]) -> Bump:
    """The semantic version bump the changes call for."""
    level = level_of(changes)
    return _BUMPS[level] if level is not None else "none"


def bump_version(version: str, kind: Bump) -> str:
    """``version`` (MAJOR.MINOR.PATCH) bumped; a suffix (``-rc1``) is dropped."""
    match = _VERSION_RE.match(version)
    if match is None:
        raise UsageError(
            f"version {version!r} is not MAJOR.MINOR.PATCH; the semver policy needs one"
        )
    major, minor, patch = (int(match.group(i)) for i in (1, 2, 3))
    if kind == "major":
        return f"{major + 1}.0.0"
    if kind == "minor":
        return f"{major}.{minor + 1}.0"
    if kind == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return version
