import { NODE_CLOUD_INIT_TYPE } from "../../components/cloud/bootstrap";
import type { Registration } from "./monitor";

/** One node's reviewable cloud-init: secrets and values known only after `pulumi up` are markers. */
export interface NodeCloudInit {
  readonly nodeName: string;
  readonly role: string;
  readonly cloudInit: string;
}

/** A node name is a DNS label (components/cloud/plan/names.ts): safe as a file name. */
const NODE_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * The nodes' reviewable cloud-init documents registered during a render (`socle:cloud:NodeCloudInit`
 * components, their registered outputs), sorted by node name. Refuses a document that holds a value the
 * render generated as a secret, or a node name that is not a DNS label.
 */
export function collectCloudInit(
  registrations: Iterable<Registration>,
  outputsByUrn: ReadonlyMap<string, Record<string, unknown>>,
  secretValues: ReadonlySet<string>,
): NodeCloudInit[] {
  const nodes: NodeCloudInit[] = [];
  for (const reg of registrations) {
    if (reg.type !== NODE_CLOUD_INIT_TYPE) continue;
    const out = outputsByUrn.get(reg.mockUrn) ?? {};
    const { nodeName, role, cloudInit } = out as { nodeName?: unknown; role?: unknown; cloudInit?: unknown };
    if (typeof nodeName !== "string" || typeof role !== "string" || typeof cloudInit !== "string") {
      throw new Error(`socle render: ${reg.name} registered no cloud-init document (nodeName, role, cloudInit)`);
    }
    if (!NODE_NAME.test(nodeName)) throw new Error(`socle render: node name ${JSON.stringify(nodeName)} is not a DNS label; no cloud-init file is written for it`);
    for (const secret of secretValues) {
      if (cloudInit.includes(secret)) throw new Error(`socle render: the reviewable cloud-init of ${nodeName} holds a generated secret; nothing is written`);
    }
    nodes.push({ nodeName, role, cloudInit });
  }
  const seen = new Set<string>();
  for (const n of nodes) {
    if (seen.has(n.nodeName)) throw new Error(`socle render: two nodes are named ${n.nodeName}`);
    seen.add(n.nodeName);
  }
  return nodes.sort((a, b) => (a.nodeName < b.nodeName ? -1 : a.nodeName > b.nodeName ? 1 : 0));
}

/** The files `cloud-init/<node>.yaml` of the render's output folder, relative to it; none when there is no node. */
export function cloudInitFiles(nodes: readonly NodeCloudInit[]): [string, string][] {
  return nodes.map((n) => [`cloud-init/${n.nodeName}.yaml`, n.cloudInit]);
}
