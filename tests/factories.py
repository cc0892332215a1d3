"""Factories for every page type and snippet (wagtail-factories / factory_boy).

`tests/test_factories.py` fails when a page type has no factory here.
"""

import datetime
from decimal import Decimal

import factory
import wagtail_factories
from django.utils import timezone
from wagtail.models import Locale
from wagtail.rich_text import RichText

from casestudies.models import Approach, CaseStudyIndexPage, CaseStudyPage
from home.models import Footer, HomePage, NavigationMenu, StandardPage, Topic
from manual.models import ManualChapterPage, ManualPage
from news.models import EventIndexPage, EventPage, NewsIndexPage, NewsPage


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


class CaseStudyIndexPageFactory(wagtail_factories.PageFactory):
    title = "Case studies"
    slug = "case-studies"
    intro = "Replicable examples from public authorities across Europe."

    class Meta:
        model = CaseStudyIndexPage


class ApproachFactory(LocaleDefaultMixin):
    name = factory.Sequence(lambda n: f"Approach {n}")
    slug = factory.Sequence(lambda n: f"approach-{n}")

    class Meta:
        model = Approach


class CaseStudyPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Case study {n}")
    summary = "Cleaner buses for the city."
    organisation = "City of Ghent"
    country = "BE"
    authority_type = "municipality"
    population_band = "250k_1m"
    year = 2021
    body = factory.LazyFunction(lambda: body("## Background", "The city tendered electric buses."))
    co2e_tonnes_per_year = Decimal("120.50")
    energy_mwh_per_year = None
    cost_saving_eur = Decimal("50000")

    class Meta:
        model = CaseStudyPage
        skip_postgeneration_save = True

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if extracted:
            self.topics.set(extracted)
            self.save()

    @factory.post_generation
    def approaches(self, create, extracted, **kwargs):
        if extracted:
            self.approaches.set(extracted)
            self.save()

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if extracted:
            self.tags.set(extracted)
            self.save()


class ManualPageFactory(wagtail_factories.PageFactory):
    title = "The Procura+ Manual"
    slug = "manual"
    edition = "Third edition"
    year = 2016
    body = factory.LazyFunction(lambda: body("How to use this Manual."))

    class Meta:
        model = ManualPage


class ManualChapterPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Chapter {n}")
    summary = "What to do first."
    body = factory.LazyFunction(
        lambda: body("## Political commitment", "Get a mandate.", "## Targets", "Set targets.")
    )

    class Meta:
        model = ManualChapterPage


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    title = "News"
    slug = "news"

    class Meta:
        model = NewsIndexPage


class NewsPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"News item {n}")
    summary = "Three new cities join the network."
    date = factory.Sequence(lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=n))
    author = "Procura+ Secretariat"
    body = factory.LazyFunction(lambda: body("The network grows."))

    class Meta:
        model = NewsPage
        skip_postgeneration_save = True

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if extracted:
            self.tags.set(extracted)
            self.save()


class EventIndexPageFactory(wagtail_factories.PageFactory):
    title = "Events"
    slug = "events"

    class Meta:
        model = EventIndexPage


class EventPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Webinar {n}")
    summary = "Life-cycle costing in practice."
    event_type = "webinar"
    start = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=1))
    time_zone = "Europe/Brussels"
    online = True
    body = factory.LazyFunction(lambda: body("Agenda to follow."))
    live = True
    # A live page has been published (Wagtail sets this on publish); the calendars stamp
    # each event with it, so the same event gives the same bytes from one request to the next.
    last_published_at = factory.LazyAttribute(
        lambda o: timezone.now().replace(microsecond=0) if o.live else None
    )

    class Meta:
        model = EventPage
