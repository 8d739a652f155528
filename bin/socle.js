#!/usr/bin/env node
// The socle command. TypeScript sources run through tsx's require hook: no build step in a checkout.
"use strict";
// The Pulumi SDK is hundreds of CommonJS files: load it before tsx's hooks are installed, which would
// otherwise resolve every one of them through its TypeScript-aware resolver (about twice as slow).
require("@pulumi/pulumi");
require("tsx/cjs/api").register();
const { main } = require("../src/cli/main.ts");
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // For `npm run bench`: the process's own peak resident memory, in KiB.
    if (process.env.SOCLE_USAGE_FILE) {
      require("node:fs").writeFileSync(process.env.SOCLE_USAGE_FILE, JSON.stringify({ maxRSS: process.resourceUsage().maxRSS }));
    }
  },
  (err) => {
    process.stderr.write(`socle: internal error: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 3;
  },
);
