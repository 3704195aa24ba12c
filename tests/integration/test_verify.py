"""verify passes on a real history and names the event that breaks an invariant."""

import subprocess
import sys

from application.verify import Verifier
from domain.addresses import parse_ipv4
from domain.capacity import Size
from tests.integration.conftest import ACCOUNT, create, vif


def real_history(ledger):
    made = [create(ledger, vif(nat_network_id="nw-nat"), memory_size=256) for _ in range(6)]
    ledger.terminate_instance(ACCOUNT, made[2].instance_id)
    create(ledger, vif(ipv4_addr="10.0.0.200", mac_addr="525400abcdef"))
    return made


def verify(services):
    return Verifier(services.ledger, services.views).run()


def test_a_real_history_passes_every_check(services):
    real_history(services.ledger)
    services.views.follower.catch_up_all()
    report = verify(services)
    assert report.ok, [str(v) for v in report.violations]
    assert report.events > 40
    assert report.checked[-2:] == ["end state", "aggregates"]
    assert len([c for c in report.checked if c.startswith("view ")]) == 6


def test_a_second_assignment_of_a_held_address_is_named(services):
    made = real_history(services.ledger)
    network = services.ledger.network("nw-a")
    held = made[0].vifs[0].ipv4_addr
    # Bypass the aggregate's own check, as a buggy writer would.
    network._assigned(address=held, instance_id="i-intruder", vif_id="vif-intruder", scheduled=False)
    services.ledger.save(network)

    report = verify(services)
    assert not report.ok
    first = report.violations[0]
    assert first.notification_id == services.ledger.recorder.max_notification_id()
    assert "Network.IPAssigned" in first.event
    assert f"{held} of nw-a is already held by {made[0].instance_id}" in first.message
    assert any("i-intruder, which is not alive" in str(v) for v in report.violations)


def test_capacity_overrun_and_unmatched_release_are_named(services):
    real_history(services.ledger)
    host = services.ledger.host_node("hn-b")
    host._reserved(instance_id="i-greedy", cpu_cores=64, memory_size=512)
    host._released(instance_id="i-greedy", cpu_cores=1, memory_size=1)
    services.ledger.save(host)
    messages = [str(v) for v in verify(services).violations]
    assert any("CapacityReserved" in m and "reserves 6" in m for m in messages), messages
    assert any("CapacityReleased" in m and "released 1/1 for i-greedy" in m for m in messages), messages


def test_a_view_that_disagrees_with_the_log_is_named(services):
    real_history(services.ledger)
    services.views.follower.catch_up_all()
    view = services.views.by_name["network_utilization"].view
    with view.writing():
        view.db.execute("UPDATE networks SET used = used + 1 WHERE network_id = 'nw-a'")
    messages = [str(v) for v in verify(services).violations]
    assert messages == ["view network_utilization: networks nw-a: replay [6, 0], view [7, 0]"]


def test_the_cli_exits_non_zero_naming_the_event(services, tmp_path, store):
    real_history(services.ledger)
    command = [sys.executable, "-m", "interfaces.cli", "verify", "--data-dir", str(tmp_path)]
    command += ["--config", str(store)] if store else []
    passing = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert passing.stdout.startswith(f"OK: replayed {services.ledger.recorder.max_notification_id()} events")

    network = services.ledger.network("nw-nat")
    network._assigned(address="172.16.0.1", instance_id="i-x", vif_id="vif-x", scheduled=False)
    services.ledger.save(network)
    failing = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert failing.returncode == 1
    assert "VIOLATION event #" in failing.stdout
    assert "172.16.0.1 is a service address of nw-nat" in failing.stdout


def test_replayed_state_matches_what_the_aggregates_enforce(services):
    real_history(services.ledger)
    assert services.ledger.host_node("hn-a").available.fits_in(Size(4, 4096))
    assert parse_ipv4("10.0.0.200", "t") in services.ledger.network("nw-a").holders
    assert verify(services).ok
