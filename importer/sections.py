"""Import sections for the shared content: images, topics, tag names, the home page,
standard pages, the navigation and the footer. Other apps register their own (see
importer/importing.py)."""

import hashlib
import io
import json
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.models import Locale, Site

from home.models import Footer, HomePage, NavigationMenu, StandardPage, TagName, Topic
from home.models.snippets import validate_link_address
from importer.importing import (
    BLOCK_NAMESPACE,
    Conflict,
    Field,
    ImportFileError,
    ImportSection,
    PageSection,
    SnippetSection,
    _remember,
    boolean,
    find_page,
    html,
    rich_text_to_db,
    string_list,
    text,
)
from importer.models import ImportRecord


def split_reference(reference):
    """ "section:key" → (section, key)."""
    if not isinstance(reference, str) or ":" not in reference:
        raise ValueError(f'must be a page reference "section:key", not {json.dumps(reference)}')
    section, key = reference.split(":", 1)
    return section, key


def check_reference(reference, ctx, where, field_name):
    """A reference must name a record of this file or of an earlier import."""
    try:
        section, key = split_reference(reference)
    except ValueError as err:
        raise ImportFileError(str(err), where, field_name) from None
    if section == "home":
        return
    if key in ctx.keys.get(section, set()):
        return
    if ImportRecord.objects.filter(kind=section, key=key).exists():
        return
    if key in ctx.file_keys.get(section, set()):
        raise ImportFileError(
            f'refers to "{reference}", which this file imports later ("{section}" comes after '
            "this section): only records of earlier sections, or imported before, can be named",
            where,
            field_name,
        )
    raise ImportFileError(
        f'refers to "{reference}", which is neither in this file nor imported before',
        where,
        field_name,
    )


def resolve_page(reference, locale):
    section, key = split_reference(reference)
    if section == "home":
        return home_page(locale)
    page = find_page(section, key, locale)
    if page is None:
        raise ImportFileError(f'"{reference}" has no page in language {locale.language_code}')
    return page


def home_page(locale):
    root = Site.objects.get(is_default_site=True).root_page
    return root.get_translation(locale) if root.locale_id != locale.pk else root


class TopicSection(SnippetSection):
    name = "topics"
    order = 10
    model = Topic
    fields = [
        Field("name", text(max_length=120, required=True), "name", translatable=True),
        Field("description", text(), "description", translatable=True),
        Field("slug", text(max_length=80), "slug"),
    ]

    def model_values(self, parsed):
        values = super().model_values(parsed)
        if "slug" in values and not values["slug"]:
            values.pop("slug")
        return values

    def upsert(self, record, where, ctx):
        record = {**record, "slug": record.get("slug") or record["key"]}
        return super().upsert(record, where, ctx)


def is_link_address(value):
    """The rule of the admin's link address field (home/models/snippets.py)."""
    try:
        validate_link_address(str(value))
    except ValidationError:
        return False
    return True


def link_list(required=False):
    """Links as [{"label": …, "page": "section:key"} or {"label": …, "url": …}]."""

    def parse(value):
        if value is None:
            return []
        if not isinstance(value, list):
            raise ValueError("must be a list of links")
        links = []
        for position, link in enumerate(value, start=1):
            if not isinstance(link, dict) or not isinstance(link.get("label"), str):
                raise ValueError(f"link {position} needs a text label")
            if "page" in link:
                split_reference(link["page"])
            elif "url" in link and not is_link_address(link["url"]):
                raise ValueError(
                    f"link {position} has an address that is neither a URL nor one of this "
                    "site starting with /"
                )
            links.append(link)
        return links

    parse.required = required
    return parse


class LinkMenuSection(SnippetSection):
    """Navigation and footer: a stream of links; translations give labels in the same order."""

    order = 900  # after every page, so links can point at them

    def validate_record(self, record, where, ctx):
        super().validate_record(record, where, ctx)
        for link in record.get("links") or []:
            if "page" in link:
                check_reference(link["page"], ctx, where, "links")
        source_count = len(record.get("links") or [])
        for code, values in (record.get("translations") or {}).items():
            if "links" in values and len(values["links"]) != source_count:
                raise ImportFileError(
                    f"has {len(values['links'])} links where the original has {source_count}",
                    f"{where}, translation {code}",
                    "links",
                )

    def links_stream(self, key, links, source_links=None):
        source_links = source_links or links
        stream = []
        for position, (link, source) in enumerate(zip(links, source_links, strict=True)):
            page_id = None
            if "page" in source:
                page_id = resolve_page(source["page"], self.default_locale).pk
            stream.append(
                {
                    "type": "link",
                    "value": {
                        "label": link["label"],
                        "page": page_id,
                        "url": source.get("url", ""),
                    },
                    "id": str(uuid.uuid5(BLOCK_NAMESPACE, f"{self.name}/{key}/{position}")),
                }
            )
        return stream

    def apply(self, records, ctx):
        self.default_locale = ctx.locale(settings.LANGUAGE_CODE)
        self._records = {r["key"]: r for r in records}
        super().apply(records, ctx)

    def model_values(self, parsed):
        values = {f.attr: parsed[f.name] for f in self.fields if f.attr and f.name in parsed}
        if "links" in parsed:
            record = self._current
            values[self.links_attr] = self.links_stream(
                record["key"], parsed["links"], record.get("links")
            )
        return values

    def upsert(self, record, where, ctx):
        self._current = record
        return super().upsert(record, where, ctx)


class NavigationSection(LinkMenuSection):
    name = "navigation"
    model = NavigationMenu
    links_attr = "items"
    fields = [
        Field("name", text(max_length=80, default="Main navigation"), "name"),
        Field("links", link_list(required=True), None, translatable=True),
    ]


def rich_html(required=False):
    base = html(required=required)

    def parse(value):
        value = base(value)
        return rich_text_to_db(value) if value else ""

    parse.required = required
    return parse


class FooterSection(LinkMenuSection):
    name = "footer"
    model = Footer
    links_attr = "links"
    fields = [
        Field("name", text(max_length=80, default="Footer"), "name"),
        Field("about_html", rich_html(), "about", translatable=True),
        Field("links", link_list(), None, translatable=True),
    ]


def page_references(required=False):
    base = string_list(required=required)

    def parse(value):
        refs = base(value)
        for ref in refs:
            split_reference(ref)
        return refs

    parse.required = required
    return parse


def focal_point(value):
    """{"x", "y", "width", "height"} in pixels of the image, or None."""
    if value is None:
        return None
    names = ("x", "y", "width", "height")
    if not isinstance(value, dict) or set(value) != set(names):
        raise ValueError('must be an object with "x", "y", "width" and "height" (pixels)')
    for name in names:
        if not isinstance(value[name], int) or isinstance(value[name], bool) or value[name] < 0:
            raise ValueError(f'"{name}" must be a whole number of pixels, not below 0')
    return value


focal_point.required = False


class ImageSection(ImportSection):
    """Image files for Wagtail's library, which page records name by key ("hero_image").

    A file is named relative to the import file's folder and may not lie outside it. An image
    whose file is already in the library (the same bytes) is that image: a re-run, or another
    file with the same picture, adds nothing. Its title and focal point are set when it is
    added; editors may change them after."""

    name = "images"
    order = 5  # before every page that shows one
    fields = [
        Field("file", text(max_length=255, required=True), None),
        Field("title", text(max_length=255, required=True), None),
        Field("focal_point", focal_point, None),
    ]

    def known_fields(self):
        return {f.name for f in self.fields} | {"key"}

    def path(self, record, ctx, where):
        base = ctx.base_dir.resolve()
        path = (base / record["file"]).resolve()
        if not path.is_relative_to(base):
            raise ImportFileError("must name a file in the import file's folder", where, "file")
        if not path.is_file():
            raise ImportFileError(f'"{record["file"]}": no such file', where, "file")
        extension = path.suffix.lower().lstrip(".")
        if extension not in settings.WAGTAILIMAGES_EXTENSIONS:
            allowed = ", ".join(settings.WAGTAILIMAGES_EXTENSIONS)
            raise ImportFileError(f"must be an image file ({allowed})", where, "file")
        return path

    def validate_record(self, record, where, ctx):
        super().validate_record(record, where, ctx)
        if "translations" in record:
            raise ImportFileError("an image has no translations", where, "translations")
        path = self.path(record, ctx, where)
        from PIL.Image import DecompressionBombError
        from willow.image import Image, UnrecognisedImageFormatError

        name = record["file"]
        try:
            with path.open("rb") as file:
                image = Image.open(file)
                width, height = image.get_size()
        except (
            UnrecognisedImageFormatError,
            OSError,
            ValueError,
            SyntaxError,
            DecompressionBombError,
        ):
            unreadable = f'"{name}": not an image that can be read'
            raise ImportFileError(unreadable, where, "file") from None
        # What the admin's upload form refuses: another format under the name (an SVG named
        # .png, which renditions cannot be made of), too many pixels, too large a file.
        kind = {"jpeg": "jpg"}.get(image.format_name, image.format_name)
        if kind not in settings.WAGTAILIMAGES_EXTENSIONS:
            allowed = ", ".join(settings.WAGTAILIMAGES_EXTENSIONS)
            raise ImportFileError(f'"{name}": a {kind} file, not one of {allowed}', where, "file")
        pixels = getattr(settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", 128_000_000)
        if pixels and width * height > pixels:
            raise ImportFileError(
                f'"{name}": {width}×{height} pixels; at most {pixels:,} are allowed', where, "file"
            )
        size = getattr(settings, "WAGTAILIMAGES_MAX_UPLOAD_SIZE", 10 * 1024 * 1024)
        if size and path.stat().st_size > size:
            raise ImportFileError(f'"{name}": larger than {size:,} bytes', where, "file")

    def apply(self, records, ctx):
        from django.core.files.images import ImageFile
        from wagtail.images import get_image_model

        image_model = get_image_model()
        for index, record in enumerate(records):
            where = self.where(index, record)
            parsed = self.parse_fields(record, where)
            content = self.path(record, ctx, where).read_bytes()
            digest = hashlib.sha1(content).hexdigest()  # noqa: S324 - Wagtail's own file_hash
            image = image_model.objects.filter(file_hash=digest).order_by("pk").first()
            if image is None:
                name = Path(record["file"]).name
                image = image_model(title=parsed["title"], file_hash=digest)
                image.file = ImageFile(io.BytesIO(content), name=name)
                image.file_size = len(content)
                point = parsed["focal_point"]
                if point:
                    image.focal_point_x = point["x"] + point["width"] // 2
                    image.focal_point_y = point["y"] + point["height"] // 2
                    image.focal_point_width = point["width"]
                    image.focal_point_height = point["height"]
                image.save()
                ctx.stored_files.append(image.file.name)
                ctx.count(self.name, settings.LANGUAGE_CODE, "created")
            else:
                ctx.count(self.name, settings.LANGUAGE_CODE, "unchanged")
            ctx.images[record["key"]] = image


# The hero image of a page record: the key of an "images" record, its text alternative
# (translated like the page's other text) and whether it is decorative.
HERO_IMAGE_FIELDS = [
    Field("hero_image", text(max_length=200), None),
    Field("hero_image_alt", text(max_length=250), "hero_image_alt", translatable=True),
    Field("hero_image_decorative", boolean(), "hero_image_decorative"),
]


class HeroImageFields:
    """For a PageSection whose page type has a hero image (home/models/images.py): the
    record's image is checked like the admin checks it, and set where the record names one."""

    def validate_record(self, record, where, ctx):
        super().validate_record(record, where, ctx)
        key = record.get("hero_image")
        if not key:
            return
        if key not in ctx.keys.get(ImageSection.name, set()):
            raise ImportFileError(
                f'refers to image "{key}", which is not in this file\'s "images"',
                where,
                "hero_image",
            )
        described = str(record.get("hero_image_alt") or "").strip()  # as the field keeps it
        if not record.get("hero_image_decorative") and not described:
            raise ImportFileError(
                'is required with "hero_image", unless "hero_image_decorative" is true',
                where,
                "hero_image_alt",
            )

    def model_values(self, record, parsed, ctx, seed):
        values = super().model_values(record, parsed, ctx, seed)
        if parsed.get("hero_image"):
            values["hero_image_id"] = ctx.images[parsed["hero_image"]].pk
        return values


class HomeSection(HeroImageFields, PageSection):
    """The home page exists already (one per site); this section fills it in."""

    name = "home"
    order = 800  # after the pages it features
    model = HomePage
    fields = [
        Field("title", text(max_length=255, required=True), "title", translatable=True),
        Field("hero_heading", text(max_length=200), "hero_heading", translatable=True),
        Field("intro", text(), "intro", translatable=True),
        Field("summary", text(max_length=600), "summary", translatable=True),
        Field("body_html", html(), None, translatable=True),
        Field("featured", page_references(), None),
        *HERO_IMAGE_FIELDS,
    ]

    def validate_record(self, record, where, ctx):
        super().validate_record(record, where, ctx)
        for ref in record.get("featured") or []:
            check_reference(ref, ctx, where, "featured")

    def model_values(self, record, parsed, ctx, seed):
        values = super().model_values(record, parsed, ctx, seed)
        values["slug"] = "home"
        if "featured" in parsed:
            locale = ctx.locale(settings.LANGUAGE_CODE)
            values["featured"] = [
                {
                    "type": "page",
                    "value": resolve_page(ref, locale).pk,
                    "id": str(uuid.uuid5(BLOCK_NAMESPACE, f"home/featured/{position}")),
                }
                for position, ref in enumerate(parsed["featured"])
            ]
        return values

    def upsert(self, record, where, ctx):
        locale = ctx.locale(record.get("locale", settings.LANGUAGE_CODE))
        page = home_page(locale).specific  # its row: what is published
        parsed = self.parse_fields(record, where)
        values = self.model_values(record, parsed, ctx, self.seed(record))
        values.pop("slug")
        _remember(self.name, record["key"], page.translation_key)
        return self.update(page, values, record, parsed, ctx, locale)


class StandardPageSection(PageSection):
    name = "pages"
    order = 20
    model = StandardPage
    creates_pages = True
    fields = [
        Field("title", text(max_length=255, required=True), "title", translatable=True),
        Field("slug", text(max_length=255), "slug"),
        Field("parent", text(), None),
        Field("summary", text(max_length=600), "summary", translatable=True),
        Field("body_html", html(), None, translatable=True),
    ]

    def validate_record(self, record, where, ctx):
        super().validate_record(record, where, ctx)
        if record.get("parent"):
            check_reference(record["parent"], ctx, where, "parent")

    def get_parent(self, record, ctx, locale):
        if record.get("parent"):
            return resolve_page(record["parent"], locale).specific
        return home_page(locale).specific


class TagNameSection(ImportSection):
    """Free tags and their names in other languages (home.TagName). The record's key is the
    tag's slug, the same in every language; `name` its own name, given where the tag is
    new (an existing tag keeps the name it has). A name that is no longer as the file has it
    (changed in the admin, or in the file: names have no revisions to tell which) is left as
    it is and reported as a conflict, unless forced; a name the file gives for a language
    that has none yet is added."""

    name = "tags"
    order = 12  # before the case studies that use the tags
    fields = [
        Field("name", text(max_length=100, required=True), translatable=True),
    ]

    def validate_record(self, record, where, ctx):
        super().validate_record(record, where, ctx)
        if record["key"] != slugify(record["key"]):
            raise ImportFileError('must be the tag\'s slug, e.g. "led-lighting"', where, "key")
        if record.get("locale", settings.LANGUAGE_CODE) != settings.LANGUAGE_CODE:
            raise ImportFileError(
                "a tag's own name is of no language; give other languages as translations",
                where,
                "locale",
            )

    def apply(self, records, ctx):
        default = settings.LANGUAGE_CODE
        for index, record in enumerate(records):
            key = record["key"]
            parsed = self.parse_fields(record, self.where(index, record))
            tag = (
                Tag.objects.filter(slug=key).first()
                or Tag.objects.filter(name__iexact=parsed["name"]).first()
            )
            if tag is None:
                tag = Tag.objects.create(name=parsed["name"], slug=key)
                ctx.count(self.name, default, "created")
            else:
                ctx.count(self.name, default, "unchanged")
            existing = {n.language: n for n in TagName.objects.filter(tag=tag)}
            for code, values in (record.get("translations") or {}).items():
                if "name" not in values:
                    continue
                wanted = text(max_length=100, required=True)(values["name"])
                found = existing.get(code)
                if found is None:
                    TagName.objects.create(tag=tag, language=code, name=wanted)
                    ctx.count(self.name, code, "created")
                elif found.name == wanted:
                    ctx.count(self.name, code, "unchanged")
                elif ctx.forced(self.name, key):
                    found.name = wanted
                    found.save(update_fields=["name"])
                    ctx.count(self.name, code, "updated")
                else:
                    change = "not as the file has it (changed in the admin or in the file)"
                    ctx.conflicts.append(Conflict(self.name, key, code, change))
                    ctx.count(self.name, code, "conflict")


def tag_named(name):
    """The free tag of that name (case-insensitive), created if new."""
    return Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)


def set_snippet_links(manager, section, keys):
    """Point a page's many-to-many taxonomy field at the default language's terms; True if
    changed. Names are shown in the visitor's language by slug (home/taxonomy.py)."""
    default = Locale.get_default()
    terms = [t for t in (section.find(section.name, k, default) for k in keys) if t is not None]
    if {t.pk for t in manager.all()} == {t.pk for t in terms}:
        return False
    manager.set(terms)
    return True


def set_tags(page, names):
    """Give the page the free tags of `names` (each found case-insensitively, as
    `tag_named` finds it; "LED" and "led" are one tag); True if that changed them."""
    tags = list({tag.pk: tag for tag in map(tag_named, names)}.values())
    if {t.pk for t in page.tags.all()} == {t.pk for t in tags}:
        return False
    page.tags.set(tags)
    return True
