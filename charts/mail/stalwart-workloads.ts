import type { Chart } from "cdk8s";
import { k8s } from "../lib/k8s";
import type { SecretContract } from "../../src/model/secrets";
import type { DatabaseCredentials } from "../lib/secrets";
import { exceptionsAnnotation, restrictedContainerSecurityContext, restrictedPodSecurityContext, type SecurityException } from "../lib/security";
import { toK8sResources, type Resources } from "../lib/sizing";
import { DB_PASSWORD_ENV, STALWART_PATHS, STALWART_PORTS, STALWART_UID } from "./stalwart";

export interface StalwartWorkloadProps {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly provisionLabels: Readonly<Record<string, string>>;
  readonly images: { readonly stalwart: string; readonly curl: string };
  readonly resources: Resources;
  /** Base of the URLs Stalwart publishes (JMAP session, discovery): the web hostname behind the gateway. */
  readonly publicUrl: string;
  readonly secrets: { readonly db: DatabaseCredentials; readonly admin: SecretContract<string, readonly ["credential"]>; readonly tls: string };
  readonly configMaps: { readonly config: string; readonly plan: string };
  readonly exceptions: readonly SecurityException[];
}

const port = (p: number) => k8s.IntOrString.fromNumber(p);
const scratch = (name: string, mountPath: string, size: string) => ({
  mount: { name, mountPath },
  volume: { name, emptyDir: { sizeLimit: k8s.Quantity.fromString(size) } },
});

/** Volumes and mounts both the server and the provisioning sidecar use: config.json, the certificate, writable dirs. */
function stalwartVolumes(p: StalwartWorkloadProps) {
  const writable = [scratch("logs", STALWART_PATHS.logs, "1Gi"), scratch("data", STALWART_PATHS.data, "256Mi"), scratch("tmp", "/tmp", "1Gi")];
  return {
    mounts: [
      { name: "config", mountPath: `${STALWART_PATHS.config}/config.json`, subPath: "config.json", readOnly: true },
      { name: "tls", mountPath: STALWART_PATHS.tls, readOnly: true },
      ...writable.map((w) => w.mount),
    ],
    volumes: [
      { name: "config", configMap: { name: p.configMaps.config } },
      // 0440 with fsGroup 2000: the private key is readable by Stalwart's group only.
      { name: "tls", secret: { secretName: p.secrets.tls, defaultMode: 0o440 } },
      ...writable.map((w) => w.volume),
    ],
  };
}

const dbPassword = (p: StalwartWorkloadProps): k8s.EnvVar => p.secrets.db.env(DB_PASSWORD_ENV, "password");
const command = ["/usr/local/bin/stalwart", "--config", `${STALWART_PATHS.config}/config.json`];

/**
 * Security context of every container that executes the Stalwart binary. The image gives the binary a file
 * capability (`RUN setcap 'cap_net_bind_service=+ep' /usr/local/bin/stalwart`: stalwartlabs/stalwart
 * Dockerfile, tag v0.16.18 and branch v1.0.0 @ f4514059, since f0c403a7 of 2026-04-19). With every capability
 * dropped, NET_BIND_SERVICE is outside the bounding set and the kernel refuses to execute a binary whose
 * effective file capabilities cannot all be granted (capabilities(7), "safety checking for capability-dumb
 * binaries"): the container would fail with `exec: operation not permitted`. NET_BIND_SERVICE is the one
 * capability Pod Security `restricted` lets a container add; with `allowPrivilegeEscalation: false` the
 * process still gains nothing beyond it, and every listener stays on an unprivileged port.
 */
export const STALWART_CAPABILITIES = { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } as const;
const stalwartSecurityContext = (): k8s.SecurityContext => ({
  ...restrictedContainerSecurityContext(),
  capabilities: { drop: [...STALWART_CAPABILITIES.drop], add: [...STALWART_CAPABILITIES.add] },
});

/**
 * The mail server. One replica: several Stalwart nodes on one database need its cluster configuration
 * (node ids, coordinator), not set up here; `Recreate` keeps two nodes from overlapping during an update.
 */
export function stalwartDeployment(chart: Chart, p: StalwartWorkloadProps): void {
  const v = stalwartVolumes(p);
  new k8s.KubeServiceAccount(chart, "stalwart-service-account", {
    metadata: { name: "stalwart", namespace: p.namespace, labels: { ...p.labels } },
    automountServiceAccountToken: false,
  });
  const P = STALWART_PORTS;
  new k8s.KubeDeployment(chart, "stalwart-deployment", {
    metadata: { name: "stalwart", namespace: p.namespace, labels: { ...p.labels }, annotations: exceptionsAnnotation(p.exceptions) },
    spec: {
      replicas: 1,
      strategy: { type: "Recreate" },
      selector: { matchLabels: { ...p.labels } },
      template: {
        metadata: { labels: { ...p.labels } },
        spec: {
          serviceAccountName: "stalwart",
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: restrictedPodSecurityContext(STALWART_UID),
          containers: [
            {
              name: "stalwart",
              image: p.images.stalwart,
              command,
              env: [dbPassword(p), { name: "STALWART_PUBLIC_URL", value: p.publicUrl }],
              ports: [
                { name: "smtp", containerPort: P.smtp },
                { name: "submissions", containerPort: P.submissions },
                { name: "submission", containerPort: P.submission },
                { name: "imaps", containerPort: P.imaps },
                { name: "http", containerPort: P.http },
              ],
              securityContext: stalwartSecurityContext(),
              resources: toK8sResources(p.resources),
              // TCP probes: the stored sources do not confirm Stalwart's HTTP health paths. Ready once SMTP listens.
              startupProbe: { tcpSocket: { port: port(P.smtp) }, periodSeconds: 5, failureThreshold: 60 },
              readinessProbe: { tcpSocket: { port: port(P.smtp) }, periodSeconds: 10, timeoutSeconds: 5 },
              livenessProbe: { tcpSocket: { port: port(P.http) }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 },
              volumeMounts: v.mounts,
            },
          ],
          volumes: v.volumes,
        },
      },
    },
  });
}

/**
 * The documented declarative start (https://stalw.art/docs/configuration/declarative-deployments): Stalwart
 * in recovery mode (management listener only, no mail service) as a native sidecar, and a client that
 * applies the initial configuration through the JMAP API, then exits; the Job ends and the sidecar with it.
 * The recovery administrator exists only in this Job, never in the server's Deployment.
 */
export function provisioningJob(chart: Chart, p: StalwartWorkloadProps): void {
  const v = stalwartVolumes(p);
  const admin = (name: string): k8s.EnvVar => p.secrets.admin.env(name, "credential");
  new k8s.KubeServiceAccount(chart, "stalwart-provision-service-account", {
    metadata: { name: "stalwart-provision", namespace: p.namespace, labels: { ...p.provisionLabels } },
    automountServiceAccountToken: false,
  });
  new k8s.KubeJob(chart, "stalwart-provision-job", {
    metadata: { name: "stalwart-provision", namespace: p.namespace, labels: { ...p.provisionLabels } },
    spec: {
      backoffLimit: 6,
      activeDeadlineSeconds: 1800,
      ttlSecondsAfterFinished: 86400,
      template: {
        metadata: { labels: { ...p.provisionLabels } },
        spec: {
          serviceAccountName: "stalwart-provision",
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          restartPolicy: "Never",
          securityContext: restrictedPodSecurityContext(STALWART_UID),
          initContainers: [
            {
              name: "stalwart-recovery",
              image: p.images.stalwart,
              restartPolicy: "Always",
              command,
              env: [
                dbPassword(p),
                { name: "STALWART_RECOVERY_MODE", value: "1" },
                { name: "STALWART_RECOVERY_MODE_PORT", value: String(STALWART_PORTS.http) },
                admin("STALWART_RECOVERY_ADMIN"),
              ],
              securityContext: stalwartSecurityContext(),
              resources: toK8sResources({ cpuRequest: "100m", memoryRequest: "256Mi", memoryLimit: "512Mi" }),
              volumeMounts: v.mounts,
            },
          ],
          containers: [
            {
              name: "apply",
              image: p.images.curl,
              command: ["/bin/sh", "/plan/provision.sh"],
              env: [admin("STALWART_ADMIN")],
              securityContext: restrictedContainerSecurityContext(),
              resources: toK8sResources({ cpuRequest: "10m", memoryRequest: "32Mi", memoryLimit: "64Mi" }),
              volumeMounts: [{ name: "plan", mountPath: "/plan", readOnly: true }],
            },
          ],
          volumes: [...v.volumes, { name: "plan", configMap: { name: p.configMaps.plan } }],
        },
      },
    },
  });
}
