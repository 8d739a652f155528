import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { stringify } from "yaml";

/**
 * The cluster's certificate authority and an administrator client certificate, made by the stack: the CA
 * is handed to RKE2 at first boot (cloud-init), so the stack can write a kubeconfig without reading a
 * file off a node. Private keys stay Pulumi secrets.
 */
export class ClusterPki extends pulumi.ComponentResource {
  readonly caCertPem: pulumi.Output<string>;
  readonly caKeyPem: pulumi.Output<string>;
  readonly adminCertPem: pulumi.Output<string>;
  readonly adminKeyPem: pulumi.Output<string>;

  constructor(name: string, args: { readonly organization: string }, opts: pulumi.ComponentResourceOptions = {}) {
    super("socle:cloud:ClusterPki", name, {}, opts);
    const child = { parent: this };
    const caKey = new tls.PrivateKey(`${name}-ca-key`, { algorithm: "ECDSA", ecdsaCurve: "P384" }, child);
    const ca = new tls.SelfSignedCert(
      `${name}-ca`,
      {
        privateKeyPem: caKey.privateKeyPem,
        isCaCertificate: true,
        subject: { commonName: `${args.organization} Kubernetes CA`, organization: args.organization },
        validityPeriodHours: 87600,
        allowedUses: ["cert_signing", "crl_signing", "digital_signature", "key_encipherment"],
      },
      child,
    );
    const adminKey = new tls.PrivateKey(`${name}-admin-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, child);
    const request = new tls.CertRequest(`${name}-admin-request`, { privateKeyPem: adminKey.privateKeyPem, subject: { commonName: "socle-admin", organization: "system:masters" } }, child);
    const admin = new tls.LocallySignedCert(
      `${name}-admin`,
      {
        certRequestPem: request.certRequestPem,
        caPrivateKeyPem: caKey.privateKeyPem,
        caCertPem: ca.certPem,
        validityPeriodHours: 8760,
        allowedUses: ["client_auth", "digital_signature", "key_encipherment"],
      },
      child,
    );
    this.caCertPem = ca.certPem;
    this.caKeyPem = pulumi.secret(caKey.privateKeyPem);
    this.adminCertPem = admin.certPem;
    this.adminKeyPem = pulumi.secret(adminKey.privateKeyPem);
    this.registerOutputs({});
  }

  kubeconfig(server: pulumi.Input<string>, clusterName: string): pulumi.Output<string> {
    return pulumi.secret(
      pulumi.all([server, this.caCertPem, this.adminCertPem, this.adminKeyPem]).apply(([s, ca, cert, key]) => kubeconfigYaml(clusterName, s, ca, cert, key)),
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
