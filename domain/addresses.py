"""Parsing and formatting of the addresses callers send: IPv4 and MAC.

Aggregates keep addresses as ints (cheap to hold in sets and to snapshot); these helpers
turn caller text into those ints, raising the API's own error for bad text.
"""

import re

import netaddr

from domain.errors import InvalidIPAddress, InvalidMacAddress

# The three spellings the API accepts: 52540028A533, 52:54:00:28:a5:33, 52-54-00-28-A5-33.
# netaddr alone would also take "12345" or Cisco dotted forms, which no Wakame client sends.
_MAC_SPELLINGS = re.compile(
    r"[0-9A-Fa-f]{12}|[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}"
)
_MULTICAST_BIT = 1 << 40  # least significant bit of the first octet


def parse_mac(text: object, field: str) -> int:
    """A unicast, non-zero MAC address as a 48-bit int."""
    if not isinstance(text, str) or not _MAC_SPELLINGS.fullmatch(text):
        raise InvalidMacAddress(
            f"{field}: {text!r} is not a MAC address (12 hex digits, or six pairs joined by ':' or '-')"
        )
    value = int(netaddr.EUI(text))
    if value == 0:
        raise InvalidMacAddress(f"{field}: {text!r} is the all-zero MAC address")
    if value & _MULTICAST_BIT:
        raise InvalidMacAddress(f"{field}: {text!r} is a multicast MAC address")
    return value


def format_mac(value: int) -> str:
    """12 lower-case hex digits, the form the API returns."""
    return f"{value:012x}"


def parse_ipv4(text: object, field: str) -> int:
    """A dotted-quad IPv4 address as an int; no shorthand forms ("10", "1.2.3")."""
    if not isinstance(text, str):
        raise InvalidIPAddress(f"{field}: {text!r} is not an IPv4 address")
    try:
        return int(netaddr.IPAddress(text, version=4, flags=netaddr.INET_PTON))
    except (netaddr.AddrFormatError, ValueError):
        raise InvalidIPAddress(f"{field}: {text!r} is not an IPv4 address") from None


def format_ipv4(value: int) -> str:
    return str(netaddr.IPAddress(value, version=4))
