"""Settings for Social IT Desk, read from the environment.

With nothing set, the desk runs embedded: SQLite, a file-system Celery broker and a
file mailbox under var/. DATABASE_URL, REDIS_URL and EMAIL_URL switch to production parts.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp import constants as csp

env = environ.Env()

BASE_DIR = Path(__file__).resolve().parent.parent
# Everything the embedded desk writes (database, broker, mailbox, uploads) lives here.
VAR_DIR = Path(env.str("SOCIALIT_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)
# Without SECRET_KEY a checkout still runs its management commands, on a known key that
# `check --deploy` flags (security.W009) and that the web server refuses unless DEBUG is on
# (socialit.serving): sessions and reset links are signed there.
DEVELOPMENT_SECRET_KEY = "django-insecure-social-it-desk-development-only"
SECRET_KEY = env.str("SECRET_KEY", default="") or DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Links in emails; `make run` serves on DESK_PORT, so by default they point there too.
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{env.int('DESK_PORT', default=8000)}").rstrip("/")

INSTALLED_APPS = [
    "socialit.apps.DeskAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "axes",
    "csp",
    "django_otp",
    "twofactor.apps.AuthenticatorAppsConfig",
    "django_otp.plugins.otp_static",
    "simple_history",
    "accounts",
    "twofactor",
    "sla",
    "notifications",
    "webhooks",
    "tickets",
    "checklists",
    "macros",
    "savedviews",
    "approvals",
    "social",
    "guides",
    "posts",
    "satisfaction",
    "inbound",
    "reports",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "socialit.content_security.NonceEveryResponseCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "twofactor.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.session_timeouts.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Who changed a routing rule, an SLA policy or a queue's rate, for their change history.
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    # With DEBUG on (make run), a 404 still shows the desk's page: after CommonMiddleware.
    "socialit.middleware.NotFoundPageMiddleware",
]

ROOT_URLCONF = "socialit.urls"
WSGI_APPLICATION = "socialit.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'socialit.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, the worker and beat share one file: wait for locks instead of failing.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The dashboards' covering indexes (INCLUDE columns) are PostgreSQL's; SQLite does without them.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "accounts.User"
# OWASP ASVS level 2: length over composition (12 to 128 characters, no rules on character
# kinds), no common or personal passwords, no forced rotation.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "accounts.passwords.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# The lock-out backend refuses sign-ins while an account or address is locked; the model
# backend then checks the password.
AUTHENTICATION_BACKENDS = [
    "accounts.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in throttling (django-axes, accounts/lockout.py): an account locks after
# SIGNIN_ACCOUNT_FAILURE_LIMIT failures within the cool-off, an address after
# SIGNIN_ADDRESS_FAILURE_LIMIT failures across accounts; both open again after the cool-off.
SIGNIN_ACCOUNT_FAILURE_LIMIT = env.int("SIGNIN_ACCOUNT_FAILURE_LIMIT", default=10)
SIGNIN_ADDRESS_FAILURE_LIMIT = env.int("SIGNIN_ADDRESS_FAILURE_LIMIT", default=50)
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = SIGNIN_ACCOUNT_FAILURE_LIMIT
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=env.int("SIGNIN_LOCKOUT_MINUTES", default=30))
# Attempts refused during a lock-out do not extend it, so the time the page gives holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in forms' field, which holds the email
AXES_USERNAME_CALLABLE = "accounts.lockout.username_normalized"
AXES_CLIENT_IP_CALLABLE = "accounts.addresses.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# The audit trail (accounts.AuthEvent) records sign-ins; the admin lists lock-outs itself.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False
# Behind a proxy (BEHIND_PROXY), the client's address is the PROXY_COUNT-th from the right
# in X-Forwarded-For; without it the header is ignored, as anyone can send it.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
PROXY_COUNT = env.int("PROXY_COUNT", default=1)
# Password-reset emails per hour, per account and per client address.
PASSWORD_RESET_LIMIT_PER_ACCOUNT = env.int("PASSWORD_RESET_LIMIT_PER_ACCOUNT", default=3)
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int("PASSWORD_RESET_LIMIT_PER_ADDRESS", default=10)
# A reset link works for an hour from when its email is written.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3600)
# Reset emails go through the notifications outbox, like every other email.
PASSWORD_RESET_SENDER = "notifications.services.password_reset_notify"
# Signed-in sessions end after SESSION_IDLE_TIMEOUT_SECONDS without a request and, whatever
# the activity, SESSION_ABSOLUTE_TIMEOUT_SECONDS after signing in.
SESSION_IDLE_TIMEOUT_SECONDS = env.int("SESSION_IDLE_TIMEOUT_SECONDS", default=3600)
SESSION_ABSOLUTE_TIMEOUT_SECONDS = env.int("SESSION_ABSOLUTE_TIMEOUT_SECONDS", default=12 * 3600)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT_SECONDS
# Second factor (twofactor/): managers, administrators and the admin site always need one;
# agents too when OTP_REQUIRED_FOR_AGENTS is on, or once they have set one up themselves.
OTP_REQUIRED_FOR_AGENTS = env.bool("OTP_REQUIRED_FOR_AGENTS", default=False)
OTP_TOTP_ISSUER = "Social IT Desk"
# Each wrong code doubles the wait before the next try (1, 2, 4… seconds); 0 would turn it off.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "socialit.staticfiles.PackageFilesFinder",
]
# From the npm packages, only what the pages load, with the source maps and fonts those files
# name (the manifest storage resolves every reference): prefix -> (package folder, globs).
PACKAGE_STATIC_FILES = {
    "vendor/bootstrap": (
        NODE_MODULES / "bootstrap" / "dist",
        ["css/bootstrap.min.css", "css/bootstrap.min.css.map", "js/bootstrap.bundle.min.js*"],
    ),
    "vendor/bootstrap-icons": (
        NODE_MODULES / "bootstrap-icons" / "font",
        ["bootstrap-icons.min.css", "fonts/bootstrap-icons.woff2", "fonts/bootstrap-icons.woff"],
    ),
    "vendor/chart.js": (NODE_MODULES / "chart.js" / "dist", ["chart.umd.min.js*"]),
}
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
# Attachments are never served from MEDIA_URL: a view checks who may read them.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
ATTACHMENT_MAX_COUNT = env.int("ATTACHMENT_MAX_COUNT", default=5)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Mail: EMAIL_URL such as smtp+tls://user:password@host:587; by default a mailbox
# on disk (var/mail) that a developer can read.
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Social IT Desk <desk@socialit.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# Celery: Redis in production; a broker on the local file system otherwise, so a real
# worker and beat run with no server at all.
REDIS_URL = env.str("REDIS_URL", default="")
# The file-system broker has no host; naming one spares every process a warning that it has none.
CELERY_BROKER_URL = REDIS_URL or "filesystem://localhost//"
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = (
    {
        # A hung Redis must not hang whoever publishes: fail fast, the outbox re-sends.
        "socket_timeout": 2,
        "socket_connect_timeout": 2,
        "visibility_timeout": 3600,
    }
    if REDIS_URL
    else {
        "data_folder_in": str(VAR_DIR / "broker" / "queue"),
        "data_folder_out": str(VAR_DIR / "broker" / "queue"),
        "control_folder": str(VAR_DIR / "broker" / "control"),
    }
)
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 100
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TIMEZONE = "UTC"
# The worker and beat log through LOGGING above, in the web server's format and time zone.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE = {
    "sla-sweep": {"task": "tickets.sla_sweep", "schedule": 60.0, "options": {"expires": 55}},
    "close-resolved": {"task": "tickets.close_resolved", "schedule": 3600.0, "options": {"expires": 3500}},
    "notifications-redispatch": {
        "task": "notifications.redispatch",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "inbound-imap-poll": {"task": "inbound.imap_poll", "schedule": 60.0, "options": {"expires": 55}},
    "webhooks-redispatch": {"task": "webhooks.redispatch", "schedule": 60.0, "options": {"expires": 55}},
    "approvals-sweep": {"task": "approvals.sweep", "schedule": 60.0, "options": {"expires": 55}},
    "access-sweep": {"task": "social.access_sweep", "schedule": 300.0, "options": {"expires": 290}},
    "posts-expire": {"task": "posts.expire", "schedule": 60.0, "options": {"expires": 55}},
}

# Notifications: retried with exponential backoff, then marked failed for the admin to retry.
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=6)

# Email in (inbound/): how long a reply address stays good, how many messages one sender may
# turn into tickets or replies in an hour before the rest is held back for an agent.
INBOUND_REPLY_ADDRESS_DAYS = env.int("INBOUND_REPLY_ADDRESS_DAYS", default=365)
INBOUND_SENDER_LIMIT_PER_HOUR = env.int("INBOUND_SENDER_LIMIT_PER_HOUR", default=30)
NOTIFICATION_RETRY_SECONDS = env.int("NOTIFICATION_RETRY_SECONDS", default=60)
# Rows still pending this long after they were due are handed to the broker again.
NOTIFICATION_REDISPATCH_AFTER_SECONDS = env.int("NOTIFICATION_REDISPATCH_AFTER_SECONDS", default=120)
# A row claimed this long ago by a worker that never finished is given to another. Longer than
# a send takes (EMAIL_TIMEOUT bounds each SMTP step); with the re-dispatcher every minute, a
# lost worker's email goes out within two minutes.
NOTIFICATION_LEASE_SECONDS = env.int("NOTIFICATION_LEASE_SECONDS", default=60)

# Webhooks (webhooks/): the same outbox, posted to administrators' endpoints. Each attempt is
# bounded by short timeouts; failures are retried with capped backoff, and an endpoint failing
# this many times in a row is turned off and its owner emailed.
WEBHOOK_CONNECT_TIMEOUT_SECONDS = env.float("WEBHOOK_CONNECT_TIMEOUT_SECONDS", default=3.0)
WEBHOOK_READ_TIMEOUT_SECONDS = env.float("WEBHOOK_READ_TIMEOUT_SECONDS", default=10.0)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=8)
WEBHOOK_RETRY_SECONDS = env.int("WEBHOOK_RETRY_SECONDS", default=30)
WEBHOOK_DISABLE_AFTER_FAILURES = env.int("WEBHOOK_DISABLE_AFTER_FAILURES", default=15)
WEBHOOK_REDISPATCH_AFTER_SECONDS = env.int("WEBHOOK_REDISPATCH_AFTER_SECONDS", default=120)
# Longer than one attempt can take (the two timeouts above).
WEBHOOK_LEASE_SECONDS = env.int("WEBHOOK_LEASE_SECONDS", default=60)
# Loopback, private, link-local, multicast and reserved addresses are refused unless this is on:
# for tests and a desk run on one machine, never in production.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", default=False)

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Security: strict unless DEBUG; `manage.py check --deploy` passes with DEBUG off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts only from the desk itself or carrying the response's nonce; no inline handlers, styles
# only from stylesheets. Bootstrap draws its select arrows, check marks and close buttons as
# data: SVG images, hence data: for images. Attachment downloads send their own stricter policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.NONE],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    },
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "socialit.logs.UTCFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# Reports
COST_CURRENCY = env.str("COST_CURRENCY", default="EUR")
# The share of SLA targets the desk means to meet: the dashboard shows rates at or above it in
# green, up to REPORTS_SLA_CLOSE_POINTS below it in amber, and lower rates in red.
REPORTS_SLA_TARGET_PERCENT = env.float("REPORTS_SLA_TARGET_PERCENT", default=90.0)
REPORTS_SLA_CLOSE_POINTS = env.float("REPORTS_SLA_CLOSE_POINTS", default=5.0)

# API (api/): personal tokens or the browser session (with CSRF); JSON in and out.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.permissions.TokenScope",
    ],
    # Counted on the cache (Redis in production), per token and per person.
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle", "api.throttling.PersonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "token": env.str("API_TOKEN_RATE", default="120/minute"),
        "user": env.str("API_USER_RATE", default="240/minute"),
    },
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Social IT Desk API",
    "DESCRIPTION": "File, read and follow support requests. Authenticate with a personal token from your profile.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "TicketStatusEnum": "tickets.models.Ticket.Status",
        "AccountStatusEnum": "social.models.CompanyAccount.Status",
    },
}

# Approvals (approvals/): an email link works this long; an unanswered approval passes to the
# managers after this much working time of its calendar, and expires undecided after these days.
APPROVAL_LINK_HOURS = env.int("APPROVAL_LINK_HOURS", default=72)
APPROVAL_ESCALATE_BUSINESS_HOURS = env.int("APPROVAL_ESCALATE_BUSINESS_HOURS", default=8)
APPROVAL_EXPIRE_DAYS = env.int("APPROVAL_EXPIRE_DAYS", default=7)
# Access with an end date: its holder is reminded this many days before; on the day a revoke
# ticket opens. Reviews overdue this many days escalate to the managers.
ACCESS_END_REMINDER_DAYS = env.int("ACCESS_END_REMINDER_DAYS", default=3)
ACCESS_REVIEW_ESCALATE_DAYS = env.int("ACCESS_REVIEW_ESCALATE_DAYS", default=7)
# Where exceptions (a blocked site, software) go once approved.
EXCEPTIONS_QUEUE_SLUG = env.str("EXCEPTIONS_QUEUE_SLUG", default="it")

# Tickets
TICKET_REOPEN_DAYS = env.int("TICKET_REOPEN_DAYS", default=14)
# Change history of routing rules, SLA policies and queue rates is a record: no "revert" in the admin.
SIMPLE_HISTORY_REVERT_DISABLED = True
# The queue whose agents draft and approve public holding statements (besides the managers).
STATEMENT_QUEUE = env.str("STATEMENT_QUEUE", default="communications")
DESK_PAGE_SIZE = env.int("DESK_PAGE_SIZE", default=25)
# Starting data of the apps that build on tickets, loaded by every `seed`, production's included.
SEED_STEPS = [
    "guides.seed.starter_guides_load",
    "checklists.reference_data.checklists_load",
    "macros.reference_data.macros_load",
    "posts.reference_data.review_checklist_load",
]
# Demo data of the apps that build on tickets, loaded by `seed --demo` after the tickets' own.
SEED_DEMO_STEPS = ["social.demo.demo_accounts_load"]
