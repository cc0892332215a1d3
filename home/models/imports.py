from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRecord(models.Model):
    """Which page or snippet an import file's record became, so a re-run updates it.

    `kind` is the file's section ("case_studies"), `key` the record's own key; the object is
    found through its translation key, shared by all its translations.
    """

    kind = models.CharField(_("section"), max_length=50)
    key = models.CharField(_("key"), max_length=200)
    translation_key = models.UUIDField(_("translation key"))
    imported_at = models.DateTimeField(_("last imported"), auto_now=True)

    class Meta:
        verbose_name = _("imported record")
        verbose_name_plural = _("imported records")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="unique_import_key")]

    def __str__(self):
        return f"{self.kind}:{self.key}"
