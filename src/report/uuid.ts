import { createHash } from "node:crypto";

/** RFC 4122 name-based UUID, version 5 (SHA-1): the same name always gives the same UUID. */
export function uuidV5(name: string, namespace: string): string {
  const ns = namespaceBytes(namespace);
  const hash = createHash("sha1").update(ns).update(name, "utf8").digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** A name space's 16 bytes, parsed once per name space (reports derive hundreds of thousands of UUIDs from a few). */
const parsedNamespaces = new Map<string, Buffer>();
function namespaceBytes(namespace: string): Buffer {
  let ns = parsedNamespaces.get(namespace);
  if (!ns) {
    ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
    if (ns.length !== 16) throw new Error(`namespace ${namespace} is not a UUID`);
    parsedNamespaces.set(namespace, ns);
  }
  return ns;
}

/** RFC 4122 Appendix C name space for URLs. */
export const UUID_NAMESPACE_URL = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";
