from wagtail import hooks

from news.import_sections import EventIndexSection, EventSection, NewsIndexSection, NewsSection


@hooks.register("procura_import_sections")
def import_sections():
    return [NewsIndexSection(), EventIndexSection(), NewsSection(), EventSection()]


@hooks.register("procura_smoke_urls")
def smoke_urls():
    return [
        "/en/news/feed/",
        "/en/news/feed/atom/",
        "/pl/news/feed/",
        "/en/events/ical/",
        "/en/events/procura-plus-seminar-2027/ical/",
    ]
