"""Reads of the impact app; every one takes the viewer and applies the privacy rules.

One module per topic; import from here (``from bridgework.impact.selectors
import objective_plan`` or ``selectors.objective_plan``), which re-exports
them all:

========================  ===============================================================
module                    holds
========================  ===============================================================
``objectives``            objectives and who may see them: :func:`objective_list`,
                          :func:`access_objective`, :func:`access_share`,
                          :func:`access_stakeholder`, :func:`objectives_for_outcomes`,
                          :func:`share_candidates`
``plans``                 the relationship plan: :func:`objective_plan`,
                          :func:`plan_proposals`, :class:`PlanView`, :class:`PlanRow`,
                          :func:`strength_word`
``outcomes``              outcomes and their attribution: :func:`outcome_list`,
                          :func:`access_outcome`, :func:`outcome_attribution`,
                          :func:`outcome_link_choices`
``returns``               return on impact of the viewer and of an objective:
                          :func:`personal_return`, :func:`objective_return`,
                          :func:`window`, :data:`TREND_MONTHS`
``dashboards``            return on impact by team and program: :func:`group_dashboard`
``_common``               private helpers several topics share (the "not found" answer,
                          who may read which objective, the reach into an objective's
                          needed groups and its :class:`ReachRow`)
========================  ===============================================================

The modules import each other directly, never this package, so there is no
import cycle.

* Objectives, plans and outcomes belong to their owner. They are seen by the
  owner, by the people and teams an objective is shared with (read-only), by
  the members of the team a team objective belongs to, and by admins. Every
  look at someone else's objective or outcome is written to the audit log. A
  missing object and one the viewer may not see raise the same
  :class:`~bridgework.core.errors.NotFoundError`.
* Warm paths in a plan come from
  :func:`~bridgework.interactions.selectors.introduction_paths`, so they obey
  its rule: of every hop after the first, only the next person's name and a
  coarse word for the tie. Only the owner sees them (paths start at the viewer).
* Other people's network metrics (betweenness, PageRank of the latest
  analysis) only *rank* proposed stakeholders; no value is ever shown.
* Return on impact by team and program (:func:`group_dashboard`) is for
  :func:`~bridgework.accounts.policies.can_view_impact_by_group`: aggregates
  only, every group shown on the page passed together through
  :func:`~bridgework.core.privacy.groups.disclosure_safe_groups` with the
  page's population and the viewer (who never counts towards the minimum),
  every figure through :func:`~bridgework.core.privacy.groups.figure_shown`,
  no names.

How each number is computed: ``docs/impact-app.md`` and ``docs/impact.md``.
"""

from bridgework.impact.selectors.dashboards import GroupDashboard, GroupRow, group_dashboard
from bridgework.impact.selectors.objectives import (
    ObjectiveLists,
    access_objective,
    access_share,
    access_stakeholder,
    objective_list,
    objective_program_choices,
    objectives_for_outcomes,
    share_candidates,
    share_team_choices,
    viewer_team,
)
from bridgework.impact.selectors.outcomes import (
    LINKABLE_INTERACTIONS,
    AttributionView,
    MethodColumn,
    access_outcome,
    outcome_attribution,
    outcome_link_choices,
    outcome_list,
)
from bridgework.impact.selectors.plans import (
    DEFAULT_TARGET,
    PROPOSED_INFLUENCERS,
    PROPOSED_TARGETS,
    PlanRow,
    PlanView,
    ReachRow,
    objective_plan,
    plan_proposals,
    strength_word,
)
from bridgework.impact.selectors.records import records_by_id
from bridgework.impact.selectors.returns import (
    RELATIONSHIPS_SHOWN,
    TREND_MONTHS,
    PersonalReturn,
    RelationshipReturn,
    objective_return,
    personal_return,
    window,
)

__all__ = [
    "records_by_id",
    "TREND_MONTHS",
    "RELATIONSHIPS_SHOWN",
    "PROPOSED_TARGETS",
    "PROPOSED_INFLUENCERS",
    "DEFAULT_TARGET",
    "LINKABLE_INTERACTIONS",
    "ObjectiveLists",
    "PlanRow",
    "ReachRow",
    "PlanView",
    "MethodColumn",
    "AttributionView",
    "PersonalReturn",
    "RelationshipReturn",
    "GroupRow",
    "GroupDashboard",
    "objective_list",
    "access_objective",
    "access_share",
    "access_stakeholder",
    "objectives_for_outcomes",
    "share_candidates",
    "share_team_choices",
    "objective_program_choices",
    "viewer_team",
    "objective_plan",
    "plan_proposals",
    "objective_return",
    "outcome_list",
    "access_outcome",
    "outcome_attribution",
    "outcome_link_choices",
    "personal_return",
    "group_dashboard",
    "window",
    "strength_word",
]
