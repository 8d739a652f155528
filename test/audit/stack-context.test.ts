/** Manifests judged with their stack's context: the socle-context.json beside them, or --stack. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { control as declaredLoadBalancers } from "../../policies/controls/network/declared-load-balancers";
import { runAuditCommand } from "../../src/audit/command";
import { InputError } from "../../src/audit/errors";
import { tempFiles } from "./helpers";

const SERVICE = "apiVersion: v1\nkind: Service\nmetadata: { name: smtp, namespace: acme-mail }\nspec: { type: LoadBalancer, ports: [{ port: 25 }] }\n";
const context = (declared: string[], extra: object = {}) => ({
  socleContext: 1,
  stack: { name: "prod", project: "socle", urn: "urn:pulumi:prod::socle::pulumi:pulumi:Stack::socle-prod" },
  socle: { kind: "dedicated", target: "existing", region: "on-premises", allowedRegions: ["on-premises"], allowedRegistries: [], declaredLoadBalancers: declared },
  objects: [{ apiVersion: "v1", kind: "Service", namespace: "acme-mail", name: "smtp", urn: "urn:pulumi:prod::socle::kubernetes:core/v1:Service::smtp", protect: false }],
  ...extra,
});

async function audit(dir: string, input: string, extra: object = {}) {
  const code = await runAuditCommand({ input, formats: ["json"], outDir: join(dir, "reports"), today: "2026-01-01", controls: [declaredLoadBalancers], log: () => {}, projectDir: dir, ...extra });
  return { code, report: JSON.parse(readFileSync(join(dir, "reports", "report.json"), "utf8")) };
}

describe("manifests with their stack's context", () => {
  it("without a context, an undeclared-looking LoadBalancer fails", async () => {
    const dir = tempFiles({ "m/manifests/mail.yaml": SERVICE });
    expect((await audit(dir, join(dir, "m", "manifests"))).code).toBe(1);
  });

  it("reads socle-context.json beside the manifests folder: the stack's declarations, the deployment and the objects' URNs", async () => {
    const dir = tempFiles({ "m/manifests/mail.yaml": SERVICE, "m/socle-context.json": context(["acme-mail/smtp"]) });
    const { code, report } = await audit(dir, join(dir, "m", "manifests"));
    expect(code).toBe(0);
    expect(report.context.declaredLoadBalancers).toEqual(["acme-mail/smtp"]);
    expect(report.stack).toEqual({ name: "prod", project: "socle", kind: "dedicated", target: "existing", region: "on-premises" });
    expect(report.findings[0].resource.urn).toBe("urn:pulumi:prod::socle::kubernetes:core/v1:Service::smtp");
  });

  it("--stack reads out/<stack>/socle-context.json of the project", async () => {
    const dir = tempFiles({ "elsewhere/mail.yaml": SERVICE, "out/prod/socle-context.json": context(["acme-mail/smtp"]) });
    expect((await audit(dir, join(dir, "elsewhere", "mail.yaml"), { stack: "prod" })).code).toBe(0);
  });

  it("refuses a context file of another layout, and --stack on a state input, with exit 2", async () => {
    const dir = tempFiles({ "m/manifests/mail.yaml": SERVICE, "m/socle-context.json": context([], { socleContext: 7 }) });
    await expect(audit(dir, join(dir, "m", "manifests"))).rejects.toThrow(/socle-context\.json: socleContext is 7: only version 1 is supported/);
    const state = tempFiles({ "state.json": { version: 3, deployment: { resources: [{ urn: "urn:pulumi:p::s::pulumi:pulumi:Stack::s-p", type: "pulumi:pulumi:Stack" }] } } });
    await expect(audit(state, join(state, "state.json"), { stack: "prod" })).rejects.toBeInstanceOf(InputError);
  });
});
