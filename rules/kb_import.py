"""Rules layer: import newer CMS files into the knowledge-base tables (``shotcoder kb import``).

One function per source kind reads a file in the form CMS publishes it, builds the project's
table layout, validates every row with the row models of :mod:`rules.kb`, reports what changed
against the table in place, and replaces the table atomically (temporary file, then
``os.replace``) unless ``dry_run``:

* :func:`import_hcpcs`: HCPCS Level II quarterly ``HCPC20YY_MMM_ANWEB*.xlsx`` (or its CSV export,
  or the ``hcpcs_level2.csv`` layout) into ``hcpcs.csv``. Billing amounts come from the parser of
  ``rules/hcpcs_table.py`` (also run by ``scripts/build_hcpcs_table.py``), so there is one parser. Rows are
  merged by code: codes missing from the file are kept, because CMS drops codes terminated
  years ago while ``drugs.csv`` and older dates of service still need them.
* :func:`import_mue`: NCCI MUE practitioner table into ``cms/mue_practitioner.csv`` (replaced).
* :func:`import_ptp`: NCCI PTP practitioner edits (``ccipra-*-f1..f4``) into
  ``cms/ptp_96372.csv``, keeping pairs with 96372 (replaced; give every part in one call).
* :func:`import_ndc`: ASP NDC-HCPCS crosswalk into ``cms/ndc_hcpcs_crosswalk.csv`` (replaced).

Sources may be ``.xlsx``, ``.csv``/``.txt`` (comma or tab separated) or a ``.zip`` holding one of
them. Banner lines above the header are skipped: the header is the first of the first
:data:`HEADER_SCAN_ROWS` rows that names the required columns. Row numbers in messages count rows
as a spreadsheet shows them. The release is written on every row (``release`` column), which is
what ``shotcoder kb info`` shows. Only tables are read and written; no note text is involved.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import ModuleType
from typing import Any

from pydantic import ValidationError

from models import ErrorCode, ShotcoderError
from rules.drug import normalize_ndc
from rules.kb import HcpcsRow, MueRow, NdcRow, PtpRow, Row, _read_csv

HCPCS_TABLE = "hcpcs.csv"
MUE_TABLE = "cms/mue_practitioner.csv"
PTP_TABLE = "cms/ptp_96372.csv"
NDC_TABLE = "cms/ndc_hcpcs_crosswalk.csv"
TABLES = {"hcpcs": HCPCS_TABLE, "mue": MUE_TABLE, "ptp": PTP_TABLE, "ndc": NDC_TABLE}

MUE_COLUMNS = (*MueRow.model_fields, "release")
PTP_COLUMNS = (*PtpRow.model_fields, "effective_date", "release")
NDC_COLUMNS = (*NdcRow.model_fields, "release")

HEADER_SCAN_ROWS = 60
"""How many leading rows may hold banner text before the header row."""

PTP_CODE = "96372"
MAI_LABELS = {1: "Line Edit", 2: "Date of Service Edit: Policy", 3: "Date of Service Edit: Clinical"}
EM_CODES = frozenset(
    str(c)
    for lo, hi in ((99202, 99205), (99211, 99215), (99381, 99387), (99391, 99397))
    for c in range(lo, hi + 1)
)
DESCRIPTOR_WIDTH = 80
"""Width of the LONG DESCRIPTION field of one HCPCS record; longer descriptors continue."""

_CODE_RE = re.compile(r"^[A-Z0-9]{5}$")
_LEVEL2_RE = re.compile(r"^[A-Z]\d{4}$")
_DATA_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")


@dataclass(frozen=True)
class Change:
    """One changed field of a row present before and after the import."""

    key: str
    field: str
    old: str
    new: str


@dataclass
class ImportReport:
    """What an import changed (or, with ``dry_run``, would change) in one table.

    Attributes:
        kind: ``hcpcs``, ``mue``, ``ptp`` or ``ndc``.
        table: The table file.
        sources: The source files (zip members as ``archive:member``).
        release: The release written on every imported row.
        dry_run: Nothing was written.
        rows_before: Rows in the table before.
        rows_after: Rows in the table after.
        added: Keys (code, ``col1/col2`` pair, NDC) new in the table.
        terminated: Keys whose termination (HCPCS) or deletion (PTP) date is newly set.
        removed: Keys no longer in the table (tables replaced whole: MUE, PTP, NDC).
        kept: HCPCS codes absent from the source and carried over unchanged.
        changed: Field changes of keys present before and after (amount, unit, MUE value, ...).
        notes: Warnings worth reading (unparsed descriptors, skipped rows, conflicts).
        written: The table was replaced.
    """

    kind: str
    table: Path
    sources: tuple[str, ...]
    release: str
    dry_run: bool
    rows_before: int = 0
    rows_after: int = 0
    added: list[str] = field(default_factory=list)
    terminated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def changed_keys(self) -> list[str]:
        """Keys with at least one changed field, in report order."""
        return list(dict.fromkeys(c.key for c in self.changed))

    def summary(self, limit: int = 20) -> str:
        """A short plain-text account: counts, then the first ``limit`` keys of each list."""

        def listing(keys: Sequence[str]) -> str:
            more = f" ... (+{len(keys) - limit} more)" if len(keys) > limit else ""
            return ", ".join(keys[:limit]) + more

        state = "dry run, nothing written" if self.dry_run else (
            "written" if self.written else "not written")
        out = [
            f"kb import {self.kind}: {', '.join(self.sources)} -> {self.table} ({state})",
            f"release: {self.release}",
            f"rows: {self.rows_before} -> {self.rows_after}",
            f"added {len(self.added)}, terminated {len(self.terminated)}, "
            f"changed {len(self.changed_keys)}, removed {len(self.removed)}"
            + (f", not in source (kept) {len(self.kept)}" if self.kind == "hcpcs" else ""),
        ]
        if self.added:
            out.append(f"  added: {listing(self.added)}")
        if self.terminated:
            out.append(f"  terminated: {listing(self.terminated)}")
        if self.changed:
            by_key: dict[str, list[str]] = {}
            for c in self.changed:
                by_key.setdefault(c.key, []).append(
                    c.field if c.field.endswith("description") or c.field.endswith("rationale")
                    else f"{c.field} {c.old or '-'} -> {c.new or '-'}"
                )
            keys = list(by_key)
            shown = [f"{k} ({'; '.join(by_key[k])})" for k in keys[:limit]]
            more = f" ... (+{len(keys) - limit} more)" if len(keys) > limit else ""
            out.append(f"  changed: {', '.join(shown)}{more}")
        if self.removed:
            out.append(f"  removed: {listing(self.removed)}")
        out.extend(f"note: {n}" for n in self.notes)
        return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# Reading CMS tables: xlsx / csv / txt / zip, banner lines, header detection
# ---------------------------------------------------------------------------------------------


def _fail(source: str, message: str, row: int | None = None) -> ShotcoderError:
    where = f"{source} row {row}" if row is not None else source
    return ShotcoderError(ErrorCode.KB_INVALID, f"{where}: {message}", file=source, row=row)


def _text(v: Any) -> str:
    """A cell as trimmed text: integral floats lose ``.0``, dates become ISO."""
    if v is None:
        return ""
    if isinstance(v, float):
        if v.is_integer():
            return str(int(v))
        return format(Decimal(repr(v)).normalize(), "f")
    if isinstance(v, datetime):
        return v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return re.sub(r"\s+", " ", str(v)).strip()


def _code(v: Any) -> str:
    """A HCPCS/CPT code cell; a number (spreadsheets drop leading zeros) is padded to 5 digits."""
    if isinstance(v, int | float) and not isinstance(v, bool) and float(v).is_integer():
        return str(int(v)).zfill(5)
    return _text(v).upper()


def _squash(v: Any) -> str:
    return re.sub(r"[^a-z0-9]", "", _text(v).lower())


def _as_date(v: Any) -> date | None:
    """A date cell (Excel date, YYYYMMDD number or text, ISO, M/D/Y); None when blank."""
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    s = _text(v)
    if not s:
        return None
    for fmt in ("%Y%m%d", "%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%Y/%m/%d"):
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"not a date: {s!r}")


@dataclass(frozen=True)
class _Spec:
    """Which header row to look for: field name -> test on the squashed header cell."""

    what: str
    fields: dict[str, Callable[[str], bool]]
    required: frozenset[str]
    member_rank: Callable[[str], int] = lambda name: 0


@dataclass
class _Table:
    name: str
    header_row: int
    columns: dict[str, int]
    rows: Iterator[tuple[int, list[Any]]]

    def get(self, cells: list[Any], name: str) -> Any:
        i = self.columns.get(name)
        return cells[i] if i is not None and i < len(cells) else None


def _match_header(cells: Sequence[Any], spec: _Spec) -> dict[str, int] | None:
    cols: dict[str, int] = {}
    for i, cell in enumerate(cells):
        s = _squash(cell)
        if not s:
            continue
        for name, test in spec.fields.items():
            if name not in cols and test(s):
                cols[name] = i
                break
    return cols if spec.required <= cols.keys() else None


def _find_table(name: str, rows: Iterator[Sequence[Any]], spec: _Spec) -> _Table | None:
    numbered = enumerate(rows, start=1)
    for n, cells in numbered:
        cols = _match_header(cells, spec)
        if cols is not None:
            return _Table(name, n, cols, ((m, list(c)) for m, c in numbered))
        if n >= HEADER_SCAN_ROWS:
            break
    return None


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _text_rows(data: bytes) -> Iterator[list[str]]:
    text = _decode(data)
    sample = text[:65536]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _candidates(source: Path, spec: _Spec) -> Iterator[tuple[str, str, bytes]]:
    suffix = source.suffix.lower()
    if suffix == ".zip":
        try:
            with zipfile.ZipFile(source) as zf:
                members = [
                    m for m in zf.infolist()
                    if not m.is_dir()
                    and Path(m.filename).suffix.lower() in _DATA_SUFFIXES
                    and not Path(m.filename).name.startswith(("~$", "._"))
                ]
                members.sort(key=lambda m: (
                    spec.member_rank(Path(m.filename).name.lower()),
                    _DATA_SUFFIXES.index(Path(m.filename).suffix.lower()),
                    m.filename,
                ))
                for m in members:
                    yield (f"{source.name}:{m.filename}", Path(m.filename).suffix.lower(),
                           zf.read(m))
        except zipfile.BadZipFile:
            raise _fail(source.name, "not a readable zip archive") from None
    elif suffix in _DATA_SUFFIXES:
        yield source.name, suffix, source.read_bytes()
    elif suffix == ".xls":
        raise _fail(source.name, "the old Excel .xls format is not read: save it as .xlsx or .csv")
    else:
        raise _fail(source.name, f"unsupported file type {suffix or '(none)'!r}: give .xlsx, "
                                 ".csv, .txt or a .zip holding one")


@contextmanager
def _open_table(source: Path, spec: _Spec) -> Iterator[_Table]:
    """Yield the first table in ``source`` whose header row matches ``spec``."""
    if not source.is_file():
        raise _fail(source.name, "file not found")
    try:
        for name, suffix, data in _candidates(source, spec):
            if suffix in (".xlsx", ".xlsm"):
                from openpyxl import load_workbook

                try:
                    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
                except Exception as exc:  # openpyxl raises many types for a broken workbook
                    raise _fail(name, f"not a readable .xlsx workbook ({exc.__class__.__name__})"
                                ) from None
                try:
                    for ws in wb.worksheets:
                        if hasattr(ws, "reset_dimensions"):
                            ws.reset_dimensions()  # CMS workbooks may carry a stale dimension
                        table = _find_table(name, ws.iter_rows(values_only=True), spec)
                        if table is not None:
                            yield table
                            return
                finally:
                    wb.close()
            else:
                table = _find_table(name, _text_rows(data), spec)
                if table is not None:
                    yield table
                    return
    except OSError as exc:
        raise _fail(source.name, f"cannot read: {exc.strerror or exc}") from None
    raise _fail(source.name, f"no {spec.what} header row in the first {HEADER_SCAN_ROWS} rows "
                             f"(looked for columns: {', '.join(sorted(spec.required))})")


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------------------------------------
# Validating, diffing and writing
# ---------------------------------------------------------------------------------------------


def _validate(model: type[Row], rows: Sequence[dict[str, str]],
              origin: Callable[[int], tuple[str, int]], key: str) -> None:
    """Validate each new row with the table's row model; errors name the source file and row."""
    for i, data in enumerate(rows):
        try:
            model.model_validate({k: v for k, v in data.items() if k in model.model_fields})
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(x) for x in first["loc"])
            name, row = origin(i)
            raise _fail(name, f"{data.get(key, '')}: {where}: {first['msg']}", row) from None


def _read_existing(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _commit(target: Path, columns: Sequence[str], rows: Sequence[dict[str, str]],
            model: type[Row], key: str | None, *, dry_run: bool) -> bool:
    """Write ``rows`` to a temporary file beside ``target``, load it back, then replace."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                        dir=target.parent)
    except OSError as exc:
        raise ShotcoderError(ErrorCode.INVALID_REQUEST,
                             f"cannot write beside {target}: {exc.strerror or exc}") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(columns), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            _read_csv(tmp, model, key)
        except ShotcoderError as exc:
            context = {k: v for k, v in exc.context.items() if k != "file"}
            raise ShotcoderError(exc.code, exc.message.replace(tmp.name, target.name),
                                 file=str(target), **context) from None
        if dry_run:
            return False
        if target.exists():
            shutil.copymode(target, tmp)
        else:
            tmp.chmod(0o644)
        os.replace(tmp, target)
        return True
    finally:
        tmp.unlink(missing_ok=True)


def _diff_fields(report: ImportReport, key: str, old: dict[str, str], new: dict[str, str],
                 fields: Sequence[str]) -> None:
    for f in fields:
        a, b = (old.get(f) or "").strip(), (new.get(f) or "").strip()
        if a != b:
            report.changed.append(Change(key, f, a, b))


def _diff_keyed(report: ImportReport, old: dict[str, dict[str, str]],
                new: dict[str, dict[str, str]], fields: Sequence[str]) -> None:
    report.added = sorted(new.keys() - old.keys())
    report.removed = sorted(old.keys() - new.keys())
    for k in sorted(new.keys() & old.keys()):
        _diff_fields(report, k, old[k], new[k], fields)


def _quarter(release: str) -> str:
    m = re.search(r"\b(\d{4}) Q([1-4])\b", release)
    return f"{m.group(1)} Q{m.group(2)}" if m else release


# ---------------------------------------------------------------------------------------------
# HCPCS Level II
# ---------------------------------------------------------------------------------------------


def _in(*names: str) -> Callable[[str], bool]:
    wanted = frozenset(names)
    return lambda s: s in wanted


_HCPCS_SPEC = _Spec(
    what="HCPCS (HCPC, LONG DESCRIPTION, ...)",
    fields={
        "code": _in("hcpc", "hcpcs", "hcpcscode"),
        "seqnum": _in("seqnum"),
        "recid": _in("recid"),
        "long": _in("longdescription"),
        "short": _in("shortdescription"),
        "price1": _in("price1", "pricingindicator"),
        "add": _in("adddt", "adddate"),
        "term": _in("termdt", "termdate", "terminationdate"),
    },
    required=frozenset({"code", "long", "short", "add", "term"}),
    member_rank=lambda n: 0 if "anweb" in n and "trans" not in n else 1,
)


def _builder() -> ModuleType:
    """The one HCPCS descriptor parser (``rules/hcpcs_table.py``)."""
    from rules import hcpcs_table

    return hcpcs_table


def join_descriptor(parts: Sequence[str]) -> str:
    """Join the LONG DESCRIPTION pieces of one code (RECID 3 row, then RECID 4 rows).

    CMS cuts a descriptor into fields of :data:`DESCRIPTOR_WIDTH` characters. Pieces are joined
    as they are when whitespace meets at the seam or the earlier piece fills the whole field (a
    cut inside a word); otherwise the cut fell between words whose space a spreadsheet trimmed,
    and one space is put back. Whitespace is then collapsed.
    """
    out = ""
    prev = ""
    for part in parts:
        if not out:
            out = part
        elif prev[-1:].isspace() or part[:1].isspace() or len(prev) >= DESCRIPTOR_WIDTH:
            out += part
        else:
            out += " " + part
        prev = part
    return re.sub(r"\s+", " ", out).strip()


def _hcpcs_records(t: _Table, builder: ModuleType) -> tuple[list[dict[str, str]], dict[str, int],
                                                           int]:
    """Source records in the hcpcs_level2.csv layout, continuation rows joined."""
    procs: dict[str, dict[str, Any]] = {}
    has_recid = "recid" in t.columns
    skipped = 0
    for n, cells in t.rows:
        code = _code(t.get(cells, "code"))
        recid = _text(t.get(cells, "recid"))
        if not code or recid in ("7", "8") or len(code) == 2:
            continue  # blank rows and modifier records
        if not _LEVEL2_RE.match(code):
            skipped += 1
            continue
        if not builder.wanted(code):
            continue
        raw = t.get(cells, "long")
        piece = "" if raw is None else (raw if isinstance(raw, str) else _text(raw))
        seq = _text(t.get(cells, "seqnum"))
        if has_recid and recid == "4":
            if code not in procs:
                raise _fail(t.name, f"{code}: continuation row (RECID 4) before the code's first "
                                    "row (RECID 3)", n)
            procs[code]["parts"].append((seq, piece))
            continue
        if has_recid and recid not in ("3", ""):
            raise _fail(t.name, f"{code}: unknown RECID {recid!r} (3 code, 4 continuation, "
                                "7/8 modifier)", n)
        if code in procs:
            raise _fail(t.name, f"duplicate code {code} (first at row {procs[code]['row']})", n)
        try:
            add = _as_date(t.get(cells, "add"))
            term = _as_date(t.get(cells, "term"))
        except ValueError as exc:
            raise _fail(t.name, f"{code}: {exc}", n) from None
        procs[code] = {
            "row": n,
            "parts": [(seq, piece)],
            "short": _text(t.get(cells, "short")),
            "add": add.isoformat() if add else "",
            "term": term.isoformat() if term else "",
            "price1": _text(t.get(cells, "price1")),
        }
    records = []
    origin = {}
    for code, p in procs.items():
        parts = p["parts"]
        if all(s.isdigit() for s, _ in parts):
            parts = sorted(parts, key=lambda sp: int(sp[0]))
        records.append({
            "hcpcs_code": code,
            "long_description": join_descriptor([piece for _, piece in parts]),
            "short_description": p["short"],
            "add_date": p["add"],
            "termination_date": p["term"],
            "pricing_indicator": p["price1"],
        })
        origin[code] = p["row"]
    return records, origin, skipped


def _same_amount(a: str, b: str) -> bool:
    try:
        return (Decimal(a) if a else None) == (Decimal(b) if b else None)
    except InvalidOperation:
        return a == b


def import_hcpcs(source: Path, kb_dir: Path, *, release: str, dry_run: bool) -> ImportReport:
    """Merge a HCPCS Level II quarterly file into ``hcpcs.csv``.

    Args:
        source: ``HCPC20YY_MMM_ANWEB*.xlsx``, its CSV export (same header names), the
            ``hcpcs_level2.csv`` layout, or a zip holding one of them.
        kb_dir: The knowledge-base directory.
        release: Release name written on every row from this file.
        dry_run: Validate and report only.

    Returns:
        The changes: codes added, codes newly terminated, amount/unit/kind, termination date and
        descriptor changes, codes absent from the source (kept as they were).

    Raises:
        ShotcoderError: ``kb_invalid`` naming the source file and row of the first bad row.
    """
    builder = _builder()
    target = kb_dir / HCPCS_TABLE
    with _open_table(source, _HCPCS_SPEC) as t:
        name = t.name
        records, origin, skipped = _hcpcs_records(t, builder)
    if not records:
        raise _fail(name, "no J, Q or G0008-G0010 codes found")
    try:
        built = builder.table_rows(records, release)
    except ValueError as exc:
        raise _fail(name, str(exc)) from None
    new_rows: list[dict[str, str]] = built["rows"]
    _validate(HcpcsRow, new_rows, lambda i: (name, origin[new_rows[i]["code"]]), "code")

    old_rows = {r["code"]: r for r in _read_existing(target)}
    new = {r["code"]: r for r in new_rows}
    report = ImportReport("hcpcs", target, (name,), release, dry_run, rows_before=len(old_rows))
    report.added = sorted(new.keys() - old_rows.keys())
    report.kept = sorted(old_rows.keys() - new.keys())
    for code in sorted(new.keys() & old_rows.keys()):
        old, cur = old_rows[code], new[code]
        if not _same_amount(old.get("amount", ""), cur["amount"]):
            report.changed.append(Change(code, "amount", old.get("amount", ""), cur["amount"]))
        _diff_fields(report, code, old, cur, ("unit", "amount_kind"))
        old_term = (old.get("termination_date") or "").strip()
        if not old_term and cur["termination_date"]:
            report.terminated.append(code)
        elif old_term != cur["termination_date"]:
            report.changed.append(Change(code, "termination_date", old_term,
                                         cur["termination_date"]))
        _diff_fields(report, code, old, cur, ("long_description",))

    columns = builder.OUT_COLUMNS
    merged = {**{k: {c: v.get(c) or "" for c in columns} for k, v in old_rows.items()}, **new}
    rows = [merged[k] for k in sorted(merged)]
    report.rows_after = len(rows)
    if built["unparsed"]:
        codes = ", ".join(c for c, _ in built["unparsed"][:10])
        report.notes.append(f"{len(built['unparsed'])} descriptor(s) carry an amount the parser "
                            f"could not read (unit other, amount_kind none): {codes}")
    if built["drug_no_amount"]:
        report.notes.append(f"{len(built['drug_no_amount'])} drug code(s) have no amount in the "
                            "descriptor (as in earlier releases)")
    if skipped:
        report.notes.append(f"{skipped} row(s) without a Level II code were skipped")
    report.written = _commit(target, columns, rows, HcpcsRow, "code", dry_run=dry_run)
    return report


# ---------------------------------------------------------------------------------------------
# NCCI MUE (practitioner)
# ---------------------------------------------------------------------------------------------


def _is_code_header(s: str) -> bool:
    return s in ("hcpcscptcode", "cpthcpcscode", "hcpcscode", "cptcode", "hcpcs", "code") or (
        ("hcpcs" in s or "cpt" in s) and s.endswith("code"))


_MUE_SPEC = _Spec(
    what="MUE (HCPCS/CPT Code, ... MUE Values, ...)",
    fields={
        "code": _is_code_header,
        # Practitioner values only: the outpatient-hospital and DME tables have their own.
        "value": lambda s: "muevalue" in s and not re.search(r"outpatient|hospital|dme", s),
        "mai": lambda s: "adjudicationindicator" in s or s == "mai",
        "rationale": lambda s: "rationale" in s,
    },
    required=frozenset({"code", "value", "mai"}),
    member_rank=lambda n: 0 if "practitioner" in n and "change" not in n else 1,
)


def _whole(v: Any) -> int:
    s = _text(v)
    try:
        d = Decimal(s)
    except InvalidOperation:
        raise ValueError(f"not a whole number: {s!r}") from None
    if d != d.to_integral_value() or d < 0:
        raise ValueError(f"not a whole number: {s!r}")
    return int(d)


def import_mue(source: Path, kb_dir: Path, *, release: str, dry_run: bool) -> ImportReport:
    """Replace ``cms/mue_practitioner.csv`` with a CMS MUE practitioner table.

    Args:
        source: ``MCR_MUE_PractitionerServices_Eff_MM-DD-YYYY`` as .xlsx or .csv (copyright
            banner above the header allowed), or the zip CMS publishes.
        kb_dir: The knowledge-base directory.
        release: Release name written on every row.
        dry_run: Validate and report only.

    Returns:
        Codes added and removed, and MUE value, MAI and rationale changes.

    Raises:
        ShotcoderError: ``kb_invalid`` naming the source file and row of the first bad row.
    """
    target = kb_dir / MUE_TABLE
    new: dict[str, dict[str, str]] = {}
    origin: dict[str, int] = {}
    skipped = 0
    with _open_table(source, _MUE_SPEC) as t:
        name = t.name
        for n, cells in t.rows:
            code = _code(t.get(cells, "code"))
            if not _CODE_RE.match(code):
                skipped += bool(code)
                continue
            try:
                value = _whole(t.get(cells, "value"))
            except ValueError as exc:
                raise _fail(name, f"{code}: MUE value: {exc}", n) from None
            m = re.match(r"\s*([123])(?!\d)", _text(t.get(cells, "mai")))
            if m is None:
                raise _fail(name, f"{code}: MUE adjudication indicator "
                                  f"{_text(t.get(cells, 'mai'))!r} is not 1, 2 or 3", n)
            if code in new:
                raise _fail(name, f"duplicate code {code} (first at row {origin[code]})", n)
            mai = int(m.group(1))
            new[code] = {
                "hcpcs_code": code,
                "mue_value": str(value),
                "mai": str(mai),
                "mai_description": MAI_LABELS[mai],
                "mue_rationale": _text(t.get(cells, "rationale")),
                "release": release,
            }
            origin[code] = n
    if not new:
        raise _fail(name, "no MUE rows below the header")
    rows = [new[k] for k in sorted(new)]
    _validate(MueRow, rows, lambda i: (name, origin[rows[i]["hcpcs_code"]]), "hcpcs_code")
    old = {r["hcpcs_code"]: r for r in _read_existing(target)}
    report = ImportReport("mue", target, (name,), release, dry_run, rows_before=len(old),
                          rows_after=len(rows))
    _diff_keyed(report, old, new, ("mue_value", "mai", "mue_rationale"))
    if skipped:
        report.notes.append(f"{skipped} row(s) below the header without a code were skipped")
    report.written = _commit(target, MUE_COLUMNS, rows, MueRow, "hcpcs_code", dry_run=dry_run)
    return report


# ---------------------------------------------------------------------------------------------
# NCCI PTP (practitioner), pairs with 96372
# ---------------------------------------------------------------------------------------------

_PTP_SPEC = _Spec(
    what="PTP (Column 1, Column 2, ...)",
    fields={
        "col1": _in("column1"),
        "col2": _in("column2"),
        "prior1996": lambda s: "1996" in s,
        "effective": lambda s: s.startswith("effective"),
        "deletion": lambda s: s.startswith("deletion"),
        "modifier": lambda s: s.startswith("modifier"),
        "rationale": lambda s: "rationale" in s,
    },
    required=frozenset({"col1", "col2", "deletion", "modifier"}),
    member_rank=lambda n: 0 if n.startswith("ccipra") else 1,
)


def _ncci_date(v: Any, *, star: bool) -> str:
    """YYYYMMDD, or ``*`` (no deletion) when ``star`` and the cell is ``*`` or blank."""
    if star and _text(v) in ("*", ""):
        return "*"
    d = _as_date(v)
    return d.strftime("%Y%m%d") if d else ""


def import_ptp(sources: Path | Sequence[Path], kb_dir: Path, *, release: str, dry_run: bool,
               as_of: date | None = None) -> ImportReport:
    """Replace ``cms/ptp_96372.csv`` with the 96372 pairs of the CMS practitioner PTP files.

    CMS splits the practitioner edits into parts (``ccipra-vNNNrN-f1`` .. ``f4``) by column-1
    code: give every part in one call, since the table is rebuilt from what is given.

    Args:
        sources: The part files (.txt tab-separated, .csv, .xlsx, or the zips CMS publishes).
        kb_dir: The knowledge-base directory.
        release: Release name written on every row.
        dry_run: Validate and report only.
        as_of: The date ``active_2024q3`` is computed for (default: today, the import date):
            Y when the edit is in effect that day (effective on or before it, deletion ``*`` or
            on or after it).

    Returns:
        Pairs (``col1/col2``) added, removed, newly deleted (``terminated``) and changed
        (modifier indicator, rationale, reinstated).

    Raises:
        ShotcoderError: ``kb_invalid`` naming the source file and row of the first bad row.
    """
    paths = [sources] if isinstance(sources, Path) else list(sources)
    if not paths:
        raise ShotcoderError(ErrorCode.INVALID_REQUEST, "no PTP file given")
    if len({p.resolve() for p in paths}) != len(paths):
        raise ShotcoderError(ErrorCode.INVALID_REQUEST, "a PTP file is given twice")
    cutoff = (as_of or date.today()).strftime("%Y%m%d")
    target = kb_dir / PTP_TABLE
    found: dict[tuple[str, ...], tuple[dict[str, str], str, int]] = {}
    names: list[str] = []
    duplicates = skipped = 0
    for path in paths:
        with _open_table(path, _PTP_SPEC) as t:
            names.append(t.name)
            for n, cells in t.rows:
                c1, c2 = _code(t.get(cells, "col1")), _code(t.get(cells, "col2"))
                if not (_CODE_RE.match(c1) and _CODE_RE.match(c2)):
                    skipped += bool(c1 or c2)
                    continue
                if PTP_CODE not in (c1, c2):
                    continue
                try:
                    deletion = _ncci_date(t.get(cells, "deletion"), star=True)
                    effective = _ncci_date(t.get(cells, "effective"), star=False)
                except ValueError as exc:
                    raise _fail(t.name, f"{c1}/{c2}: {exc}", n) from None
                modifier = _text(t.get(cells, "modifier"))
                if modifier not in ("0", "1", "9"):
                    raise _fail(t.name, f"{c1}/{c2}: modifier indicator {modifier!r} is not "
                                        "0, 1 or 9", n)
                active = (deletion == "*" or deletion >= cutoff) and effective <= cutoff
                other = c2 if c1 == PTP_CODE else c1
                row = {
                    "column_1": c1,
                    "column_2": c2,
                    "deletion_date": deletion,
                    "modifier_indicator": modifier,
                    "ptp_edit_rationale": _text(t.get(cells, "rationale")),
                    "active_2024q3": "Y" if active else "N",
                    "em_pair": "Y" if other in EM_CODES else "N",
                    "effective_date": effective,
                    "release": release,
                }
                key = tuple(row.values())
                if key in found:
                    duplicates += 1
                    continue
                found[key] = (row, t.name, n)
    ordered = sorted(found.values(), key=lambda x: (
        x[0]["column_1"], x[0]["column_2"], x[0]["effective_date"], x[0]["deletion_date"]))
    rows = [r for r, _, _ in ordered]
    if not rows:
        raise _fail(", ".join(names), f"no pairs with {PTP_CODE} found")
    _validate(PtpRow, rows, lambda i: (ordered[i][1], ordered[i][2]), "column_1")

    old_rows = _read_existing(target)
    report = ImportReport("ptp", target, tuple(names), release, dry_run,
                          rows_before=len(old_rows), rows_after=len(rows))
    _diff_ptp(report, old_rows, rows)
    parts = {int(m.group(1)) for p in paths if (m := re.search(r"-f(\d)(?!\d)", p.name, re.I))}
    if parts and parts != {1, 2, 3, 4}:
        report.notes.append(
            f"only part(s) {', '.join(f'f{p}' for p in sorted(parts))} given: pairs held in the "
            "other parts are not in the new table")
    if duplicates:
        report.notes.append(f"{duplicates} repeated row(s) were written once")
    if skipped:
        report.notes.append(f"{skipped} row(s) below the header without two codes were skipped")
    report.notes.append(f"active_2024q3 means: in effect on {cutoff[:4]}-{cutoff[4:6]}-"
                        f"{cutoff[6:]} (the import date)")
    report.written = _commit(target, PTP_COLUMNS, rows, PtpRow, None, dry_run=dry_run)
    return report


def _diff_ptp(report: ImportReport, old_rows: list[dict[str, str]],
              new_rows: list[dict[str, str]]) -> None:
    def by_pair(rows: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
        out: dict[str, list[dict[str, str]]] = {}
        for r in rows:
            out.setdefault(f"{r['column_1']}/{r['column_2']}", []).append(r)
        return out

    def current(rows: list[dict[str, str]]) -> dict[str, str] | None:
        return next((r for r in rows if r.get("deletion_date") == "*"), None)

    old, new = by_pair(old_rows), by_pair(new_rows)
    report.added = sorted(new.keys() - old.keys())
    report.removed = sorted(old.keys() - new.keys())
    for pair in sorted(new.keys() & old.keys()):
        was, now = current(old[pair]), current(new[pair])
        if was is not None and now is None:
            report.terminated.append(pair)
        elif was is None and now is not None:
            report.changed.append(Change(pair, "deletion_date", "deleted", "*"))
        elif was is not None and now is not None:
            _diff_fields(report, pair, was, now, ("modifier_indicator", "ptp_edit_rationale"))


# ---------------------------------------------------------------------------------------------
# ASP NDC-HCPCS crosswalk
# ---------------------------------------------------------------------------------------------


def _is_ndc_code_header(s: str) -> bool:
    return bool(re.fullmatch(r"\d{4}code", s)) or s in ("hcpcscode", "hcpcs", "code") or (
        s.startswith("hcpcs") and "code" in s and "dosage" not in s)


_NDC_SPEC = _Spec(
    what="ASP NDC-HCPCS crosswalk (_YYYY_CODE/HCPCS Code, NDC2, ...)",
    fields={
        "code": _is_ndc_code_header,
        "ndc": _in("ndc2", "ndc", "ndc11"),
        "labeler": _in("labelername"),
        "drug": _in("drugname"),
        "dosage": lambda s: s in ("hcpcsdosage", "hcpcscodedosage", "dosage"),
        "pkg_size": _in("pkgsize"),
        "pkg_qty": _in("pkgqty"),
        "billunits": _in("billunits"),
        "billunitspkg": _in("billunitspkg"),
    },
    required=frozenset({"code", "ndc", "billunits", "billunitspkg"}),
    member_rank=lambda n: 0 if "crosswalk" in n and not re.search(r"awp|opps|prep|noc", n) else 1,
)


def ndc11(v: Any) -> str:
    """An NDC cell as 11 digits.

    Hyphenated 4-4-2, 5-3-2, 5-4-1 and 5-4-2 forms are padded as in DRUG-08
    (:func:`rules.drug.normalize_ndc`). A number (a spreadsheet dropped the leading zeros) is
    padded to 11 digits. Unhyphenated text must already have 11 digits.

    Raises:
        ValueError: Any other shape.
    """
    if isinstance(v, int | float) and not isinstance(v, bool) and float(v).is_integer():
        s = str(int(v))
        if len(s) <= 11:
            return s.zfill(11)
    text = _text(v)
    norm = normalize_ndc(text)
    if norm is None:
        raise ValueError(f"NDC {text!r} is not 11 digits or a 4-4-2/5-3-2/5-4-1/5-4-2 form")
    return norm.replace("-", "")


def import_ndc(source: Path, kb_dir: Path, *, release: str, dry_run: bool) -> ImportReport:
    """Replace ``cms/ndc_hcpcs_crosswalk.csv`` with a CMS ASP NDC-HCPCS crosswalk.

    Args:
        source: The crosswalk as .csv or .xlsx (banner lines above the header allowed), or the
            zip CMS publishes.
        kb_dir: The knowledge-base directory.
        release: Release name written on every row; its ``YYYY Qn`` part (if any) also fills
            ``source_quarter``.
        dry_run: Validate and report only.

    Returns:
        NDCs added and removed, and HCPCS code, dosage, package and billing-unit changes.

    Raises:
        ShotcoderError: ``kb_invalid`` naming the source file and row of the first bad row.
    """
    target = kb_dir / NDC_TABLE
    digest = f"sha256:{_file_digest(source)[:16]}" if source.is_file() else ""
    new: dict[str, dict[str, str]] = {}
    origin: dict[str, int] = {}
    conflicts: list[str] = []
    repeated = skipped = 0
    with _open_table(source, _NDC_SPEC) as t:
        name = t.name
        for n, cells in t.rows:
            code = _code(t.get(cells, "code"))
            if not _CODE_RE.match(code):
                skipped += bool(code)
                continue
            try:
                ndc = ndc11(t.get(cells, "ndc"))
            except ValueError as exc:
                raise _fail(name, f"{code}: {exc}", n) from None
            if ndc in new:
                if new[ndc]["hcpcs_code"] == code:
                    repeated += 1
                else:
                    conflicts.append(f"{ndc} ({new[ndc]['hcpcs_code']} kept, {code} at row {n})")
                continue
            new[ndc] = {
                "hcpcs_code": code,
                "ndc11": ndc,
                "ndc_5_4_2": f"{ndc[:5]}-{ndc[5:9]}-{ndc[9:]}",
                "labeler_name": _text(t.get(cells, "labeler")),
                "drug_name": _text(t.get(cells, "drug")),
                "hcpcs_dosage": _text(t.get(cells, "dosage")),
                "pkg_size": _text(t.get(cells, "pkg_size")),
                "pkg_qty": _text(t.get(cells, "pkg_qty")),
                "bill_units_per_item": _text(t.get(cells, "billunits")),
                "bill_units_per_pkg": _text(t.get(cells, "billunitspkg")),
                "source_quarter": _quarter(release),
                "source_shard": name,
                "source_commit": digest,
                "release": release,
            }
            origin[ndc] = n
    if not new:
        raise _fail(name, "no crosswalk rows below the header")
    rows = [new[k] for k in sorted(new, key=lambda k: (new[k]["hcpcs_code"], k))]
    _validate(NdcRow, rows, lambda i: (name, origin[rows[i]["ndc11"]]), "ndc11")
    old = {r["ndc11"]: r for r in _read_existing(target)}
    report = ImportReport("ndc", target, (name,), release, dry_run, rows_before=len(old),
                          rows_after=len(rows))
    _diff_keyed(report, old, new, ("hcpcs_code", "hcpcs_dosage", "pkg_size", "pkg_qty",
                                   "bill_units_per_item", "bill_units_per_pkg"))
    if conflicts:
        report.notes.append(f"{len(conflicts)} NDC(s) crosswalked to more than one code; the "
                            f"first row is kept: {'; '.join(conflicts[:10])}")
    if repeated:
        report.notes.append(f"{repeated} repeated NDC row(s) were written once")
    if skipped:
        report.notes.append(f"{skipped} row(s) below the header without a code were skipped")
    report.written = _commit(target, NDC_COLUMNS, rows, NdcRow, "ndc11", dry_run=dry_run)
    return report


# ---------------------------------------------------------------------------------------------
# Dispatch, default release names, release shown by ``kb info``
# ---------------------------------------------------------------------------------------------


def run_import(kind: str, sources: Sequence[Path], kb_dir: Path, *, release: str,
               dry_run: bool, as_of: date | None = None) -> ImportReport:
    """Run the importer for ``kind`` (``hcpcs``, ``mue``, ``ptp`` or ``ndc``).

    Raises:
        ShotcoderError: ``invalid_request`` for an unknown kind or a wrong number of files;
            ``kb_invalid`` for a bad file.
    """
    if kind == "ptp":
        return import_ptp(sources, kb_dir, release=release, dry_run=dry_run, as_of=as_of)
    importers = {"hcpcs": import_hcpcs, "mue": import_mue, "ndc": import_ndc}
    if kind not in importers:
        raise ShotcoderError(ErrorCode.INVALID_REQUEST, f"unknown table kind {kind!r}")
    if len(sources) != 1:
        raise ShotcoderError(ErrorCode.INVALID_REQUEST, f"kb import {kind} takes one file")
    return importers[kind](sources[0], kb_dir, release=release, dry_run=dry_run)


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")
_MONTHS = {m[:3].upper(): i for i, m in enumerate(_MONTH_NAMES, start=1)}


def default_release(kind: str, sources: Sequence[Path]) -> str | None:
    """A release name read from CMS's file name, or None when the name does not tell it."""
    name = sources[0].name if sources else ""
    stem = re.sub(r"\.(zip|xlsx|xlsm|csv|txt|tsv)$", "", name, flags=re.I)
    quarter = re.search(r"(\d{4})[-_ ]?q([1-4])\b", name, re.I)
    if kind == "hcpcs":
        m = re.search(r"HCPC(\d{4})_([A-Z]{3})", name, re.I)
        if m and m.group(2).upper() in _MONTHS:
            month = _MONTH_NAMES[_MONTHS[m.group(2).upper()] - 1]
            return f"HCPCS {m.group(1)} {month} ({stem})"
    elif kind == "mue":
        m = re.search(r"Eff_(\d{2})-(\d{2})-(\d{4})", name, re.I)
        if m:
            return f"NCCI MUE practitioner, effective {m.group(3)}-{m.group(1)}-{m.group(2)}"
        if quarter:
            return f"NCCI MUE practitioner, {quarter.group(1)} Q{quarter.group(2)}"
    elif kind == "ptp":
        m = re.search(r"(ccipra-v\d+r\d+)", name, re.I)
        if m:
            return f"NCCI PTP practitioner {m.group(1).lower()}"
        if quarter:
            return f"NCCI PTP practitioner, {quarter.group(1)} Q{quarter.group(2)}"
    elif kind == "ndc":
        m = re.search(r"(January|April|July|October)[\s_-]*(\d{4})", name, re.I)
        if m:
            q = (_MONTHS[m.group(1)[:3].upper()] - 1) // 3 + 1
            return f"ASP NDC-HCPCS crosswalk, {m.group(2)} Q{q}"
        if quarter:
            return f"ASP NDC-HCPCS crosswalk, {quarter.group(1)} Q{quarter.group(2)}"
    return None


def table_releases(kb_dir: Path) -> dict[str, str]:
    """Release names recorded by an import in the CMS tables' ``release`` column.

    Returns:
        Table path (as ``KnowledgeBase.table_info`` names it) -> release, for tables whose first
        row carries one; tables not written by an import are absent.
    """
    out: dict[str, str] = {}
    for table in (MUE_TABLE, PTP_TABLE, NDC_TABLE):
        path = kb_dir / table
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            first = next(csv.DictReader(fh), None)
        if first and (first.get("release") or "").strip():
            out[table] = first["release"].strip()
    return out
