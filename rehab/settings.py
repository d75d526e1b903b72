"""Settings for the rehab project, read from the environment (see .env.example).

With nothing set the project runs on an embedded default: SQLite under var/, Celery
tasks in-process, DEBUG on. Deployments set DATABASE_URL, REDIS_URL, SECRET_KEY,
ALLOWED_HOSTS and DEBUG=0; with DEBUG off, SECRET_KEY and ALLOWED_HOSTS have no
defaults, so a bad deploy fails at start-up rather than on the first request.
"""

import base64
import hashlib
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-change-me")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
else:
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "simple_history",
    "axes",
    "providers",
    "participants",
    "measures",
    "evaluations",
]

MIDDLEWARE = [
    # First: everything after it (the sign-in lockout, the access log) reads the client's
    # address from REMOTE_ADDR.
    "rehab.proxy.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "rehab.sessions.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After a session ended: a notice on the login page, and htmx sent there as a whole page.
    "rehab.htmx.LoginRedirectMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Administrators and project leads give their second factor first.
    "participants.middleware.TwoFactorMiddleware",
    # In participant mode every page but the questionnaire leads back to it.
    "participants.participant_mode.ParticipantModeMiddleware",
    # Who made a change, for the change history.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: refuses the login of a locked-out account.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: counts failed logins and locks out after AXES_FAILURE_LIMIT of them.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five failed logins for one user name from one address lock that pair out for 30
# minutes; a successful login resets the count.
# Administrators and project leads sign in with a code from an authenticator app as well
# (participants/two_factor.py). Always with DEBUG off; the embedded default leaves it to
# each user, so the demo can be tried without a phone.
REQUIRE_TWO_FACTOR = env.bool("REQUIRE_TWO_FACTOR", default=not DEBUG)
OTP_TOTP_ISSUER = "rehab"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address: REMOTE_ADDR, which rehab.proxy takes from X-Forwarded-For behind
# PROXY_COUNT reverse proxies (docs/operations.md). Never the header itself: a client can
# write anything there.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
PROXY_COUNT = env.int("PROXY_COUNT", default=0)

ROOT_URLCONF = "rehab.urls"
WSGI_APPLICATION = "rehab.wsgi.application"

# Widgets find their templates in templates/ too (the employer picker's).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "participants.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'rehab.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the in-process task runner and the web server read while one writes. The
    # browser tests' in-memory database is shared-cache instead, where a read of a table
    # another thread is writing fails at once ("database table is locked") rather than
    # waiting: read_uncommitted lets it read (it has no effect outside shared cache).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                         "PRAGMA read_uncommitted=1;", "timeout": 20}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# A read replica (PostgreSQL streaming replication) for dashboards, reports and extracts
# (rehab/db_routers.py). In the tests it mirrors the primary.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"].update(
        ATOMIC_REQUESTS=False, CONN_MAX_AGE=DATABASES["default"].get("CONN_MAX_AGE", 0),
        CONN_HEALTH_CHECKS=True, TEST={"MIRROR": "default"})
DATABASE_ROUTERS = ["rehab.db_routers.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "participants:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="nb")
LANGUAGES = [
    ("nb", _("Norwegian Bokmål")),
    ("da", _("Danish")),
    ("sv", _("Swedish")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["rehab.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Oslo")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
# Reports, extracts and uploaded bundles: files with personal data, never served as static
# or media files, only through views that check who asks. Several web processes and
# workers must share this folder (a shared volume).
PRIVATE_ROOT = env.path("PRIVATE_ROOT", default=BASE_DIR / "var" / "private")
# Hours a finished report or extract stays available for download.
EXPORT_FILE_LIFETIME_HOURS = env.int("EXPORT_FILE_LIFETIME_HOURS", default=24)
# PostgreSQL connections one indicator computation uses at once, each for a part of the
# participants (evaluations/indicators/parallel.py): about the database server's cores.
INDICATOR_PARALLEL_QUERIES = env.int("INDICATOR_PARALLEL_QUERIES", default=2)
# Years after a participant's last exit (or registration, without enrollments) after which
# the nightly job removes the personal data and keeps the statistics.
RETENTION_YEARS_AFTER_EXIT = env.int("RETENTION_YEARS_AFTER_EXIT", default=5)
# Days after an enrollment that had started ends during which the provider's staff still see
# the participant's goals and shared answers (to write the last report); their own
# enrollments, proposals and reports stay theirs to read.
PROVIDER_ACCESS_AFTER_END_DAYS = env.int("PROVIDER_ACCESS_AFTER_END_DAYS", default=90)
# National identity numbers are stored encrypted (participants/encryption.py): the first
# key encrypts, every key decrypts (add a new key first to rotate). The lookup key makes
# the keyed hash numbers are found by; it cannot change without re-hashing every number.
if DEBUG:

    def development_key(secret: str, purpose: str) -> str:
        """A Fernet-shaped key derived from SECRET_KEY, for the embedded default only."""
        digest = hashlib.sha256(f"{purpose}:{secret}".encode()).digest()
        return base64.urlsafe_b64encode(digest).decode()

    IDENTITY_ENCRYPTION_KEYS = env.list(
        "IDENTITY_ENCRYPTION_KEYS", default=[development_key(SECRET_KEY, "encryption")])
    IDENTITY_LOOKUP_KEY = env.str("IDENTITY_LOOKUP_KEY",
                                  default=development_key(SECRET_KEY, "lookup"))
else:
    IDENTITY_ENCRYPTION_KEYS = env.list("IDENTITY_ENCRYPTION_KEYS")
    IDENTITY_LOOKUP_KEY = env.str("IDENTITY_LOOKUP_KEY")
# The largest bundle the import page accepts, in megabytes.
IMPORT_MAX_UPLOAD_MB = env.int("IMPORT_MAX_UPLOAD_MB", default=500)
# The most one file of a .zip bundle may unpack to, in megabytes: a larger one is refused
# unread (a zip bomb). The benchmark's 1,000,000 follow-ups take about 60 MB.
IMPORT_MAX_UNPACKED_MB = env.int("IMPORT_MAX_UNPACKED_MB", default=4000)
# The key of the pseudonyms in extracts. It comes from the environment and is never written
# beside the data; keep it as long as extracts must stay linkable. Without it (DEBUG off)
# pseudonymised extracts are refused.
PSEUDONYM_KEY = env.str(
    "PSEUDONYM_KEY", default="insecure-development-pseudonym-key" if DEBUG else ""
)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_HTTPONLY = True
# Signed out after 30 idle minutes: a request starts the 30 minutes again
# (rehab/sessions.py).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_FAILURE_VIEW = "rehab.htmx.csrf_failure"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if not DEBUG else None
if not DEBUG:
    # HTTPS only: plain HTTP is redirected, and browsers are told to remember that for a
    # year (the proxy must send X-Forwarded-Proto, docs/operations.md).
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 60 * 60)
    # The application has its own host name; its sub-domains (if any) are its own too.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
X_FRAME_OPTIONS = "DENY"
# Every script, style, image and font comes from the application itself; no inline
# script, event handler or style attribute (static/js/rehab.js holds the page behaviour).
# Bootstrap's stylesheet draws its form controls with data: SVG images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
SECURE_REFERRER_POLICY = "same-origin"

# Celery: without REDIS_URL, tasks run in-process so the embedded default needs no broker.
REDIS_URL = env.str("REDIS_URL", default="")
# (memory://localhost/, not memory://: kombu warns of a missing host on first use otherwise)
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]

if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The follow-ups' covering index (participants.FollowUp) carries extra columns on
# PostgreSQL; SQLite builds the same index without them, which is all it needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"personal_data": {"()": "rehab.log_filters.PersonalDataFilter"},
                "refusal_without_traceback": {"()": "rehab.log_filters.RefusalWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain",
                             "filters": ["personal_data"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Named so that Django's own console handler goes: each line printed once.
        "django": {"level": "INFO"},
        "django.request": {"filters": ["refusal_without_traceback"]},
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint's font subsetting reports every table it prunes at INFO.
        "fontTools": {"level": "WARNING"},
        # WeasyPrint reports each step of every PDF (about seven lines a report) at INFO.
        "weasyprint": {"level": "WARNING"},
        # django-axes announces itself at INFO on every start, commands included.
        "axes": {"level": "WARNING"},
    },
}
