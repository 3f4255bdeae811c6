"""Extractor layer: ``shotcoder_dose_parser``, amounts, volumes and concentrations.

Finds plain doses ("30 mg", "1,000mcg", "1 gram", "two mg"), concentrations ("30 mg/mL",
"60mg/2mL", "1:1000"), volumes ("2 mL", "0.5cc"), per-kg doses with a documented weight, and
ranges (a range is not a dose: it is recorded so the dose stays unknown instead of guessed).
Values are ``Decimal``; units use the contract vocabulary.
"""

import re
from decimal import Decimal

from spacy.language import Language
from spacy.tokens import Doc

from extractor.components.route_site import unchecked_option
from extractor.extensions import mentions, register_extensions
from extractor.mentions import Mention
from extractor.regexes import (
    ARROW,
    CONCENTRATION,
    DOSE,
    PER_BSA,
    PER_KG,
    RANGE,
    RATIO,
    SCALED_UNITS,
    VOLUME,
    WEIGHT,
    canonical_unit,
    parse_amount,
    percent_concentrations,
)

_LB_TO_KG = Decimal("0.45359237")

_ROUNDED_AFTER = re.compile(
    rf"\s*(?:{ARROW}|[,;(])?\s*(?:rounded|round(?:ing)?)(?:\s+(?:down|up))?\s+to\s*~?\d",
    re.IGNORECASE,
)
# "0.6 mg/kg = 11.1 mg -> 11 mg", "x 27.4 kg = 13.7 mg -> give 12.5 mg": a computed amount the
# arrow replaces with the amount drawn up (an edit, "Dose 8 mg -> 4 mg", has no "=" before it)
_COMPUTED_BEFORE = re.compile(r"=\s*$")
_REPLACED_AFTER = re.compile(rf"\s*(?:{ARROW})\s*(?:[A-Za-z]+\s+){{0,2}}?~?\d")
# "50 mg/kg IM x1. Max dose 1 g", "not to exceed 40 mg": a dosing ceiling
_LIMIT_BEFORE = re.compile(
    r"\b(?:max(?:imum)?\.?(?:\s+(?:single|daily|total))?\s+dose\s*(?:of|is|=|:)?|"
    r"not\s+to\s+exceed|(?:do\s+not|don't)\s+exceed|NTE|max(?:imum)?\.?\s*(?:of|=|:))\s*$",
    re.IGNORECASE,
)
_MEASURE_BEFORE = re.compile(
    # "split for volume: Bicillin L-A 1.2 million units" is the dose, not a measured volume
    r"\b(?:weigh\w*|size|(?<!for\s)(?<!of\s)volume|measur\w*|gland|prostate|specimen|blood\s+loss|ebl|output|"
    r"intake|mass|tumor|stone|level|levels|lab|labs|creatinine|glucose|hemoglobin|hgb|a1c|"
    r"albumin|ldl|hdl|cholesterol)\b[^.;\n]{0,15}$",
    re.IGNORECASE,
)
_CARB_RATIO = re.compile(
    r"\s*(?:/|per|:|for\s+(?:every\s+)?)\s*\d+\s*(?:g|grams?)\b|\s*(?:of\s+)?(?:carbs?|"
    r"carbohydrates?|cho|glucose\s+(?:gel|tabs?|tablets?)|juice)\b", re.IGNORECASE)
_CARB_RATIO_BEFORE = re.compile(r"\bunits?\s*(?:/|per|:)\s*$", re.IGNORECASE)
# "ceftriaxone 1 g vial ... 735 mg (2.1 mL) IM": the amount a vial holds, not what was given
# (or mixed before it is drawn: "Novarel 5,000 USP units reconstituted with 2.5 mL")
# ("The 125 mg Act-O-Vial was mixed, 80 mg (1.28 mL) drawn up": Solu-Medrol's two-chamber vial)
_PACKAGE_AFTER = re.compile(r"\s*(?:(?:single[-\s]?dose\s+)?(?:vials?|act-?o-?vials?|SDV|MDV)\b"
                            r"|(?:powder\s+)?(?:was\s+)?reconstituted\b)", re.I)
# "Fasenra 30mg/mL autoinj", "Prolia 60 mg/mL PFS": a single-dose device labelled per mL holds
# one mL
_DEVICE_AFTER = re.compile(
    r"\s*\(?\s*(?:auto-?inj\w*|pre-?filled\s+(?:syringe|pen)s?|PFS|(?:single[-\s]dose\s+)?pen)\b",
    re.IGNORECASE,
)
# "drawn into one 3 mL syringe": the syringe's size, not the volume drawn into it
_SYRINGE_SIZE_BEFORE = re.compile(r"\b(?:into|in|using|with|w/)\s+(?:(?:a|an|one|the|1)\s+)?$",
                                  re.I)
# "multi-dose vial (10 mL)", "vial, 10 mL": the size a vial comes in, not a volume drawn from it
# ("half the vial (0.5 mL)" is what was drawn)
_VIAL_SIZE_BEFORE = re.compile(
    r"(?:\b(?:multi|single)[-\s]?dose\s+vial|/\s*mL\s+vial|\bMDV|\bSDV)\s*[(,]\s*$", re.I)
_SYRINGE_AFTER = re.compile(r"\s*(?:luer[-\s]?lock\s+)?syringes?\b", re.I)
_MULTI_DOSE_AFTER = re.compile(r"\s*(?:MDV|multi[-\s]?dose|multiple[-\s]dose)\b", re.I)
# "old vial discarded with ~24 mL remaining", "wasted 0.5 mL": what was left over, not the dose
# (a prefilled syringe's excess pushed out before the shot: "100 mg/1 mL syringe, 0.2 mL
# expelled, 80 mg (0.8 mL) SC")
_LEFT_OVER_AFTER = re.compile(
    r"\s*(?:remaining|left\s+(?:over|in\s+the\s+vial)|wasted|discarded|expelled|purged)\b", re.I)
_LEFT_OVER_BEFORE = re.compile(
    r"\b(?:remaining|wasted|discarded|waste|leftover|expelled|purged|expel)\s*:?\s*~?\s*$", re.I)
_GAUGE_BEFORE = re.compile(r"(?:needle|gauge|\")[\s:,\w.\"]{0,12}$|\b(?:via|using|thru|through|"
                           r"w/|with)\s+(?:an?\s+)?$", re.IGNORECASE)
_GAUGE_AFTER = re.compile(
    r"[,\s]*(?:x\s*)?(?:\d[\d./]*\s*(?:-\s*)?(?:inch|in\b|\"|cm)|needle|gauge|"
    r"butterfly|safety)",
    re.IGNORECASE,
)
_PER_KG_AFTER = re.compile(r"\s*/\s*kg\b", re.I)
# "Kenalog-40 1-2 cc", "0.5 to 1 mL": the low end of a volume range, so the volume given is not
# determinable from it (a dose "#2 - 1 mL" counts down, and is no range)
_VOLUME_RANGE_LOW = re.compile(r"(?<![\w#.,/])(?P<low>\d+(?:\.\d+)?|\.\d+)[ \t]*(?:-|–|to)[ \t]*$",
                               re.I)
# "reconstituted w/ 1.9 mL SWFI", "diluted with 2 mL of sterile water": the water or saline a
# powder is mixed in, not the volume given (a lidocaine diluent is its own mention)
_DILUENT_VOLUME_BEFORE = re.compile(
    r"\b(?:reconstitut\w*|recon(?:'?d)?|dilut\w*|mixed)\s+(?:with|w/|in|using)\s*$", re.I)
# "Novarel 5,000 USP units/vial, recon w/ 5 mL" then "1,000 units = 1 mL": the volume a powder
# is mixed in, with no diluent named, is the vial's contents (not a "1% lidocaine" after it)
_DRUG_DILUENT_AFTER = re.compile(r"\s*(?:of\s+)?\d+(?:\.\d+)?\s*%", re.I)
_DILUENT_AFTER = re.compile(
    r"\s*(?:of\s+)?(?:the\s+)?(?:supplied\s+|provided\s+)?(?:SWFI|sterile\s+water|SW\b|"
    r"diluent|NS\b|normal\s+saline|bacteriostatic\s+(?:water|saline)|sodium\s+chloride|"
    r"0\.9\s*%)", re.I)


def _whole(value: Decimal) -> Decimal:
    """1.2 million units as 1200000, not 1200000.0."""
    return value.to_integral_value() if value == value.to_integral_value() else value


@Language.factory(
    "shotcoder_dose_parser",
    assigns=["doc._.shotcoder_mentions"],
    # "Bicillin C-R 2,400,000 units" is a real dose; penicillin G reaches 24 million units
    default_config={"max_amount": 30_000_000},
)
def make_dose_parser(nlp: Language, name: str, max_amount: int) -> "DoseParser":
    """Build the dose parser (spaCy factory)."""
    return DoseParser(name=name, max_amount=max_amount)


class DoseParser:
    """Tag DOSE, CONCENTRATION, VOLUME, PER_KG, WEIGHT and RANGE mentions."""

    version = 1

    def __init__(self, *, name: str, max_amount: int) -> None:
        """Create the component.

        Args:
            name: Component instance name.
            max_amount: Amounts above this are ignored as implausible.
        """
        register_extensions()
        self.name = name
        self.max_amount = Decimal(max_amount)

    def __call__(self, doc: Doc) -> Doc:
        """Add the mentions to ``doc._.shotcoder_mentions``."""
        text = doc.text
        store = mentions(doc)
        src = f"{self.name}@{self.version}"
        conc: list[Mention] = []
        for m in CONCENTRATION.finditer(text):
            amount = parse_amount(m["amount"])
            vol = parse_amount(m["vol"]) if m["vol"] else Decimal(1)
            if vol <= 0 or amount <= 0:
                continue
            per_ml = amount / vol
            unit = canonical_unit(m["unit"])
            if unit in SCALED_UNITS:
                amount, unit = _whole(amount * SCALED_UNITS[unit]), "units"
            # "1,000 mcg/1 mL" names the amount in the syringe: a dose when no volume is given
            extra = ({"total": (amount, unit)} if m["vol"] or _DEVICE_AFTER.match(text, m.end())
                     else {})
            if extra and _PACKAGE_AFTER.match(text, m.end()):
                extra["package"] = True  # "Zofran 4mg/2mL single-dose vial": what the vial holds
            conc.append(Mention(m.start(), m.end(), "CONCENTRATION", (per_ml, unit), src, extra))
        for start, end, per_ml in percent_concentrations(text):  # "4 mL 1% lidocaine"
            conc.append(Mention(start, end, "CONCENTRATION", (per_ml, "mg"), src))
        for m in RATIO.finditer(text):
            per_ml = Decimal(1000) / parse_amount(m["denom"])  # 1:1000 is 1 g per 1000 mL
            conc.append(Mention(m.start(), m.end(), "CONCENTRATION", (per_ml, "mg"), src))
        per_kg = [
            Mention(
                m.start(),
                m.end(),
                "PER_KG",
                (parse_amount(m["amount"]), canonical_unit(m["unit"])),
                src,
            )
            for m in PER_KG.finditer(text)
        ]
        ranges = [Mention(m.start(), m.end(), "RANGE", None, src) for m in RANGE.finditer(text)]
        per_bsa = [Mention(m.start(), m.end(), "PER_BSA", None, src)
                   for m in PER_BSA.finditer(text)]
        taken = conc + per_kg + ranges + per_bsa
        doses = []
        for m in DOSE.finditer(text):
            amount = parse_amount(m["amount"])
            if amount <= 0 or (amount > self.max_amount and canonical_unit(m["unit"]) not in SCALED_UNITS):
                continue
            if _MEASURE_BEFORE.search(text[max(0, m.start() - 25) : m.start()]):
                continue  # "prostate size 15 g", "estimated blood loss 50 mL"
            if _ROUNDED_AFTER.match(text, m.end()) or (
                    _REPLACED_AFTER.match(text, m.end())
                    and _COMPUTED_BEFORE.search(text, max(0, m.start() - 4), m.start())):
                continue  # "= 910 mg -> rounded to 900 mg": the rounded amount is the dose
            if _LIMIT_BEFORE.search(text, max(0, m.start() - 30), m.start()):
                continue  # "Max dose 1 g": a ceiling, not the amount given
            if _CARB_RATIO.match(text, m.end()) or _CARB_RATIO_BEFORE.search(
                    text[max(0, m.start() - 12) : m.start()]):
                continue  # "1 unit/10 g carb", "15 g glucose gel": a ratio or food, not a dose
            if m["unit"].lower() == "g" and (
                _GAUGE_AFTER.match(text, m.end())
                or (_GAUGE_BEFORE.search(text[max(0, m.start() - 20) : m.start()])
                    and 14 <= amount <= 34)
                or (m["unit"] == "G" and m.group(0)[-2:-1].isdigit() and 18 <= amount <= 30)
            ):
                continue  # "23G 1-inch needle", "Needle 1.5\" 20G" is a needle gauge
            unit = canonical_unit(m["unit"])
            if unit in SCALED_UNITS:
                amount, unit = _whole(amount * SCALED_UNITS[unit]), "units"
            extra = {"package": True} if _PACKAGE_AFTER.match(text, m.end()) else {}
            mention = Mention(m.start(), m.end(), "DOSE", (amount, unit), src, extra)
            if any(mention.overlaps(t) for t in taken):
                continue
            if unchecked_option(text, m.start(), m.end()):
                continue  # "Dose: [ ] 250 mg  [ ] 500 mg  [x] 1 g": the unchecked option is no dose
            doses.append(mention)
        volumes = []
        for m in VOLUME.finditer(text):
            mention = Mention(m.start(), m.end(), "VOLUME", (parse_amount(m["amount"]), "mL"), src)
            if any(mention.overlaps(t) for t in conc):
                continue
            low = _VOLUME_RANGE_LOW.search(text, max(0, m.start() - 16), m.start())
            if low and parse_amount(low["low"]) < mention.value[0]:
                continue  # "1-2 cc": the high end of a range is not the volume given
            if _PER_KG_AFTER.match(text, m.end()):
                continue  # "0.06 mL/kg = 4.5 mL": a rate; the amount worked out is the dose
            if _MULTI_DOSE_AFTER.match(text, m.end()) or _VIAL_SIZE_BEFORE.search(
                    text, max(0, m.start() - 24), m.start()):
                continue  # "(10 mL MDV)": the vial's size, never the dose drawn from it
            if _SYRINGE_AFTER.match(text, m.end()) and _SYRINGE_SIZE_BEFORE.search(
                    text, max(0, m.start() - 12), m.start()):
                continue
            if _LEFT_OVER_AFTER.match(text, m.end()) or _LEFT_OVER_BEFORE.search(
                    text, max(0, m.start() - 16), m.start()):
                continue
            mixed_in = _DILUENT_VOLUME_BEFORE.search(text, max(0, m.start() - 24), m.start())
            if mixed_in and _DILUENT_AFTER.match(text, m.end()):
                continue
            if _PACKAGE_AFTER.match(text, m.end()) or (
                    mixed_in and not _DRUG_DILUENT_AFTER.match(text, m.end())):
                # "150 mg/mL ..., 1 mL single-dose vial": the vial's size; a dose written for
                # the drug ("Dose: 150 mg") is the amount given
                mention = Mention(m.start(), m.end(), "VOLUME", mention.value, src,
                                  {"package": True})
            volumes.append(mention)
        weights = []
        for m in WEIGHT.finditer(text):
            kg = parse_amount(m["amount"])
            pounds = m["unit"].lower().startswith(("lb", "pound"))
            if pounds:
                kg = kg * _LB_TO_KG
            weights.append(Mention(m.start(), m.end(), "WEIGHT", kg, src, {"pounds": pounds}))
        store.update(
            DOSE=doses,
            CONCENTRATION=conc,
            VOLUME=volumes,
            PER_KG=per_kg,
            WEIGHT=weights,
            RANGE=ranges,
        )
        return doc
