"""Download a language's pending strings as PO or XLIFF; upload them back, translated. And
wagtail-localize's PO download of one translation, with the place of each string described."""

import polib
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.models import Locale
from wagtail_localize.models import Translation
from wagtail_localize.views import edit_translation

from home.languages.i18n import language_name_translated
from translations.exchange import (
    ExchangeError,
    describe_translation_po,
    export_file,
    import_translation_po,
    import_units,
    parse_po,
    read_file,
)
from translations.middleware import check_localize, require_target
from translations.permissions import can_translate_into

MAX_UPLOAD = 20 * 1024 * 1024
# Room for the rest of the form around the file: the multipart headers, the CSRF token and
# the language.
FORM_OVERHEAD = 64 * 1024


def _locale(request, code):
    locale = Locale.objects.filter(language_code=code or "").first()
    if locale is None or locale == Locale.get_default():
        raise PermissionDenied
    if not can_translate_into(request.user, locale):
        raise PermissionDenied
    return locale


def export(request):
    locale = _locale(request, request.GET.get("locale"))
    kind = "xliff" if request.GET.get("format") == "xliff" else "po"
    page_ids = None
    if request.GET.get("pages"):
        try:
            page_ids = [int(pk) for pk in request.GET["pages"].split(",") if pk.strip()]
        except ValueError:
            page_ids = []
    data, count = export_file(locale, kind, page_ids)
    extension = "xlf" if kind == "xliff" else "po"
    content_type = "application/xliff+xml" if kind == "xliff" else "text/x-gettext-translation"
    response = HttpResponse(data, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="procura-{locale.language_code}-pending.{extension}"'
    )
    response["X-Units"] = str(count)
    return response


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("PO or XLIFF file"),
        help_text=gettext_lazy("A file downloaded from this page and translated."),
    )


def _too_large():
    return _("The file is larger than 20 MB.")


@csrf_exempt  # only until the size is known: _upload checks the CSRF token
def upload(request):
    """Refuse an upload larger than the cap before its body is read.

    Whatever first reads request.POST (CsrfViewMiddleware, for the token) has Django parse
    the whole body, storing the file in memory or a temporary file; and a WSGI request's
    body is never read past its Content-Length. So the declared length is checked here,
    before the CSRF check, which _upload then makes as the middleware would."""
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_UPLOAD + FORM_OVERHEAD:
            if not request.GET.get("locale"):  # the form's address names it (upload.html)
                return HttpResponseBadRequest(_too_large())
            locale = _locale(request, request.GET["locale"])
            messages.error(request, _too_large())
            return _upload_page(request, UploadForm(), locale, status=400)
    return _upload(request)


@csrf_protect
def _upload(request):
    locale = _locale(request, request.GET.get("locale") or request.POST.get("locale"))
    form = UploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        if upload_file.size > MAX_UPLOAD:
            form.add_error("file", _too_large())
        else:
            try:
                language, units = read_file(upload_file.name, upload_file.read())
                tool = (
                    "XLIFF import"
                    if upload_file.name.lower().endswith((".xlf", ".xliff"))
                    else "PO import"
                )
                report = import_units(language, units, locale, user=request.user, tool_name=tool)
            except ExchangeError as err:
                form.add_error("file", str(err))
            else:
                messages.success(request, import_message(report))
                return redirect(
                    reverse("translations:dashboard") + f"?locale={locale.language_code}"
                )
    return _upload_page(request, form, locale)


def import_message(report):
    """What an import wrote, in the user's language, each count in its plural form."""
    parts = [
        ngettext(
            "Imported %(count)d translated string.",
            "Imported %(count)d translated strings.",
            report.written,
        )
        % {"count": report.written},
        _(
            "New: %(created)d, changed: %(updated)d, unchanged: %(unchanged)d, left empty: "
            "%(untranslated)d."
        )
        % {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "untranslated": report.untranslated,
        },
    ]
    if report.kept:
        parts.append(
            ngettext(
                "Kept %(count)d string that someone else translated after the file was made.",
                "Kept %(count)d strings that someone else translated after the file was made.",
                report.kept,
            )
            % {"count": report.kept}
        )
    drafts = len(report.translations)
    if drafts:
        parts.append(
            ngettext(
                "Saved as %(count)d draft, ready for review.",
                "Saved as %(count)d drafts, ready for review.",
                drafts,
            )
            % {"count": drafts}
        )
    return " ".join(parts)


def _upload_page(request, form, locale, status=None):
    return TemplateResponse(
        request,
        "translations/upload.html",
        {
            "form": form,
            "locale": locale,
            "locale_name": language_name_translated(locale.language_code),
        },
        status=status or (400 if form.errors else 200),
    )


def download_translation_po(request, translation_id):
    """wagtail-localize's "Download PO file" of the translation editor, at its own address
    (procura/urls.py), each string's place described in an extracted comment.

    Upstream's view answers (its permission check, its file name); the file is then read and
    annotated. Its msgctxt, which upstream's upload reads back, is left as it is. Outside
    wagtail-localize's URL namespace, the language check of translations/middleware.py is
    made here."""
    check_localize(request, "wagtail_localize:download_pofile", {"translation_id": translation_id})
    require_target(translation_id)
    response = edit_translation.download_pofile(request, translation_id)
    if response.status_code != 200:
        return response
    translation = Translation.objects.select_related("source", "target_locale").get(
        pk=translation_id
    )
    # polib reads text as a file's contents; this is upstream's own output, not an upload.
    po = polib.pofile(response.content.decode("utf-8"), wrapwidth=200)
    describe_translation_po(po, translation)
    response.content = str(po).encode("utf-8")
    response["Content-Type"] = "text/x-gettext-translation; charset=utf-8"
    return response


# wagtail-localize's own messages (names, not literals: its catalogues translate them).
NOT_A_PO_FILE = "Please upload a valid PO file."
OTHER_TRANSLATION = "Cannot import PO file that was created for a different translation."
IMPORTED = "Successfully imported translations from PO File."


def upload_translation_po(request, translation_id):
    """wagtail-localize's "Upload PO file" of the translation editor, at its own address
    (procura/urls.py), with the checks of "Upload translated file": no file, a file that is
    not this translation's, a text no page may hold or too long for its field are refused
    with a message, where upstream's view answered 500 or wrote them; a string translated
    after the file was made is kept (translations/exchange.py: import_translation_po).
    Outside wagtail-localize's URL namespace, the language check of translations/middleware.py
    is made here, and upstream's permission check on the page or snippet."""
    check_localize(request, "wagtail_localize:upload_pofile", {"translation_id": translation_id})
    require_target(translation_id)
    translation = get_object_or_404(Translation, pk=translation_id)
    if not edit_translation.user_can_edit_instance(request.user, translation.get_target_instance()):
        raise PermissionDenied
    back = get_valid_next_url_from_request(request) or reverse("wagtailadmin_home")
    upload = request.FILES.get("file") if request.method == "POST" else None
    if upload is None or upload.size > MAX_UPLOAD:
        messages.error(request, _too_large() if upload else _(NOT_A_PO_FILE))
        return redirect(back)
    try:
        po = parse_po(upload.read())
        if po.metadata.get("X-WagtailLocalize-TranslationID") != str(translation.uuid):
            raise ExchangeError(_(OTHER_TRANSLATION))
        kept = import_translation_po(translation, po, request.user)
    except ExchangeError as err:
        messages.error(request, str(err))
        return redirect(back)
    said = [_(IMPORTED)]
    if kept:
        said.append(
            ngettext(
                "Kept %(count)d string that someone else translated after the file was made.",
                "Kept %(count)d strings that someone else translated after the file was made.",
                kept,
            )
            % {"count": kept}
        )
    messages.success(request, " ".join(said))
    return redirect(back)
