"""Benchmark: the whole network analysis (``analyze``) at 100,000 people, and against NetworkX.

Run::

    python bench/ona.py            # 100,000 people, about 3M ties; a 10,000-person subgraph
    python bench/ona.py --quick    # 20,000 people; a 2,000-person subgraph

1. Generates an organization with ``synthetic_ties`` of ``bench/paths.py``
   (seeded, vectorized; person ``i`` in team ``i // 200``, ten teams to a
   department, heavy-tailed activity, 45% of tie draws inside the team, 30%
   inside the department, 25% anywhere). Only the first ``--draws-per-person``
   (36) draws per person are kept -- the draws are independent, so this is the
   same organization drawn less densely -- and self-ties are dropped:
   100,000 people get about 3.0M distinct ties. Every person gets a team,
   an organization (the department), an engagement type (80% employee_ft,
   8% employee_pt, 5% contractor, 3% freelancer, 2% alumni, 1% partner,
   1% external) and ``internal`` ("yes" for employees).
2. In a fresh child process (so its peak memory is its own; ``os.wait4``
   gives the child's ``ru_maxrss``): one small warm-up ``analyze`` (Numba
   kernels load from their on-disk cache or compile), then
   ``Network.from_ties`` and ``analyze(network, options=AnalysisOptions(layout=False))``
   on the whole organization: wall time of each, the seconds of every step
   (``NetworkAnalysis.timings``) and how far each step raised the peak
   memory. Targets: build + analyze under 90 s, peak memory under 6 GB.
3. On the induced subgraph of the first ``--subgraph`` people (the first 50
   teams at 10,000), ``analyze`` with exact betweenness
   (``exact_betweenness_up_to`` = subgraph size) and no layout, run twice,
   each on a freshly built Network (a Network caches its igraph copy): before
   and after the baseline; ours is rated on the mean, so a burst of load
   favours neither side. And the same metrics with NetworkX on the
   same graph (the Network's ties, one per pair, summed weights):

   * degree, strength, ``pagerank(weight=...)``, ``eigenvector_centrality_numpy``
     (on the largest component: NetworkX refuses a disconnected graph, and
     ours does the same), ``core_number``, ``constraint`` and
     ``effective_size`` (weighted, ``nodes=None``, the call a user makes: with
     SciPy installed NetworkX then takes a sparse-matrix route for all nodes),
     ``single_source_shortest_path_length(cutoff=2)`` for every node,
     ``louvain_communities`` (Leiden needs another backend) with
     ``modularity``, and ``articulation_points`` with
     ``biconnected_components`` (the graph part of key-person risk): measured;
   * exact ``betweenness_centrality``: timed on ``--nx-sources`` (100) sampled
     sources and extrapolated linearly to all (Brandes' algorithm does the
     same work per source; the full run takes about an hour);
   * for information only, NetworkX's per-node ``constraint`` /
     ``effective_size`` route (taken when ``nodes=`` is given, or without
     SciPy): timed on ``--nx-ego-nodes`` (10) random people and extrapolated.
     It is cubic in the degree, so a handful of hubs dominate and the
     extrapolation from a uniform sample is noisy (and usually low).
   * no NetworkX function: brokerage roles, hierarchy, diversity, groups,
     open talent (ours still counts their time).

   The ratio is NetworkX's total over the wall time of our whole
   ``analyze`` call (every step, also those NetworkX has no counterpart
   for); graph construction is timed on both sides but not counted. Target:
   at least 100x.
4. Checks that both sides agree where they compute the same thing: degree,
   strength, PageRank (NetworkX with ``tol=1e-12``: its default tolerance
   stops early), eigenvector, k-core, betweenness (our Brandes kernel on
   NetworkX's sampled sources), constraint and effective size (both routes),
   two-step reach, the modularity of our partition, articulation points.
   NetworkX 3.6's SciPy route of weighted ``effective_size`` is wrong (the
   row maxima broadcast over columns, networkx#8906): its time counts, its
   values are compared only for information, and the same route with the
   fix is checked instead.

The load average is printed: on a busy machine compare the numbers of one
run with each other.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from paths import TEAM_SIZE, TEAMS_PER_DEPARTMENT, synthetic_ties

TARGET_SECONDS = 90.0
TARGET_MEMORY_GB = 6.0
TARGET_RATIO = 100.0
ENGAGEMENT = {
    "employee_ft": 0.80,
    "employee_pt": 0.08,
    "contractor": 0.05,
    "freelancer": 0.03,
    "alumni": 0.02,
    "partner": 0.01,
    "external": 0.01,
}
INTERNAL = ("employee_ft", "employee_pt")


# -------------------------------------------------------------------- the organization


def organization(people: int, *, seed: int, draws_per_person: float = 36) -> dict[str, np.ndarray]:
    """Tie draws (``a``, ``b``, ``strength``; self-ties dropped), the ``ids`` of the
    people in generation order (team ``i // 200``) and an ``engagement`` code per person."""
    if not 0 < draws_per_person <= 44:  # synthetic_ties draws 44 per person
        raise ValueError("draws_per_person must be in (0, 44]")
    a, b, strength, ids = synthetic_ties(people, seed=seed)
    keep = int(people * draws_per_person)
    a, b, strength = a[:keep], b[:keep], strength[:keep]
    tie = a != b
    rng = np.random.default_rng(seed + 1_000)
    engagement = rng.choice(len(ENGAGEMENT), size=people, p=list(ENGAGEMENT.values()))
    return {
        "a": a[tie],
        "b": b[tie],
        "strength": strength[tie],
        "ids": ids,
        "engagement": engagement.astype(np.int8),
    }


def attributes(ids: np.ndarray, engagement: np.ndarray) -> dict[int, dict[str, str]]:
    """Node attributes of people ``ids[i]`` (generation order: team ``i // 200``)."""
    kinds = list(ENGAGEMENT)
    result = {}
    for i, (person, code) in enumerate(zip(ids.tolist(), engagement.tolist(), strict=True)):
        team = i // TEAM_SIZE
        kind = kinds[code]
        result[person] = {
            "team": f"T{team:04d}",
            "organization": f"D{team // TEAMS_PER_DEPARTMENT:03d}",
            "engagement": kind,
            "internal": "yes" if kind in INTERNAL else "no",
        }
    return result


def warm_up() -> float:
    """A small ``analyze`` (2,000 people): Numba kernels load from cache or compile."""
    from bridgework.core.graph.analysis import AnalysisOptions, analyze
    from bridgework.core.graph.network import Network

    started = time.perf_counter()
    small = organization(2_000, seed=99)
    network = Network.from_ties(
        small["a"],
        small["b"],
        small["strength"],
        nodes=small["ids"],
        attributes=attributes(small["ids"], small["engagement"]),
    )
    analyze(network, options=AnalysisOptions(layout=False))
    return time.perf_counter() - started


def peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9  # KiB on Linux


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min)"


# -------------------------------------------------------------------- 1. the whole organization


def run_whole(path: Path) -> dict:
    """The child process: warm up, build the Network, run ``analyze``; a JSON summary."""
    from bridgework.core.graph.analysis import AnalysisOptions, analyze
    from bridgework.core.graph.network import Network

    after_imports = peak_gb()
    warm_seconds = warm_up()
    print(f"  warm-up analyze on 2,000 people: {warm_seconds:.1f} s", flush=True)
    data = dict(np.load(path))
    started = time.perf_counter()
    attrs = attributes(data["ids"], data["engagement"])
    attributes_seconds = time.perf_counter() - started
    before_build = peak_gb()
    started = time.perf_counter()
    network = Network.from_ties(
        data["a"], data["b"], data["strength"], nodes=data["ids"], attributes=attrs
    )
    build_seconds = time.perf_counter() - started
    del data, attrs
    print(
        f"  Network.from_ties: {network.number_of_nodes():,} people, "
        f"{network.number_of_edges():,} ties in {build_seconds:.1f} s",
        flush=True,
    )
    peaks = {"build": peak_gb()}
    marks: list[tuple[str, float]] = []
    begun = time.perf_counter()

    def progress(step: str, done: int, total: int) -> None:
        marks.append((step, peak_gb()))
        print(f"  {time.perf_counter() - begun:6.1f} s  {step}", flush=True)

    started, cpu = time.perf_counter(), time.process_time()
    result = analyze(network, options=AnalysisOptions(layout=False), progress=progress)
    analyze_seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    for (step, _), (_, after) in zip(marks, marks[1:], strict=False):
        peaks[step] = after
    degree = result.people["degree"].to_numpy()
    return {
        "people": network.number_of_nodes(),
        "ties": network.number_of_edges(),
        "mean_degree": float(degree.mean()),
        "max_degree": int(degree.max()),
        "warm_up_seconds": warm_seconds,
        "attributes_seconds": attributes_seconds,
        "build_seconds": build_seconds,
        "analyze_seconds": analyze_seconds,
        "analyze_cpu_seconds": cpu,
        "timings": result.timings,
        "peak_after_gb": peaks,
        "peak_after_imports_gb": after_imports,
        "peak_before_build_gb": before_build,
        "summary": {k: v for k, v in result.summary.items() if not isinstance(v, dict)},
        "columns": len(result.people.columns),
    }


def measure_whole(path: Path) -> dict:
    """Run :func:`run_whole` in a fresh process; its result plus its own peak memory."""
    process = subprocess.Popen(
        [sys.executable, __file__, "--worker", str(path)], stdout=subprocess.PIPE, text=True
    )
    result = None
    for line in process.stdout:
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT ") :])
        else:
            print(line, end="", flush=True)
    _pid, status, usage = os.wait4(process.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code != 0 or result is None:
        raise SystemExit(f"the 100k run failed (exit {code})")
    result["peak_gb"] = usage.ru_maxrss * 1024 / 1e9
    result["child_cpu_seconds"] = usage.ru_utime + usage.ru_stime
    return result


def report_whole(result: dict, quick: bool) -> bool:
    total = result["build_seconds"] + result["analyze_seconds"]
    print(
        f"\n{result['people']:,} people, {result['ties']:,} ties "
        f"(mean degree {result['mean_degree']:.1f}, max {result['max_degree']:,})"
    )
    print(f"{'step':22}{'seconds':>9}{'share':>8}{'peak GB after':>15}{'peak rise':>11}")
    previous = result["peak_before_build_gb"]
    rows = [("Network.from_ties", result["build_seconds"], result["peak_after_gb"]["build"])]
    rows += [
        (step, seconds, result["peak_after_gb"].get(step, math.nan))
        for step, seconds in result["timings"].items()
    ]
    for step, seconds, after in rows:
        rise = after - previous if not math.isnan(after) else math.nan
        previous = after if not math.isnan(after) else previous
        print(f"{step:22}{seconds:>9.2f}{seconds / total:>8.1%}{after:>15.2f}{rise:>+11.2f}")
    other = result["analyze_seconds"] - sum(result["timings"].values())
    print(f"{'(setup and summary)':22}{other:>9.2f}{other / total:>8.1%}")
    print(
        f"{'analyze (whole call)':22}{result['analyze_seconds']:>9.2f}"
        f"{result['analyze_seconds'] / total:>8.1%}"
        f"   (CPU {result['analyze_cpu_seconds']:.1f} s: "
        f"{result['analyze_cpu_seconds'] / result['analyze_seconds']:.2f} cores busy on average)"
    )
    summary = result["summary"]
    if summary.get("betweenness_exact"):
        how = "exact"
    else:
        samples = summary.get("betweenness_samples")
        confidence = summary.get("betweenness_confidence")
        how = (
            f"estimated ({samples:,} samples), every value within "
            f"{summary.get('betweenness_error_bound', math.nan):.4f} (normalized)"
            + (f" with probability {confidence:g}" if confidence is not None else "")
        )
    print(
        f"betweenness {how}; {summary.get('communities')} communities, modularity "
        f"{summary.get('modularity', math.nan):.4f}; {summary.get('components')} components, "
        f"largest {summary.get('largest_component', 0):,}; {result['columns']} person columns"
    )
    print(
        f"not counted: attributes dict {result['attributes_seconds']:.2f} s, warm-up "
        f"{result['warm_up_seconds']:.1f} s; peak after imports "
        f"{result['peak_after_imports_gb']:.2f} GB, before the build "
        f"{result['peak_before_build_gb']:.2f} GB (input arrays and attributes loaded)"
    )
    time_ok = total < TARGET_SECONDS
    memory_ok = result["peak_gb"] < TARGET_MEMORY_GB
    note = " [quick run: the targets are for 100,000 people]" if quick else ""
    print(
        f"WALL TIME {total:.1f} s = build {result['build_seconds']:.1f} s + analyze "
        f"{result['analyze_seconds']:.1f} s (target < {TARGET_SECONDS:g} s): "
        f"{'PASS' if time_ok else 'FAIL'}{note}"
    )
    print(
        f"PEAK MEMORY {result['peak_gb']:.2f} GB, whole child process "
        f"(target < {TARGET_MEMORY_GB:g} GB): {'PASS' if memory_ok else 'FAIL'}{note}"
    )
    return time_ok and memory_ok


# -------------------------------------------------------------------- 2. the subgraph


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - started


def run_ours(network, size: int):
    from bridgework.core.graph.analysis import AnalysisOptions, analyze

    options = AnalysisOptions(layout=False, exact_betweenness_up_to=max(size, 5000))
    return timed(analyze, network, options=options)


def compare_subgraph(data: dict, args) -> tuple[bool, bool]:
    import networkx as nx
    import numba

    from bridgework.core.graph import _kernels
    from bridgework.core.graph.network import Network

    size = args.subgraph
    ids = data["ids"]
    order = np.argsort(ids)
    index_a = order[np.searchsorted(ids, data["a"], sorter=order)]
    index_b = order[np.searchsorted(ids, data["b"], sorter=order)]
    inside = (index_a < size) & (index_b < size)
    attrs = attributes(ids[:size], data["engagement"][:size])

    def build():
        return Network.from_ties(
            data["a"][inside],
            data["b"][inside],
            data["strength"][inside],
            nodes=ids[:size],
            attributes=attrs,
        )

    # Each run of ours gets a fresh Network: a Network caches its igraph copy.
    network, build_ours = timed(build)
    n = network.number_of_nodes()
    degrees = np.diff(network.csr()[0])
    print(
        f"subgraph: the first {size:,} people ({size // TEAM_SIZE} teams) and the "
        f"{network.number_of_edges():,} ties among them (mean degree {degrees.mean():.1f}, "
        f"max {degrees.max():,}, {int((degrees == 0).sum())} without ties); "
        f"Network built in {build_ours:.2f} s",
        flush=True,
    )
    first, first_seconds = run_ours(network, size)
    print(f"analyze (exact betweenness, no layout), run 1: {first_seconds:.2f} s", flush=True)

    # NetworkX: the same ties, one per pair with the summed weight, and the same people.
    started = time.perf_counter()
    graph = nx.Graph()
    graph.add_nodes_from(network.ids.tolist())
    graph.add_weighted_edges_from(
        zip(
            network.ids[network.sources].tolist(),
            network.ids[network.targets].tolist(),
            network.weights.tolist(),
            strict=True,
        )
    )
    build_nx = time.perf_counter() - started
    print(f"NetworkX {nx.__version__} graph built in {build_nx:.2f} s; {load()}", flush=True)

    nx_rows: list[tuple[str, str, float, str]] = []  # (step, metric, seconds, how)
    measured = "measured"

    def step(step_name: str, metric: str, seconds: float, how: str = measured) -> None:
        nx_rows.append((step_name, metric, seconds, how))
        print(f"  {metric:34}{seconds:>10.2f} s  {how}", flush=True)

    nx_degree, s = timed(lambda: dict(graph.degree()))
    step("centrality", "degree", s)
    nx_strength, s = timed(lambda: dict(graph.degree(weight="weight")))
    step("centrality", "weighted degree", s)
    nx_pagerank, s = timed(nx.pagerank, graph, weight="weight")
    step("centrality", "pagerank", s)

    def eigenvector():
        giant = graph.subgraph(max(nx.connected_components(graph), key=len))
        return nx.eigenvector_centrality_numpy(giant, weight="weight")

    nx_eigenvector, s = timed(eigenvector)
    step("centrality", "eigenvector (largest component)", s)
    nx_core, s = timed(nx.core_number, graph)
    step("centrality", "k-core", s)

    sources = min(args.nx_sources, n)
    nx_betweenness, s = timed(nx.betweenness_centrality, graph, k=sources, seed=args.seed)
    step(
        "betweenness",
        "betweenness (exact)",
        s * n / sources,
        f"extrapolated from {sources:,} of {n:,} sources ({s:.1f} s measured)",
    )

    nx_constraint, s = timed(nx.constraint, graph, weight="weight")
    step("structural holes", "constraint", s, f"{measured} (SciPy route, nodes=None)")
    nx_effective, s = timed(nx.effective_size, graph, weight="weight")
    step("structural holes", "effective size", s, f"{measured} (SciPy route, nodes=None)")

    reach_nodes = list(graph)[: min(args.nx_reach_nodes, n)]

    def reach():
        return {
            v: len(nx.single_source_shortest_path_length(graph, v, cutoff=2)) - 1
            for v in reach_nodes
        }

    nx_reach, s = timed(reach)
    how = (
        measured
        if len(reach_nodes) == n
        else f"extrapolated from {len(reach_nodes):,} people ({s:.1f} s measured)"
    )
    step("reach", "two-step reach", s * n / len(reach_nodes), how)

    nx_louvain, s = timed(nx.community.louvain_communities, graph, weight="weight", seed=args.seed)
    step("communities", "louvain_communities", s)
    louvain_modularity, s = timed(nx.community.modularity, graph, nx_louvain, weight="weight")
    step("communities", "modularity", s)

    def articulation():
        return set(nx.articulation_points(graph)), list(nx.biconnected_components(graph))

    (nx_points, _), s = timed(articulation)
    step("key-person risk", "articulation points + blocks", s)

    # For information: the per-node route of constraint and effective size.
    rng = np.random.default_rng(args.seed)
    nodes = list(graph)
    ego = [nodes[i] for i in rng.choice(n, size=min(args.nx_ego_nodes, n), replace=False)]
    ego_constraint, s_constraint = timed(nx.constraint, graph, nodes=ego, weight="weight")
    ego_effective, s_effective = timed(nx.effective_size, graph, nodes=ego, weight="weight")
    print(
        f"  (not counted) per-node route, {len(ego)} random people (degrees "
        f"{sorted((graph.degree(v) for v in ego), reverse=True)}): constraint "
        f"{s_constraint:.1f} s -> ~{s_constraint * n / len(ego):,.0f} s for all, effective size "
        f"{s_effective:.1f} s -> ~{s_effective * n / len(ego):,.0f} s for all (extrapolated)",
        flush=True,
    )

    second, second_seconds = run_ours(build(), size)
    print(f"analyze, run 2: {second_seconds:.2f} s; {load()}", flush=True)
    ours_seconds = (first_seconds + second_seconds) / 2
    ours_steps = {
        name: (first.timings.get(name, 0.0) + second.timings.get(name, 0.0)) / 2
        for name in first.timings
    }

    # ---- the table
    print(
        f"\n{'step':18}{'run 1':>8}{'run 2':>8}{'ours s':>9}{'NetworkX s':>12}{'ratio':>9}"
        "   NetworkX metrics"
    )
    nx_total = 0.0
    for name, ours in ours_steps.items():
        runs = f"{first.timings.get(name, 0.0):>8.2f}{second.timings.get(name, 0.0):>8.2f}"
        rows = [row for row in nx_rows if row[0] == name]
        theirs = sum(row[2] for row in rows)
        nx_total += theirs
        if rows:
            extrapolated = any(row[3].startswith("extrapolated") for row in rows)
            what = ", ".join(row[1] for row in rows) + (" (extrapolated)" if extrapolated else "")
            ratio = f"{theirs / ours:>8.0f}x" if ours > 0 else f"{'-':>9}"
            print(f"{name:18}{runs}{ours:>9.2f}{theirs:>12.1f}{ratio}   {what}")
        else:
            why = "skipped (layout=False)" if name == "layout" else "no NetworkX function"
            print(f"{name:18}{runs}{ours:>9.2f}{'-':>12}{'-':>9}   {why}")
    print(
        "(structural holes: ours also computes hierarchy; key-person risk: ours also counts "
        "people cut off, group access and group links)"
    )
    ratio = nx_total / ours_seconds
    print(
        f"{'TOTAL':18}{first_seconds:>8.2f}{second_seconds:>8.2f}{ours_seconds:>9.2f}"
        f"{nx_total:>12.1f}{ratio:>8.0f}x   ours: the whole analyze call, mean of the two runs; "
        f"graph builds not counted (ours {build_ours:.2f} s, NetworkX {build_nx:.2f} s)"
    )

    # ---- agreement
    print("\nagreement on the subgraph:")
    people = first.people.set_index("person")
    checks: list[bool] = []

    def check(label: str, ok: bool, detail: str) -> None:
        checks.append(ok)
        print(f"  {label:38}{detail:60}{'ok' if ok else 'MISMATCH'}")

    def column(name: str, keys) -> np.ndarray:
        return people.loc[list(keys), name].to_numpy(dtype=float)

    def max_abs(ours_values: np.ndarray, theirs: np.ndarray) -> float:
        both_nan = np.isnan(ours_values) & np.isnan(theirs)
        diff = np.abs(ours_values - theirs)
        diff[both_nan] = 0.0
        return float(np.nan_to_num(diff, nan=np.inf).max()) if len(diff) else 0.0

    keys = list(nx_degree)
    check(
        "degree",
        np.array_equal(column("degree", keys), [nx_degree[k] for k in keys]),
        "identical",
    )
    d = max_abs(column("weighted_degree", keys), np.array([nx_strength[k] for k in keys]))
    check("weighted degree", d <= 1e-9, f"max abs diff {d:.1e}")
    exact_pagerank = nx.pagerank(graph, weight="weight", tol=1e-12, max_iter=10_000)
    d = max_abs(column("pagerank", keys), np.array([exact_pagerank[k] for k in keys]))
    ours_pr = column("pagerank", keys)
    default_pr = np.array([nx_pagerank[k] for k in keys])
    early = float(np.max(np.abs(default_pr - ours_pr) / ours_pr))
    check(
        "pagerank (NetworkX tol=1e-12)",
        d <= 1e-9,
        f"max abs diff {d:.1e} (default tol: up to {early:.1%} off)",
    )
    giant_keys = list(nx_eigenvector)
    d = max_abs(
        column("eigenvector", giant_keys), np.array([nx_eigenvector[k] for k in giant_keys])
    )
    outside = column("eigenvector", [k for k in keys if k not in nx_eigenvector])
    check(
        "eigenvector",
        d <= 1e-6 and not outside.any(),
        f"max abs diff {d:.1e}; {len(outside)} outside the largest component at 0",
    )
    check(
        "k-core",
        np.array_equal(column("k_core", keys), [nx_core[k] for k in keys]),
        "identical",
    )
    # NetworkX draws its sources with random.Random(seed).sample(list(G), k); run our
    # Brandes kernel from the same sources and undo NetworkX's sampled normalization.
    chosen = random.Random(args.seed).sample(list(graph.nodes()), sources)
    dense = np.asarray([network.index(v) for v in chosen], dtype=np.int64)
    indptr, indices, _ = network.csr()
    chosen_set = set(chosen)
    scale_source = 1 / ((sources - 1) * (n - 2)) if sources > 1 else math.nan
    scale_other = 1 / (sources * (n - 2))
    nx_raw = np.array(
        [
            nx_betweenness[v] / (scale_source if v in chosen_set else scale_other)
            for v in network.nodes
        ]
    )
    try:  # a private kernel: report, rather than crash, if its signature changes
        summed = _kernels.brandes_unweighted(
            np.ascontiguousarray(indptr, dtype=np.int64),
            np.ascontiguousarray(indices, dtype=np.int64),
            np.sort(dense),
            max(1, min(len(dense), numba.get_num_threads() * 2)),
        )
    except Exception as error:  # noqa: BLE001
        check(f"betweenness ({sources} sources)", False, f"kernel call failed: {error}")
    else:
        d = float(np.max(np.abs(summed - nx_raw)) / max(1.0, float(np.max(np.abs(nx_raw)))))
        check(
            f"betweenness ({sources} sources)", d <= 1e-9, f"max diff {d:.1e} relative to the max"
        )
    for label, ours_name, theirs in (
        ("constraint (SciPy route)", "constraint", nx_constraint),
        ("constraint (per-node route)", "constraint", ego_constraint),
        ("effective size (per-node route)", "effective_size", ego_effective),
        ("effective size (SciPy route, fixed)", "effective_size", fixed_effective_size(graph)),
    ):
        some = list(theirs)
        d = max_abs(column(ours_name, some), np.array([theirs[k] for k in some], dtype=float))
        check(label, d <= 1e-9, f"max abs diff {d:.1e} on {len(some):,} people")
    d = max_abs(column("effective_size", keys), np.array([nx_effective[k] for k in keys]))
    if d <= 1e-9:
        check("effective size (SciPy route)", True, f"max abs diff {d:.1e} on {n:,} people")
    else:  # NetworkX's own two routes disagree on weighted graphs: not ours to fail
        print(
            f"  {'effective size (SciPy route)':38}{f'max abs diff {d:.1e}: a NetworkX bug':60}"
            "not counted\n"
            f"  {'':38}(networkx#8906: the row maxima broadcast over columns; its per-node "
            "route and the fixed route above agree with ours)"
        )
    check(
        "two-step reach",
        np.array_equal(column("two_step_reach", nx_reach), list(nx_reach.values())),
        f"identical on {len(nx_reach):,} people",
    )
    partition: dict = {}
    for person, community in people["community"].items():
        partition.setdefault(community, set()).add(person)
    nx_of_ours = nx.community.modularity(graph, partition.values(), weight="weight")
    d = abs(nx_of_ours - first.summary["modularity"])
    check(
        "modularity of our partition",
        d <= 1e-9,
        f"abs diff {d:.1e}; Leiden {first.summary['modularity']:.4f} "
        f"({len(partition)}) vs Louvain {louvain_modularity:.4f} ({len(nx_louvain)})",
    )
    ours_points = set(people.index[people["components_split"] > 0])
    check(
        "articulation points",
        ours_points == nx_points,
        f"{len(ours_points):,} ours, {len(nx_points):,} NetworkX",
    )
    agree = all(checks)
    print(f"AGREEMENT: {'PASS' if agree else 'FAIL'}")
    ratio_ok = ratio >= TARGET_RATIO
    note = "" if size == 10_000 else f" [the target is for a 10,000-person subgraph, not {size:,}]"
    print(
        f"RATIO {ratio:.0f}x, NetworkX {nx_total:,.0f} s / ours {ours_seconds:.2f} s "
        f"(target >= {TARGET_RATIO:g}x): {'PASS' if ratio_ok else 'FAIL'}{note}"
    )
    return ratio_ok, agree


def fixed_effective_size(graph) -> dict:
    """NetworkX's SciPy route of weighted ``effective_size`` with the fix of networkx#8906
    (divide each row by its own maximum); dense n x n, so for the subgraph only."""
    import networkx as nx

    mutual = nx.adjacency_matrix(graph, weight="weight")
    mutual = (mutual + mutual.T).tocsr()
    with np.errstate(divide="ignore", invalid="ignore"):
        by_sum = mutual / mutual.sum(axis=1)[:, np.newaxis]
        by_max = mutual / mutual.max(axis=1).toarray()[:, np.newaxis]
        redundancy = 1 - np.asarray((by_sum @ by_max.T).todense())
    values = np.asarray((by_sum > 0).multiply(redundancy).sum(axis=1)).ravel()
    values[np.diff(mutual.indptr) == 0] = np.nan
    return dict(zip(graph, values.tolist(), strict=True))


# -------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=None, help="default 100,000")
    parser.add_argument("--subgraph", type=int, default=None, help="default 10,000")
    parser.add_argument("--quick", action="store_true", help="20,000 people, subgraph 2,000")
    parser.add_argument("--draws-per-person", type=float, default=36)
    parser.add_argument("--nx-sources", type=int, default=100)
    parser.add_argument("--nx-ego-nodes", type=int, default=10)
    parser.add_argument("--nx-reach-nodes", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-whole", action="store_true", help="only the subgraph comparison")
    parser.add_argument("--skip-baseline", action="store_true", help="only the whole run")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker is not None:
        print("RESULT " + json.dumps(run_whole(args.worker)), flush=True)
        return 0
    args.people = args.people or (20_000 if args.quick else 100_000)
    args.subgraph = min(args.subgraph or (2_000 if args.quick else 10_000), args.people)

    import numba

    print(
        f"python {sys.version.split()[0]}, numpy {np.__version__}, {os.cpu_count()} CPUs, "
        f"{numba.get_num_threads()} Numba threads; {load()}\n",
        flush=True,
    )
    started = time.perf_counter()
    data = organization(args.people, seed=args.seed, draws_per_person=args.draws_per_person)
    print(
        f"generated {args.people:,} people and {len(data['a']):,} tie draws "
        f"({args.draws_per_person:g} per person, self-ties dropped) in "
        f"{time.perf_counter() - started:.1f} s",
        flush=True,
    )
    ok = True
    if not args.skip_whole:
        print(f"\n== analyze on the whole organization (child process); {load()}", flush=True)
        with tempfile.TemporaryDirectory(prefix="bridgework-ona-") as folder:
            path = Path(folder) / "organization.npz"
            np.savez(path, **data)
            whole = measure_whole(path)
        ok = report_whole(whole, args.quick) and ok
    if not args.skip_baseline:
        print(f"\n== {args.subgraph:,}-person subgraph against NetworkX; {load()}", flush=True)
        seconds = warm_up()
        print(f"warm-up analyze on 2,000 people (not counted): {seconds:.1f} s", flush=True)
        ratio_ok, agree = compare_subgraph(data, args)
        ok = ok and ratio_ok and agree
    print(f"\n{load()}; the whole benchmark took {time.perf_counter() - started:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
