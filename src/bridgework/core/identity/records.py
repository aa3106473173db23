"""Someone as a source names them: the record every importer yields and
identity resolution matches against the directory.

It lives here, below the importers (``core/ingest``), which re-export it from
``core.ingest.records``: the importers use identity rules (recognising
automated senders), and identity resolution must not depend on them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Identity"]


@dataclass(frozen=True, slots=True)
class Identity:
    """Someone as a source names them; any field may be empty.

    ``email`` is lower-cased. ``source_key`` is the source's own stable id for
    the person when it has one (``"slack:U024BE7LH"``, ``"viva:<guid>"``,
    ``"linkedin:<profile url>"``). ``automated`` marks distribution lists,
    no-reply and robot senders the importer recognised from the data itself
    (e.g. a ``List-Id`` header or a Slack bot).
    """

    email: str = ""
    name: str = ""
    source_key: str = ""
    organization: str = ""
    title: str = ""
    phones: tuple[str, ...] = ()
    extra_emails: tuple[str, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()
    automated: bool = False

    @property
    def emails(self) -> tuple[str, ...]:
        return tuple(e for e in (self.email, *self.extra_emails) if e)

    @property
    def is_empty(self) -> bool:
        return not (self.email or self.name or self.source_key or self.extra_emails)
