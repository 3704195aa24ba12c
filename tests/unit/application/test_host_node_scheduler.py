import pytest

from application.schedulers.host_node import FindFirst, LeastUsage
from domain.capacity import Size
from domain.errors import OutOfHostCapacity
from domain.host_node import HostNode

SMALL = Size(1, 512)


def host(host_id, cpu, memory, arch="x86_64", hypervisor="kvm"):
    return HostNode.register(
        host_node_id=host_id,
        node_id=host_id,
        arch=arch,
        hypervisor=hypervisor,
        offering_cpu_cores=cpu,
        offering_memory_size=memory,
    )


def test_least_usage_picks_the_most_free_memory_by_default():
    hosts = [host("hn-a", 32, 4096), host("hn-b", 2, 8192), host("hn-c", 16, 6144)]
    assert LeastUsage().choose_host(hosts, SMALL, "x86_64", None).host_node_id == "hn-b"


def test_least_usage_by_cpu():
    hosts = [host("hn-a", 8, 4096), host("hn-b", 2, 8192), host("hn-c", 16, 6144)]
    assert LeastUsage("cpu").choose_host(hosts, SMALL, "x86_64", None).host_node_id == "hn-c"


def test_least_usage_counts_reservations():
    hosts = [host("hn-a", 8, 8192), host("hn-b", 8, 6144)]
    hosts[0].reserve("i-1", Size(1, 4096), "x86_64", None)
    assert LeastUsage().choose_host(hosts, SMALL, "x86_64", None).host_node_id == "hn-b"


def test_ties_go_to_the_earliest_registered():
    hosts = [host("hn-a", 8, 8192), host("hn-b", 8, 8192)]
    assert LeastUsage().choose_host(hosts, SMALL, "x86_64", None).host_node_id == "hn-a"


@pytest.mark.parametrize("scheduler", [LeastUsage(), FindFirst()])
def test_offline_incompatible_and_full_hosts_are_skipped(scheduler):
    offline = host("hn-off", 64, 65536)
    offline.change_status("offline")
    other_arch = host("hn-arm", 64, 65536, arch="arm64")
    other_hypervisor = host("hn-lxc", 64, 65536, hypervisor="lxc")
    too_small = host("hn-tiny", 1, 256)
    fitting = host("hn-ok", 2, 1024)
    hosts = [offline, other_arch, other_hypervisor, too_small, fitting]
    assert scheduler.choose_host(hosts, Size(1, 512), "x86_64", "kvm").host_node_id == "hn-ok"
    with pytest.raises(OutOfHostCapacity, match="no online kvm/x86_64 host node has 4 cpu cores"):
        scheduler.choose_host(hosts, Size(4, 512), "x86_64", "kvm")


def test_find_first_takes_the_first_that_fits_even_if_fuller():
    hosts = [host("hn-a", 2, 1024), host("hn-b", 64, 65536)]
    assert FindFirst().choose_host(hosts, SMALL, "x86_64", None).host_node_id == "hn-a"


def test_no_hosts_is_out_of_capacity():
    with pytest.raises(OutOfHostCapacity):
        FindFirst().choose_host([], SMALL, "x86_64", None)
