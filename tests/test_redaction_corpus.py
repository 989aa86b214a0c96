"""Real collections with real (sandbox/demo) secrets: after generation, none of their
secret values appears anywhere in the output tree or in the spec. Skipped when
``../shared`` is missing."""

from __future__ import annotations

import pytest
from conftest import SHARED_DIR

from generator.config import ClientConfig
from generator.pipeline import build, render_files
from generator.spec.serialize import dump_yaml

CORPUS = SHARED_DIR / "corpus"

# Collection → secret values it holds (variables, auth blocks, example bodies and
# headers, descriptions), each checked verbatim in every generated file.
SECRETS = {
    "paypal-checkout-flows": [
        "AUv8rrc_P-EbP2E0mpb49BV7rFt3Usr-vdUZO8VGOnjRehGHBXkSzchr37SYF2GNdQFYSp72jh5QUhzG",
        "EMnAWe06ioGtouJs7gLYT9chK9-2jJ--7MKRXpI8FesmY_2Kp-d_7aCqff7M9moEJBvuXoBO4clKtY0v",
    ],
    "paypal-partner-apis": [
        "ASJ7ZDtuc9fT8cDWY-EEt6xtnUCe0QiJa9Zn5Eme_rb3SfVIlbWZlu4KU87hKKFl8wxUCMRZ-HP49FTd",
        "EN3AlrRVld1MnsZwYK1o2RJAxSAdv9DnrwNQCo3s3HOm45NAFQtzQhc4U5HsmwBpikVfX8uXUF7Ajb3t",
        "A21AAILOPXfoVb5JCASoj04DmIOpoUccnHfNuxm3GQ0qHTnMLjyCyzXUAQVW",
        "R23.AALyr4evn59PoTw9er7tACdFfInHxSFyAOv8S6P4Q_sBM2b48pTGKDY7",
        "ts_c=vr%3D1bbf93191960a609e821aae2ffffe62c",
    ],
    "paypal-public-apis": [
        "AUv8rrc_P-EbP2E0mpb49BV7rFt3Usr-vdUZO8VGOnjRehGHBXkSzchr37SYF2GNdQFYSp72jh5QUhzG",
        "EMnAWe06ioGtouJs7gLYT9chK9-2jJ--7MKRXpI8FesmY_2Kp-d_7aCqff7M9moEJBvuXoBO4clKtY0v",
        "ASJ7ZDtuc9fT8cDWY-EEt6xtnUCe0QiJa9Zn5Eme_rb3SfVIlbWZlu4KU87hKKFl8wxUCMRZ-HP49FTd",
        "EN3AlrRVld1MnsZwYK1o2RJAxSAdv9DnrwNQCo3s3HOm45NAFQtzQhc4U5HsmwBpikVfX8uXUF7Ajb3t",
        "eyJraWQiOiJlNDA2NjA4YjU0YTk0NDgxYjk1Yzc1NDI0OGNjMTIzZiIsInR5",  # id_token
        "eyJicmFpbnRyZWUiOnsiYXV0aG9yaXphdGlvbkZpbmdlcnByaW50IjoiMjk2",  # client_token
        "A21AAL8A8rAjJjh1e8JcBuom2FEMJeCREs6Be0TY3T3aI610eKpQ93jV0lpJ",
        "datadome=1aOeSXKKyJMbVwbGzVLsqKJOTAtCDmGsWL_GJQ3noEzgBf0dABI",
    ],
    "postman-echo": [
        "dh37fgj492je",  # Hawk auth id
        "werxhqb98rpaxn39848xrunpaw3489ruxnpa98w4rxn",  # Hawk auth key
        "RKCGzna7bv9YD57c",  # OAuth 1 consumer key
        "D+EdQ-gs$-%@2Nu7",  # OAuth 1 consumer secret
        "s%3A-tymA6xssWACCc-pCxzq_KrZ1gjltiqV",  # session cookies
        "s%3A2lT3TO7qS1tadeSAp4axl-NcXG9CV6Rf",
        "vRrUzDdcHu2NaNts/r4zg2xmXMdX8wPiTGTM398BDRg=",  # Server-Authorization
    ],
}


@pytest.mark.parametrize("name", sorted(SECRETS))
def test_no_secret_value_in_the_output(name: str) -> None:
    path = CORPUS / f"{name}.postman_collection.json"
    if not path.is_file():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    raw = path.read_text(encoding="utf-8")
    assert all(secret in raw for secret in SECRETS[name])  # the test means something
    spec, _ = build(path, ClientConfig(package_name="client"))
    files = {"spec.yaml": dump_yaml(spec), **render_files(spec)}
    found = [
        (secret[:16], file)
        for file, text in files.items()
        for secret in SECRETS[name]
        if secret in text
    ]
    assert not found
