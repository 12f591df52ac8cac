#!/usr/bin/python3
"""End to end: drive the real Winnow through the accessibility tree (AT-SPI),
as a screen reader or a person with a keyboard would.

Started by run.sh inside a D-Bus session with the AT-SPI bus, against a
temporary database, with a sample CSV file given on the command line:
confirms the configuration dialog the file opens (its columns, what it
says the recipe will do), finds the task in the list by its file name, waits until its status cell
reads "Completed", checks the controls by their accessible names, then
launches Winnow a second time with another file and checks that the
running window got that task (the second process exits at once).
"""
import subprocess
import sys
import time

import pyatspi

DEADLINE = 30


APP = None


def dump(root):
    for node in walk(root):
        try:
            print(f"  {node.getRoleName()}: {node.name!r}")
        except Exception:
            pass


def wait_for(what, find):
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        found = find()
        if found is not None:
            return found
        time.sleep(0.1)
    if APP is not None:
        print("e2e: the accessibility tree:")
        dump(APP)
    sys.exit(f"e2e: gave up waiting for {what}")


def walk(node, depth=0):
    if node is None or depth > 60:
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


def application():
    desktop = pyatspi.Registry.getDesktop(0)
    for app in desktop:
        if app is not None and app.name in ("winnow", "Winnow"):
            return app
    return None


def texts(node):
    """The accessible name, and the text of text-bearing nodes (GTK 4.8
    names a label without an accessible label after its type)."""
    found = [node.name or ""]
    try:
        found.append(node.queryText().getText(0, -1))
    except Exception:
        pass
    return found


def find(root, role, name=None, contains=None):
    for node in walk(root):
        try:
            if node.getRoleName() != role:
                continue
            candidates = texts(node)
            if name is not None and name not in candidates:
                continue
            if contains is not None and not any(contains in t for t in candidates):
                continue
            return node
        except Exception:
            continue
    return None


def click(node):
    action = node.queryAction()
    for i in range(action.nActions):
        if action.getName(i) in ("click", "activate", "press"):
            action.doAction(i)
            return
    action.doAction(0)


def clean_dialog(app, forecast):
    wait_for("the column switches of the dialog",
             lambda: find(app, "check box", contains="Keep email"))
    label = wait_for(f"the forecast “{forecast}”",
                     lambda: find(app, "label", contains=forecast))
    print("e2e: the dialog says " + next(t for t in texts(label) if forecast in t))
    button = wait_for("the Clean button", lambda: find(app, "push button", contains="Clean"))
    click(button)
    wait_for("the dialog to close",
             lambda: None if find(app, "push button", contains="Clean") else True)


def main():
    file_name = sys.argv[1]
    global APP
    app = wait_for("the Winnow application on the accessibility bus", application)
    APP = app
    print(f"e2e: found {app.name}")

    # the file opens the configuration dialog: it reads the file, says
    # what the recipe will do, and Clean makes the task
    clean_dialog(app, "14 rows: 3 duplicates, 1 row with missing values. 10 rows kept.")

    wait_for(f"a row for {file_name}", lambda: find(app, "label", name=file_name))
    status = wait_for("the status “Completed” in the list",
                      lambda: find(app, "label", name="Completed"))
    print(f"e2e: the list says {status.name or 'Completed'}")

    # the controls have their accessible names (GTK 4.8 repeats a button's
    # label in its name: "Open Open")
    wait_for("the Open button", lambda: find(app, "push button", contains="Open"))
    wait_for("the search entry", lambda: find(app, "entry", name="Search file names"))
    wait_for("the main menu button", lambda: find(app, "push button", name="Main menu"))
    for status in ("Queued", "Running", "Completed", "Failed", "Cancelled"):
        wait_for(f"the {status} filter", lambda: find(app, "push button", name=status))

    # the list reads as a table: the row has the counts of the task
    wait_for("the rows in and out", lambda: find(app, "label", name="14 → 10"))

    # a second launch: the running instance takes the file, and the
    # launcher exits without a window of its own
    binary, second = sys.argv[2], sys.argv[3]
    second_name = second.rsplit("/", 1)[-1]
    launch = subprocess.run([binary, second], timeout=DEADLINE)
    if launch.returncode != 0:
        sys.exit(f"e2e: the second launch exited with {launch.returncode}")
    clean_dialog(app, "10 rows kept.")
    wait_for(f"a row for {second_name} in the first window",
             lambda: find(app, "label", name=second_name))
    apps = [a for a in pyatspi.Registry.getDesktop(0)
            if a is not None and a.name in ("winnow", "Winnow")]
    if len(apps) != 1:
        sys.exit(f"e2e: {len(apps)} Winnow applications on the bus, expected one")
    print(f"e2e: the running window took {second_name}")
    print("e2e: passed")


if __name__ == "__main__":
    main()
