import pytest

from domain.addresses import format_ipv4, format_mac, parse_ipv4, parse_mac
from domain.errors import InvalidIPAddress, InvalidMacAddress


@pytest.mark.parametrize("text", ["52540028A533", "52:54:00:28:a5:33", "52-54-00-28-A5-33"])
def test_the_three_mac_spellings_give_one_address(text):
    assert format_mac(parse_mac(text, "mac_addr")) == "52540028a533"


@pytest.mark.parametrize(
    "text, why",
    [
        ("12345", "not a MAC"),
        ("5254.0028.a533", "not a MAC"),
        ("52540028A53", "not a MAC"),
        ("52540028A53G", "not a MAC"),
        ("000000000000", "all-zero"),
        ("01005e000001", "multicast"),
        ("ffffffffffff", "multicast"),
    ],
)
def test_bad_macs_are_refused_naming_the_field(text, why):
    with pytest.raises(InvalidMacAddress, match=f"vifs.eth0.mac_addr: .*{why}"):
        parse_mac(text, "vifs.eth0.mac_addr")


def test_ipv4_round_trip():
    assert format_ipv4(parse_ipv4("192.168.2.11", "ipv4_addr")) == "192.168.2.11"


@pytest.mark.parametrize("text", ["10", "1.2.3", "192.168.2.011", "192.168.2.256", "::1", " 1.2.3.4", 5])
def test_shorthand_and_malformed_ipv4_are_refused(text):
    with pytest.raises(InvalidIPAddress, match="ipv4_addr"):
        parse_ipv4(text, "ipv4_addr")
