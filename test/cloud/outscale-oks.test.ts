import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import { provisionCloud } from "../../components/cloud";
import { beforeAll, describe, expect, it } from "vitest";
import { SHARED } from "../helpers/render";
import { ofType, quiesce, recordRegistrations, settle, type Recorded } from "./mocks";
import { ADMIN, outscaleSettings } from "./fixtures";

const monitor = recordRegistrations();

let records: Recorded[];
const contract = provisionCloud("cluster", {
  cloud: {
    target: "outscale",
    region: "cloudgouv-eu-west-1",
    settings: outscaleSettings({ mode: "oks", workerPools: [{ name: "workers", flavor: "tinav6.c4r16p1", count: 3 }, { name: "large", flavor: "tinav7.c8r32p2", count: 2 }] }),
  },
  organization: { id: "ministere-exemple", name: "Ministère Exemple" },
  adminCidrs: ADMIN,
  sizing: "small",
  domain: "ministere-exemple.gouv.fr",
});

beforeAll(async () => {
  await settle(contract.apiEndpoint);
  await quiesce(monitor);
  records = monitor.records;
});

describe("Outscale target, mode oks", () => {
  it("creates a protected OKS project and cluster whose API admits only the admin networks", () => {
    const [project] = ofType(records, "outscale:index/oksProject:OksProject");
    const [cluster] = ofType(records, "outscale:index/oksCluster:OksCluster");
    expect(project).toMatchObject({ protect: true, inputs: { cidr: "10.30.0.0/16", region: "cloudgouv-eu-west-1" } });
    expect(cluster).toMatchObject({ protect: true, inputs: { projectId: `${project!.name}-id`, version: "1.31", adminWhitelists: ADMIN, cpMultiAz: true, cidrPods: "10.42.0.0/16", cidrService: "10.43.0.0/16" } });
    expect(ofType(records, "outscale:index/vm:Vm")).toEqual([]);
  });

  it("declares one NodePool per worker pool, valid against the oks.dev/v1beta2 schema", () => {
    const doc = JSON.parse(readFileSync(join(SHARED, "crds/outscale-oks/oks.dev_v1beta2_openapi.json"), "utf8"));
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addSchema({ $id: "oks", components: doc.components });
    const validate = ajv.compile({ $ref: "oks#/components/schemas/NodePoolSpec" });
    const pools = ofType(records, "kubernetes:oks.dev/v1beta2:NodePool");
    expect(pools.map((p) => p.inputs.spec.nodeType)).toEqual(["tinav6.c4r16p1", "tinav7.c8r32p2"]);
    for (const p of pools) expect(validate(p.inputs.spec), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ nodeType: "not-a-type" })).toBe(false);
  });

  it("returns the OKS kubeconfig as a secret and its API server as the endpoint", async () => {
    expect((await settle(contract.kubeconfig!)).secret).toBe(true);
    expect((await settle(contract.apiEndpoint)).value).toBe("https://oks.example.invalid:6443");
  });
});
