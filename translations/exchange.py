"""Bulk exchange with translators' CAT tools: one PO or XLIFF 1.2 file holding every string of a
language still to translate (new and changed), and importing such a file back.

Each unit is identified as "<translation uuid>:<context path>:<source text hash>", which
stays valid as long as the original says the same; an import checks every unit (its
translation, its language, its place in the current original) before writing anything, and
writes everything in one transaction.

Each unit also tells the translator where its text is (translations/context.py): the page or
snippet with its address, and the field and block ("Body › Quote (block 3) › Attribution"),
as extracted comments (`#.`) in PO and as notes in XLIFF, where each page or snippet is a
`<file>` named by its address. None of it is read back: only the id identifies a unit.
"""

import codecs
import contextlib
import datetime
import os
import re
import tempfile
import uuid
from dataclasses import dataclass, field

import polib
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree
from translate.misc import xml_helpers
from translate.storage import xliff
from wagtail.models import Locale, Page
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)
from wagtail_localize.strings import StringValue, validate_translation_links

from home.params import forbidden_character
from translations.context import PlaceNames, numbered, whereabouts
from translations.status import MISSING, OUT_OF_DATE, page_entries, snippet_entries

XLIFF_12 = "urn:oasis:names:tc:xliff:document:1.2"


class ExchangeError(ValueError):
    """A file that cannot be imported; the message says why. Nothing was written."""


@dataclass
class Unit:
    key: str
    source: str
    target: str
    note: str  # where the text is, for the translator: one item a line
    document: str = ""  # the page or snippet it belongs to (XLIFF's <file original>)
    heading: str = ""  # that page or snippet's kind and title
    made: datetime.datetime | None = None  # when its file was made, where the file says


@dataclass
class ImportReport:
    language: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    untranslated: int = 0
    kept: int = 0  # strings someone else translated after the file was made, left as they are
    translations: set = field(default_factory=set)

    @property
    def written(self):
        return self.created + self.updated


def unit_key(translation, segment):
    return f"{translation.uuid}:{segment.context.path}:{segment.string.data_hash}"


def _prepare(obj, locale):
    """The Translation of `obj` into `locale`, its source brought up to date; None where the
    translation was stopped (its page or snippet is edited by hand in that language)."""
    source, created = TranslationSource.get_or_create_from_instance(obj)
    published = getattr(obj, "last_published_at", None)
    if not created and published and source.last_updated_at and published > source.last_updated_at:
        source.update_from_db()
    translation, _created = Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    return translation if translation.enabled else None


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
        if translation is None:
            continue
        segments = list(
            StringSegment.objects.filter(source=translation.source)
            .select_related("string", "context")
            .order_by("order")
        )
        done = set(
            StringTranslation.objects.filter(
                locale=locale, translation_of__in=[s.string for s in segments]
            ).values_list("translation_of_id", "context_id")
        )
        heading, address, document = whereabouts(obj, locale, entry.target_id)
        names = PlaceNames(translation.source.as_instance())
        places = numbered([(s.context.path, names.describe(s.context.path)) for s in segments])
        for segment, place in zip(segments, places, strict=True):
            if (segment.string_id, segment.context_id) in done:
                continue
            units.append(
                Unit(
                    unit_key(translation, segment),
                    segment.string.data,
                    "",
                    "\n".join(line for line in (heading, address, place) if line),
                    document=document,
                    heading=heading,
                )
            )
    return units


# --- Writing files --------------------------------------------------------------------------


# When a file was made: PO's POT-Creation-Date (to the minute, as gettext writes it) and the
# `date` of XLIFF's <file>. An upload keeps what someone else translated after that.
PO_DATE = "%Y-%m-%d %H:%M%z"


def to_po(units, locale, source_language):
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": "Procura+ Network content",
        "Language": locale.language_code,
        "X-Source-Language": source_language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Transfer-Encoding": "8bit",
        "POT-Creation-Date": timezone.now().strftime(PO_DATE),
    }
    for unit in units:
        # The note as extracted comments ("#."), which CAT tools show beside the text; the
        # unit's id stays in msgctxt, as in files made before.
        po.append(
            polib.POEntry(
                msgctxt=unit.key, msgid=unit.source, msgstr=unit.target, comment=unit.note
            )
        )
    return str(po).encode("utf-8")


def describe_translation_po(po, translation):
    """Describe the place of each string of wagtail-localize's PO file of one translation
    (`Translation.export_po`, whose msgctxt is the string's path, read back by its upload)
    in extracted comments, and name the file's language."""
    source = translation.source
    obj = source.get_source_instance()
    target = translation.get_target_instance() if not isinstance(obj, Page) else None
    heading, address, _document = whereabouts(
        obj, translation.target_locale, getattr(target, "pk", None)
    )
    names = PlaceNames(source.as_instance())
    entries = [entry for entry in po if not entry.obsolete and entry.msgctxt]
    places = numbered([(entry.msgctxt, names.describe(entry.msgctxt)) for entry in entries])
    for entry, place in zip(entries, places, strict=True):
        entry.comment = "\n".join(line for line in (heading, address, place) if line)
    po.metadata["Language"] = translation.target_locale.language_code
    po.metadata["X-Source-Language"] = source.locale.language_code
    return po


class Xliff12Unit(xliff.xliffunit):
    namespace = XLIFF_12


class Xliff12File(xliff.xlifffile):
    """XLIFF 1.2, which Trados, memoQ and Phrase read (translate-toolkit writes 1.1)."""

    UnitClass = Xliff12Unit
    XMLskeleton = xliff.xlifffile.XMLskeleton.replace("1.1", "1.2")
    namespace = XLIFF_12


def to_xliff(units, locale, source_language):
    """One <file> per page or snippet, its `original` the page's address (CAT tools show it
    as the document's name) and its title in the file's header; each unit's place in notes."""
    store = Xliff12File(sourcelanguage=source_language, targetlanguage=locale.language_code)
    made = timezone.now().isoformat(timespec="seconds")
    headed = set()
    for unit in units:
        document = unit.document or f"procura-plus/{locale.language_code}/pending"
        item = store.addsourceunit(unit.source, filename=document, createifmissing=True)
        store.getfilenode(document).set("date", made)
        item.setid(unit.key)
        for line in unit.note.splitlines():
            item.addnote(line, origin="developer")
        if document not in headed and unit.heading:
            headed.add(document)
            header = etree.Element(store.namespaced("header"))
            etree.SubElement(header, store.namespaced("note")).text = unit.heading
            store.getfilenode(document).insert(0, header)
    if not units:
        node = store.getfilenode("NoName")
        store.setfilename(node, f"procura-plus/{locale.language_code}/pending")
        node.set("date", made)
    return bytes(store)


# --- Reading files --------------------------------------------------------------------------


def _not_exchange_file():
    return ExchangeError(_("This is neither a PO nor an XLIFF file."))


def read_po(data):
    po = parse_po(data)
    language = (po.metadata.get("Language") or "").strip()
    made = made_at(po.metadata.get("POT-Creation-Date", ""))
    units = [
        Unit(entry.msgctxt or "", entry.msgid, entry.msgstr, "", made=made)
        for entry in po
        if not entry.obsolete and not entry.fuzzy
    ]
    return language, units


def parse_po(data):
    """A PO file's contents as polib reads them; ExchangeError (translated) for anything else."""
    if b"\x00" in data:
        raise _not_exchange_file()  # binary, such as a spreadsheet or a zip file
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise _not_exchange_file() from None
    # polib takes a file name or the contents; never pass uploaded contents directly, they
    # could name a file on the server. Hence the temporary file.
    with tempfile.NamedTemporaryFile(delete=False, suffix=".po") as handle:
        handle.write(data)
    try:
        po = polib.pofile(handle.name, encoding="utf-8")
    except (OSError, UnicodeDecodeError, ValueError) as err:
        line = re.search(r"\(line (\d+)\)", str(err))
        if line:
            message = _("This PO file has a syntax error on line %(line)d.") % {
                "line": int(line.group(1))
            }
        else:
            message = _("This PO file cannot be read.")
        raise ExchangeError(message) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(handle.name)
    return po


# A time that names no offset is taken at the earliest instant it can mean (UTC+14): a file
# is then taken as made early rather than late, and keeps more of what was written since.
EARLIEST_OFFSET = datetime.timezone(datetime.timedelta(hours=14))


def made_at(text):
    """The time a file says it was made (ISO 8601, in any of its forms), or None where it
    says none that can be read."""
    try:
        made = datetime.datetime.fromisoformat(text.strip())
    except (TypeError, ValueError):
        return None
    return made if made.tzinfo is not None else made.replace(tzinfo=EARLIEST_OFFSET)


XLIFF_NAMESPACES = {None, XLIFF_12, "urn:oasis:names:tc:xliff:document:1.1"}


def read_xliff(data):
    # Parsed first with translate-toolkit's own safe parser (no entities, no network), to
    # tell a broken file and another kind of XML from an XLIFF file; translate-toolkit's
    # reader fails on those with whatever it meets first (StopIteration for another root).
    try:
        root = xml_helpers.parse_xml(data)
    except etree.XMLSyntaxError as err:
        raise ExchangeError(
            _("This XLIFF file is not well-formed XML (line %(line)d).") % {"line": err.lineno or 1}
        ) from None
    except ValueError:
        raise _not_exchange_file() from None
    name = etree.QName(root)
    if name.localname != "xliff" or name.namespace not in XLIFF_NAMESPACES:
        raise ExchangeError(_("This XML file is not an XLIFF file."))
    try:
        store = xliff.xlifffile.parsestring(data)
        language = store.gettargetlanguage() or ""
        items = [item for item in store.units if not item.isheader()]
    except (AssertionError, AttributeError, KeyError, StopIteration, TypeError, ValueError):
        raise ExchangeError(_("This XLIFF file cannot be read.")) from None
    dates = [
        made_at(node.get("date") or "")
        for node in root.iter(f"{{{name.namespace}}}file" if name.namespace else "file")
    ]
    made = min(dates) if dates and None not in dates else None
    units = []
    for item in items:
        key = (item.getid() or "").split("\x04")[-1]
        units.append(Unit(key, item.source or "", item.target or "", "", made=made))
    return language, units


XML_STARTS = (b"<", codecs.BOM_UTF16_LE + b"<\x00", codecs.BOM_UTF16_BE + b"\x00<")


def read_file(name, data):
    """The language and the units of an uploaded file; ExchangeError (translated) for
    anything that is not a PO or XLIFF file."""
    if not data.strip():
        raise ExchangeError(_("The file is empty."))
    if data.lstrip(codecs.BOM_UTF8 + b" \t\r\n").startswith(XML_STARTS):
        return read_xliff(data)
    if name.lower().endswith((".xlf", ".xliff")):
        # Named so, but not XML: text is read as (broken) XML, anything else is refused.
        if b"\x00" in data:
            raise _not_exchange_file()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise _not_exchange_file() from None
        return read_xliff(data)
    return read_po(data)


# --- Importing ------------------------------------------------------------------------------


def _resolve(units, locale):
    """Check every unit against the current originals; [(unit, string, context, translation)].

    In a constant number of queries: the translations named by the units, then the segments
    of their sources."""
    keys = []
    for position, unit in enumerate(units, start=1):
        parts = unit.key.split(":")
        if len(parts) < 3:
            raise ExchangeError(f'Unit {position}: "{unit.key}" is not a segment id of this site.')
        # Both ids are UUIDs, in any of the forms UUID() reads.
        keys.append((_uuid_text(parts[0]), ":".join(parts[1:-1]), _uuid_text(parts[-1])))
    translations = {
        str(translation.uuid): translation
        for translation in Translation.objects.filter(
            uuid__in={key[0] for key in keys if key[0]}
        ).select_related("source", "target_locale")
    }
    segments = {
        (segment.source_id, segment.context.path, str(segment.string.data_hash)): segment
        for segment in StringSegment.objects.filter(
            source__in={translation.source_id for translation in translations.values()}
        ).select_related("string", "context")
    }
    resolved = []
    seen = {}
    for position, (unit, (uuid_text, path, data_hash)) in enumerate(
        zip(units, keys, strict=True), start=1
    ):
        translation = translations.get(uuid_text)
        if translation is None:
            raise ExchangeError(f'Unit {position}: unknown segment id "{unit.key}".')
        if not translation.enabled:
            raise ExchangeError(
                f'Unit {position}: "{unit.key}" is of a translation that was stopped: its'
                " page is edited by hand in this language now. Download a new file."
            )
        if translation.target_locale_id != locale.pk:
            raise ExchangeError(
                f'Unit {position}: "{unit.key}" is a segment of the '
                f"{translation.target_locale.language_code} translation, not "
                f"{locale.language_code}."
            )
        segment = segments.get((translation.source_id, path, data_hash))
        if segment is None:
            raise ExchangeError(
                f'Unit {position}: "{unit.key}" is not in the current original (it changed '
                "after this file was made); download a new file."
            )
        place = (segment.string_id, segment.context_id)
        if place in seen:
            raise ExchangeError(
                f'Unit {position}: "{unit.key}" is in the file twice (also unit {seen[place]}).'
            )
        seen[place] = position
        if unit.target:
            problem = forbidden_character(unit.target)
            if problem:
                raise ExchangeError(
                    f'Unit {position} ("{unit.key}"): the translation {problem}, which no page'
                    " may hold."
                )
            try:
                StringValue.from_translated_html(unit.target)
                validate_translation_links(segment.string.data, unit.target)
            except ValueError as err:
                raise ExchangeError(f'Unit {position} ("{unit.key}"): {err}') from None
            longest = _max_length(translation.source, path)
            if longest is not None and len(unit.target) > longest:
                raise ExchangeError(
                    f'Unit {position} ("{unit.key}"): at most {longest} characters fit this '
                    f"field; the translation has {len(unit.target)}."
                )
        resolved.append((unit, segment.string, segment.context, translation))
    return resolved


def _max_length(source, path):
    """The longest text the field at `path` of the source's model holds, or None: a field of
    the model itself (a title, a summary), not a block of a StreamField."""
    model = ContentType.objects.get_for_id(source.specific_content_type_id).model_class()
    try:
        field = model._meta.get_field(path) if model is not None else None
    except FieldDoesNotExist:
        return None
    return getattr(field, "max_length", None)


def _uuid_text(value):
    """The canonical form of a UUID, or None for anything else."""
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def import_units(language, units, locale, user=None, tool_name="File import"):
    """Write the translations of a file into `locale`, all or nothing.

    The strings are read, created and updated in bulk (a few queries, whatever the size of
    the file); wagtail-localize's post_save receiver of StringTranslation (it keeps a
    page's draft title in step) is sent for the page titles among them."""
    if not language:
        raise ExchangeError(_("The file does not say which language it is in."))
    if language.replace("_", "-").lower().split("-")[0] != locale.language_code:
        raise ExchangeError(
            _('The file is in "%(file)s", not in %(language)s: nothing was imported.')
            % {"file": language, "language": locale.language_code}
        )
    if not units:
        raise ExchangeError(_("The file holds no strings to import."))
    resolved = _resolve(units, locale)
    report = ImportReport(language=locale.language_code)
    with transaction.atomic():
        existing = {
            (item.translation_of_id, item.context_id): item
            for item in StringTranslation.objects.filter(
                locale=locale,
                translation_of__in={string.pk for _unit, string, _context, _t in resolved},
            )
        }
        now = timezone.now()
        created, updated, titles = [], [], []
        for unit, string, context, translation in resolved:
            if not unit.target.strip():
                report.untranslated += 1
                continue
            item = existing.get((string.pk, context.pk))
            if item is not None and item.data == unit.target:
                report.unchanged += 1
                continue
            if item is not None and _changed_since(item, unit.made, tool_name, user):
                report.kept += 1
                continue
            if item is None:
                item = StringTranslation(translation_of=string, locale=locale, context=context)
                created.append(item)
            else:
                item.updated_at = now
                updated.append(item)
            item.data = unit.target
            item.translation_type = StringTranslation.TRANSLATION_TYPE_MANUAL
            item.tool_name = tool_name
            item.last_translated_by = user
            item.has_error = False
            item.field_error = ""
            if context.path == "title":
                titles.append((item, item.pk is None))
            report.translations.add(translation)
        StringTranslation.objects.bulk_create(created, batch_size=500)
        StringTranslation.objects.bulk_update(
            updated,
            [
                "data",
                "translation_type",
                "tool_name",
                "last_translated_by",
                "has_error",
                "field_error",
                "updated_at",
            ],
            batch_size=500,
        )
        report.created, report.updated = len(created), len(updated)
        for item, is_new in titles:
            post_save.send(sender=StringTranslation, instance=item, created=is_new, raw=False)
        # Each translation that received text is saved as a draft, ready for review.
        for translation in report.translations:
            translation.save_target(user=user, publish=False)
    return report


def import_translation_po(translation, po, user, tool_name="PO File"):
    """A PO file of one translation (the translation editor's "Upload PO file") written with
    wagtail-localize's `Translation.import_po`, after the checks of an upload: a text no page
    may hold or too long for its field refuses the file (ExchangeError); a string translated
    after the file was made (its POT-Creation-Date, as upstream writes it), other than by
    this user's own uploads, is kept. Returns how many were kept."""
    if not translation.enabled:
        raise ExchangeError(
            "This translation was stopped: its page is edited by hand in this language now."
        )
    for entry in po:
        if not entry.msgstr:
            continue
        problem = forbidden_character(entry.msgstr)
        if problem:
            raise ExchangeError(
                f'"{entry.msgctxt}": the translation {problem}, which no page may hold.'
            )
        longest = _max_length(translation.source, entry.msgctxt or "")
        if longest is not None and len(entry.msgstr) > longest:
            raise ExchangeError(
                f'"{entry.msgctxt}": at most {longest} characters fit this field; the'
                f" translation has {len(entry.msgstr)}."
            )
    made = made_at(po.metadata.get("POT-Creation-Date", ""))
    stored = {
        (item.context.path, item.translation_of.data): item
        for item in StringTranslation.objects.filter(
            locale_id=translation.target_locale_id,
            context__object_id=translation.source.object_id,
        ).select_related("context", "translation_of")
    }
    kept = 0
    for entry in po:
        item = stored.get((entry.msgctxt, entry.msgid))
        if (
            entry.msgstr
            and item is not None
            and item.data != entry.msgstr
            and _changed_since(item, made, tool_name, user)
        ):
            entry.msgstr = ""  # upstream's import passes over an empty translation
            kept += 1
    with transaction.atomic():
        translation.import_po(po, user=user, tool_name=tool_name)
    return kept


def _changed_since(item, made, tool_name, user):
    """Whether a stored translation was written after a file was made, other than by this
    user's own uploads (a corrected file sent again): a file made before knows nothing of it,
    so its text does not replace it."""
    if made is None or item.updated_at < made:
        return False
    own_upload = item.tool_name == tool_name and item.last_translated_by_id == getattr(
        user, "pk", None
    )
    return not own_upload


def export_file(locale, kind, page_ids=None):
    default = Locale.get_default()
    with transaction.atomic():
        units = pending_units(locale, page_ids)
    if kind == "xliff":
        return to_xliff(units, locale, default.language_code), len(units)
    return to_po(units, locale, default.language_code), len(units)
