"""Drafts stay drafts: while a draft-only save is under way, a live object's row keeps its live
content and the draft goes only into a revision.

In Wagtail the page row is what visitors see; drafts live in revisions. wagtail-localize's
"save draft" (`create_or_update_translation(publish=False)`) writes the translated content
into the row too, so an unapproved translation would go public without the moderation step
(wagtail-localize issue #655). The translations app runs those saves inside `draft_only.on()`;
models with `KeepLiveContentMixin` then save only their bookkeeping fields.
"""

from home.switches import ThreadSwitch

# What a draft save may change on a live row: revision bookkeeping, never content.
BOOKKEEPING_FIELDS = (
    "draft_title",
    "has_unpublished_changes",
    "latest_revision",
    "latest_revision_created_at",
    "locked",
    "locked_at",
    "locked_by",
)


# On while a draft-only save is under way: `with draft_only.on():`.
draft_only = ThreadSwitch()


class KeepLiveContentMixin:
    """For pages and draftable snippets: see the module docstring."""

    def save(self, *args, **kwargs):
        if (
            draft_only
            and self.pk
            and kwargs.get("update_fields") is None
            and type(self)._base_manager.filter(pk=self.pk, live=True).exists()
        ):
            names = {f.name for f in self._meta.concrete_fields}
            kwargs["update_fields"] = [f for f in BOOKKEEPING_FIELDS if f in names]
        return super().save(*args, **kwargs)
