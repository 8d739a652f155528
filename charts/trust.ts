import { ApiObject, App, Chart } from "cdk8s";

/** ConfigMap (in every namespace) holding the internal CA's certificate, under the key `ca.crt`. */
export const TRUST_BUNDLE = { configMap: "socle-ca", key: "ca.crt" } as const;

/**
 * With the internal CA, apps that call each other over HTTPS (single sign-on back channels through the
 * gateway) must trust its root: trust-manager copies the root's certificate (never its key) into a ConfigMap
 * of every namespace.
 */
export class TrustChart extends Chart {
  constructor(scope: App, id: string, props: { readonly rootSecret: string }) {
    super(scope, id, { disableResourceNameHashes: true });
    new ApiObject(this, "bundle", {
      apiVersion: "trust.cert-manager.io/v1alpha1",
      kind: "Bundle",
      metadata: { name: TRUST_BUNDLE.configMap },
      spec: {
        sources: [{ secret: { name: props.rootSecret, key: "ca.crt" } }],
        target: { configMap: { key: TRUST_BUNDLE.key } },
      },
    });
  }
}

export function renderTrustChart(props: { readonly rootSecret: string }): Record<string, unknown>[] {
  const app = new App();
  return new TrustChart(app, "trust", props).toJson() as Record<string, unknown>[];
}
