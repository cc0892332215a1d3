from wagtail import hooks


@hooks.register("procura_import_sections")
def import_sections():
    from news.import_sections import EventIndexSection, EventSection, NewsIndexSection, NewsSection

    return [NewsIndexSection(), EventIndexSection(), NewsSection(), EventSection()]
