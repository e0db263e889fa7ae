"""The decision-pattern tables of `models.treeshap` read with NumPy, for a model whose trees are
all small enough to have them.

A row's contributions from a small tree are one stored row of values, picked by the row's
decisions at the tree's nodes. For a block of rows every node's decision is one comparison over a
matrix, each tree's pattern a weighted sum of its nodes' decisions, and the picked values land on
their features through one matrix product. No compiled kernel is loaded: a process that explains
a few thousand rows is done before Numba would have loaded its kernel (about half a second).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from models.treeshap import TreeTables

_ZERO = 1e-35  # LightGBM's kZeroThreshold, as in the compiled kernel
BLOCK_ROWS = 2048  # rows whose decisions at every node are held at once


@dataclass(frozen=True)
class PatternReader:
    """What reading the pattern tables needs, derived from the tables once."""

    node_weight: np.ndarray  # 1 << the node's number within its tree
    tree_starts: np.ndarray  # each tree's first node
    slot_base: np.ndarray  # per (tree, feature) slot: its tree's first stored value
    slot_width: np.ndarray  # ... the number of features of its tree
    slot_index: np.ndarray  # ... its place among them
    slot_tree: np.ndarray
    to_features: np.ndarray  # (slots, features): 1 where a slot holds that feature's value

    @classmethod
    def of(cls, tables: TreeTables) -> PatternReader:
        trees = len(tables.tree_node_offset) - 1
        node_tree = np.repeat(np.arange(trees), np.diff(tables.tree_node_offset))
        local = np.arange(len(tables.node_feature)) - tables.tree_node_offset[node_tree]
        widths = np.diff(tables.tree_feature_offset)
        slot_tree = np.repeat(np.arange(trees), widths)
        slots = len(tables.tree_features)
        to_features = np.zeros((slots, tables.n_features))
        to_features[np.arange(slots), tables.tree_features] = 1.0
        return cls(
            node_weight=np.left_shift(1, local).astype(np.int64),
            tree_starts=tables.tree_node_offset[:-1],
            slot_base=tables.tree_pattern_offset[slot_tree],
            slot_width=widths[slot_tree],
            slot_index=np.arange(slots) - tables.tree_feature_offset[slot_tree],
            slot_tree=slot_tree,
            to_features=to_features,
        )

    def contributions(self, tables: TreeTables, X: np.ndarray, out: np.ndarray) -> None:
        """Add each row's contributions to `out[:, :features]`."""
        for start in range(0, len(X), BLOCK_ROWS):
            block = slice(start, start + BLOCK_ROWS)
            right = _decisions(tables, X[block])
            pattern = np.add.reduceat(right * self.node_weight, self.tree_starts, axis=1)
            picked = self.slot_base + pattern[:, self.slot_tree] * self.slot_width
            out[block, :-1] += tables.pattern_values[picked + self.slot_index] @ self.to_features


def _decisions(tables: TreeTables, X: np.ndarray) -> np.ndarray:
    """(rows, nodes): whether each row goes right at each node, by LightGBM's rule."""
    values = X[:, tables.node_feature]
    with np.errstate(invalid="ignore"):
        right = values > tables.node_threshold
    missing = np.isnan(values) | (tables.node_zero_missing & (np.abs(values) <= _ZERO))
    right = np.where(missing, tables.node_nan_right, right)
    for node in np.flatnonzero(tables.node_categorical).tolist():
        value = values[:, node]
        with np.errstate(invalid="ignore"):
            known = value >= 0  # False for NaN
        code = np.where(known, value, 0).astype(np.int64)
        listed = known & (code < tables.node_cat_size[node])
        member = np.zeros(len(value), dtype=bool)
        member[listed] = tables.cat_member[tables.node_cat_offset[node] + code[listed]] == 1
        right[:, node] = ~member
    return right
