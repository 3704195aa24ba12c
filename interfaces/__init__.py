"""Adapters to the outside: the Flask HTTP API and the command-line interface."""
