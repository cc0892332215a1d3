"""Factories for every page type and snippet (wagtail-factories / factory_boy).

`tests/test_factories.py` fails when a page type has no factory here.
"""

import factory
import wagtail_factories
from wagtail.models import Locale
from wagtail.rich_text import RichText

from home.models import Footer, HomePage, NavigationMenu, StandardPage, Topic


def body(*parts):
    """A body StreamField value: strings starting with "## " become headings, others text."""
    blocks = []
    for part in parts or ("Buying better together.",):
        if part.startswith("## "):
            blocks.append(("heading", {"text": part[3:], "level": "h2"}))
        else:
            blocks.append(("paragraph", RichText(f"<p>{part}</p>")))
    return blocks


class LocaleDefaultMixin(factory.django.DjangoModelFactory):
    locale = factory.LazyFunction(Locale.get_default)


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Procura+ Network"
    hero_heading = "Sustainable procurement, shared"
    intro = "Public authorities buying better together."

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Standard page {n}")
    summary = "What the network is and how to take part."
    body = factory.LazyFunction(lambda: body("## Who we are", "Public authorities."))

    class Meta:
        model = StandardPage


class TopicFactory(LocaleDefaultMixin):
    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")

    class Meta:
        model = Topic


class NavigationMenuFactory(LocaleDefaultMixin):
    name = "Main navigation"
    items = "[]"

    class Meta:
        model = NavigationMenu


class FooterFactory(LocaleDefaultMixin):
    name = "Footer"
    about = "<p>An ICLEI initiative.</p>"
    links = "[]"

    class Meta:
        model = Footer
