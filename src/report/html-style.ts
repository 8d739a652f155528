/** Inline stylesheet of report.html: no external font, image or script, readable printed. */
export const REPORT_CSS = `
:root{--fail:#b3261e;--pass:#1b6e3a;--waived:#8a5a00;--na:#5f6368;--line:#d0d4da;--bg:#f6f7f9}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1f2328;margin:0 auto;max-width:1200px;padding:24px}
h1{font-size:1.6em;margin:0 0 .3em}h2{border-bottom:2px solid var(--line);padding-bottom:.2em;margin-top:2em}h3{margin:.2em 0}
code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--bg);padding:0 .25em;border-radius:3px;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%;margin:.6em 0}th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--bg)}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:.5em 0}dl.meta dt{font-weight:600}dl.meta dd{margin:0}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-size:.85em;font-weight:600;white-space:nowrap}
.badge.fail{background:var(--fail)}.badge.pass{background:var(--pass)}.badge.waived{background:var(--waived)}.badge.notApplicable{background:var(--na)}.badge.notAssessed{background:#fff;color:var(--na);border:1px dashed var(--na)}
.result{font-size:1.3em;padding:10px 14px;border-radius:6px;color:#fff;display:inline-block;margin:.5em 0}
.result.fail{background:var(--fail)}.result.pass{background:var(--pass)}
.unverified{border:1px dashed var(--waived);color:var(--waived);padding:0 5px;border-radius:4px;font-size:.8em;margin-left:.4em}
.bar{background:var(--bg);border:1px solid var(--line);height:12px;width:160px;display:inline-block;vertical-align:middle;margin-right:6px}
.bar>span{display:block;height:100%;float:left}.bar>.pass{background:var(--pass)}.bar>.waived{background:var(--waived)}.bar>.fail{background:var(--fail)}
.chart svg{max-width:100%;height:auto}.chart text{font:12px system-ui,sans-serif;fill:#1f2328}
article.control{border:1px solid var(--line);border-left:6px solid var(--na);border-radius:4px;padding:10px 16px;margin:14px 0;break-inside:avoid-page}
article.control.fail{border-left-color:var(--fail)}article.control.pass{border-left-color:var(--pass)}article.control.waived{border-left-color:var(--waived)}article.control.notAssessed{border-left-style:dashed}
.title-en{color:#444;margin:0}.title-fr{font-weight:600;margin:.2em 0 0}
.expired{color:var(--fail);font-weight:600}
.muted{color:var(--na)}
details>summary{cursor:pointer;margin:.4em 0}
@media print{body{padding:0;max-width:none}details{display:block}details>*{display:block}a{color:inherit;text-decoration:none}}
`;
