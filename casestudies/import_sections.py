"""Import sections for case studies: approaches, the series' index page and the case studies."""

from django_countries import countries

from importer.importing import (
    TAG_LENGTH,
    Field,
    ImportFileError,
    PageSection,
    choice,
    find_page,
    html,
    number,
    publish,
    string_list,
    text,
    update_translations,
)
from importer.models import ImportRecord
from importer.sections import (
    HERO_IMAGE_FIELDS,
    HeroImageFields,
    TopicSection,
    check_reference,
    home_page,
    set_snippet_links,
    set_tags,
)

from .models import (
    Approach,
    AuthorityType,
    CaseStudyIndexPage,
    CaseStudyPage,
    PopulationBand,
    RelatedCaseStudy,
)


def country_code(required=False):
    def parse(value):
        if value in (None, ""):
            if required:
                raise ValueError("is required")
            return ""
        if not isinstance(value, str) or value.upper() not in dict(countries):
            raise ValueError(f'"{value}" is not an ISO 3166 country code (e.g. "BE")')
        return value.upper()

    parse.required = required
    return parse


class ApproachSection(TopicSection):
    name = "approaches"
    order = 11
    model = Approach


class CaseStudyIndexSection(PageSection):
    name = "case_study_index"
    order = 30
    model = CaseStudyIndexPage
    creates_pages = True
    fields = [
        Field("title", text(max_length=255, required=True), "title", translatable=True),
        Field("slug", text(max_length=255), "slug"),
        Field("summary", text(max_length=600), "summary", translatable=True),
        Field("intro", text(), "intro", translatable=True),
    ]

    def get_parent(self, record, ctx, locale):
        return home_page(locale).specific


def index_for(model, record_key, ctx, locale, default_title, default_slug, kind):
    """The index page records go under: the one named, else the language's only one,
    else a new one with default title (created in the default language)."""
    if record_key:
        found = ImportRecord.objects.filter(kind=kind, key=record_key).first()
        if found:
            page = model.objects.filter(translation_key=found.translation_key, locale=locale)
            if page.exists():
                return page.first()
        raise ImportFileError(f'no {kind} record "{record_key}"')
    page = model.objects.filter(locale=locale).first()
    if page is not None and page.alias_of_id is None:
        return page
    home = home_page(locale).specific
    page = model(title=default_title, slug=default_slug, locale=locale)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


class CaseStudySection(HeroImageFields, PageSection):
    name = "case_studies"
    order = 40
    model = CaseStudyPage
    creates_pages = True
    fields = [
        Field("title", text(max_length=255, required=True), "title", translatable=True),
        Field("slug", text(max_length=255), "slug"),
        Field("index", text(), None),
        Field("summary", text(max_length=600, required=True), "summary", translatable=True),
        Field("body_html", html(), None, translatable=True),
        Field(
            "organisation", text(max_length=200, required=True), "organisation", translatable=True
        ),
        Field("country", country_code(required=True), "country"),
        # Optional since the format began without it: "other" where a record has none.
        Field(
            "authority_type",
            choice(AuthorityType.choices, default=AuthorityType.OTHER),
            "authority_type",
        ),
        Field("population", number(minimum=0, integer=True), None),
        Field("population_band", choice(PopulationBand.choices), "population_band"),
        Field("year", number(minimum=1990, maximum=2100, integer=True, required=True), "year"),
        Field("topics", string_list(), None),
        Field("approaches", string_list(), None),
        Field("tags", string_list(max_length=TAG_LENGTH), None),
        Field("co2e_tonnes", number(minimum=0), "co2e_tonnes_per_year"),
        Field("co2e_note", text(max_length=300), "co2e_note", translatable=True),
        Field("energy_mwh", number(minimum=0), "energy_mwh_per_year"),
        Field("energy_note", text(max_length=300), "energy_note", translatable=True),
        Field("cost_saving_eur", number(), "cost_saving_eur"),
        Field("cost_saving_note", text(max_length=300), "cost_saving_note", translatable=True),
        Field("contact_name", text(max_length=120), "contact_name"),
        Field("contact_role", text(max_length=200), "contact_role", translatable=True),
        Field("contact_email", text(max_length=254), "contact_email"),
        *HERO_IMAGE_FIELDS,
        Field("related", string_list(), None),
    ]

    def validate_record(self, record, where, ctx):
        super().validate_record(record, where, ctx)
        for name, kind in (("topics", "topics"), ("approaches", "approaches")):
            for key in record.get(name) or []:
                check_reference(f"{kind}:{key}", ctx, where, name)
        for key in record.get("related") or []:
            if key == record["key"]:
                raise ImportFileError("a case study cannot be related to itself", where, "related")
            check_reference(f"case_studies:{key}", ctx, where, "related")

    def get_parent(self, record, ctx, locale):
        return index_for(
            CaseStudyIndexPage,
            record.get("index"),
            ctx,
            locale,
            "Case studies",
            "case-studies",
            "case_study_index",
        )

    def model_values(self, record, parsed, ctx, seed):
        values = super().model_values(record, parsed, ctx, seed)
        if parsed.get("population") is not None and not parsed.get("population_band"):
            values["population_band"] = PopulationBand.for_population(parsed["population"])
        for attr in ("co2e_tonnes_per_year", "energy_mwh_per_year", "cost_saving_eur"):
            if attr in values and values[attr] is not None:
                values[attr] = _decimal(values[attr])
        return values

    def after_save(self, page, record, parsed, ctx):
        changed = set_snippet_links(page.topics, TopicSection, parsed["topics"])
        changed = (
            set_snippet_links(page.approaches, ApproachSection, parsed["approaches"]) or changed
        )
        changed = set_tags(page, parsed["tags"]) or changed
        ctx.pending_relations = getattr(ctx, "pending_relations", [])
        ctx.pending_relations.append(
            (page.translation_key, page.locale_id, parsed["related"] or [])
        )
        return changed

    def apply(self, records, ctx):
        untyped = [r["key"] for r in records if not r.get("authority_type")]
        if untyped:
            ctx.notes.append(
                f'{self.name}: {len(untyped)} record(s) without "authority_type" set to '
                f'"{AuthorityType.OTHER}": {", ".join(untyped[:10])}'
                + (" …" if len(untyped) > 10 else "")
            )
        super().apply(records, ctx)
        self.link_related(ctx)

    def link_related(self, ctx):
        """Related case studies may be later in the file, so they are linked last (where the
        import may write the page: not where it is in conflict)."""
        for translation_key, locale_id, keys in getattr(ctx, "pending_relations", []):
            page = CaseStudyPage.objects.get(translation_key=translation_key, locale_id=locale_id)
            record = ImportRecord.objects.get(kind=self.name, translation_key=translation_key)
            targets = []
            for key in keys:
                target = find_page(self.name, key, page.locale)
                if target is None:
                    # Deleted in the CMS since it was imported, or a case study of another
                    # language (whose fallback pages are not made yet).
                    raise ImportFileError(
                        f'case study "{key}" has no page in {page.locale.language_code}',
                        f'{self.name} (key "{record.key}")',
                        "related",
                    )
                targets.append(target)
            current = [r.case_study_id for r in page.related_case_studies.all()]
            if current == [t.pk for t in targets]:
                continue
            if not ctx.may_write(page, self.name, record.key, page.locale):
                continue
            page.related_case_studies = [
                RelatedCaseStudy(case_study_id=t.pk, sort_order=i) for i, t in enumerate(targets)
            ]
            publish(page, ctx, self.name, record.key, page.locale)
            # Its translations were made before: they link the case studies too.
            update_translations(page, ctx, self.name, record.key)
        ctx.pending_relations = []


def _decimal(value):
    from decimal import Decimal

    return Decimal(str(value)).quantize(Decimal("0.01"))
