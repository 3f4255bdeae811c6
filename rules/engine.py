"""Rules layer: the engine — build the context, run the rules by phase, merge, set status."""

from __future__ import annotations

import logging
from datetime import date

from models import (
    CodingResult,
    EmResult,
    Encounter,
    EncounterStatus,
    ErrorCode,
    Extraction,
    Finding,
    Line,
    LineKind,
    Severity,
    ShotcoderError,
    Versions,
)
from rules.context import RuleContext
from rules.diagnosis import ICD_RELEASE, diagnoses
from rules.em import time_level
from rules.kb import KnowledgeBase
from rules.registry import registered, rules_digest, run_lines

log = logging.getLogger(__name__)

DEFAULT_PAYER = "commercial"
_KIND_ORDER = {
    LineKind.EM: 0,
    LineKind.PROCEDURE: 1,
    LineKind.ADMINISTRATION: 1,
    LineKind.VACCINE_ADMIN: 1,
    LineKind.DRUG: 2,
    LineKind.VACCINE_PRODUCT: 2,
}
_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def build_context(encounter: Encounter, extraction: Extraction, kb: KnowledgeBase) -> RuleContext:
    """Resolve payer, place of service and date of service, then build the rule context.

    Raises:
        ShotcoderError: ``unknown_payer_profile`` naming the profiles that exist.
    """
    payer_name = encounter.payer or DEFAULT_PAYER
    payer = kb.payers.get(payer_name)
    if payer is None:
        raise ShotcoderError(
            ErrorCode.UNKNOWN_PAYER_PROFILE,
            f"unknown payer profile {payer_name!r}; profiles: {', '.join(sorted(kb.payers))}",
        )
    telehealth = next((c.evidence for c in extraction.setting if c.kind == "10"), None)
    if encounter.place_of_service:
        pos, source, evidence = encounter.place_of_service, "metadata", None
    elif extraction.setting:
        cue = extraction.setting[0]
        pos, source, evidence = cue.kind or "11", "inferred", cue.evidence
    else:
        pos, source, evidence = "11", "assumed", None
    return RuleContext(
        encounter=encounter,
        extraction=extraction,
        kb=kb,
        payer=payer,
        payer_assumed=encounter.payer is None,
        pos=pos,
        pos_source=source,
        pos_evidence=evidence,
        dos=encounter.date_of_service or date.today(),
        dos_assumed=encounter.date_of_service is None,
        telehealth=telehealth,
    )


def _sort_lines(lines: list[Line], order: dict[str, int]) -> list[Line]:
    return sorted(
        lines,
        key=lambda line: (
            line.kind is not LineKind.EM,
            order.get(line.administration_id or "", 999),
            _KIND_ORDER[line.kind],
        ),
    )


def status_of(lines: list[Line], findings: list[Finding]) -> EncounterStatus:
    """Encounter status from finding severities and lines (rule catalog section 7)."""
    if any(f.severity is Severity.ERROR for f in findings):
        return EncounterStatus.INCOMPLETE
    if not lines:
        return EncounterStatus.NO_CHARGE
    if any(f.severity is Severity.WARNING for f in findings) or any(x.needs_review for x in lines):
        return EncounterStatus.NEEDS_REVIEW
    return EncounterStatus.READY


def versions(kb: KnowledgeBase, package_version: str) -> Versions:
    """The versions block, filled from the code and the loaded tables."""
    return Versions(
        shotcoder=package_version,
        rules=rules_digest(),
        hcpcs=f"{kb.hcpcs_release} sha256:{kb.checksums.get('hcpcs', '')}",
        icd10cm=ICD_RELEASE,
        ncci=f"NCCI MUE/PTP practitioner 2024-07-01 sha256:{kb.checksums.get('ncci', '')}",
        kb=f"sha256:{kb.checksums.get('kb', '')}",
    )


def run_rules(
    encounter: Encounter, extraction: Extraction, kb: KnowledgeBase, *, package_version: str
) -> CodingResult:
    """Run every registered rule over one encounter and assemble the ``CodingResult``.

    Args:
        encounter: The input encounter (metadata is read here; text only through spans).
        extraction: What the extractor found in the note.
        kb: The loaded knowledge base.
        package_version: The shotcoder version for the ``versions`` block.
    """
    ctx = build_context(encounter, extraction, kb)
    order = {a.id: i for i, a in enumerate(extraction.administrations)}
    lines: list[Line] = []
    findings: list[Finding] = []
    specs = registered()
    for spec in specs:
        if spec.phase == "lines":
            new_lines, new_findings = run_lines(spec, ctx)
            lines.extend(new_lines)
            findings.extend(new_findings)
    lines = _sort_lines(lines, order)
    for spec in specs:
        if spec.phase == "adjust":
            lines, new_findings = spec.fn(ctx, lines)
            findings.extend(new_findings)
    for spec in specs:
        if spec.phase == "check":
            findings.extend(run_lines(spec, ctx)[1])
    findings.sort(key=lambda f: (_SEVERITY_ORDER[f.severity], f.rule_id))
    em = extraction.em
    level = encounter.billed_em if encounter.billed_em else time_level(ctx)
    em_result = EmResult(
        documented=ctx.em_documented,
        significant=ctx.em_significant,
        patient_status=ctx.patient_status,
        preventive=em.preventive is not None,
        level=next((x.code for x in lines if x.kind is LineKind.EM), None),
        level_source=(
            "metadata"
            if encounter.billed_em
            else "time"
            if level
            else "needs_review"
            if ctx.em_significant
            else None
        ),
        time_minutes=em.time_minutes,
        elements={"history": em.history, "exam": em.exam, "mdm": em.mdm},
    )
    log.debug("encounter %s: %d lines, %d findings", encounter.id, len(lines), len(findings))
    return CodingResult(
        id=encounter.encounter_id,
        status=status_of(lines, findings),
        place_of_service=ctx.pos,
        place_of_service_source=ctx.pos_source,
        payer=ctx.payer.name,
        lines=tuple(lines),
        administrations=extraction.administrations,
        diagnoses=tuple(diagnoses(ctx)),
        em=em_result,
        findings=tuple(findings),
        versions=versions(kb, package_version),
    )
