"""Where a string of a page or snippet is, in words a translator reads in a CAT tool.

wagtail-localize names the place of each string by a path of field names and block ids
(`body.4dbf3da9-….attribution`); the files given to translators (the bulk exchange of
translations/exchange.py and the translation editor's PO download) describe it instead with
the labels editors see: the field's `verbose_name`, each StreamField block's label and its
position in its stream, StructBlock children's labels ("Body › Quote (block 3) ›
Attribution"), and the page or snippet with its address.

The labels are those of the active language (the translator's interface language in the
admin). Positions are read from the content the strings were taken from (the translation
source), not from the page as it is now.
"""

from collections import Counter

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.models import Page

SEPARATOR = " › "


def _label(text):
    return capfirst(str(text or ""))


class PlaceNames:
    """Readable places of the strings of one object (a translation source's instance)."""

    def __init__(self, instance):
        self.instance = instance
        self._streams = {}  # path of a stream → {block id: (position, type, raw value)}

    def describe(self, path):
        """The place of a path: "body.<block id>.attribution" is "Body › Quote (block 3) ›
        Attribution"."""
        return SEPARATOR.join(self._names(self.instance, path.split(".")))

    def _names(self, instance, parts, prefix=""):
        try:
            field = type(instance)._meta.get_field(parts[0])
        except FieldDoesNotExist:
            return [".".join(parts)]
        if isinstance(field, models.ManyToOneRel):  # a translatable inline (child objects)
            return self._child_names(instance, field, parts, prefix)
        names = [_label(field.verbose_name)]
        if isinstance(field, StreamField) and len(parts) > 1:
            # The stream's raw data, read once per stream (an index of its blocks is kept).
            def raw():
                return list(field.value_from_object(instance).raw_data)

            names += self._block_names(field.stream_block, raw, parts[1:], prefix + parts[0])
        elif len(parts) > 1:
            names.append(".".join(parts[1:]))
        return names

    def _child_names(self, instance, relation, parts, prefix):
        names = [_label(relation.related_model._meta.verbose_name_plural)]
        children = list(getattr(instance, relation.get_accessor_name()).all())
        for position, child in enumerate(children, start=1):
            if len(parts) > 1 and str(getattr(child, "translation_key", "")) == parts[1]:
                names[0] = _("%(label)s (item %(position)d)") % {
                    "label": _label(relation.related_model._meta.verbose_name),
                    "position": position,
                }
                if len(parts) > 2:
                    names += self._names(child, parts[2:], f"{prefix}{parts[0]}.{parts[1]}.")
                break
        return names

    def _stream_index(self, key, raw):
        index = self._streams.get(key)
        if index is None:
            index = {}
            for position, child in enumerate((raw() if callable(raw) else raw) or [], start=1):
                if isinstance(child, dict) and child.get("id"):
                    index.setdefault(child["id"], (position, child.get("type"), child.get("value")))
            self._streams[key] = index
        return index

    def _block_names(self, block, raw, parts, key):
        if not parts:
            return []
        head, rest = parts[0], parts[1:]
        if isinstance(block, blocks.StreamBlock):
            found = self._stream_index(key, raw).get(head)
            child = block.child_blocks.get(found[1]) if found else None
            if child is None:  # a block the source no longer has
                return []
            name = _("%(label)s (block %(position)d)") % {
                "label": _label(child.label),
                "position": found[0],
            }
            return [name, *self._block_names(child, found[2], rest, f"{key}.{head}")]
        if isinstance(block, blocks.StructBlock) and head in block.child_blocks:
            child = block.child_blocks[head]
            value = raw.get(head) if isinstance(raw, dict) else None
            return [_label(child.label), *self._block_names(child, value, rest, f"{key}.{head}")]
        if isinstance(block, blocks.ListBlock):
            items = raw if isinstance(raw, list) else []
            for position, item in enumerate(items, start=1):
                if isinstance(item, dict) and item.get("id") == head:
                    name = _("%(label)s (item %(position)d)") % {
                        "label": _label(block.child_block.label),
                        "position": position,
                    }
                    value = item.get("value")
                    child_names = self._block_names(block.child_block, value, rest, f"{key}.{head}")
                    return [name, *child_names]
            return []
        describe = getattr(block, "translatable_segment_label", None)
        if describe is not None:
            return [describe(".".join(parts))]
        return [".".join(parts)]


def numbered(places):
    """Each place with "part n of m" where several strings share it (the paragraphs and list
    items of one rich text): [(path, description)] → [description]."""
    counts = Counter(path for path, _description in places)
    seen = Counter()
    described = []
    for path, description in places:
        if counts[path] > 1:
            seen[path] += 1
            description += ", " + _("part %(position)d of %(count)d") % {
                "position": seen[path],
                "count": counts[path],
            }
        described.append(description)
    return described


def whereabouts(obj, locale, target_pk=None):
    """(heading, address, document) of a page or snippet being translated into `locale`.

    The heading names its kind and title ("Case study: Oslo buys efficient street lights").
    A page's address is the original's public one; a snippet's is the admin page where its
    translation is edited, where there is one yet (a translator may not open the original's).
    The document names it in a file (XLIFF's `original`): its address, else a name of the
    site's own."""
    specific_class = getattr(obj, "specific_class", None) or type(obj)
    heading = f"{_label(specific_class._meta.verbose_name)}: {obj}"
    address = ""
    if isinstance(obj, Page):
        heading = f"{_label(specific_class._meta.verbose_name)}: {obj.title}"
        address = obj.get_full_url() or ""
        fallback = f"procura-plus/{locale.language_code}/pages/{obj.pk}"
    else:
        meta = obj._meta
        if target_pk is not None:
            try:
                address = settings.WAGTAILADMIN_BASE_URL + reverse(
                    f"wagtailsnippets_{meta.app_label}_{meta.model_name}:edit", args=[target_pk]
                )
            except NoReverseMatch:
                address = ""
        fallback = (
            f"procura-plus/{locale.language_code}/{meta.app_label}.{meta.model_name}/{obj.pk}"
        )
    return heading, address, address or fallback
