"""Case studies: structured records of a public authority's procurement, with hard results."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Orderable
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from home.blocks import BodyBlock
from home.cache import tag
from home.languages.i18n import with_content_language, with_revision_owner
from home.models import BasePage
from home.models.images import (
    HERO_IMAGE_API_FIELDS,
    HERO_IMAGE_TRANSLATABLE_FIELDS,
    HeroImageMixin,
    with_card_images,
)
from home.models.pages import PAGE_TRANSLATABLE_FIELDS
from home.models.snippets import ModeratedSnippet
from home.taxonomy import localized_names

from .exports import export_response
from .filters import FILTER_BY_NAME, FILTERS
from .listing import listing_context


class AuthorityType(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality or city")
    REGION = "region", _("Region or province")
    NATIONAL = "national", _("National government or ministry")
    AGENCY = "agency", _("Public agency or central purchasing body")
    PUBLIC_COMPANY = "public_company", _("Public company or utility")
    OTHER = "other", _("Other public body")


class PopulationBand(models.TextChoices):
    UNDER_50K = "under_50k", _("Under 50,000 inhabitants")
    FROM_50K = "50k_250k", _("50,000 to 250,000 inhabitants")
    FROM_250K = "250k_1m", _("250,000 to 1 million inhabitants")
    OVER_1M = "over_1m", _("Over 1 million inhabitants")

    @classmethod
    def for_population(cls, population):
        if population < 50_000:
            return cls.UNDER_50K
        if population < 250_000:
            return cls.FROM_50K
        if population < 1_000_000:
            return cls.FROM_250K
        return cls.OVER_1M


class Approach(ModeratedSnippet, index.Indexed):
    """A procurement approach: life-cycle costing, pre-commercial procurement, …"""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("slug"), max_length=80, help_text=_("The same in every language; used in filters.")
    )
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.FilterField("locale_id")]
    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("description"),
        SynchronizedField("slug"),
    ]

    class Meta(ModeratedSnippet.Meta):
        verbose_name = _("procurement approach")
        verbose_name_plural = _("procurement approaches")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug", "locale"], name="unique_approach_slug_per_locale"
            )
        ]

    def __str__(self):
        return self.name


class CaseStudyPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "casestudies.CaseStudyPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class CaseStudyIndexPage(BasePage):
    """The case study series: filterable, with network-wide totals and open-data exports."""

    intro = models.TextField(_("introduction"), blank=True)

    parent_page_types = ["home.HomePage"]
    subpage_types = ["casestudies.CaseStudyPage"]
    max_count_per_parent = 1

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]
    translatable_fields = [*PAGE_TRANSLATABLE_FIELDS, TranslatableField("intro")]

    class Meta:
        verbose_name = _("case study index")
        verbose_name_plural = _("case study indexes")

    @property
    def listed_types(self):
        return (CaseStudyPage,)

    def case_studies(self):
        """The live case studies of this language's series."""
        return CaseStudyPage.objects.visible().child_of(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(listing_context(self, request))
        return context

    def serve(self, request, *args, **kwargs):
        export = request.GET.get("format")
        if export in ("csv", "json"):
            return export_response(self, request, export)
        return super().serve(request, *args, **kwargs)


class CaseStudyPage(HeroImageMixin, BasePage):
    """One authority's procurement: who, where, what was bought how, and what it achieved."""

    organisation = models.CharField(
        _("public authority"), max_length=200, help_text=_("e.g. City of Ghent")
    )
    country = CountryField(_("country"))
    authority_type = models.CharField(
        _("type of authority"), max_length=20, choices=AuthorityType.choices
    )
    population_band = models.CharField(
        _("population served"), max_length=20, choices=PopulationBand.choices, blank=True
    )
    # Required to publish; nullable so that a new case study's first draft (Wagtail saves it
    # as a row, and autosaves it from the first keystroke) can be saved before it is given.
    year = models.PositiveSmallIntegerField(
        _("year of the tender"),
        null=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
    )
    topics = ParentalManyToManyField("home.Topic", blank=True, verbose_name=_("topics"))
    approaches = ParentalManyToManyField(
        "casestudies.Approach", blank=True, verbose_name=_("procurement approaches")
    )
    tags = ClusterTaggableManager(through=CaseStudyPageTag, blank=True, verbose_name=_("tags"))

    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    co2e_tonnes_per_year = models.DecimalField(
        _("CO2e saved (tonnes per year)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    co2e_note = models.CharField(_("note on CO2e"), max_length=300, blank=True)
    energy_mwh_per_year = models.DecimalField(
        _("energy saved (MWh per year)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    energy_note = models.CharField(_("note on energy"), max_length=300, blank=True)
    cost_saving_eur = models.DecimalField(
        _("cost saving (EUR)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    cost_saving_note = models.CharField(_("note on cost saving"), max_length=300, blank=True)

    contact_name = models.CharField(_("contact name"), max_length=120, blank=True)
    contact_role = models.CharField(_("contact role"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    pdf = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("PDF version"),
    )

    listed_on_home = True
    home_heading = _("Latest case studies")
    home_position = 0
    search_prefetch = ("topics", "approaches", "tagged_items__tag")
    parent_page_types = ["casestudies.CaseStudyIndexPage"]
    subpage_types = []

    content_panels = [
        *BasePage.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("organisation"),
                FieldRowPanel([FieldPanel("country"), FieldPanel("year")]),
                FieldRowPanel([FieldPanel("authority_type"), FieldPanel("population_band")]),
            ],
            heading=_("The authority"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("approaches", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tags"),
            ],
            heading=_("Classification"),
        ),
        HeroImageMixin.hero_image_panel(),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("co2e_tonnes_per_year"), FieldPanel("co2e_note")]),
                FieldRowPanel([FieldPanel("energy_mwh_per_year"), FieldPanel("energy_note")]),
                FieldRowPanel([FieldPanel("cost_saving_eur"), FieldPanel("cost_saving_note")]),
            ],
            heading=_("Results"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("contact_name"), FieldPanel("contact_role")]),
                FieldPanel("contact_email"),
                FieldPanel("pdf"),
            ],
            heading=_("Contact and download"),
        ),
        InlinePanel("related_case_studies", label=_("Related case studies")),
    ]
    search_fields = [
        *BasePage.search_fields,
        index.SearchField("organisation"),
        index.SearchField("body"),
        index.FilterField("year"),
        index.FilterField("country"),
    ]
    translatable_fields = [
        *PAGE_TRANSLATABLE_FIELDS,
        TranslatableField("organisation"),
        TranslatableField("body"),
        TranslatableField("co2e_note"),
        TranslatableField("energy_note"),
        TranslatableField("cost_saving_note"),
        TranslatableField("contact_role"),
        SynchronizedField("country"),
        SynchronizedField("authority_type"),
        SynchronizedField("population_band"),
        SynchronizedField("year"),
        SynchronizedField("topics"),
        SynchronizedField("approaches"),
        SynchronizedField("tagged_items"),
        SynchronizedField("co2e_tonnes_per_year"),
        SynchronizedField("energy_mwh_per_year"),
        SynchronizedField("cost_saving_eur"),
        SynchronizedField("contact_name"),
        SynchronizedField("contact_email"),
        SynchronizedField("pdf"),
        SynchronizedField("related_case_studies"),
        *HERO_IMAGE_TRANSLATABLE_FIELDS,
    ]
    api_fields = [
        APIField("summary"),
        APIField("organisation"),
        APIField("country"),
        APIField("authority_type"),
        APIField("population_band"),
        APIField("year"),
        APIField("topic_slugs"),
        APIField("approach_slugs"),
        APIField("tag_slugs"),
        APIField("co2e_tonnes_per_year"),
        APIField("energy_mwh_per_year"),
        APIField("cost_saving_eur"),
        APIField("body"),
        *HERO_IMAGE_API_FIELDS,
    ]

    class Meta:
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")

    @classmethod
    def home_featured(cls, pages):
        """Featured where editors chose nothing: those with the highest results (CO2e, then
        energy, then money saved), the newest first among equals."""
        return pages.order_by(
            F("co2e_tonnes_per_year").desc(nulls_last=True),
            F("energy_mwh_per_year").desc(nulls_last=True),
            F("cost_saving_eur").desc(nulls_last=True),
            F("first_published_at").desc(nulls_last=True),
            "-pk",
        )

    # The API's lists of a case study's terms: the filters' own values (casestudies/filters.py).
    @property
    def topic_slugs(self):
        return FILTER_BY_NAME["topic"].values(self)

    @property
    def approach_slugs(self):
        return FILTER_BY_NAME["approach"].values(self)

    @property
    def tag_slugs(self):
        return FILTER_BY_NAME["tag"].values(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["topic_names"] = localized_names("home.Topic", self.topics.all())
        context["approach_names"] = localized_names("casestudies.Approach", self.approaches.all())
        context["related"] = with_card_images(self.related_pages())
        tag(request, *(f"page:{page.translation_key}" for page in context["related"]))
        return context

    def related_pages(self):
        """Related case studies in this page's language (their fallback page where untranslated)."""
        targets = [r.case_study for r in self.related_case_studies.select_related("case_study")]
        keys = [t.translation_key for t in targets if t is not None]
        if not keys:
            return []
        found = {
            p.translation_key: p
            for p in with_revision_owner(CaseStudyPage.objects.visible()).filter(
                translation_key__in=keys, locale_id=self.locale_id
            )
        }
        return with_content_language(found[k] for k in keys if k in found)

    def indexed_content(self):
        content = super().indexed_content()
        content.body = "\n".join(filter(None, [self.organisation, content.body]))
        content.date = self.first_published_at.date() if self.first_published_at else content.date
        content.filters = {f.name: f.values(self) for f in FILTERS}
        return content


class RelatedCaseStudy(Orderable):
    page = ParentalKey(CaseStudyPage, related_name="related_case_studies", on_delete=models.CASCADE)
    # Required to publish; nullable so that a draft (autosaved while the editor has added a
    # row and not yet chosen its case study) can be saved.
    case_study = models.ForeignKey(
        CaseStudyPage,
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("case study"),
    )

    panels = [FieldPanel("case_study")]

    class Meta(Orderable.Meta):
        verbose_name = _("related case study")
        verbose_name_plural = _("related case studies")
