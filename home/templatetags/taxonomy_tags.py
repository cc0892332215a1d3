"""Free tags named in the visitor's language (home/taxonomy.py: `tag_names`)."""

from django import template

from home.taxonomy import localized_tags as _localized_tags

register = template.Library()


@register.filter
def localized_tags(tags):
    """[(slug, name)] of taggit tags, each named in the active language where it has a name
    in it, else by its own name: `{% for slug, name in page.tags.all|localized_tags %}`."""
    return _localized_tags(tags)
