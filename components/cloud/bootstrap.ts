import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { renderCloudInit } from "./plan/cloud-init";
import { ClusterPki } from "./pki";

export interface BootstrapArgs {
  readonly organization: string;
  readonly domain: string;
  /** Address of the internal API load balancer (name or IP), known after it is created. */
  readonly apiHost: pulumi.Input<string>;
  readonly ntpServers?: readonly string[];
  readonly etcdSnapshots: number;
  readonly registryMirror?: string;
}

/**
 * What every RKE2 node of a cluster shares: the join token (generated, secret), the cluster PKI, and the
 * cloud-init each node boots with. User data is a secret: it carries the token and, for the first server,
 * the CA keys.
 */
export class Rke2Bootstrap {
  readonly token: random.RandomPassword;
  readonly pki: ClusterPki;

  constructor(
    name: string,
    private readonly args: BootstrapArgs,
    parent: pulumi.Resource,
  ) {
    this.token = new random.RandomPassword(`${name}-join-token`, { length: 64, special: false }, { parent });
    this.pki = new ClusterPki(`${name}-pki`, { organization: args.organization }, { parent });
  }

  /** cloud-init of one node, as a secret; `first` is the server that initialises the cluster. */
  userData(role: "server" | "agent", nodeName: string, first: boolean, labels: Readonly<Record<string, string>> = {}): pulumi.Output<string> {
    const { args, pki } = this;
    return pulumi.secret(
      pulumi
        .all([this.token.result, args.apiHost, pki.serverCa.certPem, pki.serverCa.keyPem, pki.clientCa.certPem, pki.clientCa.keyPem])
        .apply(([token, host, serverCert, serverKey, clientCert, clientKey]) =>
          renderCloudInit({
            role,
            nodeName,
            token,
            ...(first ? {} : { joinUrl: `https://${host}:9345` }),
            tlsSans: [host, `api.${args.domain}`],
            ...(args.ntpServers ? { ntpServers: args.ntpServers } : {}),
            ...(first ? { clusterCa: { server: { certPem: serverCert, keyPem: serverKey }, client: { certPem: clientCert, keyPem: clientKey } } } : {}),
            etcdSnapshots: args.etcdSnapshots,
            ...(args.registryMirror ? { registryMirror: args.registryMirror } : {}),
            nodeLabels: labels,
          }),
        ),
    );
  }
}
