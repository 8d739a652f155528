/** Hand-written rendered states for metering tests: every request below is summed by hand in usage.test.ts. */
const STACK = (t: string) => `urn:pulumi:${t}::socle::pulumi:pulumi:Stack::socle-${t}`;

function k8s(tenant: string, obj: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec?: unknown }) {
  // Pulumi's type token names the core group `core` (kubernetes:core/v1:Secret).
  const token = obj.apiVersion === "v1" ? "core/v1" : obj.apiVersion;
  return {
    urn: `urn:pulumi:${tenant}::socle::kubernetes:${token}:${obj.kind}::${obj.metadata.namespace ?? ""}-${obj.metadata.name}`,
    custom: true,
    id: `${obj.metadata.namespace ?? ""}/${obj.metadata.name}`,
    type: `kubernetes:${token}:${obj.kind}`,
    inputs: obj,
    outputs: obj,
    parent: STACK(tenant),
  };
}

const container = (name: string, cpu: string, memory: string) => ({ name, image: "registry.test/app:1", resources: { requests: { cpu, memory } } });

export function tenantAState(): Record<string, unknown> {
  const t = "tenant-exemple-a";
  return {
    version: 3,
    deployment: {
      manifest: { time: "1970-01-01T00:00:00Z", magic: "", version: "v3.0.0" },
      resources: [
        { urn: STACK(t), custom: false, type: "pulumi:pulumi:Stack", outputs: {} },
        // 2 × (500m + 100m) CPU, 2 × (1Gi + 256Mi) memory; the init container is not counted.
        k8s(t, {
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: { name: "wiki", namespace: "tenant-a-wiki" },
          spec: { replicas: 2, template: { spec: { initContainers: [container("init", "2", "4Gi")], containers: [container("app", "500m", "1Gi"), container("sidecar", "0.1", "256Mi")] } } },
        }),
        // 1 × 1 CPU, 2Gi; a 20Gi claim template × 1.
        k8s(t, {
          apiVersion: "apps/v1",
          kind: "StatefulSet",
          metadata: { name: "stalwart", namespace: "tenant-a-mail" },
          spec: {
            replicas: 1,
            template: { spec: { containers: [container("stalwart", "1", "2Gi")] } },
            volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { resources: { requests: { storage: "20Gi" } } } }],
          },
        }),
        // 2 instances × (250m, 512Mi, 10Gi).
        k8s(t, {
          apiVersion: "postgresql.cnpg.io/v1",
          kind: "Cluster",
          metadata: { name: "wiki-db", namespace: "tenant-a-wiki" },
          spec: {
            instances: 2,
            imageName: "registry.test/postgresql:16",
            storage: { size: "10Gi" },
            resources: { requests: { cpu: "250m", memory: "512Mi" } },
            bootstrap: { initdb: { database: "xwiki", owner: "xwiki", secret: { name: "wiki-db-owner" } } },
          },
        }),
        k8s(t, {
          apiVersion: "barmancloud.cnpg.io/v1",
          kind: "ObjectStore",
          metadata: { name: "wiki-db-backup", namespace: "tenant-a-wiki" },
          spec: { configuration: { destinationPath: "s3://tenant-a-backups/wiki", endpointURL: "https://s3.hebergeur.test" } },
        }),
        k8s(t, { apiVersion: "v1", kind: "Secret", metadata: { name: "backup-s3-credentials", namespace: "tenant-a-wiki" } }),
        k8s(t, { apiVersion: "v1", kind: "Secret", metadata: { name: "backup-s3-credentials", namespace: "tenant-a-mail" } }),
        // 5Gi.
        k8s(t, { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "wiki-files", namespace: "tenant-a-wiki" }, spec: { resources: { requests: { storage: "5Gi" } } } }),
        // Not counted: a DaemonSet is the platform's, a Job runs to completion.
        k8s(t, { apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "agent", namespace: "tenant-a-wiki" }, spec: { template: { spec: { containers: [container("a", "4", "8Gi")] } } } }),
        k8s(t, { apiVersion: "batch/v1", kind: "Job", metadata: { name: "migrate", namespace: "tenant-a-wiki" }, spec: { template: { spec: { containers: [container("m", "8", "16Gi")] } } } }),
      ],
    },
  };
}

export function tenantBState(): Record<string, unknown> {
  const t = "tenant-exemple-b";
  return {
    version: 3,
    deployment: {
      manifest: { time: "1970-01-01T00:00:00Z", magic: "", version: "v3.0.0" },
      resources: [
        { urn: STACK(t), custom: false, type: "pulumi:pulumi:Stack", outputs: {} },
        // replicas absent: 1 (the API server's default). 1 CPU, 1Gi.
        k8s(t, { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "wiki", namespace: "tenant-b-wiki" }, spec: { template: { spec: { containers: [container("app", "1000m", "1024Mi")] } } } }),
      ],
    },
  };
}
