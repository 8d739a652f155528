import type { Chart } from "cdk8s";
import { k8s } from "../lib/k8s";
import type { SizingProfile } from "../../src/model/names";
import { allowFlow, type Peer } from "../lib/network";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "../lib/security";
import { toK8sResources } from "../lib/sizing";
import { valkeySize } from "./sizing";

export const VALKEY_PORT = 6379;
const VALKEY_UID = 999;

export interface ValkeyProps {
  /** Name of the instance; also its Service and the prefix of its NetworkPolicies. */
  readonly name: string;
  readonly namespace: string;
  readonly image: string;
  readonly sizing: SizingProfile;
  /** Existing Secret (made by the calling component, e.g. from a random.RandomPassword) and its key holding the password. */
  readonly passwordSecret: { readonly name: string; readonly key: string };
  /** Pods allowed to connect. */
  readonly clients: readonly Peer[];
}

export function valkeyLabels(name: string): Record<string, string> {
  return { "app.kubernetes.io/name": "valkey", "app.kubernetes.io/instance": name };
}

/**
 * Adds a Valkey cache to an app's chart: one replica (a cache, rebuilt on loss, so no volume), non-root,
 * read-only root filesystem, `requirepass` from the given Secret (through the environment, never in a
 * file or a literal), reachable only by `clients`. The caller's namespace already has default deny and DNS.
 */
export function addValkey(chart: Chart, props: ValkeyProps): { readonly host: string; readonly port: number; readonly labels: Record<string, string> } {
  const labels = valkeyLabels(props.name);
  const port = k8s.IntOrString.fromNumber(VALKEY_PORT);
  const ping = ["sh", "-c", 'valkey-cli --no-auth-warning -a "$VALKEY_PASSWORD" ping | grep -q PONG'];
  new k8s.KubeServiceAccount(chart, `${props.name}-service-account`, { metadata: { name: props.name, namespace: props.namespace }, automountServiceAccountToken: false });
  new k8s.KubeDeployment(chart, `${props.name}-deployment`, {
    metadata: { name: props.name, namespace: props.namespace, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: props.name,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: restrictedPodSecurityContext(VALKEY_UID),
          containers: [
            {
              name: "valkey",
              image: props.image,
              // Persistence off: a cache. `$(VALKEY_PASSWORD)` is expanded by the kubelet from the Secret-backed variable.
              args: ["--port", String(VALKEY_PORT), "--requirepass", "$(VALKEY_PASSWORD)", "--save", "", "--appendonly", "no", "--dir", "/data"],
              env: [{ name: "VALKEY_PASSWORD", valueFrom: { secretKeyRef: { name: props.passwordSecret.name, key: props.passwordSecret.key } } }],
              ports: [{ name: "valkey", containerPort: VALKEY_PORT }],
              securityContext: restrictedContainerSecurityContext(),
              resources: toK8sResources(valkeySize(props.sizing).resources),
              readinessProbe: { exec: { command: ping }, periodSeconds: 10 },
              livenessProbe: { tcpSocket: { port }, periodSeconds: 20, failureThreshold: 6 },
              volumeMounts: [{ name: "data", mountPath: "/data" }],
            },
          ],
          volumes: [{ name: "data", emptyDir: { sizeLimit: k8s.Quantity.fromString("256Mi") } }],
        },
      },
    },
  });
  new k8s.KubeService(chart, `${props.name}-service`, {
    metadata: { name: props.name, namespace: props.namespace, labels },
    spec: { type: "ClusterIP", selector: labels, ports: [{ name: "valkey", port: VALKEY_PORT, targetPort: port }] },
  });
  allowFlow(chart, props.namespace, { name: `${props.name}-from-clients`, pods: labels, ingressFrom: props.clients, ports: [{ port: VALKEY_PORT }] });
  return { host: `${props.name}.${props.namespace}.svc`, port: VALKEY_PORT, labels };
}
