"""The network as a graph: paths now; centrality and communities later.

Only ``engines.py`` may import heavy graph libraries (igraph, NetworKit).
"""
