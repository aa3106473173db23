"""The mentoring app's part of merging two people (see :mod:`bridgework.people.merge`).

What the dropped person did in mentoring becomes the kept person's:

* **enrollments** move; when both are enrolled in the same program in the
  same role, the two enrollments become one: the kept person's stays (active
  if either was), and what hung on the dropped person's (relationships,
  assessments, matching proposals and the manager's fixes and vetoes) moves
  to it;
* **relationships** (as mentee or mentor), **fit checks**, **session notes
  and feedback**, **action items**, **practice plans** naming them as the
  counterpart and **assessments** (as subject or assessor) move; mentors
  preferred or people excluded in enrollments point at the kept person;
* matching **proposals and fixes or vetoes that pair the two** with each
  other, or that would repeat one the kept person has, are deleted;
* **network snapshots** are derived: both people's are deleted and the
  nightly update computes the kept person's again.

A merge is refused, with a message saying what to do, where two rows
genuinely conflict: the two are mentor and mentee of each other (one person
cannot mentor themself), both have a live mentor in the same program (a
mentee has one per program), one assessed the other, both wrote feedback or
a fit check on the same session or pairing, or both have the same assessment
of the same round in the same program.

The undo moves everything back and recreates what was deleted. Registered as
a :class:`~bridgework.people.merge.MergeStep` by the app's ``ready()``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import BigIntegerField, Case, F, Q, Value, When

from bridgework.mentoring.models import (
    ActionItem,
    Assessment,
    Enrollment,
    FitCheck,
    MatchOverride,
    MentoringRelationship,
    NetworkSnapshot,
    PracticePlan,
    ProposedMatch,
    SessionFeedback,
    SessionNote,
)
from bridgework.people.merge import MergeStep, restore_rows, serialize_rows
from bridgework.people.models import Person

__all__ = ["MENTORING"]

_LIVE = (MentoringRelationship.Status.REQUESTED, MentoringRelationship.Status.ACTIVE)

#: ``(snapshot key, model, field)``: rows that simply move from the dropped person.
_MOVED: tuple[tuple[str, Any, str], ...] = (
    ("mentoring_as_mentee", MentoringRelationship, "mentee"),
    ("mentoring_as_mentor", MentoringRelationship, "mentor"),
    ("mentoring_fit_checks", FitCheck, "author"),
    ("mentoring_notes", SessionNote, "author"),
    ("mentoring_feedback", SessionFeedback, "author"),
    ("mentoring_action_items", ActionItem, "owner"),
    ("mentoring_practice_counterpart", PracticePlan, "counterpart"),
)
#: Many-to-many fields of an enrollment that hold people.
_PEOPLE_LISTS = ("preferred_mentors", "excluded_people")


# ---- Refusals ---------------------------------------------------------------------------


def _refuse_conflicts(keep: Person, drop: Person) -> None:
    both = Q(mentee=keep, mentor=drop) | Q(mentee=drop, mentor=keep)
    pairing = MentoringRelationship.objects.filter(both).select_related("program").first()
    if pairing is not None:
        raise ValidationError(
            f"{pairing.mentor} mentors {pairing.mentee} in {pairing.program}: as one person they "
            f"would mentor themself, so they cannot be merged. If they are one person, the "
            f"pairing was a mistake: delete it in the admin first, then merge."
        )
    mine = {
        r.program_id: r
        for r in MentoringRelationship.objects.filter(mentee=keep, status__in=_LIVE).select_related(
            "mentor"
        )
    }
    for theirs in MentoringRelationship.objects.filter(
        mentee=drop, status__in=_LIVE, program_id__in=list(mine)
    ).select_related("program", "mentor"):
        raise ValidationError(
            f"{keep} and {drop} each have a mentor in {theirs.program} "
            f"({mine[theirs.program_id].mentor} and {theirs.mentor}); a mentee has one mentor "
            f"per program. End one of the two relationships first, then merge."
        )
    crossed = (
        Assessment.objects.filter(Q(subject=keep, assessor=drop) | Q(subject=drop, assessor=keep))
        .select_related("subject", "assessor", "enrollment__program")
        .first()
    )
    if crossed is not None:
        raise ValidationError(
            f"{crossed.assessor} gave {crossed.subject} a {crossed.get_kind_display().lower()} "
            f"assessment in {crossed.enrollment.program}: as one person that would be an "
            f"assessment of themself by someone else. Delete it in the admin first, then merge."
        )
    for model, parent, what in (
        (FitCheck, "relationship", "a fit check on the same pairing"),
        (SessionFeedback, "session", "feedback on the same session"),
    ):
        theirs_too = model.objects.filter(
            author=drop, **{f"{parent}__in": model.objects.filter(author=keep).values(parent)}
        )
        if theirs_too.exists():
            raise ValidationError(
                f"{keep} and {drop} both wrote {what}, and each person writes one: delete one "
                f"of them in the admin first, then merge."
            )


def _assessment_keys(enrollment: Enrollment, *, keep: Person, drop: Person) -> dict[tuple, str]:
    """(assessor as merged, kind, round) of an enrollment's once-per-round assessments,
    each with its name in words."""
    keys = {}
    for assessor_id, kind, round_ in (
        Assessment.objects.filter(enrollment=enrollment)
        .exclude(round=Assessment.Round.CHECKIN)
        .values_list("assessor_id", "kind", "round")
    ):
        merged = keep.pk if assessor_id == drop.pk else assessor_id
        keys[(merged, kind, round_)] = (
            f"{Assessment.Kind(kind).label.lower()} assessment of the "
            f"{Assessment.Round(round_).label.lower()} round"
        )
    return keys


# ---- Enrollments -------------------------------------------------------------------------


def _pairs_the_two(keep: Person, drop: Person) -> Q:
    """Proposals and decisions pairing the two people with each other."""
    return Q(mentee__person=keep, mentor__person=drop) | Q(mentee__person=drop, mentor__person=keep)


def _combine(twin: Enrollment, gone: Enrollment, keep: Person, drop: Person) -> dict[str, Any]:
    """Fold the dropped person's enrollment ``gone`` into the kept person's ``twin``."""
    clash = set(_assessment_keys(twin, keep=keep, drop=drop)) & set(
        _assessment_keys(gone, keep=keep, drop=drop)
    )
    if clash:
        label = _assessment_keys(gone, keep=keep, drop=drop)[sorted(clash)[0]]
        raise ValidationError(
            f"{keep} and {drop} both have a {label} in {twin.program}, and there is one per "
            f"round: delete one of them in the admin first, then merge."
        )
    combined: dict[str, Any] = {"twin": twin.pk, "gone": gone.pk}
    relationships = MentoringRelationship.objects
    combined["as_mentee"] = list(
        relationships.filter(mentee_enrollment=gone).values_list("id", flat=True)
    )
    combined["as_mentor"] = list(
        relationships.filter(mentor_enrollment=gone).values_list("id", flat=True)
    )
    relationships.filter(pk__in=combined["as_mentee"]).update(mentee_enrollment=twin)
    relationships.filter(pk__in=combined["as_mentor"]).update(mentor_enrollment=twin)
    combined["assessments"] = list(
        Assessment.objects.filter(enrollment=gone).values_list("id", flat=True)
    )
    Assessment.objects.filter(pk__in=combined["assessments"]).update(enrollment=twin)

    deleted: list[Any] = []
    for side in ("mentee", "mentor"):
        matches: list[ProposedMatch] = []
        repeated: list[ProposedMatch] = []
        for match in ProposedMatch.objects.filter(**{side: gone}).order_by("id"):
            # One proposal per mentee in a run: the kept person's stays.
            repeat = side == "mentee" and (
                ProposedMatch.objects.filter(run_id=match.run_id, mentee=twin).exists()
            )
            (repeated if repeat else matches).append(match)
        ProposedMatch.objects.filter(pk__in=[m.pk for m in repeated]).delete()
        ProposedMatch.objects.filter(pk__in=[m.pk for m in matches]).update(**{side: twin})
        combined[f"proposedmatch_{side}"] = [m.pk for m in matches]
        deleted += repeated
    for side, other in (("mentee", "mentor"), ("mentor", "mentee")):
        overrides: list[MatchOverride] = []
        superseded: list[MatchOverride] = []
        for override in MatchOverride.objects.filter(**{side: gone}).order_by("id"):
            # One decision per pair, one fix per mentee: the kept person's stay.
            clashes = Q(**{side: twin, other: getattr(override, f"{other}_id")})
            if side == "mentee" and override.kind == MatchOverride.Kind.FIX:
                clashes |= Q(mentee=twin, kind=MatchOverride.Kind.FIX)
            clashing = MatchOverride.objects.filter(clashes, program_id=override.program_id)
            (superseded if clashing.exists() else overrides).append(override)
        MatchOverride.objects.filter(pk__in=[o.pk for o in superseded]).delete()
        MatchOverride.objects.filter(pk__in=[o.pk for o in overrides]).update(**{side: twin})
        combined[f"matchoverride_{side}"] = [o.pk for o in overrides]
        deleted += superseded
    combined["deleted"] = serialize_rows(deleted)

    # Active if either was; the undo withdraws it again with its old date.
    combined["reactivated"] = not twin.is_active and gone.is_active
    combined["withdrawn_at"] = twin.withdrawn_at.isoformat() if twin.withdrawn_at else None
    if combined["reactivated"]:
        Enrollment.objects.filter(pk=twin.pk).update(
            status=Enrollment.Status.ACTIVE, withdrawn_at=None
        )
    combined["row"] = serialize_rows([gone])[0]
    gone.delete()
    return combined


def _merge_enrollments(keep: Person, drop: Person) -> dict[str, Any]:
    pairing = [
        *ProposedMatch.objects.filter(_pairs_the_two(keep, drop)).order_by("id"),
        *MatchOverride.objects.filter(_pairs_the_two(keep, drop)).order_by("id"),
    ]
    snapshot: dict[str, Any] = {"mentoring_pairing_deleted": serialize_rows(pairing)}
    ProposedMatch.objects.filter(_pairs_the_two(keep, drop)).delete()
    MatchOverride.objects.filter(_pairs_the_two(keep, drop)).delete()
    twins = {(e.program_id, e.role): e for e in Enrollment.objects.filter(person=keep)}
    moved, combined = [], []
    for enrollment in Enrollment.objects.filter(person=drop).select_related("program"):
        twin = twins.get((enrollment.program_id, enrollment.role))
        if twin is None:
            moved.append(enrollment.pk)
        else:
            combined.append(_combine(twin, enrollment, keep, drop))
    Enrollment.objects.filter(pk__in=moved).update(person=keep)
    snapshot["mentoring_enrollments_moved"] = sorted(moved)
    snapshot["mentoring_enrollments_combined"] = combined
    return snapshot


def _undo_enrollments(keep: Person, drop: Person, snapshot: Mapping[str, Any]) -> int:
    skipped = 0
    Enrollment.objects.filter(
        pk__in=snapshot.get("mentoring_enrollments_moved", []), person=keep
    ).update(person=drop)
    for combined in snapshot.get("mentoring_enrollments_combined", []):
        if not restore_rows([_existing_people_only(combined["row"])]):
            skipped += 1 + len(combined["deleted"])
            continue
        gone, twin = combined["gone"], combined["twin"]
        relationships = MentoringRelationship.objects
        relationships.filter(pk__in=combined["as_mentee"], mentee_enrollment_id=twin).update(
            mentee_enrollment_id=gone
        )
        relationships.filter(pk__in=combined["as_mentor"], mentor_enrollment_id=twin).update(
            mentor_enrollment_id=gone
        )
        Assessment.objects.filter(pk__in=combined["assessments"], enrollment_id=twin).update(
            enrollment_id=gone
        )
        for side in ("mentee", "mentor"):
            ProposedMatch.objects.filter(
                pk__in=combined[f"proposedmatch_{side}"], **{f"{side}_id": twin}
            ).update(**{f"{side}_id": gone})
            MatchOverride.objects.filter(
                pk__in=combined[f"matchoverride_{side}"], **{f"{side}_id": twin}
            ).update(**{f"{side}_id": gone})
        skipped += len(combined["deleted"]) - restore_rows(combined["deleted"])
        if combined["reactivated"]:
            Enrollment.objects.filter(pk=twin, status=Enrollment.Status.ACTIVE).update(
                status=Enrollment.Status.WITHDRAWN, withdrawn_at=combined["withdrawn_at"]
            )
    pairing = snapshot.get("mentoring_pairing_deleted", [])
    skipped += len(pairing) - restore_rows(pairing)
    return skipped


def _existing_people_only(row: dict) -> dict:
    """A serialized enrollment with its lists of people cut to those still in the directory."""
    fields = dict(row["fields"])
    for name in _PEOPLE_LISTS:
        ids = fields.get(name) or []
        fields[name] = list(Person.objects.filter(pk__in=ids).values_list("id", flat=True))
    return {**row, "fields": fields}


# ---- People named in enrollments ------------------------------------------------------------


def _merge_people_lists(keep: Person, drop: Person) -> dict[str, Any]:
    snapshot: dict[str, Any] = {}
    for name in _PEOPLE_LISTS:
        through = getattr(Enrollment, name).through
        moved: list[int] = []
        removed: list[int] = []
        for row in through.objects.filter(person=drop).select_related("enrollment").order_by("id"):
            repeat = (
                row.enrollment.person_id == keep.pk
                or through.objects.filter(enrollment_id=row.enrollment_id, person=keep).exists()
            )
            (removed if repeat else moved).append(row.enrollment_id)
        through.objects.filter(person=drop, enrollment_id__in=removed).delete()
        through.objects.filter(person=drop, enrollment_id__in=moved).update(person=keep)
        snapshot[f"mentoring_{name}"] = {"moved": moved, "removed": removed}
    return snapshot


def _undo_people_lists(keep: Person, drop: Person, snapshot: Mapping[str, Any]) -> None:
    for name in _PEOPLE_LISTS:
        through = getattr(Enrollment, name).through
        saved = snapshot.get(f"mentoring_{name}", {})
        through.objects.filter(person=keep, enrollment_id__in=saved.get("moved", [])).update(
            person=drop
        )
        present = Enrollment.objects.filter(pk__in=saved.get("removed", [])).values_list(
            "id", flat=True
        )
        for enrollment_id in present:
            through.objects.get_or_create(enrollment_id=enrollment_id, person=drop)


# ---- The step ------------------------------------------------------------------------------


def _either(when: When, field: str) -> Case:
    """``when`` applies, else the field keeps its value (person ids)."""
    return Case(when, default=F(field), output_field=BigIntegerField())


def _merge(keep: Person, drop: Person) -> dict[str, Any]:
    _refuse_conflicts(keep, drop)
    snapshot = _merge_enrollments(keep, drop)
    for key, model, field in _MOVED:
        ids = list(model.objects.filter(**{field: drop}).values_list("id", flat=True))
        model.objects.filter(pk__in=ids).update(**{field: keep})
        snapshot[key] = ids
    # Subject and assessor in one statement: a self-assessment is by its subject at all times.
    subject = list(Assessment.objects.filter(subject=drop).values_list("id", flat=True))
    assessor = list(Assessment.objects.filter(assessor=drop).values_list("id", flat=True))
    Assessment.objects.filter(pk__in=subject + assessor).update(
        subject=_either(When(pk__in=subject, then=Value(keep.pk)), "subject"),
        assessor=_either(When(pk__in=assessor, then=Value(keep.pk)), "assessor"),
    )
    snapshot["mentoring_assessment_subject"] = subject
    snapshot["mentoring_assessment_assessor"] = assessor
    snapshot.update(_merge_people_lists(keep, drop))
    # Derived: both people's measures change; the nightly update computes them again.
    snapshots = NetworkSnapshot.objects.filter(person__in=[keep, drop]).order_by("id")
    snapshot["mentoring_snapshots_deleted"] = serialize_rows(snapshots)
    snapshots.delete()
    return snapshot


def _undo(keep: Person, drop: Person, snapshot: Mapping[str, Any]) -> int:
    _undo_people_lists(keep, drop, snapshot)
    for key, model, field in _MOVED:
        model.objects.filter(pk__in=snapshot.get(key, []), **{field: keep}).update(**{field: drop})
    subject = snapshot.get("mentoring_assessment_subject", [])
    assessor = snapshot.get("mentoring_assessment_assessor", [])
    Assessment.objects.filter(pk__in=subject + assessor).update(
        subject=_either(When(pk__in=subject, subject=keep, then=Value(drop.pk)), "subject"),
        assessor=_either(When(pk__in=assessor, assessor=keep, then=Value(drop.pk)), "assessor"),
    )
    skipped = _undo_enrollments(keep, drop, snapshot)
    NetworkSnapshot.objects.filter(person=keep).delete()
    restore_rows(snapshot.get("mentoring_snapshots_deleted", []))
    return skipped


#: Moves enrollments, pairs, sessions' notes and feedback, assessments and action items.
MENTORING = MergeStep(
    name="mentoring",
    relations=frozenset(
        {
            (Enrollment, "person"),
            (Enrollment, "preferred_mentors"),
            (Enrollment, "excluded_people"),
            (NetworkSnapshot, "person"),
            (Assessment, "subject"),
            (Assessment, "assessor"),
        }
        | {(model, field) for _, model, field in _MOVED}
    ),
    merge=_merge,
    undo=_undo,
)
