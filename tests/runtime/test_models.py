"""``Model`` conversion, ``make``, ``decode`` and ``to_jsonable``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from generator.runtime import (
    UNSET,
    Model,
    ResponseValidationError,
    decode,
    make,
    to_jsonable,
)
from generator.runtime._models import _CLASS_INFO

UTC = timezone.utc


@dataclass(kw_only=True)
class Attribute(Model):
    """A nested model."""

    type: str
    url: str | None = None


@dataclass(kw_only=True)
class JobInfo(Model):
    """A job, like the ones of a bulk API."""

    id: str
    operation: str | None = None
    created_date: datetime | None = field(
        default=None, metadata={"json": "createdDate"}
    )
    api_version: float | None = field(default=None, metadata={"json": "apiVersion"})
    number_records_processed: int | None = field(
        default=None, metadata={"json": "numberRecordsProcessed"}
    )
    concurrency_mode: str | None = field(
        default=None, metadata={"json": "concurrencyMode"}
    )
    is_pk_chunking: bool | None = field(
        default=None, metadata={"json": "isPkChunkingSupported"}
    )
    attributes: Attribute | None = None
    tags: list[str] | None = None
    counts: dict[str, int] | None = None
    payload: Any = None


@dataclass(kw_only=True)
class JobList(Model):
    """A page of jobs."""

    done: bool = field(metadata={"json": "done"})
    records: list[JobInfo] | None = None
    next_records_url: str | None = field(
        default=None, metadata={"json": "nextRecordsUrl"}
    )
    by_id: dict[str, JobInfo] | None = field(default=None, metadata={"json": "byId"})


@dataclass(kw_only=True)
class Dates(Model):
    """Date and datetime fields."""

    when: datetime | None = None
    day: date | None = None


@dataclass(kw_only=True)
class Choice(Model):
    """Union fields."""

    stamp: str | datetime | None = None
    moment: datetime | str | None = None
    number: int | float | None = None


JOB_JSON: dict[str, Any] = {
    "id": "750R0000000zlh9IAA",
    "operation": "query",
    "createdDate": "2018-12-10T17:50:19+00:00",
    "apiVersion": 62.0,
    "numberRecordsProcessed": 12,
    "concurrencyMode": "Parallel",
    "isPkChunkingSupported": True,
    "attributes": {"type": "Job", "url": "/jobs/750"},
    "tags": ["a", "b"],
    "counts": {"ok": 1, "failed": 0},
    "payload": {"anything": [1, "two", None]},
    "object": "Account",
    "lineEnding": "LF",
}


def test_from_dict_converts_by_annotation() -> None:
    job = JobInfo.from_dict(JOB_JSON)
    assert job.id == "750R0000000zlh9IAA"
    assert job.created_date == datetime(2018, 12, 10, 17, 50, 19, tzinfo=UTC)
    assert job.api_version == 62.0
    assert job.number_records_processed == 12
    assert job.is_pk_chunking is True
    assert job.attributes == Attribute(type="Job", url="/jobs/750")
    assert job.tags == ["a", "b"]
    assert job.counts == {"ok": 1, "failed": 0}
    assert job.payload == {"anything": [1, "two", None]}


def test_extra_keys_go_to_additional_properties_in_order() -> None:
    job = JobInfo.from_dict(JOB_JSON)
    assert list(job.additional_properties.items()) == [
        ("object", "Account"),
        ("lineEnding", "LF"),
    ]
    assert "additional_properties" not in repr(job)


def test_round_trip() -> None:
    job = JobInfo.from_dict(JOB_JSON)
    assert job.to_dict() == JOB_JSON
    assert json.loads(json.dumps(job.to_dict())) == JOB_JSON


def test_round_trip_nested_lists_and_dicts() -> None:
    data = {
        "done": False,
        "records": [{"id": "1", "apiVersion": 60}, {"id": "2", "extra": {"x": 1}}],
        "nextRecordsUrl": "/jobs?page=2",
        "byId": {"1": {"id": "1"}},
        "totalSize": 2,
    }
    page = JobList.from_dict(data)
    assert isinstance(page.records, list)
    assert all(isinstance(r, JobInfo) for r in page.records)
    assert page.records[0].api_version == 60.0
    assert isinstance(page.records[0].api_version, float)
    assert page.records[1].additional_properties == {"extra": {"x": 1}}
    assert page.by_id is not None and isinstance(page.by_id["1"], JobInfo)
    assert page.to_dict() == data


def test_to_dict_omits_none_optionals_but_keeps_required_none() -> None:
    job = JobInfo(id="1")
    assert job.to_dict() == {"id": "1"}
    page = JobList.from_dict({"done": None})
    assert page.done is None
    assert page.to_dict() == {"done": None}


def test_to_dict_omits_unset_values() -> None:
    job = JobInfo(id="1", operation=UNSET)  # type: ignore[arg-type]
    assert job.to_dict() == {"id": "1"}


def test_to_dict_declared_field_wins_over_colliding_extra() -> None:
    job = JobInfo(id="1", additional_properties={"id": "other", "x": 1})
    assert job.to_dict() == {"id": "1", "x": 1}


def test_missing_required_key_raises_naming_class_and_key() -> None:
    with pytest.raises(ResponseValidationError, match=r"JobInfo.*'id'") as info:
        JobInfo.from_dict({"operation": "query"})
    assert info.value.model == "JobInfo"
    assert info.value.key == "id"


def test_missing_required_key_uses_json_name() -> None:
    with pytest.raises(ResponseValidationError, match="'done'"):
        JobList.from_dict({})


def test_missing_required_key_in_nested_model_raises() -> None:
    with pytest.raises(ResponseValidationError, match=r"Attribute.*'type'"):
        JobInfo.from_dict({"id": "1", "attributes": {"url": "/x"}})


def test_from_dict_rejects_non_object() -> None:
    with pytest.raises(ResponseValidationError, match="JobInfo"):
        JobInfo.from_dict(["not", "an", "object"])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "2018-12-10T17:50:19.000+0000",
            datetime(2018, 12, 10, 17, 50, 19, tzinfo=UTC),
        ),
        ("2018-12-10T17:50:19Z", datetime(2018, 12, 10, 17, 50, 19, tzinfo=UTC)),
        ("2018-12-10T17:50:19z", datetime(2018, 12, 10, 17, 50, 19, tzinfo=UTC)),
        (
            "2018-12-10T17:50:19.123Z",
            datetime(2018, 12, 10, 17, 50, 19, 123000, tzinfo=UTC),
        ),
        (
            "2018-12-10T17:50:19.1234567+00:00",
            datetime(2018, 12, 10, 17, 50, 19, 123456, tzinfo=UTC),
        ),
        (
            "2018-12-10T17:50:19.5-0800",
            datetime(
                2018, 12, 10, 17, 50, 19, 500000, tzinfo=timezone(timedelta(hours=-8))
            ),
        ),
        (
            "2018-12-10T17:50:19+05:30",
            datetime(
                2018,
                12,
                10,
                17,
                50,
                19,
                tzinfo=timezone(timedelta(hours=5, minutes=30)),
            ),
        ),
        (
            "2018-12-10T17:50:19+05",
            datetime(2018, 12, 10, 17, 50, 19, tzinfo=timezone(timedelta(hours=5))),
        ),
        ("2018-12-10 17:50:19", datetime(2018, 12, 10, 17, 50, 19)),
        ("2018-12-10T17:50", datetime(2018, 12, 10, 17, 50)),
        ("2018-12-10", datetime(2018, 12, 10)),
    ],
)
def test_datetime_formats(text: str, expected: datetime) -> None:
    parsed = Dates.from_dict({"when": text}).when
    assert parsed == expected
    assert isinstance(parsed, datetime)
    assert parsed.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    "text",
    [
        "<datetime>",
        "",
        "yesterday",
        "2018-13-45T00:00:00Z",
        "2018-12-10T25:00:00",
        "2018-12-10T17:50:19+0",
    ],
)
def test_unparseable_datetimes_are_kept_as_received(text: str) -> None:
    assert Dates.from_dict({"when": text}).when == text


def test_date_field() -> None:
    assert Dates.from_dict({"day": "2024-02-29"}).day == date(2024, 2, 29)
    assert Dates.from_dict({"day": "<date>"}).day == "<date>"
    assert Dates.from_dict({"day": "2023-02-29"}).day == "2023-02-29"
    assert Dates(day=date(2024, 2, 29)).to_dict() == {"day": "2024-02-29"}


def test_datetime_to_dict_uses_isoformat() -> None:
    dates = Dates.from_dict({"when": "2018-12-10T17:50:19.000+0000"})
    assert dates.to_dict() == {"when": "2018-12-10T17:50:19+00:00"}


def test_lenient_placeholders_are_kept_and_round_trip() -> None:
    data = {
        "id": "<string>",
        "createdDate": "<dateTime>",
        "apiVersion": "<double>",
        "numberRecordsProcessed": "<long>",
        "isPkChunkingSupported": "<boolean>",
        "attributes": "<object>",
        "tags": "<array>",
        "counts": ["not", "a", "dict"],
    }
    job: Any = JobInfo.from_dict(data)
    assert job.created_date == "<dateTime>"
    assert job.api_version == "<double>"
    assert job.attributes == "<object>"
    assert job.to_dict() == data


def test_float_accepts_int_but_not_bool() -> None:
    assert JobInfo.from_dict({"id": "1", "apiVersion": 62}).api_version == 62.0
    assert JobInfo.from_dict({"id": "1", "apiVersion": True}).api_version is True


def test_unions_pick_the_first_fitting_member() -> None:
    choice = Choice.from_dict(
        {"stamp": "2020-01-01T00:00:00Z", "moment": "2020-01-01T00:00:00Z", "number": 3}
    )
    assert choice.stamp == "2020-01-01T00:00:00Z"
    assert choice.moment == datetime(2020, 1, 1, tzinfo=UTC)
    assert choice.number == 3 and isinstance(choice.number, int)
    assert Choice.from_dict({"moment": "<placeholder>"}).moment == "<placeholder>"


def test_type_hints_are_resolved_once_per_class() -> None:
    JobInfo.from_dict(JOB_JSON)
    info = _CLASS_INFO[JobInfo]
    JobInfo.from_dict(JOB_JSON)
    assert _CLASS_INFO[JobInfo] is info


def test_make_drops_none_and_unset() -> None:
    job = make(JobInfo, id="1", operation=None, api_version=UNSET, tags=["x"])
    assert job == JobInfo(id="1", tags=["x"])
    with pytest.raises(TypeError):
        make(JobInfo, operation="query")


def test_decode_models_and_annotations() -> None:
    jobs = decode([JOB_JSON, {"id": "2"}], list[JobInfo])
    assert [j.id for j in jobs] == ["750R0000000zlh9IAA", "2"]
    job = decode(JOB_JSON, JobInfo)
    assert isinstance(job, JobInfo)
    assert decode({"a": "2020-01-01"}, dict[str, date]) == {"a": date(2020, 1, 1)}
    assert decode(None, JobInfo | None) is None
    assert decode("x", Any) == "x"
    assert decode(3, float) == 3.0
    with pytest.raises(ResponseValidationError):
        decode("oops", JobInfo)


def test_to_jsonable() -> None:
    when = datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)
    value = {
        "job": JobInfo(id="1", created_date=when),
        "items": [Attribute(type="T"), (date(2020, 1, 2), 1)],
        "plain": "text",
        "n": None,
    }
    assert to_jsonable(value) == {
        "job": {"id": "1", "createdDate": "2020-01-02T03:04:05+00:00"},
        "items": [{"type": "T"}, ["2020-01-02", 1]],
        "plain": "text",
        "n": None,
    }
    marker = object()
    assert to_jsonable(marker) is marker


def test_unresolvable_annotation_only_affects_its_own_field() -> None:
    @dataclass(kw_only=True)
    class Local(Model):
        """A model local to a function: its own name does not resolve."""

        when: datetime | None = None
        child: Local | None = None

    parsed = Local.from_dict({"when": "2020-01-01T00:00:00Z", "child": {"when": "x"}})
    assert parsed.when == datetime(2020, 1, 1, tzinfo=UTC)
    assert parsed.child == {"when": "x"}  # kept as received, not a failure


def test_keys_decoded_as_null_are_sent_back_as_null() -> None:
    from dataclasses import dataclass
    from dataclasses import field as dc_field

    from generator.runtime import Model, decode

    @dataclass(kw_only=True)
    class Attempts(Model):
        kind: int = 0
        count: int | None = dc_field(default=None, metadata={"json": "Count"})

    decoded = decode({"kind": 1, "Count": None}, Attempts)
    assert decoded.to_dict() == {"kind": 1, "Count": None}
    assert Attempts(kind=1).to_dict() == {"kind": 1}  # None given in Python: omitted
