import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";

/**
 * Every Kubernetes resource of the stack goes to the cluster the stack provisioned (or was given):
 * one explicit provider, applied to all of them by a stack transformation so that no component has to
 * thread it through, and none can forget it.
 */
export function useKubernetesProvider(kubeconfig: pulumi.Input<string>): k8s.Provider {
  const provider = new k8s.Provider("cluster", {
    kubeconfig: pulumi.secret(kubeconfig),
    // Server-side apply: field ownership is explicit, and two tenants' objects never fight over fields.
    enableServerSideApply: true,
  });
  pulumi.runtime.registerStackTransformation((args) => {
    // Components of the Kubernetes SDK (ConfigGroup, …) pass the provider on to their children.
    if (!args.type.startsWith("kubernetes:") || args.opts.provider) return undefined;
    return { props: args.props, opts: pulumi.mergeOptions(args.opts, { provider }) };
  });
  return provider;
}
