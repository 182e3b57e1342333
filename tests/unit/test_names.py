"""Slugs and name harmonisation through the reviewed alias table."""

import pytest

from smartcities.dataset import aliases, harmoniser
from smartcities.names import clean_text, slugify

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Pune", "pune"),
        ("Hubballi-Dharwad", "hubballi-dharwad"),
        ("New Delhi (NDMC)", "new-delhi-ndmc"),
        ("  Tamil   Nadu ", "tamil-nadu"),
        ("Dadra and Nagar Haveli and Daman and Diu", "dadra-and-nagar-haveli-and-daman-and-diu"),
    ],
)
def test_slugify(name, slug):
    assert slugify(name) == slug


def test_clean_text_removes_invisible_and_nul():
    assert clean_text("Pu\u200bne\x00 \ufeff") == "Pune"


@pytest.fixture(scope="module")
def harm():
    import pandas as pd

    cities = pd.DataFrame(
        {"city_name": ["Bengaluru", "Prayagraj", "Visakhapatnam", "New Delhi (NDMC)", "Pune"]}
    )
    return harmoniser(cities)


@pytest.mark.parametrize(
    ("kind", "raw", "canonical", "via_alias"),
    [
        ("city", "Bangalore", "Bengaluru", True),
        ("city", "ALLAHABAD", "Prayagraj", True),
        ("city", "bengaluru", "Bengaluru", False),
        ("city", "new-delhi-ndmc", "New Delhi (NDMC)", False),
        ("city", "पुणे", "Pune", True),
        ("state", "Orissa", "Odisha", True),
        ("state", "J&K", "Jammu and Kashmir", True),
        ("state", "Jammu & Kashmir", "Jammu and Kashmir", False),
        ("state", "tamil nadu", "Tamil Nadu", False),
    ],
)
def test_resolve(harm, kind, raw, canonical, via_alias):
    res = harm.resolve(kind, raw)
    assert res.canonical == canonical and res.via_alias == via_alias


def test_unknown_city_gets_near_miss_suggestion(harm):
    res = harm.resolve("city", "Visakapatnam")
    assert res.canonical is None and "Visakhapatnam" in res.suggestions


def test_alias_table_is_well_formed():
    table = aliases()
    assert set(table["kind"]) <= {"city", "state"}
    assert not table.duplicated(["kind", "alias"]).any()
