from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Revision


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


class ImportedVersion(models.Model):
    """The revision an import last published of a record in one language.

    A re-run updates a page or snippet only while this is still its latest revision: a newer
    one, published or a draft, is an editor's or a translator's work, which the import leaves
    alone (docs/import-format.md, "Conflicts").
    """

    record = models.ForeignKey(ImportRecord, on_delete=models.CASCADE, related_name="versions")
    locale = models.ForeignKey(Locale, on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey(Revision, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("imported version")
        verbose_name_plural = _("imported versions")
        constraints = [
            models.UniqueConstraint(fields=["record", "locale"], name="unique_imported_version")
        ]

    def __str__(self):
        return f"{self.record} ({self.locale_id}): revision {self.revision_id}"
