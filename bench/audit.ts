/**
 * Audit part of `npm run bench` (bench/index.ts): a generated state of N Kubernetes resources (the
 * shapes of a tenant's apps: workloads, services, volumes, policies, secrets, ingresses), audited in
 * fresh processes. `npx tsx bench/audit.ts` runs this part alone.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { median, ROOT, runNode, type ProcessSample } from "./render";
import type { FormatSample } from "./report-formats";

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

export interface WorkSample {
  readonly load: number;
  readonly audit: number;
  readonly loadCpu: number;
  readonly auditCpu: number;
  readonly resources: number;
  readonly findings: number;
}

/** Writes a generated state of `count` resources to `dir` and returns its path. */
export function writeState(dir: string, count: number): string {
  const file = join(dir, `state-${count}.json`);
  writeFileSync(file, JSON.stringify(generateState(count)));
  return file;
}

/**
 * The audit's work on `file` (load + every control + waivers and totals), start-up left out: bench/audit-work.ts
 * in a fresh process (so one size's heap does not slow the next), after a JIT warm-up on `warmFile`.
 */
export function auditWork(file: string, warmFile: string, runs: number): WorkSample[] {
  const r = spawnSync(process.execPath, ["--expose-gc", "--require", "tsx/cjs", join(ROOT, "bench/audit-work.ts"), file, warmFile, String(runs)], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`audit work on ${file} failed (${r.status}): ${r.stderr}`);
  return (JSON.parse(r.stdout) as { samples: WorkSample[] }).samples;
}

/** Each report format written after one audit of `file`, in a fresh process (bench/report-formats.ts). */
export function formatWork(file: string, outDir: string): { findings: number; samples: FormatSample[] } {
  const r = spawnSync(process.execPath, ["--expose-gc", "--require", "tsx/cjs", join(ROOT, "bench/report-formats.ts"), file, outDir], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`report formats on ${file} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as { findings: number; samples: FormatSample[] };
}

/** `socle audit <file>` in a fresh process: every report format unless `formats` says otherwise. */
export function auditCold(file: string, outDir: string, extra: readonly string[] = []): ProcessSample {
  return runNode([join(ROOT, "bin/socle.js"), "audit", file, "--out", outDir, ...extra], `audit ${file}`);
}

export const medianOf = <T>(samples: readonly T[], f: (s: T) => number): number => median(samples.map(f));

if (require.main === module) {
  // The audit's work alone, as `npm run bench` measures it (bench/index.ts holds the budgets: ≥ 50,000/s at 50k,
  // work with loading at 100k ≤ 11× that at 10k), for iterating on the audit's speed.
  const dir = require("node:fs").mkdtempSync(join(require("node:os").tmpdir(), "socle-bench-audit-"));
  try {
    const warm = writeState(dir, 2_000);
    const work = new Map<number, WorkSample[]>();
    console.log(`node ${process.version}, load average ${require("node:os").loadavg()[0].toFixed(1)}; CPU times, median of 3 passes, fresh process per size`);
    for (const n of [10_000, 50_000, 100_000]) {
      const samples = auditWork(writeState(dir, n), warm, 3);
      work.set(n, samples);
      const audit = medianOf(samples, (s) => s.auditCpu);
      const findings = samples[0]!.findings;
      console.log(`${n}: audit ${audit.toFixed(0)} ms CPU (${Math.round(n / (audit / 1000)).toLocaleString("en")} resources/s, ${findings.toLocaleString("en")} findings), load ${medianOf(samples, (s) => s.loadCpu).toFixed(0)} ms CPU`);
    }
    const with_ = (n: number) => medianOf(work.get(n)!, (s) => s.auditCpu + s.loadCpu);
    const alone = (n: number) => medianOf(work.get(n)!, (s) => s.auditCpu);
    console.log(`work at 100k / work at 10k: ${(with_(100_000) / with_(10_000)).toFixed(1)}× with load, ${(alone(100_000) / alone(10_000)).toFixed(1)}× audit alone`);
  } finally {
    require("node:fs").rmSync(dir, { recursive: true, force: true });
  }
}
