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

export function buildCheckModel(input: Pick<LoadedInput, "views" | "context">, contracts: readonly ReleaseContract[] = RELEASE_CONTRACTS): CheckModel {
  const rendered: KubernetesObject[] = [];
  for (const v of input.views) if (v.k8s) rendered.push(v.k8s);
  const releases = releasesOf(input.views);
  const installed = releases.flatMap((r) => installedObjects(r, contracts));
  const withReleases = [...rendered, ...installed];
  const eg = releases.find((r) => r.chart.endsWith("gateway-helm"));
  const objects = [...withReleases, ...controllerObjects(withReleases), ...gatewayProxies(withReleases, eg?.instance.namespace ?? "envoy-gateway-system")];
  return { resources: input.views, objects, cloud: input.views.filter(isCloud), context: input.context };
}
