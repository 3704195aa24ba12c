"""The allocation model: aggregates, value objects, events and the errors they raise.

Pure Python plus ``eventsourcing.domain`` and ``netaddr``: no HTTP, SQL or configuration.
"""
