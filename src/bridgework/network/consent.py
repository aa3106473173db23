"""The network app's part of a change of analytics consent (:mod:`bridgework.people.consent`).

Reads hide someone who withdrew at once (:func:`~bridgework.network.selectors.consented_ties`,
the tie graph of paths and expertise). This brings the stored ties in line
after the change commits: an incremental recomputation of the person's ties,
which deletes them on withdrawal (people without consent are left out) and
computes them again from the event store when consent is given back; the
nudges of everyone whose ties changed are refreshed with it. Registered by the
app's ``ready()``.

Consent can be switched back and forth from a profile page, so a recomputation
already waiting for the same person (or a full one) is not queued twice.
"""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction

from bridgework.network.models import TieRecompute
from bridgework.network.services import ties_recompute_start

__all__ = ["CONSENT_REASONS", "ties_recompute_for_consent"]

logger = logging.getLogger(__name__)

#: The ``reason`` of the recomputation a change of consent queues.
CONSENT_REASONS = {False: "consent withdrawn", True: "consent given"}


def ties_recompute_for_consent(person_id: int, consent: bool) -> None:
    """After the current transaction commits, queue a recomputation of ``person_id``'s ties."""
    transaction.on_commit(partial(_queue, person_id, CONSENT_REASONS[bool(consent)]))


def _queue(person_id: int, reason: str) -> None:
    # Runs after the commit: a failure to queue must never undo the change of consent,
    # which every read applies already; the next recomputation of their ties catches up.
    try:
        waiting = TieRecompute.objects.filter(status=TieRecompute.Status.QUEUED).only(
            "kind", "people"
        )
        if any(run.kind == TieRecompute.Kind.FULL or run.people == [person_id] for run in waiting):
            return
        ties_recompute_start(actor=None, full=False, people=[person_id], reason=reason)
    except Exception:
        logger.exception(
            "Could not queue the tie recomputation of person %s (%s)", person_id, reason
        )
