"""Writes of the network app: recomputing ties, portfolio tiers, nudges and digests.

:func:`ties_recompute` turns the event store into stored :class:`~bridgework.network.models.Tie`
rows (``core.events.ties.aggregate_ties`` → ``core.relationships.strength.score_ties``),
then refreshes the nudges of the people whose ties changed
(``core.relationships.nudges.suggest_nudges``). The rest are small, keyword-only
services a person uses on their own portfolio and nudges.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from bridgework import jobs
from bridgework.accounts import policies
from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.core.errors import NotFoundError
from bridgework.core.events.ties import aggregate_ties
from bridgework.core.relationships.nudges import suggest_nudges
from bridgework.core.relationships.strength import StrengthWeights, TieScore, score_ties
from bridgework.eventstore import get_event_store
from bridgework.network.models import (
    MAX_CADENCE_DAYS,
    Nudge,
    PortfolioEntry,
    Tie,
    Tier,
    TieRecompute,
)
from bridgework.network.selectors import active_nudges, consented_ties
from bridgework.people.models import WORKFORCE_ENGAGEMENTS, EngagementType, Person, Relationship
from bridgework.web.links import site_url

__all__ = [
    "declared_closeness",
    "strength_weights",
    "RecomputeProgress",
    "ties_recompute",
    "ties_recompute_start",
    "ties_recompute_on_commit",
    "ties_recompute_after_import",
    "nudges_refresh",
    "nudge_owner_ids",
    "portfolio_set_tier",
    "nudge_dismiss",
    "nudge_snooze",
    "nudge_digest_send",
    "nudge_digests_send_all",
    "SNOOZE_DAYS",
]

logger = logging.getLogger(__name__)

#: Rows scored (and written) per batch; progress is reported after each.
BATCH = 2000
#: Progress is written to the database at most this often (seconds).
PROGRESS_INTERVAL = 0.5
#: What "Snooze" means on the pages: two weeks.
SNOOZE_DAYS = 14
#: Finished recomputations kept as history; older ones are deleted.
HISTORY_KEPT = 200
_ERROR_LIMIT = 500


@dataclasses.dataclass(frozen=True)
class RecomputeProgress:
    """What ``on_progress`` receives: a stage and pairs done of total."""

    stage: str  # "aggregating", "scoring", "writing", "nudges", "done"
    done: int
    total: int


# ---- Recomputation -----------------------------------------------------------------


def strength_weights() -> StrengthWeights:
    """The tie-strength formula as this deployment configures it (``TIE_WEIGHTS``,
    ``TIE_HALF_LIFE_DAYS``): the same for stored ties, snapshots and impact measures."""
    # BRIDGEWORK_TIE_WEIGHTS may set the half-life too; otherwise the setting of its own.
    configured = dict(getattr(settings, "TIE_WEIGHTS", {}) or {})
    configured.setdefault("half_life_days", settings.TIE_HALF_LIFE_DAYS)
    return StrengthWeights.from_mapping(configured)


def declared_closeness(people: list[int] | None) -> dict[tuple[int, int], int]:
    """Per unordered pair, the highest closeness either side declared."""
    rels = Relationship.objects.order_by()
    if people is not None:
        rels = rels.filter(Q(person_id__in=people) | Q(other_id__in=people))
    closeness: dict[tuple[int, int], int] = {}
    for a, b, value in rels.values_list("person_id", "other_id", "closeness"):
        if a == b:
            continue
        pair = (a, b) if a < b else (b, a)
        closeness[pair] = max(value, closeness.get(pair, 0))
    return closeness


def _utc(value) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(), tzinfo=dt.UTC)
    return None


def _json_safe(value):
    if isinstance(value, dt.datetime):
        return _utc(value).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value != value:  # NaN
        return None
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _consenting_rows(table, allowed: set[int]):
    """The aggregated rows whose two people both exist and consent to analytics."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if table.num_rows == 0:
        return table
    value_set = pa.array(sorted(allowed), type=pa.int64())
    mask = pc.and_(
        pc.is_in(table["person_a"].cast(pa.int64()), value_set=value_set),
        pc.is_in(table["person_b"].cast(pa.int64()), value_set=value_set),
    )
    return table.filter(mask)


def _progress_writer(
    run_id: int, forward: Callable[[RecomputeProgress], None] | None
) -> jobs.ThrottledProgress[RecomputeProgress]:
    """Progress to the caller on every batch, and to the run's row at most every
    ``PROGRESS_INTERVAL`` seconds, so the page polling it sees the work move."""

    def save(progress: RecomputeProgress) -> None:
        TieRecompute.objects.filter(pk=run_id).update(
            pairs_done=min(progress.done, progress.total), pairs_total=progress.total
        )

    return jobs.ThrottledProgress(save=save, interval=PROGRESS_INTERVAL, forward=forward)


def _claim(*, full: bool, people: list[int] | None, recompute_id: int | None, actor, reason):
    """The run to work on: a queued one (claimed atomically), or a new running one."""
    now = timezone.now()
    if recompute_id is None:
        return TieRecompute.objects.create(
            kind=TieRecompute.Kind.FULL if full else TieRecompute.Kind.INCREMENTAL,
            status=TieRecompute.Status.RUNNING,
            people=[] if full else people,
            reason=reason[:100],
            started_by=actor if actor is not None and actor.is_authenticated else None,
            started_at=now,
        ), True
    claimed = TieRecompute.objects.filter(
        pk=recompute_id, status=TieRecompute.Status.QUEUED
    ).update(status=TieRecompute.Status.RUNNING, started_at=now)
    try:
        return TieRecompute.objects.get(pk=recompute_id), bool(claimed)
    except TieRecompute.DoesNotExist:
        raise NotFoundError("Not found.") from None


def ties_recompute(
    *,
    full: bool,
    people: Iterable[int] | None = None,
    on_progress: Callable[[RecomputeProgress], None] | None = None,
    recompute_id: int | None = None,
    actor: User | None = None,
    reason: str = "",
    as_of: dt.datetime | None = None,
) -> TieRecompute:
    """Recompute stored ties from the event store, then refresh the affected nudges.

    ``full=True`` replaces every :class:`~bridgework.network.models.Tie`;
    otherwise the ties touching ``people`` (Person ids) are replaced. Ties are
    aggregated as of now with the ``TIE_HALF_LIFE_DAYS`` half-life, people who
    withdrew analytics consent (and ids no longer in the directory) are left
    out, so their ties drop, declared closeness (the higher of the two sides)
    joins the score, and ``TIE_WEIGHTS`` configures the formula.

    The old ties are replaced in one transaction, so readers see either the
    old or the new set. ``recompute_id`` runs a queued
    :class:`~bridgework.network.models.TieRecompute` (the task); otherwise a
    new one is recorded. Returns the run: succeeded with counts, or failed
    with one message (the stored ties are then unchanged). ``as_of`` (default:
    now) is the moment ties are computed for (the demo passes its own "today").
    """
    people_ids = None if full else sorted({int(p) for p in (people or ())})
    run, claimed = _claim(
        full=full, people=people_ids, recompute_id=recompute_id, actor=actor, reason=reason
    )
    if not claimed:
        return run
    if recompute_id is not None:
        full = run.kind == TieRecompute.Kind.FULL
        people_ids = None if full else sorted({int(p) for p in run.people})
    progress = _progress_writer(run.pk, on_progress)
    try:
        outcome = _recompute(full=full, people=people_ids, progress=progress, as_of=as_of)
    except Exception as exc:
        logger.exception("Tie recomputation #%s failed", run.pk)
        message = f"Recomputation failed: {type(exc).__name__}: {exc}".rstrip(": ")
        TieRecompute.objects.filter(pk=run.pk).update(
            status=TieRecompute.Status.FAILED,
            error=message[:_ERROR_LIMIT],
            finished_at=timezone.now(),
        )
        run.refresh_from_db()
        return run
    TieRecompute.objects.filter(pk=run.pk).update(
        status=TieRecompute.Status.SUCCEEDED,
        pairs_done=outcome["pairs"],
        pairs_total=outcome["pairs"],
        ties_written=outcome["written"],
        ties_deleted=outcome["deleted"],
        bands=outcome["bands"],
        nudges=outcome["nudges"],
        error=outcome["warning"][:_ERROR_LIMIT],
        finished_at=timezone.now(),
    )
    _prune_history()
    progress(
        RecomputeProgress(stage="done", done=outcome["pairs"], total=outcome["pairs"]), save=False
    )
    run.refresh_from_db()
    return run


def _recompute(
    *,
    full: bool,
    people: list[int] | None,
    progress: jobs.ThrottledProgress[RecomputeProgress],
    as_of: dt.datetime | None,
) -> dict:
    if not full and not people:
        return {"pairs": 0, "written": 0, "deleted": 0, "bands": {}, "nudges": 0, "warning": ""}
    as_of = as_of or timezone.now()
    weights = strength_weights()
    progress(RecomputeProgress(stage="aggregating", done=0, total=0), save=False)
    table = aggregate_ties(
        get_event_store(), as_of=as_of, half_life_days=weights.half_life_days, people=people
    )
    allowed = set(Person.objects.filter(analytics_consent=True).values_list("id", flat=True))
    table = _consenting_rows(table, allowed)
    closeness = {
        pair: value
        for pair, value in declared_closeness(people).items()
        if pair[0] in allowed and pair[1] in allowed
    }
    # A declared tie is a tie even without any contact: those pairs are scored
    # from the declaration alone, after the pairs with events.
    with_events = set(
        zip(table["person_a"].to_pylist(), table["person_b"].to_pylist(), strict=True)
    )
    declared_only = {pair: value for pair, value in closeness.items() if pair not in with_events}
    total = table.num_rows + len(declared_only)
    ties: list[Tie] = []
    for offset in range(0, table.num_rows, BATCH):
        rows = table.slice(offset, BATCH).to_pylist()
        by_pair = {(int(r["person_a"]), int(r["person_b"])): r for r in rows}
        chunk_closeness = {pair: closeness[pair] for pair in by_pair if pair in closeness}
        for score in score_ties(rows, as_of=as_of, weights=weights, closeness=chunk_closeness):
            pair = (int(score.person_a), int(score.person_b))
            ties.append(_tie_from(score, by_pair[pair], closeness.get(pair), as_of))
        progress(RecomputeProgress(stage="scoring", done=offset + len(rows), total=total))
    for score in score_ties([], as_of=as_of, weights=weights, closeness=declared_only):
        pair = (int(score.person_a), int(score.person_b))
        ties.append(_tie_from(score, {}, closeness.get(pair), as_of))
    progress(RecomputeProgress(stage="scoring", done=total, total=total))
    progress(RecomputeProgress(stage="writing", done=total, total=total), save=False)
    deleted, affected = _replace_ties(ties, full=full, people=people)
    for tie in ties:
        affected.update((tie.person_a_id, tie.person_b_id))
    progress(RecomputeProgress(stage="nudges", done=total, total=total), save=False)
    owners = nudge_owner_ids()
    nudges, warning = 0, ""
    try:
        nudges = nudges_refresh(
            owners if full else [o for o in owners if o in affected], today=as_of.date()
        )
    except Exception as exc:
        # The new ties are stored and stand; stale nudges are refreshed next time.
        logger.exception("Nudges could not be refreshed after the tie recomputation")
        warning = f"Ties written, but nudges could not be refreshed: {type(exc).__name__}: {exc}"
    return {
        "pairs": total,
        "written": len(ties),
        "deleted": deleted,
        "bands": dict(Counter(t.band for t in ties)),
        "nudges": nudges,
        "warning": warning,
    }


def _replace_ties(ties: list[Tie], *, full: bool, people: list[int] | None) -> tuple[int, set]:
    """Swap the old ties for the new in one transaction; returns the number
    deleted and the people whose old ties were replaced.

    Two recomputations may overlap (the worker runs tasks side by side). Where
    the database lets a delete miss rows another run has just committed
    (PostgreSQL's read committed), the insert then meets them: the swap is
    simply done once more, now seeing them.
    """
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                old = Tie.objects.all() if full else _ties_touching(people or ())
                affected = set(people or ())
                if not full:
                    for a, b in old.values_list("person_a_id", "person_b_id"):
                        affected.update((a, b))
                deleted, _ = old.delete()
                Tie.objects.bulk_create(ties, batch_size=BATCH)
            return deleted, affected
        except IntegrityError:
            if attempt == 2:
                raise
            for tie in ties:
                tie.pk = None
    raise AssertionError("unreachable")


def _ties_touching(people: Iterable[int]):
    people = list(people)
    return Tie.objects.filter(Q(person_a_id__in=people) | Q(person_b_id__in=people))


def _tie_from(score, row: Mapping, closeness: int | None, as_of: dt.datetime) -> Tie:
    features = {k: _json_safe(v) for k, v in row.items()}
    return Tie(
        person_a_id=int(score.person_a),
        person_b_id=int(score.person_b),
        strength=min(1.0, max(0.0, float(score.strength))),
        band=score.band,
        trend=score.trend,
        explanation=str(score.explanation)[:500],
        first_contact=_utc(row.get("first_contact")),
        last_contact=_utc(getattr(score, "last_contact", None) or row.get("last_contact")),
        events=int(row.get("events") or 0),
        closeness=closeness,
        features=features,
        components=_json_safe(dict(getattr(score, "components", {}) or {})),
        computed_at=as_of,
    )


def _prune_history() -> None:
    keep = list(
        TieRecompute.objects.order_by("-created_at", "-id").values_list("id", flat=True)[
            :HISTORY_KEPT
        ]
    )
    if len(keep) == HISTORY_KEPT:
        TieRecompute.objects.filter(
            status__in=[TieRecompute.Status.SUCCEEDED, TieRecompute.Status.FAILED]
        ).exclude(pk__in=keep).delete()


# ---- Starting recomputations ---------------------------------------------------------


def ties_recompute_start(
    *, actor: User | None, full: bool = True, people: Iterable[int] | None = None, reason: str = ""
) -> TieRecompute:
    """Queue a recomputation for the task worker (admins and people analysts;
    ``actor=None`` is the system). A full one already waiting is reused."""
    if actor is not None and not policies.can_manage_people(actor):
        raise NotFoundError("Not found.")
    people_ids = None if full else sorted({int(p) for p in (people or ())})
    if not full and not people_ids:
        raise ValidationError({"people": "Name the people whose ties to recompute."})
    if full:
        waiting = TieRecompute.objects.filter(
            kind=TieRecompute.Kind.FULL, status=TieRecompute.Status.QUEUED
        ).first()
        if waiting is not None:
            return waiting
    with transaction.atomic():
        run = TieRecompute.objects.create(
            kind=TieRecompute.Kind.FULL if full else TieRecompute.Kind.INCREMENTAL,
            people=[] if full else people_ids,
            reason=(reason or ("requested" if actor else "system"))[:100],
            started_by=actor if actor is not None and actor.is_authenticated else None,
        )
        if actor is not None:
            audit_record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                object_type="ties",
                object_id=run.pk,
                detail={"recompute": run.kind, "people": len(run.people)},
            )
        transaction.on_commit(partial(_enqueue, run.pk))
    return run


def _enqueue(recompute_id: int) -> None:
    try:
        jobs.enqueue("network.ties_recompute", recompute_id=recompute_id)
    except Exception:
        logger.exception("Could not queue tie recomputation #%s", recompute_id)


def _start_quietly(*, full: bool, people: list[int] | None, reason: str) -> None:
    # Runs after a commit: a failure to queue must never break the write that triggered it.
    try:
        ties_recompute_start(actor=None, full=full, people=people, reason=reason)
    except Exception:
        logger.exception("Could not start a tie recomputation (%s)", reason)


def ties_recompute_on_commit(*, people: Iterable[int], reason: str = "interaction") -> None:
    """After the current transaction commits, recompute the ties of these people
    (a logged, changed or deleted interaction). ``people`` is read now."""
    people_ids = sorted({int(p) for p in people})
    if people_ids:
        transaction.on_commit(partial(_start_quietly, full=False, people=people_ids, reason=reason))


def ties_recompute_after_import(run) -> None:
    """After a successful import, recompute all ties (imports touch many people).

    Demo imports are skipped: ``demo_load`` recomputes once at its end.
    """
    if getattr(run, "origin", None) == "demo":
        return
    transaction.on_commit(
        partial(_start_quietly, full=True, people=None, reason=f"import #{run.pk}")
    )


# ---- Nudges ----------------------------------------------------------------------------


def nudge_owner_ids() -> list[int]:
    """People who get nudges: those with an active login."""
    return sorted(
        User.objects.filter(is_active=True, person__isnull=False).values_list(
            "person_id", flat=True
        )
    )


def _contact_group(person: Mapping) -> str:
    """Our people by team; everyone else by organization (or, without one, by
    engagement type: "Alumni", "External contact")."""
    engagement = person["engagement_type"]
    if engagement in WORKFORCE_ENGAGEMENTS and person["team__name"]:
        return person["team__name"]
    if engagement == EngagementType.ALUMNI:
        return EngagementType.ALUMNI.label
    if person["organization__name"]:
        return person["organization__name"]
    return dict(EngagementType.choices).get(engagement, "Other")


def _score_from(tie: Tie):
    """The :class:`TieScore` a stored tie was written from."""
    known = {
        "person_a": tie.person_a_id,
        "person_b": tie.person_b_id,
        "strength": tie.strength,
        "band": tie.band,
        "trend": tie.trend,
        "explanation": tie.explanation,
        "last_contact": tie.last_contact,
        "first_contact": tie.first_contact,
        "events": tie.events,
        "closeness": tie.closeness,
        "components": dict(tie.components or {}),
        "features": dict(tie.features or {}),
    }
    values: dict[str, Any] = {}
    for f in dataclasses.fields(TieScore):
        if not f.init:
            continue
        if f.name in known:
            values[f.name] = known[f.name]
        elif f.name in (tie.features or {}):
            values[f.name] = tie.features[f.name]
        elif f.name in (tie.components or {}):
            values[f.name] = tie.components[f.name]
    return TieScore(**values)


def nudges_refresh(owner_ids: Iterable[int] | None = None, *, today: dt.date | None = None) -> int:
    """Bring the nudges of these owners (default: everyone with a login) up to date.

    New suggestions are added, existing ones updated (reason, priority); a
    dismissed nudge stays dismissed and a snoozed one stays hidden until its
    date while it still applies. Undismissed nudges that no longer apply are
    deleted, and so are dismissed ones (if the same thing happens again later,
    that is news worth a new nudge). Returns the number of active nudges.
    """
    owners = sorted(set(nudge_owner_ids() if owner_ids is None else owner_ids))
    today = today or timezone.now().date()
    now = timezone.now()
    active = 0
    for start in range(0, len(owners), 500):
        chunk = owners[start : start + 500]
        ties_by_owner: dict[int, list[Tie]] = defaultdict(list)
        chunk_set = set(chunk)
        for tie in (
            consented_ties().filter(Q(person_a_id__in=chunk) | Q(person_b_id__in=chunk)).order_by()
        ):
            for end in (tie.person_a_id, tie.person_b_id):
                if end in chunk_set:
                    ties_by_owner[end].append(tie)
        entries: dict[int, list[PortfolioEntry]] = defaultdict(list)
        for entry in PortfolioEntry.objects.filter(owner_id__in=chunk).order_by():
            entries[entry.owner_id].append(entry)
        wanted = set(chunk)
        for owner in chunk:
            wanted.update(t.other_id(owner) for t in ties_by_owner[owner])
        people = {
            row["id"]: row
            for row in Person.objects.filter(pk__in=wanted).values(
                "id", "engagement_type", "team__name", "organization__name"
            )
        }
        existing: dict[int, dict[tuple[int, str], Nudge]] = defaultdict(dict)
        for stored in Nudge.objects.filter(owner_id__in=chunk).order_by():
            existing[stored.owner_id][(stored.other_id, stored.kind)] = stored
        to_create: list[Nudge] = []
        to_update: list[Nudge] = []
        to_delete: list[int] = []
        for owner in chunk:
            if owner not in people:
                continue
            scores = [_score_from(t) for t in ties_by_owner[owner]]
            tiers = {e.other_id: e.tier for e in entries[owner]}
            cadence = {e.other_id: e.cadence_days for e in entries[owner] if e.cadence_days}
            groups = {
                t.other_id(owner): _contact_group(people[t.other_id(owner)])
                for t in ties_by_owner[owner]
                if t.other_id(owner) in people
            }
            suggestions = suggest_nudges(
                owner_id=owner,
                scores=scores,
                tiers=tiers,
                cadence_days=cadence,
                groups=groups,
                owner_group=_contact_group(people[owner]),
                today=today,
            )
            seen = set()
            for s in suggestions:
                key = (int(s.other_id), str(s.kind))
                if key in seen or key[0] == owner:
                    continue
                seen.add(key)
                nudge = existing[owner].get(key)
                if nudge is None:
                    nudge = Nudge(owner_id=owner, other_id=key[0], kind=key[1])
                    to_create.append(nudge)
                else:
                    to_update.append(nudge)
                nudge.reason = str(s.reason)[:500]
                nudge.priority = float(s.priority)
                nudge.due_since = getattr(s, "due_since", None)
                nudge.updated_at = now
                if nudge.is_active(now=now):
                    active += 1
            to_delete.extend(n.pk for key, n in existing[owner].items() if key not in seen)
        with transaction.atomic():
            Nudge.objects.filter(pk__in=to_delete).delete()
            Nudge.objects.bulk_create(to_create, batch_size=BATCH)
            Nudge.objects.bulk_update(
                to_update, ["reason", "priority", "due_since", "updated_at"], batch_size=BATCH
            )
    return active


# ---- A person's own portfolio and nudges -----------------------------------------------


def _own_person_id(actor: User) -> int:
    if actor is None or not actor.is_authenticated or actor.person_id is None:
        raise NotFoundError("Not found.")
    return actor.person_id


@transaction.atomic
def portfolio_set_tier(
    *,
    actor: User,
    other: Person,
    tier: str | None,
    cadence_days: int | None = None,
    note: str | None = None,
) -> PortfolioEntry | None:
    """Put someone in a tier of the actor's own portfolio (``tier=None``: out of it).

    ``cadence_days`` overrides the tier's default cadence (empty: the default);
    ``note`` (only the actor reads it) stays as it was when ``None``. Only ever
    the actor's own portfolio. Refreshes the actor's nudges.
    """
    owner_id = _own_person_id(actor)
    if other is None or other.pk == owner_id:
        raise ValidationError({"other": "Your portfolio holds other people, not yourself."})
    if tier in ("", "none"):
        tier = None
    if tier is not None and tier not in Tier.values:
        raise ValidationError(
            {"tier": f"Choose a tier: {', '.join(Tier.values)} (or none to remove it)."}
        )
    if cadence_days is not None and not 1 <= int(cadence_days) <= MAX_CADENCE_DAYS:
        raise ValidationError(
            {"cadence_days": f"Choose a cadence from 1 to {MAX_CADENCE_DAYS} days."}
        )
    note = None if note is None else note.strip()
    if note is not None and len(note) > 500:
        raise ValidationError({"note": "Keep the note under 500 characters."})
    entry = PortfolioEntry.objects.filter(owner_id=owner_id, other=other).first()
    if tier is None:
        if entry is not None:
            entry.delete()
        entry = None
    else:
        entry = entry or PortfolioEntry(owner_id=owner_id, other=other)
        entry.tier = tier
        entry.cadence_days = cadence_days
        if note is not None:
            entry.note = note
        entry.full_clean()
        entry.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE if entry else AuditEntry.Action.DELETE,
        object_type="portfolio_entry",
        object_id=other.pk,
        subject_person_id=other.pk,
        detail={"tier": tier, "cadence_days": cadence_days},
    )
    nudges_refresh([owner_id])
    return entry


def _own_nudge(actor: User, nudge: Nudge) -> Nudge:
    owner_id = _own_person_id(actor)
    if nudge is None or nudge.owner_id != owner_id:
        raise NotFoundError("Not found.")
    return nudge


@transaction.atomic
def nudge_dismiss(*, actor: User, nudge: Nudge) -> Nudge:
    """Dismiss one of the actor's own nudges: it stays dismissed while it applies."""
    nudge = _own_nudge(actor, nudge)
    nudge.dismissed_at = timezone.now()
    nudge.save(update_fields=["dismissed_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="nudge",
        object_id=nudge.pk,
        subject_person_id=nudge.other_id,
        detail={"dismissed": True},
    )
    return nudge


@transaction.atomic
def nudge_snooze(*, actor: User, nudge: Nudge, until: dt.datetime | dt.date | None = None) -> Nudge:
    """Hide one of the actor's own nudges until ``until`` (default: two weeks from now)."""
    nudge = _own_nudge(actor, nudge)
    now = timezone.now()
    if until is None:
        until = now + dt.timedelta(days=SNOOZE_DAYS)
    elif not isinstance(until, dt.datetime):
        until = dt.datetime.combine(until, dt.time(), tzinfo=dt.UTC)
    elif until.tzinfo is None:
        raise ValidationError({"until": "Give the time with its time zone."})
    if until <= now:
        raise ValidationError({"until": "Snooze until a moment in the future."})
    if until > now + dt.timedelta(days=366):
        raise ValidationError({"until": "Snooze for at most a year (or dismiss the nudge)."})
    nudge.snoozed_until = until
    nudge.save(update_fields=["snoozed_until", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="nudge",
        object_id=nudge.pk,
        subject_person_id=nudge.other_id,
        detail={"snoozed_until": until.isoformat()},
    )
    return nudge


# ---- The weekly digest -----------------------------------------------------------------


def nudge_digest_send(*, owner: Person, dry_run: bool = False) -> int:
    """E-mail the owner their active nudges (plain text and HTML) at their primary address.

    Returns the number of nudges in the digest; nothing is sent (0) when there
    are none or the person has no e-mail address. ``dry_run`` counts only.
    """
    now = timezone.now()
    address = owner.primary_email
    nudges = list(active_nudges(owner.pk, now=now))
    if not nudges or not address:
        return 0
    if dry_run:
        return len(nudges)
    context = {
        "owner": owner,
        "nudges": nudges,
        "portfolio_url": f"{site_url()}/network/",
        "week_of": now.date(),
    }
    message = EmailMultiAlternatives(
        subject=f"Bridgework: {len(nudges)} relationship{'s' if len(nudges) != 1 else ''} "
        "to look after this week",
        body=render_to_string("network/email/digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
    )
    message.attach_alternative(render_to_string("network/email/digest.html", context), "text/html")
    message.send()
    audit_record(
        actor=None,
        action=AuditEntry.Action.CREATE,
        object_type="nudge_digest",
        subject_person_id=owner.pk,
        detail={"nudges": len(nudges)},
    )
    return len(nudges)


def nudge_digests_send_all(*, dry_run: bool = False) -> dict[int, int]:
    """Send the weekly digest to everyone with a login and active nudges.

    Returns ``{person id: nudges sent}`` for those who got (or, with
    ``dry_run``, would get) one.
    """
    sent: dict[int, int] = {}
    for owner in Person.objects.filter(pk__in=nudge_owner_ids()).prefetch_related("emails"):
        count = nudge_digest_send(owner=owner, dry_run=dry_run)
        if count:
            sent[owner.pk] = count
    return sent
