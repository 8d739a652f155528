import { parse } from "yaml";

/** The API server URL of a kubeconfig's current context; empty when the text is not a readable kubeconfig. Pure. */
export function serverOf(kubeconfig: string | undefined): string {
  if (!kubeconfig) return "";
  try {
    const doc = parse(kubeconfig) as { "current-context"?: string; contexts?: { name: string; context?: { cluster?: string } }[]; clusters?: { name: string; cluster?: { server?: string } }[] } | null;
    if (!doc || typeof doc !== "object") return "";
    const context = doc.contexts?.find((c) => c.name === doc["current-context"]) ?? doc.contexts?.[0];
    const cluster = doc.clusters?.find((c) => c.name === context?.context?.cluster) ?? doc.clusters?.[0];
    return typeof cluster?.cluster?.server === "string" ? cluster.cluster.server : "";
  } catch {
    return "";
  }
}
