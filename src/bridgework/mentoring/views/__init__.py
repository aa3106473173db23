"""Pages of the mentoring app: thin views over the selectors and services.

Every page works without JavaScript; with htmx, ticking off an action item
swaps the list in place.

One module per topic; :mod:`bridgework.mentoring.urls` reaches every view
through this package (``views.program_detail``), which re-exports them all:

=================  =================================================================
module             holds
=================  =================================================================
``frameworks``     the frameworks: list, one framework, loading and editing as YAML
``programs``       the mentoring home; programs: list, create, edit, their page,
                   enrollment open or closed, assessment rounds, finishing,
                   dashboard and report
``enrollment``     joining a program with a profile, changing it, withdrawing
``matches``        the program manager's matching review (run, fix or veto,
                   publish) and the mentee's ranked suggestions
``relationships``  the relationship page and what is posted from it: answering a
                   request, ending, agreement, network sharing, fit check, action
                   items, asking for an assessment
``sessions``       planning or recording a session, its page, logging, notes, feedback
``pair_work``      practice plans and the mentor's introductions
``assessments``    one assessment: the form for its assessor, the ratings for others
``_common``        helpers the modules share (htmx, running a service for a form,
                   flashing errors, today, "pair only" access, back to the pair's page)
=================  =================================================================

The modules import each other directly, never this package.
"""

from bridgework.mentoring.views.assessments import assessment_detail
from bridgework.mentoring.views.enrollment import enroll, enrollment_edit, enrollment_withdraw
from bridgework.mentoring.views.frameworks import (
    framework_detail,
    framework_edit,
    framework_import,
    framework_list,
)
from bridgework.mentoring.views.matches import (
    matching,
    matching_override,
    matching_publish,
    matching_run,
    override_remove,
    suggestion_request,
    suggestions,
)
from bridgework.mentoring.views.pair_work import (
    introduction_create,
    practice_create,
    practice_detail,
)
from bridgework.mentoring.views.programs import (
    home,
    program_create,
    program_dashboard,
    program_detail,
    program_edit,
    program_enrollment,
    program_finish,
    program_list,
    program_report,
    program_round_open,
)
from bridgework.mentoring.views.relationships import (
    action_item_create,
    action_item_toggle,
    agreement_confirm,
    agreement_edit,
    agreement_sharing,
    assessment_request,
    fit_check,
    relationship_detail,
    relationship_end,
    relationship_respond,
)
from bridgework.mentoring.views.sessions import (
    session_create,
    session_detail,
    session_feedback,
    session_log,
    session_note,
)

__all__ = [
    "home",
    "framework_list",
    "framework_detail",
    "framework_import",
    "framework_edit",
    "program_list",
    "program_create",
    "program_edit",
    "program_detail",
    "program_enrollment",
    "program_finish",
    "program_round_open",
    "program_dashboard",
    "program_report",
    "enroll",
    "enrollment_edit",
    "enrollment_withdraw",
    "matching",
    "matching_run",
    "matching_override",
    "override_remove",
    "matching_publish",
    "suggestions",
    "suggestion_request",
    "relationship_detail",
    "relationship_respond",
    "relationship_end",
    "agreement_edit",
    "agreement_confirm",
    "agreement_sharing",
    "fit_check",
    "action_item_create",
    "action_item_toggle",
    "assessment_request",
    "session_create",
    "session_detail",
    "session_log",
    "session_note",
    "session_feedback",
    "practice_create",
    "practice_detail",
    "introduction_create",
    "assessment_detail",
]
