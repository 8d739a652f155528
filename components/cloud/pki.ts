import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { stringify } from "yaml";

/** Validity of the cluster CAs (RKE2's own CAs last 10 years too) and of the administrator certificate. */
const CA_HOURS = 87600;
const ADMIN_HOURS = 8760;

/**
 * The cluster's server and client certificate authorities and an administrator client certificate, made by
 * the stack: the first server receives the CAs at first boot (cloud-init), so the stack composes the
 * kubeconfig without reading a file off a node. Private keys are Pulumi secrets.
 */
export class ClusterPki extends pulumi.ComponentResource {
  readonly serverCa: { readonly certPem: pulumi.Output<string>; readonly keyPem: pulumi.Output<string> };
  readonly clientCa: { readonly certPem: pulumi.Output<string>; readonly keyPem: pulumi.Output<string> };
  private readonly adminCertPem: pulumi.Output<string>;
  private readonly adminKeyPem: pulumi.Output<string>;

  constructor(name: string, args: { readonly organization: string }, opts: pulumi.ComponentResourceOptions = {}) {
    super("socle:cloud:ClusterPki", name, {}, opts);
    const child = { parent: this };
    const ca = (id: "server" | "client") => {
      const key = new tls.PrivateKey(`${name}-${id}-ca-key`, { algorithm: "ECDSA", ecdsaCurve: "P384" }, child);
      const cert = new tls.SelfSignedCert(
        `${name}-${id}-ca`,
        {
          privateKeyPem: key.privateKeyPem,
          isCaCertificate: true,
          subject: { commonName: `${args.organization} Kubernetes ${id} CA`, organization: args.organization },
          validityPeriodHours: CA_HOURS,
          allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
        },
        child,
      );
      return { key, cert };
    };
    const server = ca("server");
    const client = ca("client");
    const adminKey = new tls.PrivateKey(`${name}-admin-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, child);
    const request = new tls.CertRequest(`${name}-admin-request`, { privateKeyPem: adminKey.privateKeyPem, subject: { commonName: "socle-admin", organization: "system:masters" } }, child);
    const admin = new tls.LocallySignedCert(
      `${name}-admin`,
      { certRequestPem: request.certRequestPem, caPrivateKeyPem: client.key.privateKeyPem, caCertPem: client.cert.certPem, validityPeriodHours: ADMIN_HOURS, allowedUses: ["client_auth", "digital_signature"] },
      child,
    );
    this.serverCa = { certPem: server.cert.certPem, keyPem: pulumi.secret(server.key.privateKeyPem) };
    this.clientCa = { certPem: client.cert.certPem, keyPem: pulumi.secret(client.key.privateKeyPem) };
    this.adminCertPem = admin.certPem;
    this.adminKeyPem = pulumi.secret(adminKey.privateKeyPem);
    this.registerOutputs({});
  }

  /** The administrator kubeconfig for the API at `server`: a Pulumi secret. */
  kubeconfig(server: pulumi.Input<string>, clusterName: string): pulumi.Output<string> {
    return pulumi.secret(
      pulumi.all([server, this.serverCa.certPem, this.adminCertPem, this.adminKeyPem]).apply(([s, ca, cert, key]) => kubeconfigYaml(clusterName, s, ca, cert, key)),
    );
  }
}

/** A kubeconfig with one cluster, one client-certificate user and one context. Pure. */
export function kubeconfigYaml(name: string, server: string, caPem: string, certPem: string, keyPem: string): string {
  const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server, "certificate-authority-data": b64(caPem) } }],
    users: [{ name: `${name}-admin`, user: { "client-certificate-data": b64(certPem), "client-key-data": b64(keyPem) } }],
    contexts: [{ name, context: { cluster: name, user: `${name}-admin` } }],
    "current-context": name,
  });
}
