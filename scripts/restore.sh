#!/usr/bin/env bash
# Restore a dump made by scripts/backup.sh into the database named by DATABASE_URL.
#
#   DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/NAME scripts/restore.sh [--force] DUMPFILE
#
# The target database must exist and be empty; a database that already has tables is
# refused unless --force is given, which drops and recreates every object of the dump
# (pg_restore --clean --if-exists). The restore runs in one transaction: it either
# completes or leaves the database as it was. Then it is vacuumed and analysed. Afterwards `manage.py migrate --check`
# confirms the schema matches the code (PYTHON names the interpreter, default
# .venv/bin/python in the checkout; --no-migrate-check skips this where the application
# is not installed), and the row counts of a few key tables are printed.
#
# Exit status: 0 done, 1 refused or failed (or migrations are pending), 2 wrong use.
# Stop the application (web, worker, beat) before restoring. See docs/operations.md.
set -euo pipefail

usage() {
    echo "usage: DATABASE_URL=postgres://... $0 [--force] [--no-migrate-check] DUMPFILE" >&2
    exit 2
}

fail() {
    echo "restore.sh: $*" >&2
    exit 1
}

# shellcheck source=scripts/database_url.sh
source "$(dirname "${BASH_SOURCE[0]}")/database_url.sh"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

force=0
migrate_check=1
dump=
while [[ $# -gt 0 ]]; do
    case "$1" in
        --force) force=1 ;;
        --no-migrate-check) migrate_check=0 ;;
        -h | --help) usage ;;
        --) shift; [[ $# -eq 1 && -z $dump ]] || usage; dump=$1 ;;
        -*) echo "restore.sh: unknown option: $1" >&2; usage ;;
        *) [[ -z $dump ]] || usage; dump=$1 ;;
    esac
    shift
done
[[ -n $dump ]] || usage

if [[ -z ${DATABASE_URL:-} ]]; then
    echo "restore.sh: DATABASE_URL is not set; it must name the PostgreSQL database to restore into." >&2
    exit 2
fi
if ! split_database_url "$DATABASE_URL"; then
    echo "restore.sh: DATABASE_URL is not a PostgreSQL URL (postgres://...); only PostgreSQL databases can be restored with this script." >&2
    exit 2
fi
if [[ ! -f $dump || ! -r $dump ]]; then
    echo "restore.sh: no readable file $dump" >&2
    exit 2
fi

for tool in pg_restore psql; do
    command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed (PostgreSQL client tools, version 15 or newer)"
done

sql() {
    psql --no-psqlrc --quiet --tuples-only --no-align --field-separator=' ' \
        --set=ON_ERROR_STOP=1 --dbname="$url" --command="$1"
}

pg_restore --list "$dump" >/dev/null || fail "$dump is not a dump pg_restore can read"

relations=$(sql "SELECT count(*) FROM pg_catalog.pg_class c
                 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                   AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'") \
    || fail "cannot connect to $target"

clean=()
if [[ $relations -gt 0 ]]; then
    if [[ $force -eq 0 ]]; then
        fail "$target is not empty ($relations tables, views or sequences); restore into an empty database, or give --force to replace the objects of the dump"
    fi
    echo "$target is not empty ($relations tables, views or sequences): --force, replacing them."
    clean=(--clean --if-exists)
fi

echo "Restoring $dump into $target ..."
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction ${clean[@]+"${clean[@]}"} \
    --dbname="$url" "$dump" \
    || fail "pg_restore failed; the transaction was rolled back, the database is as it was"

# pg_restore leaves no planner statistics and no row marked all-visible: the first days
# would be slow (docs/operations.md, "Scaling out").
echo "Vacuuming and analysing (VACUUM (ANALYZE)) ..."
sql "VACUUM (ANALYZE)" || fail "VACUUM (ANALYZE) failed; the data are restored, run it again by hand"

echo "Rows in key tables:"
sql "SELECT 'participants_participant', count(*) FROM participants_participant
     UNION ALL SELECT 'measures_enrollment', count(*) FROM measures_enrollment
     UNION ALL SELECT 'participants_followup', count(*) FROM participants_followup" \
    | while read -r table rows; do printf '  %-26s %s\n' "$table" "$rows"; done

if [[ $migrate_check -eq 1 ]]; then
    python=${PYTHON:-.venv/bin/python}
    echo "Checking migrations (manage.py migrate --check) ..."
    if ! (cd "$ROOT" && "$python" manage.py migrate --check --no-input); then
        fail "the restored schema is not that of this code: the dump is from an older version (run 'python manage.py migrate') or the check could not run"
    fi
    echo "Migrations: the schema is current."
else
    echo "Migrations not checked: run 'python manage.py migrate --check' where the application runs."
fi
echo "Restore done. Restore MEDIA_ROOT's files too, and run with the keys (IDENTITY_ENCRYPTION_KEYS, IDENTITY_LOOKUP_KEY) the dump was made under."
