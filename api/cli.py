"""Interface layer: the ``shotcoder`` command line (code, batch, evaluate, serve, demo).

Errors go to stderr as one line with the stable error code; exit status 2 for bad input,
1 for a failed evaluation gate. Note text is never logged.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterator
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from api import __version__
from models import CodingResult, Encounter, ErrorCode, ShotcoderError
from models.errors import internal_error

log = logging.getLogger("shotcoder")


def _die(code: ErrorCode | str, message: str) -> int:
    print(f"error [{code}]: {message}", file=sys.stderr)
    return 2


def _validation_message(exc: ValidationError) -> str:
    first = exc.errors()[0]
    loc = ".".join(str(x) for x in first["loc"])
    return f"{loc or 'input'}: {first['msg']}"


def format_table(result: CodingResult) -> str:
    """A coder-facing plain-text rendering of a result (no note text beyond evidence spans)."""
    out = [
        f"Encounter {result.id}  status: {result.status.value.upper()}  "
        f"POS {result.place_of_service} ({result.place_of_service_source})  payer {result.payer}"
    ]
    out.append("")
    out.append(f"{'code':<7}{'mod':<10}{'units':>6}  {'dx':<22}rules / evidence")
    for line in result.lines:
        units = "?" if line.units is None else str(line.units)
        ev = "; ".join(f"{s.text!r}@{s.start}" for s in line.evidence[:3])
        out.append(
            f"{line.code:<7}{'-'.join(line.modifiers):<10}{units:>6}  "
            f"{','.join(line.dx):<22}{','.join(line.rule_ids)}  {ev}"
        )
    if not result.lines:
        out.append("(no billable lines)")
    out.append("")
    for adm in result.administrations:
        dose = f"{adm.dose.value} {adm.dose.unit.value}" if adm.dose else "dose ?"
        route = adm.route.value.value if adm.route else "route ?"
        site = (
            f"{adm.site.laterality or ''} {adm.site.location or ''} {adm.site.joint or ''}".strip()
            if adm.site
            else "site ?"
        )
        out.append(f"[{adm.id}] {adm.status.value:<12} {adm.drug.name}  {dose}  {route}  {site}")
    if result.diagnoses:
        out.append(
            "Diagnoses: "
            + ", ".join(f"{d.code}{'' if d.valid else ' (INVALID)'}" for d in result.diagnoses)
        )
    if result.findings:
        out.append("")
        out.extend(f"{f.severity.value.upper():<8}{f.rule_id:<8}{f.message}"
                   for f in result.findings)
    return "\n".join(out)


def _coder() -> Any:
    from api.coder import default_coder

    return default_coder()


def _read_encounter(args: argparse.Namespace) -> Encounter:
    if args.encounter:
        data = json.loads(Path(args.encounter).read_text(encoding="utf-8"))
        return Encounter.model_validate(data)
    if args.note in (None, "-"):
        text = sys.stdin.read()
    else:
        text = Path(args.note).read_text(encoding="utf-8")
    meta: dict[str, Any] = {"text": text}
    if args.pos:
        meta["place_of_service"] = args.pos
    if args.payer:
        meta["payer"] = args.payer
    if args.dos:
        meta["date_of_service"] = args.dos
    if args.patient_status:
        meta["patient_status"] = args.patient_status
    if args.em:
        meta["billed_em"] = args.em
    if args.id:
        meta["id"] = args.id
    return Encounter.model_validate(meta)


def cmd_code(args: argparse.Namespace) -> int:
    """``shotcoder code NOTE|- [metadata]`` or ``--encounter FILE``."""
    try:
        encounter = _read_encounter(args)
        result = _coder().code(encounter)
    except ValidationError as exc:
        return _die(ErrorCode.INVALID_ENCOUNTER, _validation_message(exc))
    except (OSError, UnicodeDecodeError) as exc:
        return _die(ErrorCode.INVALID_REQUEST, f"cannot read input: {exc.__class__.__name__}")
    except json.JSONDecodeError as exc:
        return _die(ErrorCode.INVALID_JSON, f"encounter file is not JSON (line {exc.lineno})")
    except ShotcoderError as exc:
        return _die(exc.code, exc.message)
    if args.format == "json":
        print(result.model_dump_json(indent=2))
    else:
        print(format_table(result))
    return 0


def iter_batch(lines: Iterator[str], coder: Any) -> Iterator[dict[str, Any]]:
    """Code a JSONL stream: one output record per input line, errors in place."""
    for lineno, raw in enumerate(lines, start=1):
        if not raw.strip():
            yield {
                "line": lineno,
                "error": {"code": ErrorCode.INVALID_REQUEST.value, "message": "empty line"},
            }
            continue
        try:
            data = json.loads(raw)
            encounter = Encounter.model_validate(data)
            yield json.loads(coder.code(encounter).model_dump_json())
        except json.JSONDecodeError:
            yield {
                "line": lineno,
                "error": {
                    "code": ErrorCode.INVALID_JSON.value,
                    "message": "line is not valid JSON",
                },
            }
        except ValidationError as exc:
            ident = data.get("id") if isinstance(data, dict) else None
            yield {
                "line": lineno,
                "id": ident,
                "error": {
                    "code": ErrorCode.INVALID_ENCOUNTER.value,
                    "message": _validation_message(exc),
                },
            }
        except ShotcoderError as exc:
            yield {"line": lineno, "error": {"code": exc.code.value, "message": exc.message}}
        except Exception as exc:  # a defect on one note never drops the rest of the batch
            log.error("coding failed on line %d: %s", lineno, type(exc).__name__)
            yield {"line": lineno, "error": internal_error(exc)}


def cmd_batch(args: argparse.Namespace) -> int:
    """``shotcoder batch IN.jsonl OUT.jsonl`` with a progress bar."""
    from tqdm import tqdm

    try:
        src = Path(args.input).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        return _die(ErrorCode.INVALID_REQUEST, f"cannot read {args.input}: {exc.strerror}")
    coder = _coder()
    errors = 0
    with Path(args.output).open("w", encoding="utf-8") as out:
        for record in tqdm(
            iter_batch(iter(src), coder),
            total=len(src),
            unit="note",
            disable=args.quiet,
            file=sys.stderr,
        ):
            errors += "error" in record
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(src)} records written to {args.output} ({errors} error records)", file=sys.stderr)
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    """``shotcoder evaluate CORPUS.jsonl [--report DIR] [--gate]``."""
    from evaluation.runner import run_evaluation

    coder = _coder()
    try:
        report = run_evaluation(
            Path(args.corpus),
            coder=coder.code,
            auditor=coder.audit,
            report_dir=Path(args.report) if args.report else None,
            extra={"nlp_config": coder.extractor.nlp.config.to_str()},
        )
    except ShotcoderError as exc:
        return _die(exc.code, exc.message)
    from evaluation.report import format_summary

    print(format_summary(report))
    if args.gate:
        from evaluation.thresholds import check_thresholds, load_thresholds

        failed = check_thresholds(report, load_thresholds(Path(args.gate)))
        if failed:
            for f in failed:
                print(f"gate failed: {f}", file=sys.stderr)
            return 1
        print("gate: all thresholds met")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    """``shotcoder audit ENCOUNTER.json CLAIM.json`` — check a claim against its note."""
    from models import AuditRequest

    try:
        encounter = json.loads(Path(args.encounter).read_text(encoding="utf-8"))
        claim = json.loads(Path(args.claim).read_text(encoding="utf-8"))
        request = AuditRequest.model_validate({"encounter": encounter, "claim": claim})
        result = _coder().audit(request)
    except (OSError, UnicodeDecodeError) as exc:
        return _die(ErrorCode.INVALID_REQUEST, f"cannot read input: {exc.__class__.__name__}")
    except json.JSONDecodeError as exc:
        return _die(ErrorCode.INVALID_JSON, f"input is not JSON (line {exc.lineno})")
    except ValidationError as exc:
        return _die(ErrorCode.INVALID_REQUEST, _validation_message(exc))
    except ShotcoderError as exc:
        return _die(exc.code, exc.message)
    if args.format == "json":
        print(result.model_dump_json(indent=2))
        return 0
    print(format_table(result))
    print("")
    if not result.audit:
        print("AUDIT: the submitted claim matches what the note supports.")
    for f in result.audit:
        where = f"line {f.line_index + 1}" if f.line_index is not None else "claim"
        fix = ""
        if f.corrected is not None:
            mods = "-".join(f.corrected.modifiers)
            fix = f"  -> {f.corrected.code}{'-' + mods if mods else ''} x{f.corrected.units}"
        print(f"AUDIT {f.severity.value.upper():<8}{f.rule_id:<8}{where:<8}{f.message}{fix}")
    return 0


def cmd_scan(args: argparse.Namespace) -> int:
    """``shotcoder scan REPORTS.csv [--report DIR]`` — real notes through the coder, for review."""
    from evaluation.realtext import scan, write_summary

    path = Path(args.csv)
    if not path.exists():
        return _die(ErrorCode.INVALID_REQUEST, f"no such file: {args.csv}")
    summary = scan(path, coder=_coder().code, column=args.column)
    print(f"reports processed: {summary.processed} (duplicates skipped "
          f"{summary.duplicates_skipped}, errors {summary.errors})")
    print(f"with a given administration: {summary.with_given_administration}")
    print(f"with a 96372 line: {summary.with_96372}")
    print(f"with a drug line: {summary.with_drug_line}")
    if args.report:
        write_summary(summary, Path(args.report))
        print(f"review listing: {Path(args.report) / 'realtext.md'}")
    return 0


def cmd_kb_info(args: argparse.Namespace) -> int:
    """``shotcoder kb info`` — each table's source, vintage, row count and checksum."""
    from rules import KnowledgeBase
    from rules.kb_import import table_releases

    try:
        kb = KnowledgeBase.load(Path(args.kb_dir) if args.kb_dir else None)
    except ShotcoderError as exc:
        return _die(exc.code, exc.message)
    imported = table_releases(kb.directory)
    print(f"knowledge base: {kb.directory}")
    print(f"{'table':<30}{'rows':>7}  {'sha256':<14}vintage / source")
    for row in kb.table_info():
        vintage = imported.get(str(row["table"]), row["vintage"])
        print(f"{row['table']:<30}{row['rows']:>7}  {row['sha256']:<14}{vintage} "
              f"({row['source']})")
    print("ICD-10-CM: FY2026 via simple-icd-10-cm 1.5.0")
    return 0


def cmd_kb_import(args: argparse.Namespace) -> int:
    """``shotcoder kb import {hcpcs,mue,ptp,ndc} FILE... [--kb-dir DIR] [--release NAME]``.

    Reads newer CMS files, validates the rebuilt table and replaces it atomically (``--dry-run``
    only reports), then prints the counts and the first changed codes.
    """
    from rules.kb import DEFAULT_KB_DIR
    from rules.kb_import import default_release, run_import

    sources = [Path(f) for f in args.files]
    kb_dir = Path(args.kb_dir) if args.kb_dir else DEFAULT_KB_DIR
    release = args.release or default_release(args.kind, sources)
    try:
        if not release:
            # A bad file is reported as such before the missing release name.
            run_import(args.kind, sources, kb_dir, release="unnamed", dry_run=True,
                       as_of=args.as_of)
            return _die(ErrorCode.INVALID_REQUEST,
                        f"cannot tell the release from {sources[0].name}: give --release NAME")
        report = run_import(args.kind, sources, kb_dir, release=release, dry_run=args.dry_run,
                            as_of=args.as_of)
    except ShotcoderError as exc:
        return _die(exc.code, exc.message)
    print(report.summary())
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """``shotcoder serve`` — the API on 127.0.0.1:8000."""
    import uvicorn

    from api.main import create_app
    from api.settings import Settings

    settings = Settings.from_env().model_copy(update={"host": args.host, "port": args.port})
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """``shotcoder demo`` — code the bundled sample notes (the embedded defaults)."""
    samples = resources.files("api").joinpath("samples")
    files = sorted(p for p in samples.iterdir() if p.name.endswith(".json"))
    coder = _coder()
    for path in files:
        encounter = Encounter.model_validate(json.loads(path.read_text(encoding="utf-8")))
        print("=" * 100)
        print(f"{path.name}")
        print(format_table(coder.code(encounter)))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    p = argparse.ArgumentParser(
        prog="shotcoder", description="Code CPT 96372 injection administration from clinical notes."
    )
    p.add_argument("--version", action="version", version=f"shotcoder {__version__}")
    p.add_argument("-v", "--verbose", action="store_true", help="log progress (never note text)")
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("code", help="code one note")
    c.add_argument("note", nargs="?", help="note file, or - for stdin")
    c.add_argument("--encounter", help="Encounter JSON file instead of a note")
    c.add_argument("--pos", help="2-digit place of service")
    c.add_argument("--payer", help="payer profile name")
    c.add_argument(
        "--dos", help="date of service YYYY-MM-DD", type=lambda s: date.fromisoformat(s).isoformat()
    )
    c.add_argument("--patient-status", choices=["new", "established"])
    c.add_argument("--em", help="billed E/M code")
    c.add_argument("--id", help="encounter id")
    c.add_argument("--format", choices=["table", "json"], default="table")
    c.set_defaults(func=cmd_code)

    a = sub.add_parser("audit", help="check a submitted claim against its note")
    a.add_argument("encounter", help="Encounter JSON file")
    a.add_argument("claim", help='Claim JSON file: {"place_of_service", "lines": [...]}')
    a.add_argument("--format", choices=["table", "json"], default="table")
    a.set_defaults(func=cmd_audit)

    b = sub.add_parser("batch", help="code a JSONL file of encounters")
    b.add_argument("input")
    b.add_argument("output")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.set_defaults(func=cmd_batch)

    e = sub.add_parser("evaluate", help="score a labeled corpus")
    e.add_argument("corpus")
    e.add_argument("--report", help="directory for report.json/report.md/charts")
    e.add_argument("--gate", help="thresholds JSON; exit 1 when a metric falls below")
    e.set_defaults(func=cmd_evaluate)

    r = sub.add_parser("scan", help="run real notes (CSV, e.g. MTSamples) and list the hits")
    r.add_argument("csv")
    r.add_argument("--column", default="transcription")
    r.add_argument("--report", help="directory for realtext.md/realtext.json")
    r.set_defaults(func=cmd_scan)

    k = sub.add_parser("kb", help="knowledge-base tables")
    ksub = k.add_subparsers(dest="kb_command", required=True)
    ki = ksub.add_parser("info", help="source, vintage, rows and checksum of every table")
    ki.add_argument("--kb-dir", help="a replacement knowledge-base directory")
    ki.set_defaults(func=cmd_kb_info)
    kim = ksub.add_parser("import", help="update a table from a newer CMS file, printing changes")
    kim.add_argument("kind", choices=["hcpcs", "mue", "ptp", "ndc"], help="which table")
    kim.add_argument("files", nargs="+", metavar="FILE",
                     help="CMS file (.xlsx, .csv, .txt or .zip); ptp: every ccipra part f1..f4")
    kim.add_argument("--kb-dir", help="knowledge-base directory to update (default: packaged)")
    kim.add_argument("--release", help="release name recorded on the rows (default: from the "
                     "CMS file name)")
    kim.add_argument("--dry-run", action="store_true", help="validate and report; write nothing")
    kim.add_argument("--as-of", type=date.fromisoformat, default=None,
                     help="ptp: date the active flag is computed for (default: today)")
    kim.set_defaults(func=cmd_kb_import)

    s = sub.add_parser("serve", help="run the API on 127.0.0.1:8000")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.set_defaults(func=cmd_serve)

    d = sub.add_parser("demo", help="code the bundled sample notes")
    d.set_defaults(func=cmd_demo)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``shotcoder`` console script."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("loguru").setLevel(logging.WARNING)
    if args.command == "code" and not args.note and not args.encounter:
        return _die(ErrorCode.INVALID_REQUEST, "give a note file, - for stdin, or --encounter")
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
