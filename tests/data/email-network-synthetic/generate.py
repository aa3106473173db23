"""Write the synthetic e-mail network of this folder (see SOURCE.md).

Run ``python tests/data/email-network-synthetic/generate.py`` from anywhere:
it rewrites ``edges.txt``, ``department-labels.txt`` and ``temporal.txt.gz``
beside this file, byte for byte the same on every run (a fixed seed, no
network, a gzip header without a timestamp), and prints the counts that
SOURCE.md lists and the tests assert.

The model, in the order the code draws it:

1. **Departments** of very uneven size, falling off from 100 people to a few
   of 1-3, grouped at random into divisions. Department numbers and person
   ids are shuffled, so a department is not a range of ids.
2. **Activity**: each person's expected number of correspondents is
   log-normal (a few people write to hundreds, many to a handful); a few
   people write to nobody else, and some of those only to themselves.
3. **Ties**: a degree-corrected block model (Chung-Lu within each block). A
   person's expected ties are split between their department, the rest of
   their division and everybody else; a pair is tied with the probability
   that split gives it. This plants the community structure the tests
   recover: strong, but with enough ties across departments and divisions
   that modularity merges departments and the match is not perfect.
4. **Direction**: most ties go both ways, the rest one way at random
   (SNAP email-Eu-core reciprocates 71% of its directed edges). A few
   hundred people also e-mail themselves.
5. **Timing**: every directed edge, self-loops too, is sent a Zipf-
   distributed number of times, so most pairs exchange one or two e-mails
   and a few exchange hundreds; each e-mail gets a uniform second in the
   span. The distinct pairs of ``temporal.txt.gz`` are exactly ``edges.txt``.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

SEED = 20260331
HERE = Path(__file__).resolve().parent

DEPARTMENTS = 40
LARGEST_DEPARTMENT = 100
DIVISIONS = 8
# How a person's expected ties split: their department, the other departments
# of their division, everybody else. SNAP email-Eu-core keeps 35% of its
# non-self edges inside a department; these shares give the same.
SHARE_DEPARTMENT, SHARE_DIVISION, SHARE_REST = 0.4, 0.3, 0.3
MEDIAN_CORRESPONDENTS = 21
SILENT_PEOPLE = 9  # e-mail nobody else; the first third of them e-mail themselves
SELF_MAIL_RATE = 0.4
# Share of undirected ties sent both ways: r = 2m / (1 + m) of directed edges
# are then reciprocated, 0.71 for m = 0.55 as in SNAP email-Eu-core.
BOTH_WAYS = 0.55
ZIPF_EXPONENT = 2.4  # e-mails per directed pair: P(count = c) ~ c ** -2.4
MOST_REPEATS = 3_000
SPAN_SECONDS = 800 * 86_400


def department_sizes(rng: np.random.Generator) -> np.ndarray:
    """Sizes falling off exponentially from LARGEST_DEPARTMENT, with noise."""
    curve = LARGEST_DEPARTMENT * np.exp(-np.arange(DEPARTMENTS) / 9.6)
    sizes = np.maximum(1, np.rint(curve * rng.lognormal(0.0, 0.2, DEPARTMENTS)))
    sizes[0] = LARGEST_DEPARTMENT
    return np.sort(sizes.astype(np.int64))[::-1]


def undirected_ties(
    rng: np.random.Generator, department: np.ndarray, division: np.ndarray, expected: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``a < b`` drawn from the three-layer Chung-Lu model.

    ``p_ab = share * k_a * k_b / K``, where ``k`` is the expected number of
    correspondents and ``K`` the sum of ``k`` over the block both belong to
    (their department, their division, or everybody), capped at 1.
    """
    department_volume = np.bincount(department, weights=expected)
    division_volume = np.bincount(division, weights=expected)
    same_department = department[:, None] == department[None, :]
    same_division = (division[:, None] == division[None, :]) & ~same_department
    outer = np.outer(expected, expected)
    probability = np.where(
        same_department,
        SHARE_DEPARTMENT * outer / department_volume[department][None, :],
        np.where(
            same_division,
            SHARE_DIVISION * outer / division_volume[division][None, :],
            SHARE_REST * outer / expected.sum(),
        ),
    )
    probability = np.minimum(np.triu(probability, k=1), 1.0)
    return np.nonzero(rng.random(probability.shape) < probability)


def main() -> None:
    rng = np.random.default_rng(SEED)

    sizes = department_sizes(rng)
    people = int(sizes.sum())
    department = np.repeat(rng.permutation(DEPARTMENTS), sizes)[rng.permutation(people)]
    division = rng.integers(0, DIVISIONS, DEPARTMENTS)[department]

    expected = np.minimum(rng.lognormal(np.log(MEDIAN_CORRESPONDENTS), 1.35, people), people / 3)
    silent = rng.choice(people, SILENT_PEOPLE, replace=False)
    expected[silent] = 0.0
    a, b = undirected_ties(rng, department, division, expected)

    both_ways = rng.random(len(a)) < BOTH_WAYS
    forward = rng.random(len(a)) < 0.5
    one_way_src = np.where(forward, a, b)[~both_ways]
    one_way_dst = np.where(forward, b, a)[~both_ways]
    self_mailers = np.union1d(
        np.flatnonzero(rng.random(people) < SELF_MAIL_RATE), silent[: SILENT_PEOPLE // 3]
    )
    src = np.concatenate([a[both_ways], b[both_ways], one_way_src, self_mailers])
    dst = np.concatenate([b[both_ways], a[both_ways], one_way_dst, self_mailers])
    order = np.lexsort((dst, src))
    src, dst = src[order], dst[order]

    repeats = np.minimum(rng.zipf(ZIPF_EXPONENT, len(src)), MOST_REPEATS)
    t_src, t_dst = np.repeat(src, repeats), np.repeat(dst, repeats)
    seconds = rng.integers(0, SPAN_SECONDS, len(t_src))
    seconds -= seconds.min()  # SNAP's clock starts at the first e-mail, t = 0
    order = np.lexsort((t_dst, t_src, seconds))
    t_src, t_dst, seconds = t_src[order], t_dst[order], seconds[order]

    (HERE / "edges.txt").write_text("".join(f"{s} {d}\n" for s, d in zip(src, dst, strict=True)))
    (HERE / "department-labels.txt").write_text(
        "".join(f"{person} {department[person]}\n" for person in range(people))
    )
    rows = "".join(f"{s} {d} {t}\n" for s, d, t in zip(t_src, t_dst, seconds, strict=True))
    with (
        open(HERE / "temporal.txt.gz", "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as handle,
    ):
        handle.write(rows.encode())

    loop = src == dst
    # E-mails per undirected pair, both ways, self-loops left out.
    pair = (np.minimum(src, dst) * people + np.maximum(src, dst))[~loop]
    per_pair = np.bincount(np.unique(pair, return_inverse=True)[1], weights=repeats[~loop])
    print(f"people (department-labels.txt rows): {people}")
    print(f"departments: {DEPARTMENTS}, sizes {sizes.tolist()}")
    print(f"edges.txt: {len(src)} directed edges, {int(loop.sum())} of them self-loops")
    print(f"people in edges.txt: {len(np.union1d(src, dst))}")
    print(f"people tied to someone else: {len(np.union1d(src[~loop], dst[~loop]))}")
    print(f"temporal.txt.gz: {len(t_src)} rows, {len(src)} distinct directed pairs")
    print(f"  rows that are self-loops: {int((t_src == t_dst).sum())}")
    print(f"  undirected pairs, self-loops left out: {len(per_pair)}")
    print(f"  span: {seconds.max()} s = {seconds.max() / 86_400:.1f} days")
    print(f"  most e-mails in one pair (both ways): {int(per_pair.max())}")
    print(
        "  pairs with 1 - 0.5 ** count == 1.0 (54 e-mails or more): "
        f"{int(np.sum(1.0 - 0.5**per_pair == 1.0))}"
    )


if __name__ == "__main__":
    main()
