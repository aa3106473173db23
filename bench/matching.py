"""Benchmark: the optimal mentor assignment of a large pool, against greedy and the LP bound.

Run::

    python bench/matching.py                                 # 5,000 mentees, 1,000 mentors
    python bench/matching.py --mentees 1000 --mentors 200    # quicker

1. Builds a synthetic organization (seeded): 40 teams in 8 organizations,
   each team based in one of nine regions from UTC-8 to UTC+10 (85% of people
   sit in their team's region); a team lead per team, a director per
   organization and two vice-presidents, all of them mentors, so every
   mentee's reporting line (lead, director, vice-president, CEO) touches the
   mentor pool; 950 more mentors are senior individual contributors and 50
   of them are mentees too. Eight behaviors (mentees want to grow 1-3 of
   them, self-rated 1-4; mentors rated 2-5), 200 skills with Zipf-like
   popularity, 68 groups (the teams, organizations and 20 communities: each
   mentee needs 1-3 it does not reach, each mentor reaches 3-10 beyond their
   own team), stated preferences (15% name mentors, 40% prefer another team,
   30% an engagement type), 3% of mentees and 2% of mentors exclude someone,
   25% of mentees had a mentor before. Capacities are uniform 1-5 (about
   3,000 places for 5,000 mentees: the pool is short of mentors, so the
   choice matters). Hard constraints: the default 6-hour time-zone window
   and no repeat pairing.
2. Times :func:`optimal_assignment` from profiles to explained matches
   (scoring, constraints, the exact solve, explanations): the target is
   under 10 s.
3. Times :func:`greedy_assignment` (best pair first) on the same pool and
   prints optimal / greedy.
4. Times :func:`lp_upper_bound` (column generation with HiGHS) and prints
   optimal / LP: 1.000000 proves the assignment optimal by an independent
   route, since the b-matching LP is integral.
5. Times the participation-first assignment and compares the number of
   mentees matched.

Peak memory is the process's maximum resident set size. Machines are
noisy: compare the numbers of one run with each other.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time

import numpy as np
import scipy

from bridgework.core.matching import (
    Constraints,
    MenteeProfile,
    MentorProfile,
    Weights,
    greedy_assignment,
    lp_upper_bound,
    optimal_assignment,
)

TARGET_SECONDS = 10.0
REGIONS = {  # UTC offset, share of teams
    "US West": (-8.0, 0.14),
    "US East": (-5.0, 0.24),
    "Brazil": (-3.0, 0.06),
    "UK": (0.0, 0.14),
    "Central Europe": (1.0, 0.16),
    "India": (5.5, 0.12),
    "Singapore": (8.0, 0.08),
    "Japan": (9.0, 0.03),
    "Australia": (10.0, 0.03),
}
BEHAVIORS = (
    "presenting_yourself",
    "reaching_beyond_your_circle",
    "giving_feedback",
    "asking_for_help",
    "building_trust",
    "negotiating",
    "storytelling",
    "strategic_thinking",
)
ENGAGEMENT = ("video", "in person", "chat")
TEAMS, ORGANIZATIONS, COMMUNITIES, SKILLS = 40, 8, 20, 200
LEADERS = TEAMS + ORGANIZATIONS + 2  # team leads, directors, vice-presidents
CEO = 1


def synthetic_pool(
    mentees: int, mentors: int, *, seed: int
) -> tuple[list[MenteeProfile], list[MentorProfile]]:
    """A seeded organization's mentees and mentors (see the module docstring)."""
    rng = np.random.default_rng(seed)
    offsets = np.array([offset for offset, _ in REGIONS.values()])
    shares = np.array([share for _, share in REGIONS.values()])
    team_region = rng.choice(len(REGIONS), size=TEAMS, p=shares / shares.sum())
    team_names = [f"team {t:02d}" for t in range(TEAMS)]
    org_of_team = np.arange(TEAMS) % ORGANIZATIONS
    org_names = [f"organization {o}" for o in range(ORGANIZATIONS)]
    groups = team_names + org_names + [f"community {c:02d}" for c in range(COMMUNITIES)]
    skill_weights = 1.0 / np.arange(1, SKILLS + 1) ** 0.8
    skill_weights /= skill_weights.sum()
    skill_names = [f"skill {s:03d}" for s in range(SKILLS)]

    mentor_ids = (rng.permutation(mentors) * 7 + 1_000).tolist()  # sparse, arbitrary ids
    lead_of_team = mentor_ids[:TEAMS]
    director_of_org = mentor_ids[TEAMS : TEAMS + ORGANIZATIONS]
    vp_of_org = [mentor_ids[TEAMS + ORGANIZATIONS + o % 2] for o in range(ORGANIZATIONS)]

    def chain(team: int) -> set[int]:
        org = int(org_of_team[team])
        return {lead_of_team[team], director_of_org[org], vp_of_org[org], CEO}

    def offset_for(team: int) -> float:
        region = team_region[team] if rng.random() < 0.85 else rng.integers(len(REGIONS))
        return float(offsets[region])

    def skills(low: int, high: int) -> set[str]:
        count = int(rng.integers(low, high + 1))
        return {
            skill_names[s] for s in rng.choice(SKILLS, size=count, replace=False, p=skill_weights)
        }

    mentor_profiles, mentor_team = [], []
    for k, person_id in enumerate(mentor_ids):
        if k < TEAMS:
            team, line = k, chain(k) - {person_id}
        elif k < TEAMS + ORGANIZATIONS:
            team = int(np.flatnonzero(org_of_team == k - TEAMS)[0])
            line = {vp_of_org[k - TEAMS], CEO}
        elif k < LEADERS:
            team, line = int(rng.integers(TEAMS)), {CEO}
        else:
            team = int(rng.integers(TEAMS))
            line = chain(team)
        mentor_team.append(team)
        reach = {
            groups[g]: round(float(rng.beta(2, 3)), 3)
            for g in rng.choice(len(groups), size=int(rng.integers(3, 11)), replace=False)
        }
        mentor_profiles.append(
            MentorProfile(
                person_id,
                behavior_levels={
                    b: int(rng.choice([2, 3, 4, 5], p=[0.15, 0.35, 0.3, 0.2])) for b in BEHAVIORS
                },
                skills=skills(5, 12),
                group_reach=reach,
                team=team_names[team],
                organization=org_names[org_of_team[team]],
                engagement_type=ENGAGEMENT[int(rng.integers(len(ENGAGEMENT)))],
                utc_offset_hours=offset_for(team),
                capacity=int(rng.integers(1, 6)),
                reporting_line=line,
            )
        )

    both = rng.choice(np.arange(LEADERS, mentors), size=min(50, mentors - LEADERS), replace=False)
    mentee_ids = [mentor_ids[k] for k in both.tolist()]
    mentee_ids += (rng.permutation(mentees - len(mentee_ids)) * 7 + 1_000 + 7 * mentors).tolist()
    mentee_profiles = []
    for k, person_id in enumerate(mentee_ids):
        team = mentor_team[both[k]] if k < len(both) else int(rng.integers(TEAMS))
        org = int(org_of_team[team])
        reached = {team_names[team], org_names[org]}
        reached |= {groups[g] for g in rng.choice(len(groups), size=int(rng.integers(0, 3)))}
        candidates = [g for g in groups if g not in reached]
        needed = set(rng.choice(candidates, size=int(rng.integers(1, 4)), replace=False).tolist())
        wanted = rng.choice(len(BEHAVIORS), size=int(rng.integers(1, 4)), replace=False)
        random_mentors = [
            mentor_ids[j] for j in rng.choice(mentors, size=int(rng.integers(1, 4)), replace=False)
        ]
        mentee_profiles.append(
            MenteeProfile(
                person_id,
                wants_to_grow={BEHAVIORS[b]: int(rng.integers(1, 4)) for b in wanted},
                behavior_levels={b: int(rng.integers(1, 5)) for b in BEHAVIORS},
                skills_wanted=skills(2, 5),
                needed_groups=needed,
                reached_groups=reached,
                team=team_names[team],
                organization=org_names[org],
                utc_offset_hours=offset_for(team),
                reporting_line=chain(team) - {person_id},
                excluded=set(random_mentors[:2]) if rng.random() < 0.03 else set(),
                previous_mentors={random_mentors[-1]} if rng.random() < 0.25 else set(),
                preferred_mentors=set(random_mentors) if rng.random() < 0.15 else set(),
                prefer_other_team=bool(rng.random() < 0.4),
                preferred_engagement=(
                    {ENGAGEMENT[int(rng.integers(len(ENGAGEMENT)))]}
                    if rng.random() < 0.3
                    else set()
                ),
            )
        )
    for j in rng.choice(mentors, size=mentors // 50, replace=False).tolist():  # 2% exclude mentees
        excluded = {mentee_ids[i] for i in rng.choice(mentees, size=2, replace=False).tolist()}
        profile = mentor_profiles[j]
        mentor_profiles[j] = MentorProfile(
            **{name: getattr(profile, name) for name in MentorProfile.__dataclass_fields__}
            | {"excluded": excluded}
        )
    return mentee_profiles, mentor_profiles


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mentees", type=int, default=5_000)
    parser.add_argument("--mentors", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--skip-participation", action="store_true")
    args = parser.parse_args(argv)
    if args.mentors < LEADERS + 50:
        parser.error(f"--mentors must be at least {LEADERS + 50}")
    print(
        f"python {sys.version.split()[0]}, numpy {np.__version__}, scipy {scipy.__version__}, "
        f"{os.cpu_count()} CPUs\n"
    )

    started = time.perf_counter()
    mentees, mentors = synthetic_pool(args.mentees, args.mentors, seed=args.seed)
    places = sum(mentor.capacity for mentor in mentors)
    print(
        f"generated {len(mentees):,} mentees and {len(mentors):,} mentors ({places:,} places, "
        f"capacities 1-5) in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    weights, constraints = Weights(), Constraints()

    started = time.perf_counter()
    optimal = optimal_assignment(mentees, mentors, weights=weights, constraints=constraints)
    optimal_seconds = time.perf_counter() - started
    print(
        f"\noptimal_assignment: {optimal_seconds:.2f} s, {len(optimal.matches):,} matched, "
        f"{len(optimal.unmatched):,} unmatched, total score {optimal.total_score:.4f}",
        flush=True,
    )
    print(f"  e.g. {optimal.matches[0].explanation}")
    reasons: dict[str, int] = {}
    for reason in optimal.unmatched.values():
        key = reason.split(":")[0].split(" (")[0]
        key = "all N allowed mentors ... are full" if key.startswith("all ") else key
        reasons[key] = reasons.get(key, 0) + 1
    for reason, count in sorted(reasons.items(), key=lambda item: -item[1]):
        print(f"  unmatched: {count:,} {reason}")

    started = time.perf_counter()
    greedy = greedy_assignment(mentees, mentors, weights=weights, constraints=constraints)
    greedy_seconds = time.perf_counter() - started
    print(
        f"greedy_assignment: {greedy_seconds:.2f} s, {len(greedy.matches):,} matched, "
        f"total score {greedy.total_score:.4f}",
        flush=True,
    )

    started = time.perf_counter()
    bound = lp_upper_bound(mentees, mentors, weights=weights, constraints=constraints)
    bound_seconds = time.perf_counter() - started
    print(f"lp_upper_bound: {bound_seconds:.2f} s, bound {bound:.4f}", flush=True)

    if not args.skip_participation:
        started = time.perf_counter()
        most = optimal_assignment(
            mentees, mentors, weights=weights, constraints=constraints, maximize_participation=True
        )
        print(
            f"optimal_assignment(maximize_participation=True): "
            f"{time.perf_counter() - started:.2f} s, {len(most.matches):,} matched "
            f"(+{len(most.matches) - len(optimal.matches):,}), total score {most.total_score:.4f}",
            flush=True,
        )

    ratio_greedy = optimal.total_score / greedy.total_score
    ratio_lp = optimal.total_score / bound
    print(f"\npeak memory {peak_memory_mb():,.0f} MB")
    print(f"RATIO optimal / greedy {ratio_greedy:.4f} (greedy reaches {1 / ratio_greedy:.2%})")
    print(
        f"RATIO optimal / LP bound {ratio_lp:.6f} (1.000000: optimal, proved by the LP; "
        f"gap {bound - optimal.total_score:.1e})"
    )
    checks_ok = ratio_greedy >= 1 - 1e-12 and abs(ratio_lp - 1) < 1e-6
    fast = optimal_seconds < TARGET_SECONDS
    verdict = "PASS" if fast and checks_ok else "FAIL"
    print(
        f"OPTIMAL {optimal_seconds:.2f} s (target < {TARGET_SECONDS:g} s), "
        f"optimal >= greedy and = LP bound: {verdict}"
    )
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
