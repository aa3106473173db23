"""Compiled loops over two-paths, for metrics no graph engine provides.

Burt's measures and brokerage roles need, for every person, a walk over the
ties of each of their contacts: :math:`\\sum_v \\deg(v)^2` steps, about a
billion for 100,000 people with 3 million ties. Vectorized numpy has to
materialize every two-path and takes minutes there; these loops, compiled
by Numba, take seconds. Only ``core/graph/engines.py`` imports this module.

All inputs are a symmetric CSR adjacency: ``indptr`` (n + 1), ``indices``
(the neighbor of each slot, sorted within a row) and per-slot values.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange
from numpy.typing import NDArray

# Annotations are for readers and mypy; Numba types each call from its arguments.
Ints = NDArray[np.int64]
Floats = NDArray[np.float64]


@njit(cache=True, nogil=True, parallel=True)
def closed_two_path_sums(  # pragma: no cover - compiled
    indptr: Ints, indices: Ints, p: Floats, scaled: Floats, chunks: int
) -> tuple[Floats, Floats]:
    """For each slot ``i -> j``: :math:`\\sum_q p_{iq} p_{qj}` over common neighbors ``q``;
    for each person ``i``: :math:`\\sum_{j} \\sum_q p_{iq}\\, scaled_{qj}` (redundancy).
    People are split into ``chunks`` run in parallel; each writes only its own rows."""
    n = len(indptr) - 1
    indirect = np.zeros(len(indices))
    redundancy = np.zeros(n)
    for c in prange(chunks):
        mark = np.full(n, -1, dtype=np.int64)
        slot = np.zeros(n, dtype=np.int64)
        for i in range(c, n, chunks):
            for e in range(indptr[i], indptr[i + 1]):
                mark[indices[e]] = i
                slot[indices[e]] = e
            total = 0.0
            for e_iq in range(indptr[i], indptr[i + 1]):
                q = indices[e_iq]
                p_iq = p[e_iq]
                for e_qj in range(indptr[q], indptr[q + 1]):
                    j = indices[e_qj]
                    if j != i and mark[j] == i:
                        indirect[slot[j]] += p_iq * p[e_qj]
                        total += p_iq * scaled[e_qj]
            redundancy[i] = total
    return indirect, redundancy


@njit(cache=True, nogil=True, parallel=True)
def brokerage_counts(  # pragma: no cover - compiled
    indptr: Ints, indices: Ints, group: Ints, n_groups: int, chunks: int
) -> Ints:
    """Gould-Fernandez role counts (n x 5: coordinator, itinerant, representative,
    gatekeeper, liaison) over ordered open two-paths ``a - b - c`` of an undirected graph.
    Brokers are split into ``chunks`` run in parallel."""
    n = len(indptr) - 1
    counts = np.zeros((n, 5), dtype=np.int64)
    for ch in prange(chunks):
        mark = np.full(n, -1, dtype=np.int64)
        per_group = np.zeros(n_groups, dtype=np.int64)
        for b in range(ch, n, chunks):
            gb = group[b]
            start, stop = indptr[b], indptr[b + 1]
            degree = stop - start
            for e in range(start, stop):
                a = indices[e]
                mark[a] = b
                per_group[group[a]] += 1
            same = per_group[gb]
            other = degree - same
            squares = 0
            for e in range(start, stop):
                g = group[indices[e]]
                if g != gb and per_group[g] > 0:
                    squares += per_group[g] * per_group[g]
                    per_group[g] = 0  # count each group once
            per_group[gb] = 0
            coordinator = same * (same - 1)
            itinerant = squares - other
            representative = same * other
            gatekeeper = other * same
            liaison = other * other - squares
            # Remove the closed pairs: a and c tied to each other as well as to b.
            for e in range(start, stop):
                a = indices[e]
                ga = group[a]
                for f in range(indptr[a], indptr[a + 1]):
                    c = indices[f]
                    if c == b or mark[c] != b:
                        continue
                    gc = group[c]
                    if ga == gb and gc == gb:
                        coordinator -= 1
                    elif ga == gc:
                        itinerant -= 1
                    elif ga == gb:
                        representative -= 1
                    elif gc == gb:
                        gatekeeper -= 1
                    else:
                        liaison -= 1
            counts[b, 0] = coordinator
            counts[b, 1] = itinerant
            counts[b, 2] = representative
            counts[b, 3] = gatekeeper
            counts[b, 4] = liaison
    return counts


@njit(cache=True, nogil=True, parallel=True)
def group_reach(  # pragma: no cover - compiled
    indptr: Ints, indices: Ints, order: Ints, bounds: Ints, internal: NDArray[np.bool_], chunks: int
) -> Ints:
    """For each group (members ``order[bounds[g]:bounds[g+1]]``): distinct non-members
    reached in one step and in up to two steps, split into internal and external
    (n_groups x 4: internal direct, external direct, internal two-step, external two-step).
    Groups are split into ``chunks`` run in parallel."""
    n = len(indptr) - 1
    n_groups = len(bounds) - 1
    out = np.zeros((n_groups, 4), dtype=np.int64)
    for c in prange(chunks):
        member = np.full(n, -1, dtype=np.int64)
        seen = np.full(n, -1, dtype=np.int64)
        first = np.zeros(n, dtype=np.int64)
        for g in range(c, n_groups, chunks):
            for k in range(bounds[g], bounds[g + 1]):
                member[order[k]] = g
            count = 0
            for k in range(bounds[g], bounds[g + 1]):
                v = order[k]
                for e in range(indptr[v], indptr[v + 1]):
                    u = indices[e]
                    if member[u] != g and seen[u] != g:
                        seen[u] = g
                        first[count] = u
                        count += 1
                        if internal[u]:
                            out[g, 0] += 1
                        else:
                            out[g, 1] += 1
            out[g, 2] = out[g, 0]
            out[g, 3] = out[g, 1]
            for k in range(count):
                u = first[k]
                for e in range(indptr[u], indptr[u + 1]):
                    w = indices[e]
                    if member[w] != g and seen[w] != g:
                        seen[w] = g
                        if internal[w]:
                            out[g, 2] += 1
                        else:
                            out[g, 3] += 1
    return out


@njit(cache=True, nogil=True, parallel=True)
def two_step_counts(indptr: Ints, indices: Ints, chunks: int) -> Ints:  # pragma: no cover
    """Number of people within two ties of each person, not counting them
    (``chunks`` slices of the people run in parallel)."""
    n = len(indptr) - 1
    counts = np.zeros(n, dtype=np.int64)
    for c in prange(chunks):
        seen = np.full(n, -1, dtype=np.int64)
        for v in range(c, n, chunks):
            seen[v] = v
            total = 0
            for e in range(indptr[v], indptr[v + 1]):
                u = indices[e]
                if seen[u] != v:
                    seen[u] = v
                    total += 1
            for e in range(indptr[v], indptr[v + 1]):
                u = indices[e]
                for f in range(indptr[u], indptr[u + 1]):
                    w = indices[f]
                    if seen[w] != v:
                        seen[w] = v
                        total += 1
            counts[v] = total
    return counts


@njit(cache=True, nogil=True, parallel=True)
def brandes_unweighted(  # pragma: no cover - compiled
    indptr: Ints, indices: Ints, sources: Ints, chunks: int
) -> Floats:
    """Brandes' dependency accumulation from each of ``sources`` over hop-count
    shortest paths; returns the summed dependencies (each ordered pair once).
    ``chunks`` slices of the sources run in parallel."""
    n = len(indptr) - 1
    partial = np.zeros((chunks, n))
    for c in prange(chunks):
        dist = np.full(n, -1, dtype=np.int64)
        sigma = np.zeros(n)
        delta = np.zeros(n)
        order = np.empty(n, dtype=np.int64)
        for k in range(c, len(sources), chunks):
            s = sources[k]
            dist[:] = -1
            sigma[:] = 0.0
            delta[:] = 0.0
            dist[s] = 0
            sigma[s] = 1.0
            order[0] = s
            head = 0
            tail = 1
            while head < tail:
                v = order[head]
                head += 1
                for e in range(indptr[v], indptr[v + 1]):
                    w = indices[e]
                    if dist[w] < 0:
                        dist[w] = dist[v] + 1
                        order[tail] = w
                        tail += 1
                    if dist[w] == dist[v] + 1:
                        sigma[w] += sigma[v]
            for i in range(tail - 1, 0, -1):
                w = order[i]
                for e in range(indptr[w], indptr[w + 1]):
                    v = indices[e]
                    if dist[v] == dist[w] - 1:
                        delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w])
                partial[c, w] += delta[w]
    total: Floats = partial.sum(axis=0)
    return total


@njit(cache=True, nogil=True)
def _sample_path(
    u: int,
    v: int,
    indptr: Ints,
    indices: Ints,
    dist_u: Ints,
    sigma_u: Floats,
    dist_v: Ints,
    sigma_v: Floats,
    visited_u: Ints,
    visited_v: Ints,
    frontier_u: Ints,
    frontier_v: Ints,
    next_frontier: Ints,
    draws: Floats,
    counts: Floats,
) -> tuple[int, int]:  # pragma: no cover
    """One Riondato-Kornaropoulos sample: a uniformly random shortest u-v path found
    by balanced bidirectional BFS; adds 1 to ``counts`` of each vertex inside it.
    Returns the numbers of vertices visited on each side (for resetting)."""
    nu = 1
    nv = 1
    visited_u[0] = u
    visited_v[0] = v
    dist_u[u] = 0
    sigma_u[u] = 1.0
    dist_v[v] = 0
    sigma_v[v] = 1.0
    fu = 1
    fv = 1
    frontier_u[0] = u
    frontier_v[0] = v
    du = 0
    dv = 0
    total = 0.0
    best_x = -1
    best_y = -1
    while fu > 0 and fv > 0:
        cost_u = 0
        for k in range(fu):
            x = frontier_u[k]
            cost_u += indptr[x + 1] - indptr[x]
        cost_v = 0
        for k in range(fv):
            y = frontier_v[k]
            cost_v += indptr[y + 1] - indptr[y]
        expand_u = cost_u <= cost_v
        if expand_u:
            front, fsize = frontier_u, fu
            dist_a, sigma_a, dist_b, sigma_b, visited_a = (
                dist_u,
                sigma_u,
                dist_v,
                sigma_v,
                visited_u,
            )
            depth = du
            na = nu
        else:
            front, fsize = frontier_v, fv
            dist_a, sigma_a, dist_b, sigma_b, visited_a = (
                dist_v,
                sigma_v,
                dist_u,
                sigma_u,
                visited_v,
            )
            depth = dv
            na = nv
        # First pass: contacts with the other side (x here, y there).
        for k in range(fsize):
            x = front[k]
            for e in range(indptr[x], indptr[x + 1]):
                y = indices[e]
                if dist_b[y] >= 0:
                    total += sigma_a[x] * sigma_b[y]
        if total > 0.0:
            # Pick a contact edge with probability sigma_a(x) sigma_b(y) / total.
            target = draws[0] * total
            acc = 0.0
            last_x = -1
            last_y = -1
            for k in range(fsize):
                x = front[k]
                for e in range(indptr[x], indptr[x + 1]):
                    y = indices[e]
                    if dist_b[y] >= 0:
                        acc += sigma_a[x] * sigma_b[y]
                        last_x = x
                        last_y = y
                        if acc >= target and best_x < 0:
                            best_x = x
                            best_y = y
            if best_x < 0:  # rounding at the very end of the sum
                best_x = last_x
                best_y = last_y
            # Walk back from the contact to both ends, choosing predecessors by sigma.
            step = 1
            for side in range(2):
                if side == 0:
                    node, dist_s, sigma_s = best_x, dist_a, sigma_a
                else:
                    node, dist_s, sigma_s = best_y, dist_b, sigma_b
                while dist_s[node] > 0:
                    counts[node] += 1.0
                    target = draws[step % len(draws)] * sigma_s[node]
                    step += 1
                    acc = 0.0
                    chosen = -1
                    for e in range(indptr[node], indptr[node + 1]):
                        p = indices[e]
                        if dist_s[p] >= 0 and dist_s[p] == dist_s[node] - 1:
                            acc += sigma_s[p]
                            chosen = p
                            if acc >= target:
                                break
                    node = chosen
            break
        # No contact: grow this side by one level.
        nf = 0
        for k in range(fsize):
            x = front[k]
            for e in range(indptr[x], indptr[x + 1]):
                y = indices[e]
                if dist_a[y] < 0:
                    dist_a[y] = depth + 1
                    sigma_a[y] = sigma_a[x]
                    visited_a[na] = y
                    na += 1
                    next_frontier[nf] = y
                    nf += 1
                elif dist_a[y] == depth + 1:
                    sigma_a[y] += sigma_a[x]
        for k in range(nf):
            front[k] = next_frontier[k]
        if expand_u:
            fu = nf
            du += 1
            nu = na
        else:
            fv = nf
            dv += 1
            nv = na
    return nu, nv


@njit(cache=True, nogil=True, parallel=True)
def rk_betweenness(  # pragma: no cover - compiled
    indptr: Ints, indices: Ints, pairs: Ints, draws: Floats, chunks: int
) -> Floats:
    """Riondato-Kornaropoulos betweenness: for each sampled pair ``pairs[k]``, one
    uniformly random shortest path; returns how often each vertex was inside one."""
    n = len(indptr) - 1
    partial = np.zeros((chunks, n))
    for c in prange(chunks):
        dist_u = np.full(n, -1, dtype=np.int64)
        dist_v = np.full(n, -1, dtype=np.int64)
        sigma_u = np.zeros(n)
        sigma_v = np.zeros(n)
        visited_u = np.empty(n, dtype=np.int64)
        visited_v = np.empty(n, dtype=np.int64)
        frontier_u = np.empty(n, dtype=np.int64)
        frontier_v = np.empty(n, dtype=np.int64)
        next_frontier = np.empty(n, dtype=np.int64)
        counts = partial[c]
        for k in range(c, len(pairs), chunks):
            u = pairs[k, 0]
            v = pairs[k, 1]
            nu, nv = _sample_path(
                u,
                v,
                indptr,
                indices,
                dist_u,
                sigma_u,
                dist_v,
                sigma_v,
                visited_u,
                visited_v,
                frontier_u,
                frontier_v,
                next_frontier,
                draws[k],
                counts,
            )
            for i in range(nu):
                dist_u[visited_u[i]] = -1
                sigma_u[visited_u[i]] = 0.0
            for i in range(nv):
                dist_v[visited_v[i]] = -1
                sigma_v[visited_v[i]] = 0.0
    total: Floats = partial.sum(axis=0)
    return total
