"""Settings: the shipped defaults, overlaid by the operator's TOML file, then by flags."""

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from application.instances import AllocationRules
from application.schedulers import Schedulers


class ConfigError(Exception):
    """A setting is unknown or has the wrong type; the message names it."""


@dataclass(frozen=True)
class Settings:
    store: str
    postgres: dict[str, Any]
    port: int
    workers: int
    threads: int
    data_dir: Path
    sqlite_lock_timeout: int
    aggregate_cache_size: int
    view_poll_interval: float
    schedulers: Schedulers
    rules: AllocationRules


def _defaults() -> dict[str, dict[str, Any]]:
    text = resources.files("infrastructure").joinpath("default_config.toml").read_text()
    return tomllib.loads(text)


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """``overrides`` are flat keys (``port=9002``, ``data_dir=...``); None means unset."""
    values = _defaults()
    if config_file is not None:
        try:
            custom = tomllib.loads(Path(config_file).read_text())
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise ConfigError(f"{config_file}: {error}") from None
        _overlay(values, custom)
    # Setting names are unique across sections, but for [postgres], which is kept whole.
    flat = {
        key: value for name, section in values.items() if name != "postgres" for key, value in section.items()
    }
    flat.update({key: value for key, value in overrides.items() if value is not None})
    try:
        built = Schedulers.by_name(
            network=flat["network"],
            mac_address=flat["mac_address"],
            host_node=flat["host_node"],
            host_node_sort_by=flat["host_node_sort_by"],
        )
    except ValueError as error:
        raise ConfigError(str(error)) from None
    return Settings(
        store=_store_kind(flat["kind"]),
        postgres=values["postgres"],
        port=int(flat["port"]),
        workers=int(flat["workers"]),
        threads=int(flat["threads"]),
        data_dir=Path(flat["data_dir"]),
        sqlite_lock_timeout=int(flat["sqlite_lock_timeout"]),
        aggregate_cache_size=int(flat["aggregate_cache_size"]),
        view_poll_interval=float(flat["view_poll_interval"]),
        schedulers=built,
        rules=AllocationRules(
            manual_ip_must_be_in_dhcp_range=flat["manual_ip_must_be_in_dhcp_range"],
            manual_mac_must_be_in_mac_range=flat["manual_mac_must_be_in_mac_range"],
        ),
    )


def _store_kind(kind: str) -> str:
    if kind not in ("sqlite", "postgres"):
        raise ConfigError(f"store.kind: {kind!r} must be 'sqlite' or 'postgres'")
    return kind


def _overlay(defaults: dict[str, dict[str, Any]], custom: dict[str, Any]) -> None:
    """Refuses unknown sections and keys, and values of another type than the default."""
    for section, entries in custom.items():
        if section not in defaults or not isinstance(entries, dict):
            raise ConfigError(f"[{section}]: unknown section (known: {', '.join(defaults)})")
        for key, value in entries.items():
            if key not in defaults[section]:
                raise ConfigError(f"{section}.{key}: unknown setting")
            expected = type(defaults[section][key])
            if type(value) is not expected:
                raise ConfigError(f"{section}.{key}: {value!r} must be a {expected.__name__}")
            defaults[section][key] = value
