"""One package from several collections: the spec merge (``spec/combine.py``), its
configuration, the command line, and the golden ``multi-collection`` client in use."""

from __future__ import annotations

import asyncio
import importlib
import json
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from conftest import GOLDEN_DIR, PackageUnderTest, tree_bytes

from generator.build import generate_for_build
from generator.cli import EXIT_FAILED, EXIT_INPUT, EXIT_OK, main
from generator.config import (
    ClientConfig,
    CollectionPart,
    VariableOverride,
    load_clients,
)
from generator.errors import InputError, Level
from generator.pipeline import build, render_files
from generator.spec.combine import Part, combine
from generator.spec.model import (
    ApiSpec,
    AuthScheme,
    Body,
    Credential,
    Header,
    ModelDef,
    ModelField,
    Operation,
    Parameter,
    Resource,
    Result,
    Setting,
)

CASE = GOLDEN_DIR / "multi-collection"
BILLING = CASE / "billing.postman_collection.json"
SHIPPING = CASE / "shipping.postman_collection.json"


# --- the merge, on hand-made specs ----------------------------------------------------


def _field(name: str, type_: str, required: bool = True) -> ModelField:
    return ModelField(name=name, key=name, type=type_, required=required)


def _spec(
    title: str,
    *,
    base: str,
    models: list[ModelDef],
    result: str,
    settings: list[Setting] | None = None,
    headers: list[Header] | None = None,
) -> ApiSpec:
    op = Operation(
        name="get_thing",
        title="Get thing",
        method="GET",
        path="/v{api_version}/things/{thing_id}",
        source="Things/Get thing",
        parameters=[
            Parameter(name="thing_id", location="path", key="thingId"),
            Parameter(
                name="tags",
                location="query",
                key="tags",
                type=f"list[{result}] | None",
                required=False,
                provenance="The ``id`` field of the result of ``client.things.x()``.",
            ),
        ],
        result=Result(kind="model", type=result),
        auth="bearer",
        body=Body(kind="json", model=result),
    )
    things = Resource(
        name="things",
        class_name="Things",
        module="things",
        title="Things",
        source="Things",
        operations=[op],
    )
    spec = ApiSpec(title=title, package="p", source=f"{title}.json")
    spec.settings = [
        Setting(name="base_url", default=base, variable="baseUrl"),
        *(settings or []),
    ]
    spec.auth = [
        AuthScheme(
            name="bearer",
            kind="bearer",
            credentials=[Credential(name="token", variable="token", role="token")],
        )
    ]
    spec.default_headers = headers or []
    spec.root = Resource(name="", class_name="", module="_root", title=title, source="")
    spec.root.resources = [things]
    spec.models = models
    return spec


ADDRESS = [_field("street", "str"), _field("city", "str")]


def _pair() -> tuple[ApiSpec, ApiSpec]:
    a = _spec(
        "A",
        base="https://a.test",
        result="Account",
        settings=[Setting(name="api_version", default="1", variable="version")],
        headers=[Header(name="X-Product", value="a"), Header("Accept", "text/plain")],
        models=[
            ModelDef(name="Address", module="things", fields=list(ADDRESS)),
            ModelDef(name="Holder", module="things", fields=[_field("at", "Address")]),
            ModelDef(
                name="Account",
                module="things",
                fields=[_field("id", "str"), _field("home", "Address | None")],
            ),
        ],
    )
    b = _spec(
        "B",
        base="https://b.test",
        result="Location",
        settings=[Setting(name="api_version", default="2", variable="version")],
        headers=[Header("Accept", "text/plain")],
        models=[
            # The same structure as A's Address under another name: one class.
            ModelDef(name="Location", module="_root", fields=list(ADDRESS)),
            # A's Holder by structure (its nested model is A's Address by structure).
            ModelDef(name="Keeper", module="things", fields=[_field("at", "Location")]),
            # Same name as A's Account, different structure: both namespaced.
            ModelDef(name="Account", module="things", fields=[_field("id", "int")]),
        ],
    )
    return a, b


def test_models_shared_by_structure_become_one_class() -> None:
    a, b = _pair()
    spec, _ = combine([Part("alpha", a), Part("beta", b)], package="pkg")
    by_name = {m.name: m for m in spec.models}
    assert sorted(by_name) == ["Address", "AlphaAccount", "BetaAccount", "Holder"]
    assert by_name["Address"].module == by_name["Holder"].module == "common"
    assert by_name["Holder"].fields[0].type == "Address"
    assert by_name["AlphaAccount"].module == "alpha_things"
    assert by_name["AlphaAccount"].fields[1].type == "Address | None"
    assert [f.type for f in by_name["BetaAccount"].fields] == ["int"]
    ops = {op.source: op for _r, op in spec.iter_operations()}
    beta = ops["beta/Things/Get thing"]
    # Every reference to a merged or renamed model follows it.
    assert beta.result.type == "Address"
    assert beta.body is not None and beta.body.model == "Address"
    assert beta.parameters[1].type == "list[Address] | None"
    assert ops["alpha/Things/Get thing"].result.type == "AlphaAccount"


def test_different_nested_structure_is_not_merged() -> None:
    a, b = _pair()
    b.models[0].fields = [_field("street", "str"), _field("zip", "str")]
    spec, _ = combine([Part("alpha", a), Part("beta", b)], package="pkg")
    by_name = {m.name: m for m in spec.models}
    # Location differs from Address, so Keeper differs from Holder too.
    assert sorted(by_name) == [
        "Address",
        "AlphaAccount",
        "BetaAccount",
        "Holder",
        "Keeper",
        "Location",
    ]
    assert by_name["Keeper"].fields[0].type == "Location"
    assert by_name["Location"].module == "beta"


def test_same_structure_within_one_part_stays_apart() -> None:
    a, b = _pair()
    a.models.append(ModelDef(name="Place", module="other", fields=list(ADDRESS)))
    spec, _ = combine([Part("alpha", a), Part("beta", b)], package="pkg")
    by_name = {m.name: m for m in spec.models}
    # Address merges with beta's Location; Place, the same shape, stays its own.
    assert by_name["Address"].module == "common"
    assert by_name["Place"].module == "alpha_other"
    assert "Location" not in by_name


def test_request_models_and_their_nested_models_are_not_merged() -> None:
    """A request model builds its defaults (nested models included) at run time in
    its own module: moving a nested class elsewhere would break that."""
    a, b = _pair()
    for spec in (a, b):
        holder = next(m for m in spec.models if m.name in ("Holder", "Keeper"))
        holder.defaults = {"at": {"street": "s", "city": "c"}}
    spec, _ = combine([Part("alpha", a), Part("beta", b)], package="pkg")
    by_name = {m.name: m for m in spec.models}
    assert by_name["Holder"].module == "alpha_things"
    assert by_name["Keeper"].module == "beta_things"
    assert by_name["Address"].module == "alpha_things"
    assert by_name["Location"].module == "beta"
    assert by_name["Keeper"].fields[0].type == "Location"


def test_settings_credentials_and_schemes_namespaced_where_they_clash() -> None:
    a, b = _pair()
    b.settings.append(Setting(name="region", default="eu"))
    spec, _ = combine([Part("alpha", a), Part("beta", b)], package="pkg")
    assert [s.name for s in spec.settings] == [
        "alpha_base_url",
        "alpha_api_version",
        "beta_base_url",
        "beta_api_version",
        "region",  # used by one part only: keeps its name
    ]
    assert all(s.url for s in spec.settings if s.name.endswith("base_url"))
    assert [(s.name, [c.name for c in s.credentials]) for s in spec.auth] == [
        ("alpha_bearer", ["alpha_token"]),
        ("beta_bearer", ["beta_token"]),
    ]
    ops = {op.source: op for _r, op in spec.iter_operations()}
    alpha = ops["alpha/Things/Get thing"]
    assert alpha.base_url == "{alpha_base_url}"
    assert alpha.path == "/v{alpha_api_version}/things/{thing_id}"
    assert alpha.auth == "alpha_bearer"
    assert "``client.alpha.things.x()``" in alpha.parameters[1].provenance
    assert ops["beta/Things/Get thing"].auth == "beta_bearer"


def test_identical_settings_and_base_url_are_shared() -> None:
    a, b = _pair()
    b.settings = [replace_default(s, a) for s in b.settings]
    spec, _ = combine([Part("alpha", a), Part("beta", b)], package="pkg")
    assert [s.name for s in spec.settings] == ["base_url", "api_version"]
    for _resource, op in spec.iter_operations():
        assert op.base_url is None
        assert op.path == "/v{api_version}/things/{thing_id}"
    # Credentials are never shared: one API's secret must not go to another.
    assert [c.name for _s, c in spec.credentials()] == ["alpha_token", "beta_token"]


def test_settings_without_a_value_are_never_shared() -> None:
    a, b = _pair()
    for spec in (a, b):
        for setting in spec.settings:
            setting.default = None
    spec, _ = combine([Part("alpha", a), Part("beta", b)], package="pkg")
    assert [s.name for s in spec.settings] == [
        "alpha_base_url",
        "alpha_api_version",
        "beta_base_url",
        "beta_api_version",
    ]


def replace_default(setting: Setting, spec: ApiSpec) -> Setting:
    [same] = [s for s in spec.settings if s.name == setting.name]
    setting.default = same.default
    return setting


def test_headers_only_some_parts_send_move_to_their_requests() -> None:
    a, b = _pair()
    spec, _ = combine([Part("alpha", a), Part("beta", b)], package="pkg")
    assert spec.default_headers == [Header("Accept", "text/plain")]
    ops = {op.source: op for _r, op in spec.iter_operations()}
    assert ops["alpha/Things/Get thing"].headers == [Header("X-Product", "a")]
    assert ops["beta/Things/Get thing"].headers == []


def test_a_header_with_a_credential_stays_client_wide_left_out_by_others() -> None:
    a, b = _pair()
    a.settings.append(Setting(name="api_key", secret=True, variable="key"))
    a.default_headers = [Header("X-Key", "{api_key}")]
    b.settings.append(Setting(name="api_key", secret=True, variable="key"))
    b.default_headers = [Header("X-Key", "{api_key}")]
    spec, found = combine([Part("alpha", a), Part("beta", b)], package="pkg")
    # One client-wide X-Key can exist: alpha's; beta's requests leave it out.
    assert spec.default_headers == [Header("X-Key", "{alpha_api_key}")]
    ops = {op.source: op for _r, op in spec.iter_operations()}
    assert ops["alpha/Things/Get thing"].omit_headers == []
    assert ops["beta/Things/Get thing"].omit_headers == ["X-Key"]
    assert [(d.level, d.location) for d in found] == [
        (Level.INFO, "alpha/(collection)"),
        (Level.WARNING, "beta/(collection)"),
    ]


def test_resources_classes_and_modules_are_namespaced() -> None:
    a, b = _pair()
    spec, _ = combine([Part("alpha", a), Part("beta", b)], package="pkg")
    top = spec.root.resources
    assert [(r.name, r.class_name, r.module) for r in top] == [
        ("alpha", "Alpha", "alpha"),
        ("beta", "Beta", "beta"),
    ]
    assert [(r.name, r.class_name, r.module) for r in spec.iter_resources()][1] == (
        "things",
        "AlphaThings",
        "alpha_things",
    )
    assert spec.call_prefixes()["beta_things"] == "client.beta.things."
    # The inputs are left as they were.
    assert a.root.resources[0].module == "things"


def test_same_part_name_twice_is_refused() -> None:
    a, b = _pair()
    with pytest.raises(ValueError, match="same name"):
        combine([Part("x", a), Part("x", b)], package="pkg")


# --- configuration --------------------------------------------------------------------


def test_config_collections_yaml_and_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pmgen.yaml").write_text(
        "clients:\n"
        "  - collections:\n"
        "      - {collection: a.json, name: alpha, variables: {v: setting}}\n"
        "      - b.json\n"
        "    output: out\n",
        encoding="utf-8",
    )
    [client] = load_clients(tmp_path / "pmgen.yaml")
    assert client.collection is None
    assert client.collections == (
        CollectionPart(
            tmp_path / "a.json",
            "alpha",
            variables={"v": VariableOverride(role="setting")},
        ),
        CollectionPart(tmp_path / "b.json"),
    )
    assert client.collections[0].variables["v"].role == "setting"
    part = client.part_config(client.collections[0])
    assert part.collection == tmp_path / "a.json" and part.collections == ()
    (tmp_path / "pyproject.toml").write_text(
        "[tool.pmgen]\npackage_name = 'x'\n"
        "collections = [{collection = 'a.json', name = 'alpha'}]\n",
        encoding="utf-8",
    )
    [toml] = load_clients(tmp_path / "pyproject.toml")
    assert toml.collections == (CollectionPart(tmp_path / "a.json", "alpha"),)


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("collection: a.json\ncollections: [b.json]\n", "$.collections", "not both"),
        ("collections: []\n", "$.collections", "non-empty list"),
        (
            "collections: [{collection: a.json, name: 9x}]\n",
            "$.collections[0].name",
            "not a Python attribute name",
        ),
        (
            "collections: [{collection: a.json, name: close}]\n",
            "$.collections[0].name",
            "attribute of every client",
        ),
        (
            "collections: [{collection: a.json, name: a}, {collection: b.json, name: a}]\n",
            "$.collections[1].name",
            "used twice",
        ),
        (
            "collections: [{collection: a.json, colour: red}]\n",
            "$.collections[0].colour",
            "unknown option",
        ),
        ("collections: [{name: a}]\n", "$.collections[0].collection", "path string"),
    ],
)
def test_bad_collections_config(
    tmp_path: Path, text: str, where: str, message: str
) -> None:
    (tmp_path / "pmgen.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_clients(tmp_path / "pmgen.yaml")
    assert caught.value.json_path == where
    assert message in caught.value.message


def test_part_names_default_to_the_collection_names() -> None:
    config = ClientConfig(
        collections=(CollectionPart(BILLING), CollectionPart(SHIPPING, "ship"))
    )
    spec, _ = build(None, config)
    assert [r.name for r in spec.root.resources] == ["acme_billing", "ship"]
    assert spec.package == "acme_billing_ship"


# --- command line ---------------------------------------------------------------------


def test_cli_generate_two_collections(chdir_tmp: Path) -> None:
    code = main(
        [
            "-q",
            "generate",
            str(BILLING),
            str(SHIPPING),
            "-o",
            "out",
            "--package-name",
            "acme",
        ]
    )
    assert code == EXIT_OK
    client = (chdir_tmp / "out" / "client.py").read_text(encoding="utf-8")
    assert "def acme_billing(self)" in client and "def acme_shipping(self)" in client
    assert "        billing_token: TokenSource" not in client  # from collection names
    assert '"X-Billing-Key": None' in (
        chdir_tmp / "out" / "resources" / "acme_shipping.py"
    ).read_text(encoding="utf-8")
    assert "acme_billing_token: TokenSource" in client


def test_cli_uses_the_names_a_config_gives_these_collections(chdir_tmp: Path) -> None:
    for source in (BILLING, SHIPPING):
        shutil.copy2(source, chdir_tmp / source.name)
    shutil.copy2(CASE / "config.yaml", chdir_tmp / "pmgen.yaml")
    with open(chdir_tmp / "pmgen.yaml", "a", encoding="utf-8") as config:
        config.write("output: acme_client\n")
    code = main(["-q", "generate", BILLING.name, SHIPPING.name])
    assert code == EXIT_OK
    assert tree_bytes(chdir_tmp / "acme_client") == tree_bytes(CASE / "expected")
    assert main(["-q", "check"]) == EXIT_OK
    stale = chdir_tmp / "acme_client" / "models" / "common.py"
    stale.write_text("# edited\n", encoding="utf-8")
    assert main(["-q", "check"]) == EXIT_FAILED


def test_cli_spec_and_openapi_of_two_collections(
    chdir_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["spec", str(BILLING), str(SHIPPING), "-o", "s.yaml"]) == EXIT_OK
    text = (chdir_tmp / "s.yaml").read_text(encoding="utf-8")
    assert "name: acme_billing_base_url" in text
    assert main(["-q", "generate", "--spec", "s.yaml", "-o", "out"]) == EXIT_OK
    assert (chdir_tmp / "out" / "models" / "common.py").is_file()
    capsys.readouterr()
    assert main(["openapi", str(BILLING), str(SHIPPING), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    servers = {
        path: operation["servers"][0]["url"]
        for path, item in document["paths"].items()
        for operation in item.values()
        if isinstance(operation, dict) and "servers" in operation
    }
    assert set(servers.values()) == {
        "{acme_billing_base_url}",
        "{acme_shipping_base_url}",
    }


def test_cli_bad_part_is_an_input_error(chdir_tmp: Path) -> None:
    (chdir_tmp / "bad.json").write_text("{", encoding="utf-8")
    assert main(["-q", "generate", str(BILLING), "bad.json", "-o", "o"]) == EXIT_INPUT
    assert not (chdir_tmp / "o").exists()


def test_rendering_is_deterministic() -> None:
    config = load_clients(CASE / "config.yaml")[0]
    first = render_files(build(None, config)[0])
    assert render_files(build(None, config)[0]) == first


# --- the golden client in use ---------------------------------------------------------


@pytest.fixture(scope="module")
def acme(packages: dict[str, PackageUnderTest]) -> Iterator[ModuleType]:
    package = packages["multi-collection"]
    sys.path.insert(0, str(package.path.parent))
    yield importlib.import_module(package.name)
    sys.path.remove(str(package.path.parent))


ACCOUNT = {
    "id": "acc_9",
    "name": "Acme",
    "balance": 1.5,
    "address": {"street": "s", "city": "c", "postalCode": "p"},
}
INVOICE = {"id": "inv_9", "amount": 5.0, "status": "open", "accountId": "acc_1"}
SHIPMENT = {
    "id": "shp_9",
    "status": "delivered",
    "to": {"street": "t", "city": "d", "postalCode": "q"},
}


def _serve(seen: list[httpx.Request]) -> Callable[[httpx.Request], httpx.Response]:
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/invoices"):
            return httpx.Response(201, json=INVOICE)
        if request.url.host == "billing.acme.test":
            return httpx.Response(200, json=ACCOUNT)
        if request.url.path.endswith("/missing"):
            return httpx.Response(404, json={"error": "not_found"})
        if request.url.path.endswith("/account"):
            return httpx.Response(200, json={"id": 7, "carrier": "DHL", "active": True})
        return httpx.Response(200, json=SHIPMENT)

    return answer


def test_both_sub_clients_send_to_their_own_api(acme: ModuleType) -> None:
    seen: list[httpx.Request] = []
    http = httpx.Client(transport=httpx.MockTransport(_serve(seen)))
    with acme.Client(
        billing_token="bill-tok",
        billing_api_key="bill-key",
        shipping_token="ship-tok",
        http_client=http,
    ) as client:
        account = client.billing.get_account("acc_9")
        shipment = client.shipping.shipments.get_shipment("shp_9")
        with pytest.raises(acme.NotFoundError):
            client.shipping.shipments.get_shipment("missing")
    billing, shipping, _missing = seen
    assert str(billing.url) == "https://billing.acme.test/v1/accounts/acc_9"
    assert billing.headers["Authorization"] == "Bearer bill-tok"
    assert billing.headers["X-Acme-Product"] == "billing"
    # The billing key is a client-wide header, never sent to the shipping API.
    assert billing.headers["X-Billing-Key"] == "bill-key"
    assert str(shipping.url) == "https://shipping.acme.test/api/v2/shipments/shp_9"
    assert shipping.headers["Authorization"] == "Bearer ship-tok"
    assert "X-Acme-Product" not in shipping.headers
    assert "X-Billing-Key" not in shipping.headers
    # One Address class serves both APIs; the two Account shapes are two classes.
    models = acme.models
    assert type(account.address) is type(shipment.to) is models.Address
    assert isinstance(account, models.BillingAccount)
    assert account.address.postal_code == "p" and shipment.to.city == "d"
    assert models.BillingAccount is not models.ShippingAccount


def test_base_urls_and_settings_per_api_and_async(acme: ModuleType) -> None:
    seen: list[httpx.Request] = []

    async def run() -> Any:
        http = httpx.AsyncClient(transport=httpx.MockTransport(_serve(seen)))
        async with acme.AsyncClient(
            billing_token="b",
            billing_api_key="k",
            shipping_token="s",
            shipping_base_url="https://eu.ship.test/api",
            shipping_api_version="3",
            http_client=http,
        ) as client:
            invoice = await client.billing.invoices.create_invoice(amount=5.0)
            assert invoice.id == "inv_9"
            return await client.shipping.get_account()

    account = asyncio.run(run())
    assert isinstance(account, acme.models.ShippingAccount) and account.id == 7
    invoice, shipping = seen
    assert str(invoice.url) == "https://billing.acme.test/v1/invoices"
    assert json.loads(invoice.content) == {"accountId": "acc_1", "amount": 5.0}
    assert str(shipping.url) == "https://eu.ship.test/api/v3/account"
    assert invoice.headers["X-Billing-Key"] == "k"
    assert "X-Billing-Key" not in shipping.headers


def test_golden_inputs_clash_where_the_case_claims() -> None:
    """Guards the fixture: both collections use the same variable names with
    different values, and share an object shape under a different parent."""
    billing = json.loads(BILLING.read_text(encoding="utf-8"))
    shipping = json.loads(SHIPPING.read_text(encoding="utf-8"))
    values = [
        {v["key"]: v["value"] for v in c["variable"]} for c in (billing, shipping)
    ]
    assert values[0].keys() & values[1].keys() >= {"baseUrl", "version", "token"}
    assert "billingApiKey" in values[0]  # a header credential of billing only
    assert values[0]["baseUrl"] != values[1]["baseUrl"]
    assert values[0]["version"] != values[1]["version"]
    texts = [BILLING.read_text("utf-8"), SHIPPING.read_text("utf-8")]
    assert all('\\"postalCode\\"' in text for text in texts)
    [config] = load_clients(CASE / "config.yaml")
    assert [p.name for p in config.collections] == ["billing", "shipping"]


def test_generate_for_build_writes_a_multi_collection_client(tmp_path: Path) -> None:
    for source in (BILLING, SHIPPING):
        shutil.copy2(source, tmp_path / source.name)
    config = (CASE / "config.yaml").read_text(encoding="utf-8")
    (tmp_path / "pmgen.yaml").write_text(config + "output: acme_client\n", "utf-8")
    [built] = generate_for_build(tmp_path)
    assert built.package == "acme_client" and built.files == 36
    assert tree_bytes(tmp_path / "acme_client") == tree_bytes(CASE / "expected")


def test_a_sub_client_may_still_send_the_header_as_its_own_argument(
    acme: ModuleType,
) -> None:
    """Shipping's own optional X-Billing-Key argument: left out unless given."""
    seen: list[httpx.Request] = []
    http = httpx.Client(transport=httpx.MockTransport(_serve(seen)))
    with acme.Client(
        billing_token="b", billing_api_key="key", shipping_token="s", http_client=http
    ) as client:
        client.shipping.shipments.get_shipment("shp_1", x_billing_key="other")
        client.shipping.get_account()
    given, account = seen
    assert given.headers["X-Billing-Key"] == "other"
    assert "X-Billing-Key" not in account.headers


def test_expected_headers_leave_out_an_authorization_a_signing_scheme_replaces() -> (
    None
):
    """A client-wide Authorization (another sub-client's) is replaced by a signing
    scheme's own header at run time; generated tests must not expect it."""
    from generator.render.tests_view import expected_headers

    a, _b = _pair()
    a.default_headers = [Header("Authorization", "Bearer {api_key}")]
    op = a.root.resources[0].operations[0]
    values = {"api_key": "k"}

    def names(kind: str, **options: str | bool) -> list[str]:
        a.auth = [AuthScheme(name="bearer", kind=kind, options=dict(options))]  # type: ignore[arg-type]
        return [name for name, _value in expected_headers(a, op, values)]

    assert "Authorization" in names("digest")
    assert "Authorization" in names("oauth1")  # parameters in the query or body
    assert "Authorization" not in names("hawk")
    assert "Authorization" not in names("aws_sigv4")
    assert "Authorization" not in names("oauth1", add_params_to_header=True)
