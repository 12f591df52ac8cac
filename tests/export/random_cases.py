"""Random small files and recipes, from a fixed seed, for the export tests:
each exported program must write Winnow's bytes on every one (or both
must fail). The files are made of the traps the reading rules of
docs/BEHAVIOUR.md are about: quotes, line ends of three kinds and lone CRs
among them, blank lines and lines of blanks, short rows, NA tokens,
numbers of every form, signed zeros, formula-like texts. The same seed
gives the same cases, so a failure names a case that can be run again."""
import json
import os
import random
import re

FIELDS = ["", "", " ", "  ", "\t", "NA", "null", "nan", "N/A", "None", "-", "0", "-0", "0.0", "-0.0",
          "1", "2", "2", "-3", "2.5", "1e3", "-1e-2", " 4 ", "1,5", "inf", "-inf", "1e999", "0x10",
          "a", "a", "b", " a", "a ", "x y", "é", "\u20ac1", "=1+2", "+1", "@a", "TRUE", "false",
          "2024-01-02", "\"q\"", "a\"b", "p,q", "p;q", "line\nbreak", "cr\rin", "crlf\r\nin", "x\ty"]
DELIMITERS = [",", ",", ",", ";", "\t", "|"]
LINE_ENDS = ["\n", "\n", "\n", "\r\n", "\r\n", "\r"]


def field_text(rng, value, delimiter, force=False):
    """@value as it appears in the file: quoted when it must be (or
    @force), and now and then when it need not be."""
    needs = force or any(c in value for c in (delimiter, '"', "\n", "\r"))
    if needs or rng.random() < (0.5 if value != value.strip(" \t") else 0.1):
        return '"' + value.replace('"', '""') + '"'
    return value


def make_file(rng, n_columns, n_rows, delimiter, line_end):
    lines = [delimiter.join(f"c{k}" for k in range(n_columns))]
    early = []
    for _ in range(n_rows):
        r = rng.random()
        if r < 0.05:
            lines.append(rng.choice(["", " ", "\t ", "  "]))  # blank: skipped
            continue
        if early and r < 0.25:
            row = list(rng.choice(early))  # a duplicate
        else:
            row = [rng.choice(FIELDS) for _ in range(n_columns)]
            early.append(row)
        if rng.random() < 0.05 and n_columns > 1:
            row = row[:rng.randint(1, n_columns - 1)]  # a short row
        texts = [field_text(rng, v, delimiter) for v in row]
        if delimiter.join(texts).strip(" \t") == "":
            texts[0] = field_text(rng, row[0], delimiter, True)  # not a blank line
        lines.append(delimiter.join(texts))
    # a lone CR between rows now and then, where the file's line end is LF
    body = ""
    for k, line in enumerate(lines):
        end = line_end
        if k > 0 and line_end == "\n" and rng.random() < 0.05:
            end = "\r"
        body += line + end
    if rng.random() < 0.2:
        body = body[:-len(line_end)]  # no line end at the end
    return body


def make_recipe(rng, n_columns):
    names = [f"c{k}" for k in range(n_columns)]
    recipe = {"winnow_recipe": 1}

    def some(k_max=None):
        return rng.sample(names, rng.randint(1, k_max or len(names)))

    if rng.random() < 0.2:
        recipe["input"] = {"na_values": rng.choice([["NA"], ["", "-"], ["null", "nan"], []])}
    if rng.random() < 0.3:
        recipe["trim_whitespace"] = True
    kept = list(names)
    if rng.random() < 0.2 and n_columns > 1:
        dropped = rng.sample(names, rng.randint(1, n_columns - 1))
        recipe["drop_columns"] = dropped
        kept = [n for n in names if n not in dropped]
    if rng.random() < 0.2:
        recipe["replace"] = [{"column": rng.choice(kept), "from": rng.sample(["a", "1", "b", "x y", "-3"], 2),
                              "to": rng.choice(["z", None, ""])}]
    if rng.random() < 0.6:
        dd = {"keep": rng.choice(["first", "last", "none"])}
        if rng.random() < 0.5:
            dd["subset"] = rng.sample(kept, rng.randint(1, len(kept)))
        recipe["drop_duplicates"] = dd
    if rng.random() < 0.4:
        dm = rng.choice([{"how": "any"}, {"how": "all"}, {"thresh": rng.randint(0, len(kept) + 1)}])
        if rng.random() < 0.5:
            dm["subset"] = rng.sample(kept, rng.randint(1, len(kept)))
        recipe["drop_missing"] = dm
    if rng.random() < 0.6:
        fills = []
        for column in rng.sample(kept, rng.randint(1, len(kept))):
            strategy = rng.choice(["value", "mean", "median", "mode", "ffill", "bfill"])
            f = {"column": column}
            if strategy == "value":
                f["value"] = rng.choice(["0", "x, y", "\"q\"", "=1"])
            else:
                f["strategy"] = strategy
                if strategy in ("ffill", "bfill") and rng.random() < 0.4:
                    f["limit"] = rng.randint(1, 3)
            fills.append(f)
        recipe["fill"] = fills
    if rng.random() < 0.3:
        recipe["output"] = {"delimiter": rng.choice([";", "tab", "|"]),
                            "line_ending": rng.choice(["lf", "crlf"]),
                            "formula_guard": rng.random() < 0.5}
    return recipe


def mixes_line_ends(data):
    """Whether @data ends its lines in more than one way (LF, CRLF, a lone
    CR), quoted fields aside: the DuckDB program stops on such a file
    (docs/SCALING.md)."""
    outside = re.sub(rb'"(?:[^"]|"")*"', b"", data)
    kinds = [re.search(rb"\r\n", outside), re.search(rb"\r(?!\n)", outside), re.search(rb"(?<!\r)\n", outside)]
    return sum(k is not None for k in kinds) > 1


def write_cases(folder, count, seed):
    """Writes @count random files to @folder; returns the cases, (name,
    input path, recipe), as test-export.py's CASES."""
    rng = random.Random(seed)
    cases = []
    for i in range(count):
        n_columns = rng.randint(1, 4)
        delimiter = rng.choice(DELIMITERS)
        line_end = rng.choice(LINE_ENDS)
        text = make_file(rng, n_columns, rng.randint(0, 30), delimiter, line_end)
        recipe = make_recipe(rng, n_columns)
        if delimiter != ",":
            recipe.setdefault("input", {})["delimiter"] = "tab" if delimiter == "\t" else delimiter
        name = f"random-{seed}-{i}"
        path = os.path.join(folder, name + ".csv")
        with open(path, "wb") as f:
            f.write(text.encode("utf-8"))
        cases.append((name, path, recipe))
    return cases


if __name__ == "__main__":
    import sys
    import tempfile
    for name, path, recipe in write_cases(tempfile.mkdtemp(), int(sys.argv[1]), int(sys.argv[2])):
        print(name, path, json.dumps(recipe))
