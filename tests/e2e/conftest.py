"""The real server: ``vdc-ledger serve`` in its own process (gunicorn), spoken to over HTTP."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

DEMO_ACCOUNT = "a-shpoolxx"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_started: list["Server"] = []


@pytest.fixture(scope="session", autouse=True)
def no_server_outlives_the_tests():
    yield
    for server in _started:
        if server.process.poll() is None:
            server.kill()


class Server:
    def __init__(self, data_dir: Path, *flags: str):
        self.data_dir = data_dir
        self.flags = flags
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.log = data_dir.parent / f"{data_dir.name}-server.log"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/12.03"

    def start(self) -> "Server":
        command = [
            sys.executable,
            "-m",
            "interfaces.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--data-dir",
            str(self.data_dir),
            *self.flags,
        ]
        with open(self.log, "ab") as log:
            # Its own process group, so that kill() takes the workers down with it.
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        _started.append(self)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()}")
            try:
                requests.get(f"{self.base}/host_nodes", timeout=1)
                return self
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError(f"server did not start: {self.log.read_text()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def kill(self) -> None:
        """A crash: SIGKILL to the master and every worker at once."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def request(
        self,
        method: str,
        path: str,
        account: str | None = DEMO_ACCOUNT,
        header: str = "X-VDC-Account-UUID",
        **kwargs,
    ) -> requests.Response:
        headers = kwargs.pop("headers", {})
        if account is not None:
            headers[header] = account
        return requests.request(method, self.base + path, headers=headers, timeout=30, **kwargs)

    def create_instance(
        self,
        vifs: dict | None = None,
        account: str | None = DEMO_ACCOUNT,
        headers: dict | None = None,
        **params,
    ) -> requests.Response:
        """A form-encoded POST, as Wakame's CLI sends it (vifs as a JSON string)."""
        form = {"image_id": "wmi-demo1", "cpu_cores": "1", "memory_size": "256", **params}
        if vifs is not None:
            form["vifs"] = json.dumps(vifs)
        return self.request("POST", "/instances.json", account=account, data=form, headers=headers or {})


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    """The demo topology, plus a few resources the error checks need."""
    server = Server(tmp_path_factory.mktemp("demo") / "data").start()
    for path, form in (
        ("/networks", {"id": "nw-tiny", "network": "10.77.0.0", "prefix": "30"}),
        ("/host_nodes", {"id": "hn-small", "offering_cpu_cores": "1", "offering_memory_size": "512"}),
        ("/host_nodes", {"id": "hn-down", "offering_cpu_cores": "8", "offering_memory_size": "8192"}),
        ("/images", {"id": "wmi-arm", "arch": "arm64"}),
    ):
        assert server.request("POST", path + ".json", data=form).status_code == 200
    assert server.request("PUT", "/host_nodes/hn-down", data={"status": "offline"}).status_code == 200
    yield server
    server.stop()


@pytest.fixture(scope="session")
def strict_server(tmp_path_factory):
    """Configured to require pinned addresses inside the ranges, with a two-MAC range."""
    root = tmp_path_factory.mktemp("strict")
    config = root / "strict.toml"
    config.write_text(
        "[rules]\nmanual_ip_must_be_in_dhcp_range = true\nmanual_mac_must_be_in_mac_range = true\n"
    )
    server = Server(root / "data", "--no-demo", "--config", str(config)).start()
    for path, form in (
        (
            "/networks",
            {"id": "nw-s", "network": "10.88.0.0", "prefix": "24", "dhcp_range": "10.88.0.100-10.88.0.199"},
        ),
        ("/mac_ranges", {"id": "mr-two", "range_begin": "000001", "range_end": "000002"}),
        ("/host_nodes", {"id": "hn-s", "offering_cpu_cores": "64", "offering_memory_size": "65536"}),
        ("/images", {"id": "wmi-demo1"}),
    ):
        assert server.request("POST", path, data=form).status_code == 200, path
    yield server
    server.stop()
