"""Screening a Spark DataFrame column (optional extra `spark`: `pip install 'sanctions-screen[spark]'`).

The Screener is built (or loaded) once on the driver and saved to one index file
(`Screener.save`), which Spark ships to each executor (`SparkContext.addFile`); each executor's
Python worker loads it once, memory-mapped (the workers of one machine share its pages), so the
index is never rebuilt, nor unpickled, per row or per batch. Scoring runs in `mapInArrow` over
Arrow record batches, with the same per-row logic as `sanctions-screen batch`.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from .batch import OUTPUT_SCHEMA, InputRow, screen_rows
from .models import Watchlist
from .query import Secondary
from .screener import Screener

# The batch output's result columns (the row's own columns stay the DataFrame's).
RESULT_SCHEMA = tuple(
    (c, kind) for c, kind in OUTPUT_SCHEMA if c not in ("row", "line", "id", "name")
)
RESULT_COLUMNS = tuple(c for c, _ in RESULT_SCHEMA)
_SCREENERS: dict[str, Screener] = {}


def _spark_type(kind: str) -> Any:
    from pyspark.sql.types import BooleanType, DoubleType, IntegerType, StringType

    return {
        "int": IntegerType(),
        "float": DoubleType(),
        "str": StringType(),
        "bool": BooleanType(),
    }[kind]


def _arrow_type(kind: str) -> Any:
    import pyarrow as pa

    return {"int": pa.int32(), "float": pa.float64(), "str": pa.string(), "bool": pa.bool_()}[kind]


def screen_dataframe(
    df: Any,
    name_column: str,
    lists: Watchlist | Sequence[Watchlist] | Screener,
    *,
    birth_date_column: str | None = None,
    nationality_column: str | None = None,
    kind_column: str | None = None,
    threshold: float | None = None,
    limit: int = 10,
    secondary: Secondary = "keep",
    prefix: str = "screen_",
) -> Any:
    """The DataFrame with result columns (`screen_hit_count`, `screen_best_score`, ...) added.

    Identical to `Screener.screen` row by row; a bad row gets its message in `screen_error`.

    >>> # screen_dataframe(spark.read.parquet("customers"), "full_name", [load_list("sdn.csv")])
    """
    from pyspark.sql.types import StructField, StructType

    screener = lists if isinstance(lists, Screener) else Screener(lists)
    taken = set(df.columns) & {prefix + c for c in RESULT_COLUMNS}
    if taken:
        raise ValueError(
            f"the DataFrame already has columns {sorted(taken)}; choose another prefix"
        )
    if name_column not in df.columns:
        raise ValueError(f"no column {name_column!r} (columns: {', '.join(df.columns)})")
    key = uuid.uuid4().hex  # names this index file, and the screener each worker loads from it
    file_name = _ship(df.sparkSession.sparkContext, screener, key)
    schema = StructType(
        list(df.schema.fields)
        + [StructField(prefix + c, _spark_type(kind), True) for c, kind in RESULT_SCHEMA]
    )
    columns = (name_column, birth_date_column, nationality_column, kind_column)

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa
        from pyspark import SparkFiles

        s = _SCREENERS.get(key)
        if s is None:
            s = _SCREENERS[key] = Screener.load(SparkFiles.get(file_name))
        for batch in batches:
            data = {c: batch.column(c).to_pylist() for c in columns if c}
            items = []
            for i in range(batch.num_rows):
                values = [data[c][i] if c else None for c in columns]
                items.append(
                    InputRow(
                        i + 1,
                        name=values[0],
                        birth_date=_text(values[1]),
                        nationality=_text(values[2]),
                        kind=_text(values[3]),
                    )
                )
            rows = screen_rows(s, threshold, limit, items, secondary)
            arrays = list(batch.columns) + [
                pa.array([row[c] for row in rows], _arrow_type(kind)) for c, kind in RESULT_SCHEMA
            ]
            yield pa.RecordBatch.from_arrays(arrays, names=[f.name for f in schema.fields])

    return df.mapInArrow(run, schema)


def _ship(context: Any, screener: Screener, key: str) -> str:
    """Save the screener's index where Spark serves files to executors; its file name there."""
    folder = tempfile.mkdtemp(prefix="sanctions_screen-")
    # Spark serves the file from here until the application ends: removed at exit.
    atexit.register(shutil.rmtree, folder, True)
    name = f"sanctions_screen-{key}.index"
    screener.save(f"{folder}/{name}")
    context.addFile(f"{folder}/{name}")
    return name


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)
