"""The case study index's pictures: a map of Europe with the case studies per country, and
the results per topic as a bar chart, both drawn on the server as inline SVG from the
numbers the listing's summary has already counted (no query of their own).

The map's outlines are casestudies/data/europe.json, written by `manage.py build_europe_map`
from the npm package world-atlas (Natural Earth, public domain); read once per process.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import ngettext

from home.languages.formats import format_number

MAP_DATA = Path(__file__).resolve().parent / "data" / "europe.json"
SHADES = 5  # classes of shading, lightest to darkest (site.css: .europe-map .shade-N)


@cache
def europe():
    """The outlines: {"viewBox": ..., "countries": [{"code", "d", optional "dot"}]}."""
    return json.loads(MAP_DATA.read_text(encoding="utf-8"))


def shade(count, most):
    """The class of shading (1 to SHADES) of a count, in equal steps up to the largest count
    (or up to SHADES, so that a few case studies are not all drawn in the darkest shade)."""
    scale = max(most, SHADES)
    return max(1, -(-count * SHADES // scale))  # ceil(count / scale * SHADES)


def legend(most):
    """[(shade, lowest count, highest count)] of the classes some count up to `most` falls in."""
    scale = max(most, SHADES)
    steps = []
    for step in range(1, SHADES + 1):
        low, high = (step - 1) * scale // SHADES + 1, min(step * scale // SHADES, most)
        if low <= high:
            steps.append((step, low, high))
    return steps


@dataclass
class MapCountry:
    code: str
    name: str
    count: int
    href: str
    label: str  # "Belgium: 12 case studies", in the visitor's language
    shade: int
    selected: bool = False


def country_label(name, count):
    return ngettext(
        "%(country)s: %(counter)s case study", "%(country)s: %(counter)s case studies", count
    ) % {"country": name, "counter": format_number(count, 0)}


def map_context(options, href):
    """What the map and its table show, from the country facet's options (code, name in the
    visitor's language, count under the other filters); `href(code)` is the address of the
    listing filtered by that country."""
    listed = [o for o in options if o.count > 0]
    most = max((o.count for o in listed), default=0)
    found = {
        o.value: MapCountry(
            code=o.value,
            name=o.label,
            count=o.count,
            href=href(o.value),
            label=country_label(o.label, o.count),
            shade=shade(o.count, most),
            selected=o.selected,
        )
        for o in listed
    }
    shapes = []
    for outline in europe()["countries"]:
        shapes.append({**outline, "country": found.get(outline["code"])})
    # Countries with case studies are drawn last, so that their borders (and the focus
    # outline) are not covered by a neighbour without any.
    shapes.sort(key=lambda s: s["country"] is not None)
    return {
        "view_box": europe()["viewBox"],
        "shapes": shapes,
        "countries": list(found.values()),  # in the facet's order: by name
        "legend": legend(most) if most else [],
    }


# The bar chart: viewBox units (site.css sets the text size in the same units).
CHART_WIDTH = 480
CHART_ROW = 48
CHART_BAR = 16
CHART_VALUE_ROOM = 150  # right of the longest bar, for its value


def topic_chart(topic_totals, topic_names, measure="co2e"):
    """Bars of one figure by topic, largest first; topics that report it only.

    `topic_totals` is the summary's {slug: {"count", "co2e", ...}} under the current filters,
    `topic_names` the topics' names in the visitor's language."""
    rows = [
        {"slug": slug, "name": topic_names.get(slug, slug), **totals}
        for slug, totals in topic_totals.items()
    ]
    rows.sort(key=lambda r: r["name"].casefold())
    charted = sorted(
        (r for r in rows if r[measure] is not None and r[measure] > 0),
        key=lambda r: -r[measure],
    )
    most = charted[0][measure] if charted else 0
    room = CHART_WIDTH - CHART_VALUE_ROOM
    bars = []
    for position, row in enumerate(charted):
        top = position * CHART_ROW
        width = max(1, round(float(row[measure] / most) * room))
        bars.append(
            {
                **row,
                "value": row[measure],
                "label_y": top + 16,
                "bar_y": top + 24,
                "width": width,
                "value_x": width + 6,
                "value_y": top + 24 + CHART_BAR - 3,
            }
        )
    return {
        "rows": rows,  # for the table: every topic of the matches, by name
        "bars": bars,
        "view_box": f"0 0 {CHART_WIDTH} {len(bars) * CHART_ROW}",
        "bar_height": CHART_BAR,
    }
