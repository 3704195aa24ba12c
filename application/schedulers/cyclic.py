"""Walking a set of address ranges in a circle, as Wakame's schedulers did."""

from collections.abc import Iterator, Sequence


def walk_after(
    ranges: Sequence[tuple[int, int]], after: int | None, *, descending: bool = False
) -> Iterator[int]:
    """Every address of the sorted, disjoint, inclusive ``ranges`` once, starting just
    after ``after`` (just before it when descending) and wrapping round the end.
    With ``after`` None the walk starts at the first (or, descending, last) address.
    """
    if not ranges:
        return
    if descending:
        mirrored = [(-end, -begin) for begin, end in reversed(ranges)]
        for value in walk_after(mirrored, None if after is None else -after):
            yield -value
        return
    start = ranges[0][0] if after is None else after + 1
    for begin, end in ranges:
        if end >= start:
            yield from range(max(begin, start), end + 1)
    for begin, end in ranges:
        if begin >= start:
            break
        yield from range(begin, min(end, start - 1) + 1)
