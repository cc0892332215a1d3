"""Admin forms of the news app's page types."""

from django.utils.translation import gettext_lazy as _

from home.forms import HeroImagePageForm


class EventPageForm(HeroImagePageForm):
    """An event says where it is held before it is published; a draft (saved by the editor
    or autosaved while they type) may not know yet. Wagtail marks a draft save with
    `is_deferred_validation`."""

    def clean(self):
        cleaned_data = super().clean()
        if (
            not self.is_deferred_validation
            and not cleaned_data.get("online")
            and not cleaned_data.get("venue")
        ):
            self.add_error("venue", _("Give a venue, or mark the event as online."))
        return cleaned_data
