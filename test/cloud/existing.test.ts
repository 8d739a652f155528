import { provisionCloud } from "../../components/cloud";
import { describe, expect, it } from "vitest";
import { recordRegistrations, settle, OKS_KUBECONFIG } from "./mocks";

const monitor = recordRegistrations();

const base = { organization: { id: "demo", name: "Démo" }, adminCidrs: ["192.0.2.0/24"], sizing: "small" as const, domain: "demo.socle.test" };
const settings = { storageClass: "fast", region: "on-premises" };

describe("existing target", () => {
  it("creates no cloud resource and points object storage at the in-cluster Garage", async () => {
    const c = provisionCloud("existing", { ...base, cloud: { target: "existing", region: "on-premises", settings } });
    expect(c.kubeconfig).toBeUndefined();
    expect((await settle(c.objectStorage.endpoint)).value).toBe("http://garage.socle-storage.svc:3900");
    expect((await settle(c.objectStorage.buckets.backups)).value).toBe("demo-backups");
    expect(c.objectStorage.managed).toBe(false);
    expect(c.storageClasses).toEqual({ default: "fast" });
    expect(monitor.records.every((r) => !r.type.startsWith("openstack:") && !r.type.startsWith("outscale:"))).toBe(true);
  });

  it("keeps a given kubeconfig secret and reads the API endpoint from it", async () => {
    const c = provisionCloud("given", { ...base, kubeconfig: OKS_KUBECONFIG, cloud: { target: "existing", region: "on-premises", settings } });
    expect((await settle(c.kubeconfig!)).secret).toBe(true);
    const endpoint = await settle(c.apiEndpoint);
    expect(endpoint).toEqual({ value: "https://oks.example.invalid:6443", secret: false });
  });
});
