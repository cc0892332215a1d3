"""Tags of the search forms (templates/includes/search_form.html, templates/search/search.html)."""

import json

from django import template
from django.utils.translation import gettext, ngettext

from search.query import AUTOCOMPLETE_LIMIT

register = template.Library()


@register.simple_tag
def autocomplete_counts():
    """What the live region says for 0, 1, … AUTOCOMPLETE_LIMIT suggestions, in the active
    language, as a JSON list for a data- attribute: the script picks by index, so every
    language's plural forms are right without a plural rule in the browser."""
    messages = [gettext("No suggestions")]
    messages += [
        ngettext(
            "%(count)d suggestion available.",
            "%(count)d suggestions available.",
            count,
        )
        % {"count": count}
        for count in range(1, AUTOCOMPLETE_LIMIT + 1)
    ]
    return json.dumps(messages, ensure_ascii=False)
