"""Columns of the event store, as Arrow schemas.

``events`` — one row per touchpoint from any source:

================  ==============  =================================================
column            type            meaning
================  ==============  =================================================
source            string          ``mbox``, ``ics``, ``slack``, ``app`` (logged in Bridgework), ...
external_id       string          the source's id; ``(source, external_id)`` is unique
occurred_at       timestamp UTC   when it happened
channel           string          email, meeting, call, chat, introduction, other
sender_id         int64, null     Person id of the sender or organizer
recipient_ids     list<int64>     Person ids of recipients or attendees (never the sender)
direction         string          ``one_way`` (message) or ``two_way`` (everyone met)
is_group          bool            more than one recipient
duration_minutes  int32, null     meetings and calls
reply_to          string, null    external id of the event this answers
thread_id         string, null    conversation / meeting series
import_id         string, null    the import that wrote the row (``app`` rows: none)
================  ==============  =================================================

``source_ties`` — ties a source scored itself (Viva Insights person-to-person):
source, external_id, person_a, person_b, observed_on, metrics (JSON object of
name -> number), import_id.

Message bodies and subjects have no column: they are never stored.
"""

from __future__ import annotations

import pyarrow as pa

__all__ = ["EVENT_SCHEMA", "TIE_SCHEMA", "EVENT_COLUMNS", "TIE_COLUMNS"]

EVENT_SCHEMA = pa.schema(
    [
        pa.field("source", pa.string(), nullable=False),
        pa.field("external_id", pa.string(), nullable=False),
        pa.field("occurred_at", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("channel", pa.string(), nullable=False),
        pa.field("sender_id", pa.int64()),
        pa.field("recipient_ids", pa.list_(pa.int64()), nullable=False),
        pa.field("direction", pa.string(), nullable=False),
        pa.field("is_group", pa.bool_(), nullable=False),
        pa.field("duration_minutes", pa.int32()),
        pa.field("reply_to", pa.string()),
        pa.field("thread_id", pa.string()),
        pa.field("import_id", pa.string()),
    ]
)
EVENT_COLUMNS = tuple(EVENT_SCHEMA.names)

TIE_SCHEMA = pa.schema(
    [
        pa.field("source", pa.string(), nullable=False),
        pa.field("external_id", pa.string(), nullable=False),
        pa.field("person_a", pa.int64(), nullable=False),
        pa.field("person_b", pa.int64(), nullable=False),
        pa.field("observed_on", pa.date32()),
        pa.field("metrics", pa.string()),
        pa.field("import_id", pa.string()),
    ]
)
TIE_COLUMNS = tuple(TIE_SCHEMA.names)
