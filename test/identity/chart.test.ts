import { describe, expect, it } from "vitest";
import { KEYCLOAK_ADMIN_PATH, KEYCLOAK_APPLICATION_DAT, KEYCLOAK_BUILD_DIR, KEYCLOAK_LABELS, KEYCLOAK_PUBLIC_PATHS, KEYCLOAK_UID, renderIdentityChart } from "../../charts/identity";
import { flowTable, type NetworkPolicy, type Workload } from "../../src/analysis/reachability";
import { ManifestValidator } from "../../src/validate/manifests";
import { wikiProps } from "../helpers/wiki-props";
import { CRDS, PROCONNECT_LIKE, identityProps } from "./fixtures";
import { objectStoreOf } from "../helpers/backup";

const objs = renderIdentityChart(identityProps()) as any[];
const find = (list: any[], kind: string, name: string) => list.find((o) => o.kind === kind && o.metadata.name === name);
const deployment = find(objs, "Deployment", "keycloak");
const pod = deployment.spec.template.spec;
const [seed, build] = pod.initContainers;
const [server] = pod.containers;
const envOf = (c: any) => new Map<string, any>(c.env.map((e: any) => [e.name, e]));

describe("identity chart: security defaults", () => {
  it("labels the namespace for Pod Security Admission at restricted", () => {
    expect(find(objs, "Namespace", "org-identity").metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  });

  it("runs every container non-root, read-only, without capabilities, escalation or service-account token", () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: KEYCLOAK_UID, seccompProfile: { type: "RuntimeDefault" } });
    for (const c of [seed, build, server]) {
      expect(c.securityContext, c.name).toMatchObject({ allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
    }
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(find(objs, "ServiceAccount", "keycloak").automountServiceAccountToken).toBe(false);
    expect(deployment.metadata.annotations?.["socle.io/security-exceptions"]).toBeUndefined();
  });

  it("builds the server once per pod into an emptyDir, then starts it optimized with that directory read-only", () => {
    expect(build.args).toEqual(["build"]);
    expect(server.args).toEqual(["start", "--optimized"]);
    expect(build.volumeMounts).toContainEqual({ name: "build", mountPath: "/opt/keycloak/lib/quarkus" });
    expect(server.volumeMounts).toContainEqual({ name: "build", mountPath: "/opt/keycloak/lib/quarkus", readOnly: true });
    expect(pod.volumes.find((v: any) => v.name === "build").emptyDir).toBeDefined();
    // The build-time options the build bakes in are the ones the server runs with.
    for (const name of ["KC_DB", "KC_HEALTH_ENABLED", "KC_METRICS_ENABLED", "KC_CACHE"]) expect(envOf(build).get(name), name).toEqual(envOf(server).get(name));
    // Every other writable path is an emptyDir too.
    for (const path of ["/opt/keycloak/data/tmp", "/tmp"]) expect(server.volumeMounts.map((m: any) => m.mountPath)).toContain(path);
  });

  // quarkusio/quarkus QuarkusEntryPoint.java (`QUARKUS_APPLICATION_DAT = "quarkus/quarkus-application.dat"`,
  // resolved against /opt/keycloak/lib): the image ships that file in the directory the build volume covers.
  it("copies the image's /opt/keycloak/lib/quarkus (quarkus-application.dat) into the build volume before any container mounts it there", () => {
    expect(KEYCLOAK_BUILD_DIR).toBe("/opt/keycloak/lib/quarkus");
    expect(KEYCLOAK_APPLICATION_DAT).toBe("quarkus-application.dat");
    const inits = pod.initContainers as any[];
    const firstOver = inits.findIndex((c) => c.volumeMounts?.some((m: any) => m.name === "build" && m.mountPath === KEYCLOAK_BUILD_DIR));
    const seeder = inits.findIndex((c) => c.volumeMounts?.some((m: any) => m.name === "build" && m.mountPath !== KEYCLOAK_BUILD_DIR));
    expect(seeder).toBeGreaterThanOrEqual(0);
    expect(seeder).toBeLessThan(firstOver);
    const s = inits[seeder];
    const target = s.volumeMounts.find((m: any) => m.name === "build").mountPath;
    expect(s.command).toEqual(["cp", "-R", `${KEYCLOAK_BUILD_DIR}/.`, `${target}/`]);
    expect(s.image).toBe(server.image);
    expect(s.volumeMounts.some((m: any) => m.mountPath === KEYCLOAK_BUILD_DIR)).toBe(false);
  });

  it("probes the management port's health endpoints and sets requests and a memory limit", () => {
    expect(server.startupProbe.httpGet).toMatchObject({ path: "/health/started", port: 9000 });
    expect(server.readinessProbe.httpGet).toMatchObject({ path: "/health/ready", port: 9000 });
    expect(server.livenessProbe.httpGet).toMatchObject({ path: "/health/live", port: 9000 });
    for (const c of [build, server]) {
      expect(c.resources.requests.cpu, c.name).toBeDefined();
      expect(c.resources.requests.memory, c.name).toBeDefined();
      expect(c.resources.limits.memory, c.name).toBeDefined();
    }
  });

  it("reads every credential from Secrets, none as a literal", () => {
    // Client secrets go to the reconcile Job (which writes them into the realm), not to the server.
    const env = new Map([...envOf(server), ...envOf(objs.find((o: any) => o.kind === "Job").spec.template.spec.containers[0])]);
    expect(envOf(server).has("SOCLE_CLIENT_SECRET_WIKI")).toBe(false);
    for (const name of ["KC_DB_USERNAME", "KC_DB_PASSWORD", "KC_BOOTSTRAP_ADMIN_USERNAME", "KC_BOOTSTRAP_ADMIN_PASSWORD", "KEYCLOAK_USER", "KEYCLOAK_PASSWORD", "SOCLE_CLIENT_SECRET_WIKI", "SOCLE_CLIENT_SECRET_CHAT"]) {
      const e = env.get(name);
      expect(e, name).toBeDefined();
      expect(e.value, name).toBeUndefined();
      expect(e.valueFrom.secretKeyRef.name, name).toMatch(/^keycloak-(db-app|admin|clients)$/);
    }
    expect(env.get("SOCLE_CLIENT_SECRET_WIKI").valueFrom.secretKeyRef).toEqual({ name: "keycloak-clients", key: "wiki" });
  });

  it("serves its public hostname through the gateway's HTTPS listener, with a certificate", () => {
    const route = find(objs, "HTTPRoute", "keycloak");
    expect(route.spec.hostnames).toEqual(["auth.org.example"]);
    expect(route.spec.parentRefs[0].sectionName).toBe("https-identity");
    expect(route.spec.rules[0].backendRefs[0]).toMatchObject({ name: "keycloak", port: 8080 });
    expect(find(objs, "Certificate", "identity-tls").spec.dnsNames).toEqual(["auth.org.example"]);
    expect(server.env.find((e: any) => e.name === "KC_HOSTNAME").value).toBe("https://auth.org.example");
  });

  // Keycloak's reverse-proxy guide, "Exposed path recommendations" (26.x): expose /realms/, /resources/,
  // /.well-known/; never / (it exposes the admin paths) nor /admin/ to the public.
  it("publishes only upstream's recommended paths, and the admin console only to the admin networks", () => {
    expect([...KEYCLOAK_PUBLIC_PATHS].sort()).toEqual(["/.well-known/", "/realms/", "/resources/"]);
    const routes = objs.filter((o) => o.kind === "HTTPRoute");
    const prefixes = (r: any) => r.spec.rules.flatMap((rule: any) => rule.matches.map((m: any) => `${m.path.type} ${m.path.value}`));
    expect(prefixes(find(objs, "HTTPRoute", "keycloak"))).toEqual(["PathPrefix /.well-known/", "PathPrefix /realms/", "PathPrefix /resources/"]);
    expect(prefixes(find(objs, "HTTPRoute", "keycloak-admin"))).toEqual([`PathPrefix ${KEYCLOAK_ADMIN_PATH}`]);
    for (const r of routes) expect(prefixes(r), r.metadata.name).not.toContain("PathPrefix /");
    // Every route that reaches /admin/ carries an allowlist of exactly the admin CIDRs, denying the rest.
    const policies = objs.filter((o) => o.kind === "SecurityPolicy");
    for (const r of routes.filter((r) => prefixes(r).some((p: string) => p.endsWith(" /admin/")))) {
      const policy = policies.find((p) => p.spec.targetRefs.some((t: any) => t.kind === "HTTPRoute" && t.name === r.metadata.name));
      expect(policy, r.metadata.name).toBeDefined();
      expect(policy.apiVersion).toBe("gateway.envoyproxy.io/v1alpha1");
      expect(policy.spec.authorization).toEqual({ defaultAction: "Deny", rules: [{ name: "admin-networks", action: "Allow", principal: { clientCIDRs: ["192.0.2.0/24"] } }] });
    }
    // No admin network: no admin route at all.
    const closed = renderIdentityChart(identityProps({ adminCidrs: [] })) as any[];
    expect(closed.filter((o) => o.kind === "HTTPRoute").map((o) => o.metadata.name)).toEqual(["keycloak"]);
    expect(closed.filter((o) => o.kind === "SecurityPolicy")).toEqual([]);
  });

  it("keeps its data in a replicated, backed-up CloudNativePG cluster", () => {
    const db = find(objs, "Cluster", "keycloak-db");
    expect(db.spec.instances).toBeGreaterThanOrEqual(2);
    expect(db.spec.enableSuperuserAccess).toBe(false);
    expect(objectStoreOf(objs, "keycloak-db").spec.configuration.destinationPath).toBe("s3://org-backups/identity");
    expect(find(objs, "ScheduledBackup", "keycloak-db-nightly").spec.cluster.name).toBe("keycloak-db");
  });

  it("every object is valid against the Kubernetes and CRD schemas", () => {
    const validator = new ManifestValidator([CRDS]);
    // Envoy Gateway's CRDs are not among ../shared/crds; the SecurityPolicy is checked field by field above.
    expect(objs.filter((o) => o.kind !== "SecurityPolicy").flatMap((o) => validator.validate(o))).toEqual([]);
  });
});

describe("identity chart: sizing", () => {
  it("runs one replica without budget or spread at small", () => {
    const small = renderIdentityChart(identityProps({ sizing: "small" })) as any[];
    expect(find(small, "Deployment", "keycloak").spec.replicas).toBe(1);
    expect(find(small, "Deployment", "keycloak").spec.template.spec.affinity).toBeUndefined();
    expect(find(small, "PodDisruptionBudget", "keycloak")).toBeUndefined();
    expect(find(small, "NetworkPolicy", "allow-keycloak-cluster-in")).toBeUndefined();
  });

  it("spreads replicas over nodes with a disruption budget from medium", () => {
    for (const [sizing, replicas] of [["medium", 2], ["large", 3]] as const) {
      const list = renderIdentityChart(identityProps({ sizing })) as any[];
      const d = find(list, "Deployment", "keycloak");
      expect(d.spec.replicas, sizing).toBe(replicas);
      expect(d.spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe("kubernetes.io/hostname");
      expect(find(list, "PodDisruptionBudget", "keycloak").spec.maxUnavailable).toBe(1);
      expect(find(list, "NetworkPolicy", "allow-keycloak-cluster-in"), sizing).toBeDefined();
    }
  });
});

describe("identity chart: network flows", () => {
  const w = (id: string, namespace: string, labels: Record<string, string>, ports: number[]): Workload => ({ id, namespace, labels, ports });
  const workloads = [
    w("gateway", "envoy-gateway-system", wikiProps.gateway.pods, [10443]),
    w("keycloak", "org-identity", KEYCLOAK_LABELS, [8080, 9000, 7800, 57800]),
    w("db", "org-identity", { "cnpg.io/cluster": "keycloak-db" }, [5432, 8000]),
    w("cnpg-operator", "cnpg-system", { "app.kubernetes.io/name": "cloudnative-pg" }, [9443]),
    w("garage", "socle-storage", { "app.kubernetes.io/name": "garage" }, [3900]),
    w("dns", "kube-system", { "k8s-app": "kube-dns" }, [53]),
    w("wiki", "org-wiki", { "app.kubernetes.io/name": "xwiki" }, [8080]),
    w("reconcile", "org-identity", { "app.kubernetes.io/name": "keycloak-config-cli", "app.kubernetes.io/part-of": "socle-identity" }, []),
  ];
  const tableOf = (list: any[]) => flowTable(list.filter((o) => o.kind === "NetworkPolicy") as NetworkPolicy[], workloads).filter((f) => /keycloak|db|reconcile/.test(f));

  it("allows exactly the intended flows with replicas and a back-channel logout client", () => {
    expect(tableOf(objs)).toEqual(
      [
        "cnpg-operator -> db:5432",
        "cnpg-operator -> db:8000",
        "db -> db:5432",
        "db -> db:8000",
        "db -> dns:53",
        "db -> garage:3900",
        "gateway -> keycloak:8080",
        "keycloak -> db:5432",
        "keycloak -> dns:53",
        "keycloak -> gateway:10443",
        "keycloak -> keycloak:57800",
        "keycloak -> keycloak:7800",
        "reconcile -> dns:53",
        "reconcile -> keycloak:8080",
      ].sort(),
    );
  });

  it("never exposes the management port, nor lets apps reach Keycloak except through the gateway", () => {
    const table = tableOf(objs);
    expect(table.filter((f) => f.endsWith(":9000"))).toEqual([]);
    expect(table).not.toContain("wiki -> keycloak:8080");
  });

  it("drops the cluster and back-channel flows when there is one replica and no back-channel client", () => {
    const realm = identityProps().realm;
    const single = renderIdentityChart(identityProps({ sizing: "small", realm: { ...realm, clients: realm.clients.filter((c) => !c.backchannelLogoutUrl) } })) as any[];
    const table = tableOf(single);
    expect(table.filter((f) => f.startsWith("keycloak -> keycloak") || f === "keycloak -> gateway:10443")).toEqual([]);
  });

  it("refuses a back-channel logout client without a way to reach the gateway", () => {
    expect(() => renderIdentityChart(identityProps({ publicGateway: undefined }))).toThrow(/back-channel logout URL but publicGateway is not set/);
  });
});

describe("identity chart: private CA and federation", () => {
  it("adds the internal CA to Keycloak's truststore when one is given", () => {
    const list = renderIdentityChart(identityProps({ caBundle: { configMap: "socle-ca", key: "ca.crt" } })) as any[];
    const spec = find(list, "Deployment", "keycloak").spec.template.spec;
    expect(spec.containers[0].env).toContainEqual({ name: "KC_TRUSTSTORE_PATHS", value: "/etc/socle/ca/ca.crt" });
    expect(spec.volumes).toContainEqual({ name: "ca", configMap: { name: "socle-ca" } });
    expect(envOf(server).has("KC_TRUSTSTORE_PATHS")).toBe(false);
  });

  it("with federation, resolves the upstream client secret from the Secret and opens HTTPS egress", () => {
    const realm = { ...identityProps().realm, federation: [PROCONNECT_LIKE] };
    const list = renderIdentityChart(identityProps({ realm })) as any[];
    const job = list.find((o) => o.kind === "Job");
    const env = envOf(job.spec.template.spec.containers[0]);
    expect(env.get("SOCLE_CLIENT_SECRET_FEDERATION_PROCONNECT").valueFrom.secretKeyRef).toEqual({ name: "keycloak-clients", key: "federation-proconnect" });
    expect(find(list, "NetworkPolicy", "allow-keycloak-to-federation").spec.egress[0].ports).toEqual([{ port: 443, protocol: "TCP" }]);
    expect(find(objs, "NetworkPolicy", "allow-keycloak-to-federation")).toBeUndefined();
  });
});
