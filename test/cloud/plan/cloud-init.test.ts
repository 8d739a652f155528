import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createHash } from "node:crypto";
import { AUDIT_POLICY, AUDIT_POLICY_PATH, joinToken, renderCloudInit, RKE2_CONFIG_PATH } from "../../../components/cloud/plan/cloud-init";

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
        // No servers: no ntp module, so cloud-init writes no public pool over the image's configuration.
        if (n.ntpServers && n.ntpServers.length > 0) expect(doc.ntp).toEqual({ enabled: true, ntp_client: "chrony", servers: n.ntpServers });
        else expect(doc.ntp).toBeUndefined();
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

  it("writes a real audit policy on servers and disables RKE2's own cloud controller", () => {
    const server = parse(renderCloudInit({ role: "server", nodeName: "cp-0", token: "t", agentToken: "a", tlsSans: [], etcdSnapshots: 28 }));
    const policy = server.write_files.find((f: { path: string }) => f.path === AUDIT_POLICY_PATH);
    expect(parse(policy.content)).toEqual(AUDIT_POLICY);
    expect(AUDIT_POLICY.rules.at(-1)).toEqual({ level: "Metadata" });
    const rke2 = parse(server.write_files.find((f: { path: string }) => f.path === RKE2_CONFIG_PATH).content);
    expect(rke2).toMatchObject({ "disable-cloud-controller": true, "audit-policy-file": AUDIT_POLICY_PATH, "agent-token": "a", token: "t" });
    const agent = parse(renderCloudInit({ role: "agent", nodeName: "w-0", token: "a", joinUrl: "https://lb:9345", tlsSans: [], etcdSnapshots: 28 }));
    expect(agent.write_files.map((f: { path: string }) => f.path)).toEqual([RKE2_CONFIG_PATH]);
    const agentConfig = parse(agent.write_files[0].content);
    expect(agentConfig["agent-token"]).toBeUndefined();
    expect(agentConfig.token).toBe("a");
  });

  it("builds K10 tokens whose hash is the SHA-256 of the server CA file (k3s hashCA of a one-certificate bundle)", () => {
    const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    const token = joinToken(pem, "node", "abc123");
    expect(token).toBe(`K10${createHash("sha256").update(pem).digest("hex")}::node:abc123`);
    expect(token.slice(3, token.indexOf("::"))).toHaveLength(64);
    expect(() => joinToken(pem, "server", "a:b")).toThrow(/':'/);
  });
});
