import pytest

from domain.capacity import Size, instance_size
from domain.errors import (
    IncompatibleHostNode,
    InvalidHostNodeID,
    InvalidParameter,
    OutOfHostCapacity,
    ReleaseMismatch,
)
from domain.host_node import HostNode


@pytest.fixture
def host():
    return HostNode.register(
        host_node_id="hn-a",
        node_id="hva.a",
        arch="x86_64",
        hypervisor="kvm",
        offering_cpu_cores=4,
        offering_memory_size=4096,
    )


def test_capacity_is_never_overcommitted(host):
    host.reserve("i-1", Size(3, 1024), "x86_64", None)
    with pytest.raises(OutOfHostCapacity, match="hn-a has 1 cpu cores and 3072 MB free"):
        host.reserve("i-2", Size(2, 1024), "x86_64", None)
    host.reserve("i-3", Size(1, 3072), "x86_64", "kvm")
    assert host.available == Size(0, 0)
    with pytest.raises(OutOfHostCapacity):
        host.reserve("i-4", Size(1, 128), "x86_64", None)


def test_release_gives_the_capacity_back_and_must_match(host):
    host.reserve("i-1", Size(4, 4096), "x86_64", None)
    with pytest.raises(ReleaseMismatch):
        host.release("i-2")
    host.release("i-1")
    assert host.available == host.offering


def test_an_offline_host_takes_nothing(host):
    host.change_status("offline")
    with pytest.raises(InvalidHostNodeID, match="hn-a is offline"):
        host.reserve("i-1", Size(1, 128), "x86_64", None)
    host.change_status("online")
    host.reserve("i-1", Size(1, 128), "x86_64", None)


@pytest.mark.parametrize("arch, hypervisor", [("x86", None), ("x86_64", "lxc")])
def test_incompatible_requests_are_refused(host, arch, hypervisor):
    with pytest.raises(IncompatibleHostNode, match="hn-a is kvm/x86_64"):
        host.reserve("i-1", Size(1, 128), arch, hypervisor)


def test_unknown_status_is_refused(host):
    with pytest.raises(InvalidParameter, match="status"):
        host.change_status("maintenance")


@pytest.mark.parametrize(
    "cpu, memory, field",
    [(0, 1024, "cpu_cores"), (129, 1024, "cpu_cores"), (1, 127, "memory_size"), (1, 1000000, "memory_size")],
)
def test_instance_size_limits(cpu, memory, field):
    with pytest.raises(InvalidParameter, match=f"^{field}"):
        instance_size(cpu, memory)
    assert instance_size(128, 999999) == Size(128, 999999)
