/**
 * Generates docs/controls.md from the catalog, so that the control reference cannot drift from the
 * code (test/policies/controls/docs.test.ts fails when the file is stale). Run: `npx tsx policies/gen-docs.ts`.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { CONTROLS } from "./catalog";
import { SNC_CHAPTER_TITLES, type Control } from "./types";

export const CONTROLS_DOC_PATH = join(__dirname, "..", "docs", "controls.md");

const CONVENTIONS = `## Conventions the controls read

Some evidence is not in any upstream API. The platform and app code must follow these conventions for the controls to see it.

| Convention | Where | Read by |
| --- | --- | --- |
| \`socle.encryptionAtRest\` = \`{ blockStorage?: boolean, volumeTypes?: string[], objectStorage?: boolean }\` | root stack output \`socle\`, written from the stack file: \`socle:provider.encryptionAtRest.blockStorage\` / \`.objectStorage\` (what the provider's contract states is encrypted at rest) and \`volumeTypes\` = \`[socle:openstack.encryptedVolumeType]\` (the Cinder type with a LUKS encryption spec) | snc-cloud-encryption-at-rest |
| \`socle.io/role: control-plane\` | OpenStack instance \`metadata\`; Outscale VM \`tags\` (\`key\`/\`value\`) | snc-cloud-anti-affinity |
| \`socle.io/uses-api: "true"\` and \`socle.io/uses-api-reason: <why>\` | annotations of the workload or of its pod template | snc-workload-service-account-token |
| \`socle.io/log-retention-days: "<days>"\` | label of the log store's workload (or of the object holding its retention setting); the value must equal the retention actually configured | snc-logs-retention |
| \`socle.io/keycloak-realm: "true"\` | annotation of a ConfigMap whose data values are Keycloak realm representations (JSON) | snc-identity-admin-mfa, snc-identity-password-policy |
| \`socle.io/region: <region>\` | annotation of a CloudNativePG Cluster or barman-cloud ObjectStore whose endpoint host does not contain the region name | snc-data-backup-region |
| \`socle.platformBackups\` = \`{ platformStack, storageLocation, schedules: [{ namespace, name, includedNamespaces, excludedNamespaces?, storageLocation, ttl, paused? }] }\` | root stack output \`socle\` of a tenant stack, written by its render from its platform's output named tenantBackups (the Velero Schedules the platform renders for it; src/program/tenants-binding.ts) | snc-data-backup-schedule |

Under \`pulumi preview\`, values computed from other resources are unknown; the pack replaces them by \`[unknown]\`, and controls that cannot decide on such a value report \`notApplicable\` instead of failing. Under CrossGuard, secret values reach the pack unwrapped: no control ever quotes a property value it judges secret.
`;

function reference(c: Control): string {
  const chapter = `${c.snc.chapter}. ${SNC_CHAPTER_TITLES[c.snc.chapter].fr} / ${SNC_CHAPTER_TITLES[c.snc.chapter].en}`;
  if (c.snc.section === undefined) return `chapter ${chapter}; section: unverified (the mapping to a section is our reading)`;
  return `section ${c.snc.section} (chapter ${chapter}), ${c.snc.verified ? "verified" : "unverified"}${c.snc.source ? `. Source: ${c.snc.source}` : ""}`;
}

function section(c: Control): string {
  return [
    `## ${c.id}`,
    "",
    `- Title (fr): ${c.title.fr}`,
    `- Title (en): ${c.title.en}`,
    `- SecNumCloud 3.2 reference: ${reference(c)}`,
    `- Severity: ${c.severity}`,
    `- Enforcement: ${c.enforcement}`,
    "",
    `Rationale: ${c.rationale}`,
    "",
    `Remediation: ${c.remediation}`,
    "",
    "Evidence read:",
    "",
    ...c.evidence.map((e) => `- ${e}`),
    "",
  ].join("\n");
}

export function renderControlsDoc(controls: readonly Control[]): string {
  const rows = controls.map((c) => `| [${c.id}](#${c.id}) | ${c.title.en} | ${c.snc.section ?? `ch. ${c.snc.chapter}`}${c.snc.verified ? "" : " (unverified)"} | ${c.severity} | ${c.enforcement} |`);
  return [
    "# SecNumCloud control reference",
    "",
    "Generated from `policies/catalog.ts` by `npx tsx policies/gen-docs.ts`: do not edit by hand (a test fails when this file and the code disagree).",
    "",
    "SecNumCloud 3.2 follows the order of ISO/IEC 27002. A section is marked verified only where a public transcription of the referential confirms its number and title; otherwise only the chapter is given and reports show `unverified`. Enforcement `mandatory` blocks `pulumi up` under CrossGuard; `advisory` only warns.",
    "",
    "| Id | Title | SecNumCloud | Severity | Enforcement |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    "",
    CONVENTIONS,
    ...controls.map(section),
  ].join("\n");
}

if (require.main === module) {
  writeFileSync(CONTROLS_DOC_PATH, renderControlsDoc(CONTROLS));
  process.stdout.write(`wrote ${CONTROLS_DOC_PATH} (${CONTROLS.length} controls)\n`);
}
