#!/bin/sh
# `meson install` into a DESTDIR puts exactly Winnow's files in place:
# the binaries (winnow, and the window's winnow-gui), the desktop file, the D-Bus service, the metainfo, the icons,
# the settings schema and the translations; and the installed desktop file
# and metainfo carry the translations.
#
# usage: check-install.sh BUILD_DIR PREFIX
set -eu
build=$1
prefix=$2
destdir=$(mktemp -d)
trap 'rm -rf "$destdir"' EXIT

meson install -C "$build" --destdir "$destdir" --no-rebuild --quiet > /dev/null

id=io.github.winnow.Winnow
expected="bin/winnow
libexec/winnow-gui
share/applications/$id.desktop
share/dbus-1/services/$id.service
share/glib-2.0/schemas/$id.gschema.xml
share/icons/hicolor/scalable/apps/$id.svg
share/icons/hicolor/symbolic/apps/$id-symbolic.svg
share/locale/de/LC_MESSAGES/winnow.mo
share/locale/fr/LC_MESSAGES/winnow.mo
share/metainfo/$id.metainfo.xml"

actual=$(cd "$destdir$prefix" && find . -type f | sed 's|^\./||' | sort)
if [ "$actual" != "$expected" ]; then
    echo "installed files differ from the expected list:"
    printf '%s\n' "$expected" > "$destdir/expected"
    printf '%s\n' "$actual" > "$destdir/actual"
    diff -u "$destdir/expected" "$destdir/actual" || true
    exit 1
fi

share="$destdir$prefix/share"
grep -q '^Comment\[de\]=' "$share/applications/$id.desktop" ||
    { echo "the installed desktop file has no German comment"; exit 1; }
grep -q '^Comment\[fr\]=' "$share/applications/$id.desktop" ||
    { echo "the installed desktop file has no French comment"; exit 1; }
grep -q 'xml:lang="de"' "$share/metainfo/$id.metainfo.xml" ||
    { echo "the installed metainfo has no German text"; exit 1; }
grep -q "Exec=$prefix/bin/winnow --gapplication-service" "$share/dbus-1/services/$id.service" ||
    { echo "the D-Bus service does not start the installed binary"; exit 1; }
echo "installed: $(echo "$expected" | wc -l) files, translated"
