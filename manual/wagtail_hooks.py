from wagtail import hooks


@hooks.register("procura_import_sections")
def import_sections():
    from manual.import_sections import ManualChapterSection, ManualSection

    return [ManualSection(), ManualChapterSection()]
