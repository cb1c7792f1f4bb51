#!/usr/bin/env python3
"""Timing, correctness checks and the results table for scripts/bench.sh.

Standard library only. Every command is run BENCH_RUNS times (after one
untimed warm-up run); the figure is the median wall time and the median peak
resident set size of the process itself (os.wait4's ru_maxrss: the client
only, not the PostgreSQL backend serving it). Runs of competing commands are
interleaved (pg_dump, snapshot, pg_dump, snapshot, ...) so background noise
hits both alike.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

TARGETS = {
    "speedup": 4.0,  # snapshot at least 4x faster than pg_dump at 10k
    "snapshot_mb": 300.0,  # peak memory of snapshot at 10k
    "file_diff_s": 0.5,  # diff of two 10k snapshot files
    "live_diff_s": 3.0,  # diff of two live 10k databases
    "linearity": 12.0,  # 10k time / 1k time
}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run_once(cmd, ok=(0,), stdout=subprocess.DEVNULL):
    """Run cmd once under /usr/bin/time: (wall seconds, peak RSS MB, CPU seconds).
    The command is started by /usr/bin/time rather than by this Python process:
    a child's ru_maxrss includes what its parent held when it forked it (about
    15 MB for Python), which would swamp the small figures."""
    fd, tf = tempfile.mkstemp(prefix="sdbench-time.")
    os.close(fd)
    try:
        t0 = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-q", "-f", "%M %U %S", "-o", tf] + cmd,
                           stdout=stdout, stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - t0
        with open(tf) as f:
            last = f.read().split("\n")
    finally:
        os.unlink(tf)
    if p.returncode not in ok:
        raise RuntimeError(
            f"{' '.join(cmd)} exited with {p.returncode} (expected {ok}):\n{p.stderr.decode(errors='replace')[-2000:]}"
        )
    kb, user, sys_ = [x for x in last if x.strip()][-1].split()
    return elapsed, int(kb) / 1024.0, float(user) + float(sys_)


class Bench:
    def __init__(self, runs):
        self.runs = runs
        self.raw = {}

    def measure(self, label, cmds):
        """cmds: {name: (argv, ok_codes)}; runs are interleaved. Returns
        {name: (median seconds, median MB, min s, max s, median client CPU seconds)}."""
        for name, (argv, ok) in cmds.items():
            run_once(argv, ok)  # warm-up
        samples = {name: [] for name in cmds}
        for r in range(self.runs):
            for name, (argv, ok) in cmds.items():
                samples[name].append(run_once(argv, ok))
        out = {}
        for name, xs in samples.items():
            ts = [x[0] for x in xs]
            ms = [x[1] for x in xs]
            cpu = statistics.median(x[2] for x in xs)
            out[name] = (statistics.median(ts), statistics.median(ms), min(ts), max(ts), cpu)
            self.raw[f"{label}/{name}"] = [dict(seconds=x[0], peak_mb=x[1], cpu_seconds=x[2]) for x in xs]
            log(f"    {label} {name}: median {out[name][0]:.3f} s (min {min(ts):.3f}, max {max(ts):.3f}), "
                f"{out[name][1]:.0f} MB, client CPU {cpu:.3f} s")
        return out


def load_expected(path):
    exp = []
    with open(path) as f:
        for line in f:
            code, obj, what = line.rstrip("\n").split("\t")
            exp.append((code, obj, what))
    return exp


def compare(report_path, expected):
    with open(report_path) as f:
        rep = json.load(f)
    got = [(c["code"], c["object"]) for c in rep["changes"]]
    exp = {(c, o) for c, o, _ in expected}
    missing = [(c, o, w) for c, o, w in expected if (c, o) not in set(got)]
    extra = [g for g in got if g not in exp]
    return len(got), missing, extra


def psql_counts(psql, url):
    sql = """
SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r','p') AND n.nspname NOT IN ('pg_catalog','information_schema','pg_toast')),
       (SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r','p')
           AND n.nspname NOT IN ('pg_catalog','information_schema','pg_toast')),
       (SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname NOT IN ('pg_catalog','information_schema','pg_toast')),
       (SELECT count(*) FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace
         WHERE k.conrelid <> 0 AND n.nspname NOT IN ('pg_catalog','information_schema')),
       (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('v','m') AND n.nspname NOT IN ('pg_catalog','information_schema')),
       (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname NOT IN ('pg_catalog','information_schema')),
       (SELECT count(*) FROM pg_trigger t WHERE NOT t.tgisinternal),
       (SELECT count(*) FROM pg_policy)
"""
    out = subprocess.run([psql, "-X", "-Atq", "-F", " ", url, "-c", sql], check=True,
                         capture_output=True, text=True).stdout.split()
    keys = ["tables", "columns", "indexes", "constraints", "views", "functions", "triggers", "policies"]
    return dict(zip(keys, map(int, out)))


def pf(ok):
    return "PASS" if ok else "MISS"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True, help="the schemadrift binary")
    ap.add_argument("--pg-bin", required=True, help="directory with pg_dump and psql")
    ap.add_argument("--url", required=True, help="server URL without a database name, e.g. postgres://u@h:p")
    ap.add_argument("--work", required=True)
    ap.add_argument("--sizes", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--fleet-config", default="")
    ap.add_argument("--fleet-size", type=int, default=0)
    ap.add_argument("--fleet-drifted", type=int, default=0)
    ap.add_argument("--results", required=True)
    ap.add_argument("--note", default="")
    a = ap.parse_args()

    sizes = [int(s) for s in a.sizes.split()]
    sd, pg_dump, psql = a.bin, os.path.join(a.pg_bin, "pg_dump"), os.path.join(a.pg_bin, "psql")
    b = Bench(a.runs)
    res = {}
    load0 = os.getloadavg()
    started = time.time()
    for n in sizes:
        d = os.path.join(a.work, str(n))
        base, same, drift = (f"{a.url}/bench_{n}_{k}" for k in ("base", "same", "drift"))
        r = res[n] = {}
        log(f"==> {n} tables")
        r["counts"] = psql_counts(psql, base)
        r["read"] = b.measure(f"{n}", {
            "pg_dump": ([pg_dump, "--schema-only", "-f", os.path.join(d, "dump.sql"), base], (0,)),
            "snapshot": ([sd, "snapshot", base, "-o", os.path.join(d, "base.json")], (0,)),
        })
        run_once([sd, "snapshot", drift, "-o", os.path.join(d, "drift.json")])
        run_once([sd, "snapshot", same, "-o", os.path.join(d, "same.json")])
        r["diff"] = b.measure(f"{n}", {
            "live_drift": ([sd, "diff", base, drift, "--format", "json", "-o", os.path.join(d, "diff-live-drift.json")], (1,)),
            "live_same": ([sd, "diff", base, same, "--format", "json", "-o", os.path.join(d, "diff-live-same.json")], (0, 1)),
            "file_drift": ([sd, "diff", os.path.join(d, "base.json"), os.path.join(d, "drift.json"),
                            "--format", "json", "-o", os.path.join(d, "diff-file-drift.json")], (1,)),
        })
        expected = load_expected(os.path.join(d, "expected.tsv"))
        r["expected"] = len(expected)
        r["live"] = compare(os.path.join(d, "diff-live-drift.json"), expected)
        r["file"] = compare(os.path.join(d, "diff-file-drift.json"), expected)
        with open(os.path.join(d, "diff-live-same.json")) as f:
            r["same_changes"] = [(c["code"], c["object"]) for c in json.load(f)["changes"]]
        with open(os.path.join(d, "base.json"), "rb") as f1, open(os.path.join(d, "same.json"), "rb") as f2:
            j1, j2 = json.load(f1), json.load(f2)
        for j in (j1, j2):
            j.pop("taken_at", None)
            j.pop("source", None)
        r["same_snapshot_equal"] = j1 == j2
        r["snapshot_bytes"] = os.path.getsize(os.path.join(d, "base.json"))
        r["dump_bytes"] = os.path.getsize(os.path.join(d, "dump.sql"))

    fleet = None
    if a.fleet_config:
        log(f"==> check of {a.fleet_size} databases")
        fleet = b.measure("fleet", {
            f"jobs{j}": ([sd, "check", "-c", a.fleet_config, "--jobs", str(j), "--format", "json",
                          "-o", os.path.join(a.work, f"fleet-jobs{j}.json")], (0, 1))
            for j in (1, 8)
        })
        with open(os.path.join(a.work, "fleet-jobs8.json")) as f:
            frep = json.load(f)
        fleet_summary = frep.get("summary", {})
    load1 = os.getloadavg()

    # ---------------------------------------------------------------- report --
    L = []
    L.append("# schemadrift benchmark")
    L.append("")
    L.append(f"{time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(started))}, {os.cpu_count()} CPUs, "
             f"load average {load0[0]:.2f} at start and {load1[0]:.2f} at the end; "
             f"median of {a.runs} runs after one warm-up; peak RSS and CPU are the client process's "
             f"(the server's work is not in them). {a.note}")
    L.append("")
    L.append("## Schemas")
    L.append("")
    L.append("| tables | columns | indexes | constraints | views+matviews | functions | triggers | policies | drifts applied |")
    L.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in sizes:
        c = res[n]["counts"]
        L.append(f"| {c['tables']:,} | {c['columns']:,} | {c['indexes']:,} | {c['constraints']:,} | {c['views']:,} | "
                 f"{c['functions']:,} | {c['triggers']:,} | {c['policies']:,} | {res[n]['expected']} |")
    L.append("")
    L.append("## Reading and comparing")
    L.append("")
    L.append("| tables | pg_dump --schema-only | schemadrift snapshot | speedup | pg_dump peak | snapshot peak | memory ratio | "
             "diff live (drifted) | diff live (identical) | diff files (client CPU) | drifts reported | identical copy |")
    L.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
    for n in sizes:
        r = res[n]
        pd, sn = r["read"]["pg_dump"], r["read"]["snapshot"]
        dl, ds, dfl = r["diff"]["live_drift"], r["diff"]["live_same"], r["diff"]["file_drift"]
        total, missing, extra = r["live"]
        found = r["expected"] - len(missing)
        same = "empty" if not r["same_changes"] else f"**{len(r['same_changes'])} changes**"
        L.append(f"| {n:,} | {pd[0]:.3f} s | {sn[0]:.3f} s | {pd[0] / sn[0]:.2f}× | {pd[1]:.0f} MB | {sn[1]:.0f} MB | "
                 f"{sn[1] / pd[1]:.2f}× | {dl[0]:.3f} s | {ds[0]:.3f} s | {dfl[0]:.3f} s ({dfl[4]:.3f} s) | "
                 f"{found}/{r['expected']} ({total} changes) | {same} |")
    L.append("")
    for n in sizes:
        r = res[n]
        for kind in ("live", "file"):
            total, missing, extra = r[kind]
            if missing or extra:
                L.append(f"- {n:,} tables, {kind} diff: {total} changes reported for {r['expected']} drifts.")
                for c, o, w in missing:
                    L.append(f"  - NOT reported: `{c}` `{o}` ({w})")
                for c, o in extra:
                    L.append(f"  - not expected: `{c}` `{o}`")
        if r["same_changes"]:
            L.append(f"- {n:,} tables, identical copy (loaded separately, other OIDs): {len(r['same_changes'])} changes:")
            for c, o in r["same_changes"][:20]:
                L.append(f"  - `{c}` `{o}`")
        if not r["same_snapshot_equal"]:
            L.append(f"- {n:,} tables: the snapshots of the base and of its identical copy differ.")
    if all(not res[n]["live"][1] and not res[n]["live"][2] and not res[n]["file"][1] and not res[n]["file"][2]
           and not res[n]["same_changes"] for n in sizes):
        L.append("Every size: the live diff and the file diff reported exactly the drifts applied, "
                 "and the identical copy (loaded separately, so other OIDs) gave no change.")
    L.append("")
    L.append("Snapshot file / dump sizes: " + ", ".join(
        f"{n:,}: {res[n]['snapshot_bytes'] / 1e6:.1f} MB JSON vs {res[n]['dump_bytes'] / 1e6:.1f} MB SQL" for n in sizes) + ".")
    if fleet:
        L.append("")
        L.append(f"## check of {a.fleet_size} databases of 100 tables ({a.fleet_drifted} drifted)")
        L.append("")
        j1, j8 = fleet["jobs1"], fleet["jobs8"]
        L.append("| --jobs 1 | --jobs 8 | speedup | peak (jobs 1) | peak (jobs 8) | result |")
        L.append("| ---: | ---: | ---: | ---: | ---: | --- |")
        L.append(f"| {j1[0]:.2f} s | {j8[0]:.2f} s | {j1[0] / j8[0]:.2f}× | {j1[1]:.0f} MB | {j8[1]:.0f} MB | "
                 f"{fleet_summary.get('clean', '?')} clean, {fleet_summary.get('drift', '?')} drift, "
                 f"{fleet_summary.get('failed', '?')} failed |")
    L.append("")
    L.append("## Targets (issue 7)")
    L.append("")
    L.append("| target | measured | |")
    L.append("| --- | --- | --- |")
    big = max(sizes)
    if big >= 10000:
        r = res[big]
        pd, sn = r["read"]["pg_dump"], r["read"]["snapshot"]
        sp = pd[0] / sn[0]
        L.append(f"| snapshot ≥ {TARGETS['speedup']:.0f}× faster than pg_dump at {big:,} | {sp:.2f}× "
                 f"({sn[0]:.2f} s vs {pd[0]:.2f} s) | {pf(sp >= TARGETS['speedup'])} |")
        L.append(f"| snapshot peak memory < {TARGETS['snapshot_mb']:.0f} MB at {big:,} | {sn[1]:.0f} MB | "
                 f"{pf(sn[1] < TARGETS['snapshot_mb'])} |")
        fd = r["diff"]["file_drift"][0]
        L.append(f"| diff of two {big:,}-table snapshot files < {TARGETS['file_diff_s']} s | {fd:.3f} s "
                 f"(client CPU {r['diff']['file_drift'][4]:.3f} s) | "
                 f"{pf(fd < TARGETS['file_diff_s'])} |")
        ld = r["diff"]["live_drift"][0]
        L.append(f"| diff of two live {big:,}-table databases < {TARGETS['live_diff_s']:.0f} s | {ld:.2f} s | "
                 f"{pf(ld < TARGETS['live_diff_s'])} |")
        total, missing, extra = r["live"]
        ok = not missing and not extra
        L.append(f"| ... reports all {r['expected']} drifts (and only them) | {r['expected'] - len(missing)} found, "
                 f"{len(extra)} extra | {pf(ok)} |")
        L.append(f"| ... reports nothing on identical copies | {len(r['same_changes'])} changes | "
                 f"{pf(not r['same_changes'])} |")
    else:
        L.append(f"| (the 10,000-table targets need BENCH_SIZES to include 10000) | | |")
    if 1000 in sizes and 10000 in sizes:
        for what, key, sub in (("snapshot", "read", "snapshot"), ("live diff", "diff", "live_drift"),
                               ("file diff", "diff", "file_drift"), ("pg_dump (for reference)", "read", "pg_dump")):
            t1, t10 = res[1000][key][sub][0], res[10000][key][sub][0]
            lin = t10 / t1
            mark = pf(lin <= TARGETS["linearity"]) if not what.startswith("pg_dump") else ""
            L.append(f"| {what}: 10k time ≤ {TARGETS['linearity']:.0f}× the 1k time | {lin:.1f}× "
                     f"({t10:.3f} s / {t1:.3f} s) | {mark} |")
    text = "\n".join(L) + "\n"
    print(text)
    os.makedirs(os.path.dirname(a.results), exist_ok=True)
    with open(a.results, "w") as f:
        f.write(text)
    with open(os.path.join(os.path.dirname(a.results), "raw.json"), "w") as f:
        json.dump(b.raw, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
