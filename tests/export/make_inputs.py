"""Deterministic input files for the export tests: dirty on purpose, and
laid out so that a Dask program cut into small partitions meets every
step across a partition boundary (duplicates far apart, long runs of
missing values, more than 8192 rows for numpy's blocked sums)."""
import random

NA = ["", "NA", "null", "N/A", "NaN", "#N/A", "None", "nan"]
CITIES = ["Berlin", "Paris", "Lagos", "Lima", "Osaka", "Austin", "Pune", "Oslo", "Zürich", "São Paulo"]
WORDS = ["late", "paid", "refund", "vip", "new", "ok", "check"]
TRICKY = ["=SUM(A1)", "+1", "-2.5", "@home", "\tx", "-", "=1+2", "+", "-inf", "-1e999", "@", " -3 "]


def quote(field, delimiter=",", q='"'):
    if any(c in field for c in (delimiter, q, "\n", "\r")) or field.startswith(q):
        return q + field.replace(q, q + q) + q
    return field


def number(rng):
    r = rng.random()
    if r < 0.5:
        return f"{rng.gauss(52000, 18000):.2f}"
    if r < 0.7:
        return repr(rng.random() * 10 ** rng.randint(-6, 12))
    if r < 0.8:
        return str(rng.randint(-1000, 100000))
    if r < 0.85:
        return f" {rng.randint(1, 99)} "
    if r < 0.9:
        return f"{rng.randint(1, 9)}e{rng.randint(-3, 5)}"
    if r < 0.95:
        return rng.choice(["n/a", "unknown", "1,5", "0x10", "inf", "1e999", "--1", ".5", "5."])
    return rng.choice(NA)


def people(rows=12000, seed=7):
    """id,name,email,city,age,income,score,notes; duplicates of early rows
    late in the file, NA tokens of every kind, a run of 300 missing scores."""
    rng = random.Random(seed)
    header = ["id", "name", "email", "city", "age", "income", "score", "notes"]
    out, early = [",".join(header)], []
    for i in range(rows):
        if early and rng.random() < 0.08:
            row = list(rng.choice(early))
            if rng.random() < 0.3:  # the same row with other NA tokens: still a duplicate
                row = [rng.choice(NA) if f in NA else f for f in row]
        else:
            first = rng.choice(["Ana", "Ben", "Chen", "Dara", "Eli", "Femi", "Gus", "Hana"])
            note = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))
            r = rng.random()
            if r < 0.1:
                note += ', said "' + rng.choice(WORDS) + '"'
            elif r < 0.13:
                note += "\nsecond line"
            elif r < 0.18:
                note = rng.choice(TRICKY)
            row = [str(i + 1), f" {first} " if rng.random() < 0.1 else first,
                   f"{first.lower()}{i % 701}@example.org", rng.choice(CITIES),
                   str(rng.randint(18, 90)), number(rng), f"{rng.random() * 100:.3f}", note]
            for j in range(1, len(row)):
                if rng.random() < 0.07:
                    row[j] = rng.choice(NA)
            if 5000 <= i < 5300:
                row[6] = rng.choice(NA)
            if rng.random() < 0.01:
                row = row[:rng.randint(1, 7)]  # a short row: padded with missing fields
            if rng.random() < 0.005:
                row = [rng.choice(NA) for _ in header]
            if len(early) < 400 or rng.random() < 0.01:
                early.append(row)
        out.append(",".join(quote(f) for f in row))
    return "\n".join(out) + "\n"


def small(seed, delimiter=",", q='"', rows=400, header=("a", "b", "c", "d"), na=NA):
    rng = random.Random(seed)
    out = [delimiter.join(header)] if header else []
    for i in range(rows):
        row = [str(rng.randint(1, 40)), rng.choice(CITIES + [f"x{q}y", "p, q", "é€"]),
               number(rng), rng.choice(WORDS + TRICKY + ["", "NA"])]
        for j in range(len(row)):
            if rng.random() < 0.1:
                row[j] = rng.choice(na)
        out.append(delimiter.join(quote(f, delimiter, q) for f in row))
    return "\n".join(out) + "\n"


def write_all(folder):
    """Writes every input; returns {name: path}."""
    import os
    files = {}

    def put(name, data):
        path = os.path.join(folder, name)
        with open(path, "wb") as f:
            f.write(data)
        files[name] = path

    put("people.csv", people().encode())
    put("semicolon.csv", small(1, ";").encode())
    put("pipe.csv", small(2, "|").encode())
    put("tab.tsv", small(3, "\t").encode())
    put("quote.csv", small(4, q="'").encode())
    put("crlf.csv", small(5).replace("\n", "\r\n").encode())
    put("names.csv", small(6, header=("a", "a", "", "b")).encode())
    put("names-taken.csv", small(6, header=("a", "a", "a.1", "")).encode())
    put("noheader.csv", small(7, header=None).encode())
    put("custom-na.csv", small(8, na=["-", "NA", "", "missing"]).encode())
    latin = small(9).replace("x\"y", "caf\u00e9 \u20ac")
    put("cp1252.csv", latin.encode("cp1252", "replace"))
    put("bom.csv", b"\xef\xbb\xbf" + small(10).encode())
    put("utf16.csv", small(11).encode("utf-16"))
    late = small(12, rows=3000) + "13,caf\u00e9,1,late\n"
    put("late-1252.csv", late.encode("cp1252", "replace"))
    ragged = small(13).splitlines()
    for k in (5, 50, 300):
        ragged[k] += ",extra,fields"
    put("ragged.csv", ("\n".join(ragged) + "\n").encode())
    put("one-column.csv", b"only\n1\n\"\"\nNA\n2\n\n=x\n")
    put("replace.csv", replace_input().encode())
    put("section.csv", small(15, "\u00a7").encode())
    # more than one 64 KiB partition, a 4-byte delimiter inside quoted fields
    put("emoji.csv", small(16, "\U0001f600", rows=3000).replace("p, q", "\"p\U0001f600q\"").encode())
    put("semicolon-quoted.csv", small(14, ";").replace("p, q", '"p; q"').encode())
    put("stray-quote.csv", b'size";w;h\n1;2;3\n4;5;6\n7;"8;9";x\n')
    put("bom-1252.csv", b"\xef\xbb\xbf" + small(17).replace("x\"y", "caf\u00e9").encode("cp1252", "replace"))
    put("blank-lines.csv", blank_lines(",").encode())
    put("blank-lines.tsv", blank_lines("\t").encode())
    put("quoted-blank-header.csv", b' \n\t\n" "\n1\n" "\n  \n2\n')
    # lines that start with a blank after a lone CR: pandas' C parser reads
    # such a file wrongly (pandas 1.5), the exported programs must not
    put("cr-blank-start.csv", b"a,b\r 1,2\r\r x,y\r \r\t,z\r3, 4")
    # lines that start with blanks across pandas' read boundaries (every
    # 262144 characters)
    put("blank-start-chunk.csv", blank_start_chunk().encode())
    # the same in characters, not bytes
    put("blank-start-chunk-utf8.csv", blank_start_chunk(header="caf\u00e9,\u20ac\n").encode())
    put("zeros.csv", b"a,b\n1,-0\n2,\n3,-0.0\n4,0\n5,-0\n6,\n")
    put("negative-zero.csv", b"a,b\n1,-0\n2,\n3,-0.0\n")
    trailing = small(18).splitlines()
    for k in (3, 30, 200):
        trailing[k] += ","  # one field more, an empty one
    put("trailing-delimiter.csv", ("\n".join(trailing) + "\n").encode())
    put("cr-only.csv", small(19).replace("\n", "\r").replace("\"p, q\"", "\"p,\rq\"").encode())
    return files


def replace_input(rows=400, seed=21):
    """key,a,a,note,n: a repeated header name (the second "a" is "a.1"),
    texts with quotes, backslashes, commas and characters past ASCII, spaces
    to trim, and a number column for a rule of many texts."""
    rng = random.Random(seed)
    texts = ['say "hi"', "C:\\temp\\x", "a,b", "\u00e9\u20ac", " NYC ", "NYC", "nyc", "New York City",
             "x", "y", "", "NA", "?", "\U0001f600"]
    out = ["key,a,a,note,n"]
    for i in range(rows):
        row = [str(rng.randint(1, 30)), rng.choice(texts), rng.choice(texts),
               rng.choice(texts + WORDS), str(rng.randint(0, 2500))]
        if rng.random() < 0.05:
            row = row[:rng.randint(1, 4)]
        out.append(",".join(quote(f) for f in row))
    return "\n".join(out) + "\n"


def blank_start_chunk(chunk=262144, header="a,b\n"):
    """Rows, and at the end of each of pandas' reads of 262144 characters
    (its C parser's) the start of a line of blanks then text: a space, a
    tab, three blanks across the boundary, a blank line."""
    out, size = [header], len(header)
    for k, line in enumerate([" z,1\n", "\t,2\n", " \t y,3\n", "  \n"]):
        at = (k + 1) * chunk - (3 if k == 2 else 1)
        while size + 8 < at - 8:
            row = f"{size % 97},{size % 89}\n"
            out.append(row)
            size += len(row)
        pad = "p" * (at - size - 3) + ",q\n"
        out += [pad, line]
        size += len(pad) + len(line)
    return "".join(out) + "k,l\n"


def blank_lines(delimiter):
    """Lines of only spaces and tabs before the header, between rows and at
    the end (with no line end), beside rows that only look like them: a
    quoted field of spaces, a tab that is the delimiter."""
    d = delimiter
    lines = ["  ", "\t", "a" + d + "b" + d + "c"]
    rng = random.Random(22)
    for i in range(300):
        r = rng.random()
        if r < 0.1:
            lines.append(rng.choice([" ", "  \t ", "\t\t", "    "]))
        elif r < 0.13:
            lines.append('" "')
        elif r < 0.16:
            lines.append('"\t"' + d + "x")
        elif r < 0.18:
            lines.append(" " + d + " ")
        elif r < 0.2:
            lines.append("")
        else:
            lines.append(d.join([str(rng.randint(1, 20)), rng.choice(WORDS), rng.choice(["", " ", "NA", "1"])]))
    return "\n".join(lines) + "\n \t "
