"""Runs `auditview filter-sql` conditions in a cluster engine, as the recipe in
docs/guide/scale.md does: reads the Parquet files `auditview convert` wrote
(files starting with `_` are the rejects and the manifest, which Spark and Hive skip by
convention), keeps the rows the condition selects, and writes them back as
Parquet, one folder per query.

    python run_sql.py duckdb|spark PARQUET_DIR OUT_DIR QUERIES.json

QUERIES.json: [{"name": "...", "where": "..."}]. Prints one line per query:
name and row count.
"""
import glob
import json
import os
import sys


def inputs(parquet_dir):
    return sorted(
        p for p in glob.glob(os.path.join(parquet_dir, "*.parquet"))
        if not os.path.basename(p).startswith("_")
    )


def run_duckdb(parquet_dir, out_dir, queries):
    import duckdb

    files = inputs(parquet_dir)
    con = duckdb.connect()
    source = "read_parquet([" + ", ".join("'%s'" % f for f in files) + "])"
    for q in queries:
        folder = os.path.join(out_dir, q["name"])
        os.makedirs(folder, exist_ok=True)
        target = os.path.join(folder, "result.parquet")
        con.execute(
            "COPY (SELECT * FROM %s WHERE %s) TO '%s' (FORMAT parquet)"
            % (source, q["where"], target)
        )
        count = con.execute("SELECT count(*) FROM read_parquet('%s')" % target).fetchone()[0]
        print(q["name"], count, flush=True)


def run_spark(parquet_dir, out_dir, queries):
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("auditview-sql")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        # ANSI string literals: a backslash is a backslash.
        .config("spark.sql.parser.escapedStringLiterals", "true")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    events = spark.read.parquet(*inputs(parquet_dir))
    events.createOrReplaceTempView("events")
    for q in queries:
        folder = os.path.join(out_dir, q["name"])
        result = spark.sql("SELECT * FROM events WHERE %s" % q["where"])
        result.write.mode("overwrite").parquet(folder)
        print(q["name"], spark.read.parquet(folder).count(), flush=True)
    spark.stop()


if __name__ == "__main__":
    engine, parquet_dir, out_dir, queries_file = sys.argv[1:5]
    with open(queries_file) as f:
        queries = json.load(f)
    {"duckdb": run_duckdb, "spark": run_spark}[engine](parquet_dir, out_dir, queries)
