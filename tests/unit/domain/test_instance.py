import pytest

from domain.capacity import Size
from domain.errors import InvalidInstanceState
from domain.instance import Instance, Vif


def launch():
    return Instance.launch(
        instance_id="i-1",
        account_id="a-1",
        host_node_id="hn-a",
        size=Size(1, 512),
        arch="x86_64",
        hypervisor="kvm",
        image_id="wmi-1",
        ssh_key_id=None,
        display_name="web",
        hostname="web1",
        user_data="#!/bin/sh",
        ha_enabled=True,
        custom_instance=True,
        vifs=[Vif("vif-1", "eth0", 0, "nw-a", "10.0.0.5", "525400000001", "nw-b", "10.0.1.5")],
    )


def test_terminating_twice_is_an_invalid_state():
    instance = launch()
    instance.terminate()
    assert instance.state == "terminated" and instance.terminated_at is not None
    with pytest.raises(InvalidInstanceState, match="i-1 is terminated already"):
        instance.terminate()


def test_the_instance_keeps_what_it_was_launched_with():
    instance = launch()
    replayed = None
    for event in instance.collect_events():
        replayed = event.mutate(replayed)
    assert replayed.vifs == instance.vifs
    assert (replayed.hostname, replayed.user_data, replayed.ha_enabled) == ("web1", "#!/bin/sh", True)
