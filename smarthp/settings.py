"""Settings for the Smart Hải Phòng portal.

Check out, install, migrate, runserver: it works on SQLite with Celery running tasks in-process and
text messages recorded in the database. Environment variables switch each piece to its production
counterpart (DATABASE_URL, REDIS_URL, SMS_BACKEND, ...). Every variable is listed in the README.
"""

import os
from pathlib import Path

import dj_database_url
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default="0"):
    return os.getenv(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name, default):
    return int(os.getenv(name, default))


def envlist(name, default=""):
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG")
# A development-only key: check --deploy flags it, and production must set SECRET_KEY.
SECRET_KEY = os.getenv("SECRET_KEY", "django-insecure-dev-only-change-me")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_ROOT = os.getenv("SITE_ROOT", "http://127.0.0.1:8000")
SITE_ID = 1

INSTALLED_APPS = [
    "smarthp.admin_config.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "leaflet",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.usersessions",
    "government",
    "citizens",
    "notices",
    "feedback",
    "publicservices",
    "utilities",
    "news",
    "campaigns",
]

MIDDLEWARE = [
    # First, so that a database error anywhere below it is the "busy" page (503), never a traceback.
    "smarthp.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, which answers static files itself: they get these headers too.
    "smarthp.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files come precompressed), before everything that writes the body.
    # BREACH: see smarthp.middleware.GZipMiddleware.
    "smarthp.middleware.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "smarthp.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "citizens.middleware.SmsLimitMiddleware",
]

ROOT_URLCONF = "smarthp.urls"
WSGI_APPLICATION = "smarthp.wsgi.application"
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
                "csp.context_processors.nonce",
                "smarthp.context_processors.portal",
                "notices.context_processors.unread",
            ],
            "builtins": ["smarthp.layout"],  # the layout's parts drawn once per language
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
DATABASE_URL = os.getenv("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
# CONN_HEALTH_CHECKS: a connection kept across requests is checked before its first use in a request,
# so after a PostgreSQL restart each process reconnects by itself (no gunicorn or worker restart).
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 60), conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # SQLite serialises writers; wait for the lock instead of failing under a few parallel requests.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT spent ~1 s compiling queries over a ward's 60,000 profiles, more than running them (issue 10).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions ----------------------------------------------------------------------------
REDIS_URL = os.getenv("REDIS_URL", "")
# smarthp.cache: with Redis away, every cache call is a miss or a no-op (pages come from the database),
# and a dead Redis costs at most these timeouts once every few seconds, not on every call. allauth's
# rate limits live in the "durable" cache (the database), so an outage neither lifts nor resets them.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "smarthp.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "smarthp.cache.LocMemCache"}}
CACHES["durable"] = {"BACKEND": "citizens.ratelimit.DatabaseStore", "TIMEOUT": None}
# Every signed-in request reads its session: from Redis when there is one (written through to the
# database, so a flushed cache loses none), else from the database (a per-process cache would keep a
# session ended in one process alive in the others). End sessions through Django (sign-out, allauth's
# session list, SessionStore.delete()), not by deleting rows, which would leave their cached copies.
SESSION_ENGINE = f"smarthp.sessions.{'cached_db' if REDIS_URL else 'db'}"

# --- Celery -------------------------------------------------------------------------------------
# Without a broker, tasks run in-process (eager) so a newcomer's first run needs no Redis.
CELERY_BROKER_URL = os.getenv("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message unacknowledged this long (its worker died) goes back to the queue. Queues are read in the
# order of CELERY_TASK_QUEUES ("priority"), not in turn: routing always goes first.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", 600),
    "queue_order_strategy": "priority",
}
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
# Routing has a queue of its own, read first: new reports are not held back behind a long queue of
# notices (as the sweeper queues after a broker outage). A worker without -Q consumes every queue here.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = [Queue("routing"), Queue(CELERY_TASK_DEFAULT_QUEUE)]
CELERY_TASK_ROUTES = {"feedback.tasks.route_report_task": {"queue": "routing"}}
CELERY_BEAT_SCHEDULE = {
    # PAKN: route reports and send notices that a lost message or a broker outage left undone. Every
    # 10 s, so that reports filed while the broker was down are routed soon after it returns
    # (DESIGN §5: within 60 s); a sweep with nothing to do is two indexed queries.
    "feedback-sweep": {"task": "feedback.tasks.sweep_reports_task", "schedule": 10},
    # Notices of every app: SMS whose message was lost, queued again a minute later (notices.services).
    "notices-sweep": {"task": "notices.tasks.sweep_task", "schedule": 10},
}

# --- Accounts -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "citizens.User"
AUTHENTICATION_BACKENDS = [
    "citizens.backends.ModelBackend",
    "citizens.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

# --- Language and time --------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# locale/: the portal's own strings (makemessages writes there). locale_thirdparty/: Vietnamese for
# allauth's and Django's strings that those packages leave in English; edited by hand, because
# makemessages would mark them obsolete in locale/. The first path wins where both have a string.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_thirdparty"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Static and media ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or envbool("STATIC_PLAIN")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Lets the portal serve its files without a collectstatic step on the embedded default.
WHITENOISE_USE_FINDERS = envbool("WHITENOISE_USE_FINDERS", "1")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Security -----------------------------------------------------------------------------------
HTTPS = envbool("HTTPS")
SECURE_SSL_REDIRECT = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = []

# Map tiles come from a server the city runs (a closed network has no public tile server);
# without one the maps show the ward outlines and pins on a plain background.
MAP_TILE_URL = os.getenv("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.getenv("MAP_TILE_ATTRIBUTION", "© OpenStreetMap")
_tile_origin = "/".join(MAP_TILE_URL.split("/")[:3]) if MAP_TILE_URL.startswith("http") else ""

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"] + ([_tile_origin] if _tile_origin else []),
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# PAKN: seconds the public feed and public report pages are served from the cache (0: never).
PAKN_PAGE_CACHE_SECONDS = envint("PAKN_PAGE_CACHE_SECONDS", 30)

LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (20.8449, 106.6881),
    "DEFAULT_ZOOM": 12,
    "MIN_ZOOM": 8,
    "MAX_ZOOM": 19,
    "TILES": [],
}

# --- API ----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # The API's shared machinery (smarthp.api, smarthp.api_auth, smarthp.api_schema): the session
    # token of allauth's headless app client or the browser's session, keyset pages, one error shape
    # (Open311's own for its views), throttles per client and per user.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "smarthp.api_auth.SessionTokenAuthentication",
        "smarthp.api_auth.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "smarthp.api.KeysetPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "smarthp.api_schema.AutoSchema",
    "EXCEPTION_HANDLER": "smarthp.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["smarthp.api_auth.ClientRateThrottle", "smarthp.api_auth.UserRateThrottle"],
    # Per client address: behind a proxy, the address that many X-Forwarded-For hops back
    # (TRUSTED_PROXY_COUNT, as for allauth's limits below). An office or a carrier's NAT may hold
    # many people; filing (a report) is limited per user.
    "DEFAULT_THROTTLE_RATES": {
        "open311": os.getenv("OPEN311_RATE", "120/min"),
        "api_client": os.getenv("API_CLIENT_RATE", "600/min"),
        "api_user": os.getenv("API_USER_RATE", "300/min"),
        "api_write": os.getenv("API_WRITE_RATE", "30/hour"),
    },
    "NUM_PROXIES": envint("TRUSTED_PROXY_COUNT", 0),
}

# --- Working-day calendar -----------------------------------------------------------------------
# Office hours of Vietnamese state agencies, for deadlines counted in hours.
WORKING_HOURS = [(8, 0, 12, 0), (13, 0, 17, 0)]

# Point -> ward without boundaries loaded: the nearest ward seat, unless it is farther than this
# (then the point is outside the city). Ignored once boundaries are imported.
UNIT_SEAT_MAX_KM = envint("UNIT_SEAT_MAX_KM", 30)

# --- SMS ----------------------------------------------------------------------------------------
SMS_BACKEND = os.getenv("SMS_BACKEND", "citizens.sms.DatabaseBackend")

# --- Logging: no personal data; one line per event to stderr ------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
    # One INFO line per task is noise at our volumes; failures still log at WARNING and above.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "celery.app.trace": {"level": "WARNING"}},
}
if CELERY_TASK_ALWAYS_EAGER:
    # Eager tasks still pass through a kombu producer, which with no broker configured warns "No
    # hostname was supplied" on every task although it connects to nothing.
    LOGGING["loggers"]["kombu.connection"] = {"level": "ERROR"}

# --- Citizen accounts (citizens/, built on django-allauth) --------------------------------------
# Citizens sign up with a Vietnamese mobile number and a 6-digit SMS code (a password is optional),
# and sign in with phone (or email) + password or with a code by SMS. Officers are created by
# administrators, sign in with their user name and password, then a TOTP code (allauth.mfa).
ACCOUNT_ADAPTER = "citizens.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "citizens.adapter.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"phone", "email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["phone*", "password1"]
ACCOUNT_SIGNUP_REDIRECT_URL = "citizens:profile_edit"
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_SESSION_REMEMBER = True
# A number already registered gets a clear message instead of a silent "code sent" (the issue asks
# for it); the price is that anyone may learn whether a number has an account.
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_FORMS = {
    "login": "citizens.forms.LoginForm",
    "signup": "citizens.forms.SignupForm",
    "request_login_code": "citizens.forms.RequestLoginCodeForm",
    "confirm_login_code": "citizens.forms.ConfirmLoginCodeForm",
    "verify_phone": "citizens.forms.VerifyPhoneForm",
    "change_phone": "citizens.forms.ChangePhoneForm",
    "change_password": "citizens.forms.ChangePasswordForm",
    "set_password": "citizens.forms.SetPasswordForm",
    "reauthenticate": "citizens.forms.ReauthenticateForm",
    "add_email": "citizens.forms.AddEmailForm",
}
SOCIALACCOUNT_FORMS = {"signup": "citizens.forms.SocialSignupForm"}
# Code rules (DESIGN §4): 6 digits, each code valid 5 minutes, single use, at most 5 tries.
# citizens.codes issues the codes, keeps only a hash and counts tries atomically in the database;
# allauth drives the pages. Its timeouts below are the life of a whole flow (a code plus resends).
ALLAUTH_USER_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_PHONE_VERIFICATION_TIMEOUT = 900
ACCOUNT_PHONE_VERIFICATION_MAX_ATTEMPTS = 5
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = 3
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_CHANGE = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 900
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 5
ACCOUNT_LOGIN_BY_CODE_SUPPORTS_RESEND = 3
ACCOUNT_RATE_LIMITS = {
    # Every SMS code, whatever the flow: 60 s between two, 3 in 15 minutes and 10 a day per number,
    # 20 an hour per IP address. Applied by citizens.adapter before a code is made.
    "sms_code_wait": "1/60s/key",
    "sms_code_phone": "3/15m/key,10/1d/key",
    "sms_code_ip": "20/1h/ip",
    "verify_phone": "",  # covered by the sms_code_* limits above
    "change_phone": "3/m/user",
    # Password guessing: 5 failures per account in 5 minutes, 10 a minute per IP address.
    "login_failed": "10/m/ip,5/5m/key",
}
# Behind a reverse proxy, how many X-Forwarded-For hops to trust for the client's IP address.
ALLAUTH_TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
MFA_ADAPTER = "citizens.adapter.MFAAdapter"
MFA_FORMS = {
    "authenticate": "citizens.forms.MFAAuthenticateForm",
    "reauthenticate": "citizens.forms.MFAReauthenticateForm",
    "activate_totp": "citizens.forms.ActivateTOTPForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.getenv("MFA_TOTP_ISSUER", "Công dân số Hải Phòng")
# A code read from the phone just before it turns still works for one more 30-second step (RFC 6238
# §5.2 allows one step of delay): with none, an officer typing slowly fails often near the turn.
MFA_TOTP_TOLERANCE = 1
# Sessions are recorded at sign-in; tracking every request would add writes to every page (DESIGN §5).
USERSESSIONS_TRACK_ACTIVITY = False
EMAIL_BACKEND = os.getenv("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "Công dân số Hải Phòng <no-reply@localhost>")

# VNeID sign-in through allauth's OpenID Connect provider; absent from every page until configured.
SOCIALACCOUNT_AUTO_SIGNUP = False  # the signup form asks for consent per purpose
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = envint("VNEID_TIMEOUT", 10)
SOCIALACCOUNT_PROVIDERS = {}
if os.getenv("VNEID_SERVER_URL") and os.getenv("VNEID_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "APPS": [
            {
                "provider_id": "vneid",
                "name": os.getenv("VNEID_NAME", "VNeID"),
                "client_id": os.getenv("VNEID_CLIENT_ID"),
                "secret": os.getenv("VNEID_CLIENT_SECRET", ""),
                "settings": {
                    "server_url": os.getenv("VNEID_SERVER_URL"),
                    "scope": envlist("VNEID_SCOPE", "openid,profile,phone"),
                    "oauth_pkce_enabled": envbool("VNEID_PKCE", "1"),
                },
            }
        ]
    }

# SMS: citizens.sms.send_sms() applies the city-wide daily cap, then hands the message to
# SMS_BACKEND (DatabaseBackend records it for /dev/sms/; GatewayBackend posts it through Celery).
SMS_DAILY_CAP = envint("SMS_DAILY_CAP", 20000)
SMS_GATEWAY_URL = os.getenv("SMS_GATEWAY_URL", "")
SMS_GATEWAY_USERNAME = os.getenv("SMS_GATEWAY_USERNAME", "")
SMS_GATEWAY_PASSWORD = os.getenv("SMS_GATEWAY_PASSWORD", "")
SMS_GATEWAY_BRANDNAME = os.getenv("SMS_GATEWAY_BRANDNAME", "HAIPHONG")
SMS_GATEWAY_TIMEOUT = envint("SMS_GATEWAY_TIMEOUT", 10)
# Brandname messages must match the template registered with the carriers; {code} is replaced.
SMS_CODE_TEMPLATE = os.getenv(
    "SMS_CODE_TEMPLATE", "Ma xac thuc Cong dan so Hai Phong cua ban la {code}. Ma co hieu luc 5 phut."
)
CELERY_BEAT_SCHEDULE["citizens-purge-stale"] = {
    "task": "citizens.tasks.purge_stale_account_data",
    "schedule": 3600,
}

# --- PAKN officer side: deadline reminders, public figures ---------------------------------------
CELERY_BEAT_SCHEDULE["feedback-deadline-reminders"] = {
    "task": "feedback.tasks.send_deadline_reminders_task",
    "schedule": 1800,
}
CELERY_BEAT_SCHEDULE["feedback-refresh-figures"] = {
    "task": "feedback.tasks.refresh_public_figures_task",
    "schedule": 300,
}
# How long computed PAKN figures are reused before they are counted again (seconds).
PAKN_STATS_CACHE_SECONDS = envint("PAKN_STATS_CACHE_SECONDS", 300)
# How long the 1022 city-wide board reuses its per-agency counts (seconds).
PAKN_BOARD_CACHE_SECONDS = envint("PAKN_BOARD_CACHE_SECONDS", 60)
# How long an officer's list pages are served again to the same browser when nothing changed (0: off).
PAKN_OFFICER_PAGE_CACHE_SECONDS = envint("PAKN_OFFICER_PAGE_CACHE_SECONDS", 30)

# --- Dịch vụ công: procedures and dossiers (publicservices) --------------------------------------
# A dossier's uploads: each file (PDF, JPEG, PNG) at most this many MB, a PDF this many pages, all this many MB.
PUBLICSERVICES_MAX_FILE_MB = envint("PUBLICSERVICES_MAX_FILE_MB", 10)
PUBLICSERVICES_MAX_PDF_PAGES = envint("PUBLICSERVICES_MAX_PDF_PAGES", 50)
PUBLICSERVICES_MAX_DOSSIER_MB = envint("PUBLICSERVICES_MAX_DOSSIER_MB", 40)
# The receiving agencies' codes in dossier codes (TT 01/2018 Art. 19): slug=code pairs, comma-separated;
# without one, a ward committee's code is UBND.<ward code> and another agency's its slug.
PUBLICSERVICES_AGENCY_CODES = os.getenv("PUBLICSERVICES_AGENCY_CODES", "")
# Dossier lookups by code per IP address, "<count>/<seconds>" (publicservices.limits, default cache).
PUBLICSERVICES_LOOKUP_RATE = os.getenv("PUBLICSERVICES_LOOKUP_RATE", "20/600")
# How long the public figures per agency are reused before they are counted again (seconds).
PUBLICSERVICES_STATS_CACHE_SECONDS = envint("PUBLICSERVICES_STATS_CACHE_SECONDS", 300)

# --- Tin tức: news, ward notices, schedules, outages (news) ---------------------------------------
CELERY_BEAT_SCHEDULE["news-warn-outages"] = {"task": "news.tasks.warn_outages_task", "schedule": 300}
CELERY_BEAT_SCHEDULE["news-sweep-deliveries"] = {"task": "news.tasks.sweep_deliveries_task", "schedule": 120}
# How long the home page reuses a ward's notices and outages and the city's latest news (seconds; 0: off).
NEWS_CACHE_SECONDS = envint("NEWS_CACHE_SECONDS", 60)
# Recipients per transaction when a ward notice or an outage warning is sent.
NEWS_DELIVERY_BATCH = envint("NEWS_DELIVERY_BATCH", 500)
# The hour (city time) of the day before an outage when its warning goes out.
OUTAGE_WARN_HOUR = envint("OUTAGE_WARN_HOUR", 7)

# --- The ward's install campaign (campaigns) -----------------------------------------------------
# Ward figures are kept this long (seconds) and dropped when a resident saves their profile; the
# city's 114 units a little longer (campaigns.figures). Lists longer than CAMPAIGN_EXPORT_SYNC_ROWS
# are built by a worker into CAMPAIGN_EXPORT_ROOT (private: never under MEDIA_ROOT, served only to
# the officer who asked, removed after two days).
from celery.schedules import crontab  # noqa: E402 - this section's own import

CAMPAIGN_FIGURES_SECONDS = envint("CAMPAIGN_FIGURES_SECONDS", 60)
CAMPAIGN_CITY_SECONDS = envint("CAMPAIGN_CITY_SECONDS", 300)
CAMPAIGN_EXPORT_SYNC_ROWS = envint("CAMPAIGN_EXPORT_SYNC_ROWS", 3000)
CAMPAIGN_EXPORT_ROOT = Path(os.getenv("CAMPAIGN_EXPORT_ROOT", BASE_DIR / "private" / "campaign-exports"))
# Phụ lục 01 is due before 17:00 on the 1st: the task runs on a month's last days, reminding the day before.
CELERY_BEAT_SCHEDULE["campaigns-monthly-reminders"] = {
    "task": "campaigns.tasks.monthly_reminders_task",
    "schedule": crontab(minute=0, hour=8, day_of_month="28-31"),
}
CELERY_BEAT_SCHEDULE["campaigns-weekly-snapshots"] = {
    "task": "campaigns.tasks.weekly_snapshots_task",
    "schedule": crontab(minute=30, hour=23, day_of_week="sunday"),
}
CELERY_BEAT_SCHEDULE["campaigns-purge-exports"] = {
    "task": "campaigns.tasks.purge_exports_task",
    "schedule": crontab(minute=15, hour=3),
}
CELERY_BEAT_SCHEDULE["campaigns-recount"] = {  # kept counts: "signed in in 30 days" follows the calendar
    "task": "campaigns.tasks.refresh_tallies_task",
    "schedule": crontab(minute=45, hour=2),
}

# --- REST API v1, app sign-in (allauth headless), schema --------------------------------------------
# REST API v1 under /api/v1/ (smarthp.api: errors, pages, throttles, sign-in), the app's sign-in by
# allauth's headless mode under /_allauth/app/v1/ (citizens.headless), the OpenAPI schema at
# /api/schema/ with Swagger UI and Redoc at /api/docs/ and /api/docs/redoc/ (smarthp.api_docs_urls).
INSTALLED_APPS += ["allauth.headless", "drf_spectacular", "drf_spectacular_sidecar", "corsheaders"]
# As high as possible: a preflight (OPTIONS) is answered before anything else looks at it.
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware"), "corsheaders.middleware.CorsMiddleware"
)
# allauth headless for the native app only ("app": the session token travels in X-Session-Token);
# the web keeps allauth's own pages. Its OpenAPI description is merged into ours (smarthp.api_docs).
HEADLESS_ONLY = False
HEADLESS_CLIENTS = ["app"]
HEADLESS_SERVE_SPECIFICATION = True
HEADLESS_SPECIFICATION_TEMPLATE_NAME = None  # its page loads Redoc from a CDN; ours is served here
SPECTACULAR_SETTINGS = {
    "TITLE": "Công dân số Hải Phòng — REST API v1",
    "DESCRIPTION": (
        "The portal's API for the city's app and third parties. Sign in through the `/_allauth/app/v1/` "
        "endpoints (phone + SMS code, or password; officers add their TOTP code), then send the session "
        "token from `meta.session_token` in the `X-Session-Token` header. Errors of /api/v1/ are "
        '`{"error": {"status", "code", "message", "fields"}}`, the message in the language of '
        "`Accept-Language` (vi, en). Lists are keyset pages: follow `next`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "smarthp.api_docs.merge_allauth_headless",
    ],
    "ENUM_NAME_OVERRIDES": {},
}
# CORS: closed (no header at all) unless origins are configured, for the API and the app sign-in.
# The app sends its token in a header, never a cookie: no credentials across origins.
CORS_ALLOWED_ORIGINS = envlist("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/(api|_allauth)/.*$"
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_HEADERS = (
    "accept",
    "accept-language",
    "content-type",
    "idempotency-key",
    "x-session-token",
)
CORS_EXPOSE_HEADERS = ["Retry-After", "Idempotent-Replayed"]

# --- Open311 write side: client keys --------------------------------------------------------------
# POST /api/open311/v2/requests.json needs an api_key issued by an administrator (admin, or
# `manage.py issue_open311_key`); each key has its own per-minute limit (feedback.open311.keys).
# media_url is fetched only from these hosts (HTTPS, public addresses, images up to the photo cap);
# empty: refused, clients upload the photo as `media`.
OPEN311_MEDIA_URL_HOSTS = envlist("OPEN311_MEDIA_URL_HOSTS")
OPEN311_MEDIA_URL_TIMEOUT = envint("OPEN311_MEDIA_URL_TIMEOUT", 5)
# A POST's body without a photo, in bytes (a photo may add feedback.photos.MAX_UPLOAD_BYTES).
OPEN311_MAX_FORM_BYTES = envint("OPEN311_MAX_FORM_BYTES", 256 * 1024)
# How long GET tokens/<token> answers for a POST's token.
OPEN311_TOKEN_DAYS = envint("OPEN311_TOKEN_DAYS", 30)
# discovery.json's contact and key_service lines (empty: the 1022 centre, in the request's language).
OPEN311_CONTACT = os.getenv("OPEN311_CONTACT", "")
OPEN311_KEY_SERVICE = os.getenv("OPEN311_KEY_SERVICE", "")

# --- Installable portal: Web Push -----------------------------------------------------------------
# The server's VAPID key pair (base64url, e.g. from `vapid --gen` then `vapid --applicationServerKey`
# of py_vapid, or any Web Push library). Unset: no push is sent and the opt-in button stays hidden.
WEBPUSH_VAPID_PUBLIC_KEY = os.getenv("WEBPUSH_VAPID_PUBLIC_KEY", "")
WEBPUSH_VAPID_PRIVATE_KEY = os.getenv("WEBPUSH_VAPID_PRIVATE_KEY", "")
# Who push services contact about our messages: a mailto: address or the portal's https address.
WEBPUSH_VAPID_SUBJECT = os.getenv("WEBPUSH_VAPID_SUBJECT", SITE_ROOT if SITE_ROOT.startswith("https://") else "")
# How long a push service keeps a message for a phone that is off (seconds).
WEBPUSH_TTL = envint("WEBPUSH_TTL", 86400)
# The portal posts each push to the address a browser gave: only hosts of these push services are kept.
WEBPUSH_ALLOWED_HOSTS = envlist(
    "WEBPUSH_ALLOWED_HOSTS",
    "fcm.googleapis.com,updates.push.services.mozilla.com,*.push.services.mozilla.com,"
    "web.push.apple.com,*.push.apple.com,*.notify.windows.com",
)
