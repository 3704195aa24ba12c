"""Snapshots of the large aggregates survive the store's JSON exactly."""

from eventsourcing.persistence import DatetimeAsISO, JSONTranscoder, UUIDAsHex

from domain.capacity import Size
from domain.host_node import HostNode
from domain.mac_pool import MacPool
from domain.network import Network


def through_json(aggregate):
    transcoder = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DatetimeAsISO()):
        transcoder.register(transcoding)
    snapshot = type(aggregate).Snapshot.take(aggregate)
    state = transcoder.decode(transcoder.encode(snapshot.state))
    restored = type(snapshot)(
        originator_id=snapshot.originator_id, originator_version=snapshot.originator_version,
        timestamp=snapshot.timestamp, topic=snapshot.topic, state=state,
    )  # fmt: skip
    return restored.mutate(None)


def test_network():
    network = Network.register(
        network_id="nw-s", ipv4_network="10.0.0.0", prefix=24, gateway="10.0.0.1",
        dhcp_ranges=[("10.0.0.10", "10.0.0.20"), ("10.0.0.30", "10.0.0.40")],
    )  # fmt: skip
    network.assign(167772170, "i-1", "vif-1", scheduled=True)
    network.assign(167772250, "i-2", "vif-2")
    network.collect_events()
    restored = through_json(network)
    assert vars(restored) == vars(network)
    assert restored.is_available(167772171) and not restored.is_available(167772170)


def test_mac_pool():
    pool = MacPool()
    pool.add_range("mr-1", "000001", "00ffff")
    pool.assign(0x525400000005, "i-1", "vif-1", scheduled=True)
    pool.collect_events()
    restored = through_json(pool)
    assert restored.holders == pool.holders and restored.last_scheduled == pool.last_scheduled
    assert restored.in_range(0x525400000006) and not restored.is_available(0x525400000005)


def test_host_node():
    host = HostNode.register(
        host_node_id="hn-s", node_id="hva", arch="x86_64", hypervisor="kvm",
        offering_cpu_cores=8, offering_memory_size=8192,
    )  # fmt: skip
    host.reserve("i-1", Size(2, 1024), "x86_64", None)
    host.collect_events()
    restored = through_json(host)
    assert vars(restored) == vars(host)
    assert restored.available == Size(6, 7168)
