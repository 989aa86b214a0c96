"""Signing schemes against published vectors: OAuth 1.0, Hawk, AWS SigV4."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import urllib.parse

import httpx
import pytest

from generator.runtime import AwsSigV4Auth, HawkAuth, OAuth1Auth
from generator.runtime._auth_sign import signature_base_string

from .helpers import Replies, sync_client

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def header_params(header: str) -> dict[str, str]:
    """The ``key="value"`` pairs of an OAuth/Hawk header, percent-decoded."""
    return {
        k: urllib.parse.unquote(v) for k, v in re.findall(r'(\w+)="([^"]*)"', header)
    }


# --- OAuth 1.0 ---------------------------------------------------------------------

# Twitter's "Creating a signature" walk-through (HMAC-SHA1, form body + query).
TWITTER = {
    "consumer_key": "xvz1evFS4wEEPTGEFPHBog",
    "consumer_secret": "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
    "token": "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
    "token_secret": "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
}
TWITTER_URL = "https://api.twitter.com/1.1/statuses/update.json?include_entities=true"
TWITTER_BODY = (
    b"status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21"
)


def twitter_auth(**options: object) -> OAuth1Auth:
    return OAuth1Auth(
        **TWITTER,
        nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg",
        timestamp="1318622958",
        **options,  # type: ignore[arg-type]
    )


def test_rfc5849_signature_base_string() -> None:
    """RFC 5849 section 3.4.1.1: the example request's base string, exactly."""
    url = httpx.URL("http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b")
    params = [
        ("oauth_consumer_key", "9djdj82h48djs9d2"),
        ("oauth_token", "kkk9d7dh3k39sjv7"),
        ("oauth_signature_method", "HMAC-SHA1"),
        ("oauth_timestamp", "137131201"),
        ("oauth_nonce", "7d8f3e4a"),
        *url.params.multi_items(),
        *urllib.parse.parse_qsl("c2&a3=2+q", keep_blank_values=True),
    ]
    assert signature_base_string("POST", url, params) == (
        "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q"
        "%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_"
        "key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m"
        "ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk"
        "9d7dh3k39sjv7"
    )


def test_rfc5849_request_signs_query_and_form_body() -> None:
    """The RFC's example request: query and urlencoded body go into the signature."""
    auth = OAuth1Auth(
        "9djdj82h48djs9d2",
        "j49sk3j29djd",
        "kkk9d7dh3k39sjv7",
        "dh893hdasih9",
        version="",
        timestamp="137131201",
        nonce="7d8f3e4a",
    )
    request = httpx.Request(
        "POST",
        "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
        content=b"c2&a3=2+q",
        headers=FORM,
    )
    signature = dict(auth.oauth_params(request))["oauth_signature"]
    base = signature_base_string(
        "POST",
        request.url,
        [
            ("oauth_consumer_key", "9djdj82h48djs9d2"),
            ("oauth_token", "kkk9d7dh3k39sjv7"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "137131201"),
            ("oauth_nonce", "7d8f3e4a"),
            *request.url.params.multi_items(),
            ("c2", ""),
            ("a3", "2 q"),
        ],
    )
    expected = hmac.new(b"j49sk3j29djd&dh893hdasih9", base.encode(), "sha1").digest()
    assert signature == base64.b64encode(expected).decode()


def test_twitter_vector_in_the_authorization_header() -> None:
    request = httpx.Request("POST", TWITTER_URL, content=TWITTER_BODY, headers=FORM)
    twitter_auth(add_params_to_header=True, realm="Example").apply(request)
    header = request.headers["Authorization"]
    assert header.startswith('OAuth realm="Example",oauth_consumer_key=')
    params = header_params(header)
    assert params["oauth_signature"] == "hCtSmYh+iHYCEqBWrE7C7hYmtUk="
    assert params["oauth_version"] == "1.0"
    assert request.content == TWITTER_BODY  # body untouched


def test_params_go_to_the_form_body_of_a_post_without_header() -> None:
    request = httpx.Request("POST", TWITTER_URL, content=TWITTER_BODY, headers=FORM)
    twitter_auth().apply(request)
    assert "Authorization" not in request.headers
    form = urllib.parse.parse_qsl(request.content.decode())
    assert form[0] == ("status", "Hello Ladies + Gentlemen, a signed OAuth request!")
    assert dict(form)["oauth_signature"] == "hCtSmYh+iHYCEqBWrE7C7hYmtUk="
    assert request.headers["Content-Length"] == str(len(request.content))
    assert request.url.params.multi_items() == [("include_entities", "true")]


def test_params_go_to_the_query_of_a_get_without_header() -> None:
    request = httpx.Request("GET", "https://api.example.com/items?a=1")
    OAuth1Auth("ck", "cs", timestamp="1", nonce="n").apply(request)
    names = [k for k, _ in request.url.params.multi_items()]
    assert names == [
        "a",
        "oauth_consumer_key",
        "oauth_signature_method",
        "oauth_timestamp",
        "oauth_nonce",
        "oauth_version",
        "oauth_signature",
    ]
    assert "oauth_token" not in names  # empty parameters are not sent


def test_empty_params_signed_when_asked() -> None:
    request = httpx.Request("GET", "https://api.example.com/")
    auth = OAuth1Auth("ck", "cs", add_empty_params_to_sign=True, nonce="n")
    assert ("oauth_token", "") in auth.oauth_params(request)


def test_plaintext_and_hmac_sha256() -> None:
    request = httpx.Request("GET", "https://api.example.com/")
    plain = OAuth1Auth("ck", "c s", "t", "t&s", signature_method="PLAINTEXT")
    assert dict(plain.oauth_params(request))["oauth_signature"] == "c%20s&t%26s"
    sha256 = OAuth1Auth("ck", "cs", signature_method="HMAC-SHA256", nonce="n")
    params = sha256.oauth_params(request)
    base = signature_base_string("GET", request.url, params[:-1])
    digest = hmac.new(b"cs&", base.encode(), hashlib.sha256).digest()
    assert params[-1] == ("oauth_signature", base64.b64encode(digest).decode())


def test_body_hash_of_a_json_body() -> None:
    body = b'{"a": 1}'
    request = httpx.Request("POST", "https://api.example.com/", content=body)
    params = dict(OAuth1Auth("ck", "cs", include_body_hash=True).oauth_params(request))
    expected = base64.b64encode(hashlib.sha1(body).digest()).decode()
    assert params["oauth_body_hash"] == expected


def test_nonce_and_timestamp_generated_per_request() -> None:
    auth = OAuth1Auth("ck", "cs", clock=lambda: 1700000000.5)
    first = dict(auth.oauth_params(httpx.Request("GET", "https://a.example/")))
    second = dict(auth.oauth_params(httpx.Request("GET", "https://a.example/")))
    assert first["oauth_timestamp"] == "1700000000"
    assert len(first["oauth_nonce"]) == 11
    assert first["oauth_nonce"] != second["oauth_nonce"]


def test_rsa_is_refused_clearly() -> None:
    with pytest.raises(ValueError, match="RSA-SHA1"):
        OAuth1Auth("ck", "cs", signature_method="RSA-SHA1")


def test_base_string_uri_drops_default_port_and_lowercases_host() -> None:
    url = httpx.URL("HTTPS://API.Example.COM:443/Path?x=1")
    assert signature_base_string("get", url, []).startswith(
        "GET&https%3A%2F%2Fapi.example.com%2FPath&"
    )
    other = httpx.URL("http://example.com:8080/")
    assert "example.com%3A8080" in signature_base_string("GET", other, [])


# --- Hawk ----------------------------------------------------------------------------

HAWK_ID = "dh37fgj492je"
HAWK_KEY = "werxhqb98rpaxn39848xrunpaw3489ruxnpa98w4rxn"
HAWK_URL = "http://example.com:8000/resource/1?b=1&a=2"


def test_hawk_spec_example_header() -> None:
    """The Hawk README's example: GET with ext, no payload."""
    auth = HawkAuth(
        HAWK_ID,
        HAWK_KEY,
        nonce="j4h3g2",
        ext="some-app-ext-data",
        timestamp="1353832234",
    )
    request = httpx.Request("GET", HAWK_URL)
    auth.apply(request)
    assert request.headers["Authorization"] == (
        'Hawk id="dh37fgj492je", ts="1353832234", nonce="j4h3g2", '
        'ext="some-app-ext-data", mac="6R4rV5iE+NPoym+WwjeHzjAGXUtLNIxmo1vpMofpLAE="'
    )


def test_hawk_spec_example_with_payload_hash() -> None:
    auth = HawkAuth(
        HAWK_ID,
        HAWK_KEY,
        nonce="j4h3g2",
        ext="some-app-ext-data",
        timestamp="1353832234",
        include_payload_hash=True,
    )
    request = httpx.Request(
        "POST",
        HAWK_URL,
        content=b"Thank you for flying Hawk",
        headers={"Content-Type": "text/plain"},
    )
    params = header_params(auth.header(request))
    assert params["hash"] == "Yi9LfIIFRtBEPt74PVmbTF/xVAwPn7ub15ePICfgnuY="
    assert params["mac"] == "aSe1DERmZuRl3pI36/9BdZmnErTw3sNzOOAUlfeKjVw="


def test_hawk_generated_nonce_time_and_oz_fields() -> None:
    auth = HawkAuth(
        HAWK_ID,
        HAWK_KEY,
        algorithm="sha1",
        app="app1",
        dlg="app0",
        clock=lambda: 1353832234.9,
    )
    params = header_params(auth.header(httpx.Request("GET", HAWK_URL)))
    assert params["ts"] == "1353832234" and len(params["nonce"]) == 6
    assert params["app"] == "app1" and params["dlg"] == "app0"
    normalised = (
        f"hawk.1.header\n1353832234\n{params['nonce']}\nGET\n/resource/1?b=1&a=2\n"
        "example.com\n8000\n\n\napp1\napp0\n"
    )
    mac = hmac.new(HAWK_KEY.encode(), normalised.encode(), "sha1").digest()
    assert params["mac"] == base64.b64encode(mac).decode()
    with pytest.raises(ValueError, match="sha256 or sha1"):
        HawkAuth(HAWK_ID, HAWK_KEY, algorithm="md5")  # type: ignore[arg-type]


# --- AWS Signature Version 4 ------------------------------------------------------

AWS_KEYS = ("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
AWS_TIME = 1440938160.0  # 20150830T123600Z, the test suite's date


def aws(**kwargs: object) -> AwsSigV4Auth:
    kwargs.setdefault("region", "us-east-1")
    kwargs.setdefault("service", "service")
    return AwsSigV4Auth(*AWS_KEYS, clock=lambda: AWS_TIME, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("method", "url", "signature"),
    [
        (  # get-vanilla
            "GET",
            "https://example.amazonaws.com/",
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
        ),
        (  # get-vanilla-query-order-key-case
            "GET",
            "https://example.amazonaws.com/?Param2=value2&Param1=value1",
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
        ),
    ],
)
def test_aws_sig_v4_test_suite(method: str, url: str, signature: str) -> None:
    request = httpx.Request(method, url)
    aws().apply(request)
    assert request.headers["X-Amz-Date"] == "20150830T123600Z"
    assert request.headers["Authorization"] == (
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
        f"aws4_request, SignedHeaders=host;x-amz-date, Signature={signature}"
    )


def test_aws_postman_defaults_session_token_and_body_hash() -> None:
    auth = AwsSigV4Auth(*AWS_KEYS, "session-xyz", clock=lambda: AWS_TIME)
    assert (auth.region, auth.service) == ("us-east-1", "execute-api")
    request = httpx.Request(
        "POST",
        "https://abc.execute-api.us-east-1.amazonaws.com/prod/items",
        content=b'{"a":1}',
        headers={"Content-Type": "application/json", "User-Agent": "x"},
    )
    auth.apply(request)
    assert request.headers["X-Amz-Security-Token"] == "session-xyz"
    assert (
        request.headers["X-Amz-Content-Sha256"]
        == hashlib.sha256(b'{"a":1}').hexdigest()
    )
    header = request.headers["Authorization"]
    assert "/20150830/us-east-1/execute-api/aws4_request" in header
    assert (
        "SignedHeaders=content-length;content-type;host;x-amz-content-sha256;"
        "x-amz-date;x-amz-security-token," in header
    )  # user-agent is never signed
    assert "session-xyz" not in repr(auth) and AWS_KEYS[1] not in repr(auth)


def test_aws_streamed_body_is_unsigned_payload() -> None:
    request = httpx.Request(
        "PUT", "https://bucket.s3.amazonaws.com/key", content=iter([b"a", b"b"])
    )
    aws(service="s3").apply(request)
    assert request.headers["X-Amz-Content-Sha256"] == "UNSIGNED-PAYLOAD"


def test_signing_schemes_sign_every_attempt_through_the_client() -> None:
    """Retries re-sign: a fresh OAuth 1.0 nonce for each attempt."""
    replies = Replies(httpx.Response(503), httpx.Response(200, json={}))
    client = sync_client(replies, auth={"o": OAuth1Auth("ck", "cs")})
    client.request("GET", "/x", auth="o")
    nonces = [dict(r.url.params.multi_items())["oauth_nonce"] for r in replies.requests]
    assert len(nonces) == 2 and nonces[0] != nonces[1]


@pytest.mark.parametrize(
    "scheme",
    [
        OAuth1Auth("ck", "SECRET-1", "tok", "SECRET-2"),
        HawkAuth("id", "SECRET-1"),
        AwsSigV4Auth("AKID", "SECRET-1", "SECRET-2"),
    ],
)
def test_repr_hides_secrets(scheme: object) -> None:
    assert "SECRET" not in repr(scheme) and "***" in repr(scheme)


# --- vectors Postman produced (saved examples of the Postman Echo collection) --------


def test_postman_produced_oauth1_header() -> None:
    request = httpx.Request("GET", "https://echo.getpostman.com/oauth1")
    OAuth1Auth(
        "RKCGzna7bv9YD57c",
        "D+EdQ-gs$-%@2Nu7",
        timestamp="1472121261",
        nonce="ki0RQW",
        add_params_to_header=True,
    ).apply(request)
    assert request.headers["Authorization"] == (
        'OAuth oauth_consumer_key="RKCGzna7bv9YD57c",oauth_signature_method="HMAC-SHA1",'
        'oauth_timestamp="1472121261",oauth_nonce="ki0RQW",oauth_version="1.0",'
        'oauth_signature="s0rK92Myxx7ceUBVzlMaxiiXU00%3D"'
    )


def test_postman_produced_hawk_header() -> None:
    request = httpx.Request("GET", "https://echo.getpostman.com/auth/hawk")
    HawkAuth(HAWK_ID, HAWK_KEY, timestamp="1459422734", nonce="XiwiCU").apply(request)
    assert request.headers["Authorization"] == (
        'Hawk id="dh37fgj492je", ts="1459422734", nonce="XiwiCU", '
        'mac="KzMHk67BYCC9zZqRy5hRdWFEFLHX5bNlRWGdmOAWKp0="'
    )


def test_streamed_form_body_is_kept_and_params_go_to_the_query() -> None:
    request = httpx.Request(
        "POST", "https://api.example.com/f", content=iter([b"a=1"]), headers=FORM
    )
    OAuth1Auth("ck", "cs", nonce="n").apply(request)
    assert "oauth_signature" in request.url.params
    assert b"".join(request.stream) == b"a=1"  # type: ignore[arg-type]
