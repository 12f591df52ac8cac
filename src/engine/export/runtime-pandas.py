# ---- the steps, on one pandas DataFrame ----
class Table:
    def __init__(self, frame, columns):
        self.frame = frame          # text columns named by input position; None is missing
        self.columns = columns      # a Columns


def read_table(path, settings):
    with open(path, "rb") as f:
        data = f.read()
    if not data:
        raise CleanError(f"{os.path.basename(path)} is empty")
    codec, bom = choose_encoding(data[:1 << 20], settings.encoding)
    data = data[bom:]
    if codec == "auto-utf-8":
        try:
            text = decode(data, "auto-utf-8")
        except CleanError as e:
            if "NUL" in str(e):
                raise
            print(f"{e}; it was read as Windows-1252", file=sys.stderr)
            text = decode(data, "windows-1252")
    else:
        text = decode(data, codec)
    head = sniff_head(text)
    if settings.delimiter is None:
        settings.delimiter = sniff_delimiter(head, settings.quote)
    nl = sniff_line_end(head)
    scan_quotes(text, settings.delimiter, settings.quote, nl, False, final=True)
    first = first_record(text, settings.delimiter, settings.quote)
    if first is None:
        raise CleanError(f"{os.path.basename(path)} has no rows, only blank lines")
    frame = parse_rows(text, len(first), settings)
    if settings.header:
        frame = frame.iloc[1:]
    frame = mark_missing(frame.reset_index(drop=True), settings)
    return Table(frame, Columns(column_names(first, settings.header)))


def drop_columns(t, names):
    for name in names:
        t.columns.dropped.add(t.columns.find("drop_columns", name))
    if not t.columns.kept():
        raise CleanError("drop_columns: every column would be removed")
    t.frame = t.frame[t.columns.kept()]


def replace(t, rules):
    for c, mapping in replace_mappings(t.columns, rules).items():
        s = replace_column(t.frame[c], mapping)
        if s is not None:
            t.frame[c] = s


def drop_duplicates(t, subset, keep):
    cols = [t.columns.resolve("drop_duplicates.subset", n) for n in subset] or list(t.frame.columns)
    t.frame = t.frame.drop_duplicates(subset=cols, keep={"none": False}.get(keep, keep))


def present_enough(frame, cols, how, thresh):
    present = frame[cols].notna().sum(axis=1)
    needed = thresh if thresh is not None else (len(cols) if how == "any" else min(1, len(cols)))
    return present >= needed


def drop_missing(t, subset, how, thresh):
    cols = [t.columns.resolve("drop_missing.subset", n) for n in subset] or list(t.frame.columns)
    t.frame = t.frame[present_enough(t.frame, cols, how, thresh)]


def fill(t, step, name, strategy, value=None, limit=None):
    c = t.columns.resolve(step, name)
    s = t.frame[c]
    if strategy == "value":
        t.frame[c] = s.where(s.notna(), value)
        return
    if strategy in ("ffill", "bfill"):
        filled = getattr(s, strategy)(limit=limit)
        t.frame[c] = filled.where(filled.notna(), None)
        return
    if strategy == "mean":
        v = numbers(s)
        count = int(np.count_nonzero(~np.isnan(v)))
        total = 0.0
        for part in block_sums(np.where(np.isnan(v), 0.0, v)):
            total += part
        value = format_number(total / count) if count else None
    elif strategy == "median":
        v = numbers(s)
        m = median_of(v[~np.isnan(v)])
        value = None if m is None else format_number(m)
    else:
        value = mode_of(s.dropna().value_counts(sort=False))
    if value is None:
        kind = "values" if strategy == "mode" else "numbers"
        print(f'warning: fill: column "{t.columns.names[c]}" has no {kind}, so its '
              f'{strategy} fill left it empty', file=sys.stderr)
        return
    t.frame[c] = s.where(s.notna(), value)


def write_table(t, path, settings):
    names = [t.columns.names[i] for i in t.frame.columns]
    eol = settings.line_ending
    lines = format_lines(t.frame, settings.delimiter, settings.formula_guard)
    body = eol.join(lines) + eol if len(lines) else ""
    head = header_line(names, settings.delimiter, settings.formula_guard) + eol if INPUT["header"] else ""
    write_atomically(path, [head, body])


def main(argv):
    import argparse
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("input", help="the CSV file to clean")
    parser.add_argument("output", help="where the cleaned CSV file goes")
    args = parser.parse_args(argv)
    if os.path.exists(args.output) and os.path.samefile(args.input, args.output):
        print("error: the output would replace the input", file=sys.stderr)
        return 1
    try:
        read = Settings(**INPUT)
        t = read_table(args.input, read)
        clean(t)
        write_table(t, args.output, output_settings(OUTPUT, read))
    except (CleanError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0
