"""How much of a host node an instance takes."""

from dataclasses import dataclass

from domain.errors import InvalidParameter


@dataclass(frozen=True)
class Size:
    cpu_cores: int
    memory_size: int  # MB

    def __add__(self, other: "Size") -> "Size":
        return Size(self.cpu_cores + other.cpu_cores, self.memory_size + other.memory_size)

    def __sub__(self, other: "Size") -> "Size":
        return Size(self.cpu_cores - other.cpu_cores, self.memory_size - other.memory_size)

    def fits_in(self, room: "Size") -> bool:
        return self.cpu_cores <= room.cpu_cores and self.memory_size <= room.memory_size


NOTHING = Size(0, 0)


def instance_size(cpu_cores: int, memory_size: int) -> Size:
    """The limits the 12.03 API puts on one instance."""
    if not 1 <= cpu_cores <= 128:
        raise InvalidParameter(f"cpu_cores: {cpu_cores} must be between 1 and 128")
    if not 128 <= memory_size <= 999999:
        raise InvalidParameter(f"memory_size: {memory_size} must be between 128 and 999999 (MB)")
    return Size(cpu_cores, memory_size)
