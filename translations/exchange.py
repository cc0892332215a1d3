"""Bulk exchange with translators' CAT tools: one PO or XLIFF 1.2 file holding every string of a
language still to translate (new and changed), and importing such a file back.

Each unit is identified as "<translation uuid>:<context path>:<source text hash>", which
stays valid as long as the original says the same; an import checks every unit (its
translation, its language, its place in the current original) before writing anything, and
writes everything in one transaction.
"""

import contextlib
import os
import tempfile
from dataclasses import dataclass, field

import polib
from django.db import transaction
from django.utils import timezone
from lxml import etree
from translate.storage import xliff
from wagtail.models import Locale, Page
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)
from wagtail_localize.strings import StringValue, validate_translation_links

from translations.status import MISSING, OUT_OF_DATE, page_entries, snippet_entries

XLIFF_12 = "urn:oasis:names:tc:xliff:document:1.2"


class ExchangeError(ValueError):
    """A file that cannot be imported; the message says why. Nothing was written."""


@dataclass
class Unit:
    key: str
    source: str
    target: str
    note: str


@dataclass
class ImportReport:
    language: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    untranslated: int = 0
    translations: set = field(default_factory=set)

    @property
    def written(self):
        return self.created + self.updated


def unit_key(translation, segment):
    return f"{translation.uuid}:{segment.context.path}:{segment.string.data_hash}"


def _prepare(obj, locale):
    """The Translation of `obj` into `locale`, its source brought up to date."""
    source, created = TranslationSource.get_or_create_from_instance(obj)
    published = getattr(obj, "last_published_at", None)
    if not created and published and source.last_updated_at and published > source.last_updated_at:
        source.update_from_db()
    translation, _created = Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    return translation


def pending_units(locale, page_ids=None):
    """Every string still to translate into `locale`: of pages and snippets that are missing
    or out of date there (or only the given pages)."""
    entries = [e for e in page_entries(locale) if e.state in (MISSING, OUT_OF_DATE)]
    if page_ids is not None:
        wanted = {int(pk) for pk in page_ids}
        entries = [e for e in entries if e.source.pk in wanted]
    else:
        entries += [e for e in snippet_entries(locale) if e.state in (MISSING, OUT_OF_DATE)]
    units = []
    for entry in entries:
        obj = entry.source.specific if isinstance(entry.source, Page) else entry.source
        translation = _prepare(obj, locale)
        segments = (
            StringSegment.objects.filter(source=translation.source)
            .select_related("string", "context")
            .order_by("order")
        )
        done = set(
            StringTranslation.objects.filter(
                locale=locale, translation_of__in=[s.string for s in segments]
            ).values_list("translation_of_id", "context_id")
        )
        where = entry.title
        if isinstance(entry.source, Page):
            where = f"{entry.title} ({entry.source.url_path})"
        for segment in segments:
            if (segment.string_id, segment.context_id) in done:
                continue
            units.append(
                Unit(
                    unit_key(translation, segment),
                    segment.string.data,
                    "",
                    f"{entry.type_label}: {where} — {segment.context.path}",
                )
            )
    return units


# --- Writing files --------------------------------------------------------------------------


def to_po(units, locale, source_language):
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": "Procura+ Network content",
        "Language": locale.language_code,
        "X-Source-Language": source_language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Transfer-Encoding": "8bit",
        "POT-Creation-Date": timezone.now().strftime("%Y-%m-%d %H:%M%z"),
    }
    for unit in units:
        po.append(
            polib.POEntry(
                msgctxt=unit.key, msgid=unit.source, msgstr=unit.target, comment=unit.note
            )
        )
    return str(po).encode("utf-8")


class Xliff12Unit(xliff.xliffunit):
    namespace = XLIFF_12


class Xliff12File(xliff.xlifffile):
    """XLIFF 1.2, which Trados, memoQ and Phrase read (translate-toolkit writes 1.1)."""

    UnitClass = Xliff12Unit
    XMLskeleton = xliff.xlifffile.XMLskeleton.replace("1.1", "1.2")
    namespace = XLIFF_12


def to_xliff(units, locale, source_language):
    store = Xliff12File(sourcelanguage=source_language, targetlanguage=locale.language_code)
    for unit in units:
        item = store.addsourceunit(unit.source)
        item.setid(unit.key)
        item.addnote(unit.note, origin="developer")
    return bytes(store)


# --- Reading files --------------------------------------------------------------------------


def read_po(data):
    # polib takes a file name or the contents; never pass uploaded contents directly, they
    # could name a file on the server. Hence the temporary file.
    with tempfile.NamedTemporaryFile(delete=False, suffix=".po") as handle:
        handle.write(data)
    try:
        po = polib.pofile(handle.name, encoding="utf-8")
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise ExchangeError(f"This is not a valid PO file ({err}).") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(handle.name)
    language = (po.metadata.get("Language") or "").strip()
    units = [
        Unit(entry.msgctxt or "", entry.msgid, entry.msgstr, "")
        for entry in po
        if not entry.obsolete and not entry.fuzzy
    ]
    return language, units


def read_xliff(data):
    try:
        store = xliff.xlifffile.parsestring(data)
    except (etree.XMLSyntaxError, ValueError, TypeError) as err:
        raise ExchangeError(f"This is not a valid XLIFF file ({err}).") from None
    language = store.gettargetlanguage() or ""
    units = []
    for item in store.units:
        if item.isheader():
            continue
        key = (item.getid() or "").split("\x04")[-1]
        units.append(Unit(key, item.source or "", item.target or "", ""))
    return language, units


def read_file(name, data):
    if name.lower().endswith((".xlf", ".xliff")) or data.lstrip()[:5] in (b"<?xml", b"<xlif"):
        return read_xliff(data)
    return read_po(data)


# --- Importing ------------------------------------------------------------------------------


def _resolve(units, locale):
    """Check every unit against the current originals; [(unit, string, context, translation)]."""
    resolved = []
    translations = {}
    for position, unit in enumerate(units, start=1):
        parts = unit.key.split(":")
        if len(parts) < 3:
            raise ExchangeError(f'Unit {position}: "{unit.key}" is not a segment id of this site.')
        uuid, path, data_hash = parts[0], ":".join(parts[1:-1]), parts[-1]
        translation = translations.get(uuid)
        if translation is None:
            translation = (
                Translation.objects.filter(uuid=uuid)
                .select_related("source", "target_locale")
                .first()
                if _is_uuid(uuid)
                else None
            )
            if translation is None:
                raise ExchangeError(f'Unit {position}: unknown segment id "{unit.key}".')
            translations[uuid] = translation
        if translation.target_locale_id != locale.pk:
            raise ExchangeError(
                f'Unit {position}: "{unit.key}" is a segment of the '
                f"{translation.target_locale.language_code} translation, not "
                f"{locale.language_code}."
            )
        segment = (
            StringSegment.objects.filter(
                source=translation.source, context__path=path, string__data_hash=data_hash
            )
            .select_related("string", "context")
            .first()
        )
        if segment is None:
            raise ExchangeError(
                f'Unit {position}: "{unit.key}" is not in the current original (it changed '
                "after this file was made); download a new file."
            )
        if unit.target:
            try:
                StringValue.from_translated_html(unit.target)
                validate_translation_links(segment.string.data, unit.target)
            except ValueError as err:
                raise ExchangeError(f'Unit {position} ("{unit.key}"): {err}') from None
        resolved.append((unit, segment.string, segment.context, translation))
    return resolved


def _is_uuid(value):
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def import_units(language, units, locale, user=None, tool_name="File import"):
    """Write the translations of a file into `locale`, all or nothing."""
    if not language:
        raise ExchangeError("The file does not say which language it is in.")
    if language.replace("_", "-").lower().split("-")[0] != locale.language_code:
        raise ExchangeError(
            f'The file is in "{language}", not in {locale.language_code}: nothing was imported.'
        )
    if not units:
        raise ExchangeError("The file holds no strings to import.")
    resolved = _resolve(units, locale)
    report = ImportReport(language=locale.language_code)
    with transaction.atomic():
        for unit, string, context, translation in resolved:
            if not unit.target.strip():
                report.untranslated += 1
                continue
            existing = StringTranslation.objects.filter(
                translation_of=string, locale=locale, context=context
            ).first()
            if existing is not None and existing.data == unit.target:
                report.unchanged += 1
                continue
            StringTranslation.objects.update_or_create(
                translation_of=string,
                locale=locale,
                context=context,
                defaults={
                    "data": unit.target,
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                    "tool_name": tool_name,
                    "last_translated_by": user,
                    "has_error": False,
                    "field_error": "",
                },
            )
            if existing is None:
                report.created += 1
            else:
                report.updated += 1
            report.translations.add(translation)
        # Each translation that received text is saved as a draft, ready for review.
        for translation in report.translations:
            translation.save_target(user=user, publish=False)
    return report


def export_file(locale, kind, page_ids=None):
    default = Locale.get_default()
    with transaction.atomic():
        units = pending_units(locale, page_ids)
    if kind == "xliff":
        return to_xliff(units, locale, default.language_code), len(units)
    return to_po(units, locale, default.language_code), len(units)
