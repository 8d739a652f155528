import type { Chart } from "cdk8s";
import { allowFlow, type Peer } from "./network";

export interface DatabaseFlowsProps {
  readonly namespace: string;
  /** Name of the CloudNativePG cluster: its pods carry `cnpg.io/cluster: <name>`. */
  readonly cluster: string;
  /** Pods of the namespace that connect to the database. */
  readonly clients: readonly Readonly<Record<string, string>>[];
  readonly backup: { readonly peer: Peer; readonly port: number };
  readonly apiServer: { readonly peers: readonly Peer[]; readonly ports: readonly number[] };
  readonly cnpgOperatorNamespace: string;
}

export function databaseLabels(cluster: string): Record<string, string> {
  return { "cnpg.io/cluster": cluster };
}

/**
 * The flows a CloudNativePG cluster of an app namespace needs (the same set as the wiki's): clients in,
 * replication and status between instances, the operator in, WAL and base backups out to the object
 * store, the instance manager to the API server.
 */
export function databaseFlows(chart: Chart, p: DatabaseFlowsProps): void {
  const db = databaseLabels(p.cluster);
  const ns = p.namespace;
  p.clients.forEach((pods, i) => {
    allowFlow(chart, ns, { name: `${p.cluster}-client-${i}-out`, pods, egressTo: [{ pods: db }], ports: [{ port: 5432 }] });
  });
  allowFlow(chart, ns, { name: `${p.cluster}-from-clients`, pods: db, ingressFrom: p.clients.map((pods) => ({ pods })), ports: [{ port: 5432 }] });
  allowFlow(chart, ns, { name: `${p.cluster}-replication-in`, pods: db, ingressFrom: [{ pods: db }], ports: [{ port: 5432 }, { port: 8000 }] });
  allowFlow(chart, ns, { name: `${p.cluster}-replication-out`, pods: db, egressTo: [{ pods: db }], ports: [{ port: 5432 }, { port: 8000 }] });
  allowFlow(chart, ns, {
    name: `${p.cluster}-from-operator`,
    pods: db,
    ingressFrom: [{ namespace: p.cnpgOperatorNamespace, pods: { "app.kubernetes.io/name": "cloudnative-pg" } }],
    ports: [{ port: 8000 }, { port: 5432 }],
  });
  allowFlow(chart, ns, { name: `${p.cluster}-to-backups`, pods: db, egressTo: [p.backup.peer], ports: [{ port: p.backup.port }] });
  allowFlow(chart, ns, { name: `${p.cluster}-to-api-server`, pods: db, egressTo: p.apiServer.peers, ports: p.apiServer.ports.map((port) => ({ port })) });
}
