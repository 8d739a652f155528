import * as pulumi from "@pulumi/pulumi";
import { renderPlatformNamespaces, type PlatformNamespacesProps } from "../../charts/platform/namespaces";
import { manifestGroup } from "../lib/manifests";

/** Namespaces of the Helm-installed platform services, with Pod Security labels and NetworkPolicies, before any release. */
export class PlatformNamespaces extends pulumi.ComponentResource {
  readonly ready: pulumi.Resource;

  constructor(name: string, args: PlatformNamespacesProps, opts: pulumi.ComponentResourceOptions = {}) {
    super("socle:platform:Namespaces", name, {}, opts);
    this.ready = manifestGroup(name, renderPlatformNamespaces(args), { parent: this });
    this.registerOutputs({});
  }
}
