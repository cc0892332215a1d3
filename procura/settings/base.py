"""Settings shared by every environment.

Every value that differs between machines is read from the environment through one typed
schema (`env`); nothing is needed for a first run: SQLite, database search, local-memory
cache and files on disk. See docs/configuration.md for each variable.
"""

from pathlib import Path

from environs import Env

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
    "casestudies",
    "manual",
    "news",
    "search",
    "translations",
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
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory by default, Redis (redis://…) or any django-cache-url URL by CACHE_URL.
CACHES = {"default": env.dj_cache_url("CACHE_URL", default="locmem://procura")}

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
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail.
WAGTAIL_SITE_NAME = "Procura+ Network"
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
# The admin's own search (pages, images, documents in the Wagtail admin). The public site
# search is the `search` app's, configured below.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILAPI_LIMIT_MAX = 100
WAGTAIL_ENABLE_UPDATE_CHECK = False

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
}

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

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", "Procura+ Network <network@procuraplus.example>")

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
    },
}
