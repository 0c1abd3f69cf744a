#!/usr/bin/env bash
# The scale-out drill (issue 10): the production setup of deploy/, run on 127.0.0.1 and put
# under load and failure, with a table of what must hold.
#
#   deploy/drill.sh          (CI runs it after the test suite: .ci/run)
#
# nginx (Debian's package, run from a folder of its own with the config made from
# deploy/nginx/checkin.conf, TLS with a certificate made here) in front of two gunicorn app
# servers (deploy/gunicorn.conf.py, 2 workers each) sharing a fresh PostgreSQL database
# (checkin_drill) and Redis (rate limits), two message workers (flask send-outbox --loop) and a
# mail server that keeps every message. Load comes from deploy/drill/*.py, each simulated
# resident or desk from its own 127.x.y.z address. Needs PostgreSQL on 127.0.0.1:5432 (user
# postgres, trusted) and Redis on 127.0.0.1:6379: .ci/run starts both.
#
# Every process it starts is stopped on exit, also on failure or Ctrl-C; logs are in a temp
# folder, kept (and their tails printed) when something fails; DRILL_KEEP_WORK=1 keeps it
# anyway. Exits non-zero when any line of the table does not hold. Ports: DRILL_HTTP_PORT,
# DRILL_HTTPS_PORT, DRILL_PORT_A, DRILL_PORT_B, DRILL_SMTP_PORT (18080, 18443, 18000, 18001,
# 18025).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$PWD"
drill_started=$SECONDS

hostname=checkin.drill.test
http_port="${DRILL_HTTP_PORT:-18080}"
https_port="${DRILL_HTTPS_PORT:-18443}"
port_a="${DRILL_PORT_A:-18000}"
port_b="${DRILL_PORT_B:-18001}"
smtp_port="${DRILL_SMTP_PORT:-18025}"
pg_admin="${DRILL_PG_ADMIN:-postgresql://postgres@127.0.0.1:5432}"
db=checkin_drill
restore_db=checkin_drill_restore
redis_db="${DRILL_REDIS_DB:-13}"
venv="$root/.venv"
py="$venv/bin/python"

work="$(mktemp -d /tmp/checkin-drill.XXXXXX)"
mkdir -p "$work"/{logs,run,tls,mail,backups,nginx/www,nginx/cache,nginx/tmp}

say() { printf 'drill: %s\n' "$*"; }
fail() {
    say "FAIL: $*" >&2
    exit 1
}

# ---------------------------------------------------------------- processes and clean-up
started=()  # pids of everything started here

# start NAME COMMAND...: in the background, output to logs/NAME.log, pid to run/NAME.pid.
start() {
    local name=$1
    shift
    "$@" >>"$work/logs/$name.log" 2>&1 &
    echo "$!" >"$work/run/$name.pid"
    started+=("$!")
    disown "$!"  # no job notice when the drill kills it on purpose; stop_all still stops it
}

children_of() { cat /proc/"$1"/task/*/children 2>/dev/null || true; }

stop_all() {
    local pid pids=()
    for pid in "${started[@]}"; do
        pids+=("$pid")
        # gunicorn workers and nginx workers, in case their master is gone already
        # shellcheck disable=SC2207
        pids+=($(children_of "$pid"))
    done
    ((${#pids[@]})) || return 0
    kill -TERM "${pids[@]}" 2>/dev/null || true
    for _ in $(seq 40); do
        kill -0 "${pids[@]}" 2>/dev/null || return 0
        sleep 0.25
    done
    kill -KILL "${pids[@]}" 2>/dev/null || true
}

cleanup() {
    local status=$?
    set +e
    stop_all
    if [ "$status" -ne 0 ]; then
        say "failed (exit $status); last lines of every log in $work/logs:" >&2
        for log in "$work"/logs/*.log; do
            [ -s "$log" ] || continue
            printf '\n==> %s <==\n' "$log" >&2
            tail -n 15 "$log" >&2
        done
        say "kept $work for a look" >&2
    fi
    say "took $((SECONDS - drill_started)) s"
    # Last: "drill: N passed, M failed" (one per line of the table).
    [ -s "$work/summary" ] && cat "$work/summary"
    if [ "$status" -eq 0 ] && [ -z "${DRILL_KEEP_WORK:-}" ]; then rm -rf "$work"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# phase NAME SECONDS [ARGS...]: one Python phase, stopped after SECONDS.
phase() {
    local name=$1 limit=$2 status=0
    shift 2
    say "phase $name (at most $limit s)"
    timeout --kill-after=10 "$limit" "$py" deploy/drill/run.py "$name" "$@" || status=$?
    if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
        "$py" deploy/drill/run.py fail "$name" "stopped after $limit s"
    elif [ "$status" -ne 0 ]; then
        return "$status"
    fi
}

# ---------------------------------------------------------------- what the drill needs
say "work folder $work"
timeout 900 bash scripts/install-system-deps.sh drill
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
# The app's packages from the lock file (and aiosmtpd, the drill's mail server, a test extra),
# the way `make` installs them; a no-op when they are there.
timeout 900 ./dev .venv/.installed-test >/dev/null
"$venv/bin/pybabel" compile -d checkin/translations >/dev/null 2>&1 ||
    fail "could not compile the translations"

pg_isready -q -h 127.0.0.1 -p 5432 || fail "PostgreSQL does not answer on 127.0.0.1:5432"
"$py" - "$redis_db" <<'PY' || fail "Redis does not answer on 127.0.0.1:6379"
import sys

import redis

# The drill's own database number: rate-limit counters of an earlier run must not count.
redis.Redis(host="127.0.0.1", port=6379, db=int(sys.argv[1]), socket_timeout=5).flushdb()
PY
for port in "$http_port" "$https_port" "$port_a" "$port_b" "$smtp_port"; do
    if "$py" -c "import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 1)" \
        "$port" 2>/dev/null; then
        fail "port $port on 127.0.0.1 is taken (set DRILL_*_PORT)"
    fi
done

# ---------------------------------------------------------------- database and scenario
say "fresh database $db"
psql "$pg_admin/postgres" -v ON_ERROR_STOP=1 -X -q \
    -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" \
    -c "DROP DATABASE IF EXISTS $restore_db WITH (FORCE)" \
    -c "CREATE DATABASE $db"

export CHECKIN_ENVIRONMENT=production
CHECKIN_SECRET_KEY="$("$py" -c 'import secrets; print(secrets.token_hex(32))')"
export CHECKIN_SECRET_KEY
export CHECKIN_PUBLIC_BASE_URL="https://$hostname:$https_port"
export CHECKIN_TRUSTED_PROXY_HOPS=1
export CHECKIN_RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/$redis_db"
export CHECKIN_RATELIMIT_KEY_PREFIX=checkin-drill
export CHECKIN_NOTIFY_DELIVER_AFTER_RESPONSE=false
export CHECKIN_NOTIFY_BACKEND_EMAIL=smtp
export CHECKIN_MAIL_SERVER=127.0.0.1
export CHECKIN_MAIL_PORT="$smtp_port"
export CHECKIN_MAIL_FROM="Nordby Check-in drill <noreply@drill.example>"
export FORWARDED_ALLOW_IPS=127.0.0.1
# The app's instance folder (config.py, file outbox) for this run only: a developer's own
# instance/ is neither read nor written.
export CHECKIN_INSTANCE_PATH="$work/instance"
db_url="postgresql+psycopg://${pg_admin#*://}/$db"
export DATABASE_URL="$db_url?application_name=checkin-drill-setup"
# For deploy/drill/*.py
export DRILL_WORK="$work" DRILL_HOSTNAME="$hostname" DRILL_HTTP_PORT="$http_port"
export DRILL_HTTPS_PORT="$https_port" DRILL_CAFILE="$work/tls/cert.pem" DRILL_PG_ADMIN="$pg_admin"
export DRILL_DB="$db" DRILL_RESTORE_DB="$restore_db"

timeout 120 "$venv/bin/flask" --app wsgi db upgrade >"$work/logs/migrate.log" 2>&1 ||
    fail "flask db upgrade failed (logs/migrate.log)"
phase seed 180

# ---------------------------------------------------------------- TLS and nginx
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj "/CN=$hostname" -addext "subjectAltName=DNS:$hostname" \
    -keyout "$work/tls/key.pem" -out "$work/tls/cert.pem" 2>"$work/logs/openssl.log"

# The site file is deploy/nginx/checkin.conf with this machine's ports, names and folders.
sed -e "s#/etc/letsencrypt/live/checkin.example.dk/fullchain.pem#$work/tls/cert.pem#" \
    -e "s#/etc/letsencrypt/live/checkin.example.dk/privkey.pem#$work/tls/key.pem#" \
    -e "s#checkin\.example\.dk#$hostname#g" \
    -e "s#server 127.0.0.1:8000 #server 127.0.0.1:$port_a #" \
    -e "s#server 127.0.0.1:8001 #server 127.0.0.1:$port_b #" \
    -e "s#listen 80#listen 127.0.0.1:$http_port#" \
    -e "s#listen 443#listen 127.0.0.1:$https_port#" \
    -e "/listen \[::\]/d" \
    -e "s#/var/cache/nginx/checkin#$work/nginx/cache#" \
    -e "s#/var/log/nginx/checkin\.#$work/logs/nginx-#" \
    -e "s#/var/www/html#$work/nginx/www#" \
    deploy/nginx/checkin.conf >"$work/nginx/checkin.conf"
if grep -nE 'example\.dk|/var/|/etc/letsencrypt|\[::\]|:800[01] |listen (80|443)' \
    "$work/nginx/checkin.conf"; then
    fail "deploy/nginx/checkin.conf changed: the lines above were not adapted for the drill"
fi
nginx_user=""
if [ "$(id -u)" -eq 0 ]; then
    # Workers run as nobody, as Debian's run as www-data: they only need their temp folders.
    nginx_user="user nobody nogroup;"
    chmod 711 "$work" "$work/nginx"
    chown -R nobody:nogroup "$work/nginx/cache" "$work/nginx/tmp"
fi
cat >"$work/nginx/nginx.conf" <<EOF
$nginx_user
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/logs/nginx-error.log warn;
events { worker_connections 4096; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path $work/nginx/tmp/client_body;
    proxy_temp_path $work/nginx/tmp/proxy;
    fastcgi_temp_path $work/nginx/tmp/fastcgi;
    uwsgi_temp_path $work/nginx/tmp/uwsgi;
    scgi_temp_path $work/nginx/tmp/scgi;
    include $work/nginx/checkin.conf;
}
EOF
nginx=("$nginx_bin" -p "$work/nginx" -e "$work/logs/nginx-error.log" -c "$work/nginx/nginx.conf")
"${nginx[@]}" -t -q 2>"$work/logs/nginx-test.log" ||
    { cat "$work/logs/nginx-test.log" >&2; fail "nginx -t refused the configuration"; }

# ---------------------------------------------------------------- start everything
start_app() {  # start_app a|b PORT
    rm -f "$work/run/app-$1.pid"
    DATABASE_URL="$db_url?application_name=checkin-web-$1" start "app-$1" \
        "$venv/bin/gunicorn" -c deploy/gunicorn.conf.py --bind "127.0.0.1:$2" --workers 2 \
        --access-logfile "$work/logs/app-$1-access.log" wsgi:app
}
say "starting the mail sink, 2 app servers, 2 message workers, nginx"
start smtp "$py" deploy/drill/smtp_sink.py "$smtp_port" "$work/mail"
start_app a "$port_a"
start_app b "$port_b"
for n in 1 2; do
    DATABASE_URL="$db_url?application_name=checkin-worker-$n" start "worker-$n" \
        "$venv/bin/flask" --app wsgi send-outbox --loop --interval 1
done
start nginx "${nginx[@]}" -g 'daemon off;'
phase wait 90 "$port_a" "$port_b" || fail "the app servers did not start (logs/app-*.log)"

# ---------------------------------------------------------------- the phases
phase check 90
phase edge 60
phase rush 240
phase outbox 90
phase desk 150
say "restarting app server B"
start_app b "$port_b"
phase ready 90 b "$port_b"
phase pgkill 90
phase backup 150
phase final 90

"$py" deploy/drill/run.py table
