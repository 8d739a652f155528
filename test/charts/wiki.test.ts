import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderWikiChart, WIKI_DB_LABELS, WIKI_LABELS, wikiInitScript, XWIKI_PORT } from "../../charts/wiki";
import { wikiStartScript } from "../../charts/wiki/oidc";
import { DISTRIBUTION_PROPERTIES, IMAGE_EXTENSION_REPOSITORY, PERMANENT_EXTENSION_REPOSITORY } from "../../charts/wiki/offline";
import { control as plaintextSecrets } from "../../policies/controls/workload/plaintext-secrets";
import { canReach, flowTable, type NetworkPolicy, type Workload } from "../../src/analysis/reachability";
import { wikiProps } from "../helpers/wiki-props";
import { k8s, run } from "../policies/fixtures/views";
import { objectStoreOf } from "../helpers/backup";

const objs = renderWikiChart(wikiProps) as any[];
const find = (kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name);
const deployment = find("Deployment", "xwiki");
const pod = deployment.spec.template.spec;

describe("wiki chart: security defaults", () => {
  it("labels the namespace for Pod Security Admission at restricted", () => {
    const ns = find("Namespace", "org-wiki");
    expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    expect(ns.metadata.labels["pod-security.kubernetes.io/audit"]).toBe("restricted");
    expect(ns.metadata.labels["pod-security.kubernetes.io/warn"]).toBe("restricted");
  });

  it("runs XWiki as non-root with RuntimeDefault seccomp at pod level", () => {
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(pod.securityContext.seccompProfile).toEqual({ type: "RuntimeDefault" });
    expect(pod.hostNetwork ?? false).toBe(false);
    expect(pod.hostPID ?? false).toBe(false);
  });

  it("every container drops all capabilities, forbids escalation and has a read-only root filesystem", () => {
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect(c.securityContext.allowPrivilegeEscalation, c.name).toBe(false);
      expect(c.securityContext.privileged, c.name).toBe(false);
      expect(c.securityContext.readOnlyRootFilesystem, c.name).toBe(true);
      expect(c.securityContext.capabilities).toEqual({ drop: ["ALL"] });
      expect(c.securityContext.runAsNonRoot, c.name).toBe(true);
    }
  });

  it("does not mount a service-account token", () => {
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(find("ServiceAccount", "xwiki").automountServiceAccountToken).toBe(false);
  });

  it("sets requests, a memory limit and probes", () => {
    const c = pod.containers[0];
    expect(c.resources.requests.cpu).toBeDefined();
    expect(c.resources.requests.memory).toBeDefined();
    expect(c.resources.limits.memory).toBeDefined();
    expect(c.readinessProbe.httpGet.port).toBe(XWIKI_PORT);
    expect(c.livenessProbe).toBeDefined();
    expect(c.startupProbe.failureThreshold).toBeGreaterThanOrEqual(30);
  });

  it("reads database credentials from the Secret, never as literals", () => {
    const env = pod.containers[0].env as { name: string; value?: string; valueFrom?: unknown }[];
    for (const name of ["DB_USER", "DB_PASSWORD"]) {
      const e = env.find((x) => x.name === name)!;
      expect(e.value).toBeUndefined();
      expect(e.valueFrom).toEqual({ secretKeyRef: { name: "xwiki-db-app", key: name === "DB_USER" ? "username" : "password" } });
    }
  });

  it("pins images by digest", () => {
    for (const c of [...pod.initContainers, ...pod.containers]) expect(c.image).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(find("Cluster", "xwiki-db").spec.imageName).toMatch(/@sha256:/);
  });

  it("keeps data on a persistent volume and the database in a replicated, backed-up CloudNativePG cluster", () => {
    expect(pod.volumes.find((v: any) => v.name === "data").persistentVolumeClaim.claimName).toBe("xwiki-data");
    const db = find("Cluster", "xwiki-db");
    expect(db.spec.instances).toBeGreaterThanOrEqual(2);
    expect(db.spec.enableSuperuserAccess).toBe(false);
    expect(db.spec.affinity.enablePodAntiAffinity).toBe(true);
    const store = objectStoreOf(objs, "xwiki-db");
    expect(store.spec.retentionPolicy).toBe("30d");
    expect(store.spec.configuration.destinationPath).toBe("s3://org-backups/wiki");
    expect(find("ScheduledBackup", "xwiki-db-nightly").spec.cluster.name).toBe("xwiki-db");
  });

  it("serves only through the HTTPS listener with a certificate for its hostname", () => {
    const route = find("HTTPRoute", "xwiki");
    expect(route.spec.parentRefs[0].sectionName).toBe("https-wiki");
    expect(route.spec.hostnames).toEqual(["wiki.org.example"]);
    const cert = find("Certificate", "wiki-tls");
    expect(cert.metadata.namespace).toBe("socle-gateway");
    expect(cert.spec.dnsNames).toEqual(["wiki.org.example"]);
    expect(find("Service", "xwiki").spec.type).toBe("ClusterIP");
  });
});

describe("wiki chart: network flows", () => {
  const policies = objs.filter((o) => o.kind === "NetworkPolicy") as NetworkPolicy[];
  const w = (id: string, namespace: string, labels: Record<string, string>, ports: number[]): Workload => ({ id, namespace, labels, ports });
  const workloads = [
    w("gateway", "envoy-gateway-system", wikiProps.gateway.pods, [443]),
    w("xwiki", "org-wiki", WIKI_LABELS, [XWIKI_PORT]),
    w("db", "org-wiki", WIKI_DB_LABELS, [5432, 8000]),
    w("cnpg-operator", "cnpg-system", { "app.kubernetes.io/name": "cloudnative-pg" }, [9443]),
    w("garage", "socle-storage", { "app.kubernetes.io/name": "garage" }, [3900]),
    w("dns", "kube-system", { "k8s-app": "kube-dns" }, [53]),
    w("other-tenant-app", "other-wiki", { "app.kubernetes.io/name": "xwiki" }, [XWIKI_PORT]),
  ];

  it("denies everything by default in the namespace", () => {
    const deny = policies.find((p) => p.metadata.name === "default-deny")!;
    expect(deny.spec.podSelector).toEqual({});
    expect(deny.spec.policyTypes).toEqual(["Ingress", "Egress"]);
    expect(deny.spec.ingress).toBeUndefined();
    expect(deny.spec.egress).toBeUndefined();
  });

  it("allows exactly the intended flows", () => {
    // Namespaces outside the chart have no policies here, so their pods' own side is open; the table
    // shows what the wiki's policies let through.
    expect(flowTable(policies, workloads).filter((f) => f.includes("xwiki") || f.includes("db"))).toEqual(
      [
        "cnpg-operator -> db:5432",
        "cnpg-operator -> db:8000",
        "db -> db:5432",
        "db -> db:8000",
        "db -> dns:53",
        "db -> garage:3900",
        "gateway -> xwiki:8080",
        "xwiki -> db:5432",
        "xwiki -> dns:53",
      ].sort(),
    );
  });

  it("denies another tenant's pods and the outside world", () => {
    const table = flowTable(policies, workloads);
    expect(table).not.toContain("other-tenant-app -> xwiki:8080");
    expect(table).not.toContain("xwiki -> other-tenant-app:8080");
    expect(table).not.toContain("xwiki -> garage:3900");
  });
});

describe("wiki chart: single sign-on", () => {
  const sso = {
    issuerUrl: "https://auth.org.example/realms/org",
    clientId: "wiki",
    clientSecret: { name: "xwiki-oidc-client", key: "client-secret" },
    publicGateway: { peers: [{ namespace: "envoy-gateway-system", pods: wikiProps.gateway.pods }], ports: [10443] },
  };
  const withSso = renderWikiChart({ ...wikiProps, sso }) as any[];
  const ssoPod = withSso.find((o) => o.kind === "Deployment").spec.template.spec;
  const init = ssoPod.initContainers[0];
  const oidc = withSso.find((o) => o.kind === "ConfigMap" && o.metadata.name === "xwiki-oidc");

  it("configures XWiki's OpenID Connect Authenticator against the realm, without the secret in the ConfigMap", () => {
    expect(oidc.data["xwiki.cfg"]).toBe("xwiki.authentication.authclass=org.xwiki.contrib.oidc.auth.OIDCAuthServiceImpl\n");
    const lines = oidc.data["xwiki.properties"].split("\n");
    expect(lines).toEqual(expect.arrayContaining(["oidc.provider=https://auth.org.example/realms/org", "oidc.clientid=wiki", "oidc.skipped=false"]));
    expect(lines.some((l: string) => l.startsWith("oidc.secret"))).toBe(false);
    expect(run(plaintextSecrets, withSso.map((o) => k8s(o)))).toSatisfy((results: readonly { status: string }[]) => results.every((r) => r.status !== "fail"));
  });

  it("hands the client secret to the init container from the Secret only", () => {
    expect(init.env).toEqual([{ name: "OIDC_CLIENT_SECRET", valueFrom: { secretKeyRef: { name: "xwiki-oidc-client", key: "client-secret" } } }]);
    expect(init.command[2]).toContain(`printf 'oidc.secret=%s\\n' "$OIDC_CLIENT_SECRET"`);
    expect(ssoPod.containers[0].env.some((e: any) => e.name === "OIDC_CLIENT_SECRET")).toBe(false);
  });

  it("the init script appends the settings and the secret to the copied configuration files", () => {
    const dir = mkdtempSync(join(tmpdir(), "wiki-oidc-"));
    const [webapp, target, conf] = ["webapp", "target", "oidc"].map((d) => join(dir, d));
    mkdirSync(join(webapp, "WEB-INF"), { recursive: true });
    mkdirSync(target);
    mkdirSync(conf);
    writeFileSync(join(webapp, "WEB-INF", "xwiki.properties"), "environment.permanentDirectory=/usr/local/xwiki/data");
    writeFileSync(join(webapp, "WEB-INF", "xwiki.cfg"), "# xwiki.authentication.authclass=com.xpn.xwiki.user.impl.xwiki.XWikiAuthServiceImpl\n");
    for (const [file, text] of Object.entries(oidc.data as Record<string, string>)) writeFileSync(join(conf, file), text);
    const script = wikiStartScript(webapp, target, sso).replaceAll("/etc/socle/oidc", conf);
    execFileSync("sh", ["-c", script], { env: { PATH: process.env.PATH, OIDC_CLIENT_SECRET: "s3cret-canary" } });
    const properties = readFileSync(join(target, "WEB-INF", "xwiki.properties"), "utf8").split("\n");
    expect(properties[0]).toBe("environment.permanentDirectory=/usr/local/xwiki/data");
    expect(properties).toEqual(expect.arrayContaining(["oidc.clientid=wiki", "oidc.secret=s3cret-canary"]));
    expect(readFileSync(join(target, "WEB-INF", "xwiki.cfg"), "utf8")).toMatch(/\nxwiki\.authentication\.authclass=org\.xwiki\.contrib\.oidc\.auth\.OIDCAuthServiceImpl\n$/);
  });

  it("lets XWiki reach Keycloak through the gateway, and nothing else new", () => {
    const ssoPolicies = withSso.filter((o) => o.kind === "NetworkPolicy") as NetworkPolicy[];
    const gateway = { id: "gateway", namespace: "envoy-gateway-system", labels: wikiProps.gateway.pods, ports: [10443] };
    const xwiki = { id: "xwiki", namespace: "org-wiki", labels: WIKI_LABELS, ports: [XWIKI_PORT] };
    expect(canReach(ssoPolicies, xwiki, gateway, 10443)).toBe(true);
    expect(canReach(objs.filter((o) => o.kind === "NetworkPolicy") as NetworkPolicy[], xwiki, gateway, 10443)).toBe(false);
    expect(ssoPolicies.length).toBe(objs.filter((o) => o.kind === "NetworkPolicy").length + 1);
  });

  it("trusts the internal CA through a truststore built at start, when one is given", () => {
    const list = renderWikiChart({ ...wikiProps, sso: { ...sso, caBundle: { configMap: "socle-ca", key: "ca.crt" } } }) as any[];
    const spec = list.find((o) => o.kind === "Deployment").spec.template.spec;
    expect(spec.initContainers[0].command[2]).toContain("keytool -importcert -noprompt -alias socle-ca -file /etc/socle/ca/ca.crt");
    expect(spec.containers[0].env.find((e: any) => e.name === "JAVA_OPTS").value).toContain("-Djavax.net.ssl.trustStore=/etc/socle/truststore/cacerts");
    expect(spec.containers[0].volumeMounts).toContainEqual({ name: "truststore", mountPath: "/etc/socle/truststore", readOnly: true });
    expect(spec.volumes.find((v: any) => v.name === "truststore").emptyDir).toBeDefined();
  });

  it("leaves single sign-on out without it: no OIDC ConfigMap, no secret, no OIDC settings", () => {
    expect(objs.some((o) => o.kind === "ConfigMap")).toBe(false);
    expect(pod.initContainers[0].command).toEqual(["sh", "-c", wikiInitScript()]);
    expect(pod.initContainers[0].command[2]).not.toContain("oidc.");
    expect(pod.initContainers[0].env).toBeUndefined();
  });
});

// The Distribution Wizard downloads the flavour unless it is in the local extension repository
// (xwiki-platform-distribution-flavor-xip: "all extension required to install the flavor offline"), and waits
// for an administrator unless distribution.job.interactive=false (DistributionConfiguration.java, since 17.4.0RC1).
describe("wiki chart: first start without Internet access", () => {
  const init = pod.initContainers[0];

  it("mounts the permanent directory in the init container and stages the image's flavour repository there", () => {
    expect(init.volumeMounts).toContainEqual({ name: "data", mountPath: "/usr/local/xwiki" });
    expect(PERMANENT_EXTENSION_REPOSITORY.startsWith("/usr/local/xwiki/data/")).toBe(true);
    expect(init.command[2]).toContain(`cd ${IMAGE_EXTENSION_REPOSITORY}`);
    expect(DISTRIBUTION_PROPERTIES).toEqual(
      expect.arrayContaining([
        "distribution.defaultUI=org.xwiki.platform:xwiki-platform-distribution-flavor-mainwiki",
        "distribution.job.interactive=false",
        "distribution.job.interactive.wiki=false",
      ]),
    );
  });

  const fixture = (withImageContent: boolean) => {
    const dir = mkdtempSync(join(tmpdir(), "wiki-offline-"));
    const [webapp, target, repo, data] = ["webapp", "target", "repo", "data"].map((d) => join(dir, d));
    mkdirSync(join(webapp, "WEB-INF", "lib"), { recursive: true });
    mkdirSync(target);
    writeFileSync(join(webapp, "WEB-INF", "xwiki.properties"), "environment.permanentDirectory=/usr/local/xwiki/data");
    if (withImageContent) {
      writeFileSync(join(webapp, "WEB-INF", "lib", "oidc-authenticator-2.25.4.jar"), "jar");
      mkdirSync(join(repo, "org.xwiki.platform%3Axwiki-platform-distribution-flavor-mainwiki", "17.10.13"), { recursive: true });
      writeFileSync(join(repo, "org.xwiki.platform%3Axwiki-platform-distribution-flavor-mainwiki", "17.10.13", "flavor.xed"), "pristine");
      writeFileSync(join(repo, "new.xed"), "pristine");
    }
    // XWiki already installed the flavour once: its descriptor records that and must survive a restart.
    mkdirSync(join(data, "org.xwiki.platform%3Axwiki-platform-distribution-flavor-mainwiki", "17.10.13"), { recursive: true });
    writeFileSync(join(data, "org.xwiki.platform%3Axwiki-platform-distribution-flavor-mainwiki", "17.10.13", "flavor.xed"), "installed");
    const script = wikiInitScript()
      .replaceAll("/webapp/", `${target}/`)
      .replaceAll("/usr/local/tomcat/webapps/ROOT", webapp)
      .replaceAll(IMAGE_EXTENSION_REPOSITORY, repo)
      .replaceAll(PERMANENT_EXTENSION_REPOSITORY, data);
    return { script, target, data };
  };

  it("runs: copies the repository without overwriting XWiki's files and configures the unattended install", () => {
    const { script, target, data } = fixture(true);
    execFileSync("sh", ["-c", script], { env: { PATH: process.env.PATH } });
    expect(readFileSync(join(data, "new.xed"), "utf8")).toBe("pristine");
    expect(readFileSync(join(data, "org.xwiki.platform%3Axwiki-platform-distribution-flavor-mainwiki", "17.10.13", "flavor.xed"), "utf8")).toBe("installed");
    const properties = readFileSync(join(target, "WEB-INF", "xwiki.properties"), "utf8").split("\n");
    expect(properties).toEqual(expect.arrayContaining([...DISTRIBUTION_PROPERTIES]));
  });

  it("refuses to start on the plain upstream image (no offline repository, no authenticator)", () => {
    const { script } = fixture(false);
    expect(() => execFileSync("sh", ["-c", script], { env: { PATH: process.env.PATH }, stdio: "pipe" })).toThrow(/derived image|images\/xwiki/);
  });
});

