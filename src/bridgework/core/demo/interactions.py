"""The demo's year of interactions: who meets, calls, mails and chats with whom, and when.

:class:`InteractionStages` is the part of the demo builder
(``generator._Builder``, which derives from it) that writes interactions. The
builder's people stages run first and fill the attributes declared below;
the interaction stages read them and only append to ``raw_interactions``.
Every stage draws from the ``"interactions"`` random stream (the network
story from its own), in a fixed order, so the output stays deterministic.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from dataclasses import dataclass

from bridgework.core.demo.model import (
    ALUMNI,
    CALL,
    CHAT,
    EMAIL,
    EMPLOYEES,
    MEETING,
    DemoInteraction,
    DemoPerson,
)
from bridgework.core.demo.reference import reference_data

__all__ = ["InteractionStages", "RawInteraction", "TeamState"]

_DATA = reference_data()
TEAM_SPECS = _DATA.teams
ADJACENT_TEAMS = _DATA.adjacent_teams
ORG_SPECS = _DATA.organizations

# Channel mixes (channels, weights) by kind of tie.
TEAM_MIX = ((CHAT, EMAIL, MEETING, CALL), (45, 25, 15, 15))
CROSS_MIX = ((EMAIL, MEETING, CALL, CHAT), (45, 25, 20, 10))
EXTERNAL_MIX = ((EMAIL, CALL, MEETING), (60, 22, 18))

#: ``(when, sorted participant keys, channel, minutes)`` before sorting into DemoInteraction.
RawInteraction = tuple[dt.datetime, tuple[str, ...], str, int | None]


@dataclass(slots=True)
class TeamState:
    """A team while the builder fills it; ``lead`` is set once its lead is hired."""

    name: str
    parent: str | None
    depth: int
    description: str
    lead: str | None = None


class InteractionStages:
    """The interaction stages of the demo builder (see the module docstring), and the
    helpers every stage uses: :meth:`rng` and ``_person``."""

    # The population the people stages built (set in ``_Builder.__init__``).
    seed: int
    today: dt.date
    window_start: dt.date
    workdays: list[dt.date]  # weekdays in [window_start, today)
    people: list[DemoPerson]
    index: dict[str, int]  # person key -> position in ``people``
    teams: dict[str, TeamState]
    team_employees: dict[str, list[str]]
    squads: list[tuple[str, list[str]]]  # (team, members), the squad's manager first
    squad_guests: dict[int, list[str]]  # squad index -> contractors joining it
    ceo: str
    chief_of_staff: str
    division_heads: dict[str, str]
    logins: dict[str, str]  # role -> person key
    bridges: list[str]
    account_owners: dict[str, list[str]]
    externals_by_org: dict[str, list[str]]
    alumni: list[str]
    contractors: list[str]
    freelancers: list[str]
    raw_interactions: list[RawInteraction]

    def rng(self, stage: str) -> random.Random:
        # String seeds are hashed with SHA-512, independent of PYTHONHASHSEED.
        return random.Random(f"bridgework-demo:{self.seed}:{stage}")  # noqa: S311 - a seeded generator for reproducible demo data

    def _person(self, key: str) -> DemoPerson:
        return self.people[self.index[key]]

    def _lead(self, team: str) -> str:
        lead = self.teams[team].lead
        if lead is None:
            raise RuntimeError(f"demo generator: team {team} has no lead yet")  # a builder bug
        return lead

    def _team_of(self, key: str) -> str:
        """The team of someone who has one: not an external contact."""
        team = self._person(key).team_key
        if team is None:
            raise RuntimeError(f"demo generator: {key} has no team")  # a builder bug
        return team

    def _left_on(self, key: str) -> dt.date:
        """The day an alumnus left."""
        end = self._person(key).engagement_end
        if end is None:
            raise RuntimeError(f"demo generator: {key} has not left")  # a builder bug
        return end

    def _span(self, start: dt.date, end: dt.date) -> tuple[int, int]:
        return bisect.bisect_left(self.workdays, start), bisect.bisect_left(self.workdays, end)

    def _active_from(self, *keys: str) -> dt.date:
        starts = [self._person(k).engagement_start for k in keys]
        return max(self.window_start, *starts)

    def _active_until(self, *keys: str) -> dt.date:
        ends = [self.today]
        for k in keys:
            person = self._person(k)
            if person.engagement_end is not None and person.engagement_type != ALUMNI:
                ends.append(person.engagement_end)
        return min(ends)

    def _is_active(self, key: str, day: dt.date) -> bool:
        person = self._person(key)
        return person.engagement_start <= day and (
            person.engagement_end is None or day < person.engagement_end
        )

    def _emit(
        self, rng: random.Random, day: dt.date, channel: str, participants: tuple[str, ...]
    ) -> None:
        duration: int | None
        if channel in (MEETING, CALL):
            minute = rng.choice((0, 15, 30, 45))
            duration = (
                rng.choice((30, 30, 45, 60)) if channel == MEETING else rng.choice((15, 20, 30, 45))
            )
        else:
            minute = rng.randrange(60)
            duration = None if channel == EMAIL or rng.random() < 0.7 else rng.choice((5, 10, 15))
        at = dt.datetime(day.year, day.month, day.day, rng.randrange(8, 17), minute, tzinfo=dt.UTC)
        self.raw_interactions.append((at, tuple(sorted(participants)), channel, duration))

    def _tie(
        self,
        rng: random.Random,
        a: str,
        b: str,
        *,
        rate: float,
        mix: tuple[tuple[str, ...], tuple[int, ...]],
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> None:
        """Two people in touch ``rate`` times a week, on random weekdays in their shared span."""
        first = max(self._active_from(a, b), start or self.window_start)
        last = min(self._active_until(a, b), end or self.today)
        lo, hi = self._span(first, last)
        if hi <= lo:
            return
        expected = rate * (hi - lo) / 5 * rng.uniform(0.75, 1.25)
        count = int(expected) + (rng.random() < expected - int(expected))
        channels, weights = mix
        for _ in range(count):
            day = self.workdays[rng.randrange(lo, hi)]
            self._emit(rng, day, rng.choices(channels, weights)[0], (a, b))

    def _cadence(
        self, rng: random.Random, *, weeks: int, start: dt.date, end: dt.date, skip: float
    ) -> list[dt.date]:
        """One weekday every ``weeks`` weeks between ``start`` and ``end``, some skipped."""
        lo, hi = self._span(start, end)
        days = []
        for block in range(lo, hi, 5 * weeks):
            if rng.random() >= skip:
                days.append(self.workdays[block + rng.randrange(min(5, hi - block))])
        return days

    def _cooling_end(self, rng: random.Random, probability: float) -> dt.date | None:
        """Some ties stop partway through the year."""
        if rng.random() < probability:
            return self.window_start + dt.timedelta(days=rng.randint(90, 300))
        return None

    def _interactions(self) -> None:
        rng = self.rng("interactions")
        self._team_ties(rng)
        self._one_to_ones(rng)
        self._group_meetings(rng)
        self._weak_cross_team_ties(rng)
        self._bridge_ties(rng)
        self._mentoring(rng)
        self._workforce_ties(rng)
        self._alumni_ties(rng)
        self._external_ties(rng)
        self._network_story(self.rng("network-story"))

    def _team_ties(self, rng: random.Random) -> None:
        """Dense ties inside each team, most of all inside each squad."""
        squad_of: dict[str, list[str]] = {}
        for _, members in self.squads:  # a manager's squad is the one they run
            squad_of[members[0]] = members
        for _, members in self.squads:
            for key in members:
                squad_of.setdefault(key, members)
        seen: dict[tuple[str, str], None] = {}
        for members in self.team_employees.values():
            if len(members) < 2:
                continue
            for key in members:
                squad = [k for k in squad_of.get(key, members) if k != key]
                others = [k for k in members if k != key]
                for _ in range(rng.randint(3, 6)):
                    pool = squad if squad and rng.random() < 0.7 else others
                    other = rng.choice(pool)
                    pair = (min(key, other), max(key, other))
                    if pair in seen:
                        continue
                    seen[pair] = None
                    self._tie(
                        rng,
                        *pair,
                        rate=0.12 + 0.75 * rng.random() ** 2,
                        mix=TEAM_MIX,
                        end=self._cooling_end(rng, 0.12),
                    )

    def _one_to_ones(self, rng: random.Random) -> None:
        for person in list(self.people):
            if person.manager_key is None or person.engagement_type not in EMPLOYEES:
                continue
            pair = (person.key, person.manager_key)
            days = self._cadence(
                rng,
                weeks=2,
                start=self._active_from(*pair),
                end=self._active_until(*pair),
                skip=0.15,
            )
            for day in days:
                self._emit(rng, day, MEETING if rng.random() < 0.8 else CALL, pair)

    def _meeting(self, rng: random.Random, day: dt.date, pool: list[str], *, host: str) -> None:
        active = [k for k in pool if k != host and self._is_active(k, day)]
        if not self._is_active(host, day) or len(active) < 2:
            return
        size = min(len(active), rng.randint(2, 7))
        self._emit(rng, day, MEETING, (host, *rng.sample(active, size)))

    def _group_meetings(self, rng: random.Random) -> None:
        """Squad meetings weekly, team meetings monthly, leadership meetings weekly."""
        whole_year = {"start": self.window_start, "end": self.today}
        for index, (_, members) in enumerate(self.squads):
            pool = members + self.squad_guests.get(index, [])
            for day in self._cadence(rng, weeks=1, skip=0.1, **whole_year):
                self._meeting(rng, day, pool, host=members[0])
        for spec in TEAM_SPECS:
            members = self.team_employees[spec.key]
            for day in self._cadence(rng, weeks=4, skip=0.1, **whole_year):
                self._meeting(rng, day, members, host=self._lead(spec.key))
        for division, head in self.division_heads.items():
            leads = [self._lead(s.key) for s in TEAM_SPECS if s.division == division]
            for day in self._cadence(rng, weeks=1, skip=0.1, **whole_year):
                pool = leads + ([self.chief_of_staff] if rng.random() < 0.3 else [])
                self._emit(rng, day, MEETING, (head, *pool))
        executives = [self.chief_of_staff, *self.division_heads.values()]
        for day in self._cadence(rng, weeks=1, skip=0.1, **whole_year):
            self._emit(rng, day, MEETING, (self.ceo, *executives))

    def _weak_cross_team_ties(self, rng: random.Random) -> None:
        """A tie or two with one neighbouring team for some people; most stay inside their team.

        Each person faces at most one other team through these ties, so that
        reaching many teams stays the mark of the few real bridges.
        """
        neighbours: dict[str, list[str]] = {spec.key: [] for spec in TEAM_SPECS}
        for a, b in ADJACENT_TEAMS:
            neighbours[a].append(b)
            neighbours[b].append(a)
        facing: dict[str, str] = {}  # person -> the one other team they have weak ties with
        for spec in TEAM_SPECS:
            for key in self.team_employees[spec.key]:
                if key in self.bridges:
                    continue
                for _ in range(rng.choices((0, 1, 2), (55, 35, 10))[0]):
                    team = facing.get(key) or rng.choice(neighbours[spec.key])
                    candidates = [
                        k
                        for k in self.team_employees[team]
                        if k not in self.bridges and facing.get(k, spec.key) == spec.key
                    ]
                    if not candidates:
                        continue
                    other = rng.choice(candidates)
                    facing[key], facing[other] = team, spec.key
                    self._tie(
                        rng,
                        key,
                        other,
                        rate=0.03 + 0.1 * rng.random(),
                        mix=CROSS_MIX,
                        end=self._cooling_end(rng, 0.15),
                    )

    def _bridge_ties(self, rng: random.Random) -> None:
        """The designated bridges keep regular ties in three to five other teams.

        They reach a team through its managers now and then, and
        otherwise through people no other bridge already reaches.
        """
        all_teams = [spec.key for spec in TEAM_SPECS]
        reached_from: dict[str, str] = {}  # person -> the bridge team that reaches them
        for key in self.bridges:
            own = self._team_of(key)
            others = [t for t in all_teams if t != own]
            for team in rng.sample(others, rng.randint(3, 5)):
                members = [k for k in self.team_employees[team] if k not in self.bridges]
                managers = [k for k in members if self._person(k).level == 2]
                free = [k for k in members if reached_from.get(k, own) == own]
                for _ in range(rng.randint(2, 3)):
                    other = rng.choice(managers if rng.random() < 0.15 or not free else free)
                    reached_from.setdefault(other, own)
                    self._tie(
                        rng,
                        key,
                        other,
                        rate=0.1 + 0.35 * rng.random(),
                        mix=CROSS_MIX,
                        end=self._cooling_end(rng, 0.1),
                    )
        for i, key in enumerate(self.bridges):
            for other in rng.sample(self.bridges[:i] + self.bridges[i + 1 :], 2):
                self._tie(rng, key, other, rate=0.1 + 0.2 * rng.random(), mix=CROSS_MIX)

    def _mentoring(self, rng: random.Random) -> None:
        """The mentor has met the member every other week since a mentoring agreement began."""
        member, mentor = self.logins["member"], self.logins["mentor"]
        since = self.window_start + dt.timedelta(days=120)
        for day in self._cadence(rng, weeks=2, start=since, end=self.today, skip=0.1):
            self._emit(rng, day, MEETING, (member, mentor))
        self._tie(rng, member, mentor, rate=0.2, mix=((CHAT, EMAIL), (2, 1)), start=since)

    def _network_story(self, rng: random.Random) -> None:
        """Two things the network analysis should find: a cross-team launch group
        (a community that is not a team) and contractors who bridge teams."""
        # Launch group: two individual contributors each from design, marketing and
        # product engineering meet weekly for the last six months and chat in between.
        launch: list[str] = []
        for team in ("product-design", "marketing", "product-engineering"):
            members = [
                k
                for k in self.team_employees[team]
                if k not in self.bridges and self._person(k).level == 1
            ]
            launch.extend(rng.sample(members, 2))
        since = self.today - dt.timedelta(days=182)
        for day in self._cadence(rng, weeks=1, start=since, end=self.today, skip=0.1):
            self._emit(rng, day, MEETING, tuple(launch))
        for i, a in enumerate(launch):
            for b in launch[i + 1 :]:
                self._tie(rng, a, b, rate=0.4 + 0.4 * rng.random(), mix=TEAM_MIX, start=since)
        # Senior contractors in platform engineering also serve the data team.
        platform = [
            k for k in self.contractors if self._person(k).team_key == "platform-engineering"
        ]
        for key in platform[:3]:
            for other in rng.sample(self.team_employees["data-analytics"], 2):
                self._tie(rng, key, other, rate=0.08 + 0.06 * rng.random(), mix=CROSS_MIX)

    def _workforce_ties(self, rng: random.Random) -> None:
        """Contractors work with their host team; freelancers sometimes with a second one."""
        for key in self.contractors:
            members = self.team_employees[self._team_of(key)]
            for other in rng.sample(members, rng.randint(3, 6)):
                self._tie(rng, key, other, rate=0.25 + 0.5 * rng.random(), mix=TEAM_MIX)
        all_teams = [spec.key for spec in TEAM_SPECS]
        for key in self.freelancers:
            host = self._team_of(key)
            for other in rng.sample(self.team_employees[host], rng.randint(2, 4)):
                self._tie(rng, key, other, rate=0.15 + 0.3 * rng.random(), mix=CROSS_MIX)
            if rng.random() < 0.4:
                team = rng.choice([t for t in all_teams if t != host])
                other = rng.choice(self.team_employees[team])
                self._tie(rng, key, other, rate=0.1 + 0.2 * rng.random(), mix=CROSS_MIX)

    def _alumni_ties(self, rng: random.Random) -> None:
        """Alumni talk with former teammates, then less after leaving, and go quiet."""
        quiet_after = self.today - dt.timedelta(days=100)
        for key in self.alumni:
            left = self._left_on(key)
            teammates = self.team_employees[self._team_of(key)]
            for other in rng.sample(teammates, min(len(teammates), rng.randint(3, 7))):
                if left > self.window_start:
                    self._tie(
                        rng, key, other, rate=0.2 + 0.4 * rng.random(), mix=TEAM_MIX, end=left
                    )
                    fade_from, fade_until = left, min(left + dt.timedelta(days=60), quiet_after)
                else:
                    fade_from = self.window_start
                    fade_until = self.window_start + dt.timedelta(days=rng.randint(30, 90))
                self._tie(
                    rng,
                    key,
                    other,
                    rate=0.05 + 0.15 * rng.random(),
                    mix=CROSS_MIX,
                    start=fade_from,
                    end=fade_until,
                )

    def _external_ties(self, rng: random.Random) -> None:
        """External contacts are reached only through their organization's account owners."""
        for spec in ORG_SPECS:
            owners = self.account_owners[spec.key]
            externals = self.externals_by_org[spec.key]
            for key in externals:
                for owner in rng.sample(owners, min(len(owners), rng.randint(1, 2))):
                    self._tie(
                        rng,
                        key,
                        owner,
                        rate=0.1 + 0.4 * rng.random(),
                        mix=EXTERNAL_MIX,
                        end=self._cooling_end(rng, 0.15),
                    )
            for day in self._cadence(
                rng, weeks=4, start=self.window_start, end=self.today, skip=0.25
            ):
                guests = rng.sample(externals, rng.randint(1, min(4, len(externals))))
                hosts = rng.sample(owners, rng.randint(1, len(owners)))
                self._emit(rng, day, MEETING, (*hosts, *guests))

    def _finish_interactions(self) -> tuple[DemoInteraction, ...]:
        self.raw_interactions.sort(key=lambda r: (r[0], r[1], r[2], r[3] or 0))
        return tuple(
            DemoInteraction(
                channel=channel, occurred_at=at, duration_minutes=minutes, participant_keys=keys
            )
            for at, keys, channel, minutes in self.raw_interactions
        )
