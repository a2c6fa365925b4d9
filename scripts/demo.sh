#!/usr/bin/env bash
# The main job on the embedded default: validate both examples, then serve the
# København reception (kiosk, info screen, dashboards) on a SQLite file.
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
echo
DATA=demo-data
PORT="${PORT:-8000}"
PASSWORD=demo
mkdir -p "$DATA"
if [ ! -f "$DATA/display.yaml" ]; then
  # Demo staff accounts; the hashes are made here, never stored as plain text.
  hash=$(printf '%s\n' "$PASSWORD" | "$BIN/frontdesk" hash-password --stdin)
  cat >"$DATA/display.yaml" <<YAML
display:
  users:
    - {username: medarbejder, role: employee, name: Medarbejder, password_hash: '$hash'}
    - {username: leder, role: manager, name: Leder, password_hash: '$hash'}
  info: {da: "Velkommen til Borgerservice Nyropsgade. Husk billedlegitimation.", en: "Welcome. Remember photo ID."}
  session: {secret_file: $DATA/secret.key}
YAML
fi
echo "== Serving examples/kobenhavn on $DATA/frontdesk.db"
echo "   staff sign-in: medarbejder / $PASSWORD (employee), leder / $PASSWORD (manager)"
exec "$BIN/frontdesk" serve examples/kobenhavn --db "$DATA/frontdesk.db" \
  --display "$DATA/display.yaml" --host 127.0.0.1 --port "$PORT"
