import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderHtml } from "../../src/report/html";
import { tempFiles } from "../audit/helpers";
import { stateReport } from "./fixture";

const CHROMIUM = "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
if (!available && !process.env.CI) {
  console.warn(`report.html browser test skipped: ${CHROMIUM} is missing (install it with: apt-get install -y chromium). It always runs in CI.`);
}

describe.skipIf(!available && !process.env.CI)("report.html in headless Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
  });

  it("shows totals, failing evidence and waiver justifications, fetching nothing but the file", async () => {
    const dir = tempFiles({ "report.html": renderHtml(await stateReport()) });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(join(dir, "report.html")).href, { waitUntil: "load" });

    await expect(page.getByTestId("result").innerText()).resolves.toMatch(/Non conforme \/ Fail: 1 échec/);
    expect(await page.getByTestId("total-resources").innerText()).toBe("9");
    expect(await page.getByTestId("total-pass").innerText()).toBe("2");
    expect(await page.getByTestId("total-fail").innerText()).toBe("2");
    expect(await page.getByTestId("total-waived").innerText()).toBe("2");
    expect(await page.getByTestId("score-13").innerText()).toBe("50%");
    // Waived findings are not passes: chapter 9 (1 pass, 2 waived) scores 33.3% and says how much is waived.
    expect(await page.getByTestId("score-9").innerText()).toBe("33.3%");
    expect(await page.getByTestId("waived-share-9").innerText()).toContain("66.7%");

    // An auditor reads failures first, then waivers, then what was not assessed, then passes.
    const top = async (selector: string) => (await page.locator(selector).boundingBox())!.y;
    const order = [await top("#failures"), await top("#waivers"), await top("#waived-controls"), await top("#not-assessed"), await top("#passes")];
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const firstControl = page.locator("article.control").first();
    expect(await firstControl.getAttribute("data-status")).toBe("fail");
    expect((await firstControl.boundingBox())!.y).toBeLessThan(2500);

    // The chart is inline SVG: failing and waived findings per chapter, by severity.
    const chart = page.locator("#chart svg");
    expect(await chart.isVisible()).toBe(true);
    expect(await page.getByTestId("chart-total-9").textContent()).toBe("2");
    expect(await chart.locator('rect[data-segment="waived"]').count()).toBeGreaterThan(0);
    expect(await chart.locator('rect[data-segment^="fail "]').count()).toBeGreaterThan(0);

    const lb = page.locator("#control-test-service-declared-lb");
    expect(await lb.locator("table.findings.fail code.path").innerText()).toBe("spec.type");
    expect(await lb.locator("table.findings.fail").innerText()).toContain("Service wiki/rogue");
    expect(await lb.locator("table.findings.fail .expired").innerText()).toContain("2025-01-31");
    expect(await lb.locator(".title-fr").innerText()).toBe("Répartiteurs de charge <déclarés> & revus");
    expect(await lb.locator(".unverified").isVisible()).toBe(true);

    const waived = page.locator("#control-test-workload-non-root table.findings.waived");
    expect(await waived.locator("td.justification").first().innerText()).toContain("Upstream image needs root <until 17.1> & tracked in TICKET-1");
    expect(await page.locator("#waivers-unused").innerText()).toContain("does-not-exist");
    expect(await page.locator("#waivers-expired").innerText()).toContain("Migration endpoint.");

    // Passing resources sit in a closed <details>, shown on click (no script).
    const details = page.locator("#control-test-workload-non-root details");
    expect(await details.locator("table").isVisible()).toBe(false);
    await details.locator("summary").click();
    expect(await details.locator("table").isVisible()).toBe(true);

    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => !u.startsWith("file:"))).toEqual([]);

    const artifacts = join(__dirname, "..", ".artifacts");
    mkdirSync(artifacts, { recursive: true });
    writeFileSync(join(artifacts, "report.png"), await page.screenshot({ fullPage: true }));
    await page.close();
  }, 30_000);
});
