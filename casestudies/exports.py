"""Open data: the filtered case study list as CSV and JSON, at the index URL with
?format=csv or ?format=json added to the filter parameters."""

import json
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import translation

from home import spreadsheets
from home.taxonomy import localized_tags, taxonomy_names

from .listing import CaseStudyFilters, ordered, totals
from .models import AuthorityType, PopulationBand

COLUMNS = [
    "title",
    "url",
    "language",
    "organisation",
    "country",
    "country_name",
    "authority_type",
    "population_band",
    "year",
    "topics",
    "approaches",
    "tags",
    "tag_names",
    "co2e_tonnes_per_year",
    "energy_mwh_per_year",
    "cost_saving_eur",
    "summary",
    "first_published",
]


def _number(value):
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal) else value


def rows(index_page, request):
    """One dict per case study, in the list's order; a constant number of queries."""
    filters = CaseStudyFilters(request.GET)
    queryset = ordered(filters.apply(index_page.case_studies()), filters.sort).prefetch_related(
        "topics", "approaches", "tagged_items__tag"
    )
    authority = dict(AuthorityType.choices)
    population = dict(PopulationBand.choices)
    language = translation.get_language()
    base_url = request.build_absolute_uri("/").rstrip("/")
    for page in queryset.iterator(chunk_size=500):
        yield {
            "title": page.title,
            "url": base_url + page.get_url(request),
            "language": language,
            "organisation": page.organisation,
            "country": page.country.code,
            "country_name": str(page.country.name),
            "authority_type": page.authority_type,
            "authority_type_label": str(authority.get(page.authority_type, "")),
            "population_band": page.population_band,
            "population_band_label": str(population.get(page.population_band, "")),
            "year": page.year,
            "topics": [t.slug for t in page.topics.all()],
            "approaches": [a.slug for a in page.approaches.all()],
            # Tags by their language-neutral key, as topics and approaches; their names in
            # the export's language alongside, in the same order.
            **_tags(page),
            "co2e_tonnes_per_year": _number(page.co2e_tonnes_per_year),
            "energy_mwh_per_year": _number(page.energy_mwh_per_year),
            "cost_saving_eur": _number(page.cost_saving_eur),
            "summary": page.summary,
            "first_published": (
                page.first_published_at.isoformat() if page.first_published_at else None
            ),
        }


def _tags(page):
    tags = localized_tags(item.tag for item in page.tagged_items.all())
    return {"tags": [slug for slug, _name in tags], "tag_names": [name for _slug, name in tags]}


def _csv_cell(value):
    if isinstance(value, list):
        return "; ".join(value)
    return "" if value is None else value


def export_response(index_page, request, kind):
    language = translation.get_language()
    filename = f"procura-case-studies-{language}.{kind}"
    if kind == "csv":
        writer = spreadsheets.writer(spreadsheets.Echo())

        def stream():
            yield "\ufeff"  # a BOM, so spreadsheet programs read UTF-8
            yield writer.writerow(COLUMNS)
            for row in rows(index_page, request):
                yield writer.writerow([_csv_cell(row[c]) for c in COLUMNS])

        response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    else:
        filters = CaseStudyFilters(request.GET)
        results = list(rows(index_page, request))
        summary = totals(filters.apply(index_page.case_studies()))
        body = {
            "language": language,
            "filters": {k: v for k, v in filters.selected.items() if v},
            "sort": filters.sort,
            "count": len(results),
            "totals": {
                "co2e_tonnes_per_year": _number(summary["co2e"]),
                "energy_mwh_per_year": _number(summary["energy"]),
                "cost_saving_eur": _number(summary["cost"]),
            },
            "topics": taxonomy_names("home.Topic"),
            "results": results,
        }
        response = HttpResponse(
            json.dumps(body, ensure_ascii=False, indent=1),
            content_type="application/json; charset=utf-8",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
