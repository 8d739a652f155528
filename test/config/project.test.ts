import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { rawConfigSchema } from "../../src/config/schema";
import { ROOT, SHARED } from "../helpers/render";

const project = parse(readFileSync(join(ROOT, "Pulumi.yaml"), "utf8"));

describe("Pulumi.yaml", () => {
  it("validates against Pulumi's project schema", () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const validate = ajv.compile(JSON.parse(readFileSync(join(SHARED, "schemas/pulumi/project.json"), "utf8")));
    expect(validate(project), JSON.stringify(validate.errors)).toBe(true);
  });

  it("keeps stack files in stacks/ and runs TypeScript", () => {
    expect(project.stackConfigDir).toBe("stacks");
    expect(project.runtime).toEqual({ name: "nodejs", options: { typescript: true } });
  });

  it("declares exactly the keys of the configuration schema, each with a description", () => {
    const declared = Object.keys(project.config).map((k) => k.replace(/^socle:/, "")).sort();
    expect(declared).toEqual(Object.keys(rawConfigSchema.shape).sort());
    for (const [key, decl] of Object.entries(project.config as Record<string, { description?: string }>)) {
      expect(decl.description, key).toBeTruthy();
    }
  });

  it("declares the type Pulumi checks for every simple key", () => {
    const types = project.config as Record<string, { type?: string }>;
    expect(types["socle:apps"].type).toBe("array");
    expect(types["socle:adminCidrs"].type).toBe("array");
    expect(types["socle:logRetentionDays"].type).toBe("integer");
    expect(types["socle:kind"].type).toBe("string");
  });

  it("every stack file in stacks/ uses only declared socle keys", () => {
    for (const file of readdirSync(join(ROOT, "stacks"))) {
      const stack = parse(readFileSync(join(ROOT, "stacks", file), "utf8"));
      for (const key of Object.keys(stack.config ?? {}).filter((k) => k.startsWith("socle:"))) {
        expect(project.config[key], `${file}: ${key}`).toBeDefined();
      }
    }
  });
});
