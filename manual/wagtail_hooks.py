from wagtail import hooks


@hooks.register("procura_import_sections")
def import_sections():
    from manual.import_sections import ManualChapterSection, ManualSection

    return [ManualSection(), ManualChapterSection()]


@hooks.register("procura_smoke_urls")
def smoke_urls():
    return ["/en/manual/whole/", "/de/manual/whole/"]
