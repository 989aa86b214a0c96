"""``protocolProfileBehavior`` settings the client does not reproduce are reported
once, where the collection sets them; the ones it reproduces, or left at Postman's
default, are not."""

from __future__ import annotations

from typing import Any

from generator.errors import Level
from generator.postman.load import collection_from_dict
from generator.spec.build import build_spec

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


def _warnings(**profiles: dict[str, Any]) -> list[tuple[str, str]]:
    def get(name: str) -> dict[str, Any]:
        return {
            "name": name,
            "protocolProfileBehavior": profiles.get(name, {}),
            "request": {"method": "GET", "url": "https://api.example.test/" + name},
        }

    data = {
        "info": {"name": "Profiles", "schema": SCHEMA},
        "protocolProfileBehavior": profiles.get("collection", {}),
        "item": [
            {
                "name": "Folder",
                "protocolProfileBehavior": profiles.get("folder", {}),
                "item": [get("a"), get("b")],
            }
        ],
    }
    _spec, diagnostics = build_spec(collection_from_dict(data, "p.json"))
    return [
        (d.location, d.message)
        for d in diagnostics
        if d.level == Level.WARNING and "protocolProfileBehavior" in d.message
    ]


def test_each_setting_not_reproduced_is_reported_where_it_is_set() -> None:
    found = _warnings(
        collection={"strictSSL": False},
        folder={"tlsDisabledProtocols": ["TLSv1", "TLSv1.1"]},
        a={"maxRedirects": 3},
    )
    assert [where for where, _message in found] == [
        "(collection)",
        "Folder",
        "Folder/a",
    ]  # once each, not once per request inheriting it
    strict, tls, redirects = (message for _where, message in found)
    assert "strictSSL = false" in strict and "verify=False" in strict
    assert 'tlsDisabledProtocols = ["TLSv1", "TLSv1.1"]' in tls
    assert "maxRedirects = 3" in redirects


def test_reproduced_settings_and_defaults_are_not_reported() -> None:
    assert not _warnings(
        collection={"strictSSL": True, "maxRedirects": 10},
        folder={"followRedirects": False, "disabledSystemHeaders": {}},
        a={"disableBodyPruning": True, "disableCookies": False},
    )
