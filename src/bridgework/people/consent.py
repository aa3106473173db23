"""Consent to analytics: the one home for who is part of the network analytics.

A person's ``analytics_consent`` decides whether their ties, network metrics,
paths and expertise reach are part of analytics. It takes effect in two ways:

* **at once, in every read**: reads check consent when they run, never a copy
  taken earlier (:func:`bridgework.network.selectors.consented_ties` for ties,
  the tie graph of paths and expertise, the analysis selectors for a stored
  run's people, the impact measures), using :func:`withdrawn_ids` where they
  need the set;
* **in the stored results, soon after**: a change of consent goes through
  :func:`bridgework.people.services.person_update` (the profile page, the API,
  a person themself or a people manager), which calls :func:`consent_changed`
  inside its transaction. ``people`` sits below the apps that store derived
  rows and must not import them, so each registers a listener here from its
  ``AppConfig.ready()`` (the network app queues a recomputation of the
  person's ties after the commit: withdrawal deletes them, renewed consent
  computes them again from the event store).

Group aggregates of a stored network analysis (leaders' views) change with the
next analysis run; they never name anyone and stay under disclosure control.
"""

from __future__ import annotations

from collections.abc import Callable

from bridgework.people.models import Person

__all__ = [
    "ConsentListener",
    "consent_changed",
    "consent_listener_register",
    "consents",
    "withdrawn_ids",
]

#: ``listener(person_id, consent)``: called inside the transaction that changed it.
ConsentListener = Callable[[int, bool], None]

_LISTENERS: dict[str, ConsentListener] = {}


def consent_listener_register(name: str, listener: ConsentListener) -> ConsentListener:
    """Call ``listener`` whenever someone's analytics consent changes (from an
    app's ``AppConfig.ready``); registering a name again replaces it."""
    _LISTENERS[name] = listener
    return listener


def consent_changed(*, person_id: int, consent: bool) -> None:
    """Tell every registered app that ``person_id`` gave (``True``) or withdrew
    (``False``) consent. Called by the services that change it, inside their
    transaction; listeners defer their work until it commits."""
    for listener in _LISTENERS.values():
        listener(person_id, consent)


def withdrawn_ids() -> frozenset[int]:
    """The people who do not consent to analytics, read now."""
    return frozenset(
        Person.objects.filter(analytics_consent=False).order_by().values_list("id", flat=True)
    )


def consents(person_id: int) -> bool | None:
    """Whether this person consents to analytics now (``None``: no such person)."""
    return Person.objects.filter(pk=person_id).values_list("analytics_consent", flat=True).first()
