"""HeatWiki settings, read from the environment (see the README's settings table).

Safe by default: DEBUG is off unless DJANGO_DEBUG turns it on, and without DEBUG there is no
fallback secret key.
"""

import sys
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import urlsplit

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        sys.exit(
            "HeatWiki: set DJANGO_SECRET_KEY (a long random string) or DJANGO_DEBUG=on "
            "for local development."
        )
    # Development only: a fixed, openly insecure key so sessions survive autoreloads.
    SECRET_KEY = "django-insecure-heatwiki-development-only"

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "heatwiki.accounts.admin_site.HeatWikiAdminConfig",  # django.contrib.admin
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    "markdownx",
    "allauth",
    "allauth.account",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "django_tasks_rq",
    "heatwiki",
    "heatwiki.wiki",
    "heatwiki.search",
    "heatwiki.works",
    "heatwiki.news",
    "heatwiki.accounts",
    "heatwiki.pagecache",
    "heatwiki.api",
    "heatwiki.community",
    "heatwiki.seed",
    "scenes",
    "people",
]
# The benchmark tooling (heatwiki.bench: manage.py bench, bench_scale, synthesize_wiki) is for
# development: installed with HEATWIKI_BENCH=on, or with DEBUG where the source tree has it
# (the built wheel leaves it out, so production has none of its commands).
HEATWIKI_BENCH = env.bool("HEATWIKI_BENCH", default=False)
if HEATWIKI_BENCH and not find_spec("heatwiki.bench"):
    sys.exit("HeatWiki: HEATWIKI_BENCH=on needs heatwiki/bench, which the built wheel leaves out.")
if HEATWIKI_BENCH or (DEBUG and find_spec("heatwiki.bench")):
    INSTALLED_APPS.append("heatwiki.bench")

# The headers first: every answer passes back through them, errors made by any middleware below
# included. The guard comes before anything that reads the request (heatwiki.edge.middleware).
MIDDLEWARE = [
    "heatwiki.edge.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # /api/ and /dumps/: CORS for reading, ETag and Last-Modified with 304s.
    "heatwiki.api.middleware.ApiMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "heatwiki.edge.middleware.RequestGuardMiddleware",
    # Read-only mode: anything that would write answers 503 with what was typed.
    "heatwiki.edge.availability.ReadOnlyMiddleware",
    # Before sessions and authentication: a cached page for an anonymous reader needs neither.
    "heatwiki.pagecache.cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in reader's account from memory on views that read the content generation.
    "heatwiki.accounts.readers.KnownReaderMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # A reader's spoiler choice ("My Heat") kept in its cookie when saved or signed in with.
    "heatwiki.wiki.layer_views.LayerCookieMiddleware",
    # Moved pages answer 301 and deleted ones 410, from whichever view of them was asked for.
    "heatwiki.wiki.addresses.PageAddressMiddleware",
    # Signed-in readers' pages from frames stored for all, with each reader's own parts.
    "heatwiki.pagecache.frames.FrameMiddleware",
]

ROOT_URLCONF = "heatwiki.urls"
WSGI_APPLICATION = "heatwiki.wsgi.application"

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
                "heatwiki.wiki.context_processors.page_kinds_nav",
                "heatwiki.edge.availability.read_only",
                "heatwiki.community.context_processors.community",
            ],
        },
    },
]

# Database: SQLite file under var/ unless DATABASE_URL says otherwise.
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'heatwiki.sqlite3'}")
}
# Connections are kept between requests (opening one costs more than most page views), and
# checked before reuse so a restarted database server costs one error-free reconnect.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers share the file: readers do not wait for a writer (WAL), and a
    # write transaction takes its lock when it begins rather than failing halfway through.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and sessions: Redis when REDIS_URL is set, so every app server shares them; without it
# the default cache (rate limits) is a table in the database, which every worker shares too.
# "pages" holds rendered pages for anonymous readers (heatwiki.pagecache); without Redis each
# worker keeps its own, which is safe because the key comes from the database (the content
# generation).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        alias: {
            # A Redis that cannot be reached is a cache miss, not an error (heatwiki.edge.cache);
            # one that hangs is given up on quickly.
            "BACKEND": "heatwiki.edge.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"heatwiki:{alias}",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        for alias in ("default", "pages")
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        # Rate limits count here, so every worker must see the same counters: a table in the
        # database (heatwiki.accounts.models.CacheEntry), not each process's memory.
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "heatwiki_cache",
            # Past this many rows, expired ones are removed (and a third of the rest if need be).
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
    }
    SESSION_ENGINE = "heatwiki.accounts.sessions"
# Addresses whose answers are JSON, refusals at the edge included (the read API).
HEATWIKI_JSON_PATHS = ["/api/"]

# Read-only mode, for maintenance and replicas: pages are read, nothing is written, and a
# banner says why. The wiki also goes read-only by itself while the database refuses writes.
HEATWIKI_READ_ONLY = env.bool("HEATWIKI_READ_ONLY", default=False)
HEATWIKI_READ_ONLY_REASON = env.str(
    "HEATWIKI_READ_ONLY_REASON", default="The wiki is read-only for maintenance."
)

# How long a rendered page may be served: changes are seen at once whatever this is; it bounds
# only the age of relative times such as "5 minutes ago".
HEATWIKI_PAGE_CACHE_SECONDS = env.int("HEATWIKI_PAGE_CACHE_SECONDS", default=120)

# Background jobs (notification e-mails, digests, watchers' fan-out): Django's tasks API. Jobs
# wait in the database (run them with `manage.py db_worker`), or in Redis through RQ when
# REDIS_URL is set (`manage.py rqworker --job-class django_tasks_rq.Job --with-scheduler`).
# HEATWIKI_TASKS_BACKEND=database keeps them in the database even with Redis.
HEATWIKI_TASKS_BACKEND = env.str(
    "HEATWIKI_TASKS_BACKEND", default="rq" if REDIS_URL else "database"
)
if HEATWIKI_TASKS_BACKEND not in {"database", "rq"}:
    sys.exit("HeatWiki: HEATWIKI_TASKS_BACKEND is database or rq.")
if HEATWIKI_TASKS_BACKEND == "rq" and not REDIS_URL:
    sys.exit("HeatWiki: HEATWIKI_TASKS_BACKEND=rq needs REDIS_URL.")
TASKS = {
    "default": {
        "BACKEND": "django_tasks_rq.RQBackend"
        if HEATWIKI_TASKS_BACKEND == "rq"
        else "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 300}}
# No RQ dashboard in the admin: it would show every job's arguments to every moderator, and
# it answers only when Redis does. Operators read failures with `manage.py failed_tasks`.
RQ_SHOW_ADMIN_LINK = False
# A job that fails is tried again this many times in all, waiting this many seconds before the
# second try, twice as long before the third, and so on (HEATWIKI_TASK_RETRY_DELAY).
HEATWIKI_TASK_ATTEMPTS = env.int("HEATWIKI_TASK_ATTEMPTS", default=5)
HEATWIKI_TASK_RETRY_DELAY = env.int("HEATWIKI_TASK_RETRY_DELAY", default=30)
# The site's address in e-mails (links to diffs, unsubscribe links).
HEATWIKI_SITE_URL = env.str("HEATWIKI_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Talk posts and thanks per account: counted like edits.
HEATWIKI_TALK_RATE = env.str("HEATWIKI_TALK_RATE", default="30/h")
HEATWIKI_NEW_ACCOUNT_TALK_RATE = env.str("HEATWIKI_NEW_ACCOUNT_TALK_RATE", default="10/h")
HEATWIKI_THANKS_RATE = env.str("HEATWIKI_THANKS_RATE", default="30/h")

# Outgoing mail: EMAIL_URL (smtp://user:pass@host:587/?tls=True) or the console.
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = env.str(
        "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
    )
# Where EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend writes each message.
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="HeatWiki <wiki@localhost>")

# Accounts: django-allauth. Fans sign in with their username or e-mail address; they may sign
# in before confirming their address, but only a confirmed address lets them edit.
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
CSRF_FAILURE_VIEW = "heatwiki.views.csrf_failure"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
# Failed sign-ins count per account, whether the username or the e-mail address is typed.
ACCOUNT_ADAPTER = "heatwiki.accounts.adapter.AccountAdapter"
# The account forms with the site's plain labels (sentence case, "e-mail").
ACCOUNT_FORMS = {
    name: f"heatwiki.accounts.forms.{form}"
    for name, form in {
        "login": "LoginForm",
        "signup": "SignupForm",
        "add_email": "AddEmailForm",
        "change_password": "ChangePasswordForm",
        "set_password": "SetPasswordForm",
        "reset_password": "ResetPasswordForm",
        "reset_password_from_key": "ResetPasswordKeyForm",
    }.items()
}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "optional"
# Sign-up gives one answer whether or not the address has an account (its owner is told by
# mail): new accounts confirm their address before they are signed in (heatwiki.accounts.forms).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[HeatWiki] "
ACCOUNT_USERNAME_BLACKLIST = ["heatwiki", "admin", "administrator", "moderator", "root"]
ACCOUNT_PRESERVE_USERNAME_CASING = False
# Counted in the cache (Redis when REDIS_URL is set), so the limits hold across app servers.
# Failed sign-ins: 5 per account in 5 minutes and 20 per address in 15 minutes, then a
# cool-off until the window passes. Sign-ups: 5 an hour per address.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("HEATWIKI_LOGIN_FAILED_RATE", default="20/15m/ip,5/5m/key"),
    "signup": env.str("HEATWIKI_SIGNUP_RATE", default="5/h/ip"),
}
# Edits (saves, creations, reverts) per account: fewer for accounts younger than a day.
HEATWIKI_EDIT_RATE = env.str("HEATWIKI_EDIT_RATE", default="60/h")
HEATWIKI_NEW_ACCOUNT_EDIT_RATE = env.str("HEATWIKI_NEW_ACCOUNT_EDIT_RATE", default="10/h")
# Title suggestions (the search box, [[ in the editor), per address.
HEATWIKI_SUGGEST_RATE = env.str("HEATWIKI_SUGGEST_RATE", default="120/m")
# Image uploads in the editor, per account.
HEATWIKI_UPLOAD_RATE = env.str("HEATWIKI_UPLOAD_RATE", default="30/h")

# The read API (heatwiki.api): Django REST framework, JSON only, GET only. Requests per address
# without a token, per account with one; counted like the site's own limits (in Redis when set).
HEATWIKI_API_ANON_RATE = env.str("HEATWIKI_API_ANON_RATE", default="60/m")
HEATWIKI_API_USER_RATE = env.str("HEATWIKI_API_USER_RATE", default="600/m")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "heatwiki.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["heatwiki.api.throttling.ApiRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_SCHEMA_CLASS": "heatwiki.api.schema.ApiSchema",
    "DEFAULT_VERSIONING_CLASS": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "HeatWiki read API",
    "DESCRIPTION": (
        "Every page of HeatWiki with its fields, relations and history; a change feed to "
        "mirror the wiki by polling; search. Content is licensed CC BY-SA 4.0."
    ),
    "VERSION": "1",
    "LICENSE": {"name": "CC BY-SA 4.0", "url": "https://creativecommons.org/licenses/by-sa/4.0/"},
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {},
    # A page's address is a slug, as the URL converter reads it.
    "PATH_CONVERTER_OVERRIDES": {"slug": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"}},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "heatwiki.api.schema.text_parameters_refuse_control_characters",
    ],
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=VAR_DIR / "static")
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded images go to an S3-compatible bucket when one is named, so that every app server
# sees them (django-storages; credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or
# the machine's role). Uploads get random names and are never overwritten. File pages' images
# are read through the storage and served by HeatWiki (/images/…), which refuses hidden ones;
# older editor uploads and dumps are served by the bucket, so their addresses carry no signature.
if MEDIA_S3_BUCKET := env.str("DJANGO_MEDIA_S3_BUCKET", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": env.str("DJANGO_MEDIA_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("DJANGO_MEDIA_S3_REGION", default="") or None,
            "custom_domain": env.str("DJANGO_MEDIA_S3_CUSTOM_DOMAIN", default="") or None,
            "location": "media",
            "file_overwrite": False,
            "querystring_auth": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }

# The Markdown editor (django-markdownx widget only; its views are replaced by
# heatwiki.wiki.editor, so markdownx.urls is deliberately not mounted).
MARKDOWNX_MARKDOWNIFY_FUNCTION = "heatwiki.wiki.markdown.render_markdown"
# static/js/editor.js grows the text area with its text (and shrinks it again).
MARKDOWNX_EDITOR_RESIZABLE = False

# HTTPS-only settings: on whenever DEBUG is off; DJANGO_HTTPS=off allows a plain-HTTP run.
HTTPS = env.bool("DJANGO_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env.bool("DJANGO_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Rate limits count per client address: take it from X-Forwarded-For, set by this many
    # proxies in front of the app, or every visitor would share the proxy's address.
    ALLAUTH_TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=1)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# The map's tiles (/map/ and each location's small map): OpenStreetMap's by default. The
# policy names the tile server's origin, so tiles load from it and from no other map host.
HEATWIKI_MAP_TILE_URL = env.str(
    "HEATWIKI_MAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
HEATWIKI_MAP_TILE_ATTRIBUTION = env.str(
    "HEATWIKI_MAP_TILE_ATTRIBUTION",
    default=(
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
    ),
)
_tiles = urlsplit(HEATWIKI_MAP_TILE_URL)
MAP_TILE_ORIGIN = f"{_tiles.scheme}://{_tiles.netloc}" if _tiles.netloc else ""

MEDIA_IMAGE_SOURCES = []
if MEDIA_S3_BUCKET:
    MEDIA_IMAGE_SOURCES = [
        f"https://{domain}"
        if (domain := STORAGES["default"]["OPTIONS"]["custom_domain"])
        else "https:"
    ]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # Bodies show no other site's images (they stay links); uploaded media may come from
        # their bucket.
        "img-src": [
            "'self'",
            "data:",
            *MEDIA_IMAGE_SOURCES,
            *([MAP_TILE_ORIGIN] if MAP_TILE_ORIGIN else []),
        ],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}
