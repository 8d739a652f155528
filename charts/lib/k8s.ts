/**
 * cdk8s-plus-33's generated Kubernetes API classes (`KubeDeployment`, `KubeNetworkPolicy`, …), the only
 * part of cdk8s-plus-33 the charts use. Imported from their own module: the package's entry point also
 * loads every one of its higher-level constructs (pods, containers, autoscalers: about 35 modules), which
 * a render does not need (docs/render.md, "Start-up and speed"). The entry point exports this same module
 * as `k8s`, so classes and `instanceof` are the same either way.
 */
export * as k8s from "cdk8s-plus-33/lib/imports/k8s";
