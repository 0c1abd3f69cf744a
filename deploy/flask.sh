#!/usr/bin/env bash
# Runs `flask --app wsgi ARGS...` the way the services run it: as the checkin user, in the app
# folder, with the environment of /etc/nordby-checkin/env. Run it as root:
#
#   deploy/flask.sh db upgrade
#   deploy/flask.sh check
#   deploy/flask.sh create-user --role admin --email anna@example.dk --name "Anna Madsen"
#
# CHECKIN_ENV_FILE and CHECKIN_USER name another env file or user. The file is read as systemd
# reads an EnvironmentFile: KEY=value lines, '#' comments, one pair of quotes around a value
# removed, nothing else interpreted.
set -euo pipefail

app_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
env_file="${CHECKIN_ENV_FILE:-/etc/nordby-checkin/env}"
user="${CHECKIN_USER:-checkin}"

[ -r "$env_file" ] || {
    echo "flask.sh: cannot read $env_file (run as root; see deploy/README.md)" >&2
    exit 1
}
variables=()
while IFS= read -r line || [ -n "$line" ]; do
    line="${line#"${line%%[![:space:]]*}"}"
    case "$line" in
        "" | "#"* | ";"*) continue ;;
        *=*) ;;
        *) continue ;;
    esac
    key="${line%%=*}"
    value="${line#*=}"
    if [[ "$value" =~ ^\"(.*)\"$ || "$value" =~ ^\'(.*)\'$ ]]; then
        value="${BASH_REMATCH[1]}"
    fi
    variables+=("${key%"${key##*[![:space:]]}"}=$value")
done <"$env_file"

cd "$app_dir"
exec runuser -u "$user" -- env "${variables[@]}" "$app_dir/.venv/bin/flask" --app wsgi "$@"
