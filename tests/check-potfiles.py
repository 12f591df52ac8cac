#!/usr/bin/python3
"""po/POTFILES.in lists every file with strings for translators: C files
that mark strings (_(), N_(), C_(), NC_(), ngettext), .ui files with
translatable properties, and the desktop file, metainfo and settings
schema. A file with translatable strings that is not listed would be
left in English; a listed file that is gone breaks the .pot.

usage: check-potfiles.py SOURCE_ROOT
"""
import re
import sys
from pathlib import Path

root = Path(sys.argv[1])
listed = set()
for line in (root / "po" / "POTFILES.in").read_text().splitlines():
    line = line.strip()
    if line and not line.startswith("#"):
        listed.add(line)

C_MARK = re.compile(r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|ngettext|g_dngettext)\s*\(')
needed = set()
for path in sorted((root / "src").rglob("*")):
    rel = path.relative_to(root).as_posix()
    if path.suffix in (".c", ".h"):
        text = path.read_text(errors="replace")
        # the gettext macros' own definitions do not count
        if C_MARK.search(text):
            needed.add(rel)
    elif path.suffix == ".ui":
        if 'translatable="yes"' in path.read_text():
            needed.add(rel)
for path in sorted((root / "data").glob("*")):
    rel = path.relative_to(root).as_posix()
    if path.name.endswith((".desktop.in", ".metainfo.xml.in")) or path.name.endswith(".gschema.xml"):
        needed.add(rel)

problems = [f"{f}: has translatable strings but is not in po/POTFILES.in"
            for f in sorted(needed - listed)]
problems += [f"{f}: listed in po/POTFILES.in but does not exist"
             for f in sorted(listed) if not (root / f).is_file()]
if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"po/POTFILES.in lists all {len(needed)} files with translatable strings")
