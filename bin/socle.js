#!/usr/bin/env node
// The socle command. TypeScript sources run through tsx's require hook: no build step in a checkout.
"use strict";
const { existsSync } = require("node:fs");
const { join } = require("node:path");

// Start-up (src/render/preload.js, docs/render.md "Start-up and speed"): load only what the command
// needs, and load its npm dependencies before tsx's hooks are installed, which would otherwise resolve
// and lex every one of their CommonJS files (about twice as slow). A render gets the Pulumi SDK without
// its closure serializer; an audit of a file gets no SDK and no render engine at all.
const preload = require("../src/render/preload.js");
const argv = process.argv.slice(2);
const render = needsRender(argv);
if (render) {
  preload.useCodeCache();
  preload.prepareRender();
}
else if (argv.includes("audit") || argv.includes("fleet")) preload.prepareAudit();

// A render loads socle's TypeScript compiled once per source text (src/render/preload.js); other
// commands, and a render where that compiler cannot be loaded, through tsx.
if (!(render && preload.registerTypeScript(join(__dirname, "..")))) require("tsx/cjs/api").register();
const { main } = require("../src/cli/main.ts");
main(argv).then(
  (code) => {
    process.exitCode = code;
    // For `npm run bench` and test/cli/startup.test.ts: the process's own peak resident memory (KiB),
    // its CPU time (µs) and the modules it loaded.
    if (process.env.SOCLE_USAGE_FILE) {
      const usage = process.resourceUsage();
      const modules = Object.keys(require.cache);
      // CPU time at the marks a render sets (src/render/render.ts): where its program's run ended, where its files were written.
      const marks = Object.fromEntries(performance.getEntriesByType("mark").filter((m) => m.name.startsWith("socle:")).map((m) => [m.name, m.detail && m.detail.cpuMicros]));
      require("node:fs").writeFileSync(process.env.SOCLE_USAGE_FILE, JSON.stringify({ maxRSS: usage.maxRSS, cpuMicros: usage.userCPUTime + usage.systemCPUTime, marks, modules }));
    }
  },
  (err) => {
    process.stderr.write(`socle: internal error: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 3;
  },
);

/**
 * Whether this command runs the render engine: `render`, or `audit` of a stack name (rendered first).
 * Only a guess for start-up: a wrong one costs time, never changes the result (the CLI decides).
 */
function needsRender(args) {
  const command = args.find((a) => !a.startsWith("-"));
  if (command === "render") return true;
  // `socle fleet render|audit|check` renders in its worker threads (src/fleet/worker.js prepares each); the others drive the CLI.
  if (command === "fleet") return !["render", "audit", "check"].includes(args[args.indexOf("fleet") + 1]);
  if (command !== "audit") return false;
  const rest = args.slice(args.indexOf("audit") + 1);
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a.startsWith("-")) {
      if (a.startsWith("--") && !a.includes("=") && a !== "--help") i++;
      continue;
    }
    const root = join(__dirname, "..");
    return !existsSync(a) && /^[A-Za-z0-9_.-]+$/.test(a) && existsSync(join(root, "stacks", `Pulumi.${a}.yaml`));
  }
  return false;
}
