"""Settings for serving the public: secrets have no default, so a missing one stops the start."""

from marshmallow import ValidationError, validate

from .base import *  # noqa: F403
from .base import ELASTICSEARCH_URL, env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")


def _delivers_mail(url):
    if url.partition(":")[0] not in {"smtp", "smtps", "submission", "submit", "file"}:
        raise ValidationError(
            "must deliver mail: smtp://, submission:// (STARTTLS), smtps://, or file:// for a"
            " local arrangement; console://, memory:// and dummy:// would lose it"
        )


# Password-reset links must reach their owner, not a log (base.py parses the URL).
EMAIL_URL = env.str("EMAIL_URL", validate=_delivers_mail)
# The public address in e-mails' links and the API's absolute addresses: no local default.
# (With a variable missing or malformed, a read gives None and env.seal() below reports it.)
_public_url = validate.URL(schemes={"http", "https"}, require_tld=False)
WAGTAILADMIN_BASE_URL = (env.str("WAGTAILADMIN_BASE_URL", validate=_public_url) or "").rstrip("/")
WAGTAILAPI_BASE_URL = (
    env.str("WAGTAILAPI_BASE_URL", WAGTAILADMIN_BASE_URL, validate=_public_url) or ""
).rstrip("/")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# TLS is terminated in front of the app servers; they see the scheme in this header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", True)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Wagtail's live preview shows the page in a same-origin frame, so DENY would break it; the
# check that asks for DENY (security.W019) is silenced for that reason alone.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]

# Purge the CDN when pages are published (Wagtail's frontend cache module), if one is set.
FRONTEND_CACHE_CLOUDFLARE_TOKEN = env.str("FRONTEND_CACHE_CLOUDFLARE_TOKEN", "")
FRONTEND_CACHE_CLOUDFLARE_ZONEID = env.str("FRONTEND_CACHE_CLOUDFLARE_ZONEID", "")
if FRONTEND_CACHE_CLOUDFLARE_TOKEN:
    if "wagtail.contrib.frontend_cache" not in INSTALLED_APPS:  # noqa: F405
        INSTALLED_APPS += ["wagtail.contrib.frontend_cache"]  # noqa: F405
    WAGTAILFRONTENDCACHE["cloudflare"] = {  # noqa: F405
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": FRONTEND_CACHE_CLOUDFLARE_TOKEN,
        "ZONEID": FRONTEND_CACHE_CLOUDFLARE_ZONEID,
    }

if ELASTICSEARCH_URL:
    # Scale-out: the admin's own search moves to the cluster too.
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.elasticsearch9",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX": env.str("ELASTICSEARCH_INDEX_PREFIX", "procura") + "-admin",
        }
    }

env.seal()
