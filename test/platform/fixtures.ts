import { PLATFORM_IMAGE_KEYS, type PlatformImages } from "../../charts/platform/images";
import type { ApiServer } from "../../charts/platform/flows";

/** Fake, well-formed image references for chart-level tests (never real digests). */
export const fakeImages = Object.fromEntries(
  PLATFORM_IMAGE_KEYS.map((k, i) => [k, `registry.example/${k}:1.0@sha256:${String(i).padStart(2, "0").repeat(32)}`]),
) as PlatformImages;

export const apiServer: ApiServer = { peers: [{ cidr: "10.0.0.0/8" }], ports: [443, 6443] };

export type Obj = Record<string, any>;

export const find = (objs: readonly Obj[], kind: string, name: string, namespace?: string): Obj => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name && (namespace === undefined || x.metadata.namespace === namespace));
  if (!o) throw new Error(`no ${kind} ${namespace ?? ""}/${name}`);
  return o;
};

/** Every container of a workload's pod template. */
export const containers = (workload: Obj): Obj[] => [...(workload.spec.template.spec.initContainers ?? []), ...workload.spec.template.spec.containers];
