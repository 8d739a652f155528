import { createHash } from "node:crypto";
import { stringify } from "yaml";
import { POD_CIDR, SERVICE_CIDR } from "./cidr-split";

export interface PemPair {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface NodeBootstrap {
  readonly role: "server" | "agent";
  readonly nodeName: string;
  /**
   * The secret this node joins with: the server token on servers, the agent token on agents (K10 form,
   * `joinToken`). A Pulumi secret, resolved before rendering.
   */
  readonly token: string;
  /** Servers only: the agent token they accept (`agent-token`), so agents never hold the server token. */
  readonly agentToken?: string;
  /** Registration address of the cluster (`https://<api load balancer>:9345`); absent for the first server only. */
  readonly joinUrl?: string;
  /** Names and addresses the API server certificate must carry (load balancer address, API hostname). */
  readonly tlsSans: readonly string[];
  /** NTP servers; absent or empty: the image's own chrony configuration is left alone. */
  readonly ntpServers?: readonly string[];
  /**
   * The cluster's CAs, for the first server only: RKE2 uses CA files it finds in its TLS folder instead of
   * generating them, so the stack can write the kubeconfig without reading a file off a node.
   */
  readonly clusterCa?: { readonly server: PemPair; readonly client: PemPair };
  /** etcd snapshots to keep (servers). */
  readonly etcdSnapshots: number;
  /** Servers: also upload etcd snapshots to S3, configured by this kube-system Secret (`etcd-s3-config-secret`). */
  readonly etcdS3Secret?: string;
  /** Registry RKE2 pulls its own system images from (`system-default-registry`). */
  readonly registryMirror?: string;
  readonly nodeLabels?: Readonly<Record<string, string>>;
}

export const RKE2_CONFIG_PATH = "/etc/rancher/rke2/config.yaml";
/** The API server audit policy RKE2 passes to kube-apiserver (`audit-policy-file`, rancher/rke2 pkg/cli/cmds/root.go). */
export const AUDIT_POLICY_PATH = "/etc/rancher/rke2/audit-policy.yaml";
/** Where RKE2 serves the cluster's server CA (`/cacerts`) from, and what the K10 token's hash covers. */
export const SERVER_CA_PATH = "/var/lib/rancher/rke2/server/tls/server-ca.crt";

/**
 * A join token in RKE2's secure form, `K10<sha256 of the server CA file>::<user>:<password>`: a joining node
 * checks the CA the server presents against the hash before sending its credentials. The hash of a
 * one-certificate bundle is the SHA-256 of the file's bytes (k3s-io/k3s pkg/clientaccess/token.go, `hashCA`,
 * `FormatTokenBytes`; RKE2 embeds k3s). socle writes that file itself (`clusterCa`), so it knows the bytes.
 * `user` is `server` for the server token and `node` for the agent token. Pure.
 */
export function joinToken(serverCaPem: string, user: "server" | "node", password: string): string {
  if (!/^[^:\s]+$/.test(password)) throw new Error("joinToken: the password must not be empty nor hold ':' or whitespace");
  const digest = createHash("sha256").update(serverCaPem, "utf8").digest("hex");
  return `K10${digest}::${user}:${password}`;
}

/**
 * The API server audit policy: nothing for health probes, metadata only for Secrets, ConfigMaps and token
 * requests (their bodies hold credentials), request and response for every other write, metadata for the
 * rest. Format: audit.k8s.io/v1 Policy (kubernetes.io "Auditing"). Under the CIS profile RKE2 passes
 * `--audit-policy-file=/etc/rancher/rke2/audit-policy.yaml` and its log path and rotation (30 days, 10 files,
 * 100 MB) to kube-apiserver, and writes a policy there only if none exists, with the single rule
 * `level: None`: nothing is logged (rancher/rke2 pkg/executor/staticpod/staticpod.go, pkg/podtemplate/utils.go
 * `WriteDefaultPolicyFile`, commit 6ce1a80). cloud-init writes this one first.
 */
export const AUDIT_POLICY = {
  apiVersion: "audit.k8s.io/v1",
  kind: "Policy",
  omitStages: ["RequestReceived"],
  rules: [
    { level: "None", nonResourceURLs: ["/healthz*", "/livez*", "/readyz*", "/version"] },
    { level: "None", resources: [{ group: "coordination.k8s.io", resources: ["leases"] }], verbs: ["get", "update", "watch", "list"] },
    { level: "Metadata", resources: [{ group: "", resources: ["secrets", "configmaps", "serviceaccounts/token"] }, { group: "authentication.k8s.io", resources: ["tokenreviews"] }] },
    { level: "RequestResponse", verbs: ["create", "update", "patch", "delete", "deletecollection"] },
    { level: "Metadata" },
  ],
} as const;

/** containerd's registry configuration as RKE2 writes it from this file (https://docs.rke2.io/install/private_registry). */
export const RKE2_REGISTRIES_PATH = "/etc/rancher/rke2/registries.yaml";

/**
 * Upstream registries the nodes pull through the mirror: every registry of the image catalog
 * (test/images/mirror-nodes.test.ts keeps this list in step with src/images/catalog.ts) and registry.k8s.io
 * (cloud-controller-manager and CSI images).
 */
export const MIRRORED_REGISTRIES = ["cr.fluentbit.io", "docker.io", "ghcr.io", "quay.io", "registry.k8s.io"] as const;

/**
 * containerd mirrors (`registries.yaml`) for the mirror layout `<mirror>/<original registry>/<path>`: each
 * upstream registry's pulls go to the mirror's host, rewritten below `<prefix>/<registry>/` (the `rewrite`
 * regex of docs.rke2.io/install/private_registry, "Rewrites"). RKE2's system images, named
 * `<system-default-registry>/rancher/…`, are rewritten to the mirror's copy of docker.io/rancher/…. Pure.
 */
export function registriesConfig(mirror: string, upstreams: readonly string[] = MIRRORED_REGISTRIES): Record<string, unknown> {
  const trimmed = mirror.replace(/\/+$/, "");
  const slash = trimmed.indexOf("/");
  const host = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const prefix = slash < 0 ? "" : `${trimmed.slice(slash + 1)}/`;
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const mirrors: Record<string, unknown> = {};
  for (const upstream of [...upstreams].sort()) {
    mirrors[upstream] = { endpoint: [`https://${host}`], rewrite: { "^(.*)$": `${prefix}${upstream}/$1` } };
  }
  mirrors[host] = { endpoint: [`https://${host}`], rewrite: { [`^${esc(prefix)}rancher/(.*)$`]: `${prefix}docker.io/rancher/$1` } };
  return { mirrors };
}
const RKE2_TLS = "/var/lib/rancher/rke2/server/tls";
/** Where the node image keeps RKE2's airgap artifacts (install.sh, tarball, images): nothing is downloaded at boot. */
export const RKE2_ARTIFACTS = "/opt/rke2-artifacts";
/** Installed by RKE2's tarball install; the CIS profile needs these kernel parameters before RKE2 starts. */
const CIS_SYSCTL = "/usr/local/share/rke2/rke2-cis-sysctl.conf";

/** RKE2's configuration file (`/etc/rancher/rke2/config.yaml`) for one node. Pure. */
export function rke2Config(node: NodeBootstrap): Record<string, unknown> {
  return {
    token: node.token,
    ...(node.joinUrl ? { server: node.joinUrl } : {}),
    "node-name": node.nodeName,
    // CIS hardening profile: Pod Security admission (restricted), kernel parameters, etcd run as its own user.
    profile: "cis",
    "protect-kernel-defaults": true,
    selinux: true,
    // Node addresses and zones come from the cloud-controller-manager the cluster runs.
    "cloud-provider-name": "external",
    ...(node.registryMirror ? { "system-default-registry": node.registryMirror } : {}),
    ...(node.nodeLabels && Object.keys(node.nodeLabels).length > 0 ? { "node-label": Object.entries(node.nodeLabels).map(([k, v]) => `${k}=${v}`).sort() } : {}),
    ...(node.role === "server"
      ? {
          ...(node.agentToken ? { "agent-token": node.agentToken } : {}),
          // `external` is not one of RKE2's bundled providers, so RKE2 keeps its own cloud controller
          // unless told (rancher/rke2 pkg/cli/cmds/root.go validateCloudProvider): the cluster's CCM replaces it.
          "disable-cloud-controller": true,
          "audit-policy-file": AUDIT_POLICY_PATH,
          "tls-san": [...node.tlsSans],
          "cluster-cidr": POD_CIDR,
          "service-cidr": SERVICE_CIDR,
          "secrets-encryption": true,
          "write-kubeconfig-mode": "0600",
          "etcd-snapshot-schedule-cron": "0 */6 * * *",
          "etcd-snapshot-retention": node.etcdSnapshots,
          ...(node.etcdS3Secret ? { "etcd-s3": true, "etcd-s3-config-secret": node.etcdS3Secret } : {}),
          // The suite's gateway (Envoy) replaces the bundled ingress controller.
          disable: ["rke2-ingress-nginx"],
          "node-taint": ["node-role.kubernetes.io/control-plane=true:NoSchedule"],
        }
      : {}),
  };
}

/**
 * cloud-init user data for an RKE2 node: `#cloud-config`, chrony NTP, RKE2's config file (CIS profile)
 * and, on the first server, the cluster CAs; then the offline install from the image's airgap artifacts.
 * Pure: same input, same text.
 */
export function renderCloudInit(node: NodeBootstrap): string {
  const files: { path: string; permissions: string; owner: string; content: string }[] = [
    { path: RKE2_CONFIG_PATH, permissions: "0600", owner: "root:root", content: stringify(rke2Config(node), { lineWidth: 0 }) },
  ];
  if (node.role === "server") files.push({ path: AUDIT_POLICY_PATH, permissions: "0600", owner: "root:root", content: stringify(AUDIT_POLICY, { lineWidth: 0 }) });
  if (node.registryMirror) {
    files.push({ path: RKE2_REGISTRIES_PATH, permissions: "0600", owner: "root:root", content: stringify(registriesConfig(node.registryMirror), { lineWidth: 0 }) });
  }
  if (node.role === "server" && node.clusterCa) {
    for (const [ca, pair] of [["server-ca", node.clusterCa.server], ["client-ca", node.clusterCa.client]] as const) {
      files.push({ path: `${RKE2_TLS}/${ca}.crt`, permissions: "0644", owner: "root:root", content: pair.certPem });
      files.push({ path: `${RKE2_TLS}/${ca}.key`, permissions: "0600", owner: "root:root", content: pair.keyPem });
    }
  }
  const service = node.role === "server" ? "rke2-server" : "rke2-agent";
  // Without servers, cloud-init's ntp module would write its distribution's public pool servers over the
  // image's chrony configuration (cloudinit/config/cc_ntp.py): leave the module out, and the image's own.
  const ntp = node.ntpServers && node.ntpServers.length > 0 ? { ntp: { enabled: true, ntp_client: "chrony", servers: [...node.ntpServers] } } : {};
  const runcmd: (readonly string[])[] = [
    ["sh", "-c", `INSTALL_RKE2_ARTIFACT_PATH=${RKE2_ARTIFACTS} INSTALL_RKE2_TYPE=${node.role} sh ${RKE2_ARTIFACTS}/install.sh`],
    ["cp", "-f", CIS_SYSCTL, "/etc/sysctl.d/60-rke2-cis.conf"],
    ["systemctl", "restart", "systemd-sysctl"],
    ...(node.role === "server" ? [["sh", "-c", "id -u etcd >/dev/null 2>&1 || useradd -r -c 'etcd user' -s /sbin/nologin -M etcd -U"]] : []),
    ["systemctl", "enable", "--now", `${service}.service`],
  ];
  const doc = { hostname: node.nodeName, ...ntp, write_files: files, runcmd };
  return `#cloud-config\n${stringify(doc, { lineWidth: 0 })}`;
}
