#!/usr/bin/env bash
# Back up the rehab database into one file in PostgreSQL's custom format.
#
#   DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/NAME scripts/backup.sh [DIR]
#
# Writes DIR/rehab-YYYYmmddTHHMMSSZ.dump (DIR defaults to var/backups in the checkout;
# in production give a folder outside it). The dump is written under a temporary name,
# checked with `pg_restore --list`, and only then given its final name, so a failed
# backup leaves no half file. The file is readable by its owner only.
#
# Exit status: 0 done, 1 the dump or its check failed, 2 wrong use (no or no PostgreSQL
# DATABASE_URL, bad arguments). Restore with scripts/restore.sh; see docs/operations.md.
set -euo pipefail

usage() {
    echo "usage: DATABASE_URL=postgres://... $0 [DIR]" >&2
    exit 2
}

fail() {
    echo "backup.sh: $*" >&2
    exit 1
}

# shellcheck source=scripts/database_url.sh
source "$(dirname "${BASH_SOURCE[0]}")/database_url.sh"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

case "${1:-}" in
    -h | --help) usage ;;
    -*) echo "backup.sh: unknown option: $1" >&2; usage ;;
esac
[[ $# -le 1 ]] || usage

if [[ -z ${DATABASE_URL:-} ]]; then
    echo "backup.sh: DATABASE_URL is not set; it must name the PostgreSQL database to back up." >&2
    exit 2
fi
if ! split_database_url "$DATABASE_URL"; then
    echo "backup.sh: DATABASE_URL is not a PostgreSQL URL (postgres://...); only PostgreSQL databases can be backed up with this script." >&2
    exit 2
fi

command -v pg_dump >/dev/null 2>&1 || fail "pg_dump is not installed (PostgreSQL client tools, version 15 or newer)"
command -v pg_restore >/dev/null 2>&1 || fail "pg_restore is not installed (PostgreSQL client tools, version 15 or newer)"

dir=${1:-${ROOT}/var/backups}
umask 077
mkdir -p -- "$dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
final="$dir/rehab-$stamp.dump"
partial="$dir/.rehab-$stamp.dump.partial"
[[ ! -e $final ]] || fail "$final exists already"

cleanup() {
    rm -f -- "$partial"
}
trap cleanup EXIT

echo "Backing up $target ..."
pg_dump --format=custom --no-owner --no-privileges --file="$partial" --dbname="$url" \
    || fail "pg_dump failed; no backup was written"
pg_restore --list "$partial" >/dev/null \
    || fail "the dump cannot be read back (pg_restore --list failed); no backup was written"
mv -- "$partial" "$final"
trap - EXIT

size=$(wc -c <"$final")
echo "Backup written: $final ($((size)) bytes)"
cat <<'EOF'
Not in this file, back them up separately:
  - the keys, in .env or wherever the environment comes from: IDENTITY_ENCRYPTION_KEYS,
    IDENTITY_LOOKUP_KEY, PSEUDONYM_KEY and SECRET_KEY. Without IDENTITY_ENCRYPTION_KEYS
    no identity number in the backup can be read. Keep them apart from the dumps.
  - files: MEDIA_ROOT (uploads) is file-system data; back it up with the dumps.
    PRIVATE_ROOT (reports and extracts, which expire, and uploaded bundles) is short-lived.
The dump holds health and identity data: store it encrypted and off this host.
EOF
