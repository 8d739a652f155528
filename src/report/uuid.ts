import { hash } from "node:crypto";

const HEX = "0123456789abcdef";
/** Reused for every name: the name space's 16 bytes followed by the name's UTF-8 bytes. */
let scratch = Buffer.allocUnsafe(1024);

/**
 * RFC 4122 name-based UUID, version 5 (SHA-1): the same name always gives the same UUID. One-shot
 * `crypto.hash` over a reused buffer (reports derive hundreds of thousands of UUIDs: a Hash object each
 * cost three times as much).
 */
export function uuidV5(name: string, namespace: string): string {
  const ns = namespaceBytes(namespace);
  const length = 16 + Buffer.byteLength(name, "utf8");
  if (length > scratch.length) scratch = Buffer.allocUnsafe(length * 2);
  ns.copy(scratch, 0);
  scratch.write(name, 16, "utf8");
  const h = hash("sha1", scratch.subarray(0, length), "hex");
  // Version 5 in the high nibble of byte 6; the RFC 4122 variant (10xx) in the high bits of byte 8.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${HEX[(parseInt(h[16]!, 16) & 0x3) | 0x8]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
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
