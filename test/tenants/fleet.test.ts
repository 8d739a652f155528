import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/model/input-error";
import { readPlatformOutputs, renderStack, type RenderResult } from "../../src/render/render";
import type { StateResource } from "../../src/render/state";
import { runCheckCommand } from "../../src/check/command";
import { platformContractSchema, parsePlatformContract, refuseProtectedNamespaces } from "../../src/program/tenancy";
import { CAPSULE_CHART, chartMirrorPath } from "../../charts/platform/releases";
import { ROOT } from "../helpers/render";
import { stackCheckSuite } from "../check/stack-check";

/**
 * The example fleet: the hoster's platform and two tenants with the same apps, rendered as a hoster does —
 * the platform first, each tenant against the platform's rendered state beside it (out/<stack>/).
 */
const PLATFORM = "hebergeur-plateforme";
const TENANTS = ["tenant-exemple-a", "tenant-exemple-b"] as const;
const out = mkdtempSync(join(tmpdir(), "socle-fleet-"));
const rendered = new Map<string, RenderResult>();

beforeAll(async () => {
  rendered.set(PLATFORM, await renderStack({ root: ROOT, stack: PLATFORM, outDir: join(out, PLATFORM) }));
  for (const stack of TENANTS) rendered.set(stack, await renderStack({ root: ROOT, stack, outDir: join(out, stack), platformState: join(out, PLATFORM, "state.json") }));
}, 240_000);

const resources = (stack: string): StateResource[] => rendered.get(stack)!.state.deployment.resources;
const k8sObjects = (stack: string) =>
  resources(stack).flatMap((r) => (r.custom && r.type.startsWith("kubernetes:") && r.inputs ? [r.inputs as { kind?: string; metadata?: { name?: string; namespace?: string }; spec?: Record<string, unknown> }] : []));
const ofKind = (stack: string, kind: string) => k8sObjects(stack).filter((o) => o.kind === kind);

for (const stack of [PLATFORM, ...TENANTS]) stackCheckSuite(stack, () => rendered.get(stack)!);

describe("a platform and its tenants", () => {
  it("the platform exports a valid tenancy contract and its Gateway admits Capsule tenants' ListenerSets only", () => {
    const root = resources(PLATFORM).find((r) => r.type === "pulumi:pulumi:Stack")!;
    const contract = platformContractSchema.parse((root.outputs as Record<string, unknown>).tenancy);
    expect(contract.gateway).toMatchObject({ name: "socle", namespace: "socle-gateway" });
    const [gateway] = ofKind(PLATFORM, "Gateway");
    expect(gateway.spec!.allowedListeners).toEqual({ namespaces: { from: "Selector", selector: { matchExpressions: [{ key: "capsule.clastix.io/tenant", operator: "Exists" }] } } });
    // Its proxies may forward to tenants' namespaces, and tenants may reach its Garage's S3 port: both only to
    // namespaces Capsule labels as a tenant's.
    const policies = ofKind(PLATFORM, "NetworkPolicy");
    const toTenants = policies.find((p) => p.metadata!.name === "proxies-to-tenants")!;
    expect(toTenants.metadata!.namespace).toBe("envoy-gateway-system");
    expect(JSON.stringify(toTenants.spec!.egress)).toContain('"key":"capsule.clastix.io/tenant","operator":"Exists"');
    const s3 = policies.find((p) => p.metadata!.name === "s3-from-tenants")!;
    expect(s3.spec!.ingress).toEqual([{ from: [{ namespaceSelector: { matchExpressions: [{ key: "capsule.clastix.io/tenant", operator: "Exists" }] } }], ports: [{ protocol: "TCP", port: 3900 }] }]);
    // No app on the platform: only the HTTP listener that redirects to HTTPS.
    expect((gateway.spec!.listeners as { name: string }[]).map((l) => l.name)).toEqual(["http"]);
  });

  it("each tenant attaches every route to its own ListenerSet, on the platform's Gateway, with its certificate in the same namespace", () => {
    for (const tenant of TENANTS) {
      const sets = ofKind(tenant, "ListenerSet");
      expect(sets.length).toBe(5);
      for (const ls of sets) {
        expect(ls.spec!.parentRef).toMatchObject({ kind: "Gateway", name: "socle", namespace: "socle-gateway" });
        const listener = (ls.spec!.listeners as { tls: { certificateRefs: { name: string }[] } }[])[0]!;
        const secret = listener.tls.certificateRefs[0]!.name;
        const cert = ofKind(tenant, "Certificate").find((c) => c.metadata!.namespace === ls.metadata!.namespace && (c.spec as { secretName?: string }).secretName === secret);
        expect(cert, `${tenant} ${ls.metadata!.namespace}/${secret}`).toBeDefined();
      }
      for (const route of ofKind(tenant, "HTTPRoute")) {
        for (const parent of route.spec!.parentRefs as { kind: string; namespace: string }[]) {
          expect(parent.kind).toBe("ListenerSet");
          expect(parent.namespace).toBe(route.metadata!.namespace);
        }
      }
      // Nothing of the tenant lands in a platform namespace.
      for (const o of k8sObjects(tenant)) if (o.metadata?.namespace) expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toMatch(new RegExp(`^${tenant.replace("-exemple", "")}-`));
    }
  });

  it("two tenants with the same apps share no object, hostname, certificate, bucket or URN", () => {
    const [a, b] = TENANTS;
    const ids = (s: string) => new Set(k8sObjects(s).map((o) => `${o.kind}/${o.metadata?.namespace ?? ""}/${o.metadata?.name}`));
    const shared = (x: Set<string>, y: Set<string>) => [...x].filter((v) => y.has(v));
    // Cluster-scoped objects a tenant renders are none but its namespaces, themselves prefixed.
    expect(shared(ids(a), ids(b))).toEqual([]);
    const hostnames = (s: string) => new Set(ofKind(s, "ListenerSet").flatMap((ls) => (ls.spec!.listeners as { hostname: string }[]).map((l) => l.hostname)));
    expect(hostnames(a).size).toBe(5);
    expect(shared(hostnames(a), hostnames(b))).toEqual([]);
    const certs = (s: string) => new Set(ofKind(s, "Certificate").flatMap((c) => (c.spec as { dnsNames: string[] }).dnsNames.map((d) => `${c.metadata!.namespace}/${(c.spec as { secretName: string }).secretName}/${d}`)));
    expect(shared(certs(a), certs(b))).toEqual([]);
    const tenantOutputs = (s: string) => resources(s).find((r) => r.type === "pulumi:pulumi:Stack")!.outputs as Record<string, unknown>;
    // The object-storage output is a secret: its buckets are read from the database backups' destinations instead.
    const buckets = (s: string) => new Set(ofKind(s, "ObjectStore").map((o) => JSON.stringify((o.spec as { configuration?: { destinationPath?: string } }).configuration?.destinationPath ?? "")));
    expect(buckets(a).size).toBeGreaterThan(0);
    expect(shared(buckets(a), buckets(b))).toEqual([]);
    expect(JSON.stringify(tenantOutputs(a).objectStorage)).not.toContain("tenant-a-backups");
    // A URN is `urn:pulumi:<stack>::<project>::<type>::<name>`: logical names repeat from tenant to tenant by
    // design (one program), the stack makes each URN unique, and no URN of one tenant is another's.
    const urns = (s: string) => new Set(resources(s).map((r) => r.urn));
    expect(shared(urns(a), urns(b))).toEqual([]);
    for (const s of TENANTS) expect(urns(s).size, s).toBe(resources(s).length);
    for (const s of TENANTS) for (const u of urns(s)) expect(u.startsWith(`urn:pulumi:${s}::`), u).toBe(true);
  });
});

/** Copies the platform's and a tenant's renders side by side, applies `plant` to one state, checks the tenant: every finding. */
async function checkPlantedAll(which: "platform" | "tenant", plant: (r: { type: string; inputs?: any; outputs?: any }) => void) {
  const root = mkdtempSync(join(tmpdir(), "socle-planted-"));
  for (const [stack, kind] of [[PLATFORM, "platform"], [TENANTS[0], "tenant"]] as const) {
    const state = JSON.parse(readFileSync(join(rendered.get(stack)!.outDir, "state.json"), "utf8"));
    if (kind === which) for (const r of state.deployment.resources) plant(r);
    mkdirSync(join(root, stack));
    writeFileSync(join(root, stack, "state.json"), JSON.stringify(state));
  }
  const { result } = await runCheckCommand({ input: join(root, TENANTS[0], "state.json"), format: "json", out: () => undefined });
  return result.findings;
}

describe("socle check sees a broken tenant wiring (planted)", () => {
  async function checkPlanted(which: "platform" | "tenant", plant: (r: { type: string; inputs?: any; outputs?: any }) => void) {
    return (await checkPlantedAll(which, plant)).filter((f) => f.severity === "blocker");
  }

  it("a platform Gateway that admits no ListenerSet blocks every tenant route", async () => {
    const blockers = await checkPlanted("platform", (r) => {
      for (const side of [r.inputs, r.outputs]) if (side?.kind === "Gateway") delete side.spec.allowedListeners;
    });
    expect(blockers.filter((b) => b.rule === "httproute-refs" && b.message.includes("does not admit ListenerSets")).length).toBe(5);
  });

  it("a ListenerSet whose certificate Secret nobody issues is a blocker", async () => {
    const blockers = await checkPlanted("tenant", (r) => {
      for (const side of [r.inputs, r.outputs]) if (side?.kind === "Certificate" && side.metadata?.name === "wiki-tls") side.spec.secretName = "elsewhere";
    });
    expect(blockers.map((b) => `${b.rule} ${b.object}`)).toContain("listener-certificate ListenerSet/tenant-a-wiki/socle-wiki");
  });
});

describe("Capsule, installed by the platform", () => {
  const capsuleRelease = () => resources(PLATFORM).find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs?.name === "capsule")!;

  it("the platform installs the pinned Capsule chart from its mirror into capsule-system, after cert-manager, with socle's values", () => {
    const r = capsuleRelease();
    expect(r).toBeDefined();
    expect(r.inputs!.chart).toBe(`oci://registry.hebergeur.socle.test/mirror/${chartMirrorPath(CAPSULE_CHART)}`);
    expect(r.inputs!.version).toBe("0.14.0");
    expect(r.inputs!.namespace).toBe("capsule-system");
    expect(r.inputs!.createNamespace).toBe(false);
    expect(r.inputs!.atomic).toBe(true);
    const values = r.inputs!.values as any;
    // The catalog's images, through the mirror.
    expect(`${values.manager.image.registry}/${values.manager.image.repository}:${values.manager.image.tag}`).toBe("registry.hebergeur.socle.test/mirror/ghcr.io/projectcapsule/capsule:v0.14.0");
    expect(`${values.global.jobs.kubectl.image.registry}/${values.global.jobs.kubectl.image.repository}`).toBe("registry.hebergeur.socle.test/mirror/docker.io/clastix/kubectl");
    expect(values.manager.options.users).toEqual([{ kind: "Group", name: "socle:tenants" }]);
    expect(values.manager.options.forceTenantPrefix).toBe(true);
    expect(values.replicaCount).toBe(2);
    // The webhook certificate is a cert-manager Certificate: the release waits for the edge (cert-manager), and
    // for its namespace, NetworkPolicies included.
    const deps = r.dependencies ?? [];
    expect(deps.some((d) => d.endsWith("socle:platform:Edge$kubernetes:helm.sh/v3:Release::cert-manager")), JSON.stringify(deps)).toBe(true);
    expect(deps.some((d) => d.endsWith("NetworkPolicy::capsule-capsule-system/allow-webhook-from-api-server")), JSON.stringify(deps)).toBe(true);
    const ns = ofKind(PLATFORM, "Namespace").find((n) => n.metadata!.name === "capsule-system") as { metadata: { labels: Record<string, string> } } | undefined;
    expect(ns!.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    const policies = ofKind(PLATFORM, "NetworkPolicy").filter((p) => p.metadata!.namespace === "capsule-system").map((p) => p.metadata!.name);
    expect(policies.sort()).toEqual(["allow-controller-to-api-server", "allow-crds-hook-to-api-server", "allow-dns", "allow-pre-delete-hook-to-api-server", "allow-webhook-from-api-server", "default-deny"]);
    expect(ofKind(PLATFORM, "PodDisruptionBudget").filter((p) => p.metadata!.namespace === "capsule-system")).toHaveLength(1);
  });

  it("its tenancy output names the Capsule it installed; a version-1 output (no Capsule) or another Tenant API is refused", () => {
    const root = resources(PLATFORM).find((r) => r.type === "pulumi:pulumi:Stack")!;
    const good = (root.outputs as Record<string, unknown>).tenancy as Record<string, unknown>;
    expect(good.version).toBe(2);
    expect(good.capsule).toMatchObject({ chartVersion: "0.14.0", apiVersion: "capsule.clastix.io/v1beta2", usersGroup: "socle:tenants" });
    // The same protected namespaces as the CapsuleConfiguration the platform installs.
    const release = capsuleRelease();
    expect((good.capsule as { protectedNamespaces: string }).protectedNamespaces).toBe((release.inputs!.values as any).manager.options.protectedNamespaceRegex);
    const tenant = { tls: { issuer: "internal-ca" } } as never;
    const { capsule: _capsule, ...v1 } = good;
    expect(() => parsePlatformContract({ ...v1, version: 1 }, "h/socle/p", tenant)).toThrow(/version 1, from a socle that does not install Capsule/);
    expect(() => parsePlatformContract({ ...good, capsule: { ...(good.capsule as object), apiVersion: "capsule.clastix.io/v1beta3" } }, "h/socle/p", tenant)).toThrow(/tenancy` at capsule.apiVersion/);
    expect(() => parsePlatformContract(v1, "h/socle/p", tenant)).toThrow(/tenancy` at capsule/);
    // Each tenant renders the Tenant API its platform serves.
    for (const t of TENANTS) for (const o of ofKind(t, "Tenant") as { apiVersion?: string }[]) expect(o.apiVersion).toBe((good.capsule as { apiVersion: string }).apiVersion);
  });

  it("a tenant whose namespaces the platform's Capsule protects is refused at render, naming them and the fix", () => {
    const root = resources(PLATFORM).find((r) => r.type === "pulumi:pulumi:Stack")!;
    const contract = platformContractSchema.parse((root.outputs as Record<string, unknown>).tenancy);
    expect(() => refuseProtectedNamespaces(contract, ["socle-wiki", "socle-chat"], "h/socle/p")).toThrow(InputError);
    expect(() => refuseProtectedNamespaces(contract, ["socle-wiki", "socle-chat"], "h/socle/p")).toThrow(/socle-wiki, socle-chat .*reserved to the platform h\/socle\/p.*choose another socle:organization/);
    expect(() => refuseProtectedNamespaces(contract, ["kube-wiki"], "h/socle/p")).toThrow(/kube-wiki/);
    expect(() => refuseProtectedNamespaces(contract, ["tenant-a-wiki", "tenant-a-chat"], "h/socle/p")).not.toThrow();
    expect(() => refuseProtectedNamespaces({ ...contract, capsule: { ...contract.capsule, protectedNamespaces: "(" } }, ["x-wiki"], "h/socle/p")).toThrow(/not a regular expression/);
  });

  it("socle check on a tenant no longer warns that Capsule is missing", async () => {
    const { result } = await runCheckCommand({ input: join(rendered.get(TENANTS[0])!.outDir, "state.json"), format: "json", out: () => undefined });
    expect(result.findings.filter((f) => f.rule === "release-contract" && f.object === "Tenant/tenant-a")).toEqual([]);
  });

  it("socle check warns when the platform's render has no Capsule release (a platform rendered by an older socle), so the Tenant would be refused", async () => {
    const findings = await checkPlantedAll("platform", (r) => {
      if (r.type === "kubernetes:helm.sh/v3:Release" && r.inputs?.name === "capsule") r.type = "removed:Release";
    });
    const w = findings.filter((f) => f.rule === "release-contract" && f.object === "Tenant/tenant-a");
    expect(w).toHaveLength(1);
    expect(w[0]!.severity).toBe("warning");
    expect(w[0]!.message).toContain("installs no Capsule release");
  });

  /** The platform's state with `plant` applied, checked alone: its blockers. */
  async function checkPlatformPlanted(plant: (r: { type: string; inputs?: any; outputs?: any }) => void) {
    const root = mkdtempSync(join(tmpdir(), "socle-planted-platform-"));
    const state = JSON.parse(readFileSync(join(rendered.get(PLATFORM)!.outDir, "state.json"), "utf8"));
    for (const r of state.deployment.resources) plant(r);
    mkdirSync(join(root, PLATFORM));
    writeFileSync(join(root, PLATFORM, "state.json"), JSON.stringify(state));
    const { result } = await runCheckCommand({ input: join(root, PLATFORM, "state.json"), format: "json", out: () => undefined });
    return result.findings.filter((f) => f.severity === "blocker");
  }
  const isPolicy = (r: { type: string; inputs?: any }, name: string) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy" && r.inputs?.metadata?.namespace === "capsule-system" && r.inputs?.metadata?.name === name;
  const drop = (name: string) => (r: { type: string; inputs?: any; outputs?: any }) => {
    if (isPolicy(r, name)) r.type = "removed:NetworkPolicy";
  };

  it("the platform checks clean with Capsule (no blocker on its webhooks, API-server flows, hook Jobs)", async () => {
    expect(await checkPlatformPlanted(() => undefined)).toEqual([]);
  });

  it("a webhook the API server cannot reach is a blocker on both webhook configurations (planted: policy removed)", async () => {
    const blockers = await checkPlatformPlanted(drop("allow-webhook-from-api-server"));
    const objects = new Set(blockers.filter((b) => b.rule === "flow-webhook").map((b) => b.object));
    expect([...objects].sort()).toEqual(["MutatingWebhookConfiguration/capsule-dynamic-webhook", "ValidatingWebhookConfiguration/capsule-dynamic-webhook"]);
    expect(blockers.find((b) => b.rule === "flow-webhook")!.message).toContain("failurePolicy Fail");
  });

  it("a webhook port the policy does not allow is a blocker (planted: manager.webhookPort 9444)", async () => {
    const blockers = await checkPlatformPlanted((r) => {
      if (r.type === "kubernetes:helm.sh/v3:Release" && r.inputs?.name === "capsule") for (const side of [r.inputs, r.outputs]) side.values.manager.webhookPort = 9444;
    });
    expect(blockers.filter((b) => b.rule === "flow-webhook").map((b) => b.message).join("\n")).toContain("on port 9444");
  });

  it("the controller or the CRD hook Job without API-server egress is a blocker (planted)", async () => {
    const controller = await checkPlatformPlanted(drop("allow-controller-to-api-server"));
    expect(controller.map((b) => `${b.rule} ${b.object}`)).toContain("flow-api-server Deployment/capsule-system/capsule-controller-manager");
    const hook = await checkPlatformPlanted(drop("allow-crds-hook-to-api-server"));
    const b = hook.find((x) => x.rule === "flow-api-server" && x.object === "Job/capsule-system/capsule-crds");
    expect(b!.message).toContain("rolls back");
  });
});

describe("Capsule, per tenant", () => {
  it("each tenant creates its namespaces after its Capsule Tenant, which Capsule requires of a labelled namespace", () => {
    for (const tenant of TENANTS) {
      const tenantUrn = resources(tenant).find((r) => r.type === "kubernetes:capsule.clastix.io/v1beta2:Tenant")!.urn;
      const namespaces = resources(tenant).filter((r) => r.type === "kubernetes:core/v1:Namespace");
      expect(namespaces.length).toBe(5);
      for (const ns of namespaces) expect(ns.dependencies ?? [], ns.urn).toContain(tenantUrn);
    }
  });

  it("each tenant renders one Capsule Tenant named after its organization, covering all its namespaces, with a quota above what it renders", () => {
    for (const tenant of TENANTS) {
      const [t, ...more] = ofKind(tenant, "Tenant") as { metadata: { name: string }; spec: Record<string, any> }[];
      expect(more).toEqual([]);
      const org = tenant.replace("-exemple", "");
      expect(t.metadata.name).toBe(org);
      const namespaces = new Set(ofKind(tenant, "Namespace").map((n) => n.metadata!.name));
      expect(t.spec.namespaceOptions.quota).toBe(namespaces.size);
      for (const ns of namespaces) expect(ns).toMatch(new RegExp(`^${org}-`));
      for (const n of ofKind(tenant, "Namespace")) expect((n.metadata as { labels?: Record<string, string> }).labels?.["capsule.clastix.io/tenant"]).toBe(org);
      const hard = t.spec.resourceQuotas.items[0].hard as Record<string, string>;
      expect(Number(hard.pods)).toBeGreaterThan(ofKind(tenant, "Deployment").length);
    }
  });
});

describe("a tenant rendered without its platform", () => {
  it("refuses with the command that renders the platform, before writing anything", () => {
    expect(() => readPlatformOutputs({ root: join(out, "nowhere") }, "hebergeur/socle/hebergeur-plateforme")).toThrow(InputError);
    expect(() => readPlatformOutputs({ root: join(out, "nowhere") }, "hebergeur/socle/hebergeur-plateforme")).toThrow(/socle render hebergeur-plateforme/);
  });

  it("a platform output missing or of another issuer is a clear error", () => {
    const tenant = { tls: { issuer: "internal-ca" } } as never;
    expect(() => parsePlatformContract(undefined, "h/socle/p", tenant)).toThrow(/has no `tenancy` output/);
    const root = resources(PLATFORM).find((r) => r.type === "pulumi:pulumi:Stack")!;
    const good = (root.outputs as Record<string, unknown>).tenancy as Record<string, unknown>;
    expect(() => parsePlatformContract({ ...good, gateway: { name: "x" } }, "h/socle/p", tenant)).toThrow(/tenancy` at gateway/);
    expect(() => parsePlatformContract(good, "h/socle/p", { tls: { issuer: "acme" } } as never)).toThrow(/set socle:tlsIssuer: internal-ca/);
  });

  it("socle check says the platform's Gateway was not checked when the platform's render is not beside the tenant's", async () => {
    const alone = mkdtempSync(join(tmpdir(), "socle-alone-"));
    const tenantDir = rendered.get(TENANTS[0])!.outDir;
    const { cpSync } = await import("node:fs");
    cpSync(tenantDir, join(alone, TENANTS[0]), { recursive: true });
    let text = "";
    const { result } = await runCheckCommand({ input: join(alone, TENANTS[0], "state.json"), format: "json", out: (s) => (text += s) });
    const notChecked = result.findings.filter((f) => f.rule === "httproute-refs" && f.severity === "warning");
    expect(notChecked.length).toBe(5);
    expect(notChecked[0]!.message).toContain("not checked");
    expect(readFileSync(join(alone, TENANTS[0], "state.json"), "utf8").length).toBeGreaterThan(0);
  });
});
