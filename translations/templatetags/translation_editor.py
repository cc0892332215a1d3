from django import template

from translations.editor import editor_context

register = template.Library()


@register.simple_tag(takes_context=True)
def translation_editor(context):
    """The translation editor's props and footer for the user (translations/editor.py)."""
    return editor_context(
        context["request"], context["translation"], context["instance"], context["props"]
    )
