"""Writes of the impact app: objectives, their sharing and plans, outcomes,
program evaluations. One module per topic:

===============  ===================================================================
module           holds
===============  ===================================================================
``objectives``   objectives (of a person, a team or a program): create, update,
                 delete; sharing them read-only with a person or a team
``plans``        the relationship plan: adding, changing and removing stakeholders
``outcomes``     outcomes and their links (contributors, introductions,
                 interactions), with the contribution paths derived from them
                 (:func:`derive_paths`, the rules in that module's docs)
``evaluations``  evaluating a mentoring program against a comparison group
``_common``      helpers the modules share (the actor's own person, the owner-only
                 rule, checking texts, dates and lists of records)
===============  ===================================================================

Every service is keyword-only, runs in one transaction, checks everything
before it writes (a ``ValidationError`` naming the field means nothing was
stored) and writes the audit log. Only an objective's owner changes it or
its plan, and only an outcome's owner changes the outcome; anyone else gets
:class:`~bridgework.core.errors.NotFoundError`, the same as for a missing
object.

Import the public names from here (``from bridgework.impact.services import
outcome_log``); the modules import each other directly, never this package.
Services may read through :mod:`bridgework.impact.selectors`; selectors never
import services.
"""

from bridgework.impact.services.evaluations import program_evaluate
from bridgework.impact.services.objectives import (
    objective_create,
    objective_delete,
    objective_share,
    objective_unshare,
    objective_update,
)
from bridgework.impact.services.outcomes import (
    MAX_CONTRIBUTORS,
    MAX_LINKED,
    ContributorIn,
    derive_paths,
    outcome_delete,
    outcome_log,
    outcome_update,
)
from bridgework.impact.services.plans import stakeholder_add, stakeholder_remove, stakeholder_update

__all__ = [
    "ContributorIn",
    "MAX_CONTRIBUTORS",
    "MAX_LINKED",
    "objective_create",
    "objective_update",
    "objective_delete",
    "objective_share",
    "objective_unshare",
    "stakeholder_add",
    "stakeholder_update",
    "stakeholder_remove",
    "derive_paths",
    "outcome_log",
    "outcome_update",
    "outcome_delete",
    "program_evaluate",
]
