#!/bin/sh
# gtk4-builder-tool validate on every .ui file of src/ui, with libadwaita's
# and Winnow's types registered by a preloaded module (the tool knows only
# GTK's own).
#
# usage: validate-ui.sh PRELOAD_MODULE SOURCE_ROOT
set -eu
module=$1
root=$2
status=0
for ui in "$root"/src/ui/*.ui; do
    if ! LD_PRELOAD="$module" gtk4-builder-tool validate "$ui"; then
        echo "invalid: ${ui#"$root"/}"
        status=1
    fi
done
exit $status
