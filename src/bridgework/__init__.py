"""Bridgework: turn relationships into results."""

__version__ = "0.1.0"
