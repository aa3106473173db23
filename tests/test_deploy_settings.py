"""Deployment settings from BRIDGEWORK_* variables, as an operator sets them.

The production settings are the ``export`` lines of the README's "Deploying
behind HTTPS"; Django's own deployment check (``manage.py check --deploy``)
is the judge of whether they are complete, and a real ``bridgework serve``
behind a pretend proxy shows the HTTPS redirect and the trusted proxy work.
Settings are read once, when Django starts, so each case is a new process.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The warnings of `check --deploy` that an HTTPS deployment must not leave:
# HSTS, SSL redirect, session cookie, CSRF cookie (Django's check framework).
HTTPS_WARNINGS = ("security.W004", "security.W008", "security.W012", "security.W016")


def documented_production_settings() -> dict[str, str]:
    """The ``export NAME=value`` lines of the README's deployment section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Deploying behind HTTPS", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None, "the README's deployment section has no ```sh block"
    exports = dict(re.findall(r"^export (BRIDGEWORK_\w+)=(\S+)", block.group(1), re.MULTILINE))
    assert exports, "no export lines in the deployment block"
    return exports


def environment(tmp_path: Path, **variables: str) -> dict[str, str]:
    """This process's environment without any BRIDGEWORK_* setting, plus ``variables``."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("BRIDGEWORK_") and name != "DJANGO_SETTINGS_MODULE"
    }
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    env["BRIDGEWORK_DATA_DIR"] = str(tmp_path / "data")
    env["DJANGO_SETTINGS_MODULE"] = "bridgework.config.settings"
    env.update(variables)
    return env


def check_deploy(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment(tmp_path, **variables),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_documented_production_settings_pass_the_deployment_check(tmp_path):
    settings = documented_production_settings()
    assert settings.get("BRIDGEWORK_HTTPS") == "1"
    result = check_deploy(tmp_path, **settings)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output


def test_without_the_https_settings_the_check_warns(tmp_path):
    """The same check, to show it is not passing by default: the four warnings of issue 13."""
    settings = documented_production_settings()
    plain = {k: v for k, v in settings.items() if k in ("BRIDGEWORK_ALLOWED_HOSTS",)}
    result = check_deploy(tmp_path, **plain)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    for warning in HTTPS_WARNINGS:
        assert warning in output, output


def settings_of(tmp_path: Path, *names: str, **variables: str) -> list[str]:
    """The values (as repr) of settings ``names`` in a process started with ``variables``."""
    code = (
        "import bridgework.config.settings as settings; "
        f"print(*[repr(getattr(settings, n, None)) for n in {list(names)!r}], sep='\\n')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=environment(tmp_path, **variables),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.splitlines()


NAMES = (
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
)


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        # The embedded default (make demo, plain HTTP on localhost): all off.
        ({}, ["False", "False", "False", "0", "False", "False", "None"]),
        # One switch turns them on, HSTS for a year (365 * 86400 s).
        (
            {"BRIDGEWORK_HTTPS": "1"},
            ["True", "True", "True", "31536000", "True", "False", "None"],
        ),
        # Each part on its own, e.g. a short HSTS while trying it out.
        (
            {
                "BRIDGEWORK_HTTPS": "1",
                "BRIDGEWORK_HSTS_SECONDS": "300",
                "BRIDGEWORK_HSTS_INCLUDE_SUBDOMAINS": "0",
                "BRIDGEWORK_SSL_REDIRECT": "0",
            },
            ["False", "True", "True", "300", "False", "False", "None"],
        ),
        (
            {"BRIDGEWORK_SECURE_COOKIES": "yes", "BRIDGEWORK_TRUSTED_PROXY": "10.0.0.2"},
            [
                "False",
                "True",
                "True",
                "0",
                "False",
                "False",
                "('HTTP_X_FORWARDED_PROTO', 'https')",
            ],
        ),
    ],
)
def test_each_setting_comes_from_its_variable(tmp_path, variables, expected):
    assert settings_of(tmp_path, *NAMES, **variables) == expected


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The test plays both sides: the reverse proxy connects from 127.0.0.2 (every
# 127.x address is this machine's loopback), a stranger from 127.0.0.1.
PROXY, STRANGER = "127.0.0.2", "127.0.0.1"
HOST = "bridgework.example.com"


def _get(port: int, path: str, *, source: str, headers: dict[str, str]):
    """One GET from address ``source``; the answer's status and headers (no redirects)."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=30, source_address=(source, 0)
    )
    try:
        connection.request("GET", path, headers={"Host": HOST, **headers})
        response = connection.getresponse()
        response.read()
        return response.status, response.headers
    finally:
        connection.close()


@contextlib.contextmanager
def serving(tmp_path: Path, **variables: str):
    """``bridgework serve`` with ``variables``; yields its port once it answers."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "bridgework", "serve", "--no-worker", "--port", str(port)],
        cwd=tmp_path,
        env={**environment(tmp_path, **variables), "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for _attempt in range(900):  # 3 minutes of 0.2 s pauses: migrations first, then waitress
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, server.communicate()[0]
                time.sleep(0.2)
        else:
            raise AssertionError("the server never answered")
        yield port
    finally:
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=30)


def test_serve_behind_the_trusted_proxy_redirects_plain_http_and_believes_only_the_proxy(
    tmp_path,
):
    """``bridgework serve`` with the documented settings, the proxy at 127.0.0.2."""
    settings = {
        **documented_production_settings(),
        "BRIDGEWORK_ALLOWED_HOSTS": HOST,
        "BRIDGEWORK_TRUSTED_PROXY": PROXY,
    }
    login = "/accounts/login/"
    with serving(tmp_path, **settings) as port:
        # Plain HTTP through the proxy (X-Forwarded-Proto: http): sent to HTTPS, permanently.
        status, headers = _get(port, login, source=PROXY, headers={"X-Forwarded-Proto": "http"})
        assert (status, headers["Location"]) == (301, f"https://{HOST}{login}")
        # HTTPS through the proxy: the page, with HSTS and the page headers.
        status, headers = _get(port, login, source=PROXY, headers={"X-Forwarded-Proto": "https"})
        assert status == 200
        assert headers["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        )
        assert "Content-Security-Policy" in headers
        assert "no-store" in headers["Cache-Control"]
        assert "Secure" in headers["Set-Cookie"]  # the CSRF cookie of the login form
        # A stranger who is not the proxy cannot claim HTTPS with the same header.
        status, headers = _get(port, login, source=STRANGER, headers={"X-Forwarded-Proto": "https"})
        assert (status, headers["Location"]) == (301, f"https://{HOST}{login}")
