"""Walking directed graphs given as {node: [successors]}: which files a
root reaches (compiler), which stages an entry reaches (lint)."""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping


def reach(starts: Iterable[Hashable], edges: Mapping, seen: set | None = None) -> set:
    """Every node some path of edges leads to from `starts` (the starts
    included), added to `seen` when given. Iterative: no recursion limit."""
    seen = set() if seen is None else seen
    todo = list(starts)
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        todo.extend(edges.get(node, ()))
    return seen
