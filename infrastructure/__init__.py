"""Persistence settings, read models that follow the event log, configuration loading."""
