"""Parallel requests against a server with several worker processes: optimistic
concurrency must hand out each address, MAC and core exactly once, and no caller may
see a 5xx for a conflict."""

import json
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.e2e.conftest import Server
from tests.postgres import fresh_database

ACCOUNT = "a-racer"


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def store_flags(request, tmp_path_factory):
    if request.param == "sqlite":
        yield ()
    else:
        with fresh_database(tmp_path_factory.mktemp("pg")) as config:
            yield ("--config", str(config))


def register_topology(server):
    for path, form in (
        ("/networks", {"id": "nw-race", "network": "10.60.0.0", "prefix": "24", "gw": "10.60.0.1"}),
        ("/networks", {"id": "nw-racenat", "network": "10.61.0.0", "prefix": "24", "gw": "10.61.0.1"}),
        ("/mac_ranges", {"id": "mr-race", "range_begin": "000001", "range_end": "ffffff"}),
        ("/host_nodes", {"id": "hn-race10", "offering_cpu_cores": "10", "offering_memory_size": "2560"}),
        ("/host_nodes", {"id": "hn-racebig", "offering_cpu_cores": "128", "offering_memory_size": "999999"}),
        ("/images", {"id": "wmi-race"}),
    ):
        assert server.request("POST", path, data=form).status_code == 200, path


@pytest.fixture(scope="module")
def race_server(tmp_path_factory, store_flags):
    server = Server(
        tmp_path_factory.mktemp("races") / "data", "--no-demo", "--workers", "3", *store_flags
    ).start()
    register_topology(server)
    yield server
    server.stop()


def race(server, bodies, headers=None, servers=None):
    """Sends every body at the same moment, one thread each (spread over ``servers`` when
    given); returns the responses."""
    start = threading.Barrier(len(bodies))
    targets = servers or [server]

    def send(numbered):
        n, body = numbered
        session = requests.Session()
        start.wait()
        return session.post(f"{targets[n % len(targets)].base}/instances.json", data=body, timeout=120,
                            headers={"X-VDC-Account-UUID": ACCOUNT, **(headers or {})})  # fmt: skip

    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(send, enumerate(bodies)))


def body(vifs=None, **params):
    return {"image_id": "wmi-race", "cpu_cores": "1", "memory_size": "256", "custom_instance": "true",
            "host_node_id": "hn-racebig", "vifs": json.dumps(vifs or {"eth0": {"network_id": "nw-race"}}),
            **params}  # fmt: skip


def outcome(responses):
    assert all(r.status_code < 500 for r in responses), [r.text for r in responses if r.status_code >= 500]
    return Counter("ok" if r.status_code == 200 else r.json()["error"] for r in responses)


@pytest.mark.parametrize(
    "vif, error",
    [
        ({"network_id": "nw-race", "ipv4_addr": "10.60.0.77"}, "DuplicateIPAddress"),
        ({"network_id": "nw-race", "mac_addr": "525400777777"}, "DuplicateMacAddress"),
        ({"network_id": "nw-race", "nat_network_id": "nw-racenat", "nat_ipv4_addr": "10.61.0.77"},
         "DuplicateIPAddress"),
    ],
    ids=["ip", "mac", "nat-ip"],
)  # fmt: skip
def test_48_requests_pinning_one_address_give_it_once(race_server, vif, error):
    responses = race(race_server, [body({"eth0": vif}) for _ in range(48)])
    assert outcome(responses) == {"ok": 1, error: 47}


def test_40_one_core_requests_on_a_host_with_10_free_cores(race_server):
    responses = race(race_server, [body(host_node_id="hn-race10") for _ in range(40)])
    assert outcome(responses) == {"ok": 10, "OutOfHostCapacity": 30}
    host = race_server.request("GET", "/host_nodes/hn-race10").json()
    assert (host["available_cpu_cores"], host["instances"]) == (0, 10)


def test_100_scheduled_requests_get_distinct_addresses_and_macs(race_server):
    responses = race(race_server, [body() for _ in range(100)])
    assert outcome(responses) == {"ok": 100}
    vifs = [r.json()["vif"][0] for r in responses]
    assert len({v["ipv4"]["address"] for v in vifs}) == 100
    assert len({v["mac_addr"] for v in vifs}) == 100
    leases = race_server.request("GET", "/reports/networks").json()
    assert next(n for n in leases if n["network_id"] == "nw-race")["used"] >= 100


def test_a_retry_with_the_same_idempotency_key_allocates_once(race_server):
    before = race_server.request("GET", "/reports/networks").json()
    used = {n["network_id"]: n["used"] for n in before}["nw-race"]
    same = body({"eth0": {"network_id": "nw-race"}}, display_name="idempotent")
    responses = race(race_server, [same] * 12, headers={"Idempotency-Key": "create-once-1"})
    assert outcome(responses) == {"ok": 12}
    assert len({json.dumps(r.json(), sort_keys=True) for r in responses}) == 1  # one answer, same addresses
    after = {n["network_id"]: n["used"] for n in race_server.request("GET", "/reports/networks").json()}
    assert after["nw-race"] == used + 1

    other = race(race_server, [body(display_name="another")], headers={"Idempotency-Key": "create-once-1"})
    assert (other[0].status_code, other[0].json()["error"], other[0].json()["code"]) == (
        422, "IdempotencyKeyReused", "192",
    )  # fmt: skip
    assert "create-once-1" in other[0].json()["message"]


def test_two_hosts_share_one_postgres_database(tmp_path):
    """Two API servers, each with its own data dir (its own views) as on two hosts, and
    one PostgreSQL database: they race for one address, and each sees the other's write."""
    with fresh_database(tmp_path) as config:
        hosts = [Server(tmp_path / name, "--no-demo", "--workers", "2", "--config", str(config)).start()
                 for name in ("host-a", "host-b")]  # fmt: skip
        try:
            register_topology(hosts[0])
            pinned = body({"eth0": {"network_id": "nw-race", "ipv4_addr": "10.60.0.99"}})
            responses = race(hosts[0], [pinned] * 48, servers=hosts)
            assert outcome(responses) == {"ok": 1, "DuplicateIPAddress": 47}
            winner = next(r.json() for r in responses if r.status_code == 200)
            for server in hosts:
                shown = server.request("GET", f"/instances/{winner['id']}", account=ACCOUNT).json()
                assert shown["vif"][0]["ipv4"]["address"] == "10.60.0.99"
            scheduled = race(hosts[0], [body() for _ in range(40)], servers=hosts)
            assert outcome(scheduled) == {"ok": 40}
            assert len({r.json()["vif"][0]["ipv4"]["address"] for r in scheduled}) == 40
        finally:
            for server in hosts:
                server.stop()
