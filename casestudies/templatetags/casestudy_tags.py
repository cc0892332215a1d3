from django import template
from django.http import QueryDict

from home.routing import page_url

from ..charts import map_context, topic_chart
from ..listing import CaseStudyFilters
from ..models import CaseStudyIndexPage

register = template.Library()


@register.simple_tag
def facet_toggle(filters, name, value):
    """The query string of the current filters with one value added or removed."""
    values = list(filters.selected[name])
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    return filters.query_string(**{name: values})


@register.inclusion_tag("casestudies/includes/map.html", takes_context=True)
def case_study_map(context, home=None):
    """The map of Europe with the case studies per country, and its table.

    On the case study index (no argument) it shows the listing's own country counts, which
    follow the other filters chosen, and each country links to the listing with that country
    chosen instead. Given a home page (`{% case_study_map page %}`), it shows the whole series
    of that language, each country linking to the index filtered by it: one query more.
    """
    request = context.get("request")
    if home is None:
        filters, options = context["filters"], context["facets"]["country"]

        def href(code):
            return "?" + filters.query_string(country=[code])

    else:
        index = CaseStudyIndexPage.objects.visible().child_of(home).first()
        if index is None:
            return {"shapes": []}
        options = CaseStudyFilters(QueryDict()).facets(index.case_studies())["country"]
        base = page_url(index, request)

        def href(code):
            return f"{base}?country={code}"

    return map_context(options, href)


@register.inclusion_tag("casestudies/includes/impact_chart.html", takes_context=True)
def case_study_impact_chart(context):
    """The CO2e saved per year by topic under the current filters, as bars and a table."""
    return topic_chart(context["topic_totals"], context["topic_names"])
