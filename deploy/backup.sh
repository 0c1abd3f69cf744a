#!/usr/bin/env bash
# Nordby Check-in: one consistent backup of the database, and the oldest ones removed.
#
#   deploy/backup.sh            (systemd: nordby-checkin-backup.service, nightly)
#
# Reads from the environment (the unit loads /etc/nordby-checkin/env):
#   DATABASE_URL            the app's database; unset means the SQLite file checkin.sqlite in
#                           the instance folder (CHECKIN_INSTANCE_PATH, default instance/)
#   CHECKIN_BACKUP_DIR      where backups go (default /var/backups/nordby-checkin)
#   CHECKIN_BACKUP_KEEP     how many backups to keep (default 14: two weeks of nightly runs)
# PostgreSQL: `pg_dump --format=custom` (one snapshot, taken while the app keeps running;
# restore with pg_restore, see deploy/README.md). SQLite: sqlite3's online `.backup`.
# Prints the new file's path. Copy the folder off the machine as well (README: Backups).
set -euo pipefail
umask 077

app_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${CHECKIN_PYTHON:-$app_dir/.venv/bin/python}"
backup_dir="${CHECKIN_BACKUP_DIR:-/var/backups/nordby-checkin}"
keep="${CHECKIN_BACKUP_KEEP:-14}"

fail() {
    echo "backup: $*" >&2
    exit 1
}
[[ "$keep" =~ ^[1-9][0-9]*$ ]] || fail "CHECKIN_BACKUP_KEEP must be a positive number, not '$keep'"

# The URL is parsed the way the app parses it (SQLAlchemy), into libpq's variables: the password
# never appears on a command line, and percent-escapes and ?host=/run/postgresql work.
instance="${CHECKIN_INSTANCE_PATH:-$app_dir/instance}"
settings="$(DEFAULT_SQLITE="$instance/checkin.sqlite" "$python" - <<'PY'
import os
import shlex

from sqlalchemy.engine import make_url

url = make_url(os.environ.get("DATABASE_URL") or "sqlite:///" + os.environ["DEFAULT_SQLITE"])
if url.get_backend_name() == "postgresql":
    values = {
        "kind": "postgresql",
        "PGHOST": url.query.get("host") or url.host or "",
        "PGPORT": str(url.port or ""),
        "PGUSER": url.username or "",
        "PGPASSWORD": url.password or "",
        "PGDATABASE": url.database or "",
    }
elif url.get_backend_name() == "sqlite":
    values = {"kind": "sqlite", "sqlite_path": url.database or ""}
else:
    values = {"kind": url.get_backend_name()}
for key, value in values.items():
    print(f"{key}={shlex.quote(value if isinstance(value, str) else value[0])}")
PY
)" || fail "could not read DATABASE_URL (with $python)"
kind=""
sqlite_path=""
eval "$settings"

mkdir -p "$backup_dir"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
case "$kind" in
    postgresql)
        # Empty values would override libpq's defaults (socket, OS user): export only the set.
        for name in PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE; do
            if [ -n "${!name}" ]; then export "${name?}"; else unset "$name"; fi
        done
        command -v pg_dump >/dev/null 2>&1 || fail "pg_dump not found (apt-get install postgresql-client)"
        target="$backup_dir/checkin-$stamp.dump"
        pg_dump --format=custom --file="$target.partial"
        ;;
    sqlite)
        [ -f "$sqlite_path" ] || fail "no SQLite database at $sqlite_path"
        command -v sqlite3 >/dev/null 2>&1 || fail "sqlite3 not found (apt-get install sqlite3)"
        target="$backup_dir/checkin-$stamp.sqlite"
        # .backup copies a consistent snapshot while the app keeps writing (WAL included).
        sqlite3 "$sqlite_path" ".backup '$target.partial'"
        ;;
    *)
        fail "cannot back up a '$kind' database"
        ;;
esac
# Only a complete file gets the final name, so rotation never counts a broken one.
mv "$target.partial" "$target"

# Keep the newest $keep backups (names sort by time).
mapfile -t old < <(find "$backup_dir" -maxdepth 1 -type f -name 'checkin-*Z.dump' -o \
    -maxdepth 1 -type f -name 'checkin-*Z.sqlite' | sort -r | tail -n +"$((keep + 1))")
if ((${#old[@]})); then
    rm -f -- "${old[@]}"
fi
echo "$target"
