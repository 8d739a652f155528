import type { Control } from "../../types";
import { notApplicable, verdict, violation } from "../lib/results";
import { verifiedSection } from "../lib/snc";
import { stackView } from "../lib/stack";
import { nonEmptyString } from "../lib/values";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export const control: Control = {
  id: "snc-cloud-provider-attestation",
  title: {
    fr: "Attestation de qualification SecNumCloud du fournisseur en cours de validité",
    en: "Hosting provider's SecNumCloud qualification is declared and valid",
  },
  snc: verifiedSection("19", "19.6", "Protection vis-à-vis du droit extra-européen"),
  severity: "high",
  enforcement: "mandatory",
  rationale:
    "Most of SecNumCloud (physical security, staff vetting, immunity from extra-European law under 19.6) is the hosting provider's and cannot be checked from code. The deployment relies on the provider's qualification: the stack must name it and the qualification must not have expired on the evaluation date.",
  remediation:
    "Declare the provider in the stack file (`provider.name`, `provider.qualificationReference` as printed on the ANSSI qualification certificate, `provider.qualificationExpires` as YYYY-MM-DD) and renew it before it expires. Check the reference against ANSSI's list of qualified providers.",
  evidence: ["stack output `socle.provider` (name, qualificationReference, qualificationExpires)", "evaluation date"],
  check(resources, ctx) {
    const stack = stackView(resources);
    if (!ctx.hasStackMetadata) return [notApplicable(stack, "the input carries no stack metadata (plain manifests): the provider attestation cannot be read")];
    const provider = ctx.provider;
    if (!provider) return [verdict(stack, [violation("the stack declares no hosting provider attestation", "socle.provider")])];
    const violations = [];
    if (!nonEmptyString(provider.qualificationReference)) violations.push(violation(`provider ${provider.name} has no qualification reference`, "socle.provider.qualificationReference"));
    if (!ISO_DATE.test(provider.qualificationExpires) || Number.isNaN(Date.parse(provider.qualificationExpires))) {
      violations.push(violation(`qualification expiry ${JSON.stringify(provider.qualificationExpires)} is not a date (YYYY-MM-DD)`, "socle.provider.qualificationExpires"));
    } else if (provider.qualificationExpires < ctx.today) {
      violations.push(violation(`the qualification of ${provider.name} expired on ${provider.qualificationExpires} (evaluated on ${ctx.today})`, "socle.provider.qualificationExpires"));
    }
    return [verdict(stack, violations, `${provider.name}: qualification ${provider.qualificationReference} valid until ${provider.qualificationExpires}`)];
  },
};
