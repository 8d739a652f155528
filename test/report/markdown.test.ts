import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/report/markdown";
import { stateReport } from "./fixture";

describe("report.md", () => {
  it("summarizes result, chapters and controls in tables", async () => {
    const md = renderMarkdown(await stateReport());
    expect(md).toMatch(/^# socle audit: demo\n\n\*\*Result: FAIL\*\*, 1 mandatory failure\(s\)/);
    expect(md).toContain("| 9. Access control / Contrôle d'accès | 1 | 1 | 0 | 2 | 0 | 33.3% (66.7% waived) |");
    expect(md).toContain("| 13. Communications security / Sécurité des communications | 1 | 1 | 1 | 0 | 0 | 50% |");
    expect(md).toContain("| Fail | `test-service-declared-lb` | Load balancers are &lt;declared&gt; & reviewed / Répartiteurs de charge &lt;déclarés&gt; & revus | SecNumCloud 3.2 ch. 13 (unverified) | medium | mandatory | 1 | 1 | 0 | 0 |");
  });

  it("lists failures with resource, message and path, and the remediation", async () => {
    const md = renderMarkdown(await stateReport());
    expect(md).toContain("- **Service wiki/rogue**: LoadBalancer wiki/rogue is not declared at `spec.type` (waiver test/audit/fixtures/waivers.yaml:7 expired on 2025-01-31)");
    // A pipe in the remediation must not break anything; it is escaped.
    expect(md).toContain("Remediation: Declare the Service in the stack's declaredLoadBalancers \\| or use ClusterIP.");
  });

  it("lists waived findings, expired and unused waivers", async () => {
    const md = renderMarkdown(await stateReport());
    expect(md).toContain("## Waived findings");
    expect(md).toContain("| Upstream image needs root &lt;until 17.1&gt; & tracked in TICKET-1 | RSSI du ministère | 2025-12-31 |");
    const expired = md.slice(md.indexOf("## Expired waivers (they waive nothing)"), md.indexOf("## Unused waivers"));
    expect(expired).toContain("| test/audit/fixtures/waivers.yaml:7 | `test-service-declared-lb` | `urn=urn:pulumi:demo::socle::*::rogue` | RSSI | 2025-01-31 |");
    expect(expired.match(/^\| test/gm)).toHaveLength(1);
    const unused = md.slice(md.indexOf("## Unused waivers (they match no failing finding)"));
    expect(unused).toContain("| test/audit/fixtures/waivers.yaml:12 | `test-workload-non-root` | `name=does-not-exist` | RSSI | 2026-01-01 |");
    expect(unused.match(/^\| test/gm)).toHaveLength(1);
  });

  it("keeps code spans of remediation texts as written, escaping the prose around them", async () => {
    const report = await stateReport();
    const controls = report.controls.map((c) =>
      c.status === "fail" ? { ...c, meta: { ...c.meta, remediation: "Set `securityContext.runAsNonRoot: true` and *never* `privileged`." } } : c,
    );
    const md = renderMarkdown({ ...report, controls });
    expect(md).toContain("Remediation: Set `securityContext.runAsNonRoot: true` and \\*never\\* `privileged`.");
    expect(md).not.toContain("\\`");
  });

  it("lists the controls that assessed nothing, apart from the passing ones", async () => {
    const report = await stateReport();
    const c = report.controls[0]!;
    const md = renderMarkdown({ ...report, controls: [{ ...c, status: "notAssessed", notAssessedReason: "no resource of the input falls under this control" }, ...report.controls.slice(1)] });
    expect(md).toContain(`| Not assessed | \`${c.meta.id}\` |`);
    expect(md).toContain(`## Not assessed`);
    expect(md).toContain(`- \`${c.meta.id}\` ${c.meta.title.en}: no resource of the input falls under this control`);
  });
});
