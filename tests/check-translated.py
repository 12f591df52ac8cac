#!/usr/bin/python3
"""Winnow speaks German and French: `winnow --batch --help` run in each
language prints the translation of its summary line, taken from the .po
file. The locale is compiled into a private folder (LOCPATH), so the test
needs no locale installed on the machine, only glibc's locale sources.

usage: check-translated.py WINNOW_BINARY BUILD_PO_DIR SOURCE_ROOT
"""
import os
import re
import subprocess
import sys
import tempfile

binary, po_build, root = sys.argv[1:4]
MSGID = "Clean files without a window"


def msgstr(lang):
    text = open(os.path.join(root, "po", f"{lang}.po"), encoding="utf-8").read()
    m = re.search(r'\nmsgid "' + re.escape(MSGID) + r'"\nmsgstr "((?:[^"\\]|\\.)*)"', text)
    if not m or not m.group(1):
        sys.exit(f"po/{lang}.po does not translate “{MSGID}”")
    return m.group(1).encode().decode("unicode_escape").encode("latin-1").decode("utf-8")


problems = []
with tempfile.TemporaryDirectory() as locpath:
    for lang, locale in (("de", "de_DE"), ("fr", "fr_FR")):
        subprocess.run(["localedef", "-i", locale, "-f", "UTF-8",
                        os.path.join(locpath, f"{locale}.UTF-8")],
                       check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        env = dict(os.environ, LOCPATH=locpath, LANG=f"{locale}.UTF-8", LC_ALL=f"{locale}.UTF-8",
                   LANGUAGE=lang, WINNOW_LOCALEDIR=po_build)
        out = subprocess.run([binary, "--batch", "--help"], env=env, capture_output=True,
                             text=True).stdout
        want = msgstr(lang)
        if want not in out:
            problems.append(f"{lang}: “{want}” not in winnow --batch --help:\n{out[:400]}")
        else:
            print(f"{lang}: {want}")
if problems:
    print("\n".join(problems))
    sys.exit(1)
