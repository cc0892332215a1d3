"""Open data: the filtered case study list as CSV and JSON, at the index URL with
?format=csv or ?format=json added to the filter parameters."""

import json
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import translation

from home import spreadsheets
from home.taxonomy import taxonomy_names

from .filters import FILTERS
from .listing import CaseStudyFilters, ordered, totals

# Each filter's columns (casestudies/filters.py) sit together, between what the case study is
# and what it achieved.
COLUMNS = [
    "title",
    "url",
    "language",
    "organisation",
    "authority_type",
    "population_band",
    *(column for f in FILTERS for column in f.export_columns),
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
    queryset = ordered(filters.apply(index_page.case_studies()), filters.sort)
    model = queryset.model
    queryset = queryset.prefetch_related(*filter(None, (f.prefetch(model) for f in FILTERS)))
    language = translation.get_language()
    base_url = request.build_absolute_uri("/").rstrip("/")
    for page in queryset.iterator(chunk_size=500):
        row = {
            "title": page.title,
            "url": base_url + page.get_url(request),
            "language": language,
            "organisation": page.organisation,
            "authority_type": page.authority_type,
            "authority_type_label": page.get_authority_type_display(),
            "population_band": page.population_band,
            "population_band_label": page.get_population_band_display(),
            "co2e_tonnes_per_year": _number(page.co2e_tonnes_per_year),
            "energy_mwh_per_year": _number(page.energy_mwh_per_year),
            "cost_saving_eur": _number(page.cost_saving_eur),
            "summary": page.summary,
            "first_published": (
                page.first_published_at.isoformat() if page.first_published_at else None
            ),
        }
        # Relations by their language-neutral keys (slugs), with their names in the export's
        # language alongside, in the same order.
        for f in FILTERS:
            row.update(f.exported(page))
        yield row


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
