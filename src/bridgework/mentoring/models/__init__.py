"""Mentoring programs: behavior frameworks, enrollment, matching, the mentoring
relationship (agreement, sessions, notes, action items, practice plans,
introductions), assessments, feedback and network snapshots.

Who may read what is decided in :mod:`bridgework.accounts.policies` and
applied by :mod:`bridgework.mentoring.selectors`; writes go through
:mod:`bridgework.mentoring.services`. In short: a pair sees its own
relationship (each side's private notes stay with their author); the mentee
decides whether the mentor sees their network metrics; program managers see
progress (counts, cadence, ratings, aggregate network growth), never notes;
a peer asked for an assessment sees only that assessment's form.

One module per topic; every model is imported here, so Django's app registry
finds them all, and the rest of the code imports them from here (``from
bridgework.mentoring.models import Program``):

=================  ================================================================
module             holds
=================  ================================================================
``frameworks``     :class:`BehaviorFramework` and its frozen :class:`FrameworkVersion`
``programs``       :class:`Program`, :class:`Enrollment`, :class:`MeetingFormat`,
                   the limits :data:`MAX_CADENCE_DAYS` and :data:`MAX_CAPACITY`
``matching``       :class:`MatchingRun`, :class:`ProposedMatch`, :class:`MatchOverride`
``relationships``  :class:`MentoringRelationship`, its :class:`Agreement`
                   (:data:`DEFAULT_CONFIDENTIALITY`) and :class:`FitCheck`
                   (:data:`FIT_CHECK_AFTER_SESSIONS`)
``sessions``       :class:`MentoringSession`, :class:`SessionNote`,
                   :class:`SessionFeedback`
``pair_work``      :class:`ActionItem`, :class:`PracticePlan`,
                   :class:`RelationshipIntroduction`
``assessments``    :class:`Assessment`, :class:`AssessmentRating`
``snapshots``      :class:`NetworkSnapshot`
=================  ================================================================

The modules import each other directly, never this package.
"""

from bridgework.mentoring.models.assessments import Assessment, AssessmentRating
from bridgework.mentoring.models.frameworks import BehaviorFramework, FrameworkVersion
from bridgework.mentoring.models.matching import MatchingRun, MatchOverride, ProposedMatch
from bridgework.mentoring.models.pair_work import ActionItem, PracticePlan, RelationshipIntroduction
from bridgework.mentoring.models.programs import (
    MAX_CADENCE_DAYS,
    MAX_CAPACITY,
    Enrollment,
    MeetingFormat,
    Program,
)
from bridgework.mentoring.models.relationships import (
    DEFAULT_CONFIDENTIALITY,
    FIT_CHECK_AFTER_SESSIONS,
    Agreement,
    FitCheck,
    MentoringRelationship,
)
from bridgework.mentoring.models.sessions import MentoringSession, SessionFeedback, SessionNote
from bridgework.mentoring.models.snapshots import NetworkSnapshot

__all__ = [
    "FIT_CHECK_AFTER_SESSIONS",
    "MAX_CADENCE_DAYS",
    "MAX_CAPACITY",
    "DEFAULT_CONFIDENTIALITY",
    "MeetingFormat",
    "BehaviorFramework",
    "FrameworkVersion",
    "Program",
    "Enrollment",
    "MatchingRun",
    "ProposedMatch",
    "MatchOverride",
    "MentoringRelationship",
    "Agreement",
    "MentoringSession",
    "SessionNote",
    "SessionFeedback",
    "FitCheck",
    "ActionItem",
    "PracticePlan",
    "RelationshipIntroduction",
    "Assessment",
    "AssessmentRating",
    "NetworkSnapshot",
]
