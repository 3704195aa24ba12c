"""Bodies, suffixes and headers as Wakame's clients send them, through the real server."""

import json

import requests
import yaml

from tests.e2e.conftest import DEMO_ACCOUNT

SEED_VIFS = {
    "eth0": {
        "index": "0",
        "network_id": "nw-demo1",
        "ipv4_addr": "192.168.2.11",
        "nat_network_id": "nw-demo2",
        "nat_ipv4_addr": "192.168.3.64",
        "mac_addr": "52540028A533",
    }
}


def test_the_seeds_example_as_a_form_body(demo_server):
    response = demo_server.create_instance(
        SEED_VIFS,
        custom_instance="true",
        display_name="seed",
        hostname="seed1",
        user_data="#cloud-config",
        ha_enabled="true",
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["id"].startswith("i-") and body["state"] == "pending"
    assert (body["account_id"], body["custom_instance"], body["ha_enabled"]) == (DEMO_ACCOUNT, True, True)
    assert (body["display_name"], body["hostname"], body["user_data"]) == ("seed", "seed1", "#cloud-config")
    assert body["host_node"] in ("hn-demo1", "hn-demo2")
    (vif,) = body["vif"]
    assert vif["vif_id"].startswith("vif-") and vif["index"] == 0
    assert vif["mac_addr"] == "52540028a533"
    assert vif["ipv4"] == {
        "address": "192.168.2.11",
        "nat_network_id": "nw-demo2",
        "nat_address": "192.168.3.64",
    }
    assert demo_server.request("GET", f"/instances/{body['id']}").json() == body


def test_multipart_body_and_wakame_aliases(demo_server):
    fields = {
        "image_id": "wmi-demo1",
        "cpu-cores": "2",
        "memory_size": "512",
        "service_type": "std",
        "security_groups[]": "sg-x",
        "vifs": json.dumps({"eth0": {"network": "nw-demo1"}}),
    }
    multipart = {name: (None, value) for name, value in fields.items()}
    response = demo_server.request("POST", "/instances.json", files=multipart)
    assert response.status_code == 200, response.text
    assert response.json()["cpu_cores"] == 2
    assert response.json()["vif"][0]["network_id"] == "nw-demo1"


def test_json_body_with_vifs_as_object_and_as_string(demo_server):
    for vifs in ({"eth0": {"network_id": "nw-demo1"}}, json.dumps({"eth0": {"network_id": "nw-demo1"}})):
        body = {"image_id": "wmi-demo1", "memory_size": 512, "vifs": vifs}
        response = demo_server.request("POST", "/instances", json=body)
        assert response.status_code == 200, response.text
        assert response.json()["memory_size"] == 512


def test_json_body_wrapped_as_activeresource_sends_it(demo_server):
    wrapped = {
        "instance": {
            "image_id": "wmi-demo1",
            "display_name": "wrapped",
            "custom_instance": True,
            "vifs": {"eth0": {"network_id": "nw-demo1", "ipv4_addr": "192.168.2.12"}},
        }
    }
    response = demo_server.request("POST", "/instances.json", json=wrapped)
    assert response.status_code == 200, response.text
    assert response.json()["display_name"] == "wrapped"
    assert response.json()["vif"][0]["ipv4"]["address"] == "192.168.2.12"


def test_malformed_json_body_is_an_invalid_parameter(demo_server):
    response = demo_server.request(
        "POST", "/instances", data="{oops", headers={"Content-Type": "application/json"}
    )
    assert (response.status_code, response.json()["error"]) == (400, "InvalidParameter")
    assert "body" in response.json()["message"]


def test_yml_suffix_answers_yaml(demo_server):
    created = demo_server.create_instance({"eth0": {"network_id": "nw-demo1"}}).json()
    response = demo_server.request("GET", f"/instances/{created['id']}.yml")
    assert response.headers["Content-Type"].startswith("application/x-yaml")
    assert yaml.safe_load(response.text) == created
    listed = yaml.safe_load(demo_server.request("GET", "/host_nodes.yml").text)
    assert "hn-demo1" in [host["id"] for host in listed]


def test_the_underscore_account_header_of_wakames_cli(demo_server):
    response = demo_server.create_instance(
        {"eth0": {"network_id": "nw-demo1"}}, account=None, headers={"X_VDC_ACCOUNT_UUID": "a-underscore"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["account_id"] == "a-underscore"
    listed = demo_server.request(
        "GET", "/instances.json", account="a-underscore", header="X_VDC_ACCOUNT_UUID"
    ).json()
    assert [i["id"] for i in listed[0]["results"]] == [response.json()["id"]]


def test_listing_envelope_filters_and_paging(demo_server):
    account = "a-lister"
    made = [
        demo_server.create_instance(
            {"eth0": {"network_id": "nw-demo1"}}, account=account, display_name=f"web{n}"
        ).json()["id"]
        for n in range(3)
    ]
    demo_server.request("DELETE", f"/instances/{made[0]}", account=account)

    def listing(**query):
        return demo_server.request("GET", "/instances.json", account=account, params=query).json()

    (everything,) = listing()
    assert (everything["total"], everything["start"], everything["limit"]) == (3, 0, 250)
    assert [i["id"] for i in everything["results"]] == made
    assert [i["id"] for i in listing(state="alive")[0]["results"]] == made[1:]
    assert listing(state="terminated")[0]["results"][0]["terminated_at"] is not None
    assert [i["display_name"] for i in listing(display_name="web2")[0]["results"]] == ["web2"]
    assert [i["id"] for i in listing(start=1, limit=1)[0]["results"]] == [made[1]]
    host = everything["results"][1]["host_node"]
    assert made[1] in [i["id"] for i in listing(host_node_id=host)[0]["results"]]


def test_registering_and_reading_resources(demo_server):
    network = demo_server.request(
        "POST",
        "/networks.json",
        data={
            "network": "10.50.0.0",
            "prefix": "24",
            "ipv4_gw": "10.50.0.1",
            "dns_server": "10.50.0.2",
            "dhcp_range": "10.50.0.10-10.50.0.20",
            "ip_assignment": "desc",
            "display_name": "wire",
        },
    )
    assert network.status_code == 200, network.text
    body = network.json()
    assert body["id"].startswith("nw-") and body["ipv4_gw"] == "10.50.0.1"
    assert body["dhcp_range"] == [["10.50.0.10", "10.50.0.20"]]
    assert demo_server.request("GET", f"/networks/{body['id']}").json() == body
    assert body["id"] in [n["id"] for n in demo_server.request("GET", "/networks").json()]
    # desc assignment starts at the top of the DHCP range
    made = demo_server.create_instance({"eth0": {"network_id": body["id"]}}).json()
    assert made["vif"][0]["ipv4"]["address"] == "10.50.0.20"

    host = demo_server.request("GET", f"/host_nodes/{made['host_node']}").json()
    assert host["available_cpu_cores"] <= host["offering_cpu_cores"] - 1

    overlapping = demo_server.request(
        "POST", "/mac_ranges", data={"range_begin": "a00000", "range_end": "a0ffff"}
    )
    assert overlapping.json()["message"] == "range_begin: the range overlaps MAC range mr-demomacs"
    mac_range = demo_server.request(
        "POST", "/mac_ranges", data={"vendor_id": "0200AB", "range_begin": "a00000", "range_end": "a0ffff"}
    )
    assert mac_range.json()["vendor_id"] == "0200ab"
    assert mac_range.json() in demo_server.request("GET", "/mac_ranges").json()

    key = demo_server.request("POST", "/ssh_key_pairs", data={"public_key": "ssh-ed25519 AAAA x"}).json()
    assert key["account_id"] == DEMO_ACCOUNT
    assert key in demo_server.request("GET", "/ssh_key_pairs").json()
    assert demo_server.request("GET", f"/ssh_key_pairs/{key['id']}", account="a-other").status_code == 404
    with_key = demo_server.create_instance({"eth0": {"network_id": "nw-demo1"}}, ssh_key_id=key["id"])
    assert with_key.json()["ssh_key_pair"] == key["id"]
    images = demo_server.request("GET", "/images").json()
    assert "wmi-demo1" in [i["id"] for i in images]


def test_unknown_routes_answer_json(demo_server):
    response = requests.get(demo_server.base + "/nothing-here", timeout=5)
    assert (response.status_code, response.json()["error"]) == (404, "NotFound")
