#!/usr/bin/env bash
# A live demonstration of the København reception: the clock starts on a weekday
# morning and runs forward (DEMO_SPEED times the wall clock, 2 by default), and the
# citizens and employees of a planner's scenario come and go through the real engines
# while a visitor walks the kiosk, watches the info screen or signs in as staff.
# Ctrl-C stops it. Its state is thrown away at each start (demo-data/demo.db).
# On the real clock instead:  DEMO_CLOCK=real make demo
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
echo "== Validating the example configurations"
for example in examples/kobenhavn examples/hvidovre; do
  "$BIN/frontdesk" validate "$example"
done
echo
DATA=demo-data
PORT="${PORT:-8000}"
PASSWORD=demo
SCENARIO="${DEMO_SCENARIO:-examples/kobenhavn/scenarios/normal-day.yaml}"
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
echo "   staff sign-in: medarbejder / $PASSWORD (employee), leder / $PASSWORD (manager)"
if [ "${DEMO_CLOCK:-demo}" = "real" ]; then
  echo "== Serving examples/kobenhavn on the real clock, on $DATA/frontdesk.db"
  exec "$BIN/frontdesk" serve examples/kobenhavn --db "$DATA/frontdesk.db" \
    --display "$DATA/display.yaml" --host 127.0.0.1 --port "$PORT"
fi
rm -f "$DATA/demo.db" "$DATA/demo.db-wal" "$DATA/demo.db-shm"
echo "== Serving examples/kobenhavn with simulated citizens from $SCENARIO"
echo "   (the last counter is left free: sign in there as 'medarbejder')"
exec "$BIN/frontdesk" serve examples/kobenhavn --db "$DATA/demo.db" \
  --display "$DATA/display.yaml" --host 127.0.0.1 --port "$PORT" \
  --demo "$SCENARIO" --speed "${DEMO_SPEED:-2}"
