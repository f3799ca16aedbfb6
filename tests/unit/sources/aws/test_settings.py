"""AWS retry and endpoint settings: capped, and a bad value is a configuration error naming it."""

from __future__ import annotations

import pytest

from residency.sources.aws.session import MAX_ATTEMPTS_CAP, client_config
from residency.sources.contract import SourceError


@pytest.mark.parametrize(("env", "mode", "attempts"), [
    ({}, "adaptive", 4),
    ({"AWS_RETRY_MODE": "standard", "AWS_MAX_ATTEMPTS": "2"}, "standard", 2),
    ({"AWS_MAX_ATTEMPTS": "50"}, "adaptive", MAX_ATTEMPTS_CAP),
    ({"AWS_MAX_ATTEMPTS": " 7 "}, "adaptive", 7),
])
def test_retries_come_from_the_environment_and_are_capped(env: dict[str, str], mode: str, attempts: int) -> None:
    config = client_config(4, env)
    assert config.retries == {"mode": mode, "total_max_attempts": attempts}
    assert MAX_ATTEMPTS_CAP == 10 and (config.connect_timeout, config.read_timeout) == (10, 30)


@pytest.mark.parametrize(("env", "message"), [
    ({"AWS_RETRY_MODE": "fast"}, "AWS_RETRY_MODE is 'fast'"),
    ({"AWS_MAX_ATTEMPTS": "0"}, "AWS_MAX_ATTEMPTS is '0'"),
    ({"AWS_MAX_ATTEMPTS": "-3"}, "AWS_MAX_ATTEMPTS is '-3'"),
    ({"AWS_MAX_ATTEMPTS": "1e3"}, "AWS_MAX_ATTEMPTS is '1e3'"),
    ({"AWS_ENDPOINT_URL": "127.0.0.1:9000"}, "AWS_ENDPOINT_URL is '127.0.0.1:9000', not an http(s) URL"),
    ({"AWS_ENDPOINT_URL_STS": "ftp://host"}, "AWS_ENDPOINT_URL_STS is 'ftp://host'"),
    ({"AWS_ENDPOINT_URL": "http://[::1"}, "AWS_ENDPOINT_URL is "),
])
def test_a_bad_setting_names_itself_and_the_fix(env: dict[str, str], message: str) -> None:
    with pytest.raises(SourceError) as raised:
        client_config(4, env)
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)


def test_an_endpoint_password_is_not_repeated_in_the_error() -> None:
    with pytest.raises(SourceError) as raised:
        client_config(4, {"AWS_ENDPOINT_URL": "gopher://user:FAKE-PASS-x1@host"})
    assert "FAKE-PASS-x1" not in str(raised.value)
