#!/usr/bin/env python3
"""Where `schemadrift snapshot` spends its server time: run each catalog query
of src/postgres/queries/*.sql in psql, as the tool does (one REPEATABLE READ
READ ONLY transaction, empty search_path), and again with each deparsing
function replaced by NULL, to see what each one costs.

    profile_queries.py --url postgres://.../db [--psql PATH] [--runs 3] [--out FILE.md]

Standard library only. Times are psql's \\timing of EXECUTE (server time plus
sending the rows to psql, which discards them), median of --runs.
"""

import argparse
import glob
import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# The functions that deparse or look names up, per row.
DEPARSERS = [
    "format_type", "pg_get_expr", "pg_get_indexdef", "pg_get_constraintdef", "pg_get_viewdef",
    "pg_get_triggerdef", "pg_get_functiondef", "pg_get_function_arguments", "pg_get_function_result",
    "oidvectortypes", "pg_get_partkeydef", "pg_get_userbyid",
]

PROLOGUE = """BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
SET LOCAL search_path = '';
SET LOCAL timezone = 'UTC';
SET LOCAL datestyle = 'ISO, YMD';
SET LOCAL intervalstyle = 'postgres';
SET LOCAL extra_float_digits = 3;
"""


def strip_calls(sql, fn):
    """Replace every `pg_catalog.fn(...)` (balanced parentheses) by NULL::text.
    Returns (new sql, how many calls were replaced)."""
    out, i, n = [], 0, 0
    pat = re.compile(r"(pg_catalog\.)?" + fn + r"\s*\(")
    while True:
        m = pat.search(sql, i)
        if not m:
            out.append(sql[i:])
            break
        # not part of a longer identifier
        if m.start() > 0 and (sql[m.start() - 1].isalnum() or sql[m.start() - 1] == "_"):
            out.append(sql[i:m.end()])
            i = m.end()
            continue
        depth, j = 1, m.end()
        while depth:
            c = sql[j]
            depth += c == "("
            depth -= c == ")"
            j += 1
        out.append(sql[i:m.start()] + "NULL::text")
        i = j
        n += 1
    return "".join(out), n


def strip_regprocedure(sql):
    new = sql.replace("t.tgfoid::pg_catalog.regprocedure::text", "NULL::text")
    return new, int(new != sql)


def params_of(sql):
    k = max((int(x) for x in re.findall(r"\$(\d)", sql)), default=0)
    types = ["text[]", "text[]", "bool"][:k]
    values = ["'{}'", "'{}'", "false"][:k]
    return types, values


def adapt(sql, version):
    """The query for a server of server_version_num `version`, as
    postgres::adapt_query makes it: /*<NNNNNN:OLD*/NEW/*end*/ is OLD below
    NNNNNN, else NEW."""
    def pick(m):
        return m.group(2) if version < int(m.group(1)) else m.group(3)
    return re.sub(r"/\*<(\d+):(.*?)\*/(.*?)/\*end\*/", pick, sql, flags=re.S)


def server_version(psql, url):
    p = subprocess.run([psql, "-X", "-A", "-t", "-c", "SHOW server_version_num", url],
                       capture_output=True, text=True)
    if p.returncode:
        raise RuntimeError(p.stderr[-2000:])
    return int(p.stdout.strip())


def body(sql):
    lines = [l for l in sql.splitlines() if not l.lstrip().startswith("--")]
    return "\n".join(lines).strip().rstrip(";")


def timed(psql, url, sql, runs, settings=""):
    """Median ms of EXECUTE, and every sample."""
    types, values = params_of(sql)
    ptypes = f"({', '.join(types)})" if types else ""
    pvalues = f"({', '.join(values)})" if values else ""
    script = PROLOGUE + settings + f"PREPARE q{ptypes} AS {body(sql)};\n"
    script += "\\o /dev/null\n\\timing on\n"
    for _ in range(runs + 1):
        script += f"EXECUTE q{pvalues};\n"
    script += "\\timing off\n\\o\n"
    script += "ROLLBACK;\n"
    p = subprocess.run([psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", url], input=script,
                       capture_output=True, text=True)
    if p.returncode:
        raise RuntimeError(p.stderr[-2000:])
    ms = [float(x) for x in re.findall(r"Time: ([0-9.]+) ms", p.stdout)]
    return statistics.median(ms[1:]), ms


def rows(psql, url, sql):
    script = PROLOGUE + ("SELECT count(*) FROM (" + body(sql).replace("$1", "'{}'::text[]")
                         .replace("$2", "'{}'::text[]").replace("$3", "false") + ") x;\nROLLBACK;\n")
    p = subprocess.run([psql, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", url], input=script,
                       capture_output=True, text=True)
    if p.returncode:
        raise RuntimeError(p.stderr[-2000:])
    return int(p.stdout.split()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--psql", default="psql")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--out", default="")
    ap.add_argument("--explain-dir", default="")
    a = ap.parse_args()

    version = server_version(a.psql, a.url)
    # deparse.sql deparses by OID what a lazy read (a diff of two live
    # databases) left as trees, and types.sql reads nothing unless lazy: the
    # queries of a snapshot are the others.
    files = sorted(f for f in glob.glob(os.path.join(ROOT, "src/postgres/queries/*.sql"))
                   if os.path.basename(f) not in ("deparse.sql", "types.sql"))
    lines = ["| query | rows | time | without parallel workers | without any deparsing | cost of each deparsing function (time saved when it alone is replaced by NULL) |",
             "| --- | ---: | ---: | ---: | ---: | --- |"]
    total = total_bare = total_serial = 0.0
    for f in files:
        name = os.path.basename(f)[:-4]
        sql = adapt(open(f).read(), version)
        n = rows(a.psql, a.url, sql)
        full, _ = timed(a.psql, a.url, sql, a.runs)
        serial, _ = timed(a.psql, a.url, sql, a.runs, "SET LOCAL max_parallel_workers_per_gather = 0;\n")
        total_serial += serial
        bare = sql
        costs = []
        for fn in DEPARSERS:
            s1, k = strip_calls(sql, fn)
            if k:
                t, _ = timed(a.psql, a.url, s1, a.runs)
                costs.append((full - t, fn, k))
                bare, _ = strip_calls(bare, fn)
        s1, k = strip_regprocedure(sql)
        if k:
            t, _ = timed(a.psql, a.url, s1, a.runs)
            costs.append((full - t, "::regprocedure", k))
            bare, _ = strip_regprocedure(bare)
        tb, _ = timed(a.psql, a.url, bare, a.runs)
        total += full
        total_bare += tb
        costs.sort(reverse=True)
        cs = ", ".join(f"{fn} {c:.0f} ms" for c, fn, k in costs if abs(c) >= 1) or "-"
        lines.append(f"| {name} | {n:,} | {full:.0f} ms | {serial:.0f} ms | {tb:.0f} ms | {cs} |")
        print(f"{name}: {n} rows, {full:.1f} ms, no parallel {serial:.1f} ms, bare {tb:.1f} ms; {cs}",
              file=sys.stderr, flush=True)
        if a.explain_dir:
            os.makedirs(a.explain_dir, exist_ok=True)
            types, values = params_of(sql)
            ptypes = f"({', '.join(types)})" if types else ""
            pvalues = f"({', '.join(values)})" if values else ""
            script = (PROLOGUE + f"PREPARE q{ptypes} AS {body(sql)};\n"
                      f"EXPLAIN (ANALYZE, BUFFERS, VERBOSE) EXECUTE q{pvalues};\nROLLBACK;\n")
            p = subprocess.run([a.psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", a.url], input=script,
                               capture_output=True, text=True)
            with open(os.path.join(a.explain_dir, name + ".txt"), "w") as o:
                o.write(p.stdout + p.stderr)
    lines.append(f"| **all, one after another** | | **{total:.0f} ms** | **{total_serial:.0f} ms** | **{total_bare:.0f} ms** | |")
    text = "\n".join(lines) + "\n"
    print(text)
    if a.out:
        with open(a.out, "w") as o:
            o.write(text)


if __name__ == "__main__":
    main()
