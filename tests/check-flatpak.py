#!/usr/bin/python3
"""The Flatpak manifest, checked without building it (this machine cannot
download the GNOME SDK): it parses, builds the modules the runtime lacks
and then the app, pins every download with a sha256, asks for no more
than the app needs, and names the app as the desktop file, the metainfo
and the settings schema do.

usage: check-flatpak.py SOURCE_ROOT
"""
import configparser
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

APP_ID = "io.github.winnow.Winnow"
MODULES = ["libcsv", "xxhash", "winnow"]
ALLOWED_ARGS = {"--share=ipc", "--socket=fallback-x11", "--socket=wayland", "--device=dri"}

root = Path(sys.argv[1])
problems = []

manifest_path = root / "flatpak" / f"{APP_ID}.json"
manifest = json.loads(manifest_path.read_text())

if manifest.get("id") != APP_ID:
    problems.append(f"manifest id is {manifest.get('id')!r}, not {APP_ID}")
if manifest.get("command") != "winnow":
    problems.append("the command is not winnow")
if manifest.get("runtime") != "org.gnome.Platform" or manifest.get("sdk") != "org.gnome.Sdk":
    problems.append("not built on the GNOME runtime and SDK")

names = [m["name"] for m in manifest["modules"]]
if names != MODULES:
    problems.append(f"modules are {names}, expected {MODULES} (the app last)")

for arg in manifest.get("finish-args", []):
    if arg not in ALLOWED_ARGS:
        problems.append(f"finish-arg {arg} is more than the app needs (files come through the portal)")

for module in manifest["modules"]:
    for source in module.get("sources", []):
        if source["type"] == "dir":
            if module["name"] != "winnow":
                problems.append(f"{module['name']}: only the app may come from the local folder")
            continue
        if not re.fullmatch(r"[0-9a-f]{64}", source.get("sha256", "")):
            problems.append(f"{module['name']}: source {source.get('url')} has no sha256")
        if not source.get("url", "").startswith("https://"):
            problems.append(f"{module['name']}: source {source.get('url')} is not https")

# the same id everywhere
desktop = configparser.ConfigParser(interpolation=None)
desktop.optionxform = str
desktop.read(root / "data" / f"{APP_ID}.desktop.in")
if desktop["Desktop Entry"].get("Icon") != APP_ID:
    problems.append("the desktop file's icon is not the app id")
if not desktop["Desktop Entry"].get("Exec", "").startswith(manifest["command"]):
    problems.append("the desktop file does not run the manifest's command")

metainfo = ET.parse(root / "data" / f"{APP_ID}.metainfo.xml.in").getroot()
if metainfo.findtext("id") != APP_ID:
    problems.append(f"metainfo id is {metainfo.findtext('id')!r}")
if metainfo.findtext("launchable") != f"{APP_ID}.desktop":
    problems.append("metainfo launchable is not the desktop file")

schema = ET.parse(root / "data" / f"{APP_ID}.gschema.xml").getroot()
if schema.find("schema").get("id") != APP_ID:
    problems.append("the settings schema id is not the app id")

for icon in (f"data/icons/hicolor/scalable/apps/{APP_ID}.svg",
             f"data/icons/hicolor/symbolic/apps/{APP_ID}-symbolic.svg"):
    if not (root / icon).is_file():
        problems.append(f"{icon} is missing")

if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"{manifest_path.name}: {len(names)} modules, every download pinned, ids agree")
