"""What the translations app keeps of its own (the rest is wagtail-localize's)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import PageViewRestriction


class RestrictionCopy(models.Model):
    """A translation's copy of its original's view restriction (translations/restrictions.py),
    told apart from a restriction an editor put on the translation itself."""

    original = models.ForeignKey(PageViewRestriction, on_delete=models.CASCADE, related_name="+")
    copy = models.OneToOneField(
        PageViewRestriction, on_delete=models.CASCADE, related_name="copied_from"
    )

    class Meta:
        verbose_name = _("copy of a view restriction")
        verbose_name_plural = _("copies of view restrictions")

    def __str__(self):
        return f"{self.copy_id} (copy of {self.original_id})"
