#!/usr/bin/env bash
# The main job on the embedded default: validate both examples and show what exists.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
echo "== Validating the example configurations"
for example in examples/kobenhavn examples/hvidovre; do
  "$BIN/frontdesk" validate "$example"
done
echo
echo "== Installed plugins"
"$BIN/frontdesk" plugins
