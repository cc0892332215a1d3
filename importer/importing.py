"""Importing content from a JSON file (`manage.py import_content FILE.json`).

The file's format is documented in docs/import-format.md. Each top-level section ("topics",
"case_studies", …) is handled by an `ImportSection` that an app registers through the
`procura_import_sections` hook, so this module knows no app's models.

Guarantees:
- all or nothing: the whole file is validated, then written in one transaction;
- idempotent by key: a record's `key` is remembered (`ImportRecord`), and a re-run updates
  what changed and leaves the rest alone, so nothing is duplicated;
- the import owns only what it wrote: it remembers the revision it last published of each
  record in each language (`ImportedVersion`). A page or snippet with a newer revision, a
  draft, or strings a translator wrote, is left as it is and reported as a conflict, unless
  the run is told to overwrite it (`force`), which the audit log then records. Updates start
  from the published object, never from a draft, and never publish or discard one;
- translations are made with wagtail-localize (a TranslationSource, a Translation per
  language and its string translations), exactly as the admin's translation editor does, so
  translators see them as translations of the original and can carry on from there.
"""

import datetime
import json
import math
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from wagtail import hooks
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter
from wagtail.log_actions import log
from wagtail.models import Locale, Page
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from home.batching import batched_background_updates
from home.blocks import RICH_TEXT_FEATURES
from home.languages.trees import synchronize_locale_trees
from home.params import forbidden_character
from importer.models import ImportedVersion, ImportRecord

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
BLOCK_NAMESPACE = uuid.UUID("6f1c2a4e-9d0b-4c1e-8a55-3b1a40fb0001")


class ImportFileError(Exception):
    """A problem with the file, named precisely enough to find and fix it."""

    def __init__(self, message, where=None, field_name=None):
        self.where = where
        self.field_name = field_name
        parts = [where] if where else []
        if field_name:
            parts.append(f'field "{field_name}"')
        prefix = ", ".join(parts)
        super().__init__(f"{prefix}: {message}" if prefix else message)


# --- Field parsers: each returns the value for the model or raises ValueError. -------------


# As long as a record's key may be (ImportRecord.key).
KEY_LENGTH = 200
# As long as a tag's name may be (taggit's Tag.name).
TAG_LENGTH = 100


def text(max_length=None, required=False, default=""):
    def parse(value):
        if value is None:
            if required:
                raise ValueError("is required")
            return default
        if not isinstance(value, str):
            raise ValueError(f"must be text, not {type(value).__name__}")
        check_characters(value)
        value = value.strip()
        if required and not value:
            raise ValueError("must not be empty")
        if max_length and len(value) > max_length:
            raise ValueError(f"is {len(value)} characters long; at most {max_length} are allowed")
        return value

    parse.required = required
    return parse


def choice(choices, required=False, default=""):
    """One of `choices` (a model field's (value, label) pairs), given as its value."""
    allowed = {value for value, _label in choices}

    def parse(value):
        if value in (None, ""):
            if required:
                raise ValueError("is required")
            return default
        if not isinstance(value, str) or value not in allowed:
            shown = f'"{value}"' if isinstance(value, str) else f"a {type(value).__name__}"
            raise ValueError(f"{shown} is not one of: {', '.join(sorted(allowed))}")
        return value

    parse.required = required
    return parse


def check_characters(value):
    """Text a database keeps and a page can show (`home.params.forbidden_character`): a JSON
    escape such as \\udc00 or \\u0001 can bring what a page cannot hold."""
    problem = forbidden_character(value)
    if problem:
        raise ValueError(problem)


LARGEST_NUMBER = 10**15
# Dates and times of events and schedules: what a calendar of the network's work can hold.
FIRST_YEAR, LAST_YEAR = 1900, 2199


def number(minimum=None, maximum=None, integer=False, required=False):
    def parse(value):
        if value is None:
            if required:
                raise ValueError("is required")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"must be a number, not {json.dumps(value)}")
        if not math.isfinite(value) or abs(value) >= LARGEST_NUMBER:
            shown = str(value) if len(str(value)) <= 20 else str(value)[:17] + "…"
            raise ValueError(f"is {shown}: too large a number for any field of this format")
        if integer and int(value) != value:
            raise ValueError("must be a whole number")
        if minimum is not None and value < minimum:
            raise ValueError(f"must be at least {minimum}")
        if maximum is not None and value > maximum:
            raise ValueError(f"must be at most {maximum}")
        return int(value) if integer else value

    parse.required = required
    return parse


def date(required=False):
    def parse(value):
        if value is None:
            if required:
                raise ValueError("is required")
            return None
        try:
            return datetime.date.fromisoformat(value)
        except (TypeError, ValueError):
            raise ValueError(f"must be a date as YYYY-MM-DD, not {json.dumps(value)}") from None

    parse.required = required
    return parse


def aware_datetime(required=False):
    def parse(value):
        if value is None:
            if required:
                raise ValueError("is required")
            return None
        try:
            parsed = datetime.datetime.fromisoformat(value)
        except (TypeError, ValueError):
            raise ValueError(
                f"must be a date and time as YYYY-MM-DDTHH:MM:SS+HH:MM, not {json.dumps(value)}"
            ) from None
        if parsed.tzinfo is None:
            raise ValueError("must include a UTC offset, e.g. 2025-11-12T09:00:00+01:00")
        try:
            year = parsed.astimezone(datetime.UTC).year  # the database keeps it in UTC
        except OverflowError:
            year = None
        if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(f"must be in the years {FIRST_YEAR} to {LAST_YEAR}")
        return parsed

    parse.required = required
    return parse


def boolean(default=False):
    def parse(value):
        if value is None:
            return default
        if not isinstance(value, bool):
            raise ValueError(f"must be true or false, not {json.dumps(value)}")
        return value

    parse.required = False
    return parse


def string_list(required=False, max_length=KEY_LENGTH):
    """A list of texts (keys of other records, tag names), each checked as `text` is."""

    def parse(value):
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError("must be a list of text values")
        item = text(max_length=max_length)
        return list(dict.fromkeys(item(v) for v in value if v.strip()))  # each once, in order

    parse.required = required
    return parse


def html(required=False):
    base = text(required=required)

    def parse(value):
        return base(value)

    parse.required = required
    parse.is_html = True
    return parse


@dataclass
class Field:
    """One field of a record: its key in the file, how to read it, where it goes."""

    name: str
    parse: Any
    attr: str | None = None  # model attribute; None when the section handles it itself
    translatable: bool = False

    @property
    def required(self):
        return getattr(self.parse, "required", False)


# --- HTML bodies → StreamField blocks ----------------------------------------------------

_rich_text = None


def rich_text_to_db(html_text):
    global _rich_text
    if _rich_text is None:
        _rich_text = EditorHTMLConverter(features=RICH_TEXT_FEATURES)
    return _rich_text.to_database_format(html_text)


def _table_value(table):
    rows = table.find_all("tr")
    data = [[cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])] for row in rows]
    first_row = rows[0].find_all(["th", "td"]) if rows else []
    caption = table.find("caption")
    return {
        "data": data,
        "first_row_is_table_header": bool(first_row) and all(c.name == "th" for c in first_row),
        "first_col_is_header": False,
        "table_caption": caption.get_text(" ", strip=True) if caption else "",
    }


def html_to_body(html_text, seed):
    """Turn an HTML fragment into body blocks.

    h2/h3 become heading blocks (the table of contents is built from them), blockquote a
    quote, table a table; runs of other elements become one rich text block. Block ids are
    derived from `seed` and the position, so the same file gives the same ids: re-imports
    change nothing, and a translation's blocks line up with the original's.
    """
    soup = BeautifulSoup(html_text or "", "html.parser")
    blocks, pending = [], []

    def block_id():
        return str(uuid.uuid5(BLOCK_NAMESPACE, f"{seed}/{len(blocks)}"))

    def flush():
        fragment = "".join(str(node) for node in pending).strip()
        pending.clear()
        if fragment:
            blocks.append(
                {"type": "paragraph", "value": rich_text_to_db(fragment), "id": block_id()}
            )

    for node in soup.contents:
        if isinstance(node, PreformattedString):
            continue  # a comment, a doctype, a processing instruction: not text
        if isinstance(node, NavigableString):
            if str(node).strip():
                # Its entities are decoded: escaped again, "&lt;b&gt;" stays text.
                pending.append(f"<p>{escape(node.strip(), quote=False)}</p>")
            continue
        if not isinstance(node, Tag):
            continue
        if node.name in ("h2", "h3"):
            flush()
            value = {"text": node.get_text(" ", strip=True), "level": node.name}
            blocks.append({"type": "heading", "value": value, "id": block_id()})
        elif node.name == "blockquote":
            flush()
            cite = node.find(["cite", "footer"])
            attribution = cite.extract().get_text(" ", strip=True) if cite else ""
            value = {"quote": node.get_text(" ", strip=True), "attribution": attribution}
            blocks.append({"type": "quote", "value": value, "id": block_id()})
        elif node.name == "table":
            flush()
            blocks.append({"type": "table", "value": _table_value(node), "id": block_id()})
        else:
            pending.append(str(node))
    flush()
    return blocks


def stream_raw(stream_value):
    """A StreamField's stored form, for comparing with what an import would write."""
    if stream_value is None:
        return []
    raw = stream_value.raw_data
    return json.loads(json.dumps(list(raw), default=str))


# --- Context shared by the sections of one run -------------------------------------------


@dataclass
class Conflict:
    """A record the import would change, left as it is because the CMS changed it since."""

    section: str
    key: str
    language: str
    change: str  # "a published change by Elena Editor"

    def __str__(self):
        return f'{self.section} "{self.key}" ({self.language}): {self.change}'


@dataclass
class ImportContext:
    user: Any = None
    # Keys ("key" or "section:key") whose records are overwritten even where the CMS changed
    # them since the last import; True for every record.
    force: Any = frozenset()
    # {section: {language: {"created"/"updated"/"unchanged"/"conflict"/"skipped": n}}}
    counts: dict = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    )
    conflicts: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # defaults applied, for the report
    # Keys of records present in the file, by section, for cross-references.
    keys: dict = field(default_factory=lambda: defaultdict(set))
    locales: dict = field(default_factory=dict)
    # The folder of the import file: its image files are named relative to it.
    base_dir: Any = None
    # Key of an "images" record -> the Wagtail image it is.
    images: dict = field(default_factory=dict)
    # Keys of the records of each section of the file, all sections (`keys` grows as they
    # are checked, in the order they are imported).
    file_keys: dict = field(default_factory=dict)
    # The translation sources this import brought up to date with their original.
    current_sources: set = field(default_factory=set)
    # The names of the files this import wrote to the default storage: deleted again where
    # its transaction is rolled back (a dry run, an error), as the rows naming them are.
    stored_files: list = field(default_factory=list)

    def discard_stored_files(self):
        from django.core.files.storage import default_storage

        for name in self.stored_files:
            default_storage.delete(name)
        self.stored_files.clear()

    def locale(self, code):
        if code not in self.locales:
            self.locales[code] = Locale.objects.get(language_code=code)
        return self.locales[code]

    def count(self, section, language, what):
        self.counts[section][language][what] += 1

    def forced(self, section, key):
        return self.force is True or key in self.force or f"{section}:{key}" in self.force

    def may_write(self, obj, section, key, locale, source=None):
        """Whether this run may write `obj`, the record's page or snippet in `locale`: it
        may where the CMS has not changed it since the last import, or where forced.
        Otherwise the conflict is reported. `source`: the TranslationSource, for a
        translation (whose strings a translator may have written)."""
        language = locale.language_code
        if any((c.section, c.key, c.language) == (section, key, language) for c in self.conflicts):
            return False  # reported already (a record's related pages come back to it)
        change = edited_since_import(obj, section, key, locale, source)
        if change is None:
            return True
        if self.forced(section, key):
            obj._overwritten = change
            return True
        self.conflicts.append(Conflict(section, key, language, change))
        self.count(section, language, "conflict")
        return False

    def deleted_in_cms(self, section, key, locale):
        """Whether the record's page or snippet in `locale`, which an import wrote before, is
        gone (deleted in the CMS): a conflict, reported, unless forced, rather than made
        again."""
        if self.forced(section, key):
            return False
        imported = ImportedVersion.objects.filter(
            record__kind=section, record__key=key, locale=locale
        ).exists()
        if imported:
            change = "deleted in the CMS"
            self.conflicts.append(Conflict(section, key, locale.language_code, change))
            self.count(section, locale.language_code, "conflict")
        return imported

    def published(self, obj, revision, section, key, locale):
        """Remember the revision the import published, and log an overwrite."""
        record = ImportRecord.objects.get(kind=section, key=key)
        ImportedVersion.objects.update_or_create(
            record=record, locale=locale, defaults={"revision": revision}
        )
        change = getattr(obj, "_overwritten", None)
        if change:
            log(
                instance=obj,
                action=OVERWRITE_ACTION,
                user=self.user,
                revision=revision,
                data={"key": f"{section}:{key}", "overwritten": change},
            )


OVERWRITE_ACTION = "procura.import.overwrite"
IMPORT_TOOL = "import_content"  # how the import signs the string translations it writes


def edited_since_import(obj, section, key, locale, source=None):
    """What an editor or translator changed in `obj` since the import last wrote it, in words
    for the report ("a published change by Elena Editor"), or None.

    The import's own revision is the one it remembered; for records imported before that was
    remembered, the latest revision if it has no author (the import writes as no one).
    """
    latest = getattr(obj, "latest_revision", None)
    version = ImportedVersion.objects.filter(
        record__kind=section, record__key=key, locale=locale
    ).first()
    if version is not None:
        ours = latest is None or latest.pk == version.revision_id
    else:
        ours = latest is None or latest.user_id is None
    if not ours:
        what = "an unpublished draft" if obj.has_unpublished_changes else "a published change"
        return f"{what} by {name_of(latest.user)}"
    if version is not None and getattr(obj, "live", True) is False:
        # Unpublished in the CMS since the import published it (which makes no revision).
        return "unpublished in the CMS"
    if source is not None:
        foreign = (
            StringTranslation.objects.filter(context__object_id=source.object_id, locale=locale)
            .exclude(tool_name=IMPORT_TOOL)
            .select_related("last_translated_by")
            .order_by("-updated_at")
            .first()
        )
        if foreign is not None:
            return f"translated text by {name_of(foreign.last_translated_by)}"
    return None


def name_of(user):
    if user is None:
        return "someone"
    return user.get_full_name() or user.get_username()


class ImportSection:
    """A top-level section of the import file. Apps subclass this and register it."""

    name = ""  # the key in the file
    order = 100  # sections are applied in this order (taxonomies before pages that use them)
    fields: list[Field] = []

    def where(self, index, record):
        key = record.get("key") if isinstance(record, dict) else None
        return f"{self.name}[{index}]" + (f' (key "{key}")' if key else "")

    # Validation: everything is checked before anything is written.
    def validate(self, records, ctx):
        if not isinstance(records, list):
            raise ImportFileError("must be a list of records", self.name)
        seen = set()
        for index, record in enumerate(records):
            where = self.where(index, record)
            if not isinstance(record, dict):
                raise ImportFileError("must be an object", where)
            key = record.get("key")
            if not isinstance(key, str) or not key.strip():
                raise ImportFileError("is required: a unique text key", where, "key")
            try:
                text(max_length=KEY_LENGTH)(key)
            except ValueError as err:
                raise ImportFileError(str(err), where, "key") from None
            if key in seen:
                raise ImportFileError("appears twice in this section", where, "key")
            seen.add(key)
            ctx.keys[self.name].add(key)
        for index, record in enumerate(records):
            self.validate_record(record, self.where(index, record), ctx)

    def known_fields(self):
        return {f.name for f in self.fields} | {"key", "locale", "translations"}

    def validate_record(self, record, where, ctx):
        unknown = set(record) - self.known_fields()
        if unknown:
            raise ImportFileError(f"unknown field(s): {', '.join(sorted(unknown))}", where)
        locale = record.get("locale", settings.LANGUAGE_CODE)
        if not isinstance(locale, str) or locale not in LANGUAGE_CODES:
            raise ImportFileError(
                f'"{locale}" is not one of the site\'s languages', where, "locale"
            )
        self.parse_fields(record, where)
        translations = record.get("translations") or {}
        if not isinstance(translations, dict):
            raise ImportFileError("must map language codes to fields", where, "translations")
        translatable = {f.name for f in self.fields if f.translatable}
        for code, values in translations.items():
            twhere = f"{where}, translation {code}"
            if code not in LANGUAGE_CODES:
                raise ImportFileError(f'"{code}" is not one of the site\'s languages', twhere)
            if code == locale:
                raise ImportFileError("is the record's own language", twhere)
            if not isinstance(values, dict):
                raise ImportFileError("must be an object of translated fields", twhere)
            unknown = set(values) - translatable
            if unknown:
                raise ImportFileError(
                    f"field(s) that cannot be translated: {', '.join(sorted(unknown))}", twhere
                )
            for f in self.fields:
                if f.name in values:
                    try:
                        f.parse(values[f.name])
                    except ValueError as err:
                        raise ImportFileError(str(err), twhere, f.name) from None

    def parse_fields(self, record, where, only=None):
        parsed = {}
        for f in self.fields:
            if only is not None and f.name not in only:
                continue
            try:
                parsed[f.name] = f.parse(record.get(f.name))
            except ValueError as err:
                raise ImportFileError(str(err), where, f.name) from None
        return parsed

    def apply(self, records, ctx):
        raise NotImplementedError


def _remember(kind, key, translation_key):
    ImportRecord.objects.update_or_create(
        kind=kind, key=key, defaults={"translation_key": translation_key}
    )


def _recall(kind, key):
    found = ImportRecord.objects.filter(kind=kind, key=key).first()
    return found.translation_key if found else None


def _assign(instance, values):
    """Set attributes; True if any changed. StreamFields are compared in stored form."""
    changed = False
    for attr, value in values.items():
        current = getattr(instance, attr)
        if hasattr(current, "raw_data"):
            if stream_raw(current) != value:
                setattr(instance, attr, json.dumps(value))
                changed = True
        elif current != value:
            setattr(instance, attr, value)
            changed = True
    return changed


class PageSection(ImportSection):
    """A section whose records are pages of one type under one parent."""

    model = None
    body_fields = ("body_html",)  # HTML fields turned into the `body` StreamField

    def get_parent(self, record, ctx, locale):
        raise NotImplementedError

    def seed(self, record):
        """What block ids derive from; the same for a record and its translations."""
        return f"{self.name}/{record['key']}"

    def model_values(self, record, parsed, ctx, seed):
        """{model attribute: value} for the record's fields (source or translation)."""
        values = {}
        for f in self.fields:
            if f.attr and f.name in parsed:
                values[f.attr] = parsed[f.name]
        if "body_html" in parsed and "body_html" in self.body_fields:
            values["body"] = html_to_body(parsed["body_html"], seed)
        return values

    def after_save(self, page, record, parsed, ctx):
        """Relations the section manages itself (topics, tags…); True if any changed."""
        return False

    def apply(self, records, ctx):
        for index, record in enumerate(records):
            where = self.where(index, record)
            try:
                page, changed = self.upsert(record, where, ctx)
                if page is None:  # in conflict: its translations wait for it
                    skip_translations(self.name, record, ctx)
                    continue
                self.translate(page, record, where, ctx, source_changed=changed)
            except ValidationError as err:
                raise ImportFileError(_validation_message(err), where) from None
            except ImportFileError as err:
                if err.where is not None:
                    raise
                # Found where the record is written (a parent or index it names has no page
                # in its language yet): named by the record, as a check of the file would.
                raise ImportFileError(str(err), where) from None

    def upsert(self, record, where, ctx):
        """(page, whether it was written) of a record's original; (None, False) where the
        CMS changed it since the last import (a conflict)."""
        locale = ctx.locale(record.get("locale", settings.LANGUAGE_CODE))
        language = locale.language_code
        parsed = self.parse_fields(record, where)
        values = self.model_values(record, parsed, ctx, self.seed(record))
        if not values.get("slug"):
            values["slug"] = slugify(record.get("slug") or record["key"])[:250]

        translation_key = _recall(self.name, record["key"])
        page = None
        if translation_key:
            page = self.model.objects.filter(translation_key=translation_key, locale=locale).first()
        gone = translation_key and page is None
        if gone and ctx.deleted_in_cms(self.name, record["key"], locale):
            return None, False
        if page is None:
            parent = self.get_parent(record, ctx, locale)
            page = self.model(locale=locale, **{k: v for k, v in values.items() if k != "body"})
            if "body" in values:
                page.body = json.dumps(values["body"])
            parent.add_child(instance=page)
            self.after_save(page, record, parsed, ctx)
            _remember(self.name, record["key"], page.translation_key)
            publish(page, ctx, self.name, record["key"], locale)
            ctx.count(self.name, language, "created")
            return page, True
        return self.update(page, values, record, parsed, ctx, locale)

    def update(self, page, values, record, parsed, ctx, locale):
        """Bring an existing page in line with the file, starting from what is published (the
        page's row), never from a draft; only where the import owns it."""
        language = locale.language_code
        changed = _assign(page, values)
        changed = self.after_save(page, record, parsed, ctx) or changed
        if not changed and page.live:
            ctx.count(self.name, language, "unchanged")
            return page, False
        if not ctx.may_write(page, self.name, record["key"], locale):
            return None, False
        publish(page, ctx, self.name, record["key"], locale)
        ctx.count(self.name, language, "updated")
        return page, True

    def translate(self, page, record, where, ctx, source_changed):
        for code, values in (record.get("translations") or {}).items():
            twhere = f"{where}, translation {code}"
            parsed = self.parse_fields(values, twhere, only=set(values))
            translated = self.model_values(values, parsed, ctx, self.seed(record))
            result = translate_instance(
                page, ctx.locale(code), translated, twhere, ctx, source_changed, self.name, record
            )
            if result != "conflict":  # counted with its report
                ctx.count(self.name, code, result)


def publish(obj, ctx, section, key, locale):
    """Save a revision of a page or snippet and publish it, as the import's own."""
    revision = obj.save_revision(user=ctx.user, log_action=True)
    revision.publish(user=ctx.user)
    ctx.published(obj, revision, section, key, locale)


def skip_translations(section, record, ctx):
    """A record whose original is in conflict keeps its translations as they are too: they
    are translations of what the CMS now has, not of the file."""
    for code in record.get("translations") or {}:
        ctx.count(section, code, "skipped")


def _validation_message(err):
    if hasattr(err, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in err.message_dict.items())
    return " ".join(err.messages)


def translate_instance(
    source_instance, locale, translated_values, where, ctx, source_changed, section, record
):
    """Make or update the translation of a page or snippet into `locale` with wagtail-localize.

    The translated values are laid over a copy of the source and segmented the same way, so
    each source string gets its translation by its place (field, block, order). A translation
    whose structure differs from the source (another number of paragraphs) is an error.
    `source_changed` says the original was changed by this import, so its strings and
    synchronised fields (dates, country…) must be brought over. An existing translation that
    a translator or an editor changed since the import last wrote it is left as it is (a
    conflict), its strings included. Returns "created", "updated", "unchanged" or "conflict".
    """
    source, created_source = TranslationSource.get_or_create_from_instance(source_instance)
    if source_changed and source.pk not in ctx.current_sources:
        # From the row as just published (the instance in hand predates its publishing),
        # once per import rather than once per language.
        source.update_from_db()
    ctx.current_sources.add(source.pk)

    shadow = source.as_instance()
    for attr, value in translated_values.items():
        if isinstance(value, list):  # a StreamField's raw blocks
            value = json.dumps(value)
        setattr(shadow, attr, value)

    def strings_by_path(instance):
        found = defaultdict(list)
        for segment in extract_segments(instance):
            if isinstance(segment, StringSegmentValue):
                found[segment.path].append(segment.string.data)
        return found

    wanted = strings_by_path(shadow)
    source_segments = (
        StringSegment.objects.filter(source=source)
        .select_related("string", "context")
        .order_by("order")
    )
    by_path = defaultdict(list)
    for segment in source_segments:
        by_path[segment.context.path].append(segment)

    # What the file says that the translation's strings do not, checked before anything of
    # the translation is written.
    to_write = []
    beyond = sorted(set(wanted) - set(by_path))
    if beyond:
        # Text the original does not have (a field it leaves empty, a paragraph more), which
        # no string of the translation could hold.
        raise ImportFileError(
            f"has text at {beyond[0]} where the original has none; translate what the "
            "original says, paragraph by paragraph",
            where,
        )
    for path, segments in by_path.items():
        texts = wanted.get(path, [])
        if len(texts) != len(segments):
            raise ImportFileError(
                f"has {len(texts)} text segment(s) at {path} where the original has "
                f"{len(segments)}; translate every heading and paragraph of the original",
                where,
            )
        existing = {
            (t.translation_of_id, t.context_id): t.data
            for t in StringTranslation.objects.filter(
                translation_of__in=[s.string_id for s in segments],
                locale=locale,
                context__in=[s.context_id for s in segments],
            )
        }
        for segment, text_value in zip(segments, texts, strict=True):
            if existing.get((segment.string_id, segment.context_id)) != text_value:
                to_write.append((segment, text_value))

    translation = Translation.objects.filter(source=source, target_locale=locale).first()
    target = source_instance.get_translation_or_none(locale)
    is_alias = isinstance(target, Page) and target.alias_of_id is not None
    # A page of its own there (a fallback page an editor made one, say) is not new, though
    # wagtail-localize has no translation of it: what the CMS changed there is kept.
    new = target is None or is_alias
    # A translation changed in the CMS differs from the file even where its strings do not.
    edited = not new and edited_since_import(target, section, record["key"], locale, source)
    if not (to_write or source_changed or created_source or new or edited):
        return "unchanged"
    if not new and not ctx.may_write(target, section, record["key"], locale, source):
        return "conflict"

    if translation is None:
        translation = Translation.objects.create(source=source, target_locale=locale)
    for segment, text_value in to_write:
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={
                "data": text_value,
                "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                "tool_name": IMPORT_TOOL,
                "last_translated_by": ctx.user,
                "has_error": False,
                "field_error": "",
            },
        )

    write_translation(source, source_instance, target, locale, ctx, section, record["key"])
    return "created" if new else "updated"


def update_translations(page, ctx, section, key):
    """Bring the existing translations of `page`, changed and published by this import after
    they were made, in line with it (wagtail-localize's sync: what is not text follows the
    original; links to pages go to their versions in each language), where the import may
    write them."""
    source = TranslationSource.objects.filter(
        object_id=page.translation_key, locale=page.locale
    ).first()
    if source is None:
        return
    source.update_from_db()
    ctx.current_sources.add(source.pk)
    for translation in Translation.objects.filter(source=source).select_related("target_locale"):
        locale = translation.target_locale
        target = page.get_translation_or_none(locale)
        if target is None or target.alias_of_id is not None:
            continue
        if ctx.may_write(target, section, key, locale, source):
            write_translation(source, page, target, locale, ctx, section, key)


def write_translation(source, source_instance, target, locale, ctx, section, key):
    """Bring the translation of `source_instance` into `locale` in line with the source and
    the strings translated, and publish it, as the import's own. `target`: the translation
    there was before, if any."""
    # Saved as a draft revision by wagtail-localize, then published here, inside the
    # import's transaction (wagtail-localize's own publishing waits for the commit, which
    # would split the import).
    source.create_or_update_translation(
        locale, user=ctx.user, publish=False, copy_parent_pages=True, fallback=True
    )
    translated = source_instance.get_translation(locale)
    if getattr(target, "_overwritten", None):
        translated._overwritten = target._overwritten
    revision = translated.get_latest_revision()
    revision.publish(user=ctx.user)
    ctx.published(translated, revision, section, key, locale)


class SnippetSection(ImportSection):
    """A section whose records are translatable snippets (topics, approaches…)."""

    model = None

    def model_values(self, parsed):
        return {f.attr: parsed[f.name] for f in self.fields if f.attr and f.name in parsed}

    def apply(self, records, ctx):
        for index, record in enumerate(records):
            where = self.where(index, record)
            try:
                snippet, changed = self.upsert(record, where, ctx)
                if snippet is None:  # in conflict: its translations wait for it
                    skip_translations(self.name, record, ctx)
                    continue
                for code, values in (record.get("translations") or {}).items():
                    twhere = f"{where}, translation {code}"
                    parsed = self.parse_fields(values, twhere, only=set(values))
                    result = translate_instance(
                        snippet,
                        ctx.locale(code),
                        self.model_values(parsed),
                        twhere,
                        ctx,
                        changed,
                        self.name,
                        record,
                    )
                    if result != "conflict":  # counted with its report
                        ctx.count(self.name, code, result)
            except ValidationError as err:
                raise ImportFileError(_validation_message(err), where) from None

    def upsert(self, record, where, ctx):
        """(snippet, whether it was written); (None, False) where in conflict."""
        locale = ctx.locale(record.get("locale", settings.LANGUAGE_CODE))
        language = locale.language_code
        values = self.model_values(self.parse_fields(record, where))
        translation_key = _recall(self.name, record["key"])
        snippet = None
        if translation_key:
            snippet = self.model.objects.filter(
                translation_key=translation_key, locale=locale
            ).first()
        gone = translation_key and snippet is None
        if gone and ctx.deleted_in_cms(self.name, record["key"], locale):
            return None, False
        if snippet is None:
            snippet = self.model(locale=locale, **values)
            snippet.full_clean()
            snippet.save()
            _remember(self.name, record["key"], snippet.translation_key)
            publish(snippet, ctx, self.name, record["key"], locale)
            ctx.count(self.name, language, "created")
            return snippet, True
        # The snippet's row is what is published (drafts live in revisions).
        if not _assign(snippet, values) and snippet.live:
            ctx.count(self.name, language, "unchanged")
            return snippet, False
        if not ctx.may_write(snippet, self.name, record["key"], locale):
            return None, False
        snippet.full_clean()
        publish(snippet, ctx, self.name, record["key"], locale)
        ctx.count(self.name, language, "updated")
        return snippet, True

    @classmethod
    def find(cls, kind, key, locale=None):
        """The snippet a record of this file (or an earlier import) became."""
        translation_key = _recall(kind, key)
        if translation_key is None:
            return None
        found = cls.model.objects.filter(translation_key=translation_key)
        if locale is not None:
            found = found.filter(locale=locale)
        return found.first()


def registered_sections():
    sections = []
    for provider in hooks.get_hooks("procura_import_sections"):
        sections.extend(provider())
    return sorted(sections, key=lambda s: s.order)


def find_page(kind, key, locale):
    """The page an import record became, in a language; None if never imported."""
    translation_key = _recall(kind, key)
    if translation_key is None:
        return None
    return Page.objects.filter(translation_key=translation_key, locale=locale).first()


# What a file may be: checked before it is read, and as it is read.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_NESTING = 8  # levels of lists and objects; the format needs seven (menu links)


def read_file(path):
    """A file's data, its size checked before it is read. Raises ImportFileError."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportFileError(
                f"is {size:,} bytes; at most {MAX_FILE_BYTES:,} are allowed (split the file)"
            )
        # No more than the limit and a byte, whatever the size said (a pipe's is 0).
        with path.open("rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise ImportFileError(
                f"is more than {MAX_FILE_BYTES:,} bytes, the most allowed (split the file)"
            )
    except FileNotFoundError:
        raise ImportFileError("no such file") from None
    except OSError as err:
        raise ImportFileError(f"cannot be read ({err.strerror})") from None
    return load(raw)


def load(raw):
    """A file's bytes as the format's data. Raises ImportFileError with the problem."""
    try:
        text_value = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ImportFileError(f"is not UTF-8 text ({err.reason} at byte {err.start})") from None

    def not_a_number(constant):
        raise ValueError(f"{constant} is not a number this format accepts")

    def one_value_per_name(pairs):
        names = [name for name, _value in pairs]
        repeated = next((name for name in names if names.count(name) > 1), None)
        if repeated is not None:
            # JSON allows it, and keeps the last: a section given twice would lose the first.
            raise ValueError(f'"{repeated}" is given twice in one object')
        return dict(pairs)

    try:
        data = json.loads(
            text_value, parse_constant=not_a_number, object_pairs_hook=one_value_per_name
        )
    except json.JSONDecodeError as err:
        raise ImportFileError(
            f"is not valid JSON: {err.msg} at line {err.lineno}, column {err.colno}"
        ) from None
    except ValueError as err:
        raise ImportFileError(f"is not valid JSON: {err}") from None
    except RecursionError:
        raise ImportFileError(
            f"nests lists and objects deeper than the format allows (at most {MAX_NESTING})"
        ) from None
    too_deep = deepest_path(data, MAX_NESTING)
    if too_deep is not None:
        raise ImportFileError(
            f"nests lists and objects deeper than the format allows (at most {MAX_NESTING}), "
            f"at {too_deep}"
        )
    return data


def deepest_path(data, limit):
    """The path of the first list or object nested deeper than `limit`, or None."""
    pending = [(data, "the top", 1)]
    while pending:
        value, path, depth = pending.pop()
        if not isinstance(value, dict | list):
            continue
        if depth > limit:
            return path
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for name, item in items:
            if isinstance(name, int):
                step = f"[{name}]"
            else:
                step = name if path == "the top" else f".{name}"
            pending.append((item, step if path == "the top" else path + step, depth + 1))
    return None


def import_content(data, user=None, force=frozenset(), dry_run=False, base_dir=None):
    """Validate and import a whole file's data. Raises ImportFileError; writes nothing then.

    `force`: the keys ("key" or "section:key") of records to overwrite even where the CMS
    changed them since the last import, or True for all. `dry_run`: do everything, report
    it, and write nothing (the transaction is rolled back). `base_dir`: the file's folder,
    where the image files it names are (the working directory if not given)."""
    if not isinstance(data, dict):
        raise ImportFileError("the file must hold one JSON object with sections as keys")
    sections = registered_sections()
    known = {s.name for s in sections}
    unknown = set(data) - known - {"$schema", "comment"}
    if unknown:
        raise ImportFileError(
            f"unknown section(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}"
        )
    ctx = ImportContext(user=user, force=force, base_dir=Path(base_dir or "."))
    present = [s for s in sections if s.name in data]
    ctx.file_keys = {
        section.name: {r.get("key") for r in data[section.name] if isinstance(r, dict)}
        for section in present
        if isinstance(data[section.name], list)
    }
    for section in present:
        section.validate(data[section.name], ctx)
    try:
        with batched_background_updates(), transaction.atomic():
            for section in present:
                section.apply(data[section.name], ctx)
                if getattr(section, "creates_pages", False):
                    # New pages get their fallback pages in every language before translations
                    # are made, so a translation replaces its alias rather than duplicating it.
                    synchronize_locale_trees()
            if dry_run:
                transaction.set_rollback(True)
    except BaseException:
        ctx.discard_stored_files()
        raise
    if dry_run:
        ctx.discard_stored_files()
    return ctx
