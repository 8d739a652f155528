/**
 * The CrossGuard pack: `pulumi preview --policy-pack policies`. One stack policy per control of the
 * catalog, its enforcement level the control's. Only this entry file builds the PolicyPack (which
 * starts a gRPC server): tests import the catalog and crossguard-view, never this file.
 */
import { PolicyPack, type ReportViolation, type StackValidationPolicy } from "@pulumi/policy";
import { CONTROLS } from "./catalog";
import { contextOf, toResourceView } from "./crossguard-view";
import type { Control } from "./types";

/** The SDK's sentinels for values unknown during preview (`unknownStringValue`…): internal, hence not typed. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdkProxy = require("@pulumi/policy/proxy") as Readonly<Record<string, unknown>>;
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set(
  Object.entries(sdkProxy)
    .filter(([key, value]) => /^unknown[A-Za-z]*Value$/.test(key) && typeof value === "string")
    .map(([, value]) => value as string),
);

function stackPolicy(control: Control): StackValidationPolicy {
  const section = control.snc.section ?? `chapter ${control.snc.chapter}`;
  return {
    name: control.id,
    description: `${control.title.en} / ${control.title.fr} (SecNumCloud 3.2 ${section}${control.snc.verified ? "" : ", unverified"})`,
    enforcementLevel: control.enforcement,
    validateStack: (args, reportViolation: ReportViolation) => {
      const views = args.resources.map((r) => toResourceView(r, UNKNOWN_SENTINELS));
      const ctx = contextOf(views, new Date().toISOString().slice(0, 10));
      for (const result of control.check(views, ctx)) {
        if (result.status !== "fail") continue;
        for (const v of result.violations) reportViolation(v.path ? `${v.message} (at ${v.path})` : v.message, result.resource.urn);
      }
    },
  };
}

new PolicyPack("socle-secnumcloud", { policies: CONTROLS.map(stackPolicy) });
