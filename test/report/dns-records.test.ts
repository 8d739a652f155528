/** dns-records.txt: one record per hostname the gateway serves, then the mail records (src/render/dns.ts). */
import { describe, expect, it } from "vitest";
import { dnsRecordsFile } from "../../src/render/dns";
import type { StateExport } from "../../src/render/state";

const k8s = (type: string, inputs: object) => ({ urn: `urn:pulumi:s::p::${type}::x`, custom: true, type, inputs });
function state(mail?: string[]): StateExport {
  return {
    version: 3,
    deployment: {
      manifest: { time: "", magic: "", version: "" },
      secrets_providers: { type: "", state: {} },
      resources: [
        { urn: "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s", custom: false, type: "pulumi:pulumi:Stack", outputs: { apps: mail ? { mail: { dnsRecords: mail } } : {} } },
        k8s("kubernetes:gateway.networking.k8s.io/v1:Gateway", { metadata: { namespace: "socle-gateway", name: "socle" }, spec: { listeners: [{ port: 80 }, { hostname: "wiki.example.fr" }, { hostname: "auth.example.fr" }] } }),
        k8s("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", { spec: { hostnames: ["docs.example.fr", "wiki.example.fr"] } }),
        k8s("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", { spec: { hostnames: ["mail.example.fr"] } }),
      ],
    },
  } as unknown as StateExport;
}

describe("dns-records.txt", () => {
  it("lists every hostname once, sorted, pointing at the gateway, with where to read its address", () => {
    const text = dnsRecordsFile(state())!;
    const a = text.split("\n").filter((l) => / IN A /.test(l));
    expect(a).toEqual(["auth", "docs", "mail", "wiki"].map((h) => `; ${h}.example.fr. 3600 IN A <external address of the gateway>`));
    expect(text).toContain("kubectl -n socle-gateway get gateway socle -o jsonpath='{.status.addresses[0].value}'");
  });

  it("appends the mail records and does not repeat the hostnames they cover", () => {
    const mail = ["; mail.example.fr. 3600 IN A <external address of the gateway>", "example.fr. 3600 IN MX 10 mx.example.fr."];
    const text = dnsRecordsFile(state(mail))!;
    expect(text.endsWith(mail.join("\n") + "\n")).toBe(true);
    expect(text.split("\n").filter((l) => l.startsWith("; mail.example.fr."))).toHaveLength(1);
  });
});
