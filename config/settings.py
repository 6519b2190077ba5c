"""Settings for the MAPPA case management service.

SQLite is the embedded default; ``DATABASE_URL`` selects PostgreSQL (production).
"""

import datetime as dt
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from config.env import env_bool, env_int, env_list, env_str
from mappa.audit.ship_config import parse_ship_target  # no Django imports

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)
TESTING = env_bool("MAPPA_TESTING", False)
# In debug a throwaway key is acceptable; anywhere else the key must be given.
SECRET_KEY = env_str(
    "DJANGO_SECRET_KEY",
    "insecure-development-key-not-for-production" if (DEBUG or TESTING) else None,
)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "govuk_frontend_django",
    "django_tasks",
    "django_tasks_db",
    "mappa.common",
    "mappa.access",
    "mappa.audit",
    "mappa.register",
    "mappa.search",
    "mappa.people",
    "mappa.profiles",
    "mappa.assessments",
    "mappa.referrals",
    "mappa.accounts",
    "mappa.api",
    "mappa.compliance",
    "mappa.meetings",
    "mappa.minutes",
    "mappa.outcomes",
    "mappa.smb",
    "mappa.kpis",
    "mappa.dashboard",
    "mappa.quality",
    "mappa.annual",
    "mappa.documents",
    "mappa.disclosure",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "mappa.common.middleware.NoStoreMiddleware",
    # Time-outs first, then the second factor: both after sessions, users and messages.
    "mappa.accounts.middleware.SessionTimeoutMiddleware",
    "mappa.accounts.middleware.MfaRequiredMiddleware",
    # django-axes turns a lock-out flagged during the request into its page; last, as it asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "mappa.common.context_processors.service",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock at BEGIN, so the audit chain's head is read under it.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["OPTIONS"]["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "access.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "register:list"
LOGOUT_REDIRECT_URL = "login"
# django-axes checks for a lock-out before any password is tried; it signs no one in.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Hashing cost is irrelevant to what the tests prove and dominates their run time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("MAPPA_TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "build" / "collected"
STATICFILES_DIRS = [BASE_DIR / "build" / "static", BASE_DIR / "mappa" / "static"]
# GOV.UK Frontend's stylesheet asks for its fonts and images at /assets/.
WHITENOISE_ROOT = BASE_DIR / "build" / "webroot"
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(env_str("MAPPA_MEDIA_ROOT", str(BASE_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The area this installation serves (the guidance's "MAPPA area").
MAPPA_AREA_NAME = env_str("MAPPA_AREA_NAME", "Jersey")
MAPPA_PROTECTIVE_MARKING = env_str("MAPPA_PROTECTIVE_MARKING", "OFFICIAL-SENSITIVE")
MAPPA_HANDLING_INSTRUCTION = env_str(
    "MAPPA_HANDLING_INSTRUCTION",
    "Share only with people who have a need to know for public protection. "
    "Do not copy or forward outside the agencies involved.",
)
MAPPA_SEARCH_MIN_CHARS = 3

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Absolute lifetime of a signed-in session, however active (mappa.accounts.middleware).
SESSION_COOKIE_AGE = env_int("MAPPA_SESSION_MAX_AGE_SECONDS", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Signed out after this long without a request (issue 3: 15 minutes by default).
MAPPA_IDLE_TIMEOUT_SECONDS = env_int("MAPPA_IDLE_TIMEOUT_SECONDS", 15 * 60)

# Second factor: TOTP devices from django-otp (codes checked there, replay-protected;
# after a wrong code the next try waits 1, 2, 4 ... seconds).
OTP_TOTP_ISSUER = env_str("MAPPA_OTP_ISSUER", f"MAPPA {MAPPA_AREA_NAME}")
OTP_TOTP_THROTTLE_FACTOR = 1

# Lock-out after repeated failures (django-axes): a wrong password and a wrong code
# both count, by username and address together, so that one person's typing cannot
# lock a colleague out and an attacker cannot lock out a user from elsewhere.
AXES_FAILURE_LIMIT = env_int("MAPPA_SIGN_IN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("MAPPA_SIGN_IN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Failures are cleared only after the second factor (mappa.accounts.views), so a
# known password does not buy fresh guesses at the code.
AXES_RESET_ON_SUCCESS = False
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Sign-ins are in the audit trail; axes keeps only what it needs to lock.
AXES_DISABLE_ACCESS_LOG = True
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code", "csrfmiddlewaretoken"]
AXES_LOCKOUT_CALLABLE = "mappa.accounts.views.locked_out"
AXES_VERBOSE = False

MAPPA_API_TOKEN_MAX_DAYS = env_int("MAPPA_API_TOKEN_MAX_DAYS", 365)

# No inline script or style anywhere (issue 3, point 6); /api/docs is the one
# page allowed more, in config/urls.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG and not TESTING:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

REST_FRAMEWORK = {
    # A session counts on the API only once the second factor is given
    # (MfaRequiredMiddleware); a token is the second factor's equivalent.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "mappa.accounts.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "mappa.accounts.permissions.TokenScopePermission",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    # Tests make hundreds of calls a minute from one address; their limit is lifted,
    # and tests/accounts proves the throttle with a low rate.
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("MAPPA_API_RATE_ANON", "100000/minute" if TESTING else "60/minute"),
        "user": env_str("MAPPA_API_RATE_USER", "100000/minute" if TESTING else "600/minute"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "mappa.common.api.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MAPPA case management API",
    "DESCRIPTION": "The register of people managed under MAPPA. Every operation needs a signed-in user "
    "and answers only what that user may see.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("MAPPA_LOG_LEVEL", "WARNING")},
}

# Audit events also go, one JSON line each, to a store outside the database (issue 3, point 4):
# "file:/var/log/mappa/audit.jsonl", "syslog:/dev/log" or "syslog:HOST:PORT" (UDP); empty: off.
MAPPA_AUDIT_SHIP = parse_ship_target(env_str("MAPPA_AUDIT_SHIP", ""))

# Need-to-know parts (issue 3, point 2): an invited agency keeps its part this many days
# after the case leaves level 2/3 or is archived; emergency access lasts this long.
MAPPA_INVITED_GRACE_DAYS = env_int("MAPPA_INVITED_GRACE_DAYS", 28)
MAPPA_EMERGENCY_ACCESS_MINUTES = env_int("MAPPA_EMERGENCY_ACCESS_MINUTES", 60)

# Background work on the Django tasks API (the django-tasks backport, database worker:
# `manage.py db_worker`, started by `make run`). Tests run tasks at once.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
if TESTING:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Mail: the console in development, the in-memory backend in tests (Django's test runner),
# SMTP (EMAIL_HOST etc.) in production.
EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "jmappa@coordination.jersey.example")
MAPPA_BASE_URL = env_str("MAPPA_BASE_URL", "http://127.0.0.1:8000")
MAPPA_COORDINATION_EMAIL = env_str("MAPPA_COORDINATION_EMAIL", DEFAULT_FROM_EMAIL)
MAPPA_COORDINATION_NAME = env_str("MAPPA_COORDINATION_NAME", "JMAPPA Co-ordination Unit")
MAPPA_CALENDAR_DOMAIN = env_str("MAPPA_CALENDAR_DOMAIN", "mappa.invalid")
MAPPA_MAIL_MAX_ATTEMPTS = env_int("MAPPA_MAIL_MAX_ATTEMPTS", 5)
MAPPA_MAIL_RETRY_MINUTES = env_int("MAPPA_MAIL_RETRY_MINUTES", 5)
