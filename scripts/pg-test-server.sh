# Sourced by `make test`: exports TELBILL_TEST_PG_URL pointing at a PostgreSQL server that answers.
# Uses the given (or default) URL when a server answers there; otherwise starts a throwaway cluster from
# Debian's postgresql package in a temporary folder and stops it when the shell exits.
: "${TELBILL_TEST_PG_URL:=postgresql://postgres@127.0.0.1:5432/test}"
export TELBILL_TEST_PG_URL
_pg_answers() { .venv/bin/python - "$1" <<'PY'
import sys
import psycopg
try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except Exception:
    sys.exit(1)
PY
}
if ! _pg_answers "$TELBILL_TEST_PG_URL"; then
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$pgbin" ]; then
    bash scripts/ensure-debian-packages.sh postgresql
    pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  _pg_dir=$(mktemp -d /tmp/telbill-pg.XXXXXX)
  _pg_port=$(( 20000 + RANDOM % 20000 ))
  chmod 777 "$_pg_dir"
  _pg_run() { if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
  _pg_run "$pgbin/initdb -D $_pg_dir/data -U postgres -A trust >/dev/null"
  _pg_run "$pgbin/pg_ctl -D $_pg_dir/data -o '-p $_pg_port -k $_pg_dir -c listen_addresses=127.0.0.1' -l $_pg_dir/log -w start >/dev/null"
  _pg_run "$pgbin/createdb -h 127.0.0.1 -p $_pg_port -U postgres test"
  export TELBILL_TEST_PG_URL="postgresql://postgres@127.0.0.1:$_pg_port/test"
  echo "throwaway PostgreSQL cluster at $TELBILL_TEST_PG_URL"
  trap "_pg_run '$pgbin/pg_ctl -D $_pg_dir/data -m immediate stop >/dev/null'; rm -rf $_pg_dir" EXIT
fi
