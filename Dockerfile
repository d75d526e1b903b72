# The rehab application image: gunicorn serving Django (static files through whitenoise).
# The same image runs the Celery worker and beat (see docker-compose.yml).
#
#   docker build -t rehab .
#
# Configuration comes from the environment at run time (see .env.example and
# docs/operations.md). The image defaults to DEBUG=0, so SECRET_KEY and ALLOWED_HOSTS must
# be set or the container stops at start-up.
FROM python:3.11-slim-bookworm

# Libraries WeasyPrint (PDF reports) loads at run time. libharfbuzz-subset0 is optional:
# WeasyPrint uses it for font subsetting when present.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# An unprivileged user that owns only the data directories, not the code.
RUN groupadd --system --gid 10001 rehab \
    && useradd --system --uid 10001 --gid rehab --create-home --home-dir /home/rehab \
        --shell /usr/sbin/nologin rehab

ENV PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=rehab.settings \
    DEBUG=0 \
    MEDIA_ROOT=/var/lib/rehab/media \
    PRIVATE_ROOT=/var/lib/rehab/private \
    WEB_CONCURRENCY=3 \
    GUNICORN_CMD_ARGS="--access-logfile - --timeout 60 --graceful-timeout 30 --max-requests 1000 --max-requests-jitter 100 --worker-tmp-dir /dev/shm"

WORKDIR /app

# `pip install .` installs the dependencies declared in pyproject.toml. The code itself
# runs from /app (PYTHONPATH), because templates/, static/ and locale/ live beside
# manage.py and settings.py finds them relative to the source tree.
COPY . .
RUN pip install . \
    && rm -rf build ./*.egg-info

# Hashed, compressed static files for whitenoise. Settings refuse to load with DEBUG off
# and no SECRET_KEY/ALLOWED_HOSTS, so throwaway values are given for this step only;
# they are not kept in the image's environment.
RUN DEBUG=0 SECRET_KEY=collectstatic-only-not-a-secret ALLOWED_HOSTS=localhost \
        IDENTITY_ENCRYPTION_KEYS=Y29sbGVjdHN0YXRpYy1vbmx5LW5vdC1hLXNlY3JldCE= \
        IDENTITY_LOOKUP_KEY=collectstatic-only-not-a-secret \
        python manage.py collectstatic --no-input \
    && python -m compileall -q rehab participants measures providers evaluations

# Writable places: uploaded/generated files (MEDIA_ROOT), reports, extracts and uploaded
# bundles (PRIVATE_ROOT), the Celery beat schedule, and var/ for the embedded SQLite
# default when no DATABASE_URL is given.
RUN mkdir -p /var/lib/rehab/media /var/lib/rehab/private /var/lib/rehab/beat /app/var \
    && chown -R rehab:rehab /var/lib/rehab /app/var

USER 10001:10001

EXPOSE 8000

# Asks for the login page with a Host header Django accepts (the first ALLOWED_HOSTS entry)
# and X-Forwarded-Proto as a TLS-terminating proxy would send it. Any error or a 4xx/5xx
# answer makes the check fail.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; h = os.environ.get('ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.'); h = h if h and h != '*' else 'localhost'; r.urlopen(r.Request('http://127.0.0.1:8000/accounts/login/', headers={'Host': h, 'X-Forwarded-Proto': 'https'}), timeout=5)"]

# Worker processes: WEB_CONCURRENCY (gunicorn reads it). 3 suits a 1-2 core host; the usual
# ceiling is 2 x cores + 1, within memory. Further options: GUNICORN_CMD_ARGS above.
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "rehab.wsgi:application"]
