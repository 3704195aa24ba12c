"""Stopping and starting the real server on one data dir keeps every allocation enforced."""

from tests.e2e.conftest import Server


def test_allocations_survive_a_restart(tmp_path):
    server = Server(tmp_path / "data").start()
    try:
        vifs = {"eth0": {"network_id": "nw-demo1", "ipv4_addr": "192.168.2.30", "mac_addr": "525400300030"}}
        created = server.create_instance(
            vifs, custom_instance="true", host_node_id="hn-demo2", cpu_cores="16", memory_size="1024"
        )
        assert created.status_code == 200, created.text
    finally:
        server.stop()

    restarted = Server(tmp_path / "data").start()  # the demo is not loaded twice
    try:
        again = restarted.create_instance(vifs, custom_instance="true")
        assert again.json()["error"] == "DuplicateMacAddress"
        vifs["eth0"]["mac_addr"] = "525400300031"
        assert restarted.create_instance(vifs, custom_instance="true").json()["error"] == "DuplicateIPAddress"
        full = restarted.create_instance(
            {"eth0": {"network_id": "nw-demo1"}}, custom_instance="true", host_node_id="hn-demo2"
        )
        assert full.json()["error"] == "OutOfHostCapacity"
        listed = restarted.request("GET", "/instances").json()[0]
        assert [i["id"] for i in listed["results"]] == [created.json()["id"]]
        assert len(restarted.request("GET", "/networks").json()) == 2

        assert restarted.request("DELETE", f"/instances/{created.json()['id']}").status_code == 200
        assert (
            restarted.create_instance(
                vifs, custom_instance="true", host_node_id="hn-demo2", cpu_cores="16"
            ).status_code
            == 200
        )
    finally:
        restarted.stop()
