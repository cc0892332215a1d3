"""The import file's "glossary" section: glossary terms and their variants (place names in
each language), as docs/import-format.md describes them."""

from django.conf import settings

from importer.importing import LANGUAGE_CODES, Conflict, Field, ImportSection, choice, text
from importer.models import ImportRecord

from .models import GlossaryTerm, GlossaryVariant

ANY_LANGUAGE = "any"  # the file's key for spellings of any language (an empty language)


def variants(value):
    """{"de": ["Krakau", …], "any": ["Krakow"]} → [("de", "Krakau"), …, ("", "Krakow")]."""
    if not isinstance(value, dict) or not value:
        raise ValueError('must map languages (or "any") to lists of names')
    found = []
    for code, names in value.items():
        if code != ANY_LANGUAGE and code not in LANGUAGE_CODES:
            raise ValueError(f'"{code}" is not one of the site\'s languages, nor "any"')
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ValueError(f'"{code}" must be a list of names')
        for name in names:
            name = name.strip()
            if not name or len(name) > 100:
                raise ValueError(f'"{code}": a name must have 1 to 100 characters')
            variant = ("" if code == ANY_LANGUAGE else code, name)
            if variant not in found:
                found.append(variant)
    return found


variants.required = True


class GlossarySection(ImportSection):
    """Terms are matched by key. A term that is no longer as the file has it (changed in
    the admin, or in the file: a term has no revisions to tell which) is left as it is and
    reported as a conflict, unless forced."""

    name = "glossary"
    order = 950  # refers to nothing; listed last in docs/import-format.md
    fields = [
        Field("name", text(max_length=100, required=True)),
        Field("kind", choice(GlossaryTerm.KINDS, default=GlossaryTerm.PLACE)),
        Field("variants", variants),
    ]

    def apply(self, records, ctx):
        language = settings.LANGUAGE_CODE
        for index, record in enumerate(records):
            parsed = self.parse_fields(record, self.where(index, record))
            wanted = (parsed["name"], parsed["kind"], parsed["variants"])
            known = ImportRecord.objects.filter(kind=self.name, key=record["key"]).first()
            term = (
                GlossaryTerm.objects.filter(uuid=known.translation_key).first() if known else None
            )
            if term is None:
                term = GlossaryTerm()
                what = "created"
            else:
                now = (term.name, term.kind, [(v.language, v.text) for v in term.variants.all()])
                if now == wanted:
                    ctx.count(self.name, language, "unchanged")
                    continue
                if not ctx.forced(self.name, record["key"]):
                    change = "not as the file has it (changed in the admin or in the file)"
                    ctx.conflicts.append(Conflict(self.name, record["key"], language, change))
                    ctx.count(self.name, language, "conflict")
                    continue
                what = "updated"
            term.name, term.kind = parsed["name"], parsed["kind"]
            term.variants = [GlossaryVariant(language=c, text=t) for c, t in parsed["variants"]]
            term.save()
            ImportRecord.objects.update_or_create(
                kind=self.name, key=record["key"], defaults={"translation_key": term.uuid}
            )
            ctx.count(self.name, language, what)
