"""`rescue score --engine spark`: the same features and the same registered model on Apache Spark.

Every table the features use is read by Spark (CSV as text, Parquet cast to text), labelled
with its file's row numbers, tagged with the shard of its business (a hash of
business_id, applications' status history through their application) and stacked into one wide
frame. Each shard is then a pandas group: validated, featurised and scored by the very functions
of the local engine (`training.scoring.score_shard`), with the model shipped to the workers as
its JSON. Problems come back as rows and are raised on the driver with file, row and column.

Locations are Hadoop's: a URI (`hdfs://`, `s3a://` with the cluster's connector, `file://`) or
a local path, which is read as the same path on every node. Spark's own file system finds the
tables and moves the finished output into place.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
import sys
import tempfile
import zipfile
from functools import reduce
from pathlib import Path
from typing import Any

import pandas as pd

from features import PortfolioError
from features.pipeline import SCORED_TABLES
from features.portfolio import file_name, locate_tables, validate_frames
from features.problems import Problem, Source
from models.scorer import Scorer
from training.progress import Say, progress
from training.scoring import SHARD_ROWS, output_columns, score_shard

PACKAGES = ("features", "models", "training")
SPARK_TYPES = {"text": "string", "float": "double", "int": "bigint", "bool": "boolean"}
SHARD = "_shard"
TABLE = "_table"
ROW = "_row"
PROBLEM = "_problem"


def _session(master: str, app: str = "rescue-score") -> Any:
    from pyspark.sql import SparkSession

    # Workers run this interpreter unless the cluster says otherwise: it has the dependencies.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    # py4j logs its connection closing from finalisers, after the log's stream may be gone.
    logging.getLogger("py4j").setLevel(logging.WARNING)
    session = (
        SparkSession.builder.master(master)
        .appName(app)
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def _ship_code(spark: Any, work: Path) -> None:
    """The project's own packages, zipped for workers that have its dependencies but not it."""
    root = Path(__file__).resolve().parent.parent
    archive = work / "rescue-code.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for package in PACKAGES:
            for path in (root / package).rglob("*"):
                if path.is_file() and "__pycache__" not in path.parts:
                    zf.write(path, path.relative_to(root))
    spark.sparkContext.addPyFile(str(archive))


def location(place: str | Path) -> str:
    """A URI as given; a local path as a file URI, so a cluster whose default file system is
    HDFS does not read it from there."""
    text = str(place)
    return text if "://" in text else Path(text).resolve().as_uri()


class HadoopFiles:
    """The few file operations the driver needs, through the JVM's Hadoop file system: what
    Spark itself reads and writes with, connectors and credentials included."""

    def __init__(self, spark: Any) -> None:
        self._jvm = spark.sparkContext._jvm
        self._conf = spark.sparkContext._jsc.hadoopConfiguration()
        self._checksummed = self._jvm.java.lang.Class.forName(
            "org.apache.hadoop.fs.ChecksumFileSystem"
        )

    def _at(self, uri: str) -> tuple[Any, Any]:
        path = self._jvm.org.apache.hadoop.fs.Path(uri)
        fs = path.getFileSystem(self._conf)
        if self._checksummed.isInstance(fs):
            # The local file system's checksummed view would move a hidden .crc file in beside
            # the output.
            fs = fs.getRawFileSystem()
        return fs, path

    def exists(self, uri: str) -> bool:
        fs, path = self._at(uri)
        return bool(fs.exists(path))

    def delete(self, uri: str) -> None:
        fs, path = self._at(uri)
        fs.delete(path, True)

    def move(self, source: str, target: str) -> None:
        fs, path = self._at(source)
        if not fs.rename(path, self._jvm.org.apache.hadoop.fs.Path(target)):
            raise OSError(f"cannot move {source} to {target}")

    def names(self, folder: str) -> list[str]:
        fs, path = self._at(folder)
        return [str(status.getPath().getName()) for status in fs.listStatus(path)]


def _read(spark: Any, uri: str) -> Any:
    from pyspark.sql import functions as sf

    if uri.endswith(".csv"):
        frame = spark.read.option("header", True).option("encoding", "UTF-8").csv(uri)
        first = 2
    else:
        frame = spark.read.parquet(uri)
        first = 1
    frame = frame.select(
        [sf.col(c).cast("string").alias(c.lstrip("\ufeff")) for c in frame.columns]
    )
    return _numbered(frame, first)


def _numbered(frame: Any, first: int) -> Any:
    """Each row's number in its file, as the user counts it: a file is read in order, partition
    after partition, so a row is its partition's offset plus its place in the partition."""
    from pyspark.sql import functions as sf

    tagged = frame.withColumn("_pid", sf.spark_partition_id()).withColumn(
        "_mid", sf.monotonically_increasing_id()
    )
    counts = sorted((r["_pid"], r["count"]) for r in tagged.groupBy("_pid").count().collect())
    offsets, total = [], first
    for pid, count in counts:
        offsets.append((pid, total))
        total += count
    starts = tagged.sparkSession.createDataFrame(offsets, "_pid int, _start bigint")
    return (
        tagged.join(sf.broadcast(starts), "_pid")
        .withColumn(
            ROW, sf.col("_start") + sf.col("_mid") - sf.shiftleft(sf.col("_pid").cast("bigint"), 33)
        )
        .drop("_pid", "_mid", "_start")
    )


def _shard_column(column: Any, shards: int) -> Any:
    from pyspark.sql import functions as sf

    return sf.pmod(sf.crc32(sf.encode(column, "UTF-8")), sf.lit(shards))


def score_with_spark(
    directory: str | Path,
    out: str | Path,
    distress: Scorer,
    *,
    feasibility: Scorer | None = None,
    plans: pd.DataFrame | None = None,
    as_of: str | None = None,
    shard_rows: int = SHARD_ROWS,
    master: str = "local[*]",
    say: Say | None = None,
) -> int:
    """Score every business on Spark; writes `out` as Parquet (a folder of parts written by
    Spark) or, for a `.csv` name, one CSV file. Returns the number of businesses scored."""
    from pyspark.sql import functions as sf

    say = say or progress()
    root, target = location(directory), location(out)
    work = Path(tempfile.mkdtemp(prefix="rescue-spark-"))
    spark = _session(master)
    try:
        hadoop = HadoopFiles(spark)
        files, problems = locate_tables(root, SCORED_TABLES, hadoop.exists)
        if problems or "businesses" not in files:
            raise PortfolioError(problems)
        _ship_code(spark, work)
        tables = {name: _read(spark, uri) for name, uri in files.items()}
        n = tables["businesses"].count()
        shards = max(1, -(-n // shard_rows))
        say(f"Spark {spark.version} on {master}: {n:,} businesses in {shards} shard(s)")
        tagged = []
        for name, frame in tables.items():
            if name == "application_status_history" and "loan_applications" in tables:
                owners = tables["loan_applications"].select(
                    "application_id", sf.col("business_id").alias("_owner")
                )
                shard = sf.coalesce(_shard_column(sf.col("_owner"), shards), sf.lit(0))
                sharded = (
                    frame.join(owners, "application_id", "left")
                    .withColumn(SHARD, shard)
                    .drop("_owner")
                )
            else:
                sharded = frame.withColumn(SHARD, _shard_column(sf.col("business_id"), shards))
            tagged.append(sharded.withColumn(TABLE, sf.lit(name)))
        stacked = reduce(lambda a, b: a.unionByName(b, allowMissingColumns=True), tagged)
        layout = {name: [c for c in frame.columns if c != ROW] for name, frame in tables.items()}
        names = {name: file_name(uri) for name, uri in files.items()}
        firsts = {name: 2 if uri.endswith(".csv") else 1 for name, uri in files.items()}
        columns = output_columns(plans is not None and feasibility is not None)
        schema = ", ".join(f"{c} {SPARK_TYPES[kind]}" for c, kind in columns.items())
        schema += f", {PROBLEM} string"
        when = pd.Timestamp(as_of) if as_of else pd.Timestamp.today().normalize()
        models = (distress.to_dict(), feasibility.to_dict() if feasibility else None)

        def score_group(group: pd.DataFrame) -> pd.DataFrame:
            return _score_group(group, layout, names, firsts, columns, models, plans, when)

        scored = stacked.groupBy(SHARD).applyInPandas(score_group, schema)
        scored = scored.persist()
        found = [r[PROBLEM] for r in scored.where(sf.col(PROBLEM).isNotNull()).collect()]
        if found:
            raise PortfolioError([Problem(**json.loads(text)) for text in found])
        result = scored.where(sf.col(PROBLEM).isNull()).drop(PROBLEM).orderBy("business_id")
        count = int(result.count())
        _write(result, target, hadoop)
        say(f"{count:,} businesses scored on Spark")
        return count
    finally:
        spark.stop()
        shutil.rmtree(work, ignore_errors=True)


def _write(result: Any, target: str, hadoop: HadoopFiles) -> None:
    """All or nothing: Spark's workers write beside the target, which every node must reach,
    and the folder (or, for `.csv`, its one part) is moved into place when complete."""
    folder, _, name = target.rstrip("/").rpartition("/")
    staging = f"{folder}/.{name}.partial"
    hadoop.delete(staging)
    try:
        if target.endswith(".csv"):
            result.coalesce(1).write.option("header", True).csv(staging)
            part = next(n for n in hadoop.names(staging) if n.startswith("part-"))
            hadoop.delete(target)
            hadoop.move(f"{staging}/{part}", target)
            return
        result.write.parquet(staging)
        hadoop.delete(target)
        hadoop.move(staging, target)
    finally:
        hadoop.delete(staging)


def _score_group(
    group: pd.DataFrame,
    layout: dict[str, list[str]],
    names: dict[str, str],
    firsts: dict[str, int],
    columns: dict[str, str],
    models: tuple[dict[str, Any], dict[str, Any] | None],
    plans: pd.DataFrame | None,
    when: pd.Timestamp,
) -> pd.DataFrame:
    raw: dict[str, pd.DataFrame] = {}
    sources: dict[str, Source] = {}
    for name, wanted in layout.items():
        rows = group[group[TABLE] == name]
        raw[name] = rows[wanted].astype("string").reset_index(drop=True)
        sources[name] = Source(names[name], firsts[name], tuple(int(r) for r in rows[ROW]))
    portfolio, found = validate_frames(raw, sources)
    if found:
        problems = pd.DataFrame({c: pd.Series([None] * len(found), dtype=object) for c in columns})
        problems[PROBLEM] = [json.dumps(dataclasses.asdict(p)) for p in found]
        return problems
    distress = Scorer.from_dict(models[0])
    feasibility = Scorer.from_dict(models[1]) if models[1] else None
    out = score_shard(portfolio, when, distress, feasibility, plans)
    out = out.reindex(columns=list(columns))
    for column, kind in columns.items():  # plain numpy columns: Arrow takes them as they are
        values = out[column]
        if kind == "text":
            out[column] = values.astype(object).where(values.notna(), None)
        elif kind == "float":
            out[column] = values.astype("float64")
    out[PROBLEM] = None
    return out
