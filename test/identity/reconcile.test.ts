import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KEYCLOAK_LABELS, clientSecretEnv, renderIdentityChart } from "../../charts/identity";
import { realmRepresentation } from "../../charts/identity/realm";
import { CONFIG_CLI, CONFIG_CLI_ARGS, configCliPlaceholder, reconcileJobName } from "../../charts/identity/reconcile";
import { flowTable, type NetworkPolicy, type Workload } from "../../src/analysis/reachability";
import { PROCONNECT_LIKE, identityProps, realmOf } from "./fixtures";

const base = identityProps();
const withClients = (ids: readonly string[]) => identityProps({ realm: { ...base.realm, clients: base.realm.clients.filter((c) => ids.includes(c.clientId)) } });
const render = (props = base) => renderIdentityChart(props) as any[];
const jobOf = (objs: any[]) => objs.find((o) => o.kind === "Job");
const withoutClients = (realm: any) => ({ ...realm, clients: undefined });

describe("reconciled realm: keycloak-config-cli Job", () => {
  const objs = render();
  const job = jobOf(objs);
  const pod = job.spec.template.spec;
  const container = pod.containers[0];

  it("applies the realm ConfigMap through the admin API inside the namespace, with config-cli's remote state and full management of what socle declares", () => {
    expect(job.metadata.name).toMatch(/^keycloak-realm-[0-9a-f]{10}$/);
    expect(container.image).toBe(base.images.keycloakConfigCli);
    expect(container.args).toEqual([...CONFIG_CLI_ARGS]);
    for (const arg of ["--import.remote-state.enabled=true", "--import.managed.client=full", "--import.var-substitution.enabled=true"]) expect(container.args).toContain(arg);
    expect(container.env.find((e: any) => e.name === "KEYCLOAK_URL").value).toBe("http://keycloak.org-identity.svc:8080");
    expect(pod.volumes).toContainEqual({ name: "realm", configMap: { name: "keycloak-realm" } });
    expect(container.volumeMounts).toContainEqual({ name: "realm", mountPath: "/config", readOnly: true });
  });

  it("runs restricted as the image's user, writing only /tmp", () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: CONFIG_CLI.uid, seccompProfile: { type: "RuntimeDefault" } });
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    expect(container.volumeMounts.filter((m: any) => !m.readOnly).map((m: any) => m.mountPath)).toEqual(["/tmp"]);
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it("never lists users: accounts, their credentials and sessions are not config-cli's to manage", () => {
    expect(realmOf(objs).users).toBeUndefined();
  });

  it("reaches Keycloak's HTTP port and nothing else in the namespace", () => {
    const policies = objs.filter((o) => o.kind === "NetworkPolicy") as NetworkPolicy[];
    const w = (id: string, labels: Record<string, string>, ports: number[]): Workload => ({ id, namespace: "org-identity", labels, ports });
    const table = flowTable(policies, [w("reconcile", CONFIG_CLI.labels, []), w("keycloak", KEYCLOAK_LABELS, [8080, 9000]), w("db", { "cnpg.io/cluster": "keycloak-db" }, [5432])]);
    expect(table.filter((f) => f.startsWith("reconcile ->"))).toEqual(["reconcile -> keycloak:8080"]);
  });
});

describe("reconciled realm: an app toggled off and on", () => {
  const on = render(withClients(["wiki", "chat"]));
  const off = render(withClients(["wiki"]));
  const again = render(withClients(["wiki", "chat"]));

  it("removes the app's client from the realm and recreates it, the rest of the realm unchanged", () => {
    expect(realmOf(on).clients.map((c: any) => c.clientId)).toEqual(["wiki", "chat"]);
    expect(realmOf(off).clients.map((c: any) => c.clientId)).toEqual(["wiki"]);
    expect(realmOf(again).clients.map((c: any) => c.clientId)).toEqual(["wiki", "chat"]);
    expect(realmOf(off).clients[0]).toEqual(realmOf(on).clients[0]);
    expect(withoutClients(realmOf(off))).toEqual(withoutClients(realmOf(on)));
    expect(realmOf(again)).toEqual(realmOf(on));
  });

  it("re-runs the Job on each change (its name follows the realm), and not when nothing changed", () => {
    expect(jobOf(off).metadata.name).not.toBe(jobOf(on).metadata.name);
    expect(jobOf(again).metadata.name).toBe(jobOf(on).metadata.name);
    expect(jobOf(render(withClients(["wiki", "chat"]))).metadata.name).toBe(jobOf(on).metadata.name);
  });

  it("hands config-cli no client secret for the removed app, and a federation adds its provider only", () => {
    const names = (objs: any[]) => jobOf(objs).spec.template.spec.containers[0].env.map((e: any) => e.name);
    expect(names(off)).not.toContain("SOCLE_CLIENT_SECRET_CHAT");
    expect(names(on)).toContain("SOCLE_CLIENT_SECRET_CHAT");
    const federated = render(identityProps({ realm: { ...base.realm, federation: [PROCONNECT_LIKE] } }));
    expect(realmOf(federated).clients).toEqual(realmOf(on).clients);
    expect(realmOf(federated).identityProviders.map((p: any) => p.alias)).toEqual(["proconnect"]);
    expect(names(federated)).toContain("SOCLE_CLIENT_SECRET_FEDERATION_PROCONNECT");
  });
});

describe("reconciled realm: properties", () => {
  const all = [
    ...base.realm.clients,
    { clientId: "docs", name: "docs", rootUrl: "https://docs.org.example", redirectUris: ["https://docs.org.example/api/v1.0/callback/"], pkce: true },
    { clientId: "mail", name: "mail", rootUrl: "https://mail.org.example", redirectUris: ["https://mail.org.example/index.php/login/oauth"], pkce: false },
  ];
  const realmFor = (mask: readonly boolean[]) => realmRepresentation({ ...base.realm, clients: all.filter((_, i) => mask[i]) }, clientSecretEnv, configCliPlaceholder) as any;

  it("for any set of enabled apps: the realm lists exactly their clients, everything else identical; the Job name changes exactly when the realm does", () => {
    const reference = withoutClients(realmFor(all.map(() => true)));
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: all.length, maxLength: all.length }), fc.array(fc.boolean(), { minLength: all.length, maxLength: all.length }), (a, b) => {
        const ra = realmFor(a);
        expect(ra.clients.map((c: any) => c.clientId)).toEqual(all.filter((_, i) => a[i]).map((c) => c.clientId));
        expect(withoutClients(ra)).toEqual(reference);
        const ja = reconcileJobName(JSON.stringify(ra), "img");
        const jb = reconcileJobName(JSON.stringify(realmFor(b)), "img");
        expect(ja === jb).toBe(a.join() === b.join());
      }),
      { numRuns: 60 },
    );
  });
});
