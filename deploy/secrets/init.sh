#!/usr/bin/env bash
# Creates the secret files deploy/compose.yaml mounts (each missing one only; existing files are
# kept). Passwords are random; the Redis and MySQL URLs are built from them. Broker keys come from
# ALPACA_KEY_ID / ALPACA_SECRET_KEY in this script's environment, else the simulator's
# fake pair (sim-key / sim-secret), which only `--profile sim` with
# ALPACA_BASE_URL=http://alpaca-sim:8090 accepts.
set -euo pipefail
cd "$(dirname "$0")"

random() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# Compose bind-mounts these files with their host permissions, and the containers run as
# non-root users (Friren 10001, MySQL and Redis 999, Grafana 472): the files must be readable by
# them. Keep the directory itself private to the operator on a shared host.
# write NAME VALUE: creates ./NAME with VALUE unless it exists.
write() {
  if [[ -s $1 ]]; then
    echo "secrets: $1 kept"
  else
    printf '%s' "$2" >"$1"
    chmod 0644 "$1"
    echo "secrets: $1 written"
  fi
}

write redis_password "$(random)"
write mysql_root_password "$(random)"
write mysql_password "$(random)"
write friren_api_token "$(random)"
write grafana_admin_password "$(random)"
write redis_url "redis://:$(cat redis_password)@redis:6379"
write mysql_url "mysql://friren:$(cat mysql_password)@mysql:3306/friren"
if [[ -z ${ALPACA_KEY_ID:-} || -z ${ALPACA_SECRET_KEY:-} ]]; then
  [[ -s alpaca_key_id ]] || echo "secrets: no ALPACA_KEY_ID/ALPACA_SECRET_KEY given: writing the simulator's fake pair"
fi
write alpaca_key_id "${ALPACA_KEY_ID:-sim-key}"
write alpaca_secret_key "${ALPACA_SECRET_KEY:-sim-secret}"
