#!/usr/bin/python3
"""Runs the programs `winnow --batch --export FORMAT` writes on the real
engine and compares their output with winnow --batch's on the same input:
identical bytes.

usage: test-export.py pandas|dask|duckdb|unsupported
env:   WINNOW_BINARY   the winnow executable
       WINNOW_DUCKDB   the duckdb command (build-aux/install-duckdb.sh)

Exits 77 (skipped) only when the engine is not installed at all.
"""
import json
import os
import runpy
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_inputs  # noqa: E402
import random_cases  # noqa: E402

WINNOW = os.environ.get("WINNOW_BINARY", "winnow")
SKIP = 77
# meson's MALLOC_PERTURB_ fills every allocation: DuckDB's buffers and the
# Dask workers' frames made the tests ten times slower under it. It is
# there for Winnow's own C tests, not for the engines.
for variable in ("MALLOC_PERTURB_", "MALLOC_CHECK_"):
    os.environ.pop(variable, None)

# (name, input file, recipe); the recipe test matrix of tests/test-clean.c
# and tests/test-clean-format.c on bigger, dirtier files.
R = {"winnow_recipe": 1}


def recipe(**steps):
    return dict(R, **steps)


def fill(*rules):
    return recipe(fill=list(rules))


CASES = [
    ("passthrough", "people.csv", recipe()),
    ("drop-columns", "people.csv", recipe(drop_columns=["notes", "email"])),
    ("trim", "people.csv", recipe(trim_whitespace=True, drop_missing={"how": "any"})),
    ("dedupe-first", "people.csv", recipe(drop_duplicates={"keep": "first"})),
    ("dedupe-last", "people.csv", recipe(drop_duplicates={"keep": "last"})),
    ("dedupe-none", "people.csv", recipe(drop_duplicates={"keep": "none"})),
    ("dedupe-subset-first", "people.csv", recipe(drop_duplicates={"subset": ["email"]})),
    ("dedupe-subset-last", "people.csv", recipe(drop_duplicates={"subset": ["city", "age"], "keep": "last"})),
    ("dedupe-subset-none", "people.csv", recipe(drop_duplicates={"subset": ["email"], "keep": "none"})),
    ("dropna-any", "people.csv", recipe(drop_missing={"how": "any"})),
    ("dropna-all", "people.csv", recipe(drop_missing={"how": "all"})),
    ("dropna-thresh", "people.csv", recipe(drop_missing={"thresh": 6})),
    ("dropna-subset", "people.csv", recipe(drop_missing={"how": "any", "subset": ["id", "email"]})),
    ("dropna-thresh-subset", "people.csv", recipe(drop_missing={"thresh": 2, "subset": ["age", "income", "score"]})),
    ("fill-value", "people.csv", fill({"column": "city", "value": "Unknown, \"really\""})),
    ("fill-mean", "people.csv", fill({"column": "income", "strategy": "mean"})),
    ("fill-median", "people.csv", fill({"column": "income", "strategy": "median"},
                                       {"column": "age", "strategy": "median"})),
    ("fill-mode", "people.csv", fill({"column": "city", "strategy": "mode"},
                                     {"column": "age", "strategy": "mode"})),
    ("fill-ffill", "people.csv", fill({"column": "score", "strategy": "ffill"})),
    ("fill-ffill-limit", "people.csv", fill({"column": "score", "strategy": "ffill", "limit": 2},
                                            {"column": "name", "strategy": "ffill", "limit": 1})),
    ("fill-bfill", "people.csv", fill({"column": "score", "strategy": "bfill"})),
    ("fill-bfill-limit", "people.csv", fill({"column": "score", "strategy": "bfill", "limit": 3})),
    ("fill-no-numbers", "people.csv", recipe(drop_columns=["income"],
                                             fill=[{"column": "notes", "strategy": "mean"},
                                                   {"column": "name", "strategy": "median"}])),
    ("all-steps", "people.csv", recipe(
        drop_columns=["notes"], trim_whitespace=True,
        drop_duplicates={"subset": ["email"], "keep": "last"},
        drop_missing={"how": "any", "subset": ["id"]},
        fill=[{"column": "city", "value": "Unknown"}, {"column": "age", "strategy": "median"},
              {"column": "income", "strategy": "mean"}, {"column": "score", "strategy": "bfill", "limit": 2},
              {"column": "name", "strategy": "mode"}, {"column": "email", "strategy": "ffill"}])),
    ("bench-r", "people.csv", recipe(
        drop_columns=["notes"], drop_duplicates={"subset": [], "keep": "first"},
        drop_missing={"how": "any", "subset": ["id", "email"]},
        fill=[{"column": "city", "value": "Unknown"}, {"column": "age", "strategy": "median"},
              {"column": "income", "strategy": "mean"}])),
    ("na-values", "custom-na.csv", recipe(input={"na_values": ["-", "missing"]},
                                          drop_missing={"how": "any"})),
    ("na-values-no-empty", "custom-na.csv", recipe(input={"na_values": ["NA", "missing"]},
                                                   drop_duplicates={}, fill=[{"column": "b", "strategy": "mode"}])),
    ("sniff-semicolon", "semicolon.csv", recipe(drop_duplicates={})),
    ("delimiter-pipe", "pipe.csv", recipe(input={"delimiter": "|"}, drop_missing={"how": "all"})),
    ("delimiter-tab", "tab.tsv", recipe(input={"delimiter": "tab"}, fill=[{"column": "c", "strategy": "mean"}])),
    ("quote", "quote.csv", recipe(input={"quote": "'"})),
    ("crlf-in", "crlf.csv", recipe(drop_duplicates={"keep": "last"})),
    ("names", "names.csv", recipe(drop_columns=["a.1"], fill=[{"column": "Unnamed: 2", "strategy": "ffill"}])),
    # the second "a" is "a.2", as "a.1" is a name of the header (pandas 1.5)
    ("names-taken", "names-taken.csv", recipe(drop_columns=["a.2"], fill=[{"column": "a.1", "strategy": "bfill"},
                                                                          {"column": "Unnamed: 3", "strategy": "ffill"}])),
    ("no-header", "noheader.csv", recipe(input={"header": False}, drop_columns=["column_2"],
                                         drop_missing={"how": "any"})),
    ("encoding-auto-1252", "cp1252.csv", recipe(drop_duplicates={})),
    ("encoding-1252", "cp1252.csv", recipe(input={"encoding": "windows-1252"})),
    ("encoding-latin1", "cp1252.csv", recipe(input={"encoding": "latin1"})),
    ("encoding-bom", "bom.csv", recipe(fill=[{"column": "a", "strategy": "median"}])),
    ("encoding-utf16", "utf16.csv", recipe(drop_duplicates={})),
    ("encoding-late-1252", "late-1252.csv", recipe(drop_duplicates={})),
    ("bad-lines-error", "ragged.csv", recipe()),
    ("bad-lines-skip", "ragged.csv", recipe(input={"bad_lines": "skip"}, drop_duplicates={})),
    ("bad-lines-warn", "ragged.csv", recipe(input={"bad_lines": "warn"})),
    ("output-delimiter", "people.csv", recipe(output={"delimiter": ";"})),
    ("output-tab-crlf", "people.csv", recipe(output={"delimiter": "tab", "line_ending": "crlf"})),
    ("formula-guard", "people.csv", recipe(output={"formula_guard": True})),
    ("one-column", "one-column.csv", recipe(output={"formula_guard": True})),
    # replace: pandas' Series.replace with a dict, after trim and NA matching,
    # before duplicates; a column's rules at once; null is missing, "" is not
    ("replace-rules", "people.csv", recipe(
        replace=[{"column": "city", "from": ["Berlin", "Paris"], "to": "EU"},
                 {"column": "city", "from": ["Lima"], "to": "Osaka"},
                 {"column": "city", "from": ["Osaka"], "to": "Pune"},
                 {"column": "city", "from": "Z\u00fcrich", "to": "Z\u00fcrich, CH"},
                 {"column": "name", "from": ["Ana", "Ben"], "to": 'A "B"'}],
        drop_duplicates={"subset": ["city", "name"], "keep": "last"})),
    ("replace-to-missing", "people.csv", recipe(
        replace=[{"column": "city", "from": ["Oslo", "Pune"], "to": None},
                 {"column": "age", "from": ["18", "19", "20"], "to": None}],
        drop_missing={"how": "any", "subset": ["city"]},
        fill=[{"column": "age", "strategy": "mean"}, {"column": "city", "strategy": "mode"}])),
    ("replace-empty-dedupe", "replace.csv", recipe(
        replace=[{"column": "a", "from": ["x", "y"], "to": ""}],
        drop_duplicates={"subset": ["key", "a"]})),
    ("replace-trim", "replace.csv", recipe(
        trim_whitespace=True,
        replace=[{"column": "a", "from": ["NYC", "New York City"], "to": "New York"},
                 {"column": "note", "from": ["NYC"], "to": None}],
        drop_duplicates={"subset": ["a", "note"], "keep": "none"},
        fill=[{"column": "note", "strategy": "ffill"}])),
    ("replace-texts", "replace.csv", recipe(
        drop_columns=["key"],
        replace=[{"column": "a.1", "from": ['say "hi"', "C:\\temp\\x", "a,b", "\u00e9\u20ac", "\U0001f600"],
                  "to": 'q"\\,\u20ac'},
                 {"column": "a", "from": ["?"], "to": "NA"},
                 {"column": "note", "from": ["a,b", "nyc"], "to": "=1+2"}],
        output={"formula_guard": True})),
    ("replace-many", "replace.csv", recipe(
        replace=[{"column": "n", "from": [str(i) for i in range(0, 2500, 2)], "to": "even"}] +
                [{"column": "key", "from": [str(i)], "to": f"k{i * 7}"} for i in range(1, 31)],
        drop_duplicates={"subset": ["key", "n"]})),
    # the reading rules of docs/BEHAVIOUR.md section 1
    ("delimiter-section", "section.csv", recipe(input={"delimiter": "\u00a7"}, drop_duplicates={})),
    ("delimiter-emoji-euro", "emoji.csv", recipe(input={"delimiter": "\U0001f600"},
                                                 output={"delimiter": "\u20ac"}, drop_duplicates={})),
    ("delimiter-sniffed-arrow", "semicolon-quoted.csv", recipe(output={"delimiter": "\u2192"})),
    ("same-semicolon", "semicolon-quoted.csv", recipe(drop_missing={"how": "all"})),
    ("same-tsv", "tab.tsv", recipe(drop_duplicates={"keep": "last"})),
    ("blank-lines", "blank-lines.csv", recipe(drop_duplicates={})),
    ("blank-lines-tsv", "blank-lines.tsv", recipe(input={"delimiter": "tab"}, trim_whitespace=True)),
    # without "" as an NA token the rows are read by Python's csv module,
    # which does not say that " " was quoted: that line is a row all the same
    ("blank-lines-no-empty-na", "blank-lines.csv", recipe(input={"na_values": ["NA"]}, drop_duplicates={})),
    ("quoted-blank-header", "quoted-blank-header.csv", recipe(input={"na_values": ["NA"]})),
    ("quoted-blank-header-na", "quoted-blank-header.csv", recipe()),
    ("cr-blank-start", "cr-blank-start.csv", recipe()),
    ("cr-blank-start-dedupe", "cr-blank-start.csv", recipe(drop_duplicates={}, trim_whitespace=True)),
    ("blank-start-chunk", "blank-start-chunk.csv", recipe(drop_duplicates={"subset": ["a"]})),
    ("blank-start-chunk-utf8", "blank-start-chunk-utf8.csv", recipe(drop_duplicates={"subset": ["caf\u00e9"]})),
    ("blank-start-chunk-trim", "blank-start-chunk.csv", recipe(trim_whitespace=True,
                                                               drop_missing={"subset": ["a"]})),
    # a median or mean of zeros is 0, whatever their signs, as numpy's
    ("fill-median-zeros", "zeros.csv", fill({"column": "b", "strategy": "median"})),
    ("fill-median-negative-zero", "negative-zero.csv", fill({"column": "b", "strategy": "median"})),
    ("fill-mean-negative-zero", "negative-zero.csv", fill({"column": "b", "strategy": "mean"})),
    ("cr-only", "cr-only.csv", recipe(drop_duplicates={})),
    ("trailing-delimiter-error", "trailing-delimiter.csv", recipe()),
    ("trailing-delimiter-skip", "trailing-delimiter.csv", recipe(input={"bad_lines": "skip"})),
    ("sniff-stray-quote", "stray-quote.csv", recipe()),
    ("encoding-bom-1252", "bom-1252.csv", recipe(fill=[{"column": "a", "strategy": "median"}])),
    ("dropna-thresh-repeated", "semicolon.csv", recipe(drop_missing={"thresh": 2, "subset": ["a", "a", "b"]})),
    ("rejects", "semicolon.csv", recipe(drop_duplicates={"keep": "none"}, output={"rejects": True})),
]

# Random small files and recipes (random_cases.py), the same each run:
# how many for each format (a Dask run costs a cluster's round trips).
RANDOM_SEED = int(os.environ.get("WINNOW_EXPORT_SEED", "1"))
RANDOM_CASES = {"pandas": 250, "duckdb": 150, "dask": 40}

# What a format cannot express: the export must fail naming it.
UNSUPPORTED = {
    "duckdb": {
        "encoding-auto-1252": "input.encoding",
        "encoding-1252": "input.encoding",
        "encoding-late-1252": "input.encoding",
        "encoding-bom-1252": "input.encoding",
    },
}
# Where a format's script says it stops with an error where Winnow goes on
# (docs/SCALING.md): DuckDB's Latin-1 has no bytes 0x80-0x9F, and a file that
# is not UTF-8 past its first 64 KiB is not read again as Windows-1252.
PROGRAM_FAILS = {
    "duckdb": {"encoding-latin1"},
}


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, **kw)


def winnow_output(inp, recipe_path, out):
    p = run([WINNOW, "--batch", "--no-history", "--force", "--output", out, "--recipe", recipe_path, inp])
    return p.returncode == 0, p.stderr.decode(errors="replace") + p.stdout.decode(errors="replace")


def export(fmt, recipe_path, extra=()):
    p = run([WINNOW, "--batch", "--export", fmt, "--recipe", recipe_path, *extra])
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def same(expected, got):
    if expected == got:
        return True, ""
    e, g = expected.split(b"\n"), got.split(b"\n")
    for n, (a, b) in enumerate(zip(e, g)):
        if a != b:
            return False, f"line {n + 1}: expected {a[:200]!r}, wrote {b[:200]!r}"
    return False, f"{len(e)} lines expected, {len(g)} written"


class Runner:
    """Runs one exported program; in this process where the engine allows."""

    def __init__(self, fmt, work):
        self.fmt, self.work = fmt, work
        self.cluster = self.client = None
        if fmt == "dask":
            import dask
            from distributed import Client, LocalCluster
            dask.config.set({"distributed.worker.daemon": False})
            self.cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                        dashboard_address=None)
            self.client = Client(self.cluster)

    def close(self):
        if self.client:
            self.client.close()
            self.cluster.close()

    def run(self, program, inp, out, extra=()):
        """Returns (ok, messages)."""
        argv = [inp, out] + (["--scheduler", self.cluster.scheduler_address, "--blocksize", "65536"]
                             if self.fmt == "dask" else []) + list(extra)
        module = runpy.run_path(program, run_name="exported")
        try:
            return module["main"](argv) == 0, ""
        except SystemExit as e:
            return e.code == 0, ""


def engine_available(fmt):
    try:
        if fmt in ("pandas", "dask", "unsupported"):
            import pandas  # noqa: F401
        if fmt == "dask":
            import dask.dataframe  # noqa: F401
            import distributed  # noqa: F401
        if fmt == "duckdb":
            cmd = os.environ.get("WINNOW_DUCKDB", "")
            return bool(cmd) and os.access(cmd, os.X_OK) and run([cmd, "--version"]).returncode == 0
    except ImportError:
        return False
    return True


def prepare_case(fmt, name, inp, rec, work):
    """Winnow's output and the exported program for one case. Returns the
    case's state; its "verdict" is set when nothing is left to run."""
    recipe_path = os.path.join(work, f"{name}.json")
    with open(recipe_path, "w") as f:
        json.dump(rec, f)
    state = {"name": name, "inp": inp,
             "want": os.path.join(work, f"{name}.winnow.csv"),
             "got": os.path.join(work, f"{name}.{fmt}.csv")}
    state["winnow_ok"], state["winnow_messages"] = winnow_output(inp, recipe_path, state["want"])
    extra = (inp, state["got"]) if fmt == "duckdb" else ()
    code, program, err = export(fmt, recipe_path, extra)
    expected_failure = UNSUPPORTED.get(fmt, {}).get(name)
    if expected_failure:
        if code == 0 or expected_failure not in err or f"cannot export to {fmt}" not in err:
            state["verdict"] = f"the export should fail naming {expected_failure}: exit {code}, {err.strip()!r}"
        else:
            state["verdict"] = None
        return state
    if code != 0:
        state["verdict"] = f"the export failed: {err.strip()}"
        return state
    state["program"] = os.path.join(work, f"{name}.{fmt}" + (".sql" if fmt == "duckdb" else ".py"))
    with open(state["program"], "w") as f:
        f.write(program)
    return state


def finish_case(fmt, state, ok, messages):
    """Compares the program's output with Winnow's; None when they agree."""
    name = state["name"]
    if fmt == "duckdb" and state["winnow_ok"] and not ok and name.startswith("random-"):
        with open(state["inp"], "rb") as f:
            if random_cases.mixes_line_ends(f.read()):
                return None  # DuckDB stops on such a file (docs/SCALING.md); never other bytes
    if name in PROGRAM_FAILS.get(fmt, ()):
        if not state["winnow_ok"] or ok:
            return f"expected winnow to succeed and the program to stop: winnow {state['winnow_ok']}, program {ok}"
        return None
    if not state["winnow_ok"]:
        if ok:
            return f"winnow failed ({state['winnow_messages'].strip()}) but the program succeeded"
        return None
    if not ok:
        return f"the program failed: {messages.strip()[-400:]}"
    with open(state["want"], "rb") as f:
        expected = f.read()
    with open(state["got"], "rb") as f:
        written = f.read()
    ok, why = same(expected, written)
    return None if ok else why


def run_duckdb_scripts(paths):
    """Runs the scripts with one start of DuckDB: {path: (ok, message)}."""
    p = run([os.environ["WINNOW_DUCKDB"], "--each", *paths])
    results = {}
    for line in p.stdout.decode(errors="replace").splitlines():
        status, path, *message = line.split("\t")
        results[path] = (status == "ok", message[0] if message else "")
    return results


def check_unsupported(work):
    """Exports that cannot be expressed fail with the step's name, and no
    program on stdout."""
    failures = 0
    cases = [
        ("duckdb", recipe(input={"encoding": "Shift_JIS"}), "input.encoding"),
    ]
    for fmt, rec, needle in cases:
        path = os.path.join(work, "unsupported.json")
        with open(path, "w") as f:
            json.dump(rec, f)
        inp = os.path.join(work, "u.csv")
        with open(inp, "w") as f:
            f.write("a,b\n1,2\n")
        code, out, err = export(fmt, path, (inp, os.path.join(work, "u-out.csv")))
        if code != 1 or out or f"cannot export to {fmt}" not in err or needle not in err:
            print(f"not ok - {fmt}: expected a failure naming {needle}: exit {code}, {err.strip()!r}")
            failures += 1
        else:
            print(f"ok - {fmt} refuses {needle}: {err.strip()}")
    code, out, err = export("duckdb", os.path.join(work, "unsupported.json"))
    if code != 2 or "input file and the output file" not in err:
        print(f"not ok - duckdb without files: exit {code}, {err.strip()!r}")
        failures += 1
    else:
        print("ok - duckdb without files is a usage error")
    code, out, err = export("spark", os.path.join(work, "unsupported.json"))
    if code != 2 or "pandas, dask or duckdb" not in err:
        print(f"not ok - an unknown format: exit {code}, {err.strip()!r}")
        failures += 1
    else:
        print("ok - an unknown format is a usage error")
    return failures


def check_as_command(fmt, files, work):
    """The program as its docstring says to run it: python3 clean.py IN OUT."""
    path = os.path.join(work, "cmd.json")
    with open(path, "w") as f:
        json.dump(next(rec for name, _, rec in CASES if name == "output-tab-crlf"), f)
    code, program, err = export(fmt, path)
    prog = os.path.join(work, "cmd.py")
    with open(prog, "w") as f:
        f.write(program)
    want, got = os.path.join(work, "cmd.winnow.csv"), os.path.join(work, "cmd.out.csv")
    winnow_output(files["semicolon.csv"], path, want)
    args = [sys.executable, prog, files["semicolon.csv"], got]
    if fmt == "dask":
        args += ["--blocksize", "4096"]
    p = run(args, timeout=300)
    if p.returncode != 0:
        return f"{' '.join(args)}: exit {p.returncode}: {p.stderr.decode()[-400:]}"
    if open(want, "rb").read() != open(got, "rb").read():
        return "the output of the command differs from winnow's"
    return None


def check_duckdb_command(states):
    """`duckdb script.sql` as the script's comment says to run it."""
    state = next(s for s in states if s["name"] == "all-steps")
    os.unlink(state["got"])
    p = run([os.environ["WINNOW_DUCKDB"], state["program"]])
    if p.returncode != 0:
        return f"duckdb {state['program']}: exit {p.returncode}: {p.stderr.decode()[-400:]}"
    return finish_case("duckdb", state, True, "")


def check_parts(runner, files, work):
    """--parts: a folder of part files, each with the header; together the rows of one file."""
    name, inp, rec = next(case for case in CASES if case[0] == "dedupe-last")
    path = os.path.join(work, "parts.json")
    with open(path, "w") as f:
        json.dump(rec, f)
    want = os.path.join(work, "parts.winnow.csv")
    winnow_output(files[inp], path, want)
    code, program, err = export("dask", path)
    prog = os.path.join(work, "parts.py")
    with open(prog, "w") as f:
        f.write(program)
    folder = os.path.join(work, "parts.out")
    ok, messages = runner.run(prog, files[inp], folder, ["--parts"])
    if not ok:
        return f"--parts failed: {messages}"
    parts = sorted(os.listdir(folder))
    if len(parts) < 4:
        return f"--parts wrote {len(parts)} parts; expected one per partition"
    expected = open(want, "rb").read()
    header = expected.split(b"\n", 1)[0] + b"\n"
    body = b""
    for part in parts:
        data = open(os.path.join(folder, part), "rb").read()
        if not data.startswith(header):
            return f"{part} does not start with the header"
        body += data[len(header):]
    return None if header + body == expected else "the parts together differ from winnow's output"


def main():
    fmt = sys.argv[1]
    if not engine_available(fmt):
        print(f"skip: {fmt} is not installed")
        return SKIP
    work = tempfile.mkdtemp(prefix=f"winnow-export-{fmt}-")
    failures = passed = 0
    try:
        files = make_inputs.write_all(work)
        if fmt == "unsupported":
            failures = check_unsupported(work)
            return 1 if failures else 0
        runner = Runner(fmt, work)
        try:
            cases = [(name, files[inp], rec) for name, inp, rec in CASES]
            cases += random_cases.write_cases(work, RANDOM_CASES[fmt], RANDOM_SEED)
            states = [prepare_case(fmt, name, inp, rec, work) for name, inp, rec in cases]
            if fmt == "duckdb":
                ran = run_duckdb_scripts([s["program"] for s in states if "verdict" not in s])
            for state in states:
                start = time.monotonic()
                if "verdict" in state:
                    why = state["verdict"]
                else:
                    if fmt == "duckdb":
                        ok, messages = ran.get(state["program"], (False, "not run"))
                    else:
                        ok, messages = runner.run(state["program"], state["inp"], state["got"])
                    why = finish_case(fmt, state, ok, messages)
                took = time.monotonic() - start
                if why:
                    failures += 1
                    print(f"not ok - {fmt} {state['name']}: {why} ({took:.1f} s)")
                else:
                    passed += 1
                    print(f"ok - {fmt} {state['name']} ({took:.1f} s)")
                sys.stdout.flush()
            extra = []
            if fmt in ("pandas", "dask"):
                extra.append(("as a command", lambda: check_as_command(fmt, files, work)))
            if fmt == "duckdb":
                extra.append(("as a command", lambda: check_duckdb_command(states)))
            if fmt == "dask":
                extra.append(("--parts", lambda: check_parts(runner, files, work)))
            for label, check in extra:
                why = check()
                if why:
                    failures += 1
                    print(f"not ok - {fmt} {label}: {why}")
                else:
                    passed += 1
                    print(f"ok - {fmt} {label}")
        finally:
            runner.close()
    finally:
        if failures == 0:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"inputs and outputs kept in {work}")
    print(f"{passed} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
