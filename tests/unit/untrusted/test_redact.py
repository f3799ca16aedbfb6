"""Redaction: what an SDK or server says never carries a credential into output."""

from __future__ import annotations

from residency.untrusted.redact import MASK, mask_secrets, redact, register_environment, register_secret


def test_url_userinfo_and_query_strings_are_removed() -> None:
    text = "Could not connect to the endpoint URL: \"http://scanner:hunter2-pass@127.0.0.1:9000/b?X-Amz-Signature=abc\""
    cleaned = redact(text)
    assert "hunter2" not in cleaned and "scanner" not in cleaned and "abc" not in cleaned
    assert f"http://{MASK}@127.0.0.1:9000/b?{MASK}" in cleaned


def test_inline_credentials_are_masked() -> None:
    text = ("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=c2VjcmV0a2V5Zm9ydGVzdHM=;"
            "SharedAccessSignature=sv=2024&sig=Zm9vYmFy Authorization: Bearer eyJhbGciOiJub25lIn0.e30.")
    cleaned = redact(text)
    assert "c2VjcmV0" not in cleaned and "Zm9vYmFy" not in cleaned and "eyJhbGci" not in cleaned
    assert "AccountName=acct" in cleaned


def test_registered_and_environment_secrets_are_masked_anywhere() -> None:
    register_environment({"AWS_SECRET_ACCESS_KEY": "FAKEsecretKEY0123456789", "HOME": "/root",
                          "AWS_ENDPOINT_URL": "http://endpointuser:endpointpass@host:1"})
    register_secret("Zz-registered-token-Zz")
    echoed = "SignatureDoesNotMatch: FAKEsecretKEY0123456789 Zz-registered-token-Zz endpointpass"
    assert redact(echoed) == f"SignatureDoesNotMatch: {MASK} {MASK} {MASK}"
    assert mask_secrets("bucket-FAKEsecretKEY0123456789") == f"bucket-{MASK}"
    assert redact("/root is a path") == "/root is a path"  # not a secret variable: kept


def test_short_values_are_not_treated_as_secrets() -> None:
    register_secret("local")
    assert redact("a local endpoint") == "a local endpoint"


def test_clip_redacts_before_it_cuts() -> None:
    from residency.untrusted.redact import clip, register_secret

    register_secret("FAKE-CLIPPED-SECRET-4d5e6f")
    text = "x" * 20 + " FAKE-CLIPPED-SECRET-4d5e6f and more"
    assert clip(text, 30) == ("x" * 20 + " *** and more")[:30]  # cutting first would leave "FAKE-CLIP"
