"""The public search: /<lang>/search/ (HTML and ?format=json) and /<lang>/search/autocomplete/."""

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from home.cache import SHORT_SECONDS, cache_for
from home.facets import FacetOption
from home.languages.i18n import language_name_translated
from home.models import Topic
from home.taxonomy import taxonomy_names
from search.facets import FACETS
from search.models import IndexFilter
from search.query import QueryError, autocomplete, clean_filters, page_number, search

# Topics a search without results suggests.
POPULAR_TOPICS = 6


def labelled_facets(results):
    """The search page's facets, in order: {name, label, options: [FacetOption]}."""
    facets = []
    for facet in FACETS:
        counts = dict(results.facets.get(facet.name) or [])
        selected = results.filters.get(facet.name, [])
        values = [*counts, *(v for v in selected if v not in counts)]
        names = facet.names(values)
        facets.append(
            {
                "name": facet.name,
                "label": facet.label,
                # In the engine's order: the most results first.
                "options": [
                    FacetOption(v, names[v], counts.get(v, 0), v in selected) for v in values
                ],
            }
        )
    return facets


def popular_topics(locale, limit=POPULAR_TOPICS):
    """[{"name", "url"}] of the live topics with the most entries in this language's tree
    (fallback content included), named in the active language: one query, and one more for
    the names while they are not remembered (home/taxonomy.py), whatever the number of topics."""
    names = taxonomy_names(Topic)
    if not names:
        return []
    slugs = (
        IndexFilter.objects.filter(locale=locale, name="topic", value__in=list(names))
        .values("value")
        .annotate(entries=Count("id"))
        .order_by("-entries", "value")
        .values_list("value", flat=True)[:limit]
    )
    return [{"name": names[slug], "url": reverse("topic", args=[slug])} for slug in slugs]


@require_safe
def search_view(request):
    cache_for(request, SHORT_SECONDS)  # results follow publishing within a minute at the edge
    locale = get_language()
    all_languages = request.GET.get("all") == "1"
    filters = clean_filters(request.GET)
    page = page_number(request.GET.get("page"))
    error = None

    def results_on(page):
        return search(
            request.GET.get("q", ""),
            locale,
            filters=filters,
            page=page,
            all_languages=all_languages,
            request=request,
        )

    try:
        results = results_on(page)
        if page > results.num_pages:
            # A page past the last (an old link, a hand-typed number): the last, as the
            # site's listings answer it.
            results = results_on(results.num_pages)
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
        facets = labelled_facets(results)
        paginator = Paginator(range(results.total), results.page_size)
        page_obj = paginator.get_page(results.page)
        params = request.GET.copy()
        params.pop("page", None)
        # "Did you mean": the same search (its languages, its filters) for the suggestion.
        suggested = params.copy()
        suggested["q"] = results.suggestion or ""
        context.update(
            {
                "page_obj": page_obj,
                "query_string": params.urlencode(),
                "suggestion_query": suggested.urlencode(),
                # Only the filters that have something to choose: no empty "Refine" box.
                "facets": [facet for facet in facets if facet["options"]],
                "language_names": {
                    h.language: language_name_translated(h.language) for h in results.hits
                },
            }
        )
        if results.query and not results.total:
            context["popular_topics"] = popular_topics(locale)
    status = 400 if error else 200
    return render(request, "search/search.html", context, status=status)


@require_safe
def autocomplete_view(request):
    cache_for(request, SHORT_SECONDS)
    try:
        suggestions = autocomplete(request.GET.get("q", ""), get_language(), request)
    except QueryError as err:
        return JsonResponse({"error": str(err)}, status=400)
    return JsonResponse({"results": suggestions}, json_dumps_params={"ensure_ascii": False})
