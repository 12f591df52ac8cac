#!/usr/bin/env python3
"""The pandas reference for a Winnow recipe (docs/BEHAVIOUR.md).

usage: pandas_ref.py RECIPE.json INPUT.csv OUTPUT.csv

Reads every field as text with pandas' default NA handling, then applies
the recipe's steps with drop, drop_duplicates, dropna and fillna, and
writes with to_csv(index=False). Used by bench/run.sh to time pandas and
to check that Winnow writes the same bytes.
"""
import json
import sys

import pandas as pd

DEFAULT_NA = ["", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan",
              "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a",
              "nan", "null"]


def fmt(x):
    r = repr(float(x))
    return r[:-2] if r.endswith(".0") else r


def main():
    recipe = json.load(open(sys.argv[1]))
    inp = recipe.get("input") or {}
    na = inp.get("na_values", DEFAULT_NA)
    delim = inp.get("delimiter", "auto")
    sep = None if delim == "auto" else ("\t" if delim == "tab" else delim)
    header = 0 if inp.get("header", True) else None
    trim = recipe.get("trim_whitespace", False)

    if trim:
        df = pd.read_csv(sys.argv[2], sep=sep or ",", dtype=str, header=header,
                         keep_default_na=False, na_filter=False)
        df = df.apply(lambda s: s.str.strip(" \t"))
        df = df.where(~df.isin(na), None)
    else:
        df = pd.read_csv(sys.argv[2], sep=sep or ",", dtype=str, header=header,
                         keep_default_na=False, na_values=na)
    if header is None:
        df.columns = [f"column_{i + 1}" for i in range(df.shape[1])]

    if recipe.get("drop_columns"):
        df = df.drop(columns=recipe["drop_columns"])
    dd = recipe.get("drop_duplicates")
    if dd:
        keep = {"first": "first", "last": "last", "none": False}[dd.get("keep", "first")]
        df = df.drop_duplicates(subset=dd.get("subset") or None, keep=keep)
    dm = recipe.get("drop_missing")
    if dm:
        if "thresh" in dm:
            df = df.dropna(thresh=dm["thresh"], subset=dm.get("subset") or None)
        else:
            df = df.dropna(how=dm.get("how", "any"), subset=dm.get("subset") or None)
    for rule in recipe.get("fill") or []:
        c = rule["column"]
        if "value" in rule:
            df[c] = df[c].fillna(rule["value"])
            continue
        s = rule["strategy"]
        if s in ("mean", "median"):
            num = pd.to_numeric(df[c], errors="coerce")
            num = num.where(num.abs() != float("inf"))
            v = num.mean() if s == "mean" else num.median()
            if v == v:
                df[c] = df[c].fillna(fmt(v))
        elif s == "mode":
            m = df[c].dropna().mode()
            if len(m):
                df[c] = df[c].fillna(sorted(m)[0])
        elif s == "ffill":
            df[c] = df[c].ffill(limit=rule.get("limit"))
        elif s == "bfill":
            df[c] = df[c].bfill(limit=rule.get("limit"))
    out = recipe.get("output") or {}
    df.to_csv(sys.argv[3], index=False, sep=out.get("delimiter", ","),
              lineterminator="\r\n" if out.get("line_ending") == "crlf" else "\n")


if __name__ == "__main__":
    main()
