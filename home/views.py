"""Views that are not pages: health check, and the topic and tag pages listing every kind of
content in the visitor's language."""

import logging
import secrets

from django.apps import apps
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from taggit.models import Tag
from wagtail import hooks
from wagtail import views as wagtail_views
from wagtail.models import Page, get_page_models

from home import routing
from home.languages.i18n import active_locale, default_locale, with_content_language
from home.models import Topic
from home.models.images import with_card_images
from home.taxonomy import localized_terms, tag_names
from home.visibility import visible

logger = logging.getLogger(__name__)

PAGE_SIZE = 20


def serve(request, path):
    """Wagtail's page view, given the request's site from the per-process memo
    (home/routing.py). Who may see the page is decided on the way (home/wagtail_hooks.py)."""
    routing.site_for_request(request)
    return wagtail_views.serve(request, path)


@never_cache
@require_safe
def health(request):
    """For load balancers, monitoring and the container HEALTHCHECK: each service the site
    uses, checked on its own (docs/operations.md).

    200 with `"status": "ok"` when all answer; 200 with `"degraded"` when the cache or the
    search engine does not (the site still serves, slower or from the database's own search
    index); 503 with `"down"` when the database does not. Apps add their services through
    the `procura_health_checks` hook: a function returning {name: check}, where a check
    returns a dict with at least "status" ("ok" or "down") and may raise (then "down").
    What went wrong is logged, never shown.
    """
    checks = {"database": _database_health, "cache": _cache_health}
    for provider in hooks.get_hooks("procura_health_checks"):
        checks.update(provider())
    report = {}
    for name, check in checks.items():
        try:
            report[name] = check()
        except Exception:
            logger.exception("Health check of %s failed", name)
            report[name] = {"status": "down"}
    if report["database"]["status"] != "ok":
        status, code = "down", 503
    elif any(result["status"] != "ok" for result in report.values()):
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, "checks": report}, status=code)


def _database_health():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": "ok"}


def _cache_health():
    """A value written and read back (a cache that cannot be reached acts as a miss)."""
    from django.core.cache import cache

    token = secrets.token_hex(8)
    key = f"health:probe:{token}"  # a key of its own: checks of other processes share Redis
    cache.set(key, token, 30)
    found = cache.get(key)
    cache.delete(key)
    return {"status": "ok" if found == token else "down"}


def _page_models_with(field_name):
    return [m for m in get_page_models() if any(f.name == field_name for f in m._meta.get_fields())]


def _listing(request, condition_for_model, field_name):
    """Live pages of every type that has `field_name`, matching, in the active language."""
    locale = active_locale()
    ids = Q()
    for model in _page_models_with(field_name):
        matching = model.objects.filter(condition_for_model(model), locale=locale).values("pk")
        ids |= Q(pk__in=matching)
    if not ids:
        return Paginator([], PAGE_SIZE).get_page(1)
    pages = visible(Page.objects.filter(ids)).order_by("-first_published_at", "-pk")
    page_obj = Paginator(pages, PAGE_SIZE).get_page(request.GET.get("page"))
    page_obj.object_list = with_card_images(with_content_language(page_obj.object_list.specific()))
    return page_obj


@require_safe
def topic_index(request):
    """Every topic with its description and the number of case studies on it, in the
    visitor's language (a name or description not translated yet in the default language,
    marked so). Two queries, whatever the number of topics and case studies."""
    topics = sorted(localized_terms(Topic), key=lambda term: term["name"].casefold())
    counts = case_study_counts_by_topic()
    for topic in topics:
        topic["case_study_count"] = counts.get(topic["slug"], 0)
    return render(request, "home/topic_index.html", {"topics": topics})


def case_study_counts_by_topic():
    """{topic slug: number of case studies visitors may see in the active language}. A page
    links its own language's topic where it is translated, else the original: both share
    the slug. One query."""
    case_study = apps.get_model("casestudies", "CaseStudyPage")
    rows = (
        visible(case_study.objects.filter(locale=active_locale(), topics__isnull=False))
        .values("topics__slug")
        .annotate(count=Count("pk", distinct=True))
        .order_by()
    )
    return {row["topics__slug"]: row["count"] for row in rows}


@require_safe
def topic_detail(request, slug):
    locale = active_locale()
    topic = (
        Topic.objects.filter(slug=slug, locale=locale).first()
        or Topic.objects.filter(slug=slug, locale=default_locale()).first()
    )
    if topic is None:
        raise Http404
    page_obj = _listing(request, lambda model: Q(topics__slug=slug), "topics")
    return render(
        request,
        "home/topic_detail.html",
        {"topic": topic, "page_obj": page_obj, "items": page_obj.object_list},
    )


@require_safe
def tag_detail(request, slug):
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        raise Http404
    page_obj = _listing(request, lambda model: Q(tagged_items__tag=tag), "tagged_items")
    if not page_obj.paginator.count:
        # No page visitors may see carries the tag here: nothing to list, and its name may be
        # one that only a private, unpublished or scheduled page uses.
        raise Http404
    return render(
        request,
        "home/tag_detail.html",
        {
            "tag": tag,
            "tag_name": tag_names().get(tag.slug, tag.name),
            "page_obj": page_obj,
            "items": page_obj.object_list,
        },
    )


def not_found(request, *args, **kwargs):
    raise Http404


@require_safe
def robots_txt(request):
    from django.http import HttpResponse

    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /*/search/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
