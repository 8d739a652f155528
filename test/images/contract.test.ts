import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import type { ClusterContract } from "../../components/cloud";

/**
 * The fields of the cluster contract the program consumes are required: a target that forgets one fails to
 * compile (`npx tsc -p .` checks the `@ts-expect-error` lines below; each turns into an error if the field
 * became optional). Here the program reads: gatewayAddress, apiEndpoint (stack outputs), storageClasses
 * (volumes), objectStorage.endpoint and buckets.backups (backup ordering), objectStorage.managed and credentials.
 */
const out = (s: string) => pulumi.output(s);
const complete: ClusterContract = {
  apiEndpoint: out("https://10.0.0.1:6443"),
  nodePools: [],
  storageClasses: { default: "standard" },
  gatewayAddress: out("203.0.113.1"),
  objectStorage: { endpoint: out("https://s3.example.fr"), region: "r", buckets: { backups: out("org-backups") }, managed: true },
  region: "r",
};
const { gatewayAddress: _g, ...noGateway } = complete;
const { apiEndpoint: _a, ...noApi } = complete;
const { storageClasses: _s, ...noStorageClasses } = complete;
const { endpoint: _e, ...storeNoEndpoint } = complete.objectStorage;
const { backups: _b } = complete.objectStorage.buckets;

describe("ClusterContract", () => {
  it("requires every field the program consumes (compile-time; see the @ts-expect-error lines)", () => {
    // @ts-expect-error gatewayAddress is required
    const a: ClusterContract = noGateway;
    // @ts-expect-error apiEndpoint is required
    const b: ClusterContract = noApi;
    // @ts-expect-error storageClasses is required
    const c: ClusterContract = noStorageClasses;
    // @ts-expect-error objectStorage.endpoint is required
    const d: ClusterContract = { ...complete, objectStorage: storeNoEndpoint };
    // @ts-expect-error objectStorage.buckets.backups is required
    const e: ClusterContract = { ...complete, objectStorage: { ...complete.objectStorage, buckets: {} } };
    expect([a, b, c, d, e].every((x) => typeof x === "object")).toBe(true);
    expect(_b).toBeDefined();
  });
});
