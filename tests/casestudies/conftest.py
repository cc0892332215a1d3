import pytest

from tests.factories import (
    ApproachFactory,
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    TopicFactory,
)


@pytest.fixture
def index(home):
    return CaseStudyIndexPageFactory(parent=home)


@pytest.fixture
def topics(db):
    return {
        "food": TopicFactory(name="Food and catering", slug="food"),
        "energy": TopicFactory(name="Energy", slug="energy"),
    }


@pytest.fixture
def approaches(db):
    return {"lcc": ApproachFactory(name="Life-cycle costing", slug="life-cycle-costing")}


@pytest.fixture
def series(index, topics, approaches):
    """Five case studies with known values, for filter and total arithmetic."""
    make = CaseStudyPageFactory
    return [
        make(
            parent=index,
            title="Ghent meals",
            country="BE",
            year=2021,
            topics=[topics["food"]],
            tags=["school meals"],
            co2e_tonnes_per_year=100,
            cost_saving_eur=1000,
            approaches=[approaches["lcc"]],
        ),
        make(
            parent=index,
            title="Leuven meals",
            country="BE",
            year=2019,
            topics=[topics["food"]],
            tags=["school meals", "organic"],
            co2e_tonnes_per_year=50,
            cost_saving_eur=None,
        ),
        make(
            parent=index,
            title="Oslo lights",
            country="NO",
            year=2021,
            topics=[topics["energy"]],
            tags=["led"],
            co2e_tonnes_per_year=None,
            energy_mwh_per_year=3000,
            cost_saving_eur=20000,
            approaches=[approaches["lcc"]],
        ),
        make(
            parent=index,
            title="Lyon heat",
            country="FR",
            year=2023,
            topics=[topics["energy"], topics["food"]],
            tags=["heat pumps"],
            co2e_tonnes_per_year=25,
            cost_saving_eur=500,
        ),
        make(
            parent=index,
            title="Turin buses",
            country="IT",
            year=2018,
            topics=[],
            tags=[],
            co2e_tonnes_per_year=None,
            cost_saving_eur=None,
        ),
    ]
