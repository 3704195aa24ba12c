"""Use cases: the custom-instance command, registrations, schedulers and queries.

Knows the domain and the event store's application API; knows nothing of HTTP.
"""
