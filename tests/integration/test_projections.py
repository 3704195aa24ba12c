"""The views: rebuilt from scratch they are identical, and a view interrupted in the
middle of a batch (an error, or its process killed) resumes with no duplicate or
missing row."""

import contextlib
import multiprocessing
import os
import signal

import pytest

from application.commands import RegisterHostNode
from domain.errors import ResourceAlreadyExists
from tests.integration.conftest import ACCOUNT, create, open_services, vif


def dump(views):
    """Every table of every view, rows sorted, tracking included."""
    tables = {}
    for name, projection in views.by_name.items():
        db = projection.view.db
        for table in db.table_names():
            rows = db.execute(f"SELECT * FROM [{table}]").fetchall()
            tables[f"{name}.{table}"] = sorted(tuple(row) for row in rows)
    return tables


def make_history(ledger, count=40):
    with contextlib.suppress(ResourceAlreadyExists):
        ledger.register_host_node(
            RegisterHostNode(host_node_id="hn-big", offering_cpu_cores=128, offering_memory_size=99999)
        )
    made = []
    for n in range(count):
        pinned = vif(nat_network_id="nw-nat", ipv4_addr=f"10.0.0.{100 + n}")
        made.append(create(ledger, pinned, display_name=f"vm{n}", host_node_id="hn-big"))
        if n % 3 == 0:
            ledger.terminate_instance(ACCOUNT, made[n // 2].instance_id)
    return made


def test_rebuild_gives_identical_views(services):
    make_history(services.ledger)
    services.views.follower.catch_up_all()
    before = dump(services.views)
    assert len(before["ip_leases.ip_leases"]) > 40  # the dump really holds rows

    services.views.rebuild()
    assert dump(services.views) == before


def test_a_batch_that_fails_half_way_leaves_no_trace_and_resumes(services, monkeypatch):
    make_history(services.ledger)
    projection = services.views.by_name["ip_leases"]
    original, seen = projection.process_event, []

    def fail_on_the_tenth(event, tracking):
        seen.append(tracking.notification_id)
        if len(seen) == 10:
            raise RuntimeError("interrupted mid-batch")
        original(event, tracking)

    monkeypatch.setattr(projection, "process_event", fail_on_the_tenth)
    with pytest.raises(RuntimeError):
        services.views.follower.catch_up(projection)
    assert projection.view.max_tracking_id("Ledger") is None
    assert projection.view.leases() == []  # the nine applied rows were rolled back

    monkeypatch.setattr(projection, "process_event", original)
    services.views.follower.catch_up(projection)
    resumed = dump(services.views)["ip_leases.ip_leases"]
    services.views.rebuild()
    assert dump(services.views)["ip_leases.ip_leases"] == resumed


def _catch_up_then_die_mid_batch(data_dir, config):
    services = open_services(data_dir, config)
    projection = services.views.by_name["instances"]
    original, count = projection.process_event, [0]

    def die_on_the_fifth(event, tracking):
        count[0] += 1
        if count[0] == 5:
            os.kill(os.getpid(), signal.SIGKILL)
        original(event, tracking)

    projection.process_event = die_on_the_fifth
    services.views.follower.catch_up(projection)


def test_a_process_killed_mid_batch_resumes_without_duplicates(services, tmp_path, store, reopen):
    make_history(services.ledger)
    services.close()

    context = multiprocessing.get_context("spawn")
    process = context.Process(target=_catch_up_then_die_mid_batch, args=(tmp_path, store))
    process.start()
    process.join(timeout=60)
    assert process.exitcode == -signal.SIGKILL

    reopened = reopen()
    try:
        view = reopened.views.by_name["instances"].view
        assert view.max_tracking_id("Ledger") is None  # the killed batch never committed
        total, rows = reopened.views.instances(ACCOUNT, limit=1000)
        assert total == 40 and len({row["instance_id"] for row in rows}) == 40
        reopened.views.follower.catch_up_all()
        resumed = dump(reopened.views)
        reopened.views.rebuild()
        assert dump(reopened.views) == resumed
    finally:
        reopened.close()


def test_views_shared_by_two_processes_apply_each_event_once(services, reopen):
    other = reopen()
    try:
        make_history(services.ledger, count=10)
        other.views.follower.catch_up_all()  # the other process applies them first
        services.views.follower.catch_up_all()  # finds nothing left to do
        assert services.views.host_nodes("hn-big")[0]["instances"] == 10 - 4
        make_history(other.ledger, count=0)
        assert dump(services.views) == dump(other.views)
    finally:
        other.close()
