# Sourced by backup.sh and restore.sh: the one place that reads DATABASE_URL for the
# PostgreSQL tools.
# url and target are read by the scripts that source this file.
# shellcheck shell=bash disable=SC2034

# DATABASE_URL split for libpq: sets `url` (the URL without its password; PostgreSQL's
# other scheme names of django-environ become postgresql://), `target` (host:port/name,
# for messages) and PGPASSWORD (the password, decoded), so that no command line shows the
# password: every local user can read those (ps). Fails for a URL that is not PostgreSQL's.
split_database_url() {
    local rest authority path userinfo password
    case "$1" in
        postgres://* | postgresql://* | pgsql://* | psql://* | postgis://*) ;;
        *) return 1 ;;
    esac
    rest=${1#*://}
    authority=${rest%%[/?]*}
    path=${rest:${#authority}}
    url="postgresql://${authority##*@}$path"
    if [[ $authority == *@* ]]; then
        userinfo=${authority%@*}
        url="postgresql://${userinfo%%:*}@${authority##*@}$path"
        if [[ $userinfo == *:* ]]; then
            password=${userinfo#*:}
            PGPASSWORD=$(printf '%b' "${password//%/\\x}")
            export PGPASSWORD
        fi
    fi
    target="${authority##*@}${path%%\?*}"
}
