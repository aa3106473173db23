"""Reads of the mentoring app, always on behalf of a viewer, one module per topic:

======================  ========================================================================
module                  holds
======================  ========================================================================
``frameworks``          behavior frameworks and their versions
``programs``            programs and enrollment: lists, one program, who is enrolled
``matching``            the program manager's review of a proposal; a mentee's suggestions
``relationships``       relationships, sessions, notes, action items, practice plans
``assessments``         one assessment; the assessments waiting for the viewer
``progress``            behavior progress over the assessment rounds
``network``             the mentee's network change (stored snapshots only) and
                        whether a mentor may see it
``overdue``             overdue items of people (home page, reminder e-mails)
``relationship_page``   everything the relationship page shows, by the viewer's side
``home``                the mentoring home page
``dashboard``           the program dashboard and report
``_common``             helpers the modules share ("not found" lookups, the agreed
                        cadence, the at-risk rules applied to a stored pair)
======================  ========================================================================

The rules (:mod:`bridgework.accounts.policies`):

* programs: everyone signed in sees active and finished programs; drafts,
  enrollments lists, matching and dashboards are for program managers;
* a mentoring relationship: its mentee and mentor see it (each side's
  private notes stay with their author; session feedback and fit checks with
  their author); program managers see its *progress* (sessions held, cadence,
  ratings, counts of action items and practice plans), never notes, agendas
  or goals, and each look is audited;
* a mentee's individual network metrics: the mentee, and the mentor only
  while the mentee shares them in the agreement (:func:`mentor_can_see_network`);
  program managers see network growth only as an average over at least
  ``PRIVACY_MIN_GROUP_SIZE`` mentees;
* an assessment: its assessor (a peer sees nothing but the form), the pair,
  and program managers (ratings only, not the assessor's notes).

A missing object and a forbidden one raise the same
:class:`~bridgework.core.errors.NotFoundError`.

Selectors only read (the one write is the audit entry of a look at someone
else's data): network numbers come from the snapshots that
:mod:`bridgework.mentoring.services.snapshots` stores each night, and selectors
never import :mod:`bridgework.mentoring.services`. Import the public names from
here; the modules import each other directly, never this package.
"""

from bridgework.mentoring.selectors.assessments import access_assessment, assessments_to_fill
from bridgework.mentoring.selectors.dashboard import (
    AtRisk,
    GrowthRow,
    NetworkGrowthRow,
    PairRow,
    ProgramDashboard,
    program_dashboard,
)
from bridgework.mentoring.selectors.frameworks import (
    access_framework,
    access_framework_version,
    access_framework_version_number,
    framework_list,
)
from bridgework.mentoring.selectors.home import MentoringHome, mentoring_home
from bridgework.mentoring.selectors.matching import (
    MatchingReview,
    SuggestionRow,
    matching_review,
    mentor_suggestions,
)
from bridgework.mentoring.selectors.network import (
    MEASURE_LABELS,
    NetworkChange,
    NetworkRow,
    mentor_can_see_network,
    network_change,
)
from bridgework.mentoring.selectors.overdue import OverdueItem, overdue_items
from bridgework.mentoring.selectors.programs import (
    access_enrollment,
    access_program,
    my_enrollment,
    program_enrollments,
    program_list,
)
from bridgework.mentoring.selectors.progress import (
    BehaviorProgress,
    ProgressData,
    RoundColumn,
    behavior_progress,
)
from bridgework.mentoring.selectors.relationship_page import (
    RelationshipPage,
    SessionRow,
    fit_check_due,
    relationship_page,
)
from bridgework.mentoring.selectors.relationships import (
    access_action_item,
    access_practice_plan,
    access_relationship,
    access_session,
    relationship_list,
    relationships_for_program,
    sessions_of,
    visible_notes,
)

__all__ = [
    "MEASURE_LABELS",
    "OverdueItem",
    "RoundColumn",
    "BehaviorProgress",
    "ProgressData",
    "NetworkRow",
    "NetworkChange",
    "RelationshipPage",
    "SessionRow",
    "AtRisk",
    "PairRow",
    "GrowthRow",
    "NetworkGrowthRow",
    "ProgramDashboard",
    "MatchingReview",
    "SuggestionRow",
    "MentoringHome",
    "framework_list",
    "access_framework",
    "access_framework_version",
    "access_framework_version_number",
    "program_list",
    "access_program",
    "program_enrollments",
    "my_enrollment",
    "access_enrollment",
    "matching_review",
    "mentor_suggestions",
    "relationship_list",
    "access_relationship",
    "relationship_page",
    "access_session",
    "visible_notes",
    "access_action_item",
    "access_practice_plan",
    "access_assessment",
    "assessments_to_fill",
    "behavior_progress",
    "network_change",
    "mentor_can_see_network",
    "overdue_items",
    "mentoring_home",
    "fit_check_due",
    "program_dashboard",
    "relationships_for_program",
    "sessions_of",
]
