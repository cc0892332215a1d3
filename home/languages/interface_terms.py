"""Words the interface shows that come from libraries, marked here so that this project's own
catalogues (locale/) carry them in every EU language.

django-countries and Django translate most of these, but not into every EU language (no
Maltese country names, no Maltese month names, no Irish or Portuguese country names in
django-countries). Gettext looks in LOCALE_PATHS first, so these translations win; the msgids
are the libraries' own, so nothing else changes.
"""

from django.utils.translation import gettext_noop, pgettext_lazy

# Countries of the network's members and neighbours (as django-countries names them).
COUNTRY_NAMES = {
    "AT": gettext_noop("Austria"),
    "BE": gettext_noop("Belgium"),
    "BG": gettext_noop("Bulgaria"),
    "HR": gettext_noop("Croatia"),
    "CY": gettext_noop("Cyprus"),
    "CZ": gettext_noop("Czechia"),
    "DK": gettext_noop("Denmark"),
    "EE": gettext_noop("Estonia"),
    "FI": gettext_noop("Finland"),
    "FR": gettext_noop("France"),
    "DE": gettext_noop("Germany"),
    "GR": gettext_noop("Greece"),
    "HU": gettext_noop("Hungary"),
    "IE": gettext_noop("Ireland"),
    "IT": gettext_noop("Italy"),
    "LV": gettext_noop("Latvia"),
    "LT": gettext_noop("Lithuania"),
    "LU": gettext_noop("Luxembourg"),
    "MT": gettext_noop("Malta"),
    "NL": gettext_noop("Netherlands"),
    "PL": gettext_noop("Poland"),
    "PT": gettext_noop("Portugal"),
    "RO": gettext_noop("Romania"),
    "SK": gettext_noop("Slovakia"),
    "SI": gettext_noop("Slovenia"),
    "ES": gettext_noop("Spain"),
    "SE": gettext_noop("Sweden"),
    "IS": gettext_noop("Iceland"),
    "LI": gettext_noop("Liechtenstein"),
    "NO": gettext_noop("Norway"),
    "CH": gettext_noop("Switzerland"),
    "GB": gettext_noop("United Kingdom"),
    "UA": gettext_noop("Ukraine"),
    "MD": gettext_noop("Moldova"),
    "GE": gettext_noop("Georgia"),
    "AM": gettext_noop("Armenia"),
    "AZ": gettext_noop("Azerbaijan"),
    "AL": gettext_noop("Albania"),
    "BA": gettext_noop("Bosnia and Herzegovina"),
    "ME": gettext_noop("Montenegro"),
    "MK": gettext_noop("North Macedonia"),
    "RS": gettext_noop("Serbia"),
    "TR": gettext_noop("Türkiye"),
    "KZ": gettext_noop("Kazakhstan"),
    "KG": gettext_noop("Kyrgyzstan"),
    "TJ": gettext_noop("Tajikistan"),
    "TM": gettext_noop("Turkmenistan"),
    "UZ": gettext_noop("Uzbekistan"),
}

# Month and weekday names as Django's date formatting asks for them.
MONTHS = [
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
]
MONTHS_GENITIVE = [
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
]
WEEKDAYS = [
    gettext_noop("Monday"),
    gettext_noop("Tuesday"),
    gettext_noop("Wednesday"),
    gettext_noop("Thursday"),
    gettext_noop("Friday"),
    gettext_noop("Saturday"),
    gettext_noop("Sunday"),
]
