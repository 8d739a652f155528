import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { CHAT_DB_LABELS, CHAT_LABELS, ELEMENT_PORT, renderChatChart, SYNAPSE_PORT, type ChatChartProps } from "../../charts/chat";
import { secretConfig, signingKeyFile } from "../../charts/chat/homeserver";
import { isSecretName, secretLines } from "../../policies/controls/lib/secret-names";
import { flowTable, type NetworkPolicy, type Workload } from "../../src/analysis/reachability";
import { appHostname } from "../../src/program/index";
import { planClients } from "../../src/program/sso";
import { ManifestValidator } from "../../src/validate/manifests";
import { SHARED } from "../helpers/render";
import { BACKUP_CREDENTIALS } from "../../charts/lib/secrets";
import { objectStoreOf } from "../helpers/backup";

const digest = (c: string) => `@sha256:${c.repeat(64)}`;
const GATEWAY_PODS = { "gateway.envoyproxy.io/owning-gateway-name": "socle" };
const GARAGE = { namespace: "socle-storage", pods: { "app.kubernetes.io/name": "garage" } };

const chatProps: ChatChartProps = {
  namespace: "org-chat",
  hostname: "chat.org.example",
  serverName: "chat.org.example",
  brand: "Org",
  sizing: "small",
  storageClass: "standard",
  images: {
    synapse: `registry.example/synapse:1${digest("a")}`,
    elementWeb: `registry.example/element-web:1${digest("b")}`,
    postgresql: `registry.example/postgresql:17${digest("c")}`,
  },
  gateway: { name: "socle", namespace: "socle-gateway", listener: "https-chat", pods: GATEWAY_PODS, podNamespace: "envoy-gateway-system" },
  clusterIssuer: "socle",
  publicGateway: { peers: [{ namespace: "envoy-gateway-system", pods: GATEWAY_PODS }], ports: [10443] },
  federationAllowlist: [],
  backup: {
    destinationPath: "s3://org-backups/chat",
    endpointURL: "http://garage.socle-storage.svc:3900",
    credentialsSecret: BACKUP_CREDENTIALS,
    retentionDays: 30,
    peer: GARAGE,
    port: 3900,
  },
  apiServer: { peers: [{ cidr: "10.0.0.0/8" }], ports: [443, 6443] },
  cnpgOperatorNamespace: "cnpg-system",
};

const objs = renderChatChart(chatProps) as any[];
const find = (list: any[], kind: string, name: string) => list.find((o) => o.kind === kind && o.metadata.name === name);
const podOf = (o: any) => o.spec.template.spec;
const deployments = objs.filter((o) => o.kind === "Deployment");
const homeserver = parse(find(objs, "ConfigMap", "synapse-config").data["homeserver.yaml"]);
const elementJson = find(objs, "ConfigMap", "element-config").data["config.json"] as string;
const element = JSON.parse(elementJson);

describe("chat chart: security of every workload", () => {
  it("labels the namespace for Pod Security Admission at restricted", () => {
    const ns = find(objs, "Namespace", "org-chat");
    for (const mode of ["enforce", "audit", "warn"]) expect(ns.metadata.labels[`pod-security.kubernetes.io/${mode}`]).toBe("restricted");
  });

  it.each(deployments.map((d) => [d.metadata.name, d]))("%s runs restricted with probes, resources and a read-only root", (_n, d: any) => {
    const pod = podOf(d);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.seccompProfile).toEqual({ type: "RuntimeDefault" });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(find(objs, "ServiceAccount", pod.serviceAccountName).automountServiceAccountToken).toBe(false);
    for (const c of pod.containers) {
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
      expect(c.image).toMatch(/@sha256:[0-9a-f]{64}$/);
      expect(c.resources.requests.cpu).toBeDefined();
      expect(c.resources.limits.memory).toBeDefined();
      expect(c.readinessProbe).toBeDefined();
      expect(c.livenessProbe).toBeDefined();
    }
    expect(pod.volumes.find((v: any) => v.name === "tmp").emptyDir.sizeLimit).toBeDefined();
  });

  it("runs Synapse as uid 991 and Element as nginx (101)", () => {
    const synapse = podOf(find(objs, "Deployment", "synapse"));
    expect(synapse.securityContext).toMatchObject({ runAsUser: 991, runAsGroup: 991, fsGroup: 991 });
    expect(synapse.containers[0].readinessProbe.httpGet).toMatchObject({ path: "/health", port: SYNAPSE_PORT });
    expect(podOf(find(objs, "Deployment", "element-web")).securityContext.runAsUser).toBe(101);
  });

  it("keeps media on a protected volume and the database on a C-collated CloudNativePG cluster", () => {
    const synapse = podOf(find(objs, "Deployment", "synapse"));
    expect(synapse.volumes.find((v: any) => v.name === "media").persistentVolumeClaim.claimName).toBe("synapse-media");
    expect(synapse.containers[0].volumeMounts.find((m: any) => m.name === "media").mountPath).toBe(homeserver.media_store_path);
    expect(find(objs, "PersistentVolumeClaim", "synapse-media").metadata.labels["socle.io/stateful"]).toBe("true");
    expect(find(objs, "Deployment", "synapse").spec.strategy.type).toBe("Recreate");
    const db = find(objs, "Cluster", "synapse-db");
    expect(db.spec.bootstrap.initdb).toMatchObject({ database: "synapse", owner: "synapse", localeCollate: "C", localeCType: "C" });
    expect(db.spec.instances).toBeGreaterThanOrEqual(2);
    expect(objectStoreOf(objs, "synapse-db").spec.configuration.destinationPath).toBe("s3://org-backups/chat");
    expect(find(objs, "ScheduledBackup", "synapse-db-nightly").spec.cluster.name).toBe("synapse-db");
  });

  it("replicates Element from medium with a PDB and spread; Synapse stays single", () => {
    const big = renderChatChart({ ...chatProps, sizing: "medium" }) as any[];
    const el = find(big, "Deployment", "element-web");
    expect(el.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(podOf(el).affinity.podAntiAffinity).toBeDefined();
    expect(find(big, "PodDisruptionBudget", "element-web").spec.selector.matchLabels).toEqual(CHAT_LABELS.element);
    expect(find(big, "Deployment", "synapse").spec.replicas).toBe(1);
    expect(find(big, "PodDisruptionBudget", "synapse")).toBeUndefined();
  });
});

describe("chat chart: configuration and secrets", () => {
  it("merges a secret-free homeserver.yaml with a secrets file from the Secret", () => {
    const args = podOf(find(objs, "Deployment", "synapse")).containers[0].command as string[];
    expect(args.filter((a) => a === "--config-path")).toHaveLength(2);
    expect(args).toContain("/config/homeserver.yaml");
    expect(args).toContain("/secrets/secrets.yaml");
    const secretVolume = podOf(find(objs, "Deployment", "synapse")).volumes.find((v: any) => v.name === "secrets");
    expect(secretVolume.secret).toEqual({ secretName: "synapse-secrets", defaultMode: 0o440 });
    for (const key of ["database", "oidc_providers", "registration_shared_secret", "macaroon_secret_key", "form_secret"]) expect(homeserver[key], key).toBeUndefined();
    expect(homeserver.signing_key_path).toBe("/secrets/signing.key");
  });

  it("no ConfigMap holds a secret-looking line, no env literal is secret-named, the chart emits no Secret", () => {
    for (const m of objs.filter((o) => o.kind === "ConfigMap")) {
      for (const [k, v] of Object.entries(m.data as Record<string, string>)) expect(secretLines(v), `${m.metadata.name}/${k}`).toEqual([]);
    }
    for (const d of deployments) for (const e of podOf(d).containers[0].env ?? []) if (isSecretName(e.name)) expect(e.value).toBeUndefined();
    expect(objs.filter((o) => o.kind === "Secret")).toEqual([]);
  });

  it("signs in only through the identity provider, federation off", () => {
    expect(homeserver.enable_registration).toBe(false);
    expect(homeserver.password_config).toEqual({ enabled: false });
    expect(homeserver.federation_domain_whitelist).toEqual([]);
    expect(homeserver.listeners).toHaveLength(1);
    expect(homeserver.listeners[0].resources[0].names).toEqual(["client"]);
    expect(homeserver.serve_server_wellknown).toBe(false);
    expect(homeserver.public_baseurl).toBe("https://chat.org.example/");
    expect(homeserver.report_stats).toBe(false);
    expect(find(objs, "ConfigMap", "element-config").data["well-known-server.json"]).toBeUndefined();
    expect(find(objs, "ConfigMap", "element-nginx").data["default.conf"]).not.toContain("/.well-known/matrix/server");
  });

  it("builds the secrets file with the database, the OIDC provider and the generated keys", () => {
    const text = secretConfig({
      database: { host: "synapse-db-rw", name: "synapse", user: "synapse", password: "db-canary", poolMax: 10 },
      registrationSharedSecret: "reg-canary",
      macaroonSecretKey: "mac-canary",
      formSecret: "form-canary",
      oidc: { issuer: "https://auth.org.example/realms/org", clientId: "chat", clientSecret: "oidc-canary", displayName: "Org" },
    });
    const s = parse(text);
    expect(s.database).toEqual({ name: "psycopg2", args: { user: "synapse", password: "db-canary", database: "synapse", host: "synapse-db-rw", port: 5432, cp_min: 5, cp_max: 10 } });
    expect(s.oidc_providers[0]).toMatchObject({ issuer: "https://auth.org.example/realms/org", client_id: "chat", client_secret: "oidc-canary", backchannel_logout_enabled: true });
    expect(s.registration_shared_secret).toBe("reg-canary");
    expect(s.trusted_key_servers).toEqual([]);
  });

  it("writes the signing key in Synapse's one-line format", () => {
    const seed = Buffer.alloc(32, 7).toString("base64");
    expect(signingKeyFile(seed)).toBe(`ed25519 a_socle ${seed.replace(/=+$/, "")}\n`);
    expect(() => signingKeyFile(seed, "bad id")).toThrow(/key id/);
    expect(() => signingKeyFile("")).toThrow(/empty/);
  });

  it("points Element at the homeserver and at no third-party service", () => {
    expect(element.default_server_config).toEqual({ "m.homeserver": { base_url: "https://chat.org.example", server_name: "chat.org.example" } });
    expect(element.default_server_name).toBeUndefined();
    expect(element.sso_redirect_options).toEqual({ on_welcome_page: true });
    expect(element.disable_custom_urls).toBe(true);
    expect(element.bug_report_endpoint_url).toBeUndefined();
    expect(element.integrations_ui_url).toBe("");
    for (const host of ["vector.im", "element.io", "matrix.org", "riot.im", "matrix.to", "posthog", "sentry"]) expect(elementJson, host).not.toContain(host);
  });

  it("with an allowlist, serves federation to those servers only", () => {
    const fed = renderChatChart({ ...chatProps, federationAllowlist: ["matrix.partner.example"] }) as any[];
    const hs = parse(find(fed, "ConfigMap", "synapse-config").data["homeserver.yaml"]);
    expect(hs.federation_domain_whitelist).toEqual(["matrix.partner.example"]);
    expect(hs.listeners[0].resources[0].names).toEqual(["client", "federation"]);
    expect(JSON.parse(find(fed, "ConfigMap", "element-config").data["well-known-server.json"])).toEqual({ "m.server": "chat.org.example:443" });
    expect(find(fed, "NetworkPolicy", "allow-synapse-to-federation").spec.egress[0].ports.map((p: any) => p.port)).toEqual([443, 8448]);
    expect(() => renderChatChart({ ...chatProps, federationAllowlist: ["Not A Domain"] })).toThrow(/federation allowlist entry "Not A Domain"/);
  });
});

describe("chat chart: routing and SSO", () => {
  const route = find(objs, "HTTPRoute", "chat");
  const byPath = Object.fromEntries(route.spec.rules.map((r: any) => [r.matches[0].path.value, r.backendRefs[0].name]));

  it("serves Element at / and Synapse's client API and SSO pages, not its admin API", () => {
    expect(route.spec.parentRefs[0].sectionName).toBe("https-chat");
    expect(route.spec.hostnames).toEqual(["chat.org.example"]);
    expect(byPath).toEqual({ "/": "element-web", "/_matrix/client": "synapse", "/_matrix/media": "synapse", "/_synapse/client": "synapse" });
    expect(byPath["/_synapse/admin"]).toBeUndefined();
    expect(find(objs, "Certificate", "chat-tls").spec.dnsNames).toEqual(["chat.org.example"]);
  });

  it("registers an SSO client whose redirect URI is on the route's hostname and reaches Synapse", () => {
    const config = { organization: { id: "org", name: "Org" }, domain: "org.example", apps: ["identity", "chat"] } as any;
    const [client] = planClients(config, (app) => appHostname(config, app));
    expect(client!.clientId).toBe("chat");
    const uri = new URL(client!.redirectUris[0]!);
    expect(uri.hostname).toBe(route.spec.hostnames[0]);
    expect(uri.pathname).toBe("/_synapse/client/oidc/callback");
    expect(uri.pathname.startsWith("/_synapse/client")).toBe(true);
  });

  it("every manifest is valid against the Kubernetes and CRD schemas", () => {
    const validator = new ManifestValidator([join(SHARED, "crds")]);
    expect(objs.flatMap((o) => validator.validate(o))).toEqual([]);
  });
});

/** Flows to addresses outside the cluster (ipBlock peers), which the pod-level flow table does not model. */
const externalFlows = (policies: readonly any[]) =>
  policies
    .flatMap((p) =>
      (p.spec.egress ?? []).flatMap((rule: any) =>
        (rule.to ?? []).filter((peer: any) => peer.ipBlock).flatMap((peer: any) => (rule.ports ?? []).map((port: any) => `${p.metadata.name}: ${peer.ipBlock.cidr}:${port.port}`)),
      ),
    )
    .sort();

describe("chat chart: network flows", () => {
  const w = (id: string, namespace: string, labels: Record<string, string>, ports: number[]): Workload => ({ id, namespace, labels, ports });
  const outside = ["gateway", "cnpg-operator", "garage", "dns", "other-tenant"];
  const tableOf = (objects: readonly any[]) =>
    flowTable(objects.filter((o) => o.kind === "NetworkPolicy") as NetworkPolicy[], [
      w("gateway", "envoy-gateway-system", GATEWAY_PODS, [10443]),
      w("synapse", "org-chat", CHAT_LABELS.synapse, [SYNAPSE_PORT]),
      w("element", "org-chat", CHAT_LABELS.element, [ELEMENT_PORT]),
      w("db", "org-chat", CHAT_DB_LABELS, [5432, 8000]),
      w("cnpg-operator", "cnpg-system", { "app.kubernetes.io/name": "cloudnative-pg" }, [9443]),
      w("garage", "socle-storage", GARAGE.pods, [3900]),
      w("dns", "kube-system", { "k8s-app": "kube-dns" }, [53]),
      w("other-tenant", "other-chat", CHAT_LABELS.synapse, [SYNAPSE_PORT]),
    ]).filter((f) => {
      const [from, to] = f.split(" -> ");
      return !(outside.includes(from!) && outside.includes(to!.split(":")[0]!));
    });
  const inCluster = [
    "cnpg-operator -> db:5432",
    "cnpg-operator -> db:8000",
    "db -> db:5432",
    "db -> db:8000",
    "db -> dns:53",
    "db -> garage:3900",
    "element -> dns:53",
    "gateway -> element:8080",
    "gateway -> synapse:8008",
    "synapse -> db:5432",
    "synapse -> dns:53",
    "synapse -> gateway:10443",
  ].sort();
  const federated = renderChatChart({ ...chatProps, federationAllowlist: ["matrix.partner.example", "chat.other.example"] }) as any[];
  const apiServerFlows = externalFlows(objs.filter((o) => o.kind === "NetworkPolicy" && o.metadata.name !== "allow-synapse-to-federation"));
  const routeOf = (objects: readonly any[]) => find(objects as any[], "HTTPRoute", "chat").spec.rules.map((r: any) => r.matches[0].path.value);

  it("reaches outside the pod network only for the Kubernetes API when federation is off", () => {
    expect(apiServerFlows.length).toBeGreaterThan(0);
    expect(apiServerFlows.every((f) => f.includes("10.0.0.0/8"))).toBe(true);
  });

  it("federation off: exactly the intended flows, nothing leaves the cluster, no federation route, listener or well-known", () => {
    expect(tableOf(objs)).toEqual(inCluster);
    // The only addresses outside the pod network: the Kubernetes API for the database (CloudNativePG instance manager).
    expect(externalFlows(objs.filter((o) => o.kind === "NetworkPolicy"))).toEqual(apiServerFlows);
    expect(routeOf(objs).filter((p: string) => p.startsWith("/_matrix/federation") || p.startsWith("/_matrix/key"))).toEqual([]);
    expect(parse(find(objs, "ConfigMap", "synapse-config").data["homeserver.yaml"]).listeners[0].resources[0].names).toEqual(["client"]);
  });

  it("federation on: the allowlist in Synapse's config, the same in-cluster flows plus HTTPS and 8448 out for Synapse only, and the federation paths routed", () => {
    expect(parse(find(federated, "ConfigMap", "synapse-config").data["homeserver.yaml"]).federation_domain_whitelist).toEqual(["chat.other.example", "matrix.partner.example"]);
    expect(tableOf(federated)).toEqual(inCluster);
    expect(externalFlows(federated.filter((o) => o.kind === "NetworkPolicy"))).toEqual(
      [...apiServerFlows, "allow-synapse-to-federation: 0.0.0.0/0:443", "allow-synapse-to-federation: 0.0.0.0/0:8448"].sort(),
    );
    expect(find(federated, "NetworkPolicy", "allow-synapse-to-federation").spec.podSelector.matchLabels).toEqual(CHAT_LABELS.synapse);
    expect(routeOf(federated)).toEqual(expect.arrayContaining(["/_matrix/federation", "/_matrix/key"]));
    expect(find(federated, "HTTPRoute", "chat").spec.rules.filter((r: any) => r.matches[0].path.value.startsWith("/_matrix/")).every((r: any) => r.backendRefs[0].name === "synapse")).toBe(true);
  });
});
