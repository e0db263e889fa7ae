"""The compiled loops of `models.treeshap`: a row's decisions, a tree's sums leaf by leaf, the
decision-pattern tables, and the batch kernel over rows in parallel."""

from __future__ import annotations

import math

import numba
import numpy as np

_ZERO = 1e-35  # LightGBM's kZeroThreshold


@numba.njit(cache=True, inline="always")
def _decide(
    X: np.ndarray, row: int, first: int, count: int, right: np.ndarray, feature: np.ndarray,
    threshold: np.ndarray, nan_right: np.ndarray, zero_missing: np.ndarray,
    categorical: np.ndarray, cat_offset: np.ndarray, cat_size: np.ndarray,
    cat_member: np.ndarray,
) -> int:  # fmt: skip
    """Which way the row goes at each of a tree's nodes, by LightGBM's rule (tree.h:
    NumericalDecision, CategoricalDecision); also as a number, bit i for node i."""
    pattern = 0
    for i in range(count):
        node = first + i
        value = X[row, feature[node]]
        if categorical[node]:
            goes = True
            if value >= 0:  # False for NaN
                code = int(value)
                goes = not (code < cat_size[node] and cat_member[cat_offset[node] + code] == 1)
        elif math.isnan(value) or (zero_missing[node] and -_ZERO <= value <= _ZERO):
            goes = nan_right[node]
        else:
            goes = value > threshold[node]
        right[i] = goes
        if goes:
            pattern |= 1 << i
    return pattern


@numba.njit(cache=True, inline="always")
def _leaf_sums(
    t: int, right: np.ndarray, off: np.ndarray, target: np.ndarray,
    tree_node_offset: np.ndarray, tree_leaf_offset: np.ndarray, node_parent: np.ndarray,
    node_right: np.ndarray, node_bit: np.ndarray, leaf_parent: np.ndarray,
    leaf_right: np.ndarray, leaf_slot_offset: np.ndarray, slot_feature: np.ndarray,
    slot_bit: np.ndarray, slot_if_one: np.ndarray, slot_if_zero: np.ndarray,
    leaf_table_offset: np.ndarray, table: np.ndarray,
) -> None:  # fmt: skip
    """Add one tree's contributions, for the decisions in `right`, to `target`."""
    first = tree_node_offset[t]
    # per node: the tree's features on whose edges the row has left the path to the node
    for i in range(tree_node_offset[t + 1] - first):
        parent = node_parent[first + i]
        if parent < 0:
            off[i] = 0
        elif right[parent] != node_right[first + i]:
            off[i] = off[parent] | node_bit[first + parent]
        else:
            off[i] = off[parent]
    for leaf in range(tree_leaf_offset[t], tree_leaf_offset[t + 1]):
        parent = leaf_parent[leaf]
        if parent < 0:
            continue
        mask = off[parent]
        if right[parent] != leaf_right[leaf]:
            mask |= node_bit[first + parent]
        s0 = leaf_slot_offset[leaf]
        d = leaf_slot_offset[leaf + 1] - s0
        ones = 0
        for s in range(d):
            if mask & slot_bit[s0 + s] == 0:
                ones |= 1 << s
        k0 = leaf_table_offset[leaf]
        for s in range(d):
            bit = 1 << s
            k = table[k0 + (ones & ~bit)]
            if ones & bit:
                target[slot_feature[s0 + s]] += slot_if_one[s0 + s] * k
            else:
                target[slot_feature[s0 + s]] += slot_if_zero[s0 + s] * k


@numba.njit(cache=True)
def fill_patterns(
    paths: tuple[np.ndarray, ...], patterns: tuple[np.ndarray, ...], n_features: int,
    max_nodes: int,
) -> None:  # fmt: skip
    """For each small tree, its contributions for every combination of decisions."""
    (tree_node_offset, tree_leaf_offset, node_parent, node_right, node_bit, leaf_parent,
     leaf_right, leaf_slot_offset, slot_feature, slot_bit, slot_if_one, slot_if_zero,
     leaf_table_offset, table) = paths  # fmt: skip
    tree_pattern_offset, tree_feature_offset, tree_features, values = patterns
    right = np.empty(max_nodes, np.bool_)
    off = np.empty(max_nodes, np.int64)
    scratch = np.zeros(n_features)
    for t in range(len(tree_node_offset) - 1):
        base = tree_pattern_offset[t]
        if base < 0:
            continue
        count = tree_node_offset[t + 1] - tree_node_offset[t]
        f0 = tree_feature_offset[t]
        width = tree_feature_offset[t + 1] - f0
        for pattern in range(1 << count):
            for i in range(count):
                right[i] = (pattern >> i) & 1 == 1
            _leaf_sums(
                t, right, off, scratch, tree_node_offset, tree_leaf_offset, node_parent,
                node_right, node_bit, leaf_parent, leaf_right, leaf_slot_offset, slot_feature,
                slot_bit, slot_if_one, slot_if_zero, leaf_table_offset, table,
            )  # fmt: skip
            for k in range(width):
                feature = tree_features[f0 + k]
                values[base + pattern * width + k] = scratch[feature]
                scratch[feature] = 0.0


@numba.njit(cache=True, parallel=True)
def explain(
    X: np.ndarray, out: np.ndarray, splits: tuple[np.ndarray, ...],
    paths: tuple[np.ndarray, ...], patterns: tuple[np.ndarray, ...], max_nodes: int,
) -> None:  # fmt: skip
    # unpacked once: arrays taken from a tuple in the loop would be reference-counted each time
    (feature, threshold, nan_right, zero_missing, categorical, cat_offset, cat_size,
     cat_member) = splits  # fmt: skip
    (tree_node_offset, tree_leaf_offset, node_parent, node_right, node_bit, leaf_parent,
     leaf_right, leaf_slot_offset, slot_feature, slot_bit, slot_if_one, slot_if_zero,
     leaf_table_offset, table) = paths  # fmt: skip
    tree_pattern_offset, tree_feature_offset, tree_features, values = patterns
    n_trees = len(tree_node_offset) - 1
    rows = X.shape[0]
    blocks = min(rows, 64)  # scratch space is allocated per block of rows, not per row
    for block in numba.prange(blocks):
        right = np.empty(max_nodes, np.bool_)
        off = np.empty(max_nodes, np.int64)
        for row in range(block * rows // blocks, (block + 1) * rows // blocks):
            for t in range(n_trees):
                first = tree_node_offset[t]
                pattern = _decide(
                    X, row, first, tree_node_offset[t + 1] - first, right, feature, threshold,
                    nan_right, zero_missing, categorical, cat_offset, cat_size, cat_member,
                )  # fmt: skip
                base = tree_pattern_offset[t]
                if base < 0:
                    _leaf_sums(
                        t, right, off, out[row], tree_node_offset, tree_leaf_offset,
                        node_parent, node_right, node_bit, leaf_parent, leaf_right,
                        leaf_slot_offset, slot_feature, slot_bit, slot_if_one, slot_if_zero,
                        leaf_table_offset, table,
                    )  # fmt: skip
                    continue
                f0 = tree_feature_offset[t]
                width = tree_feature_offset[t + 1] - f0
                base += pattern * width
                for k in range(width):
                    out[row, tree_features[f0 + k]] += values[base + k]
