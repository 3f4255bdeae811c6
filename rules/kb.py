"""Rules layer: the knowledge base — row models, loaders and lookups over the tables in ``kb/``.

Every table is data with provenance (see ``kb/*PROVENANCE.md``); loaders validate each row and
stop start-up with a message naming the file and row on a duplicate key, an unknown unit or a
missing column. The directory is replaceable: point ``KnowledgeBase.load`` at a directory with
newer CMS files and the same loaders read them.
"""

from __future__ import annotations

import csv
import hashlib
import logging
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from models import ErrorCode, ShotcoderError

log = logging.getLogger(__name__)

DEFAULT_KB_DIR = Path(str(resources.files("rules").joinpath("kb")))
ROUTES = {
    "IM",
    "SC",
    "IV_PUSH",
    "IV_INFUSION",
    "INTRA_ARTICULAR",
    "INTRA_ARTERIAL",
    "INTRADERMAL",
    "INTRANASAL",
    "ORAL",
    "OTHER",
}
DRUG_CLASSES = {
    "therapeutic",
    "vaccine",
    "antineoplastic",
    "antineoplastic_hormonal",
    "allergen",
    "biologic",
    "local_anesthetic",
    "contrast",
    "unspecified",
    # a compounded mix whose contents the note lists ("MIC+B12 (methionine 25 mg / ... per mL)"):
    # an unlisted drug, dosed by its volume (set by the extractor, not a table row's class)
    "compounded",
}
MASS = {"mcg": Decimal(1), "mg": Decimal(1000), "g": Decimal(1_000_000)}


class Row(BaseModel):
    """Base for table rows: immutable, unknown columns rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def _none_if_blank(v: object) -> object:
    return None if isinstance(v, str) and not v.strip() else v


# the route words of a HCPCS descriptor and the administration routes each allows
_DESCRIPTOR_ROUTES = (
    (re.compile(r"\bintravenous", re.IGNORECASE), ("IV_PUSH", "IV_INFUSION")),
    (re.compile(r"\bsubcutaneous", re.IGNORECASE), ("SC",)),
    (re.compile(r"\bintramuscular", re.IGNORECASE), ("IM",)),
)
# the administration routes a descriptor may limit a code to (see HcpcsRow.routes)
DESCRIPTOR_ROUTE_NAMES = frozenset(r for _, rs in _DESCRIPTOR_ROUTES for r in rs)


class HcpcsRow(Row):
    """One HCPCS Level II code with its billing amount parsed from the CMS descriptor."""

    code: str = Field(pattern=r"^(?:[A-Z]\d{4}|\d{5})$")  # Level II, or a CPT product code
    short_description: str
    long_description: str
    amount: Decimal | None = None
    unit: Literal["mg", "mcg", "g", "mL", "units", "mEq", "dose", "other"]
    amount_kind: Literal["per", "up_to", "each", "none"]
    add_date: date | None = None
    termination_date: date | None = None
    release: str

    _blank = field_validator("amount", "add_date", "termination_date", mode="before")(
        _none_if_blank
    )

    @cached_property
    def routes(self) -> frozenset[str]:
        """The injection routes the descriptor limits the code to; empty when it names none.

        "Injection, risankizumab-rzaa, intravenous, 1 mg" is for IV use only: a subcutaneous
        dose of the same drug is not billed on it. "... for subcutaneous or intravenous
        injection" allows both.
        """
        return frozenset(r for word, rs in _DESCRIPTOR_ROUTES
                         if word.search(self.long_description) for r in rs)

    def in_force(self, on: date) -> bool:
        """Whether the code is valid on ``on`` (add date ≤ on ≤ termination date)."""
        if self.add_date and on < self.add_date:
            return False
        return not (self.termination_date and on > self.termination_date)


def _split(v: object) -> object:
    if isinstance(v, str):
        return tuple(x.strip() for x in v.split("|") if x.strip())
    return v


class DrugRow(Row):
    """A canonical drug: codes, class, routes, self-administration flag, supporting diagnoses."""

    name: str = Field(min_length=2)
    codes: tuple[str, ...] = ()
    drug_class: str
    routes: tuple[str, ...] = ()
    self_administered: bool = False
    supporting_dx: tuple[str, ...] = ()
    source: str = Field(min_length=3)

    _lists = field_validator("codes", "routes", "supporting_dx", mode="before")(_split)

    @field_validator("self_administered", mode="before")
    @classmethod
    def _yn(cls, v: object) -> object:
        if isinstance(v, str):
            if v.strip().upper() not in ("Y", "N", ""):
                raise ValueError("self_administered must be Y or N")
            return v.strip().upper() == "Y"
        return v

    @field_validator("drug_class")
    @classmethod
    def _known_class(cls, v: str) -> str:
        if v not in DRUG_CLASSES:
            raise ValueError(f"unknown drug_class {v!r}")
        return v

    @field_validator("routes")
    @classmethod
    def _known_routes(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        bad = [r for r in v if r not in ROUTES]
        if bad:
            raise ValueError(f"unknown route(s) {bad}")
        return v


class DrugTermRow(Row):
    """A surface form of a drug (brand, generic, abbreviation, misspelling)."""

    term: str = Field(min_length=2)
    name: str
    codes: tuple[str, ...] = ()
    kind: str
    drug_class: str | None = None
    """Overrides the drug's class when the product decides the billing family. No packaged
    row does; a payer that takes 96401 for Xgeva can class that brand ``antineoplastic``."""
    source: str = Field(min_length=3)

    _lists = field_validator("codes", mode="before")(_split)
    _blank = field_validator("drug_class", mode="before")(_none_if_blank)


class DxPhraseRow(Row):
    """A diagnosis phrase mapped to an ICD-10-CM code."""

    phrase: str
    code: str = Field(pattern=r"^[A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?$")
    source: str


class TermConcentrationRow(Row):
    """A strength fixed by the product name a note uses ("Kenalog-40" is 40 mg/mL)."""

    term: str
    amount: Decimal = Field(gt=0)
    unit: Literal["mg", "mcg", "units"]
    per_ml: Decimal = Field(gt=0)
    source: str = Field(min_length=3)


class VaccineDoseRow(Row):
    """Which product code a vaccine brand's dose or formulation means.

    Adult, pediatric or dialysis dosage: "Havrix 1 mL" is 90632, "Recombivax HB dialysis
    formulation" is 90740; an RSV antibody's seasonal dose: "Beyfortus 100 mg" is 90381.
    """

    term: str
    amount: Decimal | None = Field(default=None, gt=0)
    unit: Literal["mcg", "mg", "mL", "units"] | None = None
    code: str = Field(pattern=r"^9\d{4}$")
    context: str | None = None
    """A word on the dose's line that decides the code whatever the amount ("dialysis")."""
    source: str = Field(min_length=3)

    _blank = field_validator("amount", "unit", "context", mode="before")(_none_if_blank)


class PaGroupRow(Row):
    """Which prior-authorisation group a drug belongs to (payer profiles list groups)."""

    name: str
    group: str
    source: str


class MueRow(Row):
    """NCCI medically unlikely edit for a code."""

    hcpcs_code: str
    mue_value: int
    mai: int
    mai_description: str
    mue_rationale: str


class PtpRow(Row):
    """An NCCI procedure-to-procedure pair involving 96372."""

    column_1: str
    column_2: str
    deletion_date: str
    modifier_indicator: str
    ptp_edit_rationale: str
    active_2024q3: str
    em_pair: str


class NdcRow(Row):
    """An NDC-to-HCPCS crosswalk row (ASP file)."""

    hcpcs_code: str
    ndc11: str
    ndc_5_4_2: str
    labeler_name: str
    drug_name: str
    hcpcs_dosage: str
    pkg_size: str
    pkg_qty: str
    bill_units_per_item: str
    bill_units_per_pkg: str
    source_quarter: str
    source_shard: str
    source_commit: str


class PayerProfile(Row):
    """A payer profile (rules catalog section 8): everything payer-specific is here."""

    name: str
    label: str
    benefit: Literal["medical", "behavioral_health"]
    covers_96372: bool
    ndc_required: bool
    prior_auth_drug: tuple[str, ...] = ()
    prior_auth_administration: tuple[str, ...] = ()
    distinct_modifier: Literal["XS", "59"]
    office_equivalent_pos: tuple[str, ...] = ("11",)
    sad_exclusion: bool
    source: str


class AntibodyImmunization(Row):
    """Monoclonal antibodies given as a seasonal immunization, with their own administration codes.

    ``counseled`` when a physician or other qualified professional counsels on the date,
    ``other`` otherwise; the product code follows the dose (``vaccine_doses.csv``).
    """

    drugs: frozenset[str]
    counseled: str = Field(pattern=r"^\d{5}$")
    other: str = Field(pattern=r"^\d{5}$")


class Chemodenervation(Row):
    """Drugs given only by a chemodenervation procedure, and the codes an indication decides."""

    drugs: frozenset[str]
    by_indication: tuple[tuple[str, str], ...] = ()
    """(regular expression over the note, CPT code): ``(("chronic migraine", "64615"),)``."""
    choose_from: tuple[str, ...] = ()
    """The procedure codes (or ranges) the coder chooses from when no indication decides."""

    @field_validator("by_indication")
    @classmethod
    def _compiles(cls, v: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
        for pattern, _ in v:
            re.compile(pattern)
        return v


class RouteProcedure(Row):
    """A procedure an injection's written route names ("intravitreal": 67028)."""

    pattern: str
    code: str = Field(pattern=r"^\d{5}$")
    #: one unit per treatment (a nebulizer treatment) instead of one per side (an eye)
    per_treatment: bool = False

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, v: str) -> str:
        re.compile(v)
        return v


class DoseBand(Row):
    """The doses a code covers, when codes of one drug differ by dose (Brixadi, gamma globulin).

    ``min`` and ``max`` are inclusive; ``over`` is exclusive ("over 10 cc"); ``doses`` lists a
    product's labeled strengths (Lupron Depot urology 7.5/22.5/30/45 mg, gynecology 3.75/11.25).
    """

    unit: Literal["mg", "mcg", "g", "mL"]
    min: Decimal | None = None
    max: Decimal | None = None
    over: Decimal | None = None
    doses: tuple[Decimal, ...] = ()

    def covers(self, value: Decimal, unit: str) -> bool | None:
        """Whether the dose falls in the band (None: not convertible to the band's unit)."""
        v = convert(value, unit, self.unit)
        if v is None:
            return None
        return ((self.min is None or v >= self.min) and (self.max is None or v <= self.max)
                and (self.over is None or v > self.over) and (not self.doses or v in self.doses))


class CodeSets(Row):
    """Code sets and thresholds (``kb/code_sets.yaml``) that change with CMS/CPT releases."""

    source: str
    vintage: str
    facility_pos: frozenset[str]
    telehealth_pos: frozenset[str]
    dialysis_diagnoses: tuple[str, ...] = ()
    """ICD-10-CM prefixes (no dots) that make a drug's "for ESRD on dialysis" code apply."""
    dialysis_pos: frozenset[str] = frozenset()
    problem_oriented_em: frozenset[str]
    preventive_em: frozenset[str]
    em_time_thresholds: dict[Literal["new", "established"], tuple[tuple[int, str], ...]]
    joint_codes: dict[Literal["small", "intermediate", "major"],
                      dict[Literal["landmark", "ultrasound"], str]]
    tissue_codes: dict[str, tuple[tuple[int, str], ...]] = Field(default_factory=dict)
    """Injection procedures by count: ``{"trigger_point": ((1, "20552"), (3, "20553"))}``."""
    chemodenervation: Chemodenervation = Field(
        default_factory=lambda: Chemodenervation(drugs=frozenset()))
    antibody_immunization: AntibodyImmunization
    route_procedures: dict[str, RouteProcedure] = Field(default_factory=dict)
    skin_tests: dict[str, Annotated[str, Field(pattern=r"^\d{5}$")]] = Field(default_factory=dict)
    """Diagnostic skin tests by drug: the test's own code, which includes the material."""
    counseled_vaccine_max_age: int = 19
    """90460/90461 apply to patients younger than this (through 18 years of age)."""
    quadrivalent_influenza_until: date | None = None
    """The last date a quadrivalent influenza product was distributed in the US (2024-25 on,
    every influenza vaccine is trivalent)."""
    quadrivalent_influenza: frozenset[str] = frozenset()
    implausible_mue_factor: int = Field(default=100, ge=2)
    """DOC-02: billing units at least this many times the MUE mean a miswritten dose unit."""
    vaccine_components: dict[str, int] = Field(default_factory=dict)
    """Components of combination vaccines for 90461; a vaccine not listed has one."""
    co_packaged: dict[str, frozenset[str]] = Field(default_factory=dict)
    """Kits billed on one code whose components are injected separately: kit -> components."""
    dose_bands: dict[str, DoseBand] = Field(default_factory=dict)
    """Per-dose codes of one drug told apart by the labeled doses each covers: code -> band."""
    unlisted_drug: str = Field(pattern=r"^J\d{4}$")
    unlisted_biologic: str = Field(pattern=r"^J\d{4}$")
    staff_credentials: frozenset[str]
    non_prescribing_credentials: frozenset[str]
    administration_codes: frozenset[str]


def _read_csv(path: Path, model: type[Row], key: str | tuple[str, ...] | None) -> list[Any]:
    if not path.exists():
        raise ShotcoderError(ErrorCode.KB_INVALID, f"{path.name}: file missing", file=str(path))
    rows: list[Any] = []
    seen: dict[Any, int] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        expected = set(model.model_fields)
        header = set(reader.fieldnames or ())
        missing = sorted(f for f in expected - header if model.model_fields[f].is_required())
        if missing:
            raise ShotcoderError(
                ErrorCode.KB_INVALID,
                f"{path.name}: missing column(s) {', '.join(missing)}",
                file=str(path),
            )
        for lineno, raw in enumerate(reader, start=2):
            data = {k: v for k, v in raw.items() if k in expected and k is not None}
            try:
                row = model.model_validate(data)
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(x) for x in first["loc"])
                raise ShotcoderError(
                    ErrorCode.KB_INVALID,
                    f"{path.name} row {lineno}: {where}: {first['msg']}",
                    file=str(path),
                    row=lineno,
                ) from None
            if key is not None:
                k = (
                    tuple(getattr(row, x) for x in key)
                    if isinstance(key, tuple)
                    else getattr(row, key)
                )
                if k in seen:
                    raise ShotcoderError(
                        ErrorCode.KB_INVALID,
                        f"{path.name} row {lineno}: duplicate key {k!r} (first at row {seen[k]})",
                        file=str(path),
                        row=lineno,
                    )
                seen[k] = lineno
            rows.append(row)
    return rows


def _digest(paths: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


@dataclass
class KnowledgeBase:
    """All tables, indexed for the rules. Build with :meth:`load`."""

    directory: Path
    hcpcs: dict[str, HcpcsRow]
    drugs: dict[str, DrugRow]
    terms: dict[str, DrugTermRow]
    dx_phrases: dict[str, DxPhraseRow]
    pa_groups: dict[str, set[str]]
    concentrations: dict[str, TermConcentrationRow]
    vaccine_doses: list[VaccineDoseRow]
    mue: dict[str, MueRow]
    ptp: list[PtpRow]
    ndc: dict[str, NdcRow]
    payers: dict[str, PayerProfile]
    codes: CodeSets
    checksums: dict[str, str] = field(default_factory=dict)
    _ptp_index: dict[frozenset[str], PtpRow] | None = field(default=None, repr=False)

    @classmethod
    def load(cls, directory: Path | None = None, payer_dirs: Iterable[Path] = ()) -> KnowledgeBase:
        """Load and validate every table.

        Args:
            directory: The knowledge-base directory (default: the packaged ``rules/kb``).
            payer_dirs: Extra directories of custom payer-profile YAML files.

        Raises:
            ShotcoderError: ``kb_invalid`` naming the file and row of the first bad row.
        """
        d = Path(directory) if directory else DEFAULT_KB_DIR
        hcpcs_rows = _read_csv(d / "hcpcs.csv", HcpcsRow, "code")
        # CPT product codes billed per amount like a J-code (rabies immune globulin per 150 IU);
        # our own short labels only: CPT descriptors are AMA-licensed
        cpt_path = d / "cpt_products.csv"
        cpt_rows = _read_csv(cpt_path, HcpcsRow, "code") if cpt_path.exists() else []
        drug_rows = _read_csv(d / "drugs.csv", DrugRow, "name")
        term_rows = _read_csv(d / "drug_terms.csv", DrugTermRow, "term")
        dx_rows = _read_csv(d / "dx_phrases.csv", DxPhraseRow, "phrase")
        pa_rows = _read_csv(d / "pa_groups.csv", PaGroupRow, ("name", "group"))
        conc_rows = _read_csv(d / "term_concentrations.csv", TermConcentrationRow, "term")
        vaccine_rows = _read_csv(d / "vaccine_doses.csv", VaccineDoseRow,
                                 ("term", "amount", "unit", "context"))
        mue_rows = _read_csv(d / "cms" / "mue_practitioner.csv", MueRow, "hcpcs_code")
        ptp_rows = _read_csv(d / "cms" / "ptp_96372.csv", PtpRow, None)
        ndc_rows = _read_csv(d / "cms" / "ndc_hcpcs_crosswalk.csv", NdcRow, "ndc11")
        hcpcs = {r.code: r for r in hcpcs_rows}
        hcpcs.update((r.code, r) for r in cpt_rows if r.code not in hcpcs)
        drugs = {r.name: r for r in drug_rows}
        for r in drug_rows:
            for code in r.codes:
                if code[0].isalpha() and code not in hcpcs:
                    raise ShotcoderError(
                        ErrorCode.KB_INVALID, f"drugs.csv: {r.name}: code {code} not in hcpcs.csv"
                    )
        for t in term_rows:
            if t.name not in drugs:
                raise ShotcoderError(
                    ErrorCode.KB_INVALID,
                    f"drug_terms.csv: term {t.term!r} names unknown drug {t.name!r}",
                )
        known_terms = {t.term for t in term_rows}
        for name, rows in (("vaccine_doses.csv", vaccine_rows),
                           ("term_concentrations.csv", conc_rows)):
            for v in rows:
                if v.term not in known_terms:
                    raise ShotcoderError(ErrorCode.KB_INVALID,
                                         f"{name}: term {v.term!r} not in drug_terms.csv")
        pa: dict[str, set[str]] = {}
        for p in pa_rows:
            pa.setdefault(p.name, set()).add(p.group)
        payers: dict[str, PayerProfile] = {}
        for pdir in (d / "payers", *payer_dirs):
            for path in sorted(Path(pdir).glob("*.yaml")):
                try:
                    profile = PayerProfile.model_validate(yaml.safe_load(path.read_text("utf-8")))
                except (ValidationError, yaml.YAMLError) as exc:
                    raise ShotcoderError(
                        ErrorCode.KB_INVALID,
                        f"{path.name}: invalid payer profile: {exc}",
                        file=str(path),
                    ) from None
                payers[profile.name] = profile
        try:
            codes = CodeSets.model_validate(
                yaml.safe_load((d / "code_sets.yaml").read_text("utf-8")))
        except (OSError, ValidationError, yaml.YAMLError) as exc:
            raise ShotcoderError(ErrorCode.KB_INVALID, f"code_sets.yaml: invalid: {exc}",
                                 file=str(d / "code_sets.yaml")) from None
        named = (set(codes.chemodenervation.drugs) | set(codes.skin_tests)
                 | set(codes.antibody_immunization.drugs)
                 | set(codes.vaccine_components) | set(codes.co_packaged)
                 | {c for parts in codes.co_packaged.values() for c in parts})
        if unknown := sorted(named - set(drugs)):
            raise ShotcoderError(ErrorCode.KB_INVALID,
                                 f"code_sets.yaml: unknown drugs {unknown}",
                                 file=str(d / "code_sets.yaml"))
        if unknown := sorted(set(codes.dose_bands) - set(hcpcs)):
            raise ShotcoderError(ErrorCode.KB_INVALID,
                                 f"code_sets.yaml: dose_bands: codes not in hcpcs.csv {unknown}",
                                 file=str(d / "code_sets.yaml"))
        files = [p for p in d.rglob("*") if p.is_file() and p.suffix in (".csv", ".yaml")]
        kb = cls(
            directory=d,
            hcpcs=hcpcs,
            drugs=drugs,
            terms={t.term: t for t in term_rows},
            dx_phrases={r.phrase: r for r in dx_rows},
            pa_groups=pa,
            concentrations={r.term: r for r in conc_rows},
            vaccine_doses=vaccine_rows,
            mue={r.hcpcs_code: r for r in mue_rows},
            ptp=ptp_rows,
            ndc={r.ndc11: r for r in ndc_rows},
            payers=payers,
            codes=codes,
        )
        kb.checksums = {
            "hcpcs": _digest([d / "hcpcs.csv"]),
            "ncci": _digest([d / "cms" / "mue_practitioner.csv", d / "cms" / "ptp_96372.csv"]),
            "kb": _digest(files),
        }
        log.info(
            "knowledge base loaded: %d HCPCS, %d drugs, %d terms, %d payers",
            len(hcpcs),
            len(drugs),
            len(term_rows),
            len(payers),
        )
        return kb

    @property
    def hcpcs_release(self) -> str:
        """The HCPCS release name the drug codes come from."""
        return next(iter(self.hcpcs.values())).release if self.hcpcs else "none"

    @property
    def hcpcs_vintage(self) -> date:
        """First day of the HCPCS release quarter (for the DRUG-10 currency notice)."""
        dates = [r.add_date for r in self.hcpcs.values() if r.add_date]
        latest = max(dates) if dates else date(2024, 7, 1)
        return date(latest.year, 3 * ((latest.month - 1) // 3) + 1, 1)

    def table_info(self) -> list[dict[str, str | int]]:
        """Source, vintage, row count and checksum of every table (``shotcoder kb info``)."""
        d = self.directory
        tables = [
            ("hcpcs.csv", self.hcpcs_release, "CMS HCPCS Level II (J, Q, G0008-G0010)",
             sum(1 for c in self.hcpcs if c[:1].isalpha())),
            ("cpt_products.csv", "curated; CPT codes with our own labels",
             "DRUGS_PROVENANCE.md", sum(1 for c in self.hcpcs if c[:1].isdigit())),
            ("drugs.csv", "curated; codes checked against hcpcs.csv", "DRUGS_PROVENANCE.md",
             len(self.drugs)),
            ("drug_terms.csv", "curated", "DRUGS_PROVENANCE.md", len(self.terms)),
            ("term_concentrations.csv", "curated", "FDA labels", len(self.concentrations)),
            ("vaccine_doses.csv", "curated", "FDA labels; CPT codes only", len(self.vaccine_doses)),
            ("dx_phrases.csv", "ICD-10-CM FY2026", "DX_PROVENANCE.md", len(self.dx_phrases)),
            ("pa_groups.csv", "default payer profiles", "rules.md section 8",
             sum(len(v) for v in self.pa_groups.values())),
            ("cms/mue_practitioner.csv", "NCCI MUE practitioner, effective 2024-07-01",
             "cms/PROVENANCE.md", len(self.mue)),
            ("cms/ptp_96372.csv", "NCCI PTP practitioner, 2024 Q3", "cms/PROVENANCE.md",
             len(self.ptp)),
            ("cms/ndc_hcpcs_crosswalk.csv", "ASP NDC-HCPCS crosswalk, 2026 Q4 (partial)",
             "cms/PROVENANCE.md", len(self.ndc)),
        ]
        rows: list[dict[str, str | int]] = [
            {"table": name, "vintage": vintage, "source": source, "rows": count,
             "sha256": _digest([d / name])}
            for name, vintage, source, count in tables
        ]
        rows.append({"table": "code_sets.yaml", "vintage": self.codes.vintage,
                     "source": "rules.md; CMS POS; CPT code numbers", "rows": 1,
                     "sha256": _digest([d / "code_sets.yaml"])})
        rows.extend(
            {"table": f"payers/{p.name}.yaml", "vintage": "payer profile", "source": p.source,
             "rows": 1, "sha256": ""}
            for p in sorted(self.payers.values(), key=lambda p: p.name)
        )
        return rows

    def ptp_pair(self, a: str, b: str) -> PtpRow | None:
        """The active PTP edit between two codes, if any (either column order)."""
        if self._ptp_index is None:
            index: dict[frozenset[str], PtpRow] = {}
            for row in self.ptp:
                if row.deletion_date == "*":
                    index.setdefault(frozenset((row.column_1, row.column_2)), row)
            self._ptp_index = index
        return self._ptp_index.get(frozenset((a, b)))


def convert(amount: Decimal, unit: str, to: str) -> Decimal | None:
    """Convert between mass units (g, mg, mcg); same unit passes through; else None."""
    if unit == to:
        return amount
    if unit in MASS and to in MASS:
        return amount * MASS[unit] / MASS[to]
    return None


def billing_units(dose_value: Decimal, dose_unit: str, row: HcpcsRow) -> int | None:
    """ceil(dose / descriptor amount), at least 1, after unit conversion (DRUG-02).

    Returns None when the dose cannot be expressed in the descriptor's unit (volume without a
    concentration, or units vs mass).
    """
    if row.amount is None:
        return 1 if row.unit in ("dose", "other") else None
    value = convert(dose_value, dose_unit, row.unit)
    if value is None:
        return None
    return max(1, math.ceil(value / row.amount))
