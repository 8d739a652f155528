import * as pulumi from "@pulumi/pulumi";
import { GATEWAY_NAMESPACE } from "../../charts/gateway";
import { CAPSULE_RELEASE, capsuleValues, renderCapsuleDisruptionBudget, renderCapsuleNamespace } from "../../charts/platform/capsule";
import type { ApiServer } from "../../charts/platform/flows";
import { GARAGE_NAMESPACE } from "../../charts/platform/garage";
import type { PlatformImages } from "../../charts/platform/images";
import { LOG_COLLECTOR_NAMESPACE, LOG_STORE_NAMESPACE } from "../../charts/platform/log-store";
import { PLATFORM_NAMESPACES } from "../../charts/platform/namespaces";
import { CAPSULE_CHART } from "../../charts/platform/releases";
import type { SizingProfile } from "../../src/model/names";
import { manifestGroup } from "../lib/manifests";
import { pinnedRelease } from "./helm";

export interface CapsuleArgs {
  readonly images: PlatformImages;
  readonly sizing: SizingProfile;
  readonly apiServer: ApiServer;
  /** What provides cert-manager (CRDs, controller, cainjector): the chart's webhook certificate is a cert-manager Certificate. */
  readonly certManager: pulumi.Input<pulumi.Resource>;
}

/** Every namespace the platform owns, which no tenant may create (Capsule's protectedNamespaceRegex). */
export const PLATFORM_OWNED_NAMESPACES: readonly string[] = [...PLATFORM_NAMESPACES.map((n) => n.name), GATEWAY_NAMESPACE, GARAGE_NAMESPACE, LOG_STORE_NAMESPACE, LOG_COLLECTOR_NAMESPACE];

/**
 * Capsule, the admission-time multi-tenancy engine of a `platform` stack (charts/platform/capsule.ts): its
 * namespace with its NetworkPolicies and disruption budget first, then the pinned release, after cert-manager.
 * Tenants' `Tenant` objects need its CRDs and webhooks: the platform's `tenancy` output names the version
 * installed (src/program/tenancy.ts), and a tenant stack runs after its platform.
 */
export class Capsule extends pulumi.ComponentResource {
  readonly release: pulumi.Resource;

  constructor(name: string, args: CapsuleArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("socle:platform:Capsule", name, {}, opts);
    const namespace = manifestGroup(name, [...renderCapsuleNamespace({ apiServer: args.apiServer }), renderCapsuleDisruptionBudget()], { parent: this });
    this.release = pinnedRelease(
      CAPSULE_RELEASE,
      CAPSULE_CHART,
      capsuleValues({ images: { capsule: args.images.capsule, kubectl: args.images["capsule-kubectl"] }, sizing: args.sizing, platformNamespaces: PLATFORM_OWNED_NAMESPACES }),
      { parent: this, dependsOn: [namespace, args.certManager] },
      args.images.registryMirror,
    );
    this.registerOutputs({});
  }
}
