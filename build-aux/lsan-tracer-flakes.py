#!/usr/bin/env python3
"""Prints the tests of a meson test log that failed only because
LeakSanitizer's own stop-the-world tracer crashed at exit.

That crash ("Tracer caught signal 11" then "LeakSanitizer has encountered
a fatal error") is a known, rare fault of the sanitizer runtime
(google/sanitizers#1353): it happens after the test has passed, before any
leak is looked at, and says nothing about our code.  build-aux/test-asan.sh
runs such tests once more; any other failure, or a failure whose output
carries a sanitizer report or a failed assertion, is never printed here and
stays a failure.

Exit status: 0 with one test name per line when every failure is such a
crash, 1 when some failure is real (or there is none to retry)."""

import json
import sys

SIGNATURE = ("Tracer caught signal", "LeakSanitizer has encountered a fatal error")
REAL = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
        "SUMMARY: ", "not ok ", "ERROR:", "Bail out!")


def main(log_path):
    flakes = []
    with open(log_path, encoding="utf-8") as log:
        for line in log:
            test = json.loads(line)
            if test.get("result") in ("OK", "SKIP", "EXPECTEDFAIL"):
                continue
            output = (test.get("stdout") or "") + (test.get("stderr") or "")
            if not all(s in output for s in SIGNATURE):
                return 1
            if any(s in output.replace("LeakSanitizer has encountered a fatal error", "")
                   for s in REAL):
                return 1
            # "winnow:ui / test-ui /ui/narrow" -> "test-ui /ui/narrow"
            flakes.append(test["name"].split(" / ", 1)[-1])
    if not flakes:
        return 1
    print("\n".join(flakes))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
