"""``bridgework serve`` as a person starts it: a real server process on a free port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from bridgework.cli.server import _public_host


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_ends_with_its_address_and_keeps_logs_in_the_data_folder(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "BRIDGEWORK_DATA_DIR": str(tmp_path / "data"),
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "bridgework.config.settings",
    }
    env.pop("BRIDGEWORK_SITE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "bridgework", "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = []
        for line in server.stdout:  # until the address, which is the last thing said
            lines.append(line.rstrip("\n"))
            if "running on" in line:
                break
        assert lines[-1] == f"Bridgework is running on http://127.0.0.1:{port}/  (Ctrl-C to stop)"
        assert any("its log:" in line and "worker.log" in line for line in lines), lines
        deadline = 50
        while True:  # the server answers once waitress is up
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/") as r:
                    assert r.status == 200
                    break
            except OSError:
                deadline -= 1
                assert deadline > 0, "the server never answered"
                time.sleep(0.2)
    finally:
        server.send_signal(signal.SIGINT)
        rest, _ = server.communicate(timeout=30)
    assert "Stopped." in rest
    # Informational logs and the worker's output are files, not the terminal.
    assert "INFO" not in "\n".join(lines) + rest
    logs = tmp_path / "data" / "logs"
    assert (logs / "worker.log").exists() and (logs / "web.log").exists()


@pytest.mark.parametrize(
    ("host", "expected"),
    [("127.0.0.1", "127.0.0.1"), ("localhost", "localhost"), ("::1", "[::1]")],
)
def test_links_name_the_host_served_on(host, expected):
    assert _public_host(host) == expected


def test_links_name_the_machine_when_serving_on_every_address():
    assert _public_host("0.0.0.0") == socket.getfqdn()  # noqa: S104 - the wildcard address as an input, not a bind
