"""Every error row of the HTTP contract, through the real server: status, error, code,
and a message naming the field."""

import pytest
import yaml

from tests.e2e.conftest import DEMO_ACCOUNT


def assert_error(response, status, error, code, mentions=""):
    body = response.json()
    assert (response.status_code, body["error"], body["code"]) == (status, error, code), body
    assert mentions in body["message"], body


def eth0(**fields):
    return {"eth0": {"index": "0", "network_id": "nw-demo1", **fields}}


def test_unknown_uuid_resource(demo_server):
    assert_error(
        demo_server.request("GET", "/mac_ranges/mr-nope"), 404, "UnknownUUIDResource", "100", "mr-nope"
    )


@pytest.mark.parametrize("account", [None, "not-an-account"])
def test_invalid_request_credentials(demo_server, account):
    response = demo_server.create_instance(eth0(), account=account)
    assert_error(response, 400, "InvalidRequestCredentials", "103", "X-VDC-Account-UUID")


def test_unknown_host_node(demo_server):
    response = demo_server.create_instance(eth0(), custom_instance="true", host_node_id="hn-nope")
    assert_error(response, 404, "UnknownHostNode", "114", "host_node_id")


def test_unknown_instance_and_another_accounts_instance(demo_server):
    assert_error(demo_server.request("GET", "/instances/i-nope"), 404, "UnknownInstance", "115", "i-nope")
    mine = demo_server.create_instance(eth0()).json()["id"]
    for method in ("GET", "DELETE"):
        response = demo_server.request(method, f"/instances/{mine}", account="a-someoneelse")
        assert_error(response, 404, "UnknownInstance", "115", mine)


def test_out_of_host_capacity_pinned_and_scheduled(demo_server):
    pinned = demo_server.create_instance(
        eth0(), custom_instance="true", host_node_id="hn-small", cpu_cores="2"
    )
    assert_error(pinned, 400, "OutOfHostCapacity", "120", "hn-small")
    scheduled = demo_server.create_instance(eth0(), cpu_cores="128")
    assert_error(scheduled, 400, "OutOfHostCapacity", "120", "128 cpu cores")


@pytest.mark.parametrize("key, account", [("ssh-nope", DEMO_ACCOUNT), ("ssh-demo1", "a-someoneelse")])
def test_unknown_ssh_key_pair(demo_server, key, account):
    response = demo_server.create_instance(eth0(), account=account, ssh_key_id=key)
    assert_error(response, 404, "UnknownSshKeyPair", "121", "ssh_key_id")


def test_invalid_instance_state(demo_server):
    instance_id = demo_server.create_instance(eth0()).json()["id"]
    assert demo_server.request("DELETE", f"/instances/{instance_id}").json() == [instance_id]
    again = demo_server.request("DELETE", f"/instances/{instance_id}.json")
    assert_error(again, 400, "InvalidInstanceState", "125", instance_id)


def test_unknown_image(demo_server):
    assert_error(
        demo_server.create_instance(eth0(), image_id="wmi-nope"), 404, "UnknownImage", "127", "image_id"
    )


@pytest.mark.parametrize("field", ["network_id", "nat_network_id"])
def test_unknown_network(demo_server, field):
    vifs = eth0(**{field: "nw-nope"})
    assert_error(demo_server.create_instance(vifs), 404, "UnknownNetwork", "129", f"vifs.eth0.{field}")


def test_invalid_host_node_id_for_an_offline_host(demo_server):
    response = demo_server.create_instance(eth0(), custom_instance="true", host_node_id="hn-down")
    assert_error(response, 400, "InvalidHostNodeID", "141", "hn-down is offline")


@pytest.mark.parametrize(
    "params, mentions",
    [
        ({"cpu_cores": "0"}, "cpu_cores"),
        ({"cpu_cores": "two"}, "cpu_cores"),
        ({"memory_size": "100"}, "memory_size"),
        ({"vifs": "{not json"}, "vifs"),
        ({"vifs": '["eth0"]'}, "vifs"),
        ({"vifs": '{"eth0": {"index": "zero", "network_id": "nw-demo1"}}'}, "vifs.eth0.index"),
        ({"vifs": '{"eth0": {"index": "0"}}'}, "vifs.eth0.network_id"),
        (
            {"vifs": '{"eth0": {"network_id": "nw-demo1", "ipv4_addr": "192.168.2.200"}}'},
            "custom_instance=true is required",
        ),
        ({"host_node_id": "hn-demo1"}, "custom_instance=true is required"),
        ({"hypervisor": "xen"}, "hypervisor"),
    ],
)
def test_invalid_parameter(demo_server, params, mentions):
    form = {"vifs": '{"eth0": {"network_id": "nw-demo1"}}', **params}
    response = demo_server.request("POST", "/instances", data={"image_id": "wmi-demo1", **form})
    assert_error(response, 400, "InvalidParameter", "143", mentions)


@pytest.mark.parametrize("mac", ["zz", "5254002", "01005e000001", "000000000000"])
def test_invalid_mac_address(demo_server, mac):
    response = demo_server.create_instance(eth0(mac_addr=mac), custom_instance="true")
    assert_error(response, 400, "InvalidMacAddress", "174", "vifs.eth0.mac_addr")


def test_duplicate_mac_address_in_use_and_twice_in_one_request(demo_server):
    first = demo_server.create_instance(eth0(mac_addr="525400e00001"), custom_instance="true")
    assert first.status_code == 200
    again = demo_server.create_instance(eth0(mac_addr="52:54:00:E0:00:01"), custom_instance="true")
    assert_error(again, 400, "DuplicateMacAddress", "175", "525400e00001")
    twice = {
        "eth0": {"network_id": "nw-demo1", "mac_addr": "525400e00002"},
        "eth1": {"network_id": "nw-demo1", "mac_addr": "525400e00002"},
    }
    assert_error(
        demo_server.create_instance(twice, custom_instance="true"), 400, "DuplicateMacAddress", "175"
    )


@pytest.mark.parametrize("address", ["192.168.2", "192.168.2.300", "abc"])
def test_invalid_ip_address(demo_server, address):
    response = demo_server.create_instance(eth0(ipv4_addr=address), custom_instance="true")
    assert_error(response, 400, "InvalidIPAddress", "176", "vifs.eth0.ipv4_addr")


def test_duplicate_ip_address_ip_nat_ip_reserved_and_twice(demo_server):
    taken = eth0(ipv4_addr="192.168.2.150", nat_network_id="nw-demo2", nat_ipv4_addr="192.168.3.150")
    assert demo_server.create_instance(taken, custom_instance="true").status_code == 200
    ip_again = demo_server.create_instance(eth0(ipv4_addr="192.168.2.150"), custom_instance="true")
    assert_error(ip_again, 400, "DuplicateIPAddress", "177", "192.168.2.150")
    nat_again = demo_server.create_instance(
        eth0(nat_network_id="nw-demo2", nat_ipv4_addr="192.168.3.150"), custom_instance="true"
    )
    assert_error(nat_again, 400, "DuplicateIPAddress", "177", "vifs.eth0.nat_ipv4_addr")
    gateway = demo_server.create_instance(eth0(ipv4_addr="192.168.2.1"), custom_instance="true")
    assert_error(gateway, 400, "DuplicateIPAddress", "177", "gateway")
    twice = {
        "eth0": {"network_id": "nw-demo1", "ipv4_addr": "192.168.2.151"},
        "eth1": {"network_id": "nw-demo1", "ipv4_addr": "192.168.2.151"},
    }
    assert_error(demo_server.create_instance(twice, custom_instance="true"), 400, "DuplicateIPAddress", "177")


@pytest.mark.parametrize("address", ["192.168.9.9", "192.168.2.255", "192.168.2.0"])
def test_ip_address_not_part_of_segment(demo_server, address):
    response = demo_server.create_instance(eth0(ipv4_addr=address), custom_instance="true")
    assert_error(response, 400, "IPAddressNotPartOfSegment", "178", address)


def test_incompatible_host_node(demo_server):
    hypervisor = demo_server.create_instance(
        eth0(), custom_instance="true", host_node_id="hn-demo1", hypervisor="lxc"
    )
    assert_error(hypervisor, 400, "IncompatibleHostNode", "179", "hn-demo1")
    arch = demo_server.create_instance(
        eth0(), custom_instance="true", host_node_id="hn-demo1", image_id="wmi-arm"
    )
    assert_error(arch, 400, "IncompatibleHostNode", "179", "arm64")


def test_mac_not_in_range_when_required(strict_server):
    vifs = {"eth0": {"network_id": "nw-s", "mac_addr": "525400abcdef"}}
    response = strict_server.create_instance(vifs, custom_instance="true")
    assert_error(response, 400, "MacNotInRange", "180", "vifs.eth0.mac_addr")


def test_ip_not_in_dhcp_range_when_required(strict_server):
    vifs = {"eth0": {"network_id": "nw-s", "ipv4_addr": "10.88.0.50"}}
    response = strict_server.create_instance(vifs, custom_instance="true")
    assert_error(response, 400, "IpNotInDhcpRange", "181", "10.88.0.50")
    inside = {"eth0": {"network_id": "nw-s", "ipv4_addr": "10.88.0.150", "mac_addr": "525400000001"}}
    assert strict_server.create_instance(inside, custom_instance="true").status_code == 200


def test_out_of_ip_range(demo_server):
    tiny = {"eth0": {"network_id": "nw-tiny"}}
    assert [demo_server.create_instance(tiny).status_code for _ in range(2)] == [200, 200]
    assert_error(demo_server.create_instance(tiny), 400, "OutOfIpRange", "901", "nw-tiny")


def test_out_of_mac_range(strict_server):
    vifs = {"eth0": {"network_id": "nw-s"}}
    statuses = [strict_server.create_instance(vifs).status_code for _ in range(2)]
    # mr-two holds two MACs; another test may have pinned one of them.
    assert statuses.count(200) >= 1
    assert_error(strict_server.create_instance(vifs), 400, "OutOfMacRange", "902", "mac_addr")


def test_registering_an_existing_id_is_a_conflict(demo_server):
    response = demo_server.request("POST", "/networks", data={"id": "nw-demo1", "network": "10.1.0.0"})
    assert_error(response, 409, "ResourceAlreadyExists", "190", "nw-demo1")


def test_errors_in_yaml_with_the_yml_suffix(demo_server):
    response = demo_server.request("GET", "/instances/i-nope.yml")
    assert response.status_code == 404
    assert yaml.safe_load(response.text) == {
        "error": "UnknownInstance",
        "message": "instance 'i-nope' does not exist",
        "code": "115",
    }


def test_a_failed_request_leaves_nothing_allocated(demo_server):
    vifs = {
        "eth0": {
            "index": "0",
            "network_id": "nw-demo1",
            "ipv4_addr": "192.168.2.160",
            "mac_addr": "525400e00160",
            "nat_network_id": "nw-demo2",
            "nat_ipv4_addr": "192.168.3.160",
        },
        "eth1": {"index": "1", "network_id": "nw-nope"},
    }
    assert_error(demo_server.create_instance(vifs, custom_instance="true"), 404, "UnknownNetwork", "129")
    del vifs["eth1"]
    assert demo_server.create_instance(vifs, custom_instance="true").status_code == 200
