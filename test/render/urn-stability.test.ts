import { beforeAll, describe, expect, it } from "vitest";
import type { StateResource } from "../../src/render/state";
import { renderToTemp } from "../helpers/render";

/**
 * The URNs of stateful resources are their identity in every deployed stack: a change replaces (deletes)
 * the resource. This list is pinned on purpose. If a refactor changes one, keep the old URN with an
 * `aliases` option on the resource or its component, then update the list in the same commit.
 */
const PINNED_STATEFUL_URNS = [
  "urn:pulumi:demo::socle::socle:apps:Wiki$kubernetes:yaml:ConfigGroup$kubernetes:core/v1:PersistentVolumeClaim::wiki-demo-wiki/xwiki-data",
  "urn:pulumi:demo::socle::socle:apps:Wiki$kubernetes:yaml:ConfigGroup$kubernetes:postgresql.cnpg.io/v1:Cluster::wiki-demo-wiki/xwiki-db",
];

let resources: StateResource[];
beforeAll(async () => {
  resources = (await renderToTemp("demo")).state.deployment.resources;
});

describe("stateful resource identity", () => {
  it("keeps the pinned URNs of the wiki's stateful resources", () => {
    const urns = new Set(resources.map((r) => r.urn));
    for (const urn of PINNED_STATEFUL_URNS) expect(urns.has(urn), urn).toBe(true);
  });

  it("every protected resource of the demo is pinned or belongs to an app added after this list", () => {
    const protectedWiki = resources.filter((r) => r.protect && r.urn.includes("socle:apps:Wiki")).map((r) => r.urn);
    expect(protectedWiki.sort()).toEqual([...PINNED_STATEFUL_URNS].sort());
  });
});
