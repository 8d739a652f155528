import { describe, expect, it } from "vitest";
import { renderHtml } from "../../src/report/html";
import { stateReport } from "./fixture";

describe("report.html (static checks)", () => {
  it("escapes every text taken from controls, resources and waivers", async () => {
    const html = renderHtml(await stateReport());
    expect(html).toContain("Répartiteurs de charge &lt;déclarés&gt; &amp; revus");
    expect(html).toContain("Upstream image needs root &lt;until 17.1&gt; &amp; tracked in TICKET-1");
    expect(html).not.toContain("<déclarés>");
    expect(html).not.toContain("<until 17.1>");
  });

  it("is self-contained: no script, no external reference, and a CSP that forbids fetching", async () => {
    const html = renderHtml(await stateReport());
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/(src|href)="(?!#)/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
  });

  it("marks unverified references and shows the verified source", async () => {
    const html = renderHtml(await stateReport());
    const lb = html.slice(html.indexOf('<article class="control fail" id="control-test-service-declared-lb"'));
    expect(lb.slice(0, lb.indexOf("</article>"))).toContain('SecNumCloud 3.2 ch. 13<span class="unverified"');
    const region = html.slice(html.indexOf('id="control-test-provider-region"'));
    expect(region.slice(0, region.indexOf("</article>"))).toContain("SecNumCloud 3.2 §0.0 <span class=\"muted\">(source: test fixture, not a SecNumCloud reference)</span>");
  });
});
