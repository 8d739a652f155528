import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { KubernetesObject, ResourceView } from "../../../policies/types";
import { loadInput } from "../../../src/audit/inputs/load";
import { CLOUD_RULES } from "../../../src/check/rules/cloud";
import type { CheckFinding, CheckModel } from "../../../src/check/types";
import type { RenderResult } from "../../../src/render/render";
import { CONTROLS } from "../../../policies/catalog";
import { runAuditCommand } from "../../../src/audit/command";
import { renderToTemp, ROOT } from "../../helpers/render";
import { stackCheckSuite } from "../../check/stack-check";

/** The check model of a state file, as the check engine builds it: every view, its Kubernetes objects, and the rest as cloud resources. */
export async function modelOf(statePath: string): Promise<CheckModel> {
  const input = await loadInput(statePath, { today: "2026-11-30" });
  return fromViews(input.views, input.context);
}

export function fromViews(views: readonly ResourceView[], context: CheckModel["context"]): CheckModel {
  return {
    resources: views,
    objects: views.flatMap((v) => (v.k8s ? [v.k8s] : [])),
    cloud: views.filter((v) => !v.type.startsWith("kubernetes:")),
    context,
  };
}

/** A copy of the model with some views changed (`change` returns the new view, or undefined to drop it) and others added. */
export function plant(model: CheckModel, change: (v: ResourceView) => ResourceView | undefined, added: readonly ResourceView[] = []): CheckModel {
  const views = [...model.resources.flatMap((v) => {
    const n = change(v);
    return n ? [n] : [];
  }), ...added];
  return fromViews(views, model.context);
}

export const withProps = (v: ResourceView, props: Record<string, unknown>): ResourceView => ({ ...v, props: { ...v.props, ...props } });
export const withObject = (v: ResourceView, k8s: KubernetesObject): ResourceView => ({ ...v, k8s, props: k8s as unknown as Record<string, unknown> });

export const run = (model: CheckModel, rule?: string): CheckFinding[] => CLOUD_RULES.filter((r) => !rule || r.id === rule).flatMap((r) => r.run(model));
export const blockers = (findings: readonly CheckFinding[]) => findings.filter((f) => f.severity === "blocker");

/**
 * The shared test of a cloud example stack: render it once, validate every node's cloud-init with
 * cloud-init's own schema validator, check it clean with the cloud rules, then catch each planted defect.
 */
export function exampleStack(stack: string, planted: (get: () => CheckModel) => void, opts: { readonly nodes: number }): void {
  let result: RenderResult;
  let model: CheckModel;
  beforeAll(async () => {
    result = await renderToTemp(stack);
    model = await modelOf(join(result.outDir, "state.json"));
  }, 120_000);

  describe(`${stack}: node bootstrap`, () => {
    it(`writes ${opts.nodes} reviewable cloud-init files, each valid for cloud-init's schema validator`, () => {
      const dir = join(result.outDir, "cloud-init");
      if (opts.nodes === 0) {
        expect(existsSync(dir)).toBe(false);
        return;
      }
      const files = readdirSync(dir).sort();
      expect(files).toHaveLength(opts.nodes);
      for (const f of files) {
        // Debian's cloud-init (installed by .ci/run): exits non-zero on a schema error.
        const out = execFileSync("cloud-init", ["schema", "--config-file", join(dir, f)], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
        expect(out, f).toMatch(/^Valid cloud-config/);
      }
    });
  });

  describe(`${stack}: socle audit`, () => {
    it("passes every mandatory control, with the stack's written waivers only", async () => {
      const lines: string[] = [];
      const code = await runAuditCommand({
        input: join(result.outDir, "state.json"),
        formats: ["json"],
        outDir: join(result.outDir, "audit"),
        waiversFile: join(ROOT, "waivers", `${stack}.yaml`),
        today: "2026-11-30",
        controls: CONTROLS,
        log: (l) => lines.push(l),
      });
      expect(lines.at(-1)).toMatch(/\(0 mandatory\)/);
      expect(code).toBe(0);
    });
  });

  describe(`${stack}: socle check, cloud rules`, () => {
    it("finds no blocker on the example", () => {
      expect(blockers(run(model))).toEqual([]);
    });
    planted(() => model);
  });

  stackCheckSuite(stack, () => result);
}
