"""MAC address schedulers: which MAC an interface gets when the caller pins none."""

import random
from typing import Protocol

from application.schedulers.cyclic import walk_after
from domain.errors import OutOfMacRange
from domain.mac_pool import MacPool


class MacAddressScheduler(Protocol):
    def choose_mac(self, pool: MacPool) -> int:
        """A free MAC of the pool's ranges; raises ``OutOfMacRange`` when there is none."""


def _sorted_ranges(pool: MacPool) -> list[tuple[int, int]]:
    if not pool.ranges:
        raise OutOfMacRange("mac_addr: no MAC range is registered")
    return sorted((r.first, r.last) for r in pool.ranges.values())


def _first_free(pool: MacPool, ranges: list[tuple[int, int]], after: int | None) -> int:
    for mac in walk_after(ranges, after):
        if pool.is_available(mac):
            return mac
    raise OutOfMacRange("mac_addr: every MAC address of the MAC ranges is in use")


class Default:
    """Wakame's default: a random free address of the ranges.

    Random picks find a free MAC at once while the ranges are sparsely used; after a few
    misses it walks on from a random point, so a nearly full pool still terminates and a
    full one answers ``OutOfMacRange``.
    """

    RANDOM_TRIES = 16

    def __init__(self, rng: random.Random | None = None):
        self._rng = rng or random.SystemRandom()

    def choose_mac(self, pool: MacPool) -> int:
        ranges = _sorted_ranges(pool)
        sizes = [end - begin + 1 for begin, end in ranges]
        for _ in range(self.RANDOM_TRIES):
            ((begin, end),) = self._rng.choices(ranges, weights=sizes)
            mac = self._rng.randint(begin, end)
            if pool.is_available(mac):
                return mac
        return _first_free(pool, ranges, after=mac)


class Sequential:
    """The next free address after the most recent automatic one, wrapping round."""

    def choose_mac(self, pool: MacPool) -> int:
        return _first_free(pool, _sorted_ranges(pool), after=pool.last_scheduled)
