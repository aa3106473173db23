"""API schemas of the analysis app."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd
from ninja import Field, Schema

__all__ = ["GroupViewOut", "PersonMetricOut", "RunOut", "frame_records"]


def _plain(value: Any) -> Any:
    if value is pd.NA:  # a withheld whole number
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A DataFrame as JSON-ready records (NaN becomes null)."""
    return [{str(k): _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


class RunOut(Schema):
    id: int
    status: str
    step: str
    steps_done: int
    steps_total: int
    percent: int
    summary: dict[str, Any]
    timings: dict[str, float]
    error: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


class GroupViewOut(Schema):
    run: RunOut
    minimum_group_size: int
    summary: dict[str, Any]
    teams: list[dict[str, Any]]
    matrix: dict[str, Any]
    communities: list[dict[str, Any]]
    open_talent: list[dict[str, Any]]
    risk: dict[str, Any]
    brokers: dict[str, Any]
    hidden: dict[str, int]
    withheld: dict[str, str] = Field(
        default_factory=dict,
        description="Figures not shown because fewer than the minimum of people make them.",
    )


class PersonMetricOut(Schema):
    person_id: int
    run_id: int
    degree: int
    weighted_degree: float
    betweenness: float
    betweenness_rank: int
    pagerank: float
    eigenvector: float
    k_core: int
    constraint: float | None
    effective_size: float | None
    hierarchy: float | None
    two_step_reach: int
    community: int
    brokerage: int
    roles: dict[str, int]
    diversity_team: float
    diversity_organization: float
    diversity_engagement: float
    people_cut_off: int
    people_losing_a_group: int
    group_links_lost: int
    cross_group_ties: int
