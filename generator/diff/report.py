"""A list of changes as text, a Markdown changelog fragment, or JSON."""

from __future__ import annotations

import json
from typing import Literal

from .compare import Change, bump, bump_version

ReportFormat = Literal["text", "markdown", "json"]
_HEADINGS = {
    "breaking": "Breaking changes",
    "additive": "Added",
    "patch": "Changed",
}


def render_report(changes: list[Change], old_version: str, fmt: ReportFormat) -> str:
    """The report of ``changes``, with the suggested bump from ``old_version``."""
    kind = bump(changes)
    new_version = bump_version(old_version, kind)
    if fmt == "json":
        data = {
            "bump": kind,
            "old_version": old_version,
            "new_version": new_version,
            "changes": [
                {"level": c.level, "subject": c.subject, "change": c.text}
                for c in changes
            ],
        }
        return json.dumps(data, indent=2) + "\n"
    if fmt == "markdown":
        lines = [f"## {new_version}", ""]
        if not changes:
            lines += ["No changes to the client's interface.", ""]
        for level, heading in _HEADINGS.items():
            chosen = [c for c in changes if c.level == level]
            if chosen:
                lines += [f"### {heading}", ""]
                lines += [f"- `{c.subject}`: {c.text}" for c in chosen]
                lines.append("")
        return "\n".join(lines)
    width = max((len(c.level) for c in changes), default=0)
    lines = [f"{c.level:<{width}}  {c.subject}: {c.text}" for c in changes]
    if not changes:
        lines.append("no changes to the client's interface")
    lines.append(f"suggested version bump: {kind} ({old_version} -> {new_version})")
    return "\n".join(lines) + "\n"
