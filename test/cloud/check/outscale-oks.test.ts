import { expect, it } from "vitest";
import { blockers, exampleStack, plant, run, withProps } from "./examples";

exampleStack(
  "ministere-exemple-outscale-oks",
  (model) => {
    it("cloud-storage-class-provided: warns that OKS's storage classes cannot be verified from a source", () => {
      const found = run(model(), "cloud-storage-class-provided");
      expect(found.length).toBeGreaterThan(0);
      expect(found.every((f) => f.severity === "warning" && /OKS/.test(f.message))).toBe(true);
    });

    it("cloud-admin-surface: catches the OKS API opened beyond the admin networks", () => {
      const planted = plant(model(), (v) => (v.type === "outscale:index/oksCluster:OksCluster" ? withProps(v, { adminWhitelists: ["0.0.0.0/0"] }) : v));
      expect(blockers(run(planted, "cloud-admin-surface"))).toEqual([expect.objectContaining({ path: "adminWhitelists[0]" })]);
    });
  },
  { nodes: 0 },
);
