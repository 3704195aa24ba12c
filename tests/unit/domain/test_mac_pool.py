import pytest

from domain.errors import (
    DuplicateMacAddress,
    InvalidParameter,
    MacNotInRange,
    ReleaseMismatch,
    ResourceAlreadyExists,
)
from domain.mac_pool import MacPool

MAC = 0x52540028A533


@pytest.fixture
def pool():
    pool = MacPool()
    pool.add_range("mr-a", "000001", "00ffff")
    return pool


def test_a_mac_is_held_at_most_once_across_the_whole_service(pool):
    pool.assign(MAC, "i-1", "vif-1")
    with pytest.raises(DuplicateMacAddress, match="52540028a533 is already in use"):
        pool.assign(MAC, "i-2", "vif-2")


def test_a_mac_outside_every_range_is_fine_unless_required(pool):
    pool.assign(MAC, "i-1", "vif-1")
    with pytest.raises(MacNotInRange):
        pool.assign(MAC + 1, "i-1", "vif-2", require_range=True)
    pool.assign(0x525400000002, "i-1", "vif-3", require_range=True)


def test_release_must_match_and_frees_the_mac(pool):
    pool.assign(MAC, "i-1", "vif-1")
    with pytest.raises(ReleaseMismatch):
        pool.release(MAC, "i-2", "vif-1")
    pool.release(MAC, "i-1", "vif-1")
    pool.assign(MAC, "i-2", "vif-2")


@pytest.mark.parametrize(
    "args, error",
    [
        (("mr-b", "0000", "00ffff"), InvalidParameter),
        (("mr-b", "00ffff", "000001"), InvalidParameter),
        (("mr-b", "00f000", "01ffff"), InvalidParameter),  # overlaps mr-a
        (("mr-a", "100000", "10ffff"), ResourceAlreadyExists),
    ],
)
def test_bad_or_overlapping_ranges_are_refused(pool, args, error):
    with pytest.raises(error):
        pool.add_range(*args)


def test_multicast_vendor_prefix_is_refused(pool):
    with pytest.raises(InvalidParameter, match="vendor_id"):
        pool.add_range("mr-m", "000001", "000002", vendor_id="010000")
