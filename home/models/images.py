"""The hero image a page type may carry: one image, chosen from Wagtail's library, with a
text alternative that is required unless the editor marks the image as decorative.

The image is the same in every language (synchronised); its text alternative is translated.
`HeroImagePageForm` (home/forms.py) asks for the text alternative before publishing.
"""

from django.db import models
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.forms import HeroImagePageForm

# For `translatable_fields` of the page types that use the mixin.
HERO_IMAGE_TRANSLATABLE_FIELDS = [
    SynchronizedField("hero_image"),
    TranslatableField("hero_image_alt"),
    SynchronizedField("hero_image_decorative"),
]

# For `api_fields`: the image (its id and the images endpoint's address, where its file and
# renditions are) and the text alternative it is shown with ("" for a decorative image).
HERO_IMAGE_API_FIELDS = [APIField("hero_image"), APIField("hero_image_alt_text")]

# Relations a listing fetches for all its cards at once (see `with_card_images`).
CARD_IMAGE_PREFETCH = ("hero_image__renditions",)


class HeroImageMixin(models.Model):
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("hero image"),
    )
    hero_image_alt = models.CharField(
        _("hero image text alternative"),
        max_length=250,
        blank=True,
        help_text=_(
            "What the image shows, for people who cannot see it. Required unless the image "
            "is decorative."
        ),
    )
    hero_image_decorative = models.BooleanField(
        _("decorative image"),
        default=False,
        help_text=_("Tick if the image adds nothing a reader needs: screen readers then skip it."),
    )

    base_form_class = HeroImagePageForm

    class Meta:
        abstract = True

    @classmethod
    def hero_image_panel(cls):
        return MultiFieldPanel(
            [
                FieldPanel("hero_image"),
                FieldPanel("hero_image_alt"),
                FieldPanel("hero_image_decorative"),
            ],
            heading=_("Hero image"),
        )

    @property
    def hero_image_alt_text(self):
        """The `alt` the image is shown with: empty for a decorative image."""
        return "" if self.hero_image_decorative else self.hero_image_alt


def with_card_images(pages):
    """Fetch the hero images of listed pages, of any types, and all their renditions, in
    two queries per page type rather than two per card. Returns `pages`."""
    pages = list(pages)
    by_type = {}
    for page in pages:
        if isinstance(page, HeroImageMixin):
            by_type.setdefault(type(page), []).append(page)
    for same_type in by_type.values():
        prefetch_related_objects(same_type, *CARD_IMAGE_PREFETCH)
    return pages
