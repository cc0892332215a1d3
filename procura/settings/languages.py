"""The languages of the site: the 24 official languages of the European Union.

Content and interface use the same list, so every content locale has a translated interface.
"""

from django.conf import locale as django_locale
from django.utils.translation import gettext_lazy as _

# (code, English name as Django knows it) in the order of the EU's own protocol listing.
EU_LANGUAGES = [
    ("bg", _("Bulgarian")),
    ("es", _("Spanish")),
    ("cs", _("Czech")),
    ("da", _("Danish")),
    ("de", _("German")),
    ("et", _("Estonian")),
    ("el", _("Greek")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ga", _("Irish")),
    ("hr", _("Croatian")),
    ("it", _("Italian")),
    ("lv", _("Latvian")),
    ("lt", _("Lithuanian")),
    ("hu", _("Hungarian")),
    ("mt", _("Maltese")),
    ("nl", _("Dutch")),
    ("pl", _("Polish")),
    ("pt", _("Portuguese")),
    ("ro", _("Romanian")),
    ("sk", _("Slovak")),
    ("sl", _("Slovenian")),
    ("fi", _("Finnish")),
    ("sv", _("Swedish")),
]

EU_LANGUAGE_CODES = [code for code, _name in EU_LANGUAGES]

# Django ships no language info for Maltese; without it `get_language_info("mt")` fails.
# The other 23 are there, but a few carry names in old spelling or capitalisation.
EXTRA_LANG_INFO = {
    "mt": {"bidi": False, "code": "mt", "name": "Maltese", "name_local": "Malti"},
    "cs": {"bidi": False, "code": "cs", "name": "Czech", "name_local": "čeština"},
    "hr": {"bidi": False, "code": "hr", "name": "Croatian", "name_local": "hrvatski"},
    "hu": {"bidi": False, "code": "hu", "name": "Hungarian", "name_local": "magyar"},
    "lt": {"bidi": False, "code": "lt", "name": "Lithuanian", "name_local": "lietuvių"},
    "pt": {"bidi": False, "code": "pt", "name": "Portuguese", "name_local": "português"},
    "ro": {"bidi": False, "code": "ro", "name": "Romanian", "name_local": "română"},
    "sk": {"bidi": False, "code": "sk", "name": "Slovak", "name_local": "slovenčina"},
    "sl": {"bidi": False, "code": "sl", "name": "Slovenian", "name_local": "slovenščina"},
}


def register_language_info():
    django_locale.LANG_INFO.update(EXTRA_LANG_INFO)
