"""The event store: one stream of touchpoints from every source.

Only this package speaks DuckDB (and, later, Spark); everything else goes
through :class:`~bridgework.core.events.store.EventStore`.
"""
