"""Settings shared by every environment.

Every value that differs between machines is read from the environment through one typed
schema (`env`); nothing is needed for a first run: SQLite, database search, local-memory
cache and files on disk. See docs/configuration.md for each variable.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from csp.constants import NONE, SELF, UNSAFE_INLINE
from environs import Env
from marshmallow import validate

from .languages import EU_LANGUAGES, register_language_info

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = BASE_DIR / "var"

# Errors are collected and raised together by `env.seal()` at the end of each settings module,
# so a misconfigured machine hears about every missing or malformed variable at once.
env = Env(eager=False)
env.read_env(BASE_DIR / ".env", recurse=False)

DEBUG = env.bool("DEBUG", False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Project apps first: their templates and hooks take precedence over the packages'.
    "home",
    "importer",
    "casestudies",
    "manual",
    "news",
    "search",
    "translations",
    "security",
    "operations",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_countries",
    "rest_framework",
    "django_filters",
    "axes",
    "csp",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # WhiteNoise directly after SecurityMiddleware, so static files skip everything else.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response (security/headers.py).
    "security.headers.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETags, so that a browser's revalidation of an unchanged page is a 304.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control and cache tags for visitors' responses (home/cache.py).
    "home.cache.EdgeCacheMiddleware",
    "translations.middleware.TranslationLocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Confirms an editor's approval of a workflow task (translations/approvals.py).
    "translations.approvals.ApprovalMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "home.redirects.RedirectMiddleware",
    # An editor's action is one transaction (operations/transactions.py); after the middleware
    # whose checks run before the view.
    "operations.transactions.AtomicAdminActionsMiddleware",
    # Last, as django-axes asks: turns a lockout into its page (security/throttling.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "procura.urls"
WSGI_APPLICATION = "procura.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: SQLite file by default, PostgreSQL (or any dj-database-url URL) by DATABASE_URL.
DATABASES = {
    "default": env.dj_db_url(
        "DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env.int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for the file's lock (up to `timeout` seconds) from the start of their
    # transaction. In SQLite's default (deferred) mode a transaction that has read and then
    # writes while another writes fails at once with "database is locked": two editors'
    # autosaves at the same moment were a 500.
    # A URL's own options (`?timeout=…`) are kept.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory by default, Redis (redis://…) or any django-cache-url URL by CACHE_URL.
CACHES = {"default": env.dj_cache_url("CACHE_URL", default="locmem://procura")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A Redis that cannot be reached is logged and bypassed, never an error for a visitor
    # (operations/resilient_cache.py); short timeouts, so an unanswering server costs little.
    CACHES["default"]["BACKEND"] = "operations.resilient_cache.ResilientRedisCache"
    CACHES["default"]["OPTIONS"] = {
        "socket_connect_timeout": env.float("CACHE_TIMEOUT", 0.5),
        "socket_timeout": env.float("CACHE_TIMEOUT", 0.5),
        "RETRY_AFTER": env.float("CACHE_RETRY_AFTER", 5.0),
        **CACHES["default"].get("OPTIONS", {}),
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: the 24 official EU languages, for content and interface alike.
register_language_info()
LANGUAGE_CODE = "en"
LANGUAGES = EU_LANGUAGES
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
# Date and number formats for languages Django has none for (Maltese).
FORMAT_MODULE_PATH = ["procura.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Brussels"

# Static and media files.
STATIC_URL = "/static/"
# Where `collectstatic` gathers the static files the app (WhiteNoise) serves.
STATIC_ROOT = env.path("STATIC_ROOT", VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded images and documents, in MEDIA_ROOT. With SERVE_MEDIA the app serves /media/
# itself (procura/media.py: images only, long cache lifetimes for the edge cache); turn it off
# when a web server or CDN serves MEDIA_URL instead (docs/operations.md, "Media files").
MEDIA_URL = env.str("MEDIA_URL", "/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", VAR_DIR / "media")
SERVE_MEDIA = env.bool("SERVE_MEDIA", True)
MEDIA_CACHE_SECONDS = env.int("MEDIA_CACHE_SECONDS", 60 * 60 * 24 * 30)
# Where `manage.py backup` writes its archives (docs/operations.md, "Backups").
BACKUP_DIR = env.path("BACKUP_DIR", VAR_DIR / "backups")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail.
WAGTAIL_SITE_NAME = "Procura+ Network"
# The public address, in links of e-mails (password resets, moderation notices); required in
# production. The API's absolute addresses use WAGTAILAPI_BASE_URL, the same by default.
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
# The admin's own search (pages, images, documents in the Wagtail admin). The public site
# search is the `search` app's, configured below.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILAPI_BASE_URL = env.str("WAGTAILAPI_BASE_URL", WAGTAILADMIN_BASE_URL).rstrip("/")
WAGTAILAPI_LIMIT_MAX = 100
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Work that follows a change but need not hold up the editor (the search index of a page's 24
# language versions, Wagtail's reference index) is queued in the database and done by the
# task worker, `manage.py db_worker` (docs/operations.md, "The workers").
# Bulk commands run their own at the end, on the immediate backend (home/batching.py).
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
    "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}

# The edge cache (Varnish, deploy/varnish/) purged by Wagtail's frontend cache module when
# pages change: its address, e.g. http://127.0.0.1:8080 (docs/operations.md). Unset: no
# purges are sent (responses still say how long a shared cache may keep them).
FRONTEND_CACHE_URL = env.str("FRONTEND_CACHE_URL", "")
WAGTAILFRONTENDCACHE = {}
# Each language version of a page is a page of its own, with its own address: Wagtail need
# not purge every address in every language prefix.
WAGTAILFRONTENDCACHE_LANGUAGES = []
if FRONTEND_CACHE_URL:
    INSTALLED_APPS += ["wagtail.contrib.frontend_cache"]
    WAGTAILFRONTENDCACHE["varnish"] = {
        "BACKEND": "home.cache.VarnishBackend",
        "LOCATION": FRONTEND_CACHE_URL,
    }

# Public full-text search (the `search` app). Elasticsearch is used when ELASTICSEARCH_URL is
# set; otherwise the database's own engine (PostgreSQL tsvector + GIN, or SQLite FTS5).
ELASTICSEARCH_URL = env.str("ELASTICSEARCH_URL", "")
PROCURA_SEARCH = {
    "ELASTICSEARCH_URL": ELASTICSEARCH_URL,
    "ELASTICSEARCH_INDEX_PREFIX": env.str("ELASTICSEARCH_INDEX_PREFIX", "procura"),
    # After a search finds the cluster unreachable, searches use the database's own index
    # for this many seconds before asking it again (search/engines/elasticsearch.py).
    "ELASTICSEARCH_RETRY_AFTER": env.float("ELASTICSEARCH_RETRY_AFTER", 30.0),
}
# Days of visitors' queries kept for the "Popular searches" report (manage.py prune_query_log,
# run daily by the scheduled worker).
SEARCH_QUERY_LOG_DAYS = env.int("SEARCH_QUERY_LOG_DAYS", 180)

# Submitting a page for translation never publishes it: a translation goes live only when an
# editor approves it (the "Translation review" workflow, translations/roles.py).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
WAGTAIL_LOCALIZE_DEFAULT_TRANSLATION_MODE = "synced"

# Machine translation in the translation editor: off unless a service is configured.
DEEPL_API_KEY = env.str("DEEPL_API_KEY", "")
LIBRETRANSLATE_URL = env.str("LIBRETRANSLATE_URL", "")
LIBRETRANSLATE_API_KEY = env.str("LIBRETRANSLATE_API_KEY", "")
if DEEPL_API_KEY:
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
        "OPTIONS": {"AUTH_KEY": DEEPL_API_KEY},
    }
elif LIBRETRANSLATE_URL:
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.libretranslate.LibreTranslator",
        "OPTIONS": {"LIBRETRANSLATE_URL": LIBRETRANSLATE_URL, "API_KEY": LIBRETRANSLATE_API_KEY},
    }

# Only strictly necessary cookies: sessions and CSRF for signed-in users, no language cookie
# (the language lives in the URL), so anonymous visitors need no consent banner.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_AGE = None

# Login throttling (django-axes; security/throttling.py): after LOGIN_FAILURE_LIMIT wrong
# passwords in a row for one user name (or one password-protected page) from one address,
# that pair is locked for LOGIN_LOCKOUT_MINUTES, counted again from each further attempt.
# A right password resets the count. `manage.py axes_reset` or the admin's "Login
# lockouts" lift locks (docs/operations.md, "Login lockouts").
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",  # a ModelBackend too, so force_login and sessions work
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", 5, validate=validate.Range(min=1))
AXES_COOLOFF_TIME = timedelta(
    minutes=env.int("LOGIN_LOCKOUT_MINUTES", 15, validate=validate.Range(min=1))
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "security.throttling.lockout_response"
# The client's address behind the site's own proxies (load balancer, Varnish), each of which
# appends to X-Forwarded-For: how many there are. 0: REMOTE_ADDR, no proxy.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", 0, validate=validate.Range(min=0))
AXES_CLIENT_IP_CALLABLE = "security.throttling.client_ip"
# Axes keeps the failures only, not a log of every sign-in (addresses nobody reads).
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# Content-Security-Policy (django-csp; security/headers.py). Public pages: nothing inline
# and nothing from elsewhere but the embed providers' players (and MEDIA_URL's host, when
# media come from a CDN). The Wagtail admin needs inline scripts and styles: a policy of its
# own. CSP_REPORT_ONLY=true sends both as Content-Security-Policy-Report-Only, to try a
# change of policy without breaking pages; CSP_REPORT_URI collects the browsers' reports.
EMBED_ORIGINS = [
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
]
_media = urlsplit(MEDIA_URL)
_media_origin = [f"{_media.scheme}://{_media.netloc}"] if _media.netloc else []
# (No setting of django-csp's older names, CSP_*: its system check refuses them.)
_csp_report_uri = env.str("CSP_REPORT_URI", "")
_csp_report = {"report-uri": [_csp_report_uri]} if _csp_report_uri else {}
_csp_common = {
    "default-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    # Wagtail's live preview shows pages in a frame of the admin (as X_FRAME_OPTIONS).
    "frame-ancestors": [SELF],
    "frame-src": [SELF, *EMBED_ORIGINS],
    **_csp_report,
}
PUBLIC_CSP_DIRECTIVES = {
    **_csp_common,
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF, "data:", *_media_origin],
    "media-src": [SELF, *_media_origin],
    "font-src": [SELF],
    "connect-src": [SELF],
}
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **_csp_common,
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *_media_origin],
        "media-src": [SELF, *_media_origin],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
    }
}
CONTENT_SECURITY_POLICY = None
CONTENT_SECURITY_POLICY_REPORT_ONLY = None
if env.bool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": PUBLIC_CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": PUBLIC_CSP_DIRECTIVES}
# Browser features no page of the site uses; full screen for the embedded players only.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "fullscreen": ["self", *(f'"{origin}"' for origin in EMBED_ORIGINS)],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
}
# Editors' avatars are not fetched from Gravatar: no editor's address goes to a third party,
# and the admin's policy loads images from the site only.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Mail (password resets, moderation notices) by EMAIL_URL: smtp://user:pass@host:25,
# submission://user:pass@host:587 (STARTTLS), smtps://… or file:///folder; the console here,
# and production refuses to start without a server (production.py).
EMAIL_URL = env.str("EMAIL_URL", "console://")
vars().update(env.dj_email_url("EMAIL_URL", "console://") or {})
if EMAIL_URL.startswith("file:"):
    # dj-email-url drops the path's leading slash: file:///var/mail would be relative.
    EMAIL_FILE_PATH = urlsplit(EMAIL_URL).path
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "Procura+ Network <network@procuraplus.example>")
# The sender of error reports to ADMINS.
SERVER_EMAIL = env.str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.log_level("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Page and task bookkeeping is noise on the console; warnings still show.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        # Each failed sign-in is a warning of axes'; its step-by-step notes are not.
        "axes": {"level": "WARNING"},
    },
}
