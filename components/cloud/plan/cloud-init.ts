import { stringify } from "yaml";

export interface NodeBootstrap {
  readonly role: "server" | "agent";
  /** First server's registration address (`https://<api>:9345`); absent for the first server itself. */
  readonly joinUrl?: string;
  /** Shared secret nodes join with (a Pulumi secret, resolved before rendering). */
  readonly token: string;
  /** Names and addresses the API server certificate must carry (load balancer address, API hostname). */
  readonly tlsSans: readonly string[];
  readonly nodeName: string;
  readonly ntpServers?: readonly string[];
  /** Cluster CA certificate and key (PEM), so the stack can compose a kubeconfig without reading a node. */
  readonly clusterCa?: { readonly certPem: string; readonly keyPem: string };
  readonly cloudProvider: "openstack" | "outscale";
}

const RKE2_CONFIG = "/etc/rancher/rke2/config.yaml";
const RKE2_TLS = "/var/lib/rancher/rke2/server/tls";

/**
 * cloud-init for an RKE2 node. RKE2 because it is the Kubernetes distribution hardened for the CIS benchmark
 * by default (`profile: cis` enforces the kernel parameters, Pod Security admission and etcd user), runs with
 * SELinux, and installs offline from its airgap artifacts: the node image carries them under
 * /opt/rke2-artifacts, so no node downloads anything at boot.
 */
export function renderCloudInit(node: NodeBootstrap): string {
  const rke2: Record<string, unknown> = {
    token: node.token,
    "node-name": node.nodeName,
    profile: "cis",
    "protect-kernel-defaults": true,
    "selinux": true,
    "cloud-provider-name": "external",
    ...(node.joinUrl ? { server: node.joinUrl } : {}),
    ...(node.role === "server"
      ? {
          "tls-san": [...node.tlsSans],
          "secrets-encryption": true,
          "etcd-snapshot-schedule-cron": "0 */6 * * *",
          "etcd-snapshot-retention": 28,
          "kube-apiserver-arg": ["audit-log-maxage=30", "audit-log-maxbackup=10"],
          "disable": ["rke2-ingress-nginx"],
        }
      : {}),
  };
  const files: { path: string; permissions: string; owner: string; content: string }[] = [
    { path: RKE2_CONFIG, permissions: "0600", owner: "root:root", content: stringify(rke2) },
  ];
  if (node.role === "server" && node.clusterCa) {
    // RKE2 keeps CA files it finds in place of generating its own (custom CA certificates).
    for (const ca of ["server-ca", "client-ca"]) {
      files.push({ path: `${RKE2_TLS}/${ca}.crt`, permissions: "0644", owner: "root:root", content: node.clusterCa.certPem });
      files.push({ path: `${RKE2_TLS}/${ca}.key`, permissions: "0600", owner: "root:root", content: node.clusterCa.keyPem });
    }
  }
  const service = node.role === "server" ? "rke2-server" : "rke2-agent";
  const doc: Record<string, unknown> = {
    hostname: node.nodeName,
    ...(node.ntpServers && node.ntpServers.length > 0 ? { ntp: { enabled: true, ntp_client: "chrony", servers: [...node.ntpServers] } } : { ntp: { enabled: true, ntp_client: "chrony" } }),
    write_files: files,
    runcmd: [
      ["sh", "-c", `INSTALL_RKE2_ARTIFACT_PATH=/opt/rke2-artifacts INSTALL_RKE2_TYPE=${node.role} sh /opt/rke2-artifacts/install.sh`],
      ["systemctl", "enable", "--now", `${service}.service`],
    ],
  };
  return `#cloud-config\n${stringify(doc, { lineWidth: 0 })}`;
}
