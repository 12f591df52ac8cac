# ---- the steps, on a Dask DataFrame across a cluster ----
import dask
import dask.dataframe as dd
from dask.bytes import read_bytes

ROW_BITS = 40  # a row's key: partition << 40 | its place in the partition, in file order


class Table:
    def __init__(self, frame, columns):
        self.frame = frame      # indexed by row key (known divisions); None is missing
        self.columns = columns  # a Columns
        self.persisted = False


def empty_frame(columns):
    frame = pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    frame.index = pd.Index([], dtype="int64")
    return frame


# -- reading: raw blocks cut at line ends, then quoting followed block by block --
def delimiter_bytes(delimiter, codec):
    """The delimiter as the file's bytes; a NUL (never in a text file)
    when the encoding has no such character."""
    name = {"auto-utf-8": "utf-8", "windows-1252": "cp1252"}.get(codec, codec)
    try:
        return delimiter.encode(name)
    except UnicodeEncodeError:
        return delimiter.encode("latin-1") if codec == "windows-1252" and ord(delimiter) < 256 else b"\x00"


def survey(block, skip, codec, delimiter, quote, nl):
    """What a block does to quoting, from either state at its start: for
    each, (in quotes at the end, first row start, error), and its lines."""
    data = block[skip:]
    d, q = delimiter_bytes(delimiter, codec), quote.encode()
    if not ascii_compatible(codec):
        # one block per file (UTF-16...), so its rows start at 0: its
        # quoting is followed in its text
        try:
            data, d, q, nl = data.decode(codec), delimiter, quote, nl.decode()
        except UnicodeDecodeError:  # reported with its line when it is parsed
            return {False: (False, 0, None, -1), True: (True, None, None, -1)}, 0, True
    result = {}
    for start in (False, True):
        try:
            end, row_start, opened = scan_quotes(data, d, q, nl, start)
            result[start] = (end, row_start, None, opened)
        except CleanError as e:
            result[start] = (None, None, str(e), None)
    utf8 = True
    if codec == "auto-utf-8":
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            utf8 = False
    return result, data.count(nl), utf8


def relined(message, base):
    m = re.match(r"line (\d+): (.*)", message)
    return f"line {int(m.group(1)) + base - 1}: {m.group(2)}" if m else message


def parse_partition(pieces, codec, skip_header, n, settings, key, line_base, nl):
    data = b"".join(block[lo:hi] for block, lo, hi in pieces)
    text = decode(data, codec, line_base, nl)
    frame = parse_rows(text, n, settings, line_base)
    if skip_header:
        frame = frame.iloc[1:]
    frame = mark_missing(frame, settings)
    frame.index = pd.Index(np.arange(len(frame), dtype="int64") + (key << ROW_BITS))
    return frame


def read_table(urlpath, settings, blocksize):
    sample, _ = read_bytes(urlpath, delimiter=None, blocksize=None, sample=1 << 20)
    codec, bom = choose_encoding(sample, settings.encoding)
    if not ascii_compatible(codec):
        blocksize = None  # a line end byte may be half a character: one block per file
    nl = sniff_line_end(sample[:SNIFF_BYTES]).encode()
    _, files = read_bytes(urlpath, delimiter=nl, blocksize=blocksize, sample=False)
    head = sample[bom:]
    if codec == "windows-1252":
        head_text = head.decode("latin-1").translate(CP1252)
    else:
        head_text = head.decode(codec.replace("auto-", ""), "replace")
    if settings.delimiter is None:
        settings.delimiter = sniff_delimiter(sniff_head(head_text), settings.quote)
    first = first_record(head_text, settings.delimiter, settings.quote)
    if first is None:
        raise CleanError(f"{urlpath} has no rows, only blank lines")
    n = len(first)

    def all_surveys():
        return dask.compute(*[dask.delayed(survey, pure=True)(
            block, bom if i == 0 and bom else 0, codec, settings.delimiter, settings.quote, nl)
            for blocks in files for i, block in enumerate(blocks)])
    surveys = all_surveys()
    if codec == "auto-utf-8":
        if all(s[2] for s in surveys):
            codec = "utf-8"
        else:
            print("the file is not valid UTF-8; it was read as Windows-1252", file=sys.stderr)
            codec = "windows-1252"
            if not settings.delimiter.isascii():
                surveys = all_surveys()  # the delimiter's bytes are not the same

    # Where rows really start, following the quoting from each file's start.
    parts, k = [], 0
    for blocks in files:
        starts, line_base, in_quotes, opened = [], 1, False, None
        for i, block in enumerate(blocks):
            end, row_start, error, block_opened = surveys[k][0][in_quotes]
            if error:
                raise CleanError(relined(error, line_base))
            skip = bom if i == 0 and bom else 0
            if row_start is not None:
                starts.append((i, skip + row_start, line_base))
            if block_opened is not None and block_opened >= 0:
                opened = line_base
            line_base += surveys[k][1]
            in_quotes = end
            k += 1
        if in_quotes:
            raise CleanError(f"line {opened or 1}: a quote is opened but never closed")
        for j, (i, lo, base) in enumerate(starts):
            stop_block, stop = (starts[j + 1][0], starts[j + 1][1]) if j + 1 < len(starts) \
                else (len(blocks) - 1, None)
            pieces = [(blocks[i], lo, None if stop_block > i else stop)]
            pieces += [(blocks[b], 0, None if stop_block > b else stop) for b in range(i + 1, stop_block + 1)]
            parts.append((pieces, j == 0 and settings.header, base))
    if not parts:
        raise CleanError(f"{urlpath} is empty")

    delayed_parts = []
    for key, (pieces, skip_header, base) in enumerate(parts):
        delayed_parts.append(dask.delayed(parse_partition, pure=True)(
            pieces, codec, skip_header, n, Settings(**vars(settings)), key, base, nl))
    divisions = [key << ROW_BITS for key in range(len(parts))] + [(len(parts) << ROW_BITS) - 1]
    frame = dd.from_delayed(delayed_parts, meta=empty_frame(range(n)), divisions=divisions)
    return Table(frame, Columns(column_names(first, settings.header)))


# -- the steps --
def drop_columns(t, names):
    for name in names:
        t.columns.dropped.add(t.columns.find("drop_columns", name))
    if not t.columns.kept():
        raise CleanError("drop_columns: every column would be removed")
    t.frame = t.frame[t.columns.kept()]


def replace_part(part, mappings):
    part = part.copy()
    for c, mapping in mappings.items():
        s = replace_column(part[c], mapping)
        if s is not None:
            part[c] = s
    return part


def replace(t, rules):
    mappings = replace_mappings(t.columns, rules)
    t.frame = t.frame.map_partitions(replace_part, mappings, meta=t.frame._meta)


HASH_KEYS = ("winnow-rows-one", "winnow-rows-two")
MISSING = np.uint64(0x9E3779B97F4A7C15)


def row_keys(part, cols):
    """Two 64-bit hashes of the compared fields, in order; a missing field
    hashes apart from any text, and all missing fields alike."""
    out = pd.DataFrame({"row": part.index.to_numpy()}, index=part.index)
    for i, hash_key in enumerate(HASH_KEYS):
        h = np.zeros(len(part), dtype=np.uint64)
        for c in cols:
            s = part[c]
            missing = s.isna().to_numpy()
            text = s.where(~missing, "").to_numpy(dtype=object)
            hc = pd.util.hash_array(text, hash_key=hash_key.ljust(16)[:16], categorize=True)
            hc = np.where(missing, hc ^ MISSING, hc)
            h = (h * np.uint64(1000003)) ^ hc
        out[f"h{i}"] = h
    return out


def drop_duplicates(t, subset, keep):
    cols = [t.columns.resolve("drop_duplicates.subset", n) for n in subset] or list(t.frame.columns)
    meta = pd.DataFrame({"row": pd.Series([], dtype="int64"), "h0": pd.Series([], dtype="uint64"),
                         "h1": pd.Series([], dtype="uint64")})
    keys = t.frame.map_partitions(row_keys, cols, meta=meta)
    split = max(1, t.frame.npartitions // 4)
    groups = keys.groupby(["h0", "h1"]).row.agg(["min", "max", "count"], split_out=split)
    if keep == "first":
        kept = groups["min"]
    elif keep == "last":
        kept = groups["max"]
    else:
        kept = groups["min"][groups["count"] == 1]
    kept = kept.to_frame("row").assign(kept=True).set_index("row", divisions=t.frame.divisions)
    t.frame = t.frame.join(kept, how="inner").drop(columns="kept")


def present_enough_part(part, cols, how, thresh):
    return part[present_enough(part, cols, how, thresh)]


def present_enough(frame, cols, how, thresh):
    present = frame[cols].notna().sum(axis=1)
    needed = thresh if thresh is not None else (len(cols) if how == "any" else min(1, len(cols)))
    return present >= needed


def drop_missing(t, subset, how, thresh):
    cols = [t.columns.resolve("drop_missing.subset", n) for n in subset] or list(t.frame.columns)
    t.frame = t.frame.map_partitions(present_enough_part, cols, how, thresh, meta=t.frame._meta)


# -- fills; statistics see the whole column, in file order --
def fill_part(part, c, value):
    part = part.copy()
    part[c] = part[c].where(part[c].notna(), value)
    return part


def persist(t):
    if not t.persisted:
        t.frame = t.frame.persist()
        t.persisted = True


def partitions(t):
    return t.frame.to_delayed()


def mean_pieces(part, c, offset):
    """This partition's share of numpy's blocked sum: whole blocks summed,
    the pieces of blocks it shares with its neighbours as values."""
    v = numbers(part[c])
    count = int(np.count_nonzero(~np.isnan(v)))
    v = np.where(np.isnan(v), 0.0, v)
    pieces, pos = [], 0
    while pos < len(v):
        g = offset + pos
        block, inside = divmod(g, BLOCK)
        take = min(BLOCK - inside, len(v) - pos)
        chunk = v[pos:pos + take]
        if take == BLOCK:
            pieces.append((block, float(np.add.reduce(chunk)), None))
        else:
            pieces.append((block, None, chunk))
        pos += take
    return count, pieces


def column_mean(t, c):
    lengths = dask.compute(*[dask.delayed(len)(p) for p in partitions(t)])
    offsets = np.concatenate([[0], np.cumsum(lengths)])[:-1]
    results = dask.compute(*[dask.delayed(mean_pieces)(p, c, int(o))
                             for p, o in zip(partitions(t), offsets)])
    count = sum(r[0] for r in results)
    if count == 0:
        return None
    sums, partial = {}, {}
    for _, pieces in results:
        for block, total, values in pieces:
            if values is None:
                sums[block] = total
            else:
                partial.setdefault(block, []).append(values)
    for block, values in partial.items():
        sums[block] = float(np.add.reduce(np.concatenate(values)))
    total = 0.0
    for block in sorted(sums):
        total += sums[block]
    return total / count


def float_keys(values):
    """Unsigned keys in the order of the doubles."""
    u = values.view(np.uint64)
    return np.where(u >> np.uint64(63), ~u, u | np.uint64(1 << 63))


def key_histogram(part, c, prefix, shift):
    v = numbers(part[c])
    k = float_keys(v[~np.isnan(v)])
    if shift < 48:
        k = k[(k >> np.uint64(shift + 16)) == np.uint64(prefix >> (shift + 16))]
    return np.bincount(((k >> np.uint64(shift)) & np.uint64(0xFFFF)).astype(np.int64), minlength=1 << 16)


def select_number(t, c, rank):
    """The rank-th smallest number of the column (0-based): a radix
    selection, 16 bits a pass, over the whole column."""
    prefix = 0
    for shift in (48, 32, 16, 0):
        hists = dask.compute(*[dask.delayed(key_histogram)(p, c, prefix, shift) for p in partitions(t)])
        hist = np.sum(hists, axis=0)
        below = np.cumsum(hist)
        digit = int(np.searchsorted(below, rank, side="right"))
        rank -= int(below[digit - 1]) if digit > 0 else 0
        prefix |= digit << shift
    u = np.uint64(prefix)
    bits = u & ~np.uint64(1 << 63) if u >> np.uint64(63) else ~u
    return float(np.array([bits], dtype=np.uint64).view(np.float64)[0])


def count_numbers(part, c):
    return int(np.count_nonzero(~np.isnan(numbers(part[c]))))


def column_median(t, c):
    n = sum(dask.compute(*[dask.delayed(count_numbers)(p, c) for p in partitions(t)]))
    if n == 0:
        return None
    lo = select_number(t, c, (n - 1) // 2)
    return middle_mean(lo) if n % 2 else middle_mean(lo, select_number(t, c, n // 2))


def edge(part, c, last):
    """(has a value, the value, missing fields after it) at the partition's
    end (ffill, @last) or before it at its start (bfill)."""
    s = part[c]
    present = s.notna().to_numpy()
    if not present.any():
        return False, None, len(s)
    if last:
        i = len(s) - 1 - int(np.argmax(present[::-1]))
        return True, s.iloc[i], len(s) - 1 - i
    i = int(np.argmax(present))
    return True, s.iloc[i], i


def carry_fill(part, c, strategy, limit, carry):
    has, value, run = carry
    s = part[c]
    pad = run if limit is None else min(run, limit)
    extra = pd.Series([value] + [None] * pad if has else [], dtype=object)
    if strategy == "ffill":
        joined = pd.concat([extra, s.reset_index(drop=True)], ignore_index=True).ffill(limit=limit)
        filled = joined.iloc[len(extra):]
    else:
        joined = pd.concat([s.reset_index(drop=True), extra.iloc[::-1]], ignore_index=True).bfill(limit=limit)
        filled = joined.iloc[:len(s)]
    part = part.copy()
    part[c] = pd.Series(filled.to_numpy(), index=part.index, dtype=object).where(filled.notna().to_numpy(), None)
    return part


def fill_across(t, c, strategy, limit):
    edges = dask.compute(*[dask.delayed(edge)(p, c, strategy == "ffill") for p in partitions(t)])
    order = range(len(edges)) if strategy == "ffill" else range(len(edges) - 1, -1, -1)
    carries, carry = [None] * len(edges), (False, None, 0)
    for i in order:
        carries[i] = carry
        has, value, run = edges[i]
        carry = (True, value, run) if has else (carry[0], carry[1], carry[2] + run)
    parts = [dask.delayed(carry_fill)(p, c, strategy, limit, carries[i]) for i, p in enumerate(partitions(t))]
    t.frame = dd.from_delayed(parts, meta=t.frame._meta, divisions=t.frame.divisions)


def fill(t, step, name, strategy, value=None, limit=None):
    c = t.columns.resolve(step, name)
    if strategy == "value":
        t.frame = t.frame.map_partitions(fill_part, c, value, meta=t.frame._meta)
        return
    persist(t)
    if strategy in ("ffill", "bfill"):
        fill_across(t, c, strategy, limit)
        t.persisted = False
        return
    if strategy == "mean":
        m = column_mean(t, c)
        value = None if m is None else format_number(m)
    elif strategy == "median":
        m = column_median(t, c)
        value = None if m is None else format_number(m)
    else:
        value = mode_of(t.frame[c].dropna().value_counts().compute())
    if value is None:
        kind = "values" if strategy == "mode" else "numbers"
        print(f'warning: fill: column "{t.columns.names[c]}" has no {kind}, so its '
              f'{strategy} fill left it empty', file=sys.stderr)
        return
    t.frame = t.frame.map_partitions(fill_part, c, value, meta=t.frame._meta)


# -- writing --
def format_part(part, settings, eol):
    lines = format_lines(part, settings.delimiter, settings.formula_guard)
    return eol.join(lines) + eol if len(lines) else ""


def write_part(part, path, head, settings, eol):
    write_atomically(path, [head, format_part(part, settings, eol)])
    return path


def write_table(t, path, settings, as_parts, window):
    from collections import deque
    from distributed import get_client
    names = [t.columns.names[i] for i in t.frame.columns]
    eol = settings.line_ending
    head = header_line(names, settings.delimiter, settings.formula_guard) + eol if INPUT["header"] else ""
    parts = t.frame.to_delayed()
    if as_parts:
        os.makedirs(path, exist_ok=True)
        width = max(5, len(str(len(parts))))
        dask.compute(*[dask.delayed(write_part)(p, os.path.join(path, f"part-{i:0{width}d}.csv"),
                                                  head, settings, eol) for i, p in enumerate(parts)])
        return
    persist(t)
    parts = t.frame.to_delayed()
    client = get_client()

    def chunks():
        # the partitions' text in order, a few in flight at once
        yield head
        pending, todo = deque(), iter(parts)
        for part in todo:
            pending.append(client.compute(dask.delayed(format_part)(part, settings, eol)))
            if len(pending) >= window:
                break
        while pending:
            future = pending.popleft()
            text = future.result()
            future.release()
            part = next(todo, None)
            if part is not None:
                pending.append(client.compute(dask.delayed(format_part)(part, settings, eol)))
            yield text
    write_atomically(path, chunks())


def main(argv):
    import argparse
    from distributed import Client, LocalCluster
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("input", help="a CSV file, a glob, or an fsspec URL the workers can read")
    parser.add_argument("output", help="the cleaned CSV file (a folder with --parts)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="a running Dask scheduler (default: a LocalCluster, one process per core)")
    parser.add_argument("--parts", action="store_true", help="write a folder of part files")
    parser.add_argument("--blocksize", type=int, default=64 << 20, metavar="BYTES",
                        help="bytes of input per partition (default: 64 MiB)")
    args = parser.parse_args(argv)
    if args.scheduler:
        client = Client(args.scheduler)
        cluster = None
    else:
        cluster = LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True)
        client = Client(cluster)
    try:
        with dask.config.set({"dataframe.shuffle.method": "tasks"}):
            read = Settings(**INPUT)
            t = read_table(args.input, read, args.blocksize)
            clean(t)
            write_table(t, args.output, output_settings(OUTPUT, read), args.parts,
                        2 * max(1, len(client.scheduler_info()["workers"])))
    except (CleanError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return 0
