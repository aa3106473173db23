"""REST API of the network app under ``/api/network/``: my portfolio, its summary,
my nudges, and (people analysts and admins) recomputing ties.

Everything goes through :mod:`bridgework.network.selectors` and
:mod:`bridgework.network.services` with ``request.auth`` as the viewer, so the
API enforces exactly the rules of the pages: a member only ever reads and
changes their own portfolio and nudges; anyone else's nudge is a 404.
"""

from ninja import Router
from ninja.pagination import paginate

from bridgework.accounts.requests import ApiRequest
from bridgework.network import expertise, limits, selectors, services
from bridgework.network.models import Band, Tier
from bridgework.network.schemas import (
    ExpertOut,
    NudgeOut,
    NudgeSnoozeIn,
    PortfolioEntryIn,
    PortfolioRowOut,
    PortfolioSummaryOut,
    RecomputeIn,
    RecomputeOut,
)
from bridgework.web.apitypes import MAX_PAGE_SIZE, BoundedPageNumberPagination, ErrorOut, Id

__all__ = ["expertise_router", "router"]

router = Router(tags=["network"])
#: Mounted under ``/api/people/`` beside the people router: finding expertise
#: answers "who knows about X?" over the directory, ranked by reach over ties.
expertise_router = Router(tags=["people"])


@router.get("/portfolio", response=list[PortfolioRowOut], summary="My relationships")
@paginate(BoundedPageNumberPagination)
def portfolio(
    request: ApiRequest,
    sort: str = "strength",
    band: Band | None = None,
    tier: Tier | None = None,
    overdue: bool | None = None,
    person: Id | None = None,
):
    """My ties ranked (``sort``: strength, last_contact, name, tier), each with
    strength, band, trend, last contact, explanation, tier, cadence and whether it
    is overdue; tiered people without contact too. ``person``: admins only (audited)."""
    return selectors.portfolio(
        viewer=request.auth,
        person_id=person,
        sort=sort,
        band=band,
        tier=tier,
        overdue=overdue,
    )


@router.get("/summary", response=PortfolioSummaryOut, summary="The shape of my network")
def summary(request: ApiRequest, person: Id | None = None):
    """Capacity (active relationships vs about 150), band and tier counts, and the
    mix of active relationships by engagement type, organization and team."""
    return selectors.portfolio_summary(viewer=request.auth, person_id=person)


@router.put(
    "/portfolio/{person_id}", response={200: PortfolioRowOut}, summary="Set a relationship's tier"
)
def portfolio_set(request: ApiRequest, person_id: int, payload: PortfolioEntryIn):
    """Put someone in a tier of my portfolio with an optional cadence (``tier: null``
    takes them out). Only my own portfolio; an unknown person is a 404."""
    row = selectors.portfolio_row(viewer=request.auth, other_id=person_id)
    services.portfolio_set_tier(
        actor=request.auth,
        other=row.other,
        tier=payload.tier,
        cadence_days=payload.cadence_days,
        note=payload.note,
    )
    return selectors.portfolio_row(viewer=request.auth, other_id=person_id)


@router.get("/nudges", response=list[NudgeOut], summary="My nudges")
def nudge_list(request: ApiRequest):
    """Active nudges (not dismissed, not snoozed), most pressing first."""
    return selectors.nudges_for(viewer=request.auth)


@router.post("/nudges/{nudge_id}/dismiss", response=NudgeOut, summary="Dismiss a nudge")
def nudge_dismiss(request: ApiRequest, nudge_id: int):
    nudge = selectors.access_nudge(viewer=request.auth, nudge_id=nudge_id)
    return services.nudge_dismiss(actor=request.auth, nudge=nudge)


@router.post("/nudges/{nudge_id}/snooze", response=NudgeOut, summary="Snooze a nudge")
def nudge_snooze(request: ApiRequest, nudge_id: int, payload: NudgeSnoozeIn | None = None):
    """Hide a nudge until ``until`` (default: two weeks from now)."""
    nudge = selectors.access_nudge(viewer=request.auth, nudge_id=nudge_id)
    until = payload.until if payload is not None else None
    return services.nudge_snooze(actor=request.auth, nudge=nudge, until=until)


@router.post("/recompute", response={202: RecomputeOut}, summary="Recompute ties")
def recompute(request: ApiRequest, payload: RecomputeIn | None = None):
    """Queue a recomputation (people analysts and admins; others get 404): full by
    default, or of the ties of ``people`` with ``full: false``. Poll its progress
    with ``GET /api/network/recompute/{id}``."""
    payload = payload or RecomputeIn()
    run = services.ties_recompute_start(
        actor=request.auth, full=payload.full, people=payload.people, reason="API"
    )
    return selectors.access_recompute(viewer=request.auth, recompute_id=run.pk)


@router.get(
    "/recompute/{recompute_id}", response=RecomputeOut, summary="A recomputation's progress"
)
def recompute_detail(request: ApiRequest, recompute_id: int):
    return selectors.access_recompute(viewer=request.auth, recompute_id=recompute_id)


@expertise_router.get(
    "/expertise", response={200: list[ExpertOut], 429: ErrorOut}, summary="Find expertise"
)
def expertise_search(request: ApiRequest, q: str = "", skill: Id | None = None, limit: int = 50):
    """People with a skill (``skill``, sub-skills included) and/or words (``q``) in
    their skills, title or bio, across every engagement type; ranked by expertise
    and by how reachable they are from the caller, best first (at most ``limit``,
    up to 200). Paths name the people on them, a word for the caller's own first
    tie and nothing about ties between other people (``tie`` is null there, and
    ``reach_percent`` is given for a direct tie only); nobody who asked not to
    be an introducer is on a path. A search with ``q`` or ``skill`` counts
    against ``BRIDGEWORK_EXPERTISE_QUERIES_PER_HOUR`` (default 120; beyond it,
    429 with ``detail`` and ``Retry-After``) and is audited."""
    if q.strip() or skill is not None:
        retry_after = limits.limit_reached(request, limits.EXPERTISE_QUERIES)
        if retry_after is not None:
            return limits.too_many_json(limits.EXPERTISE_QUERIES, retry_after=retry_after)
    return expertise.expertise_search(
        viewer=request.auth, query=q, skill_id=skill, limit=max(1, min(limit, MAX_PAGE_SIZE))
    )
