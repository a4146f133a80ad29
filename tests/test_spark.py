"""The Spark function on a local session (local[2]) gives exactly the results of screen_many."""

from __future__ import annotations

import json
import os

import pytest

pyspark = pytest.importorskip(
    "pyspark", reason="the spark extra is not installed (pip install '.[spark]')"
)

import sanctions_screen as ss  # noqa: E402
from sanctions_screen.records import hit_record  # noqa: E402
from sanctions_screen.spark import screen_dataframe  # noqa: E402

NAMES = [
    "Hussein Falih Aziz",
    "Jane Doe",
    "Abu Zainab al-Lami",
    "Qasem Soleimani",
    "حسين فالح عزيز",
    None,
    "",
    "Usama bin Ladin",
    "Mohammed Ali",
    "Ayman al-Zawahiri",
    "x" * 1001,
    "Hamza bin Laden",
]


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", os.sys.executable)
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"  # loopback only: no traffic leaves this machine
    session = (
        SparkSession.builder.master("local[2]")
        .appName("sanctions-screen-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    yield session
    session.stop()


def test_spark_equals_screen_many(spark):
    rows = [(f"c{i}", n, "1969-06-20" if i % 3 == 0 else None) for i, n in enumerate(NAMES)]
    df = spark.createDataFrame(rows, "cid string, full_name string, dob string").repartition(3)
    out = screen_dataframe(df, "full_name", ss.bundled_list(), birth_date_column="dob")
    got = {r["cid"]: r for r in out.collect()}
    assert len(got) == len(NAMES)
    screener = ss.default_screener()
    for cid, name, dob in rows:
        r = got[cid]
        if not name or len(name) > 1000:
            assert r["screen_error"] and r["screen_hit_count"] == 0
            continue
        expected = screener.screen(name, birth_date=dob)
        assert r["screen_error"] is None
        assert r["screen_hit_count"] == expected.hit_count
        assert r["screen_hits_truncated"] is expected.truncated
        assert json.loads(r["screen_hits"]) == [hit_record(h) for h in expected.hits]
    assert got["c0"]["screen_best_entry_id"] == "us_ofac_sdn:27994"


def test_spark_rejects_bad_column(spark):
    df = spark.createDataFrame([("a",)], "name string")
    with pytest.raises(ValueError, match="no column"):
        screen_dataframe(df, "full_name", ss.bundled_list())


def test_executors_load_the_saved_index_file(spark, tmp_path):
    # A loaded screener maps its file and cannot be pickled: the executors can only have it by
    # loading the index file Spark ships them, and must give the driver's results.
    import pickle

    ss.default_screener().save(tmp_path / "sample.index")
    loaded = ss.Screener.load(tmp_path / "sample.index")
    with pytest.raises(TypeError):
        pickle.dumps(loaded)
    names = [n for n in NAMES if n and len(n) <= 1000]
    df = spark.createDataFrame([(n,) for n in names], "full_name string").repartition(2)
    got = {
        r["full_name"]: r["screen_hit_count"]
        for r in screen_dataframe(df, "full_name", loaded).collect()
    }
    assert got == {n: loaded.screen(n).hit_count for n in names}
    assert sum(got.values()) >= 4
