import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderCloudInit, RKE2_CONFIG_PATH } from "../../../components/cloud/plan/cloud-init";

const node = fc.record({
  role: fc.constantFrom("server" as const, "agent" as const),
  nodeName: fc.stringMatching(/^[a-z][a-z0-9-]{0,40}$/),
  token: fc.string({ minLength: 1, maxLength: 80 }),
  joinUrl: fc.option(fc.constant("https://10.20.0.10:9345"), { nil: undefined }),
  tlsSans: fc.array(fc.string({ minLength: 1, maxLength: 30 }), { maxLength: 3 }),
  ntpServers: fc.option(fc.array(fc.string({ minLength: 1, maxLength: 30 }), { maxLength: 3 }), { nil: undefined }),
  etcdSnapshots: fc.integer({ min: 1, max: 100 }),
  registryMirror: fc.option(fc.constant("registry.example.invalid/mirror"), { nil: undefined }),
  nodeLabels: fc.dictionary(fc.stringMatching(/^[a-z][a-z./-]{0,20}$/), fc.string({ maxLength: 20 })),
});

describe("cloud-init", () => {
  it("is always a #cloud-config YAML document with NTP, the RKE2 CIS config and the install commands", () => {
    fc.assert(
      fc.property(node, (n) => {
        const text = renderCloudInit(n);
        expect(text.startsWith("#cloud-config\n")).toBe(true);
        const doc = parse(text);
        expect(doc.ntp).toMatchObject({ enabled: true, ntp_client: "chrony" });
        if (n.ntpServers && n.ntpServers.length > 0) expect(doc.ntp.servers).toEqual(n.ntpServers);
        const file = doc.write_files.find((f: { path: string }) => f.path === RKE2_CONFIG_PATH);
        expect(file.permissions).toBe("0600");
        const rke2 = parse(file.content);
        expect(rke2).toMatchObject({ profile: "cis", token: n.token, "node-name": n.nodeName, selinux: true });
        expect(rke2.server).toBe(n.joinUrl);
        expect(doc.runcmd.at(-1)).toEqual(["systemctl", "enable", "--now", n.role === "server" ? "rke2-server.service" : "rke2-agent.service"]);
        expect(renderCloudInit(n)).toBe(text);
      }),
    );
  });

  it("hands the CAs to the first server only when given", () => {
    const ca = { certPem: "CERT", keyPem: "KEY" };
    const doc = parse(renderCloudInit({ role: "server", nodeName: "cp-0", token: "t", tlsSans: [], etcdSnapshots: 28, clusterCa: { server: ca, client: ca } }));
    expect(doc.write_files.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining(["/var/lib/rancher/rke2/server/tls/server-ca.key", "/var/lib/rancher/rke2/server/tls/client-ca.crt"]));
  });
});
