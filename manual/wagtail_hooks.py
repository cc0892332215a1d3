from wagtail import hooks

from manual.import_sections import ManualChapterSection, ManualSection


@hooks.register("procura_import_sections")
def import_sections():
    return [ManualSection(), ManualChapterSection()]


@hooks.register("procura_smoke_urls")
def smoke_urls():
    return ["/en/manual/whole/", "/de/manual/whole/"]
