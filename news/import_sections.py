"""Import sections for news and events and their index pages."""

from importer.importing import (
    TAG_LENGTH,
    Field,
    ImportFileError,
    PageSection,
    aware_datetime,
    boolean,
    choice,
    date,
    html,
    string_list,
    text,
)
from importer.models import ImportRecord
from importer.sections import (
    HERO_IMAGE_FIELDS,
    HeroImageFields,
    TopicSection,
    check_reference,
    home_page,
    set_snippet_links,
    set_tags,
)

from .models import EVENT_TIME_ZONES, EventIndexPage, EventPage, NewsIndexPage, NewsPage


def _index(model, kind, record_key, locale, title, slug):
    if record_key:
        found = ImportRecord.objects.filter(kind=kind, key=record_key).first()
        if found is None:
            raise ImportFileError(f'no {kind} record "{record_key}"')
        return model.objects.get(translation_key=found.translation_key, locale=locale)
    page = model.objects.filter(locale=locale, alias_of__isnull=True).first()
    if page is None:
        page = model(title=title, slug=slug, locale=locale)
        home_page(locale).specific.add_child(instance=page)
        page.save_revision().publish()
    return page


class IndexSection(PageSection):
    order = 30
    creates_pages = True
    fields = [
        Field("title", text(max_length=255, required=True), "title", translatable=True),
        Field("slug", text(max_length=255), "slug"),
        Field("summary", text(max_length=600), "summary", translatable=True),
        Field("intro", text(), "intro", translatable=True),
    ]

    def get_parent(self, record, ctx, locale):
        return home_page(locale).specific


class NewsIndexSection(IndexSection):
    name = "news_index"
    model = NewsIndexPage


class EventIndexSection(IndexSection):
    name = "event_index"
    model = EventIndexPage


class TaggedPageSection(HeroImageFields, PageSection):
    creates_pages = True

    def validate_record(self, record, where, ctx):
        super().validate_record(record, where, ctx)
        for key in record.get("topics") or []:
            check_reference(f"topics:{key}", ctx, where, "topics")

    def after_save(self, page, record, parsed, ctx):
        changed = set_snippet_links(page.topics, TopicSection, parsed["topics"])
        return set_tags(page, parsed["tags"]) or changed


class NewsSection(TaggedPageSection):
    name = "news"
    order = 60
    model = NewsPage
    fields = [
        Field("title", text(max_length=255, required=True), "title", translatable=True),
        Field("slug", text(max_length=255), "slug"),
        Field("date", date(required=True), "date"),
        Field("author", text(max_length=120), "author"),
        Field("summary", text(max_length=600, required=True), "summary", translatable=True),
        Field("body_html", html(), None, translatable=True),
        Field("topics", string_list(), None),
        Field("tags", string_list(max_length=TAG_LENGTH), None),
        *HERO_IMAGE_FIELDS,
    ]

    def get_parent(self, record, ctx, locale):
        return _index(NewsIndexPage, "news_index", None, locale, "News", "news")


def time_zone_name(required=False):
    def parse(value):
        if value in (None, ""):
            return "Europe/Brussels"
        if value not in EVENT_TIME_ZONES:
            raise ValueError(f'"{value}" is not a European or Central Asian IANA time zone')
        return value

    parse.required = required
    return parse


class EventSection(TaggedPageSection):
    name = "events"
    order = 61
    model = EventPage
    fields = [
        Field("title", text(max_length=255, required=True), "title", translatable=True),
        Field("slug", text(max_length=255), "slug"),
        Field("type", choice(EventPage.EventType.choices, default="webinar"), "event_type"),
        Field("start", aware_datetime(required=True), "start"),
        Field("end", aware_datetime(required=True), "end"),
        Field("timezone", time_zone_name(), "time_zone"),
        Field("summary", text(max_length=600, required=True), "summary", translatable=True),
        Field("body_html", html(), None, translatable=True),
        Field("location", text(max_length=250), "venue", translatable=True),
        Field("online", boolean(), "online"),
        Field("registration_url", text(max_length=200), "registration_url"),
        Field("topics", string_list(), None),
        Field("tags", string_list(max_length=TAG_LENGTH), None),
        *HERO_IMAGE_FIELDS,
    ]

    def validate_record(self, record, where, ctx):
        super().validate_record(record, where, ctx)
        parsed = self.parse_fields(record, where)
        if parsed["end"] < parsed["start"]:
            raise ImportFileError("is before the start", where, "end")
        if not parsed["online"] and not parsed["location"]:
            raise ImportFileError('is required unless "online" is true', where, "location")

    def get_parent(self, record, ctx, locale):
        return _index(EventIndexPage, "event_index", None, locale, "Events", "events")
