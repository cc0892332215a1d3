from django import template

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
