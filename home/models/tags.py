"""Names of free tags in each language.

A tag (django-taggit's `Tag`) is one language-neutral key, its slug, shared by every
language version of a page: translations carry their original's tags. Visitors see a tag by
its name in their language where editors gave one, else by the tag's own name
(home/taxonomy.py: `tag_names`).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TagName(models.Model):
    tag = models.ForeignKey(
        "taggit.Tag", on_delete=models.CASCADE, related_name="names", verbose_name=_("tag")
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("tag name")
        verbose_name_plural = _("tag names")
        ordering = ["tag__name", "language"]
        constraints = [
            models.UniqueConstraint(fields=["tag", "language"], name="unique_tag_name_per_language")
        ]

    def __str__(self):
        return f"{self.tag} ({self.language}): {self.name}"
