"""Rate limits behind a proxy and across processes: whose address counts, when the proxy's
headers are believed, where the counters live, and the login limits."""

from __future__ import annotations

import logging
import os
import secrets

import pytest
from flask import url_for

from checkin import create_app
from checkin.config import ConfigError
from checkin.extensions import db
from checkin.ratelimits import require_shared_storage
from tests.conftest import RequestClient
from tests.factories import PASSWORD, make_user
from tests.web.helpers import csrf_token

REDIS_URL = "redis://127.0.0.1:6379/0"


def post_login(client, email: str, password: str, **headers):
    """A login from the address in ``headers`` (X-Forwarded-For), or the test client's."""
    token = csrf_token(client, "/login")
    data = {"csrf_token": token, "email": email, "password": password}
    return client.post("/login", data=data, headers=headers)


def from_address(address: str, proto: str = "http") -> dict[str, str]:
    return {"X-Forwarded-For": address, "X-Forwarded-Proto": proto}


@pytest.fixture
def users(app):
    users = {role: make_user(role) for role in ("staff", "volunteer")}
    db.session.commit()
    return {role: user.email for role, user in users.items()}


@pytest.fixture
def app(app):
    @app.route("/_test/external-url")
    def external_url():
        return url_for("public.home", _external=True)

    return app


class TestWithoutTrustedProxy:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "2 per minute"}

    def test_a_forged_forwarded_for_does_not_escape_the_limit(self, client, users):
        statuses = [
            post_login(client, users["staff"], "wrong", **from_address(f"203.0.113.{n}"))
            for n in range(3)
        ]
        assert [r.status_code for r in statuses] == [200, 200, 429]

    def test_forwarded_proto_is_ignored(self, client):
        page = client.get("/_test/external-url", headers=from_address("203.0.113.9", "https"))
        assert page.get_data(as_text=True) == "http://localhost/"


class TestBehindOneProxy:
    @pytest.fixture
    def app_config(self):
        return {
            "RATELIMIT_ENABLED": True,
            "LOGIN_RATE_LIMIT": "2 per minute",
            "TRUSTED_PROXY_HOPS": 1,
        }

    def test_residents_behind_one_proxy_have_their_own_buckets(self, client, users):
        def attempt(address: str) -> int:
            return post_login(client, users["staff"], "wrong", **from_address(address)).status_code

        assert [attempt("203.0.113.1") for _ in range(3)] == [200, 200, 429]
        assert attempt("203.0.113.2") == 200  # another resident, same proxy
        # Only the proxy's own hop is believed: a client's forged first value changes nothing.
        forged = {"X-Forwarded-For": "198.51.100.7, 203.0.113.1"}
        assert post_login(client, users["staff"], "wrong", **forged).status_code == 429

    def test_links_are_https_when_the_proxy_says_so(self, client):
        page = client.get("/_test/external-url", headers=from_address("203.0.113.9", "https"))
        assert page.get_data(as_text=True) == "https://localhost/"


class TestLoginAccountLimit:
    @pytest.fixture
    def app_config(self):
        return {
            "RATELIMIT_ENABLED": True,
            "TRUSTED_PROXY_HOPS": 1,
            "LOGIN_ACCOUNT_RATE_LIMIT": "3 per hour",
        }

    def test_failed_logins_to_one_account_are_limited_from_any_address(self, app, users):
        app.test_client_class = RequestClient

        def attempt(email: str, password: str, n: int) -> int:
            client = app.test_client()
            return post_login(
                client, email, password, **from_address(f"198.51.100.{n}")
            ).status_code

        # Right passwords do not count: a volunteer logging in on several tablets is fine.
        assert [attempt(users["staff"], PASSWORD, n) for n in range(4)] == [302] * 4
        assert [attempt(users["staff"], "guess", n) for n in range(3)] == [200] * 3
        assert attempt(users["staff"], PASSWORD, 50) == 429  # even the right one, for a while
        assert attempt(users["staff"].upper(), PASSWORD, 51) == 429  # however it is written
        assert attempt(users["volunteer"], PASSWORD, 52) == 302  # other accounts go on


def test_several_processes_need_shared_counters(tmp_path):
    app = create_app(
        {"TESTING": True, "INSTANCE_PATH": str(tmp_path), "RATELIMIT_STORAGE_URI": "memory://"}
    )
    with pytest.raises(ConfigError, match="CHECKIN_RATELIMIT_STORAGE_URI=redis://"):
        require_shared_storage(app, processes=4)
    require_shared_storage(app, processes=1)
    require_shared_storage({"RATELIMIT_STORAGE_URI": REDIS_URL}, processes=4)
    config = {"RATELIMIT_STORAGE_URI": "memory://", "RATELIMIT_ENABLED": False}
    require_shared_storage(config, processes=4)  # nothing counted, nothing to share


def test_production_says_loudly_that_memory_counters_are_per_process(tmp_path, caplog):
    config = {
        "INSTANCE_PATH": str(tmp_path),
        "SECRET_KEY": "k" * 64,
        "PUBLIC_BASE_URL": "https://checkin.example.dk",
    }
    with caplog.at_level(logging.WARNING):
        create_app(config)
    assert "RATE LIMITS ARE PER PROCESS" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        create_app({**config, "RATELIMIT_STORAGE_URI": REDIS_URL})
    assert "PER PROCESS" not in caplog.text


def _redis():
    """The local Redis, or a skip (a failure where CI promises the services)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        if os.environ.get("CHECKIN_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"Redis at {REDIS_URL} is not reachable: {error}")
        pytest.skip(f"no Redis answers at {REDIS_URL}")
    return client


class TestRedisStorage:
    @pytest.fixture
    def redis_client(self):
        client = _redis()
        yield client
        client.close()

    @pytest.fixture
    def app_config(self):
        return {
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": REDIS_URL,
            "RATELIMIT_KEY_PREFIX": "checkin-test",
            "TRUSTED_PROXY_HOPS": 1,
            "LOGIN_RATE_LIMIT": "2 per minute",
        }

    def test_counters_live_in_redis_without_personal_data(self, client, redis_client, users):
        # An address no other test uses, so parallel runs never share a counter.
        address = f"2001:db8::{secrets.token_hex(2)}:{secrets.token_hex(2)}"
        statuses = [
            post_login(client, users["staff"], "wrong", **from_address(address)).status_code
            for _ in range(3)
        ]
        assert statuses == [200, 200, 429]
        keys = [key.decode() for key in redis_client.scan_iter(match=f"*{address}*")]
        try:
            assert keys, "the per-address counter is in Redis"
            everything = [key.decode() for key in redis_client.scan_iter(match="*checkin-test*")]
            assert not [key for key in everything if users["staff"] in key]
        finally:
            if keys:
                redis_client.delete(*keys)


class TestRedisOutage:
    @pytest.fixture
    def app_config(self):
        # Nothing listens on port 1: as if Redis had stopped.
        return {
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0",
            "LOGIN_RATE_LIMIT": "2 per minute",
        }

    def test_logins_go_on_and_are_still_limited_in_memory(self, client, users):
        statuses = [post_login(client, users["staff"], "wrong").status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
