"""Wagtail's `<picture>` (the `{% picture %}` tag's own rendering) in AVIF, WebP and JPEG:
`{% cropped_picture %}` of an image cropped to an aspect ratio around its focal point,
`{% scaled_picture %}` of the whole image (images in a page's body).

Unlike `{% picture image "fill-{…}" %}` they leave out the widths the image is too small for:
Wagtail never enlarges an image, so those would repeat the largest rendition under a width
it does not have (a `srcset` with two candidates of one width is invalid HTML).
"""

from django import template
from wagtail.images.models import Filter, Picture
from wagtail.images.shortcuts import get_renditions_or_not_found

register = template.Library()

# Best first: the browser takes the first it supports; JPEG is the fallback <img>.
FORMATS = ("avif", "webp", "jpeg")


def crop_sizes(image, widths, ratio):
    """[(width, height)] of the crops at `widths` ("480,960") of aspect `ratio` ("16x9")
    the image is large enough for; the smallest where it is large enough for none."""
    ratio_w, ratio_h = (int(part) for part in ratio.split("x"))
    sizes = [(int(w), round(int(w) * ratio_h / ratio_w)) for w in widths.split(",")]
    sizes.sort()
    fitting = [(w, h) for w, h in sizes if w <= image.width and h <= image.height]
    return fitting or sizes[:1]


def _picture(image, specs, sizes, alt, main, css_class):
    filters = [Filter(spec=f"{spec}|format-{fmt}") for fmt in FORMATS for spec in specs]
    attrs = {"alt": alt}
    if len(specs) > 1 and sizes:
        attrs["sizes"] = sizes
    if main:
        attrs["fetchpriority"] = "high"
    else:
        attrs["loading"] = "lazy"
        attrs["decoding"] = "async"
    if css_class:
        attrs["class"] = css_class
    return Picture(get_renditions_or_not_found(image, filters), attrs).__html__()


@register.simple_tag
def cropped_picture(image, widths, ratio, sizes="", alt="", main=False, css_class=""):
    """The `<picture>` of `image` cropped to `ratio` at `widths`, or "" without an image.
    `alt` is always written ("" for a decorative image); `main`: the page's main image,
    fetched first, never lazily."""
    if not image:
        return ""
    specs = [f"fill-{w}x{h}" for w, h in crop_sizes(image, widths, ratio)]
    return _picture(image, specs, sizes, alt, main, css_class)


@register.simple_tag
def scaled_picture(image, widths, sizes="", alt="", main=False, css_class=""):
    """The `<picture>` of the whole of `image` at `widths` ("480,960") no wider than it is
    (the smallest where it is narrower than all), or "" without an image."""
    if not image:
        return ""
    wanted = sorted(int(w) for w in widths.split(","))
    fitting = [w for w in wanted if w <= image.width] or wanted[:1]
    return _picture(image, [f"width-{w}" for w in fitting], sizes, alt, main, css_class)
