"""Writes of the mentoring app, one module per topic:

==================  ===========================================================================
module              holds
==================  ===========================================================================
``frameworks``      the default behavior framework; frameworks and versions from YAML
``programs``        programs: create, update, open or close enrollment, finish
``enrollment``      joining a program with a profile, changing it, withdrawing
``matching``        the program manager's matching: run, fix or veto pairs, publish
``relationships``   self-matching requests and answers, ending a relationship
``agreements``      the pair's agreement and the mentee's network sharing
``sessions``        scheduling, recording and logging sessions; session notes
``feedback``        session feedback and the fit check
``action_items``    the pair's action items
``practice_plans``  practice conversations, prepared and reflected on
``introductions``   introductions the mentor makes from their own network
``assessments``     asking for assessments, rounds, submitting, the daily schedule
``reminders``       e-mailing people their overdue items
``snapshots``       storing the mentees' network measures per day (nightly), so that
                    pages only read them
``_common``         helpers the modules share (guards, e-mail after commit, links,
                    starting and closing a relationship row)
==================  ===========================================================================

Every service is keyword-only, runs in a transaction, checks who may do it
(:mod:`bridgework.accounts.policies`, :mod:`bridgework.accounts.guards`) and
writes the audit log where personal data is touched. Someone who may not see
an object gets the same :class:`~bridgework.core.errors.NotFoundError` as for
a missing one; a rule the input breaks is a ``ValidationError`` naming the
field, and nothing is saved. E-mails go out after the commit.

Import the public names from here (``from bridgework.mentoring.services import
matching_run``); the modules import each other directly, never this package.
Services may read through :mod:`bridgework.mentoring.selectors`; selectors
never import services.
"""

from bridgework.mentoring.services.action_items import (
    action_item_create,
    action_item_set_done,
    action_item_update,
)
from bridgework.mentoring.services.agreements import (
    agreement_confirm,
    agreement_set_network_sharing,
    agreement_update,
)
from bridgework.mentoring.services.assessments import (
    ASSESSMENT_ANSWER_DAYS,
    assessment_request,
    assessment_round_open,
    assessment_rounds_schedule,
    assessment_submit,
)
from bridgework.mentoring.services.enrollment import (
    DEFAULT_MENTOR_CAPACITY,
    enrollment_create,
    enrollment_update,
    enrollment_withdraw,
)
from bridgework.mentoring.services.feedback import fit_check_submit, session_feedback_submit
from bridgework.mentoring.services.frameworks import (
    framework_default_ensure,
    framework_version_create,
)
from bridgework.mentoring.services.introductions import mentor_introduction_make
from bridgework.mentoring.services.matching import (
    match_override_remove,
    match_override_set,
    matching_publish,
    matching_run,
)
from bridgework.mentoring.services.practice_plans import practice_plan_create, practice_plan_update
from bridgework.mentoring.services.programs import (
    program_create,
    program_finish,
    program_set_enrollment,
    program_update,
)
from bridgework.mentoring.services.relationships import (
    relationship_end,
    relationship_request,
    relationship_respond,
)
from bridgework.mentoring.services.reminders import REMINDER_INTERVAL, mentoring_reminders_send
from bridgework.mentoring.services.sessions import session_create, session_log, session_note_add
from bridgework.mentoring.services.snapshots import (
    SNAPSHOT_MAX_AGE,
    SnapshotFailure,
    SnapshotFill,
    network_snapshots_fill,
    network_snapshots_refresh,
    network_snapshots_wanted,
)

__all__ = [
    "framework_default_ensure",
    "framework_version_create",
    "program_create",
    "program_update",
    "program_set_enrollment",
    "program_finish",
    "enrollment_create",
    "enrollment_update",
    "enrollment_withdraw",
    "matching_run",
    "match_override_set",
    "match_override_remove",
    "matching_publish",
    "relationship_request",
    "relationship_respond",
    "relationship_end",
    "agreement_update",
    "agreement_confirm",
    "agreement_set_network_sharing",
    "session_create",
    "session_log",
    "session_note_add",
    "session_feedback_submit",
    "fit_check_submit",
    "action_item_create",
    "action_item_update",
    "action_item_set_done",
    "practice_plan_create",
    "practice_plan_update",
    "mentor_introduction_make",
    "assessment_request",
    "assessment_round_open",
    "assessment_submit",
    "assessment_rounds_schedule",
    "mentoring_reminders_send",
    "network_snapshots_fill",
    "network_snapshots_refresh",
    "network_snapshots_wanted",
    "SnapshotFill",
    "SnapshotFailure",
    "ASSESSMENT_ANSWER_DAYS",
    "SNAPSHOT_MAX_AGE",
    "REMINDER_INTERVAL",
    "DEFAULT_MENTOR_CAPACITY",
]
