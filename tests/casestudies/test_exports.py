"""Open data exports: the filtered list as CSV and JSON."""

import csv
import io
import json

import pytest

pytestmark = pytest.mark.django_db


def test_csv_has_the_filtered_rows(client, index, series):
    response = client.get(index.url, {"topic": "food", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="procura-case-studies-en.csv"' in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["title"] for r in rows] == ["Lyon heat", "Ghent meals", "Leuven meals"]
    ghent = rows[1]
    assert ghent["country"] == "BE"
    assert ghent["country_name"] == "Belgium"
    assert ghent["year"] == "2021"
    assert ghent["topics"] == "food"
    assert ghent["tags"] == "school-meals"  # the key, as topics and approaches
    assert ghent["tag_names"] == "school meals"
    assert ghent["co2e_tonnes_per_year"] == "100.0"
    assert ghent["url"].endswith("/en/case-studies/ghent-meals/")


def test_json_has_results_and_totals(client, index, series):
    response = client.get(index.url, {"country": "BE", "format": "json"})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content)
    assert data["count"] == 2
    assert data["filters"] == {"country": ["BE"]}
    assert data["totals"] == {
        "co2e_tonnes_per_year": 150.0,
        "energy_mwh_per_year": None,
        "cost_saving_eur": 1000.0,
    }
    assert [r["title"] for r in data["results"]] == ["Ghent meals", "Leuven meals"]
    assert data["results"][1]["cost_saving_eur"] is None
    assert data["results"][0]["topics"] == ["food"]


def test_exports_are_in_the_visitors_language(client, index, series):
    from home.languages.trees import synchronize_locale_trees

    synchronize_locale_trees()
    response = client.get("/de/case-studies/?format=json&country=BE")
    data = json.loads(response.content)
    assert data["language"] == "de"
    assert data["results"][0]["country_name"] == "Belgien"
