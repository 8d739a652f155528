import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { BACKUP_CREDENTIALS } from "../../charts/lib/secrets";
import { GARAGE_KEY_SECRET, GARAGE_NAMESPACE, GARAGE_SECRET } from "../../charts/platform/garage";
import { VELERO_CREDENTIALS_SECRET, VELERO_NAMESPACE } from "../../charts/platform/velero";
import { APP_NAMES, type AppName } from "../../src/config/schema";
import { defineOpenSecret, defineSecret, secretEnv, type SecretContract } from "../../src/model/secrets";
import { APPS } from "../../src/program/apps";
import { renderToTemp } from "../helpers/render";

/**
 * The Secret contracts hold in the rendered demo (every app enabled, single sign-on on): each Secret socle
 * writes in a namespace is declared by a contract, with exactly its keys; every reference to a Secret in that
 * namespace (`secretKeyRef`, CloudNativePG's S3 credentials and initdb secret, Velero's credential, a secret
 * volume) names a declared contract and a key it has, or a Secret cert-manager issues there.
 */

/** Platform namespaces and the contracts of the Secrets socle writes there. */
const PLATFORM: Readonly<Record<string, readonly SecretContract[]>> = {
  [GARAGE_NAMESPACE]: [GARAGE_SECRET, GARAGE_KEY_SECRET],
  [VELERO_NAMESPACE]: [VELERO_CREDENTIALS_SECRET],
};

type Obj = Record<string, any>;
let objects: Obj[];
beforeAll(async () => {
  const result = await renderToTemp("demo");
  const dir = join(result.outDir, "manifests");
  objects = readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), "utf8")).map((d) => d.toJS() as Obj))
    .filter((o) => o && typeof o === "object");
});

interface Reference {
  readonly object: string;
  readonly path: string;
  readonly secret: string;
  /** Absent for a reference to the whole Secret (a volume, an initdb secret). */
  readonly key?: string;
}

/** Every reference to a Secret inside one object, with where it is. */
function referencesOf(o: Obj): Reference[] {
  const object = `${o.kind}/${o.metadata?.namespace ?? ""}/${o.metadata?.name ?? ""}`;
  const out: Reference[] = [];
  const walk = (node: unknown, path: string, parentKey: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}[${i}]`, parentKey));
    if (!node || typeof node !== "object") return;
    const n = node as Obj;
    const isKeyRef = typeof n.name === "string" && typeof n.key === "string" && Object.keys(n).length === 2;
    // secretKeyRef (containers), accessKeyId/secretAccessKey (CloudNativePG s3Credentials), credential (Velero).
    if (isKeyRef && ["secretKeyRef", "accessKeyId", "secretAccessKey", "credential", "passwordSecret"].includes(parentKey)) out.push({ object, path, secret: n.name, key: n.key });
    // A secret volume, or CloudNativePG's `bootstrap.initdb.secret`.
    if (parentKey === "secret" && typeof n.secretName === "string") out.push({ object, path: `${path}.secretName`, secret: n.secretName });
    if (parentKey === "secret" && path.endsWith("initdb.secret") && typeof n.name === "string") out.push({ object, path: `${path}.name`, secret: n.name });
    for (const [k, v] of Object.entries(n)) walk(v, path ? `${path}.${k}` : k, k);
  };
  walk(o, "", "");
  return out;
}

function checkNamespace(namespace: string, contracts: readonly SecretContract[]): string[] {
  const problems: string[] = [];
  const byName = new Map(contracts.map((c) => [c.name, c]));
  const inNs = objects.filter((o) => o.metadata?.namespace === namespace);
  const written = inNs.filter((o) => o.kind === "Secret");
  for (const s of written) {
    const contract = byName.get(s.metadata.name);
    if (!contract) {
      problems.push(`Secret ${namespace}/${s.metadata.name} is written but no contract declares it`);
      continue;
    }
    const keys = Object.keys({ ...s.data, ...s.stringData }).sort();
    if (contract.keys.length > 0 && JSON.stringify(keys) !== JSON.stringify([...contract.keys].sort())) {
      problems.push(`Secret ${namespace}/${s.metadata.name} has keys ${keys.join(",")}, its contract ${[...contract.keys].sort().join(",")}`);
    }
  }
  const keysWritten = new Map(written.map((w) => [w.metadata.name as string, Object.keys({ ...w.data, ...w.stringData })]));
  for (const c of contracts) if (!written.some((s) => s.metadata.name === c.name)) problems.push(`contract ${c.name} declared for ${namespace} but no such Secret is written`);
  const issued = new Set(inNs.filter((o) => o.kind === "Certificate").map((o) => o.spec.secretName as string));
  for (const ref of inNs.flatMap(referencesOf)) {
    const contract = byName.get(ref.secret);
    if (!contract) {
      if (!issued.has(ref.secret)) problems.push(`${ref.object} ${ref.path} reads Secret ${ref.secret}, which no contract declares and no Certificate issues`);
    } else if (ref.key !== undefined && contract.keys.length > 0 && !contract.keys.includes(ref.key)) {
      problems.push(`${ref.object} ${ref.path} reads key ${ref.key} of ${ref.secret}, which has ${contract.keys.join(", ")}`);
    } else if (ref.key !== undefined && !keysWritten.get(ref.secret)?.includes(ref.key)) {
      // Open contracts (keys are data) included: the key read must be one the rendered Secret holds.
      problems.push(`${ref.object} ${ref.path} reads key ${ref.key} of ${ref.secret}, which the rendered Secret does not hold`);
    }
  }
  return problems;
}

describe("Secret contracts in the rendered demo", () => {
  it.each(APP_NAMES.map((a) => [a]))("%s: every Secret written and every reference match the module's contracts", (app: AppName) => {
    expect(APPS[app].secrets.length).toBeGreaterThan(0);
    expect(checkNamespace(`demo-${app}`, APPS[app].secrets)).toEqual([]);
  });

  it.each(Object.keys(PLATFORM).map((n) => [n]))("platform namespace %s matches its contracts", (namespace: string) => {
    expect(checkNamespace(namespace, PLATFORM[namespace]!)).toEqual([]);
  });

  it("finds the references it checks (a checker that sees nothing would pass anything)", () => {
    const refs = objects.filter((o) => o.metadata?.namespace === "demo-wiki").flatMap(referencesOf);
    expect(refs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ secret: "xwiki-db-app", key: "password" }),
        expect.objectContaining({ secret: "xwiki-oidc-client", key: "client-secret" }),
        expect.objectContaining({ secret: BACKUP_CREDENTIALS.name, key: "ACCESS_KEY_ID", path: expect.stringMatching(/s3Credentials\.accessKeyId$/) }),
        expect.objectContaining({ secret: "xwiki-db-app", path: expect.stringMatching(/initdb\.secret\.name$/) }),
      ]),
    );
  });

  it("reports a renamed key on either side, and an undeclared Secret", () => {
    const saved = objects;
    try {
      const wikiDb = defineSecret("xwiki-db-app", ["user", "password"]);
      const rest = APPS.wiki.secrets.filter((c) => c.name !== "xwiki-db-app");
      const problems = checkNamespace("demo-wiki", [...rest, wikiDb]);
      expect(problems).toEqual(
        expect.arrayContaining([
          "Secret demo-wiki/xwiki-db-app has keys password,username, its contract password,user",
          expect.stringMatching(/^Deployment\/demo-wiki\/xwiki .*secretKeyRef reads key username of xwiki-db-app, which has user, password$/),
        ]),
      );
      objects = [...saved, { apiVersion: "v1", kind: "Secret", metadata: { name: "stray", namespace: "demo-wiki" }, stringData: { a: "[secret]" } }];
      expect(checkNamespace("demo-wiki", APPS.wiki.secrets)).toEqual(["Secret demo-wiki/stray is written but no contract declares it"]);
      // An open contract's reader asking for a key the writer did not write (a realm client without its secret).
      objects = saved.map((o) =>
        o.kind === "Secret" && o.metadata.name === "keycloak-clients" ? { ...o, stringData: Object.fromEntries(Object.entries(o.stringData).filter(([k]) => k !== "wiki")) } : o,
      );
      expect(checkNamespace("demo-identity", APPS.identity.secrets)).toEqual([expect.stringMatching(/secretKeyRef reads key wiki of keycloak-clients, which the rendered Secret does not hold$/)]);
    } finally {
      objects = saved;
    }
  });
});

describe("defineSecret", () => {
  const s = defineSecret("app-secret", ["client-id", "client-secret"]);

  it("builds the Secret's data and every reference from one definition", () => {
    expect(s.data({ "client-id": "a", "client-secret": "b" })).toEqual({ "client-id": "a", "client-secret": "b" });
    expect(s.ref("client-secret")).toEqual({ name: "app-secret", key: "client-secret" });
    expect(s.env("CLIENT_ID", "client-id")).toEqual({ name: "CLIENT_ID", valueFrom: { secretKeyRef: { name: "app-secret", key: "client-id" } } });
    expect(secretEnv("CLIENT_SECRET", s, "client-secret")).toEqual({ name: "CLIENT_SECRET", valueFrom: { secretKeyRef: { name: "app-secret", key: "client-secret" } } });
  });

  it("refuses at run time what the types refuse at compile time (values built dynamically)", () => {
    const loose = s as unknown as SecretContract<string, readonly string[]>;
    expect(() => loose.data({ "client-id": "a" })).toThrow("secret app-secret: no value for key(s) client-secret");
    expect(() => loose.data({ "client-id": "a", "client-secret": "b", extra: "c" })).toThrow('secret app-secret has no key "extra" (keys: client-id, client-secret)');
    expect(() => loose.ref("clientSecret")).toThrow('secret app-secret has no key "clientSecret"');
    expect(() => loose.env("X", "nope")).toThrow('secret app-secret has no key "nope"');
  });

  it("refuses names and keys Kubernetes would reject, and repeated keys", () => {
    expect(() => defineSecret("App_Secret", ["k"])).toThrow("is not a Kubernetes object name");
    expect(() => defineSecret("app", ["a key"])).toThrow('key "a key" is not a valid Secret key');
    expect(() => defineSecret("app", [])).toThrow("needs at least one key");
    expect(() => defineSecret("app", ["k", "k"])).toThrow("repeat a key");
  });

  it("an open contract (keys are data) checks each key's syntax only", () => {
    const open = defineOpenSecret("keycloak-clients");
    expect(open.data({ wiki: "x", docs: "y" })).toEqual({ wiki: "x", docs: "y" });
    expect(open.env("E", "wiki")).toEqual({ name: "E", valueFrom: { secretKeyRef: { name: "keycloak-clients", key: "wiki" } } });
    expect(() => open.ref("not/valid")).toThrow("is not a valid Secret key");
  });
});
