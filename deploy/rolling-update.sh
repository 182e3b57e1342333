#!/usr/bin/env bash
# Rolling update: build a new store, then restart one app process at a time on it.
#
#   deploy/rolling-update.sh /srv/smartcities/incoming   # a folder (or .zip) of data files
#
# 1. Build the new store beside the old one (a failed build changes nothing; --strict: a report
#    with any error stops here).
# 2. Point /srv/smartcities/current.duckdb at it (a symlink switched atomically). Running
#    processes keep the file they opened; only restarted ones read the new one.
# 3. For each process: mark it "down" in nginx (ip_hash keeps everyone else on their process),
#    reload nginx, restart the process, wait until /_stcore/health answers, put it back.
#    Sessions on the other process are not touched; the sessions of the restarted process
#    reconnect to the other one (Streamlit reconnects its websocket by itself) and start anew.
set -euo pipefail
SOURCE=${1:?usage: rolling-update.sh SOURCE}
APP=${APP:-/opt/smartcities}
STORES=${STORES:-/srv/smartcities}
PORTS=${PORTS:-"8601 8602"}
SERVER_NAME=${SERVER_NAME:-dashboard.example.gov.in}
LISTEN=${LISTEN:-80}
CONF=${CONF:-/etc/nginx/conf.d/smartcities.conf}
PY="$APP/.venv/bin/python"

new="$STORES/store-$(date -u +%Y%m%dT%H%M%SZ).duckdb"
"$PY" -m smartcities build "$SOURCE" --out "$new" --strict
ln -sfn "$new" "$STORES/.current.tmp" && mv -T "$STORES/.current.tmp" "$STORES/current.duckdb"

render() { "$PY" "$APP/deploy/render.py" --server-name $SERVER_NAME --listen "$LISTEN" \
             --ports $PORTS --out "$CONF" "$@"; nginx -t -q && nginx -s reload; }

for port in $PORTS; do
  render --down "$port"
  systemctl restart "smartcities@$port"
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$port/_stcore/health" >/dev/null; then break; fi
    sleep 1
  done
  curl -fsS "http://127.0.0.1:$port/_stcore/health" >/dev/null \
    || { echo "process $port did not come back; it stays out of nginx" >&2; exit 1; }
  render
done
echo "serving $new"
# Old stores can be deleted once no process has them open: lsof "$STORES"/store-*.duckdb
