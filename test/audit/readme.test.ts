/** The README's report.md excerpt is what `npm start` writes (scripts/readme.ts regenerates it). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { demoReport, excerpt, withExcerpt } from "../../scripts/readme";
import { ROOT } from "../helpers/render";

describe("README", () => {
  it("shows the report.md excerpt `npm start` writes (run `npm run docs:readme` after a change)", async () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    expect(withExcerpt(readme, excerpt(await demoReport(ROOT)))).toBe(readme);
  }, 120_000);

  it("names every provider plugin the program uses in `Deploy for real`", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const deps = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).dependencies as Record<string, string>;
    for (const name of ["kubernetes", "openstack", "random", "tls"]) {
      const version = deps[`@pulumi/${name}`]!;
      expect(readme, name).toMatch(new RegExp(`(pulumi plugin install resource ${name} ${version.replace(/\./g, "\\.")}|… ${name} ${version.replace(/\./g, "\\.")})`));
    }
  });
});
