"""Compare auditview's load with polars and DuckDB reading the same audit logs.

Usage:
    compare.py --auditview PATH [--rounds 3] [--markdown] [--json-out FILE] FILE...

Each FILE is a DNAnexus Audit Trail CSV or a Pydio Cells audit.log (JSON lines;
told apart by the first byte, `{`). For each file the rounds are interleaved
(round 1: auditview, polars, DuckDB; round 2 rotated by one; ...), every
measurement in a fresh child process, and the tables show medians:

- auditview: `auditview inspect FILE --json`, timed as the whole process
  (start-up included); rows = events + rejects from its JSON.
- polars: `pl.read_csv(infer_schema=False)` / `pl.read_ndjson(schema=all String)`,
  timed around the read only, in a child Python.
- DuckDB: `create table t as select * from read_csv(all_varchar)` /
  `read_json(format='newline_delimited', columns=all VARCHAR)`, timed around
  the statement only, in a child Python. Default thread counts for both.

Peak RSS comes from wait4's ru_maxrss, so it covers the whole child process
(for polars and DuckDB: the Python interpreter and the library too). On Linux a
child's reading is never below the launcher's RSS at spawn (the floor shown).

Standard library only in this process; polars and duckdb are imported in the
children (`compare.py --child polars|duckdb ...`). Exit status 3 when a tool
failed or the row counts disagree (after printing everything).
"""

import argparse
import csv
import datetime
import importlib.metadata
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

TOOLS = ("auditview", "polars", "duckdb")
MB = 1e6  # sizes and RSS are shown in MB = 10^6 bytes


# ---------------------------------------------------------------- children


def child_polars(path, fmt, keys):
    """Read FILE with polars (all columns as strings) and return the timing."""
    import inspect

    import polars as pl

    note = None
    start = time.perf_counter()
    if fmt == "csv":
        if "infer_schema" in inspect.signature(pl.read_csv).parameters:
            df = pl.read_csv(path, infer_schema=False)
        else:
            df = pl.read_csv(path, infer_schema_length=0)
    else:
        try:
            df = pl.read_ndjson(path, schema={k: pl.String for k in keys})
        except Exception as err:  # a nested value polars won't take as String
            note = f"polars refused the all-String schema ({type(err).__name__}: {err}); read with inference"
            start = time.perf_counter()
            df = pl.read_ndjson(path, infer_schema_length=None)
    seconds = time.perf_counter() - start
    return {"read_s": seconds, "rows": df.height, "threads": pl.thread_pool_size(), "note": note}


def child_duckdb(path, fmt, keys, ignore_errors):
    """Load FILE into an in-memory DuckDB table (all VARCHAR) and return the timing."""
    import duckdb

    con = duckdb.connect()
    note = None
    if fmt == "csv":
        sql, params = "create table t as select * from read_csv(?, all_varchar=true)", [path]
    else:
        extra = ", ignore_errors=true" if ignore_errors else ""
        sql = f"create table t as select * from read_json(?, format='newline_delimited', columns=?{extra})"
        params = [path, {k: "VARCHAR" for k in keys}]
        if ignore_errors:
            note = "duplicate keys in the file: DuckDB needs ignore_errors=true (it keeps the first value)"
    start = time.perf_counter()
    con.execute(sql, params)
    seconds = time.perf_counter() - start
    rows = con.execute("select count(*) from t").fetchone()[0]
    threads = con.execute("select current_setting('threads')").fetchone()[0]
    return {"read_s": seconds, "rows": rows, "threads": threads, "note": note}


def run_child(args):
    """Entry point of `compare.py --child ...`: print one JSON result."""
    keys = json.loads(args.keys)
    if args.child == "polars":
        result = child_polars(args.files[0], args.format, keys)
    else:
        result = child_duckdb(args.files[0], args.format, keys, args.ignore_errors)
    print(json.dumps(result))


# ---------------------------------------------------------------- inputs


def detect_format(path):
    """`jsonl` when the file starts with `{`, else `csv`."""
    with open(path, "rb") as f:
        return "jsonl" if f.read(1) == b"{" else "csv"


def warm_cache(path):
    """Read the file once so every tool starts from a warm page cache."""
    with open(path, "rb") as f:
        while f.read(1 << 20):
            pass


def scan_csv(path):
    """Count the data rows with Python's csv module (the reference count)."""
    csv.field_size_limit(sys.maxsize)  # a long Info field must not stop the count
    with open(path, newline="", encoding="utf-8", errors="replace") as f:
        rows = sum(1 for _ in csv.reader(f)) - 1
    return {"rows": rows, "keys": [], "duplicate_keys": 0, "nested": 0, "bad_lines": 0}


def scan_jsonl(path):
    """Union of top-level keys (first-seen order), and the oddities the readers meet."""
    keys, dups, nested, bad, rows = {}, 0, 0, 0, 0
    with open(path, "rb") as f:
        for line in f:
            if not line.strip():
                continue
            rows += 1
            try:
                pairs = json.loads(line, object_pairs_hook=lambda p: p)
                names = [k for k, _ in pairs]
            except (ValueError, TypeError):  # not JSON, or not an object
                bad += 1
                continue
            dups += len(names) != len(set(names))
            nested += any(isinstance(v, list) for _, v in pairs)
            for k in names:
                keys.setdefault(k, None)
    return {"rows": rows, "keys": list(keys), "duplicate_keys": dups, "nested": nested, "bad_lines": bad}


# ---------------------------------------------------------------- measuring


def reset_peak_rss():
    """Reset this process's peak RSS to its current RSS and return that (KB).

    A child inherits its launcher's peak RSS at exec, so this keeps the floor
    of every reading as low as this process can be.
    """
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def spawn(argv):
    """Run argv; return (exit code, stdout, stderr, wall seconds, peak RSS KB, RSS floor KB)."""
    floor = reset_peak_rss()
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err)
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.stdout.close()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    return proc.returncode, out, stderr, wall, usage.ru_maxrss, floor


def measure(tool, path, fmt, scan, auditview):
    """One measurement of one tool on one file, in a fresh process."""
    if tool == "auditview":
        argv = [auditview, "inspect", path, "--json"]
    else:
        argv = [sys.executable, os.path.abspath(__file__), "--child", tool, "--format", fmt,
                "--keys", json.dumps(scan["keys"]), path]
        if tool == "duckdb" and scan["duplicate_keys"]:
            argv.append("--ignore-errors")
    code, out, stderr, wall, rss_kb, floor_kb = spawn(argv)
    m = {"tool": tool, "wall_s": wall, "peak_rss_kb": rss_kb, "rss_floor_kb": floor_kb, "exit": code}
    if code != 0:
        m["error"] = stderr.strip()[-2000:] or f"exit status {code}"
        return m
    if tool == "auditview":
        m.update(parse_inspect(out))
        m["time_s"] = wall
    else:
        m.update(json.loads(out.splitlines()[-1]))
        m["time_s"] = m["read_s"]
    return m


def parse_inspect(out):
    """Counts from `auditview inspect --json`."""
    report = json.loads(out)
    return {
        "rows": report["events"] + report["rejected"],
        "events": report["events"],
        "rejected": report["rejected"],
        "formats": [s["format"] for s in report["sources"]],
        "problems": report["errors"] + report["skipped"],
    }


def bench_file(path, rounds, auditview):
    """Interleaved rounds on one file; returns its record with all measurements."""
    fmt = detect_format(path)
    warm_cache(path)
    scan = scan_csv(path) if fmt == "csv" else scan_jsonl(path)
    runs = []
    for r in range(rounds):
        order = TOOLS[r % 3:] + TOOLS[:r % 3]
        for tool in order:
            m = measure(tool, path, fmt, scan, auditview)
            m["round"] = r + 1
            runs.append(m)
            print(f"  {os.path.basename(path)} round {r + 1} {tool}: "
                  + (f"{m['time_s']:.3f} s, {m['peak_rss_kb'] * 1024 / MB:.0f} MB" if "error" not in m else "FAILED"),
                  file=sys.stderr)
    return {"path": path, "format": fmt, "bytes": os.path.getsize(path), "scan": scan, "runs": runs}


# ---------------------------------------------------------------- summary


def summarize(record):
    """Per tool: median/min/max time, MB/s, median peak RSS, rows and notes."""
    size = record["bytes"]
    summary = {}
    for tool in TOOLS:
        ok = [m for m in record["runs"] if m["tool"] == tool and "error" not in m]
        failed = [m for m in record["runs"] if m["tool"] == tool and "error" in m]
        if not ok:
            summary[tool] = {"error": failed[0]["error"] if failed else "not run"}
            continue
        times = [m["time_s"] for m in ok]
        rss = statistics.median(m["peak_rss_kb"] for m in ok) * 1024
        floor = max(m["rss_floor_kb"] for m in ok) * 1024
        summary[tool] = {
            "median_s": statistics.median(times), "min_s": min(times), "max_s": max(times),
            "mb_per_s": size / MB / statistics.median(times),
            "rss_bytes": rss, "rss_per_input": rss / size, "at_floor": rss <= floor * 1.05,
            "rows": sorted({m["rows"] for m in ok}), "failed": len(failed),
            "notes": sorted({m["note"] for m in ok if m.get("note")}
                            | {json.dumps(p) for m in ok for p in m.get("problems", [])}),
            "threads": ok[0].get("threads"),
        }
    return summary


def row_warnings(record, summary):
    """Every disagreement between the tools' row counts and the reference count."""
    expected = record["scan"]["rows"]
    warnings = []
    for tool, s in summary.items():
        if "error" in s:
            warnings.append(f"{tool} FAILED: {error_line(s['error'])}")
        elif s["rows"] != [expected]:
            warnings.append(f"ROW COUNTS DISAGREE: {tool} read {s['rows']} rows, the file has {expected} data rows")
    return warnings


def error_line(stderr):
    """The line of a child's stderr that names the error."""
    lines = [l.strip() for l in stderr.splitlines() if l.strip()] or [""]
    return next((l for l in reversed(lines) if "Error" in l or "Exception" in l or "error" in l), lines[-1])


def render_table(headers, rows, markdown):
    """A GitHub markdown table, or plain aligned columns."""
    if markdown:
        lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
        return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])
    widths = [max(len(str(c)) for c in col) for col in zip(headers, *rows)]
    fmt_row = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()
    return "\n".join([fmt_row(headers), fmt_row(["-" * w for w in widths])] + [fmt_row(r) for r in rows])


TOOL_LABELS = {
    "auditview": "auditview `inspect --json` (whole process)",
    "polars": "polars (read only, in Python)",
    "duckdb": "DuckDB (read only, in Python)",
}


def file_report(record, summary, rounds, markdown):
    """The text for one file: its table, the ratios, notes and warnings."""
    size, scan = record["bytes"], record["scan"]
    kind = "DNAnexus Audit Trail CSV" if record["format"] == "csv" else "Pydio Cells audit log (JSON lines)"
    title = f"{os.path.basename(record['path'])}: {kind}, {size / MB:.1f} MB, {scan['rows']:,} data rows, {rounds} rounds"
    rows = []
    for tool in TOOLS:
        s = summary[tool]
        if "error" in s:
            rows.append([TOOL_LABELS[tool], "FAILED", "", "", "", ""])
            continue
        rss = f"{s['rss_bytes'] / MB:.1f}" + (" (floor)" if s["at_floor"] else "")
        rows.append([TOOL_LABELS[tool], f"{s['median_s']:.3f} ({s['min_s']:.3f}–{s['max_s']:.3f})",
                     f"{s['mb_per_s']:.0f}", rss, f"{s['rss_per_input']:.2f}×", ", ".join(f"{n:,}" for n in s["rows"])])
    table = render_table(["tool", "time s, median (min–max)", "MB/s", "peak RSS MB", "RSS / input", "rows"],
                         rows, markdown)
    av, pl_, dk = summary["auditview"], summary["polars"], summary["duckdb"]
    ratio = lambda a, b, k: f"{a[k] / b[k]:.2f}" if "error" not in a and "error" not in b else "n/a"
    ratios = render_table(["ratio", "value"], [
        ["auditview time / polars time", ratio(av, pl_, "median_s")],
        ["auditview time / DuckDB time", ratio(av, dk, "median_s")],
        ["auditview peak RSS / input size", f"{av['rss_per_input']:.2f}" if "error" not in av else "n/a"],
    ], markdown)
    parts = [("### " if markdown else "") + title, "", table, "", ratios]
    notes = [f"{t}: {n}" for t in TOOLS for n in summary[t].get("notes", [])]
    if scan["duplicate_keys"]:
        notes.append(f"{scan['duplicate_keys']:,} lines repeat a key")
    if scan["bad_lines"]:
        notes.append(f"{scan['bad_lines']:,} lines are not JSON objects")
    if scan["nested"]:
        notes.append(f"{scan['nested']:,} lines hold nested values (read as strings by polars and DuckDB)")
    if notes:
        parts += [""] + [f"- note: {n}" for n in notes]
    warnings = row_warnings(record, summary)
    if warnings:
        parts += [""] + [f"- **WARNING: {w}**" if markdown else f"!!! WARNING: {w}" for w in warnings]
    return "\n".join(parts), warnings


# ---------------------------------------------------------------- machine


def machine_info(auditview):
    """CPU, cores, RAM, date, versions: what the numbers were measured on."""
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
    mem_kb = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal:"))
    info = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu, "cores": os.cpu_count(), "ram_gib": round(mem_kb / 2**20, 1),
        "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
        "polars": importlib.metadata.version("polars"), "duckdb": importlib.metadata.version("duckdb"),
    }
    try:
        done = subprocess.run([auditview, "--version"], capture_output=True, text=True, timeout=30)
        if done.returncode == 0 and done.stdout.strip():
            info["auditview"] = done.stdout.strip()
    except OSError:
        pass
    return info


def machine_report(info, records, markdown):
    """The machine lines and how to read the numbers."""
    floor = max((m["rss_floor_kb"] for r in records for m in r["runs"]), default=0) * 1024
    threads = {t: next((r["summary"][t]["threads"] for r in records if "error" not in r["summary"][t]), None)
               for t in ("polars", "duckdb")}
    lines = [
        f"date: {info['date']}",
        f"machine: {info['cpu']}, {info['cores']} cores, {info['ram_gib']} GiB RAM, {info['os']}",
        f"versions: {info.get('auditview', 'auditview (no --version)')}, polars {info['polars']}, "
        f"duckdb {info['duckdb']}, Python {info['python']}",
        f"threads: polars {threads.get('polars')}, DuckDB {threads.get('duckdb')} (defaults)",
        "times: medians of interleaved rounds, each run a fresh process; auditview's time is its whole process "
        "(start-up included), polars' and DuckDB's the read alone",
        "peak RSS: ru_maxrss of the whole child process (for polars and DuckDB: the Python interpreter and the "
        f"library too); a reading cannot go below the launcher's RSS at spawn, {floor / MB:.1f} MB ('floor')",
        "MB = 10^6 bytes; rows: auditview's events + rejects, polars' and DuckDB's table rows",
    ]
    return "\n".join(f"- {l}" if markdown else l for l in lines)


# ---------------------------------------------------------------- main


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--auditview", help="the auditview binary")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--markdown", action="store_true", help="print GitHub markdown tables")
    p.add_argument("--json-out", help="write every raw measurement to this JSON file")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--child", choices=["polars", "duckdb"], help=argparse.SUPPRESS)
    p.add_argument("--format", choices=["csv", "jsonl"], help=argparse.SUPPRESS)
    p.add_argument("--keys", default="[]", help=argparse.SUPPRESS)
    p.add_argument("--ignore-errors", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if not args.child and not args.auditview:
        p.error("--auditview is required")
    return args


def main(argv):
    args = parse_args(argv)
    if args.child:
        return run_child(args)
    auditview = os.path.abspath(args.auditview)
    info = machine_info(auditview)
    records, texts, warnings = [], [], []
    for path in args.files:
        record = bench_file(path, args.rounds, auditview)
        record["summary"] = summarize(record)
        text, file_warnings = file_report(record, record["summary"], args.rounds, args.markdown)
        records.append(record)
        texts.append(text)
        warnings += file_warnings
    print(machine_report(info, records, args.markdown))
    for text in texts:
        print("\n" + text)
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump({"machine": info, "files": records}, f, indent=2)
    if warnings:
        print("\n".join(["", "!" * 72] + warnings + ["!" * 72]), file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
