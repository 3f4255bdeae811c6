"""Rules layer: payer profiles (catalog section 8, PAY-*). No payer is named in code."""

from __future__ import annotations

from collections.abc import Iterator

from models import Finding, Severity
from rules.context import RuleContext
from rules.drug import billed_administrations
from rules.registry import rule


@rule(
    "PAY-01",
    version=1,
    phase="check",
    order=80,
    summary="Behavioral-health-only benefit does not cover 96372: route to the medical plan",
    source="rule catalog PAY-01; seed 000 carve-out denials",
)
def carve_out(ctx: RuleContext) -> Iterator[Finding]:
    """Injections under a carve-out that does not cover them.

    Source: rule catalog PAY-01.
    """
    if not ctx.payer.covers_96372 and ctx.injections:
        yield Finding(
            rule_id="PAY-01",
            severity=Severity.WARNING,
            carc="109",
            evidence=(ctx.injections[0].drug.evidence,),
            message=f"Payer profile '{ctx.payer.name}' ({ctx.payer.benefit} benefit) "
            "does not cover 96372: send the injection to the medical plan.",
        )


@rule(
    "PAY-02",
    version=1,
    phase="check",
    order=81,
    summary="Prior authorisation required (drug and administration separately)",
    source="rule catalog PAY-02; seed 000 (PA for the J-code does not cover 96372)",
)
def prior_auth(ctx: RuleContext) -> Iterator[Finding]:
    """PA for the drug and for the administration, each checked against the metadata.

    Source: rule catalog PAY-02.
    """
    on_file = {pa.code for pa in ctx.encounter.prior_authorizations}
    for adm in billed_administrations(ctx):  # a patient-supplied drug is the pharmacy's claim
        groups = set(ctx.kb.pa_groups.get(adm.drug.name, set()))
        if ctx.drug_class(adm) == "biologic":
            groups.add("biologic")
        choice = ctx.choose_code(adm)
        code = choice.row.code if choice.row else None
        if groups & set(ctx.payer.prior_auth_drug) and code and code not in on_file:
            yield Finding(
                rule_id="PAY-02",
                severity=Severity.WARNING,
                carc="197",
                administration_id=adm.id,
                evidence=(adm.drug.evidence,),
                message=f"Payer profile '{ctx.payer.name}' requires prior "
                f"authorisation for the drug ({code}); none on file.",
            )
        if (
            groups & set(ctx.payer.prior_auth_administration)
            and adm in ctx.injections
            and "96372" not in on_file
        ):
            yield Finding(
                rule_id="PAY-02",
                severity=Severity.WARNING,
                carc="197",
                administration_id=adm.id,
                evidence=(adm.drug.evidence,),
                message=f"Payer profile '{ctx.payer.name}' requires prior "
                "authorisation for the administration (96372) too; a drug "
                "authorisation does not cover it.",
            )


@rule(
    "PAY-04",
    version=1,
    phase="check",
    order=82,
    summary="Payer profile in force (default when the encounter names none)",
    source="rule catalog section 8 (default profile), PAY-04",
)
def payer_default(ctx: RuleContext) -> Iterator[Finding]:
    """Say when the default profile was applied.

    Source: rule catalog section 8.
    """
    if ctx.payer_assumed:
        yield Finding(
            rule_id="PAY-04",
            severity=Severity.INFO,
            message=f"No payer named: the '{ctx.payer.name}' profile applies "
            f"(distinct-service modifier {ctx.payer.distinct_modifier}).",
        )


@rule(
    "PAY-05",
    version=1,
    phase="check",
    order=83,
    summary="Rendering provider without injection privileges and no supervising NPI",
    source="rule catalog PAY-05; seed 000",
)
def provider_type(ctx: RuleContext) -> Iterator[Finding]:
    """Non-prescribing rendering providers need a supervising/ordering NPI.

    Source: rule catalog PAY-05.
    """
    prov = ctx.encounter.rendering_provider
    if prov is None or not ctx.given or prov.credential is None:
        return
    cred = prov.credential.strip().upper().replace(".", "")
    if cred in ctx.kb.codes.non_prescribing_credentials and not prov.supervising_npi:
        yield Finding(
            rule_id="PAY-05",
            severity=Severity.ERROR,
            carc="170",
            evidence=(ctx.given[0].drug.evidence,),
            message=f"Rendering provider credential {cred} cannot bill injections "
            "without a supervising or ordering practitioner's NPI.",
        )
