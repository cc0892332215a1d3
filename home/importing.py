"""Importing content from a JSON file (`manage.py import_content FILE.json`).

The file's format is documented in docs/import-format.md. Each top-level section ("topics",
"case_studies", …) is handled by an `ImportSection` that an app registers through the
`procura_import_sections` hook, so this module knows no app's models.

Guarantees:
- all or nothing: the whole file is validated, then written in one transaction;
- idempotent by key: a record's `key` is remembered (`ImportRecord`), and a re-run updates
  what changed and leaves the rest alone, so nothing is duplicated;
- translations are made with wagtail-localize (a TranslationSource, a Translation per
  language and its string translations), exactly as the admin's translation editor does, so
  translators see them as translations of the original and can carry on from there.
"""

import datetime
import json
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from bs4 import BeautifulSoup, NavigableString, Tag
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from wagtail import hooks
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter
from wagtail.models import DraftStateMixin, Locale, Page
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
from home.models import ImportRecord
from home.trees import synchronize_locale_trees

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


def text(max_length=None, required=False, default=""):
    def parse(value):
        if value is None:
            if required:
                raise ValueError("is required")
            return default
        if not isinstance(value, str):
            raise ValueError(f"must be text, not {type(value).__name__}")
        value = value.strip()
        if required and not value:
            raise ValueError("must not be empty")
        if max_length and len(value) > max_length:
            raise ValueError(f"is {len(value)} characters long; at most {max_length} are allowed")
        return value

    parse.required = required
    return parse


def number(minimum=None, maximum=None, integer=False, required=False):
    def parse(value):
        if value is None:
            if required:
                raise ValueError("is required")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"must be a number, not {json.dumps(value)}")
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


def string_list(required=False):
    def parse(value):
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError("must be a list of text values")
        return [v.strip() for v in value if v.strip()]

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
        if isinstance(node, NavigableString):
            if str(node).strip():
                pending.append(f"<p>{node.strip()}</p>")
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
class ImportContext:
    user: Any = None
    counts: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    # Keys of records present in the file, by section, for cross-references.
    keys: dict = field(default_factory=lambda: defaultdict(set))
    locales: dict = field(default_factory=dict)

    def locale(self, code):
        if code not in self.locales:
            self.locales[code] = Locale.objects.get(language_code=code)
        return self.locales[code]

    def count(self, section, what):
        self.counts[section][what] += 1


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
        if locale not in LANGUAGE_CODES:
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
                self.translate(page, record, where, ctx, source_changed=changed)
            except ValidationError as err:
                raise ImportFileError(_validation_message(err), where) from None

    def upsert(self, record, where, ctx):
        locale = ctx.locale(record.get("locale", settings.LANGUAGE_CODE))
        parsed = self.parse_fields(record, where)
        values = self.model_values(record, parsed, ctx, self.seed(record))
        if not values.get("slug"):
            values["slug"] = slugify(record.get("slug") or record["key"])[:250]

        translation_key = _recall(self.name, record["key"])
        page = None
        if translation_key:
            page = self.model.objects.filter(translation_key=translation_key, locale=locale).first()
        if page is None:
            parent = self.get_parent(record, ctx, locale)
            page = self.model(locale=locale, **{k: v for k, v in values.items() if k != "body"})
            if "body" in values:
                page.body = json.dumps(values["body"])
            parent.add_child(instance=page)
            self.after_save(page, record, parsed, ctx)
            page.save_revision(user=ctx.user, log_action=True).publish()
            _remember(self.name, record["key"], page.translation_key)
            ctx.count(self.name, "created")
            return page, True

        page = page.get_latest_revision_as_object()
        changed = _assign(page, values)
        changed = self.after_save(page, record, parsed, ctx) or changed
        if changed or not page.live:
            page.save_revision(user=ctx.user, log_action=True).publish()
            ctx.count(self.name, "updated")
            return page, True
        ctx.count(self.name, "unchanged")
        return page, False

    def translate(self, page, record, where, ctx, source_changed):
        for code, values in (record.get("translations") or {}).items():
            twhere = f"{where}, translation {code}"
            parsed = self.parse_fields(values, twhere, only=set(values))
            translated = self.model_values(values, parsed, ctx, self.seed(record))
            result = translate_instance(
                page, ctx.locale(code), translated, twhere, ctx, source_changed
            )
            ctx.count(self.name, f"translation {result}")


def _validation_message(err):
    if hasattr(err, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in err.message_dict.items())
    return " ".join(err.messages)


def translate_instance(source_instance, locale, translated_values, where, ctx, source_changed):
    """Make or update the translation of a page or snippet into `locale` with wagtail-localize.

    The translated values are laid over a copy of the source and segmented the same way, so
    each source string gets its translation by its place (field, block, order). A translation
    whose structure differs from the source (another number of paragraphs) is an error.
    `source_changed` says the original was changed by this import, so its strings and
    synchronised fields (dates, country…) must be brought over. Returns "created", "updated"
    or "unchanged".
    """
    source, created_source = TranslationSource.get_or_create_from_instance(source_instance)
    if source_changed and not created_source:
        source.update_from_db()

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

    translation, created = Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    changed = created
    for path, segments in by_path.items():
        texts = wanted.get(path, [])
        if len(texts) != len(segments):
            raise ImportFileError(
                f"has {len(texts)} text segment(s) at {path} where the original has "
                f"{len(segments)}; translate every heading and paragraph of the original",
                where,
            )
        for segment, text_value in zip(segments, texts, strict=True):
            existing = StringTranslation.objects.filter(
                translation_of=segment.string, locale=locale, context=segment.context
            ).first()
            if existing and existing.data == text_value:
                continue
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={
                    "data": text_value,
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                    "tool_name": "import_content",
                    "last_translated_by": ctx.user,
                    "has_error": False,
                    "field_error": "",
                },
            )
            changed = True

    target = source_instance.get_translation_or_none(locale)
    is_alias = isinstance(target, Page) and target.alias_of_id is not None
    if not (changed or source_changed or created_source or is_alias or target is None):
        return "unchanged"

    draftable = isinstance(source_instance, DraftStateMixin)
    # Drafts are saved as a revision and published here, inside the import's transaction;
    # wagtail-localize's own publishing waits for the commit, which would split the import.
    source.create_or_update_translation(
        locale, user=ctx.user, publish=not draftable, copy_parent_pages=True, fallback=True
    )
    if draftable:
        translated = source_instance.get_translation(locale)
        translated.get_latest_revision().publish(user=ctx.user)
    return "created" if (created or is_alias or target is None) else "updated"


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
                for code, values in (record.get("translations") or {}).items():
                    twhere = f"{where}, translation {code}"
                    parsed = self.parse_fields(values, twhere, only=set(values))
                    result = translate_instance(
                        snippet,
                        ctx.locale(code),
                        self.model_values(parsed),
                        twhere,
                        ctx,
                        source_changed=changed,
                    )
                    ctx.count(self.name, f"translation {result}")
            except ValidationError as err:
                raise ImportFileError(_validation_message(err), where) from None

    def upsert(self, record, where, ctx):
        locale = ctx.locale(record.get("locale", settings.LANGUAGE_CODE))
        values = self.model_values(self.parse_fields(record, where))
        translation_key = _recall(self.name, record["key"])
        snippet = None
        if translation_key:
            snippet = self.model.objects.filter(
                translation_key=translation_key, locale=locale
            ).first()
        if snippet is None:
            snippet = self.model(locale=locale, **values)
            snippet.full_clean()
            snippet.save()
            publish_snippet(snippet, ctx)
            _remember(self.name, record["key"], snippet.translation_key)
            ctx.count(self.name, "created")
            return snippet, True
        if _assign(snippet, values) or not getattr(snippet, "live", True):
            snippet.full_clean()
            snippet.save()
            publish_snippet(snippet, ctx)
            ctx.count(self.name, "updated")
            return snippet, True
        ctx.count(self.name, "unchanged")
        return snippet, False

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


def publish_snippet(snippet, ctx):
    """Draftable snippets get a revision and are published, as the admin would do."""
    if isinstance(snippet, DraftStateMixin):
        snippet.save_revision(user=ctx.user).publish(user=ctx.user)


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


def import_content(data, user=None):
    """Validate and import a whole file's data. Raises ImportFileError; writes nothing then."""
    if not isinstance(data, dict):
        raise ImportFileError("the file must hold one JSON object with sections as keys")
    sections = registered_sections()
    known = {s.name for s in sections}
    unknown = set(data) - known - {"$schema", "comment"}
    if unknown:
        raise ImportFileError(
            f"unknown section(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}"
        )
    ctx = ImportContext(user=user)
    present = [s for s in sections if s.name in data]
    for section in present:
        section.validate(data[section.name], ctx)
    with batched_background_updates(), transaction.atomic():
        for section in present:
            section.apply(data[section.name], ctx)
            if getattr(section, "creates_pages", False):
                # New pages get their stand-ins in every language before translations are
                # made, so a translation replaces its alias rather than duplicating it.
                synchronize_locale_trees()
    return ctx
