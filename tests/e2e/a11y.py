#!/usr/bin/python3
"""The accessibility tree, as a screen reader hears it.

Started by run.sh like drive.py (a D-Bus session with the AT-SPI bus, a
temporary database, the sample CSV file given on the command line, which
opens the configuration dialog). Walks the whole tree of the dialog, of
the window with a finished task (its list and the task page), and of the
Preferences, and fails on any node a person reaches whose name is empty,
a widget's class name ("GtkLabel"), still has a mnemonic underscore
("_Open Result"), or says the same words twice ("Open Open", "Keep id
id").

GTK 4.8 names every widget that has no name after its type; containers
and decorations (panels, fillers, images, separators) are skipped by
screen readers, so only what a person reaches is checked: controls,
rows, lists, tables and labels.
"""
import re
import subprocess
import sys
import time

import pyatspi

DEADLINE = 30
APP_ID = "io.github.winnow.Winnow"

# what a person reaches: each must have a name a person would say
NAMED = {
    "push button", "toggle button", "check box", "radio button", "combo box",
    "entry", "password text", "spin button", "slider", "switch", "menu item",
    "check menu item", "radio menu item", "page tab", "page tab list", "link",
    "table row", "list item", "tree table", "table", "list", "scroll bar",
    "progress bar",
}
# read out when reached: no class name, no doubled words
READ = NAMED | {"label", "heading", "table cell", "frame", "dialog"}

CLASS_NAME = re.compile(r"^(Gtk|Adw|Winnow)[A-Z][A-Za-z]*$")
MNEMONIC = re.compile(r"(^|[\s(“\"])_[^\s_]")


def walk(node, depth=0):
    if node is None or depth > 80:
        return
    yield node
    try:
        count = node.childCount
    except Exception:
        return
    for i in range(count):
        try:
            child = node.getChildAtIndex(i)
        except Exception:
            continue
        yield from walk(child, depth + 1)


def visible(node):
    try:
        return node.getState().contains(pyatspi.STATE_VISIBLE)
    except Exception:
        return False


def doubled(name):
    """Whether the name ends by repeating itself: "Open Open", "_Open
    Result Open Result", "Keep id id", "Input delimiter Delimiter"."""
    words = name.replace("_", "").casefold().split()
    for k in range(1, len(words) // 2 + 1):
        if words[-k:] == words[-2 * k:-k]:
            return True
    return False


def around(node):
    """The nodes above @node, nearest last: where to look."""
    names = []
    try:
        parent = node.parent
        while parent is not None and len(names) < 12:
            names.insert(0, f"{parent.getRoleName()} {parent.name!r}")
            parent = parent.parent
    except Exception:
        pass
    return " > ".join(names)


def problems(root, where):
    found = []
    for node in walk(root):
        try:
            role = node.getRoleName()
            name = node.name or ""
        except Exception:
            continue
        if role not in READ or not visible(node):
            continue
        what = f"{where}: {role} {name!r} (in {around(node)})"
        if role in NAMED and name.strip() == "":
            found.append(f"{what}: no name")
        elif CLASS_NAME.match(name):
            found.append(f"{what}: named after its widget class")
        elif MNEMONIC.search(name):
            found.append(f"{what}: a mnemonic underscore in its name")
        elif doubled(name):
            found.append(f"{what}: says the same words twice")
    return found


def application():
    for app in pyatspi.Registry.getDesktop(0):
        if app is not None and app.name in ("winnow", "Winnow"):
            return app
    return None


def wait_for(what, find):
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        found = find()
        if found is not None:
            return found
        time.sleep(0.1)
    sys.exit(f"a11y: gave up waiting for {what}")


def find(root, role, name=None, prefix=None):
    for node in walk(root):
        try:
            if node.getRoleName() != role or not visible(node):
                continue
            if name is not None and node.name != name:
                continue
            if prefix is not None and not (node.name or "").startswith(prefix):
                continue
            return node
        except Exception:
            continue
    return None


def frame(app, title):
    for i in range(app.childCount):
        child = app.getChildAtIndex(i)
        if child is not None and child.getRoleName() == "frame" and child.name == title:
            return child
    return None


def click(node):
    action = node.queryAction()
    for i in range(action.nActions):
        if action.getName(i) in ("click", "activate", "press"):
            action.doAction(i)
            return
    action.doAction(0)


def app_action(name, parameter=None):
    args = ["gapplication", "action", APP_ID, name]
    if parameter is not None:
        args.append(parameter)
    subprocess.run(args, check=True, timeout=DEADLINE)


def main():
    file_name = sys.argv[1]
    app = wait_for("the Winnow application on the accessibility bus", application)
    found = []

    # the dialog the file opens, once it has read the file
    dialog = wait_for("the dialog", lambda: frame(app, f"Clean “{file_name}”"))
    wait_for("the dialog's columns", lambda: find(dialog, "check box", name="Keep email"))
    wait_for("the dialog's forecast", lambda: find(dialog, "label", prefix="In all"))
    found += problems(dialog, "dialog")
    click(wait_for("the Clean button", lambda: find(dialog, "push button", name="Clean")))

    # the window: its list with the task finished, and the task's page
    window = wait_for("the window", lambda: frame(app, "Winnow"))
    wait_for("the task, completed",
             lambda: find(window, "table row", prefix=f"{file_name}, Completed"))
    found += problems(window, "list")
    app_action("show-task", "int64 1")
    wait_for("the task page's Open Result button",
             lambda: find(window, "push button", name="Open Result"))
    wait_for("the task page's columns", lambda: find(window, "label", name="signup_date"))
    found += problems(window, "task page")

    # the Preferences
    app_action("preferences")
    preferences = wait_for("the Preferences", lambda: frame(app, "Preferences"))
    wait_for("the Preferences' rows", lambda: find(preferences, "label", name="Output Folder")
             or find(preferences, "label", name="Output folder"))
    found += problems(preferences, "preferences")

    for problem in found:
        print(f"a11y: {problem}")
    if found:
        sys.exit(f"a11y: {len(found)} nodes a screen reader would read wrong")
    print("a11y: every node read has a name a person would say")


if __name__ == "__main__":
    main()
