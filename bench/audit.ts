/**
 * Audit part of `npm run bench` (bench/index.ts calls runAuditBench; `npx tsx bench/audit.ts` runs it alone): loads and audits a generated 20,000-resource state export and fails under
 * 20,000 resources/s. Uses the control catalog (policies/catalog.ts) when it exists, else the
 * test controls, and says which.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { Control } from "../policies/types";
import { loadInput } from "../src/audit/inputs/load";
import { runAudit } from "../src/audit/run";
import { REPORT_FORMATS } from "../src/report/formats";
import { renderReport } from "../src/report/write";

const RESOURCES = 20_000;
const REQUIRED_PER_SECOND = 20_000;
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function generateState(count: number): object {
  const stack = "urn:pulumi:bench::socle::pulumi:pulumi:Stack::socle-bench";
  const provider = "urn:pulumi:bench::socle::pulumi:providers:kubernetes::k8s";
  const resources: object[] = [
    { urn: stack, custom: false, type: "pulumi:pulumi:Stack", outputs: { socle: { kind: "platform", target: "outscale", region: "cloudgouv-eu-west-1", allowedRegions: ["cloudgouv-eu-west-1"], allowedRegistries: ["registry.bench.test"], declaredLoadBalancers: ["gateway/public"] } } },
    { urn: provider, custom: true, id: "p", type: "pulumi:providers:kubernetes", inputs: {}, outputs: {} },
  ];
  const kinds = ["Deployment", "Service", "PersistentVolumeClaim", "NetworkPolicy", "ConfigMap", "Secret", "StatefulSet", "Ingress"] as const;
  for (let i = 0; resources.length < count; i++) {
    const kind = kinds[i % kinds.length]!;
    const ns = `tenant-${i % 50}`;
    const name = `${kind.toLowerCase()}-${i}`;
    const metadata = { name, namespace: ns, labels: { "app.kubernetes.io/name": `app-${i % 200}`, "app.kubernetes.io/part-of": "socle" } };
    const container = (n: number) => ({
      name: `c${n}`,
      image: `registry.bench.test/app-${i % 200}:1.${n}@sha256:${"0".repeat(64)}`,
      resources: { limits: { cpu: "500m", memory: "512Mi" }, requests: { cpu: "100m", memory: "128Mi" } },
      securityContext: i % 7 === 0 ? {} : { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
    });
    const objects: Record<string, [string, object]> = {
      Deployment: ["apps/v1", { spec: { replicas: 2, selector: { matchLabels: metadata.labels }, template: { metadata: { labels: metadata.labels }, spec: { automountServiceAccountToken: false, containers: [container(0), container(1)] } } } }],
      StatefulSet: ["apps/v1", { spec: { replicas: 1, serviceName: name, template: { spec: { containers: [container(0)] } }, volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { resources: { requests: { storage: "10Gi" } } } }] } }],
      Service: ["core/v1", { spec: { type: i % 97 === 0 ? "LoadBalancer" : "ClusterIP", ports: [{ port: 80, targetPort: 8080 }], selector: metadata.labels } }],
      PersistentVolumeClaim: ["core/v1", { spec: { accessModes: ["ReadWriteOnce"], storageClassName: "encrypted", resources: { requests: { storage: "20Gi" } } } }],
      NetworkPolicy: ["networking.k8s.io/v1", { spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } }],
      ConfigMap: ["core/v1", { data: { "config.yaml": "log: info\n".repeat(5) } }],
      Secret: ["core/v1", { type: "Opaque", data: { password: { [SIG]: SECRET_SIG, ciphertext: "[secret]" } } }],
      Ingress: ["networking.k8s.io/v1", { spec: { tls: [{ hosts: [`${name}.bench.test`], secretName: `${name}-tls` }], rules: [{ host: `${name}.bench.test` }] } }],
    };
    const [groupVersion, body] = objects[kind]!;
    const apiVersion = groupVersion.startsWith("core/") ? groupVersion.slice(5) : groupVersion;
    const obj = { apiVersion, kind, metadata, ...body };
    resources.push({
      urn: `urn:pulumi:bench::socle::socle:apps:App$kubernetes:${groupVersion}:${kind}::${ns}-${name}`,
      custom: true,
      id: `${ns}/${name}`,
      type: `kubernetes:${groupVersion}:${kind}`,
      inputs: obj,
      outputs: { ...obj, metadata: { ...metadata, uid: `uid-${i}` }, status: {} },
      parent: stack,
      provider: `${provider}::p`,
      dependencies: [provider],
    });
  }
  return { version: 3, deployment: { manifest: { time: "2025-01-01T00:00:00Z", magic: "", version: "v3.248.0" }, resources } };
}

function loadControls(): { controls: readonly Control[]; source: string } {
  try {
    const catalog = require("../policies/catalog") as { CONTROLS: readonly Control[] };
    return { controls: catalog.CONTROLS, source: "policies/catalog.ts" };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw e;
    const fixtures = require("../test/audit/fixtures/controls") as { TEST_CONTROLS: readonly Control[] };
    return { controls: fixtures.TEST_CONTROLS, source: "test controls (policies/catalog.ts not found)" };
  }
}

/** Runs the audit benchmark, prints its figures; true when the throughput meets the requirement. */
export async function runAuditBench(): Promise<boolean> {
  const dir = mkdtempSync(join(tmpdir(), "socle-bench-"));
  try {
    const file = join(dir, "state.json");
    const text = JSON.stringify(generateState(RESOURCES));
    writeFileSync(file, text);
    const { controls, source } = loadControls();

    // Throughput is a steady-state figure: one warm-up run (the JIT compiles the controls), then the
    // median of three timed runs, each loading the file afresh.
    const once = async () => {
      const t0 = performance.now();
      const input = await loadInput(file, { today: "2025-06-01" });
      const t1 = performance.now();
      const result = runAudit(controls, input.views, input.context);
      const t2 = performance.now();
      return { input, result, load: t1 - t0, audit: t2 - t1 };
    };
    await once();
    const runs = [await once(), await once(), await once()].sort((a, b) => a.load + a.audit - (b.load + b.audit));
    const { input, result, load, audit } = runs[1];
    const t0 = 0;
    const t1 = load;
    const t2 = load + audit;
    const seconds = (t2 - t0) / 1000;
    const rate = input.views.length / seconds;

    const report = { ...result, tool: { name: "socle", version: "bench" }, input: { kind: input.kind, path: "state.json" }, stack: input.stack, today: "2025-06-01", context: input.context, lines: input.lines };
    const renderTimes = REPORT_FORMATS.map((f) => {
      const s = performance.now();
      const bytes = renderReport(report, f).length;
      return `${f} ${Math.round(performance.now() - s)} ms (${(bytes / 1e6).toFixed(1)} MB)`;
    });

    console.log(`audit: ${controls.length} controls from ${source}`);
    console.log(`state: ${input.views.length} resources, ${(text.length / 1e6).toFixed(1)} MB`);
    console.log(`load ${Math.round(t1 - t0)} ms, audit ${Math.round(t2 - t1)} ms, ${result.findings.length} findings (median of 3 runs after a warm-up)`);
    console.log(`throughput: ${Math.round(rate)} resources/s (required: ${REQUIRED_PER_SECOND})`);
    console.log(`reports (not timed for the threshold): ${renderTimes.join(", ")}`);
    console.log(`peak RSS: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
    if (rate < REQUIRED_PER_SECOND) {
      console.error(`FAIL: ${Math.round(rate)} resources/s is under ${REQUIRED_PER_SECOND}`);
      return false;
    }
    return true;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runAuditBench().then(
    (ok) => {
      process.exitCode = ok ? 0 : 1;
    },
    (e: unknown) => {
      console.error(e);
      process.exitCode = 2;
    },
  );
}
