import type { KubernetesObject, ResourceView } from "../../policies/types";

/**
 * The objects offboarding renders for review, from the tenant's rendered state (out/<tenant>/state.json).
 * Pure: same state, same options, same objects.
 */

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

export const OFFBOARDING_LABEL = "socle.io/offboarding";

/** What the tenant's state holds that offboarding acts on. */
export interface TenantData {
  /** Deployments and StatefulSets: scaled to zero at cordon (every writer stopped, so nothing changes during the export). */
  readonly workloads: readonly { kind: "Deployment" | "StatefulSet"; namespace: string; name: string }[];
  /** CloudNativePG clusters: dumped with pg_dump (they stay up through cordon: they are what the export reads). */
  readonly databases: readonly { namespace: string; cluster: string; database: string; ownerSecret: string; image: string }[];
  /** Claims holding app files (mail store, wiki files, chat media…), the databases' own claims left out. */
  readonly volumes: readonly { namespace: string; claim: string }[];
  /** Namespaces holding any of the above. */
  readonly namespaces: readonly string[];
  /** Namespaces holding the tenant's object-store credentials Secret (the export uploads from there). */
  readonly credentialsIn: ReadonlySet<string>;
  /**
   * Per namespace, the egress rules its databases use to reach the object store: the NetworkPolicies
   * charts/lib/database-flows.ts names `allow-<cluster>-to-backups` (charts/wiki.ts `allow-db-to-backups`).
   * The export pods get the same egress: they upload to the same store.
   */
  readonly backupEgress: ReadonlyMap<string, readonly unknown[]>;
  /** The S3 endpoint the tenant's databases back up to (the Barman Cloud ObjectStore), and the bucket of its destinationPath. */
  readonly objectStore?: { readonly endpoint: string; readonly bucket: string };
}

/** The Secret with the tenant's object-store key, in each app namespace (charts/lib/secrets.ts BACKUP_CREDENTIALS). */
export const CREDENTIALS_SECRET = "backup-s3-credentials";

export function tenantData(views: readonly ResourceView[]): TenantData {
  const workloads: { kind: "Deployment" | "StatefulSet"; namespace: string; name: string }[] = [];
  const databases: TenantData["databases"][number][] = [];
  const volumes = new Map<string, { namespace: string; claim: string }>();
  const credentialsIn = new Set<string>();
  const backupEgress = new Map<string, unknown[]>();
  let objectStore: TenantData["objectStore"];
  const seen = new Set<string>();
  for (const v of views) {
    const o: KubernetesObject | undefined = v.k8s;
    if (!o) continue;
    const ns = o.metadata.namespace ?? "";
    const name = o.metadata.name ?? "";
    const key = `${o.apiVersion}|${o.kind}|${ns}|${name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const spec = isObj(o["spec"]) ? o["spec"] : {};
    if (o.kind === "Deployment" || o.kind === "StatefulSet") {
      workloads.push({ kind: o.kind, namespace: ns, name });
      if (o.kind === "StatefulSet") {
        const n = typeof spec["replicas"] === "number" ? spec["replicas"] : 1;
        for (const t of arr(spec["volumeClaimTemplates"])) {
          const tn = isObj(t) && isObj(t["metadata"]) ? str(t["metadata"]["name"]) : undefined;
          // Kubernetes names a StatefulSet's claims <template>-<statefulset>-<ordinal> (StatefulSet docs, "Stable Storage").
          if (tn) for (let i = 0; i < n; i++) volumes.set(`${ns}/${tn}-${name}-${i}`, { namespace: ns, claim: `${tn}-${name}-${i}` });
        }
      }
    } else if (o.kind === "Cluster" && o.apiVersion.startsWith("postgresql.cnpg.io/")) {
      const initdb = isObj(spec["bootstrap"]) && isObj(spec["bootstrap"]["initdb"]) ? spec["bootstrap"]["initdb"] : {};
      const secret = isObj(initdb["secret"]) ? str(initdb["secret"]["name"]) : undefined;
      const database = str(initdb["database"]);
      const image = str(spec["imageName"]);
      if (secret && database && image) databases.push({ namespace: ns, cluster: name, database, ownerSecret: secret, image });
    } else if (o.kind === "PersistentVolumeClaim") {
      volumes.set(`${ns}/${name}`, { namespace: ns, claim: name });
    } else if (o.kind === "NetworkPolicy" && /^allow-.+-to-backups$/.test(name)) {
      backupEgress.set(ns, [...(backupEgress.get(ns) ?? []), ...arr(spec["egress"])]);
    } else if (o.kind === "Secret" && name === CREDENTIALS_SECRET) {
      credentialsIn.add(ns);
    } else if (o.kind === "ObjectStore" && o.apiVersion.startsWith("barmancloud.cnpg.io/") && !objectStore) {
      const conf = isObj(spec["configuration"]) ? spec["configuration"] : {};
      const endpoint = str(conf["endpointURL"]);
      const m = /^s3:\/\/([^/]+)/.exec(str(conf["destinationPath"]) ?? "");
      if (endpoint && m) objectStore = { endpoint: endpoint.replace(/\/+$/, ""), bucket: m[1]! };
    }
  }
  workloads.sort((a, b) => byCode(`${a.namespace}/${a.kind}/${a.name}`, `${b.namespace}/${b.kind}/${b.name}`));
  databases.sort((a, b) => byCode(`${a.namespace}/${a.cluster}`, `${b.namespace}/${b.cluster}`));
  const vols = [...volumes.values()].sort((a, b) => byCode(`${a.namespace}/${a.claim}`, `${b.namespace}/${b.claim}`));
  const namespaces = [...new Set([...workloads.map((w) => w.namespace), ...databases.map((d) => d.namespace), ...vols.map((v) => v.namespace)])].sort(byCode);
  return { workloads, databases, volumes: vols, namespaces, credentialsIn, backupEgress, ...(objectStore ? { objectStore } : {}) };
}

/** The restricted Pod Security profile, as every socle pod meets it (tenant namespaces enforce `restricted`). */
const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

/** Cordon: every app workload scaled to zero (logins and writes stop; the databases keep running for the export). */
export function cordonObjects(tenant: string, data: TenantData): Json[] {
  return data.workloads.map((w) => ({
    apiVersion: "apps/v1",
    kind: w.kind,
    metadata: { name: w.name, namespace: w.namespace, annotations: { [OFFBOARDING_LABEL]: `cordon of tenant ${tenant}: replicas 0 (a patch: apply with kubectl patch or server-side apply of this field only)` } },
    spec: { replicas: 0 },
  }));
}

export interface ExportPlan {
  readonly bucket: string;
  readonly endpoint: string;
  readonly region: string;
  readonly prefix: string;
  /** Artifact file names, in the order the Jobs produce them. */
  readonly artifacts: readonly string[];
}

const dnsName = (s: string): string => s.toLowerCase().replace(/[^a-z0-9-]/g, "-").replace(/^-+|-+$/g, "").slice(0, 63).replace(/-+$/, "");

/** The shell of an upload container: checksum, then PUT both files with a SigV4-signed curl (curl --aws-sigv4, curl 7.75+). */
function uploadScript(artifact: string, produce: string): string {
  return [
    "set -eu",
    "cd /work",
    produce,
    `sha256sum '${artifact}' > '${artifact}.sha256'`,
    `for f in '${artifact}' '${artifact}.sha256'; do`,
    '  curl --fail --silent --show-error --aws-sigv4 "aws:amz:${S3_REGION}:s3" --user "${ACCESS_KEY_ID}:${ACCESS_SECRET_KEY}" --upload-file "$f" "${S3_ENDPOINT}/${S3_BUCKET}/${S3_PREFIX}/$f"',
    "done",
  ].join("\n");
}

function s3Env(plan: ExportPlan): Json[] {
  return [
    { name: "S3_ENDPOINT", value: plan.endpoint },
    { name: "S3_BUCKET", value: plan.bucket },
    { name: "S3_PREFIX", value: plan.prefix },
    { name: "S3_REGION", value: plan.region },
    { name: "ACCESS_KEY_ID", valueFrom: { secretKeyRef: { name: CREDENTIALS_SECRET, key: "ACCESS_KEY_ID" } } },
    { name: "ACCESS_SECRET_KEY", valueFrom: { secretKeyRef: { name: CREDENTIALS_SECRET, key: "ACCESS_SECRET_KEY" } } },
  ];
}

const RESOURCES = { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "1Gi" } };

function job(tenant: string, namespace: string, name: string, spec: Json): Json {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: dnsName(name), namespace, labels: { [OFFBOARDING_LABEL]: tenant, "app.kubernetes.io/managed-by": "socle" } },
    spec: {
      backoffLimit: 2,
      template: {
        metadata: { labels: { [OFFBOARDING_LABEL]: tenant } },
        spec: {
          restartPolicy: "Never",
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
          ...spec,
        },
      },
    },
  };
}

/**
 * Export: one Job per database (pg_dump, custom format, through the cluster's read-write Service
 * `<cluster>-rw`, CloudNativePG's naming, with the owner's basic-auth credentials), one per volume (a tar of
 * the claim mounted read-only: the workloads are scaled to zero at cordon, so a ReadWriteOnce claim is free).
 * Each uploads its artifact and a `.sha256` beside it to the tenant's bucket under the export prefix.
 */
export function exportObjects(tenant: string, data: TenantData, plan: ExportPlan, curlImage: string): { objects: Json[]; artifacts: string[] } {
  const objects: Json[] = [];
  const artifacts: string[] = [];
  const uploaderNs = (ns: string): boolean => data.credentialsIn.has(ns);
  for (const db of data.databases) {
    if (!uploaderNs(db.namespace)) continue;
    const artifact = `${db.namespace}--db--${db.cluster}.dump`;
    artifacts.push(artifact);
    objects.push(
      job(tenant, db.namespace, `offboard-export-db-${db.cluster}`, {
        volumes: [{ name: "work", emptyDir: {} }],
        initContainers: [
          {
            name: "dump",
            image: db.image,
            command: ["pg_dump", "--format=custom", "--no-owner", `--file=/work/${artifact}`],
            env: [
              { name: "PGHOST", value: `${db.cluster}-rw` },
              { name: "PGDATABASE", value: db.database },
              { name: "PGSSLMODE", value: "require" },
              { name: "PGUSER", valueFrom: { secretKeyRef: { name: db.ownerSecret, key: "username" } } },
              { name: "PGPASSWORD", valueFrom: { secretKeyRef: { name: db.ownerSecret, key: "password" } } },
            ],
            volumeMounts: [{ name: "work", mountPath: "/work" }],
            resources: RESOURCES,
            securityContext: RESTRICTED_CONTAINER,
          },
        ],
        containers: [
          {
            name: "upload",
            image: curlImage,
            command: ["sh", "-c", uploadScript(artifact, ": dumped by the init container")],
            env: s3Env(plan),
            volumeMounts: [{ name: "work", mountPath: "/work" }],
            resources: RESOURCES,
            securityContext: RESTRICTED_CONTAINER,
          },
        ],
      }),
    );
  }
  for (const v of data.volumes) {
    if (!uploaderNs(v.namespace)) continue;
    const artifact = `${v.namespace}--volume--${v.claim}.tar`;
    artifacts.push(artifact);
    objects.push(
      job(tenant, v.namespace, `offboard-export-vol-${v.claim}`, {
        volumes: [
          { name: "work", emptyDir: {} },
          { name: "data", persistentVolumeClaim: { claimName: v.claim, readOnly: true } },
        ],
        containers: [
          {
            name: "archive-upload",
            image: curlImage,
            command: ["sh", "-c", uploadScript(artifact, `tar -C /data -cf '${artifact}' .`)],
            env: s3Env(plan),
            volumeMounts: [
              { name: "work", mountPath: "/work" },
              { name: "data", mountPath: "/data", readOnly: true },
            ],
            resources: RESOURCES,
            securityContext: RESTRICTED_CONTAINER,
          },
        ],
      }),
    );
  }
  const namespaces = [...new Set(objects.map((o) => String((o["metadata"] as Json)["namespace"])))].sort(byCode);
  return { objects: [...objects, ...exportNetworkPolicies(tenant, data, namespaces)], artifacts };
}

/**
 * The verification Job: downloads every artifact and its `.sha256`, checks them with `sha256sum -c`, and uploads
 * `manifest.json` (tenant, prefix, each artifact's name, SHA-256 and size, `verified: true`) — only when every
 * check passed (`set -e`). The operator downloads it and gives it to `socle tenant remove --export-manifest`.
 */
export function verifyObject(tenant: string, namespace: string, plan: ExportPlan, curlImage: string): Json {
  const get = '  curl --fail --silent --show-error --aws-sigv4 "aws:amz:${S3_REGION}:s3" --user "${ACCESS_KEY_ID}:${ACCESS_SECRET_KEY}" --output "$f" "${S3_ENDPOINT}/${S3_BUCKET}/${S3_PREFIX}/$f"';
  const script = [
    "set -eu",
    "cd /work",
    `printf '{"tenant":"%s","prefix":"%s","artifacts":[' '${tenant}' "$S3_PREFIX" > manifest.json`,
    "sep=''",
    `for a in ${plan.artifacts.map((a) => `'${a}'`).join(" ")}; do`,
    '  for f in "$a" "$a.sha256"; do',
    get,
    "  done",
    '  sha256sum -c "$a.sha256"',
    `  printf '%s{"name":"%s","sha256":"%s","bytes":%s,"verified":true}' "$sep" "$a" "$(cut -d' ' -f1 "$a.sha256")" "$(wc -c < "$a" | tr -d ' ')" >> manifest.json`,
    "  sep=','",
    '  rm -f "$a"',
    "done",
    "printf ']}\\n' >> manifest.json",
    'curl --fail --silent --show-error --aws-sigv4 "aws:amz:${S3_REGION}:s3" --user "${ACCESS_KEY_ID}:${ACCESS_SECRET_KEY}" --upload-file manifest.json "${S3_ENDPOINT}/${S3_BUCKET}/${S3_PREFIX}/manifest.json"',
  ].join("\n");
  return job(tenant, namespace, "offboard-export-verify", {
    volumes: [{ name: "work", emptyDir: {} }],
    containers: [
      {
        name: "verify",
        image: curlImage,
        command: ["sh", "-c", script],
        env: s3Env(plan),
        volumeMounts: [{ name: "work", mountPath: "/work" }],
        resources: RESOURCES,
        securityContext: RESTRICTED_CONTAINER,
      },
    ],
  });
}

/**
 * The flows the export Jobs need in a namespace whose policies deny by default: out to each database's primary
 * on 5432 and into it (the database side admits only its listed clients), out to the object store as the
 * databases' backups go. DNS is already open to every pod of a socle namespace (`allow-dns`).
 */
export function exportNetworkPolicies(tenant: string, data: TenantData, namespaces: readonly string[]): Json[] {
  const pods = { matchLabels: { [OFFBOARDING_LABEL]: tenant } };
  const out: Json[] = [];
  for (const ns of namespaces) {
    const dbs = data.databases.filter((d) => d.namespace === ns);
    const egress: unknown[] = [
      ...dbs.map((d) => ({ to: [{ podSelector: { matchLabels: { "cnpg.io/cluster": d.cluster } } }], ports: [{ port: 5432, protocol: "TCP" }] })),
      ...(data.backupEgress.get(ns) ?? []),
    ];
    out.push({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "allow-offboard-export-out", namespace: ns }, spec: { podSelector: pods, policyTypes: ["Egress"], egress } });
    for (const d of dbs) {
      out.push({
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: dnsName(`allow-offboard-export-to-${d.cluster}`), namespace: ns },
        spec: { podSelector: { matchLabels: { "cnpg.io/cluster": d.cluster } }, policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: pods }], ports: [{ port: 5432, protocol: "TCP" }] }] },
      });
    }
  }
  return out;
}
