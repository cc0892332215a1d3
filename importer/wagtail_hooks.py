from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from importer.importing import OVERWRITE_ACTION
from importer.sections import (
    FooterSection,
    HomeSection,
    ImageSection,
    NavigationSection,
    StandardPageSection,
    TagNameSection,
    TopicSection,
)


@hooks.register("register_log_actions")
def register_import_actions(actions):
    """The audit log's word for an import overwriting an editor's or translator's change
    (`import_content --force`)."""
    actions.register_action(OVERWRITE_ACTION, _("Overwrite by import"), _("Overwritten by import"))


@hooks.register("procura_import_sections")
def import_sections():
    """The sections of the shared base's content: images first (pages refer to them), then
    topics, tag names, standard pages, the home page, navigation and footer."""
    return [
        ImageSection(),
        TopicSection(),
        TagNameSection(),
        StandardPageSection(),
        HomeSection(),
        NavigationSection(),
        FooterSection(),
    ]
