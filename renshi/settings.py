"""Renshi settings, read from the environment with safe defaults for the demo."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    return os.environ.get(name, default)


def envbool(name, default="0"):
    return env(name, default).lower() in ("1", "true", "yes", "on")


def envint(name, default):
    return int(env(name, str(default)))


DEBUG = envbool("DEBUG", "0")
# The demo key is only for a local demo; production sets SECRET_KEY (checked by `check --deploy`).
SECRET_KEY = env("SECRET_KEY", "renshi-demo-only-insecure-key-change-me-0123456789abcdefghij")
# Key for personal-data field encryption (SM4-GCM) and blind indexes (HMAC-SM3), hex, 32 bytes.
FIELD_ENCRYPTION_KEY = env("FIELD_ENCRYPTION_KEY", "")
ALLOWED_HOSTS = [h for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "renshi.core",
    "renshi.personnel",
    "renshi.exams",
    "renshi.payments",
    "renshi.hall",
    "renshi.portal",
    "renshi.policies",
    "renshi.sunshine",
    "renshi.talent",
    "renshi.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous visitors' shared public pages, answered before the session is read.
    "renshi.core.pagecache.SharedPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "renshi.core.middleware.IdleTimeoutMiddleware",
    "renshi.core.middleware.StaffTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "renshi.urls"
WSGI_APPLICATION = "renshi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "renshi.core.context_processors.navigation",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'renshi.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
_db = DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue on the database lock instead of failing: IMMEDIATE takes the write lock at
    # BEGIN (no upgrade deadlocks), WAL lets readers run beside one writer.
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA cache_size=-64000; PRAGMA temp_store=MEMORY;"
        ),
    }
    _db["TEST"] = {"NAME": env("SQLITE_TEST_NAME", "") or None}
elif _db["ENGINE"] in ("django.db.backends.postgresql",):
    # psycopg 3 pool; CONN_MAX_AGE must stay 0 with the pool.
    _db["CONN_MAX_AGE"] = 0
    _db["OPTIONS"] = {
        "pool": {
            "min_size": envint("DB_POOL_MIN", 1),
            "max_size": envint("DB_POOL_MAX", 8),
            "timeout": 10,
        },
        # Parameters bound by the server, so psycopg prepares the hot statements once per
        # connection instead of quoting and parsing them on every request.
        "server_side_binding": envbool("PG_SERVER_SIDE_BINDING", "1"),
        # Prepared statements stay off (Django's default) except for the hot path's key lookups
        # and inserts, which opt in (core.fastinsert.execute_prepared): a search is planned for
        # its own values every time.
    }
    if env("PG_TEST_NAME"):
        _db["TEST"] = {"NAME": env("PG_TEST_NAME")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

# --- Background tasks --------------------------------------------------------------------------
# The django.tasks backport with its database backend: `manage.py db_worker` runs the queue (no
# broker). TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend runs tasks in the request.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# --- Authentication and sessions -------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, loading a candidate's profile with the user (one query per request).
    "renshi.exams.auth.UserWithCandidateBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # 等保 8.1.4.1 a): 3 of 4 character classes.
    {"NAME": "renshi.core.passwords.CharacterClassValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# 等保 typical parameters: lock after 5 failures for 30 minutes, idle timeout 30 minutes.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
# Lock the account after 5 failures from anywhere, and an address after 5 failures on any account.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "renshi.core.views.auth.lockout_response"
AXES_VERBOSE = False
IDLE_TIMEOUT_SECONDS = envint("IDLE_TIMEOUT_SECONDS", 30 * 60)
SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "0")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Staff two-factor (TOTP) is required when on; the demo turns it off so anyone can click around.
REQUIRE_STAFF_2FA = envbool("REQUIRE_STAFF_2FA", "1")
OTP_TOTP_ISSUER = "Renshi 人事"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- i18n ------------------------------------------------------------------------------------
# Chinese only: the interface has no other translation, and choosing by the browser's
# Accept-Language mixed Django's English messages ("This field is required.") into Chinese pages
# for visitors whose phones are set to English. So no LocaleMiddleware either.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文"))]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and media ------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True  # serve app static files without collectstatic (demo, tests)
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "renshi",
    }
}
if env("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "renshi.core.cache.RedisCache",  # Django's, one client per pool
        "LOCATION": env("REDIS_URL"),
    }
    # Sessions read from Redis and written through to the database (a Redis restart only
    # costs a cache miss): one query less on every logged-in request during the surge.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Messages to people (SMS, e-mail): console in the demo, in memory in tests, a provider in prod.
SMS_BACKEND = env("SMS_BACKEND", "renshi.core.notify.ConsoleSMSBackend")
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "renshi@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
