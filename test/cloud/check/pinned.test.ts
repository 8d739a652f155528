import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REVIEW_MARKERS } from "../../../components/cloud/bootstrap";
import { cidrWithin, coveringCidr, rangeHolds } from "../../../src/check/rules/cloud/graph";
import { OPENSTACK_PROVIDER_VERSION, OPENSTACK_RESOURCE_TYPES } from "../../../src/check/rules/cloud/openstack-types";
import { SECRET, UNKNOWN } from "../../../src/render/markers";
import { ROOT } from "../../helpers/render";

function jsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? jsFiles(p) : p.endsWith(".js") ? [p] : [];
  });
}

describe("pinned provider lists", () => {
  it("lists exactly the resource types of the installed @pulumi/openstack, at the version package.json pins", () => {
    const pkg = join(ROOT, "node_modules/@pulumi/openstack");
    expect(JSON.parse(readFileSync(join(pkg, "package.json"), "utf8")).version.replace(/^v/, "")).toBe(OPENSTACK_PROVIDER_VERSION);
    expect(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).dependencies["@pulumi/openstack"]).toBe(OPENSTACK_PROVIDER_VERSION);
    const types = new Set<string>();
    for (const f of jsFiles(pkg)) for (const m of readFileSync(f, "utf8").matchAll(/__pulumiType = '([^']+:[^']+)'/g)) types.add(m[1]!);
    expect([...types].sort()).toEqual([...OPENSTACK_RESOURCE_TYPES]);
  });

  it("marks the reviewable cloud-init with socle render's own markers", () => {
    expect(REVIEW_MARKERS).toEqual({ secret: SECRET, unknown: UNKNOWN });
  });
});

describe("cloud rule helpers", () => {
  it("computes CIDR containment, covering ranges and port ranges", () => {
    expect(cidrWithin("169.254.169.254", "169.254.169.254/32")).toBe(true);
    expect(cidrWithin("10.20.0.0/16", "10.20.0.0/18")).toBe(false);
    expect(cidrWithin("10.20.64.0/18", "0.0.0.0/0")).toBe(true);
    expect(coveringCidr(["10.20.0.0/18", "10.20.64.0/18", "10.20.128.0/18"])).toBe("10.20.0.0/16");
    expect(coveringCidr([])).toBeUndefined();
    expect(rangeHolds(undefined, undefined, 22)).toBe(true);
    expect(rangeHolds(2379, 2380, 2380)).toBe(true);
    expect(rangeHolds(80, 80, 443)).toBe(false);
  });
});

describe("cloud-admin-surface without declared admin networks", () => {
  it("says it could not check against socle:adminCidrs, and still catches a source open to the world", async () => {
    const { adminSurface } = await import("../../../src/check/rules/cloud/admin-surface");
    const rule = (remoteIpPrefix: string) => ({ urn: `urn:r:${remoteIpPrefix}`, type: "openstack:networking/secGroupRule:SecGroupRule", name: "ssh", protect: false, props: { direction: "ingress", protocol: "tcp", portRangeMin: 22, portRangeMax: 22, remoteIpPrefix } });
    const model = (views: any[]) => ({ resources: views, objects: [], cloud: views, context: {} as never });
    const found = adminSurface.run(model([rule("0.0.0.0/0"), rule("192.0.2.0/24")]));
    expect(found.map((f) => f.severity)).toEqual(["warning", "blocker"]);
    expect(found[1]!.message).toMatch(/^0\.0\.0\.0\/0 reaches administration port\(s\) 22/);
    expect(adminSurface.run(model([]))).toEqual([]);
  });
});
