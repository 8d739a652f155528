import { expect } from "vitest";

/**
 * The ObjectStore a CloudNativePG Cluster archives to through the Barman Cloud plugin, after checking the
 * Cluster uses the plugin as its WAL archiver and not the in-tree `barmanObjectStore` (which runs
 * barman-cloud inside the postgres container: the catalog's `standard` images do not ship it;
 * cloudnative-pg/plugin-barman-cloud v0.14.0 web/docs/images.md and migration.md).
 */
export function objectStoreOf(objs: readonly any[], clusterName: string): any {
  const cluster = objs.find((o) => o.kind === "Cluster" && o.metadata.name === clusterName);
  expect(cluster, `Cluster ${clusterName}`).toBeDefined();
  expect(cluster.spec.backup?.barmanObjectStore, `${clusterName} uses the in-tree barmanObjectStore`).toBeUndefined();
  const archivers = (cluster.spec.plugins ?? []).filter((p: any) => p.name === "barman-cloud.cloudnative-pg.io" && p.isWALArchiver === true && p.enabled !== false);
  expect(archivers, `${clusterName} WAL archiver plugin`).toHaveLength(1);
  const store = objs.find((o) => o.kind === "ObjectStore" && o.apiVersion === "barmancloud.cnpg.io/v1" && o.metadata.name === archivers[0].parameters.barmanObjectName && o.metadata.namespace === cluster.metadata.namespace);
  expect(store, `ObjectStore of ${clusterName}`).toBeDefined();
  expect(store.spec.retentionPolicy).toMatch(/^[1-9][0-9]*[dwm]$/);
  // No SSE-S3 claim: the object stores targeted ignore it (Garage implements SSE-C only).
  expect(store.spec.configuration.wal?.encryption).toBeUndefined();
  expect(store.spec.configuration.data?.encryption).toBeUndefined();
  // The injected sidecar takes its resources from here (plugin v0.13.0 internal/cnpgi/operator/lifecycle.go).
  expect(store.spec.instanceSidecarConfiguration?.resources?.limits?.memory).toBeDefined();
  const scheduled = objs.filter((o) => o.kind === "ScheduledBackup" && o.spec.cluster.name === clusterName);
  expect(scheduled.length, `ScheduledBackup of ${clusterName}`).toBeGreaterThan(0);
  for (const s of scheduled) expect(s.spec).toMatchObject({ method: "plugin", pluginConfiguration: { name: "barman-cloud.cloudnative-pg.io" } });
  return store;
}
