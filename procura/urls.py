import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.contrib.sitemaps import views as sitemap_views
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views
from home.api import PublicDocumentsAPIViewSet, PublicImagesAPIViewSet, PublicPagesAPIViewSet
from home.sitemaps import SITEMAPS
from procura import media
from security import throttling
from translations.forbidden import answers_403
from translations.views import exchange as exchange_views
from translations.views import submit as submit_views

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)

urlpatterns = [
    path("health/", home_views.health, name="health"),
    path("api/v2/", api_router.urls),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", home_views.robots_txt, name="robots_txt"),
    # wagtail-localize's "Translate" forms, offering only the user's own languages; they
    # shadow the package's own views at the same addresses (translations/views/submit.py).
    path(
        "admin/localize/submit/page/<int:page_id>/",
        submit_views.OwnLanguagesPageTranslationView.as_view(),
    ),
    path(
        "admin/localize/submit/snippet/<slug:app_label>/<slug:model_name>/<str:pk>/",
        submit_views.OwnLanguagesSnippetTranslationView.as_view(),
    ),
    # wagtail-localize's PO download of one translation, each string's place described for
    # translators; it shadows the package's view at the same address.
    path(
        "admin/localize/translate/<int:translation_id>/pofile/download/",
        require_admin_access(answers_403(exchange_views.download_translation_po)),
    ),
    # Its PO upload of one translation, with the checks of the site's own uploads.
    path(
        "admin/localize/translate/<int:translation_id>/pofile/upload/",
        require_admin_access(answers_403(exchange_views.upload_translation_po)),
    ),
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's document addresses take an id of any length, which its view reads as a
    # number: one longer than any id can be is not found (rather than an error past Python's
    # 4,300 digits).
    re_path(r"^documents/[0-9]{11,}/", home_views.not_found),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.SERVE_MEDIA and settings.MEDIA_URL.startswith("/"):
    # Uploaded images, in production too unless a web server or CDN serves MEDIA_URL.
    urlpatterns.append(
        re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.+)$", media.serve)
    )

# Every public page carries its language: /en/…, /de/…. A request for "/" is redirected by
# LocaleMiddleware to the visitor's best language (Accept-Language), English otherwise.
urlpatterns += i18n_patterns(
    path("topics/", home_views.topic_index, name="topic_index"),
    path("topics/<slug:slug>/", home_views.topic_detail, name="topic"),
    path("tags/<slug:slug>/", home_views.tag_detail, name="tag"),
    path("search/", include("search.urls")),
    # Wagtail's page-password form, throttled like sign-ins (security/throttling.py).
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        throttling.authenticate_with_password,
        name="wagtailcore_authenticate_with_password",
    ),
    # Wagtail's own URLs; its page view given the request's site from a memo (home/views.py).
    *[
        pattern
        for pattern in wagtail_urls.urlpatterns
        if pattern.name not in {"wagtail_serve", "wagtailcore_authenticate_with_password"}
    ],
    re_path(wagtail_urls.serve_pattern, home_views.serve, name="wagtail_serve"),
    prefix_default_language=True,
)

# A refusal in the admin is the admin's own page, saying what was refused and why.
handler403 = "translations.forbidden.permission_denied"
