"""Network news (with RSS and Atom feeds per language) and events (with iCalendar files)."""

import zoneinfo

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.blocks import BodyBlock
from home.cache import cache_until
from home.languages.i18n import with_content_language, with_revision_owner
from home.models import BasePage
from home.models.images import (
    CARD_IMAGE_PREFETCH,
    HERO_IMAGE_API_FIELDS,
    HERO_IMAGE_TRANSLATABLE_FIELDS,
    HeroImageMixin,
)
from home.models.pages import PAGE_TRANSLATABLE_FIELDS
from home.taxonomy import localized_names, taxonomy_names
from news.feeds import NewsAtomFeed, NewsRssFeed
from news.forms import EventPageForm
from news.ical import event_ical_response, events_ical_response

PAGE_SIZE = 10

# Time zones an event may be held in: Europe's and Central Asia's, where the network works.
EVENT_TIME_ZONES = sorted(
    zone
    for zone in zoneinfo.available_timezones()
    if zone.startswith(("Europe/", "Asia/"))
    and zone.split("/")[1]
    in {
        "Amsterdam",
        "Athens",
        "Belgrade",
        "Berlin",
        "Bratislava",
        "Brussels",
        "Bucharest",
        "Budapest",
        "Copenhagen",
        "Dublin",
        "Helsinki",
        "Lisbon",
        "Ljubljana",
        "London",
        "Luxembourg",
        "Madrid",
        "Malta",
        "Oslo",
        "Paris",
        "Prague",
        "Riga",
        "Rome",
        "Sofia",
        "Stockholm",
        "Tallinn",
        "Vienna",
        "Vilnius",
        "Warsaw",
        "Zagreb",
        "Zurich",
        "Kyiv",
        "Chisinau",
        "Tbilisi",
        "Istanbul",
        "Almaty",
        "Tashkent",
        "Bishkek",
        "Dushanbe",
        "Ashgabat",
    }
)


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.NewsPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class EventPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.EventPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class NewsIndexPage(RoutablePageMixin, BasePage):
    """Network news, newest first, with an RSS and an Atom feed in each language."""

    intro = models.TextField(_("introduction"), blank=True)

    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.NewsPage"]
    max_count_per_parent = 1

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]
    translatable_fields = [*PAGE_TRANSLATABLE_FIELDS, TranslatableField("intro")]

    class Meta:
        verbose_name = _("news index")
        verbose_name_plural = _("news indexes")

    @property
    def listed_types(self):
        return (NewsPage,)

    def news_items(self):
        items = NewsPage.objects.visible().child_of(self)
        return (
            with_revision_owner(items)
            .order_by("-date", "-pk")
            .select_related("hero_image")
            .prefetch_related("topics", *CARD_IMAGE_PREFETCH)
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        page_obj = Paginator(self.news_items(), PAGE_SIZE).get_page(request.GET.get("page"))
        page_obj.object_list = with_content_language(page_obj.object_list)
        context.update(
            {
                "page_obj": page_obj,
                "news_items": page_obj.object_list,
                "topic_names": taxonomy_names("home.Topic"),
            }
        )
        return context

    @path("feed/", name="rss")
    def rss_feed(self, request):
        return NewsRssFeed(self)(request)

    @path("feed/atom/", name="atom")
    def atom_feed(self, request):
        return NewsAtomFeed(self)(request)


class NewsPage(HeroImageMixin, BasePage):
    date = models.DateField(_("date"), default=timezone.localdate)
    author = models.CharField(_("author"), max_length=120, blank=True)
    topics = ParentalManyToManyField("home.Topic", blank=True, verbose_name=_("topics"))
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True, verbose_name=_("tags"))
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    listed_on_home = True
    home_heading = _("Latest news")
    home_position = 1
    search_prefetch = ("topics", "tagged_items__tag")
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []

    content_panels = [
        *BasePage.content_panels,
        FieldRowPanel([FieldPanel("date"), FieldPanel("author")]),
        MultiFieldPanel(
            [FieldPanel("topics", widget=forms.CheckboxSelectMultiple), FieldPanel("tags")],
            heading=_("Classification"),
        ),
        HeroImageMixin.hero_image_panel(),
        FieldPanel("body"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("body"), index.FilterField("date")]
    translatable_fields = [
        *PAGE_TRANSLATABLE_FIELDS,
        TranslatableField("body"),
        SynchronizedField("date"),
        SynchronizedField("author"),
        SynchronizedField("topics"),
        SynchronizedField("tagged_items"),
        *HERO_IMAGE_TRANSLATABLE_FIELDS,
    ]
    api_fields = [
        *HERO_IMAGE_API_FIELDS,
        APIField("date"),
        APIField("author"),
        APIField("summary"),
        APIField("topic_slugs"),
        APIField("tag_slugs"),
        APIField("body"),
    ]

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")

    @property
    def topic_slugs(self):
        return [t.slug for t in self.topics.all()]

    @property
    def tag_slugs(self):
        return [item.tag.slug for item in self.tagged_items.all()]

    @classmethod
    def home_listing(cls, pages):
        return pages.order_by("-date", "-pk")

    @property
    def listing_date(self):
        return self.date

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["topic_names"] = localized_names("home.Topic", self.topics.all())
        context["news_index"] = self.get_parent().specific
        return context

    def indexed_content(self):
        content = super().indexed_content()
        content.date = self.date
        content.filters = {
            "topic": self.topic_slugs,
            "tag": self.tag_slugs,
            "year": [str(self.date.year)] if self.date else [],
        }
        return content


class EventIndexPage(RoutablePageMixin, BasePage):
    """Webinars, the annual seminar and meetings: what is coming up, and what has been, with
    a calendar to subscribe to in each language."""

    intro = models.TextField(_("introduction"), blank=True)

    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.EventPage"]
    max_count_per_parent = 1

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]
    translatable_fields = [*PAGE_TRANSLATABLE_FIELDS, TranslatableField("intro")]

    class Meta:
        verbose_name = _("event index")
        verbose_name_plural = _("event indexes")

    @property
    def listed_types(self):
        return (EventPage,)

    def events(self):
        return with_revision_owner(EventPage.objects.visible().child_of(self))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        events = self.events().select_related("hero_image").prefetch_related(*CARD_IMAGE_PREFETCH)
        context["upcoming"] = with_content_language(events.filter(end__gte=now).order_by("start"))
        # An upcoming event moves to the past ones when it ends: the edge keeps it no longer.
        cache_until(request, [event.end for event in context["upcoming"]])
        past = events.filter(end__lt=now).order_by("-start")
        past_page = Paginator(past, PAGE_SIZE).get_page(request.GET.get("page"))
        past_page.object_list = with_content_language(past_page.object_list)
        context["past_page"] = past_page
        return context

    # A calendar programs subscribe to: /<lang>/events/ical/ (see EventPage.ical on the name).
    @path("ical/", name="ical")
    def ical(self, request):
        return events_ical_response(self, request)


class EventPage(HeroImageMixin, RoutablePageMixin, BasePage):
    class EventType(models.TextChoices):
        WEBINAR = "webinar", _("Webinar")
        SEMINAR = "seminar", _("Seminar")
        MEETING = "meeting", _("Meeting")
        CONFERENCE = "conference", _("Conference")

    event_type = models.CharField(
        _("type of event"), max_length=20, choices=EventType.choices, default=EventType.WEBINAR
    )
    # Required to publish; nullable so that a new event's first draft (Wagtail saves it as a
    # row, and autosaves it from the first keystroke) can be saved before they are given.
    start = models.DateTimeField(_("starts"), null=True)
    end = models.DateTimeField(_("ends"), null=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=40,
        choices=[(z, z.replace("_", " ")) for z in EVENT_TIME_ZONES],
        default="Europe/Brussels",
        help_text=_("Where the event is held; times are shown in it."),
    )
    online = models.BooleanField(_("online"), default=False)
    venue = models.CharField(
        _("venue"), max_length=250, blank=True, help_text=_("Place and city, if not only online.")
    )
    registration_url = models.URLField(_("registration link"), blank=True)
    topics = ParentalManyToManyField("home.Topic", blank=True, verbose_name=_("topics"))
    tags = ClusterTaggableManager(through=EventPageTag, blank=True, verbose_name=_("tags"))
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    listed_on_home = True
    home_heading = _("Upcoming events")
    home_position = 2
    search_prefetch = ("topics", "tagged_items__tag")
    base_form_class = EventPageForm
    parent_page_types = ["news.EventIndexPage"]
    subpage_types = []

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("event_type"),
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("time_zone"),
                FieldRowPanel([FieldPanel("online"), FieldPanel("venue")]),
                FieldPanel("registration_url"),
            ],
            heading=_("When and where"),
        ),
        MultiFieldPanel(
            [FieldPanel("topics", widget=forms.CheckboxSelectMultiple), FieldPanel("tags")],
            heading=_("Classification"),
        ),
        HeroImageMixin.hero_image_panel(),
        FieldPanel("body"),
    ]
    search_fields = [*BasePage.search_fields, index.SearchField("body"), index.FilterField("start")]
    translatable_fields = [
        *PAGE_TRANSLATABLE_FIELDS,
        TranslatableField("venue"),
        TranslatableField("body"),
        SynchronizedField("event_type"),
        SynchronizedField("start"),
        SynchronizedField("end"),
        SynchronizedField("time_zone"),
        SynchronizedField("online"),
        SynchronizedField("registration_url"),
        SynchronizedField("topics"),
        SynchronizedField("tagged_items"),
        *HERO_IMAGE_TRANSLATABLE_FIELDS,
    ]
    api_fields = [
        *HERO_IMAGE_API_FIELDS,
        APIField("event_type"),
        APIField("start"),
        APIField("end"),
        APIField("time_zone"),
        APIField("online"),
        APIField("venue"),
        APIField("registration_url"),
        APIField("summary"),
        APIField("body"),
    ]

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("An event cannot end before it starts.")})
        # Whether a venue is given is checked on publishing only (EventPageForm).

    @property
    def zone(self):
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("Europe/Brussels")

    @property
    def local_start(self):
        return timezone.localtime(self.start, self.zone) if self.start else None

    @property
    def local_end(self):
        return timezone.localtime(self.end, self.zone) if self.end else None

    @property
    def is_upcoming(self):
        return self.end is not None and self.end >= timezone.now()

    @classmethod
    def home_listing(cls, pages):
        """Those not yet ended, the soonest first."""
        return pages.filter(end__gte=timezone.now()).order_by("start", "pk")

    @property
    def listing_date(self):
        """The day it starts, where it is held."""
        return self.local_start.date() if self.start else None

    @property
    def listed_until(self):
        return self.end

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["topic_names"] = localized_names("home.Topic", self.topics.all())
        context["ical_url"] = self.url + self.reverse_subpage("ical")
        # Its registration link goes when it ends: the edge keeps the page no longer.
        cache_until(request, [self.end])
        return context

    # Wagtail's page URLs end in a slash and take no dots, hence not "event.ics"; the
    # download is still named <slug>.ics by its Content-Disposition.
    @path("ical/", name="ical")
    def ical(self, request):
        return event_ical_response(self, request)

    def indexed_content(self):
        content = super().indexed_content()
        content.body = "\n".join(filter(None, [self.venue, content.body]))
        content.date = self.local_start.date() if self.start else None
        content.filters = {
            "topic": [t.slug for t in self.topics.all()],
            "tag": [item.tag.slug for item in self.tagged_items.all()],
            "year": [str(content.date.year)] if content.date else [],
        }
        return content
