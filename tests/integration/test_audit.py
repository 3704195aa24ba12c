"""Audit answers replayed from the events: who held what, when, and through which request."""

import time
from datetime import UTC, datetime

import pytest

from application.audit import Audit, parse_time
from application.causes import request_context
from domain.errors import InvalidParameter, UnknownNetwork, UnknownUUIDResource
from tests.integration.conftest import ACCOUNT, create, vif


def moment():
    time.sleep(0.002)  # event timestamps are microseconds apart; keep the steps distinct
    now = datetime.now(UTC)
    time.sleep(0.002)
    return now


@pytest.fixture
def history(ledger):
    """192.168.x: assigned to a first instance, released, then re-assigned to a second."""
    pinned = dict(ipv4_addr="10.0.0.11", mac_addr="525400000011")
    before = moment()
    with request_context("req-first", ACCOUNT):
        first = create(ledger, vif(**pinned), host_node_id="hn-a", cpu_cores=2)
    held_by_first = moment()
    with request_context("req-end", ACCOUNT):
        ledger.terminate_instance(ACCOUNT, first.instance_id)
    released = moment()
    with request_context("req-second", "a-second"):
        second = create(ledger, vif(**pinned), account_id="a-second", host_node_id="hn-a")
    return {"first": first, "second": second, "before": before, "held_by_first": held_by_first,
            "released": released}  # fmt: skip


def test_ip_history_and_holder_at_each_step(ledger, history):
    audit = Audit(ledger)
    answer = audit.ip_address("nw-a", "10.0.0.11")
    assert [(e["event"], e["instance_id"], e["request_id"]) for e in answer["history"]] == [
        ("IPAssigned", history["first"].instance_id, "req-first"),
        ("IPReleased", history["first"].instance_id, "req-end"),
        ("IPAssigned", history["second"].instance_id, "req-second"),
    ]
    assert answer["history"][2]["account_id"] == "a-second"
    assert answer["holder"]["instance_id"] == history["second"].instance_id

    assert audit.ip_address("nw-a", "10.0.0.11", at=history["before"]) == {
        "subject": answer["subject"], "history": [], "holder": None,
    }  # fmt: skip
    then = audit.ip_address("nw-a", "10.0.0.11", at=history["held_by_first"])
    assert then["holder"]["instance_id"] == history["first"].instance_id
    assert then["holder"]["request_id"] == "req-first"
    assert len(then["history"]) == 1
    assert audit.ip_address("nw-a", "10.0.0.11", at=history["released"])["holder"] is None


def test_mac_and_host_history(ledger, history):
    audit = Audit(ledger)
    mac = audit.mac_address("52:54:00:00:00:11", at=history["held_by_first"])
    assert mac["subject"]["mac_addr"] == "525400000011"
    assert mac["holder"]["instance_id"] == history["first"].instance_id
    host = audit.host_node("hn-a", at=history["held_by_first"])
    assert host["holder"]["reserved_cpu_cores"] == 2
    assert [r["instance_id"] for r in host["holder"]["reservations"]] == [history["first"].instance_id]
    now = audit.host_node("hn-a")
    assert [e["event"] for e in now["history"]] == [
        "Registered", "CapacityReserved", "CapacityReleased", "CapacityReserved",
    ]  # fmt: skip
    assert now["holder"]["reserved_cpu_cores"] == 1


def test_instance_history_gathers_every_allocation(ledger, history):
    answer = Audit(ledger).instance(history["first"].instance_id)
    assert [e["event"] for e in answer["history"]] == [
        "MacAssigned", "IPAssigned", "CapacityReserved", "Created",
        "Terminated", "IPReleased", "MacReleased", "CapacityReleased",
    ]  # fmt: skip
    assert answer["holder"] == {"account_id": ACCOUNT, "state": "terminated", "host_node_id": "hn-a"}
    at_first = Audit(ledger).instance(history["first"].instance_id, at=history["held_by_first"])
    assert at_first["holder"]["state"] == "pending"


def test_request_links_to_every_event_it_caused(ledger, history):
    answer = Audit(ledger).request("req-second")
    assert {e["event"] for e in answer["history"]} == {
        "IPAssigned",
        "MacAssigned",
        "CapacityReserved",
        "Created",
    }
    assert {e["command"] for e in answer["history"]} == {"CreateInstance"}
    with pytest.raises(UnknownUUIDResource):
        Audit(ledger).request("req-never")


def test_bad_questions_are_refused(ledger):
    with pytest.raises(UnknownNetwork):
        Audit(ledger).ip_address("nw-nope", "10.0.0.1")
    with pytest.raises(InvalidParameter, match="at"):
        parse_time("last tuesday")
    assert parse_time("2026-11-03T14:00:00").tzinfo is UTC
