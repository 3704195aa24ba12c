import random

import pytest

from application.schedulers.mac_address import Default, Sequential
from domain.errors import OutOfMacRange
from domain.mac_pool import MacPool


def pool_with(begin="000001", end="000004"):
    pool = MacPool()
    pool.add_range("mr-a", begin, end)
    return pool


def schedule(scheduler, pool, times):
    chosen = []
    for n in range(times):
        mac = scheduler.choose_mac(pool)
        pool.assign(mac, f"i-{n}", f"vif-{n}", scheduled=True)
        chosen.append(mac)
    return chosen


def test_default_hands_out_every_mac_of_the_ranges_once_then_runs_out():
    pool = pool_with()
    chosen = schedule(Default(random.Random(7)), pool, 4)
    assert sorted(chosen) == [0x525400000001, 0x525400000002, 0x525400000003, 0x525400000004]
    with pytest.raises(OutOfMacRange, match="every MAC address"):
        Default().choose_mac(pool)


def test_default_is_random_within_a_large_range():
    pool = pool_with("000001", "ffffff")
    chosen = schedule(Default(random.Random(1)), pool, 20)
    assert all(0x525400000001 <= mac <= 0x525400FFFFFF for mac in chosen)
    assert chosen != sorted(chosen)


def test_default_still_finds_the_last_free_mac_of_a_nearly_full_pool():
    pool = pool_with("000001", "000400")
    for n, mac in enumerate(range(0x525400000001, 0x525400000401)):
        if mac != 0x525400000234:
            pool.assign(mac, f"i-{n}", "vif")
    assert Default(random.Random(3)).choose_mac(pool) == 0x525400000234


def test_sequential_continues_after_the_last_scheduled_and_skips_pinned():
    pool = pool_with()
    pool.assign(0x525400000002, "i-p", "vif-p")
    assert schedule(Sequential(), pool, 3) == [0x525400000001, 0x525400000003, 0x525400000004]


def test_no_range_at_all_is_out_of_mac_range():
    with pytest.raises(OutOfMacRange, match="no MAC range"):
        Sequential().choose_mac(MacPool())
