import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { parseAllDocuments } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import {
  MAIL_DB_LABELS,
  MAIL_LABELS,
  MAIL_LOAD_BALANCER,
  MAIL_SECRETS,
  ROUNDCUBE_PORT,
  STALWART_PORTS,
  WEBMAIL_DB_LABELS,
  renderMailChart,
  type MailChartProps,
} from "../../charts/mail";
import { DKIM_PLACEHOLDER, mailDnsRecords } from "../../charts/mail/dns-records";
import { ROUNDCUBE_UID } from "../../charts/mail/roundcube";
import { STALWART_JMAP_PATH, STALWART_UID } from "../../charts/mail/stalwart";
import { isSecretName, secretLines } from "../../policies/controls/lib/secret-names";
import { flowTable, type NetworkPolicy, type Workload } from "../../src/analysis/reachability";
import { appHostname } from "../../src/program/index";
import { planClients } from "../../src/program/sso";
import { renderStack, type RenderResult } from "../../src/render/render";
import { ManifestValidator } from "../../src/validate/manifests";
import { ROOT, SHARED } from "../helpers/render";
import { objectStoreOf } from "../helpers/backup";

const digest = (c: string) => `@sha256:${c.repeat(64)}`;
const GATEWAY_PODS = { "gateway.envoyproxy.io/owning-gateway-name": "socle" };
const GARAGE = { namespace: "socle-storage", pods: { "app.kubernetes.io/name": "garage" } };

const mailProps: MailChartProps = {
  namespace: "org-mail",
  domain: "org.example",
  webHostname: "mail.org.example",
  mailHostname: "mx.org.example",
  sizing: "small",
  storageClass: "standard",
  images: {
    stalwart: `registry.example/stalwart:1${digest("a")}`,
    roundcube: `registry.example/roundcube:1${digest("b")}`,
    postgresql: `registry.example/postgresql:17${digest("c")}`,
    curl: `registry.example/curl:8${digest("d")}`,
  },
  gateway: { name: "socle", namespace: "socle-gateway", listener: "https-mail", pods: GATEWAY_PODS, podNamespace: "envoy-gateway-system" },
  clusterIssuer: "socle",
  oidc: { issuerUrl: "https://auth.org.example/realms/org", clientId: "mail", providerName: "Org" },
  publicGateway: { peers: [{ namespace: "envoy-gateway-system", pods: GATEWAY_PODS }], ports: [10443] },
  backup: {
    destinationPath: "s3://org-backups/mail",
    endpointURL: "http://garage.socle-storage.svc:3900",
    credentialsSecret: "backup-s3-credentials",
    retentionDays: 30,
    peer: GARAGE,
    port: 3900,
  },
  apiServer: { peers: [{ cidr: "10.0.0.0/8" }], ports: [443, 6443] },
  cnpgOperatorNamespace: "cnpg-system",
};

const objs = renderMailChart(mailProps) as any[];
const find = (kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name);
const podOf = (o: any) => o.spec.template.spec;
const deployments = objs.filter((o) => o.kind === "Deployment");
const workloads = [...deployments, ...objs.filter((o) => o.kind === "Job")];
const containersOf = (w: any) => [...(podOf(w).initContainers ?? []), ...podOf(w).containers];

describe("mail chart: security of every workload", () => {
  it("deploys Stalwart, its provisioning Job and Roundcube", () => {
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(["roundcube", "stalwart"]);
    expect(find("Job", "stalwart-provision")).toBeDefined();
  });

  it("labels the namespace for Pod Security Admission at restricted", () => {
    const ns = find("Namespace", "org-mail");
    for (const mode of ["enforce", "audit", "warn"]) expect(ns.metadata.labels[`pod-security.kubernetes.io/${mode}`]).toBe("restricted");
  });

  it.each(workloads.map((w) => [w.kind, w.metadata.name, w]))("%s %s runs restricted: non-root, no token, read-only root, no capability at all", (_k, _n, w: any) => {
    const pod = podOf(w);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(pod.securityContext.seccompProfile).toEqual({ type: "RuntimeDefault" });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(find("ServiceAccount", pod.serviceAccountName).automountServiceAccountToken).toBe(false);
    expect(pod.hostNetwork ?? false).toBe(false);
    for (const c of containersOf(w)) {
      expect(c.securityContext.allowPrivilegeEscalation, c.name).toBe(false);
      expect(c.securityContext.privileged, c.name).toBe(false);
      expect(c.securityContext.readOnlyRootFilesystem, c.name).toBe(true);
      // Not even NET_BIND_SERVICE: every listener is on an unprivileged port.
      expect(c.securityContext.capabilities, c.name).toEqual({ drop: ["ALL"] });
      expect(c.image).toMatch(/@sha256:[0-9a-f]{64}$/);
      expect(c.resources.requests.cpu, c.name).toBeDefined();
      expect(c.resources.requests.memory, c.name).toBeDefined();
      expect(c.resources.limits.memory, c.name).toBeDefined();
      for (const p of c.ports ?? []) expect(p.containerPort, `${c.name} ${p.name}`).toBeGreaterThan(1024);
    }
    for (const v of pod.volumes.filter((v: any) => v.emptyDir)) expect(v.emptyDir.sizeLimit, v.name).toBeDefined();
  });

  it("runs the images as their upstream users", () => {
    expect(podOf(find("Deployment", "stalwart")).securityContext.runAsUser).toBe(STALWART_UID);
    expect(STALWART_UID).toBe(2000);
    expect(podOf(find("Job", "stalwart-provision")).securityContext.runAsUser).toBe(STALWART_UID);
    expect(podOf(find("Deployment", "roundcube")).securityContext.runAsUser).toBe(ROUNDCUBE_UID);
  });

  it("probes every long-running container", () => {
    for (const d of deployments) {
      const c = podOf(d).containers[0];
      expect(c.readinessProbe, d.metadata.name).toBeDefined();
      expect(c.livenessProbe, d.metadata.name).toBeDefined();
    }
    expect(podOf(find("Deployment", "stalwart")).containers[0].readinessProbe.tcpSocket.port).toBe(STALWART_PORTS.smtp);
  });

  it("keeps the recovery administrator out of the server and in the bounded provisioning Job only", () => {
    const server = podOf(find("Deployment", "stalwart")).containers[0];
    expect(server.env.map((e: any) => e.name)).not.toContain("STALWART_RECOVERY_ADMIN");
    expect(server.env.map((e: any) => e.name)).not.toContain("STALWART_RECOVERY_MODE");
    const job = find("Job", "stalwart-provision");
    expect(job.spec.backoffLimit).toBeGreaterThan(0);
    expect(job.spec.activeDeadlineSeconds).toBeGreaterThan(0);
    expect(podOf(job).restartPolicy).toBe("Never");
    const sidecar = podOf(job).initContainers[0];
    expect(sidecar.restartPolicy).toBe("Always");
    expect(sidecar.env.find((e: any) => e.name === "STALWART_RECOVERY_MODE").value).toBe("1");
    expect(sidecar.env.find((e: any) => e.name === "STALWART_RECOVERY_ADMIN").valueFrom.secretKeyRef).toEqual({ name: MAIL_SECRETS.admin, key: "credential" });
  });

  it("stays at one Stalwart replica with Recreate, and scales Roundcube with PDB from medium", () => {
    const stalwart = find("Deployment", "stalwart");
    expect(stalwart.spec.replicas).toBe(1);
    expect(stalwart.spec.strategy.type).toBe("Recreate");
    const big = renderMailChart({ ...mailProps, sizing: "medium" }) as any[];
    const rc = big.find((o) => o.kind === "Deployment" && o.metadata.name === "roundcube");
    expect(rc.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(big.find((o) => o.kind === "PodDisruptionBudget" && o.metadata.name === "roundcube").spec.selector.matchLabels).toEqual(rc.spec.selector.matchLabels);
  });
});

describe("mail chart: secrets never in clear", () => {
  it("no environment variable carrying a secret has a literal value", () => {
    for (const w of workloads) {
      for (const c of containersOf(w)) {
        for (const e of c.env ?? []) if (isSecretName(e.name)) expect(e.value, `${w.metadata.name} ${c.name} ${e.name}`).toBeUndefined();
      }
    }
    const rc = podOf(find("Deployment", "roundcube")).containers[0].env as any[];
    const ref = (name: string) => rc.find((e) => e.name === name).valueFrom.secretKeyRef;
    expect(ref("ROUNDCUBEMAIL_DB_PASSWORD")).toEqual({ name: MAIL_SECRETS.webmailDb, key: "password" });
    expect(ref("ROUNDCUBEMAIL_OAUTH_CLIENT_SECRET")).toEqual({ name: MAIL_SECRETS.roundcube, key: "oauth_client_secret" });
    expect(ref("ROUNDCUBEMAIL_DES_KEY")).toEqual({ name: MAIL_SECRETS.roundcube, key: "des_key" });
    const server = podOf(find("Deployment", "stalwart")).containers[0].env as any[];
    expect(server.find((e) => e.name === "STALWART_DB_PASSWORD").valueFrom.secretKeyRef).toEqual({ name: MAIL_SECRETS.db, key: "password" });
  });

  it("no ConfigMap holds a secret-looking line, and the chart emits no Secret", () => {
    const maps = objs.filter((o) => o.kind === "ConfigMap");
    expect(maps.map((m) => m.metadata.name).sort()).toEqual(["roundcube-config", "stalwart-config", "stalwart-plan"]);
    for (const m of maps) for (const [k, v] of Object.entries(m.data as Record<string, string>)) expect(secretLines(v), `${m.metadata.name}/${k}`).toEqual([]);
    expect(objs.filter((o) => o.kind === "Secret")).toEqual([]);
  });

  it("names the database password in config.json instead of writing it", () => {
    const store = JSON.parse(find("ConfigMap", "stalwart-config").data["config.json"]);
    expect(store).toMatchObject({ "@type": "PostgreSql", host: "stalwart-db-rw", database: "stalwart", authUsername: "stalwart" });
    expect(store.authSecret).toEqual({ "@type": "EnvironmentVariable", variableName: "STALWART_DB_PASSWORD" });
  });
});

describe("mail chart: Stalwart configuration", () => {
  const plan = JSON.parse(find("ConfigMap", "stalwart-plan").data["initial.json"]);
  const call = (method: string, tag: string) => plan.methodCalls.find((c: any[]) => c[0] === method && c[2] === tag)?.[1];

  it("binds every listener on the unprivileged container ports, TLS on all mail listeners", () => {
    const create = call("x:NetworkListener/set", "listeners").create;
    expect(Object.fromEntries(Object.entries(create).map(([k, v]: any) => [k, v.bind[0]]))).toEqual({
      smtp: "0.0.0.0:2525",
      submissions: "0.0.0.0:4650",
      submission: "0.0.0.0:5870",
      imaps: "0.0.0.0:9930",
      http: "0.0.0.0:8080",
    });
    for (const name of ["smtp", "submissions", "submission", "imaps"]) expect(create[name].useTls, name).toBe(true);
    expect(create.submissions.tlsImplicit).toBe(true);
    expect(create.imaps.tlsImplicit).toBe(true);
    // stalwartlabs/stalwart v1.0.0 crates/registry/src/schema/structs_impl.rs: NetworkListener.name is required (non-empty).
    for (const [key, l] of Object.entries(create) as [string, any][]) expect(l.name, key).toBe(key);
    for (const l of Object.values(create) as any[]) expect(["smtp", "lmtp", "http", "imap", "pop3", "manageSieve"]).toContain(l.protocol);
    // Default listeners of a fresh database would bind privileged ports: they are destroyed first.
    expect(call("x:NetworkListener/set", "clear")["#destroy"]).toEqual({ resultOf: "existing", name: "x:NetworkListener/query", path: "/ids" });
  });

  it("authenticates users with the realm's access tokens and lets Stalwart generate DKIM keys", () => {
    expect(call("x:Directory/set", "directory").create.keycloak).toMatchObject({
      "@type": "Oidc",
      issuerUrl: "https://auth.org.example/realms/org",
      requireAudience: "mail",
      claimUsername: "preferred_username",
      usernameDomain: "org.example",
    });
    expect(call("x:Authentication/set", "authentication").update.singleton.directoryId).toBe("#keycloak");
    expect(call("x:Domain/set", "domain").create.domain.dkimManagement).toEqual({ "@type": "Automatic" });
    expect(call("x:Certificate/set", "certificate").create.tls.certificate).toEqual({ "@type": "File", filePath: "/etc/stalwart/tls/tls.crt" });
    expect(call("x:SystemSettings/set", "settings").update.singleton).toEqual({ defaultHostname: "mx.org.example", defaultDomainId: "#domain", defaultCertificateId: "#tls" });
  });

  it("mounts the cert-manager certificate of the mail hostname into the server", () => {
    const cert = find("Certificate", "stalwart-tls");
    expect(cert.metadata.namespace).toBe("org-mail");
    expect(cert.spec.dnsNames).toEqual(["mx.org.example"]);
    const tls = podOf(find("Deployment", "stalwart")).volumes.find((v: any) => v.name === "tls");
    expect(tls.secret.secretName).toBe(cert.spec.secretName);
  });

  it("applies the plan only on an empty database and fails on refused objects", () => {
    const script = find("ConfigMap", "stalwart-plan").data["provision.sh"] as string;
    expect(script).toMatch(/^set -eu/);
    expect(script).toContain("notCreated|notUpdated|notDestroyed");
    // stalwartlabs/stalwart v1.0.0 crates/http/src/request.rs: JMAP is `POST /jmap`; `/api/*` is the management REST API only.
    expect(STALWART_JMAP_PATH).toBe("/jmap");
    expect(script).toContain(`api="http://127.0.0.1:${STALWART_PORTS.http}/jmap"`);
    expect(script).not.toMatch(/127\.0\.0\.1:\d+\/api/);
    expect(JSON.parse(find("ConfigMap", "stalwart-plan").data["domain-query.json"]).methodCalls[0]).toEqual(["x:Domain/query", { filter: { name: "org.example" } }, "q"]);
  });

  it("points Roundcube at Stalwart in-cluster over TLS, checked against the mail hostname", () => {
    const env = Object.fromEntries((podOf(find("Deployment", "roundcube")).containers[0].env as any[]).filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));
    expect(env.ROUNDCUBEMAIL_DEFAULT_HOST).toBe("ssl://stalwart.org-mail.svc.cluster.local");
    expect(env.ROUNDCUBEMAIL_DEFAULT_PORT).toBe("993");
    expect(env.ROUNDCUBEMAIL_SMTP_PORT).toBe("465");
    const php = find("ConfigMap", "roundcube-config").data["socle.inc.php"] as string;
    expect(php).toContain("$config['oauth_auth_uri'] = 'https://auth.org.example/realms/org/protocol/openid-connect/auth';");
    expect(php).toContain("$config['oauth_client_id'] = 'mail';");
    expect(php).toContain("'peer_name' => 'mx.org.example'");
    expect(php).toContain("$config['oauth_login_redirect'] = true;");
    // Public CA: Guzzle's `verify` = true, the image's system store.
    expect(php).toContain("$config['oauth_verify_peer'] = true;");
  });

  // roundcube/roundcubemail release-1.7 program/include/rcmail_oauth.php hands `oauth_verify_peer` to Guzzle
  // as `verify`: with the internal CA it must be the path of a bundle holding its root, mounted in the pod.
  it("gives Roundcube's OAuth token and userinfo calls the internal CA bundle it mounts", () => {
    const withCa = renderMailChart({ ...mailProps, caBundle: { configMap: "socle-ca", key: "ca.crt" } }) as any[];
    const php = withCa.find((o) => o.kind === "ConfigMap" && o.metadata.name === "roundcube-config").data["socle.inc.php"] as string;
    const path = /\$config\['oauth_verify_peer'\] = '([^']+)';/.exec(php)?.[1];
    expect(path).toBe("/etc/socle/ca/ca.crt");
    const pod = withCa.find((o) => o.kind === "Deployment" && o.metadata.name === "roundcube").spec.template.spec;
    const mount = pod.containers[0].volumeMounts.find((m: any) => path!.startsWith(`${m.mountPath}/`));
    expect(mount).toBeDefined();
    expect(pod.volumes.find((v: any) => v.name === mount.name).configMap).toEqual({ name: "socle-ca" });
  });
});

describe("mail chart: exposure", () => {
  it("publishes SMTP, submission and IMAPS on one LoadBalancer that keeps client addresses", () => {
    const lb = find("Service", MAIL_LOAD_BALANCER);
    expect(lb.spec.type).toBe("LoadBalancer");
    expect(lb.spec.externalTrafficPolicy).toBe("Local");
    expect(lb.spec.ports.map((p: any) => `${p.port}->${p.targetPort}`)).toEqual(["25->2525", "465->4650", "587->5870", "993->9930"]);
    expect(objs.filter((o) => o.kind === "Service" && o.spec.type === "LoadBalancer")).toHaveLength(1);
    expect(objs.some((o) => o.kind === "Service" && o.spec.type === "NodePort")).toBe(false);
  });

  const route = find("HTTPRoute", "mail");
  const byPath = Object.fromEntries(route.spec.rules.map((r: any) => [r.matches[0].path.value, r.backendRefs[0]]));

  it("sends the webmail and JMAP through the gateway's HTTPS listener, not the management API", () => {
    expect(route.spec.parentRefs[0].sectionName).toBe("https-mail");
    expect(route.spec.hostnames).toEqual(["mail.org.example"]);
    expect(byPath["/"]).toEqual({ kind: "Service", name: "roundcube", port: ROUNDCUBE_PORT });
    expect(byPath["/jmap"]).toEqual({ kind: "Service", name: "stalwart", port: STALWART_PORTS.http });
    expect(byPath["/.well-known/jmap"]).toEqual({ kind: "Service", name: "stalwart", port: STALWART_PORTS.http });
    expect(byPath["/api"]).toBeUndefined();
    expect(byPath["/admin"]).toBeUndefined();
    expect(find("Certificate", "mail-tls").spec.dnsNames).toEqual(["mail.org.example"]);
  });

  it("registers an SSO client whose redirect URI is on the route's hostname and reaches Roundcube", () => {
    const config = { organization: { id: "org", name: "Org" }, domain: "org.example", apps: ["identity", "mail"] } as any;
    const [client] = planClients(config, (app) => appHostname(config, app));
    expect(client!.clientId).toBe("mail");
    expect(client!.redirectUris).toEqual([`https://${route.spec.hostnames[0]}/index.php/login/oauth`]);
  });

  it("keeps both databases in replicated, backed-up CloudNativePG clusters", () => {
    for (const [name, database] of [["stalwart-db", "stalwart"], ["roundcube-db", "roundcube"]]) {
      const db = find("Cluster", name);
      expect(db.spec.instances, name).toBeGreaterThanOrEqual(2);
      expect(db.spec.enableSuperuserAccess).toBe(false);
      expect(db.spec.bootstrap.initdb.database).toBe(database);
      const store = objectStoreOf(objs, name);
      expect(store.spec.configuration.destinationPath).toBe(`s3://org-backups/mail/${database}`);
      expect(store.spec.retentionPolicy).toBe("30d");
      expect(find("ScheduledBackup", `${name}-nightly`).spec.cluster.name).toBe(name);
    }
  });

  it("every manifest is valid against the Kubernetes and CRD schemas", () => {
    const validator = new ManifestValidator([join(SHARED, "crds")]);
    expect(objs.flatMap((o) => validator.validate(o))).toEqual([]);
  });
});

describe("mail chart: network flows", () => {
  const policies = objs.filter((o) => o.kind === "NetworkPolicy") as NetworkPolicy[];
  const w = (id: string, namespace: string, labels: Record<string, string>, ports: number[]): Workload => ({ id, namespace, labels, ports });
  const P = STALWART_PORTS;
  const all = [
    w("gateway", "envoy-gateway-system", GATEWAY_PODS, [10443]),
    w("stalwart", "org-mail", MAIL_LABELS.stalwart, [P.smtp, P.submissions, P.submission, P.imaps, P.http]),
    w("provision", "org-mail", MAIL_LABELS.provision, []),
    w("roundcube", "org-mail", MAIL_LABELS.roundcube, [ROUNDCUBE_PORT]),
    w("mail-db", "org-mail", MAIL_DB_LABELS, [5432, 8000]),
    w("webmail-db", "org-mail", WEBMAIL_DB_LABELS, [5432, 8000]),
    w("cnpg-operator", "cnpg-system", { "app.kubernetes.io/name": "cloudnative-pg" }, [9443]),
    w("garage", "socle-storage", GARAGE.pods, [3900]),
    w("dns", "kube-system", { "k8s-app": "kube-dns" }, [53]),
    w("other-tenant", "other-mail", MAIL_LABELS.stalwart, [P.imaps]),
  ];
  const table = flowTable(policies, all);
  const outside = "garage|dns|other-tenant|gateway|cnpg-operator";
  const mine = table.filter((f) => !new RegExp(`^(${outside}) -> (${outside})`).test(f));

  it("denies everything by default in the namespace", () => {
    const deny = policies.find((p) => p.metadata.name === "default-deny")!;
    expect(deny.spec.podSelector).toEqual({});
    expect(deny.spec.policyTypes).toEqual(["Ingress", "Egress"]);
  });

  it("allows exactly the intended pod-to-pod flows", () => {
    expect(mine).toEqual(
      [
        "cnpg-operator -> mail-db:5432",
        "cnpg-operator -> mail-db:8000",
        "cnpg-operator -> webmail-db:5432",
        "cnpg-operator -> webmail-db:8000",
        "gateway -> roundcube:8000",
        "gateway -> stalwart:8080",
        "mail-db -> dns:53",
        "mail-db -> garage:3900",
        "mail-db -> mail-db:5432",
        "mail-db -> mail-db:8000",
        "provision -> dns:53",
        "provision -> mail-db:5432",
        "roundcube -> dns:53",
        "roundcube -> gateway:10443",
        "roundcube -> stalwart:4650",
        "roundcube -> stalwart:9930",
        "roundcube -> webmail-db:5432",
        "stalwart -> dns:53",
        "stalwart -> gateway:10443",
        "stalwart -> mail-db:5432",
        "webmail-db -> dns:53",
        "webmail-db -> garage:3900",
        "webmail-db -> webmail-db:5432",
        "webmail-db -> webmail-db:8000",
      ].sort(),
    );
  });

  it("opens the mail ports, and only them, to the Internet; outbound only on port 25", () => {
    const inbound = policies.find((p) => p.metadata.name === "allow-internet-to-stalwart")!;
    expect(inbound.spec.ingress![0]!.from!.map((p) => p.ipBlock!.cidr)).toEqual(["0.0.0.0/0", "::/0"]);
    expect(inbound.spec.ingress![0]!.ports!.map((p) => p.port)).toEqual([P.smtp, P.submissions, P.submission, P.imaps]);
    const outbound = policies.find((p) => p.metadata.name === "allow-stalwart-to-internet-smtp")!;
    expect(outbound.spec.egress![0]!.ports!.map((p) => p.port)).toEqual([25]);
    // No other policy reaches addresses outside the cluster but the API server ranges of the databases.
    const cidrPolicies = policies.filter((p) => JSON.stringify(p.spec).includes("ipBlock")).map((p) => p.metadata.name).sort();
    expect(cidrPolicies).toEqual(["allow-internet-to-stalwart", "allow-roundcube-db-to-api-server", "allow-stalwart-db-to-api-server", "allow-stalwart-to-internet-smtp"]);
  });

  it("keeps other tenants and the webmail away from what they do not need", () => {
    expect(table).not.toContain("other-tenant -> stalwart:9930");
    expect(table).not.toContain("roundcube -> mail-db:5432");
    expect(table).not.toContain("stalwart -> webmail-db:5432");
    expect(table).not.toContain("gateway -> stalwart:9930");
    expect(table).not.toContain("roundcube -> stalwart:2525");
  });
});

describe("mail DNS records", () => {
  const records = mailDnsRecords({ domain: "org.example", mxHost: "mx.org.example", webHost: "mail.org.example" });

  it("publishes MX, SPF, DMARC, TLS reporting, client SRV records and a DKIM placeholder", () => {
    expect(records).toContain("org.example. 3600 IN MX 10 mx.org.example.");
    expect(records).toContain('org.example. 3600 IN TXT "v=spf1 mx -all"');
    expect(records.find((r) => r.startsWith("_dmarc.org.example."))).toContain('"v=DMARC1; p=quarantine;');
    expect(records).toContain("_imaps._tcp.org.example. 3600 IN SRV 0 1 993 mx.org.example.");
    expect(records).toContain("_imap._tcp.org.example. 3600 IN SRV 0 0 0 .");
    expect(records).toContain("_autodiscover._tcp.org.example. 3600 IN SRV 0 1 443 mail.org.example.");
    expect(records.filter((r) => r.includes(DKIM_PLACEHOLDER)).every((r) => r.startsWith(";"))).toBe(true);
    expect(records.some((r) => r.includes("_domainkey"))).toBe(true);
  });

  it("refuses a name that is not a DNS domain, saying what to fix", () => {
    expect(() => mailDnsRecords({ domain: "Org.Example", mxHost: "mx.org.example", webHost: "mail.org.example" })).toThrow(/domain "Org.Example" .*socle:domain/);
    expect(() => mailDnsRecords({ domain: "localhost", mxHost: "mx.localhost", webHost: "mail.localhost" })).toThrow(/at least two labels/);
  });

  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/);
  const domain = fc.array(label, { minLength: 2, maxLength: 4 }).map((ls) => ls.join("."));
  const NAME = /^(?:[a-z0-9_]([a-z0-9_-]*[a-z0-9])?\.)+$/;
  const RECORD = /^(\S+) (\d+) IN (MX|TXT|SRV) (.+)$/;

  it("always yields syntactically valid zone lines (property)", () => {
    fc.assert(
      fc.property(domain, (d) => {
        const lines = mailDnsRecords({ domain: d, mxHost: `mx.${d}`, webHost: `mail.${d}` });
        for (const line of lines) {
          if (line.startsWith(";")) continue;
          const m = RECORD.exec(line);
          expect(m, line).not.toBeNull();
          const [, owner, ttl, type, data] = m!;
          expect(owner).toMatch(NAME);
          expect(owner!.endsWith(`${d}.`)).toBe(true);
          for (const l of owner!.slice(0, -1).split(".")) expect(l.length).toBeLessThanOrEqual(63);
          expect(Number(ttl)).toBeGreaterThanOrEqual(60);
          if (type === "MX") expect(data).toMatch(/^\d+ \S+\.$/);
          if (type === "SRV") expect(data).toMatch(/^\d+ \d+ \d+ (\.|\S+\.)$/);
          if (type === "TXT") {
            expect(data).toMatch(/^"[^"\\]*"$/);
            expect(data!.length - 2).toBeLessThanOrEqual(255);
          }
        }
        expect(lines.filter((l) => / IN MX /.test(l))).toHaveLength(1);
      }),
      { numRuns: 200 },
    );
  });
});

describe("stack render with mail enabled", () => {
  let result: RenderResult;
  let resources: RenderResult["state"]["deployment"]["resources"];
  let manifests: any[];

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "socle-mail-"));
    const demo = readFileSync(join(ROOT, "stacks", "Pulumi.demo.yaml"), "utf8");
    const withMail = demo.replace(/ {4}- wiki\n/, "    - wiki\n    - mail\n");
    expect(withMail).not.toBe(demo);
    const stackFile = join(dir, "Pulumi.mail.yaml");
    writeFileSync(stackFile, withMail);
    result = await renderStack({ root: ROOT, stack: "mail", stackFile, outDir: join(dir, "out") });
    resources = result.state.deployment.resources;
    manifests = parseAllDocuments(readFileSync(join(result.outDir, "manifests", "mail.yaml"), "utf8")).map((d) => d.toJS());
  }, 60_000);

  it("registers the component, workloads, route and the gateway listener", () => {
    expect(resources.some((r) => r.type === "socle:apps:Mail")).toBe(true);
    const ids = (type: string) => resources.filter((r) => r.type === type).map((r) => r.id);
    expect(ids("kubernetes:apps/v1:Deployment")).toEqual(expect.arrayContaining(["demo-mail/stalwart", "demo-mail/roundcube"]));
    expect(ids("kubernetes:batch/v1:Job")).toContain("demo-mail/stalwart-provision");
    expect(ids("kubernetes:core/v1:Service")).toContain(`demo-mail/${MAIL_LOAD_BALANCER}`);
    expect(manifests.filter((m) => m.kind === "HTTPRoute").map((m) => m.spec.hostnames[0])).toEqual(["mail.demo.socle.test"]);
    const gateway = resources.find((r) => r.type === "kubernetes:gateway.networking.k8s.io/v1:Gateway")!;
    expect((gateway.inputs as any).spec.listeners.map((l: any) => `${l.name}=${l.hostname ?? ""}`)).toContain("https-mail=mail.demo.socle.test");
  });

  it("declares the mail LoadBalancer in the stack metadata", () => {
    const stack = resources.find((r) => r.type === "pulumi:pulumi:Stack")!;
    expect((stack.outputs as any).socle.declaredLoadBalancers).toContain(`demo-mail/${MAIL_LOAD_BALANCER}`);
  });

  it("protects both database clusters", () => {
    for (const id of ["demo-mail/stalwart-db", "demo-mail/roundcube-db"]) {
      const r = resources.find((s) => s.type === "kubernetes:postgresql.cnpg.io/v1:Cluster" && s.id === id);
      expect(r, id).toBeDefined();
      expect(r!.protect, id).toBe(true);
    }
  });

  it("starts the server only after the provisioning Job", () => {
    const job = resources.find((r) => r.type === "kubernetes:batch/v1:Job" && r.id === "demo-mail/stalwart-provision")!;
    const server = resources.find((r) => r.type === "kubernetes:apps/v1:Deployment" && r.id === "demo-mail/stalwart")!;
    expect(server.parent).not.toBe(job.parent);
    // The engine records a dependency on a component as one on each of its children.
    expect(resources.find((r) => r.urn === server.parent)!.dependencies).toContain(job.urn);
  });

  it("exports the DNS records and writes them as dns-records.txt", () => {
    const stack = resources.find((r) => r.type === "pulumi:pulumi:Stack")!;
    const records = (stack.outputs as any).apps.mail.dnsRecords as string[];
    expect(records).toContain("demo.socle.test. 3600 IN MX 10 mx.demo.socle.test.");
    expect(readFileSync(join(result.outDir, "dns-records.txt"), "utf8")).toBe(records.join("\n") + "\n");
  });

  it("writes no generated secret in clear", () => {
    expect(readFileSync(join(result.outDir, "manifests", "mail.yaml"), "utf8").includes("socle-render-secret-")).toBe(false);
    expect(readFileSync(join(result.outDir, "state.json"), "utf8").includes("socle-render-secret-")).toBe(false);
  });

  it("every mail manifest is valid", () => {
    const validator = new ManifestValidator([join(SHARED, "crds")]);
    expect(manifests.flatMap((o) => validator.validate(o))).toEqual([]);
  });
});
