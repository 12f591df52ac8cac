# ---- Winnow's reading and writing rules (shared by the pandas and Dask programs) ----
import csv
import io
import os
import re
import sys
import tempfile

import numpy as np
import pandas as pd


class CleanError(Exception):
    """A failure to report to the user; nothing is written."""


class Settings:
    def __init__(self, **values):
        self.__dict__.update(values)


def output_settings(output, read):
    """The output's settings; a delimiter of None is the input's, as read or
    sniffed (a comma if that is the quote character)."""
    settings = Settings(**output)
    if settings.delimiter is None:
        settings.delimiter = "," if read.delimiter == '"' else read.delimiter
    return settings


SNIFF_BYTES = 64 * 1024
SNIFF_CANDIDATES = b",;\t|"
CP1252 = {0x80 + i: c for i, c in enumerate(
    "\u20ac\x81\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\x8d\u017d\x8f"
    "\x90\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\x9d\u017e\u0178")}


def sniff_delimiter(head, quote):
    """The delimiter among , ; TAB | whose most common non-zero count per
    record is shared by the most records (the first 64 KiB of text, UTF-8).
    A quote opens a quoted field only at the start of a field; lines of
    only spaces and tabs, and the LF of a CRLF pair, are no records."""
    head = head[:SNIFF_BYTES]
    q = ord(quote)
    records, row = [], [0, 0, 0, 0]
    quoted, seen, field_start, blank = False, False, True, True
    i, end = 0, len(head)
    while i < end and len(records) < 2000:
        c = head[i]
        if quoted:
            if c != q:
                i += 1
                continue
            if i + 1 < end and head[i + 1] == q:
                i += 1
            else:
                quoted = False
        elif c == q:
            quoted = field_start
        elif c == 10 or c == 13:
            if not blank:
                records.append([min(n, 255) for n in row])
            row, blank = [0, 0, 0, 0], True
        else:
            k = SNIFF_CANDIDATES.find(c)
            if k >= 0:
                row[k] += 1
                seen = True
        field_start = not quoted and (c == 10 or c == 13 or c in SNIFF_CANDIDATES)
        if c not in (32, 9, 10, 13):
            blank = False
        i += 1
    if not records and not blank:
        records.append([min(n, 255) for n in row])  # a sample without a line end
    if not seen:
        return ","
    best, best_score = ",", 0
    for k in range(4):
        histogram = {}
        for r in records:
            if r[k]:
                histogram[r[k]] = histogram.get(r[k], 0) + 1
        score = max(histogram.values(), default=0)
        if score > best_score:
            best, best_score = chr(SNIFF_CANDIDATES[k]), score
    return best


def sniff_head(text):
    """The first 64 KiB of the text as UTF-8, as Winnow sniffs it."""
    return text[:SNIFF_BYTES].encode("utf-8")[:SNIFF_BYTES]


def sniff_line_end(head):
    """CR for a sample with CR and no LF (old Mac files), else LF."""
    return "\r" if b"\n" not in head and b"\r" in head else "\n"


def encoding_key(name):
    return "".join(c for c in name.lower() if c.isascii() and c.isalnum())


def choose_encoding(head, encoding):
    """(codec, bytes of byte order mark to skip) for the file's first bytes.
    codec "auto-utf-8" is UTF-8 that falls back to Windows-1252 when the
    file turns out not to be UTF-8."""
    key = encoding_key(encoding)
    if key == "auto":
        if head.startswith(b"\xef\xbb\xbf"):
            return "auto-utf-8", 3  # bytes that are not UTF-8 still fall back
        if head.startswith(b"\xff\xfe"):
            return "utf-16-le", 2
        if head.startswith(b"\xfe\xff"):
            return "utf-16-be", 2
        try:
            head[:SNIFF_BYTES].decode("utf-8")
        except UnicodeDecodeError as e:
            if e.end - e.start > 0 and e.reason != "unexpected end of data":
                return "windows-1252", 0
        return "auto-utf-8", 0
    if key == "utf8":
        return "utf-8", 3 if head.startswith(b"\xef\xbb\xbf") else 0
    if key in ("cp1252", "windows1252"):
        return "windows-1252", 0
    if key in ("latin1", "iso88591"):
        return "latin-1", 0
    import codecs
    try:
        return codecs.lookup(encoding).name, 0
    except LookupError:
        raise CleanError(f'input.encoding: "{encoding}" is not an encoding Python knows')


def ascii_compatible(codec):
    return codec in ("utf-8", "auto-utf-8", "windows-1252", "latin-1") or \
        codec.startswith(("iso8859", "cp", "mac-", "koi8"))


def decode(data, codec, line_base=1, nl=b"\n"):
    """Text of @data; Winnow's errors for bytes the codec refuses and NULs."""
    try:
        if codec == "windows-1252":
            text = data.decode("latin-1").translate(CP1252)
        elif codec in ("utf-8", "auto-utf-8"):
            text = data.decode("utf-8")
        else:
            text = data.decode(codec)
    except UnicodeDecodeError as e:
        line = line_base + data.count(nl, 0, e.start)
        name = "UTF-8" if codec.endswith("utf-8") else codec
        raise CleanError(f"line {line}: the file is not valid {name} (byte 0x{data[e.start]:02X})")
    nul = text.find("\x00")
    if nul >= 0:
        line = line_base + text.count(nl.decode(), 0, nul)
        raise CleanError(f"line {line}: the file contains a NUL byte; it looks like a binary file, not CSV text")
    return text


def scan_quotes(data, delim, quote, nl, in_quotes, line_base=1, final=False):
    """Follows Winnow's quoting over @data (bytes or text) that starts at a
    row start (@in_quotes false) or inside a quoted field (true); @delim
    may be several bytes (a character past ASCII).
    Returns (in_quotes at the end, offset of the first row start, line of
    the last quote opened). Raises CleanError for text after a closing quote,
    and (when @final) for a quote that never closes."""
    cr, lf = ("\r", "\n") if isinstance(data, str) else (b"\r", b"\n")
    pos = 0
    row_start = None if in_quotes else 0
    opened = -1
    while True:
        if in_quotes:
            q = data.find(quote, pos)
            if q < 0:
                if final:
                    line = line_base + data.count(nl, 0, max(opened, 0))
                    raise CleanError(f"line {line}: a quote is opened but never closed")
                return True, row_start, opened
            after = data[q + 1:q + 2]
            if after == quote:
                pos = q + 2
                continue
            if after and after != cr and after != lf and not data.startswith(delim, q + 1):
                line = line_base + data.count(nl, 0, q)
                raise CleanError(f"line {line}: unexpected text after a closing quote")
            in_quotes = False
            pos = q + 1
        else:
            q = data.find(quote, pos)
            if row_start is None:
                e = data.find(nl, pos)
                if e >= 0 and (q < 0 or e < q):
                    row_start = e + 1
            if q < 0:
                return False, row_start, opened
            before = data[q - 1:q]
            if q == 0 or before == cr or before == lf or data.endswith(delim, 0, q):
                in_quotes = True
                opened = q
            pos = q + 1


def csv_rows(text, delim, quote):
    """(reader, rows): Python's csv module's reader of @text, and its rows
    without the blank lines: lines of nothing but spaces and tabs, and
    empty ones (which the reader gives as []). A row is read from its lines as they
    come, so the line it was made of tells a blank line from a field of
    spaces in quotes, which the reader does not tell apart."""
    last = [None, 0]  # the line the reader took last, how many it took

    def lines():
        for line in io.StringIO(text, newline=""):
            last[0] = line
            last[1] += 1
            yield line

    reader = csv.reader(lines(), delimiter=delim, quotechar=quote, doublequote=True, strict=False)

    def rows():
        taken = 0
        for row in reader:
            one_line, taken = last[1] - taken == 1, last[1]
            if not row or (one_line and len(row) == 1 and last[0].strip(" \t\r\n") == ""):
                continue
            yield row

    return reader, rows()


def first_record(text, delim, quote):
    """The fields of the first row that is not blank (read from as little
    of the text as holds it)."""
    size = 1 << 16
    while True:
        found = None
        for row in csv_rows(text[:size], delim, quote)[1]:
            if found is not None:
                return found  # another row starts after it: it is whole
            found = row
        if size >= len(text):
            return found
        size *= 4


csv.field_size_limit(1 << 30)
PANDAS_BAD_LINE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
# pandas' C parser misreads a line that starts with a space or tab after a
# CR that is no CRLF (pandas 1.5: the header read again as a row, "Buffer
# overflow caught"); such text goes to Python's csv module
LONE_CR = re.compile(r"\r(?!\n)")
# pandas' C parser reads its input PANDAS_CHUNK characters at a time (a
# BytesIO goes through a TextIOWrapper, each read encoded again), and holds
# back the spaces and tabs that start a line until the line shows whether
# it is blank; when they began before such a boundary and the line goes on
# after it, the ones before the boundary are lost (pandas 1.5: " z" read
# as "z"). Such text goes to Python's csv module too.
PANDAS_CHUNK = 262144


def blanks_across_chunk(text, delimiter):
    blanks = " \t".replace(delimiter, "")
    for b in range(PANDAS_CHUNK, len(text), PANDAS_CHUNK):
        if text[b - 1] not in blanks:
            continue
        start = text.rfind("\n", 0, b) + 1
        if text[start:b].strip(blanks):
            continue
        end = b
        while end < len(text) and text[end] in blanks:
            end += 1
        if end < len(text) and text[end] not in "\r\n":
            return True
    return False


def parse_rows(text, n, settings, line_base=1):
    """The rows of @text (whole rows only) as a frame of n text columns,
    None for the fields a short row lacks. With "" an NA token, pandas' C
    parser does it (a missing field and an empty one are the same there);
    otherwise (or for a delimiter past ASCII, which pandas' C parser does
    not take, or where it would misread the text: LONE_CR,
    blanks_across_chunk()) Python's csv module, which tells them apart."""
    if "" in settings.na_values and len(settings.delimiter.encode("utf-8")) == 1 and \
            not LONE_CR.search(text) and not blanks_across_chunk(text, settings.delimiter):
        try:
            frame = pd.read_csv(io.BytesIO(text.encode("utf-8")), encoding="utf-8",
                                sep=settings.delimiter, quotechar=settings.quote,
                                header=None, names=list(range(n)), index_col=False, dtype=str,
                                na_filter=False, keep_default_na=False, engine="c",
                                skip_blank_lines=True, doublequote=True,
                                on_bad_lines=settings.bad_lines if settings.bad_lines != "error" else "error")
        except pd.errors.EmptyDataError:
            return pd.DataFrame({c: pd.Series([], dtype=object) for c in range(n)})
        except pd.errors.ParserError as e:
            m = PANDAS_BAD_LINE.search(str(e))
            if m:
                raise CleanError(f"row {int(m.group(2)) + line_base - 1}: expected {m.group(1)} fields, saw {m.group(3)}")
            raise CleanError(str(e))
        return frame.astype(object)
    rows = []
    reader, records = csv_rows(text, settings.delimiter, settings.quote)
    for row in records:
        if len(row) > n:
            if settings.bad_lines == "error":
                raise CleanError(f"line {reader.line_num + line_base - 1}: expected {n} fields, saw {len(row)}")
            if settings.bad_lines == "warn":
                print(f"line {reader.line_num + line_base - 1}: expected {n} fields, saw {len(row)}; "
                      "the line was skipped", file=sys.stderr)
            continue
        if len(row) < n:
            row = row + [None] * (n - len(row))
        rows.append(row)
    return pd.DataFrame(rows, columns=list(range(n)), dtype=object) if rows else \
        pd.DataFrame({c: pd.Series([], dtype=object) for c in range(n)})


def mark_missing(frame, settings):
    """Trims (when asked) and turns NA tokens into None, column by column."""
    na = set(settings.na_values)
    out = {}
    for c in frame.columns:
        s = frame[c]
        if settings.trim:
            s = s.str.strip(" \t")
        out[c] = s.where(s.notna() & ~s.isin(na), None).astype(object)
    return pd.DataFrame(out, index=frame.index)


def replace_mappings(columns, rules):
    """{column: {text: what it becomes}} of the replace rules: a column's
    rules are one dict, applied at once (no chains)."""
    mappings = {}
    for step, name, texts, to in rules:
        mapping = mappings.setdefault(columns.resolve(step, name), {})
        for text in texts:
            mapping[text] = to
    return mappings


def replace_column(s, mapping):
    """Whole fields found in @mapping become its value (None: missing); a
    missing field is never matched. None when nothing matched."""
    hit = s.isin(list(mapping)).to_numpy()
    if not hit.any():
        return None
    values = s.to_numpy(dtype=object).copy()
    values[hit] = [mapping[v] for v in values[hit]]
    return pd.Series(values, index=s.index, dtype=object)


def column_names(first_row, header):
    if header:
        return list(first_row)
    return [f"column_{i + 1}" for i in range(len(first_row))]


class Columns:
    """The file's columns by the names a recipe uses, as pandas 1.5 names
    them: the header text, "Unnamed: N" for an empty one, and for a repeat
    the next "name.K" that is not already a name of the header, the empty
    names taking their turns after the named ones (a,a,a.1 is a, a.2, a.1)."""

    def __init__(self, names):
        self.names = names
        self.index = {}
        header = [name if name else f"Unnamed: {i}" for i, name in enumerate(names)]
        present = {}
        for name in header:
            present[name] = present.get(name, 0) + 1
        counts = {}
        order = [i for i, name in enumerate(names) if name] + [i for i, name in enumerate(names) if not name]
        for i in order:
            base = header[i]
            key = base
            count = counts.get(key, 0)
            while count > 0:
                counts[base] = count + 1
                key = f"{base}.{count}"
                count = count + 1 if present.get(key, 0) > 0 else counts.get(key, 0)
            if key != header[i]:
                present[header[i]] -= 1
                present[key] = present.get(key, 0) + 1
                header[i] = key
            counts[key] = count + 1
            self.index[key] = i
        self.dropped = set()

    def find(self, step, name):
        if name not in self.index:
            listed = ", ".join(f'"{n}"' for n in self.names[:12])
            if len(self.names) > 12:
                listed += f" and {len(self.names) - 12} more"
            raise CleanError(f'{step}: the file has no column "{name}" (its columns: {listed})')
        return self.index[name]

    def resolve(self, step, name):
        i = self.find(step, name)
        if i in self.dropped:
            raise CleanError(f'{step}: column "{name}" is removed by drop_columns')
        return i

    def kept(self):
        return [i for i in range(len(self.names)) if i not in self.dropped]


# ---- numbers ----
NUMBER = r"[ \t\n\r\f\v]*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t\n\r\f\v]*"
BLOCK = 8192


def numbers(s):
    """Float values of the fields that are entirely a finite number (C
    locale), NaN elsewhere."""
    text = s.astype(object)
    ok = text.notna() & text.astype(str).str.fullmatch(NUMBER)
    values = np.full(len(text), np.nan)
    if ok.any():
        values[ok.to_numpy()] = np.fromiter((float(x) for x in text[ok]), float, int(ok.sum()))
    values[~np.isfinite(values)] = np.nan
    return values


def block_sums(values):
    """numpy's pairwise sum of each block of 8192 values (the last may be short)."""
    return [float(np.add.reduce(values[i:i + BLOCK])) for i in range(0, len(values), BLOCK)]


def format_number(x):
    """Python's repr of the double, without the ".0" of an integral value."""
    r = repr(float(x))
    return r[:-2] if r.endswith(".0") else r


def middle_mean(lo, hi=None):
    """A median from its middle number (or two) as numpy takes it: their
    mean, a sum that starts from 0, so a median of zeros is 0 whatever
    their signs."""
    m = lo if hi is None else (lo + hi) / 2.0
    return 0.0 if m == 0 else m


def median_of(values):
    n = len(values)
    if n == 0:
        return None
    part = np.partition(values, [(n - 1) // 2, n // 2])
    lo = float(part[(n - 1) // 2])
    return middle_mean(lo) if n % 2 else middle_mean(lo, float(part[n // 2]))


def mode_of(counts):
    """The most frequent text; ties go to the smallest in byte order."""
    if len(counts) == 0:
        return None
    top = counts.max()
    return min(counts.index[counts == top])


# ---- writing ----
GUARD_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER_TEXT = re.compile(NUMBER)


def needs_guard(x):
    """A spreadsheet runs a cell that starts with = + - @ TAB or CR as a
    formula; a finite number such as -2.5 is left alone."""
    if x[0] in "\t\r" or not NUMBER_TEXT.fullmatch(x):
        return True
    return not np.isfinite(float(x))


def format_value(x, delimiter, formula_guard):
    if formula_guard and x and x.startswith(GUARD_START) and needs_guard(x):
        x = "'" + x
    if delimiter in x or '"' in x or "\r" in x or "\n" in x:
        return '"' + x.replace('"', '""') + '"'
    return x


def format_fields(values, delimiter, formula_guard):
    """CSV text of each field: missing as empty, minimal quoting, the
    formula guard. One pass; the common field is returned as it is."""
    q = '"'
    out = []
    append = out.append
    for x in values:
        if x.__class__ is not str:
            append("")
        elif (delimiter in x or q in x or "\r" in x or "\n" in x or
              (formula_guard and x and x.startswith(GUARD_START))):
            append(format_value(x, delimiter, formula_guard))
        else:
            append(x)
    return out


def format_lines(frame, delimiter, formula_guard):
    """The CSV line of each row (no line end), as a list."""
    columns = [format_fields(frame[c].to_numpy(dtype=object), delimiter, formula_guard)
               for c in frame.columns]
    if len(columns) == 1:
        return [x if x else '""' for x in columns[0]]
    return [delimiter.join(row) for row in zip(*columns)]


def header_line(names, delimiter, formula_guard):
    if len(names) == 1 and names[0] == "":
        return '""'
    return delimiter.join(format_fields(names, delimiter, formula_guard))


def write_atomically(path, chunks):
    """Writes the chunks (str) as UTF-8 to a temporary file beside @path,
    then renames it into place: a failure leaves no partial output."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            for chunk in chunks:
                f.write(chunk.encode("utf-8"))
        os.chmod(tmp, 0o666 & ~current_umask())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def current_umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask
