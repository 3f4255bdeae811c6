#!/usr/bin/env python3
"""Build rules/kb/hcpcs.csv from a CMS HCPCS Level II file.

Usage:
    python scripts/build_hcpcs_table.py [SOURCE.csv] [--out PATH] [--release TEXT]

SOURCE.csv must have the column layout of shared/data/cms/hcpcs_level2.csv
(hcpcs_code, long_description, short_description, ..., add_date,
termination_date, ...). The default SOURCE is ../shared/data/cms/hcpcs_level2.csv
relative to the repository root; the default output is rules/kb/hcpcs.csv.

Every J and Q code (and G0008-G0010) is written with the billing amount and
unit parsed from the long descriptor ("per 15 mg", "up to 1000 mcg", "1 mg",
"300 micrograms (1500 i.u.)", "per dose", ...):

    amount       decimal number; empty when unit is dose/other or no amount
    unit         mg | mcg | g | mL | units | mEq | dose | other
    amount_kind  per     "per X" or a bare "X mg": one billing unit = X
                 up_to   "up to X" / "less than or equal to X": one unit per X or part
                 each    one billing unit per dose, vial, treatment, item
                 none    the descriptor carries no billing amount

Standard library only. Rerunnable: the output is rewritten from scratch.

The parser is also used by `shotcoder kb import hcpcs` (rules/kb_import.py),
which loads this file and calls read_source/table_rows/parse_amount/iso_date/
wanted; keep those names and signatures stable.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO_ROOT / ".." / "shared" / "data" / "cms" / "hcpcs_level2.csv"
DEFAULT_OUT = REPO_ROOT / "rules" / "kb" / "hcpcs.csv"
DEFAULT_RELEASE = "HCPCS 2024 July (HCPC2024_JUL_ANWEB_v3)"

OUT_COLUMNS = [
    "code",
    "short_description",
    "long_description",
    "amount",
    "unit",
    "amount_kind",
    "add_date",
    "termination_date",
    "release",
]
UNITS = {"mg", "mcg", "g", "mL", "units", "mEq", "dose", "other"}
KINDS = {"per", "up_to", "each", "none"}

# Descriptors whose amount the generic rules get wrong. Keyed by the exact
# (lower-cased, whitespace-collapsed) long descriptor, so an override only
# applies while CMS keeps that wording; a changed descriptor falls back to the
# generic parser. Value: (amount, unit, amount_kind).
OVERRIDES: dict[str, tuple[str, str, str]] = {
    # taurolidine/heparin catheter lock: mixed mg/units, billed per instillation
    "instillation, taurolidine 1.35 mg and heparin sodium 100 units (central venous "
    "catheter lock for adult patients receiving chronic hemodialysis)": ("", "dose", "each"),
}

# ---------------------------------------------------------------------------
# Unit vocabulary
# ---------------------------------------------------------------------------
# Order matters: longer alternatives first.
_UNIT_WORDS = [
    (r"million\s+plaque\s+forming\s+units", "other", Decimal(1)),
    (r"million\s+(?:international\s+)?units", "units", Decimal(1_000_000)),
    (r"billion\s+vector\s+genomes", "other", Decimal(1)),
    (r"vector\s+genomes", "other", Decimal(1)),
    (r"millicuries?", "other", Decimal(1)),
    (r"milligrams?", "mg", Decimal(1)),
    (r"micrograms?", "mcg", Decimal(1)),
    (r"mcg", "mcg", Decimal(1)),
    (r"\u00b5g|ug", "mcg", Decimal(1)),
    (r"mg", "mg", Decimal(1)),
    (r"grams?|gm", "g", Decimal(1)),
    (r"g", "g", Decimal(1)),
    (r"milliliters?|ml|cc", "mL", Decimal(1)),
    (r"meq", "mEq", Decimal(1)),
    (r"usp\s+units?", "units", Decimal(1)),
    (r"kiu", "units", Decimal(1)),
    (r"i\.\s?u\.?|iu", "units", Decimal(1)),
    (r"units?", "units", Decimal(1)),
]
_UNIT_ALT = "|".join(f"(?:{w})" for w, _, _ in _UNIT_WORDS)
_UNIT_TABLE = [(re.compile(rf"^(?:{w})$"), u, m) for w, u, m in _UNIT_WORDS]

_NUM = r"\d[\d,]*(?:\.\d+)?|\.\d+"
_QUALIFIER = (
    r"(?P<qual>per|up\s+to|less\s+than\s+or\s+equal\s+to|not\s+to\s+exceed|"
    r"greater\s+than|over|each)?\s*"
)
QTY_RE = re.compile(
    rf"(?<![\w.]){_QUALIFIER}(?P<num>{_NUM})\s*(?P<unit>{_UNIT_ALT})(?![a-z0-9])",
    re.IGNORECASE,
)
# "per gm", "per milligram", "per ml", "per i.u.", "per factor viii i.u.", "per iu vwf:rco"
PER_NO_NUM_RE = re.compile(
    rf"\bper\s+(?:factor\s+[ivx]+\s+)?(?P<unit>{_UNIT_ALT})(?![a-z0-9])",
    re.IGNORECASE,
)
# One billing unit per dose-like or item-like thing.
DOSE_RE = re.compile(
    r"\b(?:per|each)\s+(?P<what>therapeutic\s+dose|study\s+dose|dose|treatment|infusion|"
    r"instillation|single[\s-]+(?:use|dose)\s+vial|vial|kit|implant)\b|^\s*each\s*$|"
    r"\b(?P<days>days?\s+of\s+therapy)\b",
    re.IGNORECASE,
)
OTHER_PER_RE = re.compile(
    r"\bper\s+(?:\d+\s+)?square\s+(?:centimeters?|cenitmeters?|cm)\b", re.IGNORECASE
)
# Time/service bases: not a drug amount.
SERVICE_RE = re.compile(
    r"\bper\s+(?:\d+\s*-?\s*days?|visit|diem|hour|month|session|encounter)\b|"
    r"\b\d+-day\s+period\b",
    re.IGNORECASE,
)
# Qualifying phrases whose quantity is not the billing amount.
NOISE_PHRASES = [
    re.compile(r"\bprovided\s+in\s+[\d.]+\s*\w+\s+vial\b", re.IGNORECASE),
    re.compile(r"\bnot\s+to\s+exceed\s+an?\s+\d+\s+hour\s+dosage\s+regimen\b", re.IGNORECASE),
    re.compile(r"\d+(?:\.\d+)?\s*mg/ml\s+iodine\s+concentration", re.IGNORECASE),
    re.compile(r"\d+\s*-\s*\d+\s*mg/ml\s+iodine\s+concentration", re.IGNORECASE),
    re.compile(r"\bper\s+24\s+hours\b", re.IGNORECASE),
]


def norm_unit(word: str) -> tuple[str, Decimal]:
    w = re.sub(r"\s+", " ", word.strip().lower())
    for rx, unit, mult in _UNIT_TABLE:
        if rx.match(w):
            return unit, mult
    raise ValueError(word)


def to_decimal(num: str) -> Decimal:
    try:
        return Decimal(num.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - regex guarantees digits
        raise ValueError(num) from exc


def fmt_decimal(d: Decimal) -> str:
    d = d.normalize()
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def split_parentheticals(text: str) -> tuple[str, list[str]]:
    """Remove (...) groups. Return outside text and the groups that hold a quantity."""
    kept: list[str] = []
    out: list[str] = []
    depth = 0
    buf = ""
    for ch in text:
        if ch == "(":
            if depth == 0:
                buf = ""
            else:
                buf += ch
            depth += 1
        elif ch == ")" and depth > 0:
            depth -= 1
            if depth == 0:
                if QTY_RE.search(buf):
                    kept.append(buf)
                out.append(" ")
            else:
                buf += ch
        elif depth > 0:
            buf += ch
        else:
            out.append(ch)
    return "".join(out), kept


def segments(text: str) -> list[str]:
    return [s.strip() for s in re.split(r",\s+|;\s*|,(?=[a-z])", text) if s.strip()]


def quantities(seg: str) -> list[dict]:
    found = []
    for m in QTY_RE.finditer(seg):
        unit, mult = norm_unit(m.group("unit"))
        qual = re.sub(r"\s+", " ", (m.group("qual") or "").lower())
        found.append(
            {
                "amount": to_decimal(m.group("num")) * mult,
                "unit": unit,
                "qual": qual,
                "start": m.start(),
            }
        )
    if not found:
        for m in PER_NO_NUM_RE.finditer(seg):
            unit, _ = norm_unit(m.group("unit"))
            found.append({"amount": Decimal(1), "unit": unit, "qual": "per", "start": m.start()})
    return found


def kind_for(qual: str) -> str:
    if qual in ("up to", "less than or equal to", "not to exceed"):
        return "up_to"
    if qual in ("greater than", "over"):
        return "each"
    return "per"


def result(amount: Decimal | None, unit: str, kind: str, how: str) -> dict:
    if unit in ("dose", "other"):
        amount = None
    return {
        "amount": "" if amount is None else fmt_decimal(amount),
        "unit": unit if kind != "none" else "other",
        "amount_kind": kind,
        "how": how,
    }


def parse_amount(long_desc: str) -> dict:
    """Parse the billing amount/unit from a HCPCS long descriptor.

    `how` in the result says which rule fired (for the report): override,
    amount, combination, range, dose, other, service, none, unparsed.
    """
    text = re.sub(r"\s+", " ", long_desc.strip().lower())
    if text in OVERRIDES:
        a, u, k = OVERRIDES[text]
        return result(Decimal(a) if a else None, u, k, "override")

    for rx in NOISE_PHRASES:
        text = rx.sub(" ", text)
    outside, paren_groups = split_parentheticals(text)
    segs = segments(outside)

    # 1. One billing unit per dose / vial / treatment / item.
    for seg in segs:
        if DOSE_RE.search(seg):
            m = DOSE_RE.search(seg)
            what = m.group("what") or m.group("days") or "each"
            is_dose = re.search(r"dose|treatment|infusion|instillation|therapy", what)
            unit = "dose" if is_dose and "vial" not in what else "other"
            return result(None, unit, "each", "dose")
    # 2. Per square centimetre (skin substitutes, patches).
    if OTHER_PER_RE.search(outside):
        return result(None, "other", "per", "other")
    # 3. Service/time bases (pharmacy fees, visits): no drug amount.
    if SERVICE_RE.search(outside):
        return result(None, "", "none", "service")

    # 4. Quantities outside parentheses, taken from the final run of
    #    consecutive segments that carry one (the billing amount closes the
    #    descriptor: "Injection, ketorolac tromethamine, per 15 mg").
    qsegs = [(i, seg, quantities(seg)) for i, seg in enumerate(segs)]
    qsegs = [(i, s, q) for i, s, q in qsegs if q and not s.startswith("containing ")]
    if not qsegs:
        # Fall back to a parenthetical total: "(354 mg)", "(500 ml = 1 unit)".
        # The first quantity is the amount: "(500 ml = 1 unit)".
        for grp in paren_groups:
            qs = quantities(grp)
            if qs:
                return pick(qs[:1], "amount")
        if re.search(r"\d", outside) and re.search(rf"\d\s*(?:{_UNIT_ALT})\b", outside):
            return result(None, "", "none", "unparsed")
        return result(None, "", "none", "none")

    run = [qsegs[-1]]
    for item in reversed(qsegs[:-1]):
        if item[0] == run[0][0] - 1:
            run.insert(0, item)
        else:
            break
    run_text = " , ".join(s for _, s, _ in run)
    run_qs = [q for _, _, qs in run for q in qs]
    last_qs = run[-1][2]

    # 4a. "X per Y" inside one segment: the "per" quantity is the billing unit.
    if len(last_qs) > 1 and any(q["qual"] == "per" for q in last_qs[1:]):
        q = [q for q in last_qs if q["qual"] == "per"][-1]
        return result(q["amount"], q["unit"], "per", "amount")

    # 4b. Range "greater than X, but less than or equal to Y" -> up to Y.
    if any(q["qual"] in ("less than or equal to",) for q in run_qs) and any(
        q["qual"] in ("greater than",) for q in run_qs
    ):
        q = [q for q in run_qs if q["qual"] == "less than or equal to"][-1]
        return result(q["amount"], q["unit"], "up_to", "range")

    # 4c. Combination products: "ceftolozane 50 mg and tazobactam 25 mg",
    #     "2mg/3mg", "1 gram/0.125 grams", "imipenem 4 mg, cilastatin 4 mg and
    #     relebactam 2 mg": sum the components when they share one unit
    #     (the label's total strength, e.g. Cabenuva 600 mg/900 mg = 300 units).
    if len(run_qs) > 1 and (" and " in run_text or "/" in run_text):
        units = {q["unit"] for q in run_qs}
        if len(units) == 1 and all(q["qual"] in ("", "up to") for q in run_qs):
            total = sum((q["amount"] for q in run_qs), Decimal(0))
            kind = "up_to" if any(q["qual"] == "up to" for q in run_qs) else "per"
            return result(total, units.pop(), kind, "combination")
        if len(units) > 1:
            # "carbidopa 5 mg/levodopa 20 mg enteral suspension, 100 ml": the
            # closing single-quantity segment is the billing amount.
            if len(run) > 1 and len(last_qs) == 1:
                return pick(last_qs, "amount")
            return result(None, "", "none", "unparsed")

    return pick(last_qs, "amount")


def pick(qs: list[dict], how: str) -> dict:
    q = qs[-1]
    kind = kind_for(q["qual"])
    if kind == "each":  # "greater than 100 mg", "over 10 cc": one unit per dose
        return result(None, "dose", "each", "dose")
    return result(q["amount"], q["unit"], kind, how)


def iso_date(value: str) -> str:
    v = (value or "").strip()
    if not v:
        return ""
    for fmt in ("%Y-%m-%d", "%Y%m%d", "%m/%d/%Y", "%m/%d/%y", "%Y/%m/%d"):
        try:
            return datetime.strptime(v, fmt).date().isoformat()
        except ValueError:
            continue
    raise ValueError(f"unrecognised date: {value!r}")


def wanted(code: str) -> bool:
    return code[:1] in ("J", "Q") or code in ("G0008", "G0009", "G0010")


SOURCE_COLUMNS = ("hcpcs_code", "long_description", "short_description", "add_date", "termination_date")


def read_source(source: Path) -> list[dict]:
    """Read a CSV in the layout of shared/data/cms/hcpcs_level2.csv.

    Raises ValueError naming the missing columns.
    """
    with source.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = set(SOURCE_COLUMNS) - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{source}: missing columns {sorted(missing)}")
        return list(reader)


def table_rows(records: list[dict], release: str) -> dict:
    """Turn source records (hcpcs_level2.csv column names) into hcpcs.csv rows.

    Keeps J and Q codes and G0008-G0010, parses the billing amount from each
    long descriptor and stamps `release` on every row. Returns the rows
    (sorted by code, keys OUT_COLUMNS) with the parser statistics. Also used
    by rules/kb_import.py (`shotcoder kb import hcpcs`). Raises ValueError on a
    duplicate code or an unreadable date.
    """
    out_rows = []
    stats: Counter = Counter()
    unparsed: list[tuple[str, str]] = []
    drug_no_amount: list[tuple[str, str]] = []
    seen: set[str] = set()
    for r in records:
        code = r["hcpcs_code"].strip().upper()
        if not wanted(code):
            continue
        if code in seen:
            raise ValueError(f"duplicate code in source: {code}")
        seen.add(code)
        long_desc = re.sub(r"\s+", " ", r["long_description"].strip())
        parsed = parse_amount(long_desc)
        assert parsed["amount_kind"] in KINDS
        assert parsed["unit"] in UNITS
        stats[parsed["how"]] += 1
        if parsed["how"] == "unparsed":
            unparsed.append((code, long_desc))
        elif parsed["how"] == "none" and (
            (r.get("pricing_indicator") or "").strip() == "51" or long_desc.lower().startswith("injection")
        ):
            drug_no_amount.append((code, long_desc))
        out_rows.append(
            {
                "code": code,
                "short_description": r["short_description"].strip(),
                "long_description": long_desc,
                "amount": parsed["amount"],
                "unit": parsed["unit"],
                "amount_kind": parsed["amount_kind"],
                "add_date": iso_date(r["add_date"]),
                "termination_date": iso_date(r["termination_date"]),
                "release": release,
            }
        )
    out_rows.sort(key=lambda x: x["code"])
    return {
        "rows": out_rows,
        "stats": stats,
        "unparsed": unparsed,
        "drug_no_amount": drug_no_amount,
    }


def write_table(rows: list[dict], out: Path) -> None:
    """Write hcpcs.csv rows (keys OUT_COLUMNS) with a header."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=OUT_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def build(source: Path, out: Path, release: str) -> dict:
    try:
        rep = table_rows(read_source(source), release)
    except ValueError as exc:
        raise SystemExit(str(exc)) from None
    write_table(rep["rows"], out)
    return {**rep, "rows": len(rep["rows"])}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", nargs="?", default=str(DEFAULT_SOURCE), help="HCPCS Level II CSV")
    ap.add_argument("--out", default=str(DEFAULT_OUT), help="output CSV (default rules/kb/hcpcs.csv)")
    ap.add_argument("--release", default=DEFAULT_RELEASE, help="release label written on every row")
    ap.add_argument("--sample", type=int, default=25, help="how many unparsed descriptors to print")
    args = ap.parse_args(argv)

    source = Path(args.source)
    if not source.exists():
        print(f"source not found: {source}", file=sys.stderr)
        return 2
    rep = build(source, Path(args.out), args.release)
    s = rep["stats"]
    with_amount = s["amount"] + s["combination"] + s["range"] + s["override"]
    print(f"wrote {rep['rows']} codes to {args.out}")
    print(f"  parsed, numeric amount:     {with_amount}"
          f" (plain {s['amount']}, combination {s['combination']}, range {s['range']}, override {s['override']})")
    print(f"  parsed, per dose/item:      {s['dose']}")
    print(f"  parsed, other basis (cm2):  {s['other']}")
    print(f"  no amount in descriptor:    {s['none'] + s['service']} (service/time basis {s['service']})")
    print(f"  unparsed (amount present):  {s['unparsed']}")
    for code, desc in rep["unparsed"][: args.sample]:
        print(f"    UNPARSED {code}: {desc}")
    if rep["drug_no_amount"]:
        print(f"  drug codes with no amount in the descriptor: {len(rep['drug_no_amount'])}")
        for code, desc in rep["drug_no_amount"][: args.sample]:
            print(f"    NO-AMOUNT {code}: {desc[:140]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
