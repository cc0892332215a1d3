"""The public search: /<lang>/search/ (HTML and ?format=json) and /<lang>/search/autocomplete/."""

from django.apps import apps
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET
from django_countries import countries

from home.cache import SHORT_SECONDS, cache_for
from home.i18n import language_name_translated
from home.taxonomy import taxonomy_names
from search.query import QueryError, autocomplete, clean_filters, page_number, search

FACET_LABELS_ORDER = ("type", "topic", "country", "year", "tag")


def facet_labels(name, values):
    if name == "type":
        labels = {}
        for value in values:
            try:
                model = apps.get_model(value)
            except (LookupError, ValueError):
                continue
            labels[value] = str(model._meta.verbose_name_plural).capitalize()
        return labels
    if name == "topic":
        return taxonomy_names("home.Topic")
    if name == "country":
        return {code: str(countries.name(code)) for code in values}
    return {}


def labelled_facets(results):
    facets = []
    for name in FACET_LABELS_ORDER:
        options = results.facets.get(name) or []
        selected = results.filters.get(name, [])
        values = [v for v, _n in options] + [v for v in selected if v not in dict(options)]
        labels = facet_labels(name, values)
        counts = dict(options)
        facets.append(
            {
                "name": name,
                "options": [
                    {
                        "value": v,
                        "label": labels.get(v, v),
                        "count": counts.get(v, 0),
                        "selected": v in selected,
                    }
                    for v in values
                ],
            }
        )
    return facets


@require_GET
def search_view(request):
    cache_for(request, SHORT_SECONDS)  # results follow publishing within a minute at the edge
    locale = get_language()
    all_languages = request.GET.get("all") == "1"
    filters = clean_filters(request.GET)
    page = page_number(request.GET.get("page"))
    error = None
    try:
        results = search(
            request.GET.get("q", ""),
            locale,
            filters=filters,
            page=page,
            all_languages=all_languages,
            request=request,
        )
    except QueryError as err:
        error = str(err)
        results = None

    if request.GET.get("format") == "json":
        if error:
            return JsonResponse({"error": error}, status=400)
        return JsonResponse(
            {
                "query": results.query,
                "locale": locale,
                "all_languages": all_languages,
                "total": results.total,
                "page": results.page,
                "results": [
                    {
                        "title": hit.title,
                        "url": request.build_absolute_uri(hit.url),
                        "type": hit.content_type,
                        "locale": hit.locale,
                        "language": hit.language,
                        "fallback": hit.is_fallback,
                        "snippet": str(hit.snippet),
                    }
                    for hit in results.hits
                ],
                "facets": {
                    name: [{"value": v, "count": n} for v, n in options]
                    for name, options in results.facets.items()
                },
                "suggestion": results.suggestion,
                "engine": results.engine,
                "degraded": results.degraded,
            },
            json_dumps_params={"ensure_ascii": False},
        )

    context = {
        "search_query": request.GET.get("q", "")[:200],
        "error": error,
        "results": results,
        "all_languages": all_languages,
        "noindex": True,
    }
    if results is not None:
        paginator = Paginator(range(results.total), results.page_size)
        page_obj = paginator.get_page(results.page)
        params = request.GET.copy()
        params.pop("page", None)
        context.update(
            {
                "page_obj": page_obj,
                "query_string": params.urlencode(),
                "facets": labelled_facets(results),
                "language_names": {
                    h.language: language_name_translated(h.language) for h in results.hits
                },
            }
        )
    status = 400 if error else 200
    return render(request, "search/search.html", context, status=status)


@require_GET
def autocomplete_view(request):
    cache_for(request, SHORT_SECONDS)
    try:
        suggestions = autocomplete(request.GET.get("q", ""), get_language(), request)
    except QueryError as err:
        return JsonResponse({"error": str(err)}, status=400)
    return JsonResponse({"results": suggestions}, json_dumps_params={"ensure_ascii": False})
