"""Audit, reports and the request id through the real server, and the CLI beside it."""

import json
import subprocess
import sys
import uuid

from tests.e2e.conftest import DEMO_ACCOUNT


def test_the_request_id_links_an_http_request_to_its_events(demo_server):
    request_id = f"audit-{uuid.uuid4().hex[:8]}"
    vifs = {"eth0": {"network_id": "nw-demo1", "ipv4_addr": "192.168.2.170", "mac_addr": "525400e00170"}}
    created = demo_server.create_instance(vifs, custom_instance="true", headers={"X-Request-Id": request_id})
    assert created.headers["X-Request-Id"] == request_id
    instance_id = created.json()["id"]

    answer = demo_server.request("GET", f"/audit/requests/{request_id}").json()
    assert {e["event"] for e in answer["history"]} == {
        "MacAssigned",
        "IPAssigned",
        "CapacityReserved",
        "Created",
    }
    assert {(e["account_id"], e["command"]) for e in answer["history"]} == {(DEMO_ACCOUNT, "CreateInstance")}

    deleted = demo_server.request("DELETE", f"/instances/{instance_id}")
    generated = deleted.headers["X-Request-Id"]
    assert generated.startswith("req-")
    ip = demo_server.request("GET", "/audit/ip_addresses/nw-demo1/192.168.2.170.json").json()
    assert [(e["event"], e["request_id"]) for e in ip["history"]] == [
        ("IPAssigned", request_id), ("IPReleased", generated),
    ]  # fmt: skip
    assert ip["holder"] is None
    then = demo_server.request("GET", "/audit/ip_addresses/nw-demo1/192.168.2.170",
                               params={"at": ip["history"][0]["at"]}).json()  # fmt: skip
    assert then["holder"]["instance_id"] == instance_id

    mac = demo_server.request("GET", "/audit/mac_addresses/52:54:00:e0:01:70").json()
    assert [e["event"] for e in mac["history"]] == ["MacAssigned", "MacReleased"]
    host = demo_server.request("GET", f"/audit/host_nodes/{created.json()['host_node']}").json()
    assert instance_id in [e["instance_id"] for e in host["history"]]
    instance = demo_server.request("GET", f"/audit/instances/{instance_id}").json()
    assert instance["holder"]["state"] == "terminated"


def test_audit_errors(demo_server):
    assert (
        demo_server.request("GET", "/audit/ip_addresses/nw-nope/10.0.0.1").json()["error"] == "UnknownNetwork"
    )
    bad_time = demo_server.request("GET", "/audit/host_nodes/hn-demo1", params={"at": "yesterday"})
    assert (bad_time.status_code, bad_time.json()["error"]) == (400, "InvalidParameter")
    assert demo_server.request("GET", "/audit/requests/never-sent").status_code == 404


def test_reports_see_a_write_at_once(demo_server):
    before = {r["network_id"]: r for r in demo_server.request("GET", "/reports/networks").json()}
    assert demo_server.create_instance({"eth0": {"network_id": "nw-demo2"}}).status_code == 200
    after = {r["network_id"]: r for r in demo_server.request("GET", "/reports/networks.json").json()}
    assert after["nw-demo2"]["used"] == before["nw-demo2"]["used"] + 1
    assert 0 <= after["nw-demo2"]["utilization"] <= 1
    hosts = demo_server.request("GET", "/reports/host_nodes").json()
    assert {"hn-demo1", "hn-demo2"} <= {h["host_node_id"] for h in hosts}
    macs = demo_server.request("GET", "/reports/mac_ranges").json()
    assert macs[0]["range_id"] == "mr-demomacs" and macs[0]["total"] == 0xFFFFFF


def test_the_cli_works_beside_the_running_server(demo_server):
    def cli(*args):
        command = [sys.executable, "-m", "interfaces.cli", *args, "--data-dir", str(demo_server.data_dir)]
        return subprocess.run(command, capture_output=True, text=True, timeout=120)

    created = demo_server.create_instance({"eth0": {"network_id": "nw-demo1"}}).json()
    address = created["vif"][0]["ipv4"]["address"]
    report = cli("report", "networks", "--json")
    assert report.returncode == 0, report.stderr
    assert {r["network_id"] for r in json.loads(report.stdout)} >= {"nw-demo1", "nw-demo2"}
    assert cli("report", "hosts", "--csv").stdout.startswith("host_node_id,status,")
    audit = cli("audit", "ip", "nw-demo1", address, "--json")
    assert json.loads(audit.stdout)["holder"]["instance_id"] == created["id"]
    table = cli("audit", "instance", created["id"])
    assert "CreateInstance" in table.stdout and "holder:" in table.stdout
    verify = cli("verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    rebuild = cli("projections", "rebuild")
    assert rebuild.returncode == 0 and rebuild.stdout.startswith("rebuilt 6 views")
    # the server keeps serving from the rebuilt views
    assert demo_server.request("GET", f"/instances/{created['id']}").json()["id"] == created["id"]
    assert cli("audit", "ip", "nw-nope", "10.0.0.1").returncode == 1
