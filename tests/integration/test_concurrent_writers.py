"""Several writers on one SQLite store: optimistic concurrency, retried commands, and
worker processes racing for addresses."""

import multiprocessing

import pytest

from application.commands import RegisterHostNode
from domain.errors import DuplicateIPAddress
from tests.integration.conftest import ACCOUNT, create, open_services, vif


def interleave_before_first_save(ledger, other_write):
    """Makes ``ledger``'s first save happen just after ``other_write`` has committed,
    as when another process wins the race between our read and our write."""
    original = ledger.save
    calls = []

    def save(*aggregates, **kwargs):
        calls.append(aggregates)
        if len(calls) == 1:
            other_write()
        return original(*aggregates, **kwargs)

    ledger.save = save
    return calls


def test_a_lost_race_for_a_pinned_ip_reruns_and_answers_duplicate(services, reopen):
    other = reopen()
    try:
        calls = interleave_before_first_save(
            services.ledger, lambda: create(other.ledger, vif(ipv4_addr="10.0.0.99"))
        )
        with pytest.raises(DuplicateIPAddress, match="10.0.0.99 is already in use"):
            create(services.ledger, vif(ipv4_addr="10.0.0.99"))
        assert len(calls) == 1  # the rerun found the duplicate before saving again
    finally:
        other.close()
    holders = services.ledger.network("nw-a").holders
    assert len(holders) == 1


def test_a_lost_race_for_a_scheduled_ip_reruns_and_takes_the_next(services, reopen):
    other = reopen()
    try:
        theirs = []
        calls = interleave_before_first_save(
            services.ledger, lambda: theirs.append(create(other.ledger, vif()))
        )
        ours = create(services.ledger, vif())
        assert len(calls) == 2
    finally:
        other.close()
    assert theirs[0].vifs[0].ipv4_addr == "10.0.0.2"
    assert ours.vifs[0].ipv4_addr == "10.0.0.3"


def _create_many(data_dir, config, count, results):
    services = open_services(data_dir, config)
    try:
        for _ in range(count):
            instance = create(services.ledger, vif(nat_network_id="nw-nat"), host_node_id="hn-big")
            eth0 = instance.vifs[0]
            results.put((instance.instance_id, eth0.ipv4_addr, eth0.nat_ipv4_addr, eth0.mac_addr))
    finally:
        services.close()


def test_worker_processes_racing_get_distinct_addresses_and_never_overcommit(services, tmp_path, store):
    services.ledger.register_host_node(
        RegisterHostNode(
            host_node_id="hn-big",
            offering_cpu_cores=128,
            offering_memory_size=999999,
        )
    )
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    workers = [context.Process(target=_create_many, args=(tmp_path, store, 15, results)) for _ in range(4)]
    for worker in workers:
        worker.start()
    rows = [results.get(timeout=120) for _ in range(60)]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0

    instance_ids, ips, nat_ips, macs = zip(*rows, strict=False)
    assert len(set(instance_ids)) == len(set(ips)) == len(set(nat_ips)) == len(set(macs)) == 60
    assert len(services.ledger.network("nw-a").holders) == 60
    assert len(services.ledger.network("nw-nat").holders) == 60
    assert len(services.ledger.mac_pool().holders) == 60
    host = services.ledger.host_node("hn-big")
    assert host.available.cpu_cores == 128 - 60 and len(host.reservations) == 60
    assert services.queries.instances(ACCOUNT).total == 60
