"""DRUG-02/03/04/11: billing units from HCPCS descriptors, for 40+ drugs in the knowledge base."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rules.drug import normalize_ndc
from rules.kb import KnowledgeBase, billing_units, convert


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


# (HCPCS code, documented dose, unit, expected units): the amounts come from the descriptor
# parsed into rules/kb/hcpcs.csv, so a wrong parse fails here.
UNITS = [
    # fmt: off
    ("J1885", "30", "mg", 2), ("J1885", "60", "mg", 4), ("J1885", "20", "mg", 2),
    ("J0696", "1", "g", 4), ("J0696", "500", "mg", 2), ("J0696", "250", "mg", 1),
    ("J0696", "900", "mg", 4), ("J3420", "1000", "mcg", 1), ("J3420", "1", "mg", 1),
    ("J3420", "500", "mcg", 1), ("J2315", "380", "mg", 380), ("J1631", "100", "mg", 2),
    ("J1631", "75", "mg", 2), ("J1010", "40", "mg", 40), ("J1010", "80", "mg", 80),
    ("J3301", "40", "mg", 4), ("J3301", "60", "mg", 6), ("J1071", "200", "mg", 200),
    ("J3121", "100", "mg", 100), ("J1050", "150", "mg", 150), ("J0561", "2400000", "units", 24),
    ("J0561", "1200000", "units", 12), ("J2550", "25", "mg", 1), ("J2550", "50", "mg", 1), ("J2550", "75", "mg", 2),
    ("J2405", "4", "mg", 4), ("J1100", "10", "mg", 10), ("J1200", "50", "mg", 1),
    ("J1200", "25", "mg", 1), ("J0171", "0.3", "mg", 3), ("J0171", "0.5", "mg", 5),
    ("J2310", "0.4", "mg", 1), ("J2310", "2", "mg", 2), ("J1610", "1", "mg", 1),
    ("J1815", "10", "units", 2), ("J1815", "12", "units", 3), ("J3030", "6", "mg", 1),
    ("J2426", "234", "mg", 234), ("J2426", "156", "mg", 156), ("J2794", "25", "mg", 50),
    ("J0897", "60", "mg", 60), ("J0897", "120", "mg", 120), ("J1650", "40", "mg", 4),
    ("J2270", "10", "mg", 1), ("J2270", "15", "mg", 2), ("J3425", "1000", "mcg", 100),
    ("J2920", "40", "mg", 1), ("J2930", "125", "mg", 1), ("J0780", "10", "mg", 1),
    ("J0135", "40", "mg", 2), ("J0515", "2", "mg", 2), ("J0690", "1", "g", 2),
    ("J0702", "12", "mg", 2), ("J1094", "8", "mg", 8), ("J1100", "10", "mg", 10),
    ("J1630", "5", "mg", 1), ("J1630", "10", "mg", 2), ("J1644", "5000", "units", 5),
    ("J1940", "40", "mg", 2), ("J1950", "3.75", "mg", 1), ("J2060", "2", "mg", 1),
    ("J2175", "50", "mg", 1), ("J2250", "2", "mg", 2), ("J2469", "0.25", "mg", 10),
    ("J2675", "50", "mg", 1), ("J2680", "25", "mg", 1), ("J2680", "37.5", "mg", 2),
    ("J3010", "0.05", "mg", 1), ("J3415", "100", "mg", 1), ("J9217", "22.5", "mg", 3),
    ("J9395", "500", "mg", 20), ("J0592", "0.3", "mg", 3),
    # fmt: on
]


@pytest.mark.parametrize(("code", "dose", "unit", "expected"), UNITS,
                         ids=[f"{c}-{d}{u}" for c, d, u, _ in UNITS])
def test_billing_units_from_descriptor(kb, code, dose, unit, expected):
    assert billing_units(Decimal(dose), unit, kb.hcpcs[code]) == expected


def test_at_least_forty_drugs_are_covered():
    assert len({c for c, *_ in UNITS}) >= 35 and len(UNITS) >= 40


def test_volume_without_concentration_has_no_units(kb):
    assert billing_units(Decimal(2), "mL", kb.hcpcs["J1885"]) is None


@pytest.mark.parametrize(
    ("amount", "unit", "to", "expected"),
    [("1", "g", "mg", "1000"), ("1000", "mcg", "mg", "1"), ("0.5", "mg", "mcg", "500"),
     ("5", "units", "mg", None)],
)
def test_mass_conversion(amount, unit, to, expected):
    got = convert(Decimal(amount), unit, to)
    assert (got if got is None else got.normalize()) == (
        None if expected is None else Decimal(expected).normalize())


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("0409-7332-01", "00409-7332-01", id="4-4-2-pads-labeler"),
        pytest.param("00009-086-01", "00009-0086-01", id="5-3-2-pads-product"),
        pytest.param("12496-0300-1", "12496-0300-01", id="5-4-1-pads-package"),
        pytest.param("00409733201", "00409-7332-01", id="11-digit"),
        pytest.param("0409733201", None, id="bare-10-digit-ambiguous"),
        pytest.param("12-34-56", None, id="malformed"),
    ],
)
def test_ndc_normalisation(raw, expected):
    assert normalize_ndc(raw) == expected
