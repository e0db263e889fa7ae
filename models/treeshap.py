"""Exact path-dependent TreeSHAP for a LightGBM booster, with per-leaf tables built once.

For one leaf with value v, let U be the distinct features split on along its path, d = |U|, z_k
the share of training rows that follow the path's edges on feature k (the product of the child's
count over the parent's), and o_k = 1 when the row itself follows all of them. The leaf's part of
the expectation given the features in S is v * prod(o_k for k in S) * prod(z_k for k not in S),
so its Shapley value for feature j is

    phi_j = v * (o_j - z_j) * sum over S within U-{j} of w(|S|, d) prod_{S} o_k prod_{U-S-j} z_k,

w(s, d) = s! (d - s - 1)! / d!. As o is 0 or 1, only subsets S of the row's ones M (without j)
count, and with Z = prod_{U} z_k the sum is K[M] / z_j where

    K[M] = Z * sum over S within M of w(|S|, d) / prod_{S} z_k

depends on the leaf and M alone. K has 2^d entries per leaf, computed once per model; a row then
costs, per leaf, d table reads, where the recursive algorithm of `shap.TreeExplainer` and
LightGBM's `pred_contrib` costs d^2 per leaf. A small tree (PATTERN_NODES nodes at most) goes
further: its contributions depend only on which way the row goes at each node, so they are
tabled for every combination once, and a row costs its decisions and one read per feature.
Values are the same to rounding, which `tests/models/test_treeshap.py` checks against both.
"""

from __future__ import annotations

import math
import sys
import zipfile
from dataclasses import dataclass, fields
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from models.treeshap_numpy import PatternReader

if TYPE_CHECKING:
    import lightgbm as lgb

# A leaf whose path splits on more distinct features than this would need a table too large to
# be worth it (2^d entries); a model with one is explained by LightGBM instead.
MAX_PATH_FEATURES = 18
MAX_TREE_FEATURES = 63  # a tree's split features are bits of one signed 64-bit mask
PATTERN_NODES = 10  # 2^10 combinations of decisions, times the tree's features
_SCALARS = {"n_features": int, "base_value": float, "max_nodes": int}
# Rows a process explains with NumPy (a model of small trees only) before it loads the compiled
# kernel: NumPy costs about three times as much a row, the kernel half a second to load.
NUMPY_ROWS = 40_000
_numpy_rows = [0]  # explained so far by this process


@dataclass(frozen=True)
class TreeTables:
    """A booster flattened for the kernel: nodes, leaves, their paths and their K tables."""

    n_features: int
    base_value: float
    # internal nodes, numbered per tree from the tree's offset
    node_feature: np.ndarray
    node_threshold: np.ndarray
    node_categorical: np.ndarray
    node_nan_right: np.ndarray  # where a missing value goes (and zero, where zero is missing)
    node_zero_missing: np.ndarray
    node_cat_offset: np.ndarray  # into cat_member; categories in the left set have 1
    node_cat_size: np.ndarray
    cat_member: np.ndarray
    tree_node_offset: np.ndarray  # n_trees + 1
    tree_leaf_offset: np.ndarray  # n_trees + 1
    # Nodes are numbered within their tree in visiting order, so a parent comes before its
    # children. Each tree numbers its distinct split features (bit positions of a mask).
    node_parent: np.ndarray  # -1 for the root
    node_right: np.ndarray  # the node is its parent's right child
    node_bit: np.ndarray  # 1 << the node's split feature's number in its tree
    leaf_parent: np.ndarray  # -1 for a tree that is a single leaf
    leaf_right: np.ndarray
    leaf_slot_offset: np.ndarray
    slot_feature: np.ndarray
    slot_bit: np.ndarray  # 1 << the slot's feature's number in its tree
    slot_if_one: np.ndarray  # v (1 - z_j) / z_j
    slot_if_zero: np.ndarray  # -v
    leaf_table_offset: np.ndarray
    table: np.ndarray
    max_nodes: int
    # A tree of at most PATTERN_NODES nodes also has its contributions for every combination of
    # its decisions (bit i: right at node i), over its own features: a row then costs one read
    # per feature of the tree. -1: a larger tree, explained leaf by leaf.
    tree_pattern_offset: np.ndarray
    tree_feature_offset: np.ndarray  # n_trees + 1
    tree_features: np.ndarray
    pattern_values: np.ndarray

    @property
    def splits(self) -> tuple[np.ndarray, ...]:
        return (self.node_feature, self.node_threshold, self.node_nan_right,
                self.node_zero_missing, self.node_categorical, self.node_cat_offset,
                self.node_cat_size, self.cat_member)  # fmt: skip

    @property
    def paths(self) -> tuple[np.ndarray, ...]:
        return (self.tree_node_offset, self.tree_leaf_offset, self.node_parent,
                self.node_right, self.node_bit, self.leaf_parent, self.leaf_right,
                self.leaf_slot_offset, self.slot_feature, self.slot_bit, self.slot_if_one,
                self.slot_if_zero, self.leaf_table_offset, self.table)  # fmt: skip

    @property
    def patterns(self) -> tuple[np.ndarray, ...]:
        return (self.tree_pattern_offset, self.tree_feature_offset, self.tree_features,
                self.pattern_values)  # fmt: skip

    @property
    def table_bytes(self) -> int:
        return int(self.table.nbytes + self.pattern_values.nbytes)

    @property
    def pattern_trees(self) -> int:
        return int((self.tree_pattern_offset >= 0).sum())

    @property
    def all_patterns(self) -> bool:
        return self.pattern_trees == len(self.tree_node_offset) - 1

    @property
    def max_path_features(self) -> int:
        return int(np.diff(self.leaf_slot_offset).max(initial=0))

    @property
    def leaves(self) -> int:
        return len(self.leaf_parent)

    def save(self, path: Path, model: str) -> Path:
        """The tables as one .npz file, marked with the fingerprint of the model they are of."""
        arrays: dict[str, Any] = {f.name: np.asarray(getattr(self, f.name)) for f in fields(self)}
        with path.open("wb") as out:
            np.savez(out, model=np.array(model), **arrays)
        return path

    @classmethod
    def load(cls, path: Path, model: str) -> TreeTables | None:
        """Tables `save` wrote for the same model; None for another model's or a damaged file."""
        try:
            with np.load(path, allow_pickle=False) as saved:
                if str(saved["model"]) != model:
                    return None
                values: dict[str, Any] = {f.name: saved[f.name] for f in fields(cls)}
        except (OSError, ValueError, KeyError, zipfile.BadZipFile):
            return None
        for name, kind in _SCALARS.items():
            values[name] = kind(values[name])
        return cls(**values)

    def shap_values(self, X: np.ndarray, by: str | None = None) -> np.ndarray:
        """(rows, features + 1) contributions in raw score, the expected value last; `by`
        "numpy" or "kernel", or chosen by the rows this process has explained."""
        X = np.ascontiguousarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.n_features:
            raise ValueError(f"expected {self.n_features} feature columns, got {X.shape}")
        out = np.zeros((X.shape[0], self.n_features + 1))
        if by == "numpy" and not self.all_patterns:
            raise ValueError("NumPy reads only a model whose trees all have their patterns")
        if by == "numpy" or (by is None and self._numpy_reads(len(X))):
            self.pattern_reader.contributions(self, X, out)
        else:
            from models.treeshap_kernels import explain

            explain(X, out, self.splits, self.paths, self.patterns, self.max_nodes)
        out[:, -1] = self.base_value
        return out

    @cached_property
    def pattern_reader(self) -> PatternReader:
        return PatternReader.of(self)

    def _numpy_reads(self, rows: int) -> bool:
        """Whether these rows are read by NumPy: only while every tree has its patterns, the
        kernel is not loaded, and the process has not explained NUMPY_ROWS rows by NumPy."""
        kernels = sys.modules.get("models.treeshap_kernels")
        if kernels is not None and kernels.explain.signatures:
            return False
        if not self.all_patterns:
            return False
        if _numpy_rows[0] + rows > NUMPY_ROWS:
            return False
        _numpy_rows[0] += rows
        return True


class TreeTooDeepError(ValueError):
    """A path splits on more distinct features than MAX_PATH_FEATURES, or a tree on more than
    MAX_TREE_FEATURES."""


def _shapley_weights(d: int) -> np.ndarray:
    return np.array([math.factorial(s) * math.factorial(d - s - 1) / math.factorial(d)
                     for s in range(d)])  # fmt: skip


def leaf_table(z: np.ndarray) -> np.ndarray:
    """K[M] for every mask M over the leaf's d path features (bit i: slot i)."""
    d = len(z)
    w = _shapley_weights(d) if d else np.zeros(0)
    total = float(np.prod(z))
    inverse = 1.0 / z
    # elementary symmetric polynomials of 1/z over each mask, built from the mask less its top bit
    elementary = np.zeros((1 << d, d + 1))
    elementary[0, 0] = 1.0
    for mask in range(1, 1 << d):
        top = mask.bit_length() - 1
        previous = elementary[mask ^ (1 << top)]
        elementary[mask, 0] = 1.0
        elementary[mask, 1:] = previous[1:] + inverse[top] * previous[:-1]
    return total * (elementary[:, :d] @ w) if d else np.zeros(1)


def _walk(node: dict[str, Any], tree: dict[str, Any], parent: int, right: int) -> None:
    """Number a tree's internal nodes in visiting order; collect its leaves with their paths."""
    if "split_index" not in node:
        tree["leaves"].append((float(node["leaf_value"]), list(tree["path"]), parent, right))
        return
    index = len(tree["nodes"])
    tree["nodes"].append((node, parent, right))
    count = float(node["internal_count"])
    for side, child in ((0, node["left_child"]), (1, node["right_child"])):
        child_count = float(child["internal_count"] if "split_index" in child
                            else child["leaf_count"])  # fmt: skip
        tree["path"].append((int(node["split_feature"]), child_count / count))
        _walk(child, tree, index, side)
        tree["path"].pop()


def _nan_goes_right(node: dict[str, Any]) -> bool:
    """LightGBM reads a missing value as 0.0 unless missing values have their own side (NaN),
    and sends zero to that side where zero means missing (Zero)."""
    if node["decision_type"] == "==":
        return True  # categorical: decided apart
    if node["missing_type"] == "None":
        return float(node["threshold"]) < 0.0
    return not bool(node["default_left"])


def build_tables(booster: lgb.Booster) -> TreeTables:
    """Flatten every tree and compute each leaf's table (TreeTooDeepError: paths too deep)."""
    dump = booster.dump_model()
    nodes: list[tuple[dict[str, Any], int, int, int]] = []  # node, parent, side, bit
    tree_node_offset, tree_leaf_offset = [0], [0]
    leaves: list[tuple[int, int]] = []  # parent, side
    leaf_slot_offset, slots = [0], []
    leaf_table_offset, leaf_tables = [0], []
    tree_features: list[int] = []
    tree_feature_offset, tree_pattern_offset, pattern_size = [0], [], 0
    base = 0.0
    for info in dump["tree_info"]:
        tree: dict[str, Any] = {"nodes": [], "leaves": [], "path": []}
        _walk(info["tree_structure"], tree, -1, 0)
        bits: dict[int, int] = {}
        for node, parent, side in tree["nodes"]:
            bit = bits.setdefault(int(node["split_feature"]), len(bits))
            nodes.append((node, parent, side, bit))
        if len(bits) > MAX_TREE_FEATURES:
            raise TreeTooDeepError(f"a tree splits on {len(bits)} distinct features")
        tree_features.extend(bits)
        tree_feature_offset.append(len(tree_features))
        if len(tree["nodes"]) <= PATTERN_NODES:
            tree_pattern_offset.append(pattern_size)
            pattern_size += (1 << len(tree["nodes"])) * len(bits)
        else:
            tree_pattern_offset.append(-1)
        for value, path, parent, side in tree["leaves"]:
            features = list(dict.fromkeys(feature for feature, _ in path))
            if len(features) > MAX_PATH_FEATURES:
                raise TreeTooDeepError(f"a path splits on {len(features)} distinct features")
            slot = {f: i for i, f in enumerate(features)}
            z = np.ones(len(features))
            for feature, share in path:
                z[slot[feature]] *= share
            base += value * float(np.prod(z))
            for feature, zj in zip(features, z, strict=True):
                slots.append((feature, bits[feature], value * (1.0 - zj) / zj, -value))
            leaf_tables.append(leaf_table(z))
            leaves.append((parent, side))
            leaf_slot_offset.append(len(slots))
            leaf_table_offset.append(leaf_table_offset[-1] + len(leaf_tables[-1]))
        tree_node_offset.append(len(nodes))
        tree_leaf_offset.append(len(leaves))
    cat_offset: list[int] = []
    cat_size: list[int] = []
    members: list[int] = []
    for node, *_ in nodes:
        cat_offset.append(len(members))
        if node["decision_type"] == "==":
            chosen = [int(c) for c in str(node["threshold"]).split("||")]
            flags = np.zeros(max(chosen) + 1, np.uint8)
            flags[chosen] = 1
            members.extend(flags.tolist())
        cat_size.append(len(members) - cat_offset[-1])
    slot_rows = np.asarray(slots, dtype=np.float64).reshape(-1, 4)
    tables = TreeTables(
        n_features=int(dump["max_feature_idx"]) + 1,
        base_value=base,
        node_feature=np.array([n["split_feature"] for n, *_ in nodes], np.int64),
        node_threshold=np.array(
            [0.0 if n["decision_type"] == "==" else float(n["threshold"]) for n, *_ in nodes]
        ),
        node_categorical=np.array([n["decision_type"] == "==" for n, *_ in nodes], np.bool_),
        node_nan_right=np.array([_nan_goes_right(n) for n, *_ in nodes], np.bool_),
        node_zero_missing=np.array([n["missing_type"] == "Zero" for n, *_ in nodes], np.bool_),
        node_cat_offset=np.array(cat_offset, np.int64),
        node_cat_size=np.array(cat_size, np.int64),
        cat_member=np.array(members, np.uint8),
        tree_node_offset=np.array(tree_node_offset, np.int64),
        tree_leaf_offset=np.array(tree_leaf_offset, np.int64),
        node_parent=np.array([p for _, p, _, _ in nodes], np.int64),
        node_right=np.array([s == 1 for _, _, s, _ in nodes], np.bool_),
        node_bit=np.array([1 << b for *_, b in nodes], np.int64),
        leaf_parent=np.array([p for p, _ in leaves], np.int64),
        leaf_right=np.array([s == 1 for _, s in leaves], np.bool_),
        leaf_slot_offset=np.array(leaf_slot_offset, np.int64),
        slot_feature=slot_rows[:, 0].astype(np.int64),
        slot_bit=np.left_shift(1, slot_rows[:, 1].astype(np.int64)),
        slot_if_one=slot_rows[:, 2].copy(),
        slot_if_zero=slot_rows[:, 3].copy(),
        leaf_table_offset=np.array(leaf_table_offset, np.int64),
        table=np.concatenate(leaf_tables) if leaf_tables else np.zeros(0),
        max_nodes=max(np.diff(tree_node_offset).max(initial=0), 1),
        tree_pattern_offset=np.array(tree_pattern_offset, np.int64),
        tree_feature_offset=np.array(tree_feature_offset, np.int64),
        tree_features=np.array(tree_features, np.int64),
        pattern_values=np.zeros(pattern_size),
    )
    from models.treeshap_kernels import fill_patterns

    fill_patterns(tables.paths, tables.patterns, tables.n_features, tables.max_nodes)
    return tables
