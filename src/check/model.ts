/**
 * The check model: the input's resources (loaded exactly as `socle audit` loads them), the Kubernetes
 * objects among them, plus what each Helm release installs (its contract) and what the controllers create
 * from the rendered custom resources.
 */
import type { KubernetesObject, ResourceView } from "../../policies/types";
import type { LoadedInput } from "../audit/inputs/types";
import { controllerObjects, gatewayProxies } from "./controllers";
import { installedObjects, releasesOf } from "./releases";
import type { ReleaseContract } from "./releases/types";
import { RELEASE_CONTRACTS } from "./releases";
import type { CheckModel } from "./types";

/** Types that are neither Kubernetes objects nor cloud resources: Pulumi internals and socle's component resources. */
function isCloud(view: ResourceView): boolean {
  if (view.k8s) return false;
  const pkg = view.type.slice(0, view.type.indexOf(":"));
  return pkg !== "kubernetes" && pkg !== "pulumi" && pkg !== "socle";
}

/**
 * Secret keys from the manifests `socle render` writes beside a state file: the state seals a Secret's data
 * whole (keys included), the manifests keep the keys (values are `[secret]`). `from` names the folder.
 */
export interface SecretKeys {
  readonly from: string;
  /** `namespace/name` → keys. */
  readonly keys: ReadonlyMap<string, readonly string[]>;
}

/** A sealed Secret (no data map) given the keys its manifest lists. */
function withKeys(o: KubernetesObject, secretKeys: SecretKeys | undefined): KubernetesObject {
  if (!secretKeys || o.kind !== "Secret" || o.apiVersion !== "v1") return o;
  const isMap = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
  if (isMap(o.data) || isMap(o.stringData)) return o;
  const keys = secretKeys.keys.get(`${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`);
  if (!keys) return o;
  return {
    ...o,
    metadata: { ...o.metadata, annotations: { ...(o.metadata.annotations ?? {}), "check.socle.io/keys-from": secretKeys.from } },
    data: Object.fromEntries(keys.map((k) => [k, ""])),
  };
}

export function buildCheckModel(
  input: Pick<LoadedInput, "views" | "context">,
  contracts: readonly ReleaseContract[] = RELEASE_CONTRACTS,
  secretKeys?: SecretKeys,
  platform?: CheckModel["platform"],
): CheckModel {
  const rendered: KubernetesObject[] = [];
  for (const v of input.views) if (v.k8s) rendered.push(withKeys(v.k8s, secretKeys));
  const releases = releasesOf(input.views);
  const installed = releases.flatMap((r) => installedObjects(r, contracts));
  const withReleases = [...rendered, ...installed];
  const eg = releases.find((r) => r.chart.endsWith("gateway-helm"));
  // A tenant's platform's cluster-wide producers (trust-manager Bundles) fill the tenant's namespaces too.
  const platformBundles = (platform?.objects ?? []).filter((o) => o.kind === "Bundle" && !o.metadata.namespace);
  const produced = controllerObjects([...withReleases, ...platformBundles]);
  const objects = [...withReleases, ...produced, ...gatewayProxies(withReleases, eg?.instance.namespace ?? "envoy-gateway-system")];
  return { resources: input.views, objects, cloud: input.views.filter(isCloud), context: input.context, ...(platform ? { platform } : {}) };
}
