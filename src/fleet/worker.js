"use strict";
// A worker thread of `socle fleet render|audit|check` (src/fleet/pool.ts). Each thread has its own module
// instances, hence its own Pulumi SDK mock state: it loads the render engine, the audit and the check once,
// then renders and judges the stacks it is sent, one at a time (src/fleet/stack-run.ts), and answers each
// with its verdict and isolation evidence. Start-up as in bin/socle.js (src/render/preload.js): the SDK
// without its closure serializer, npm packages loaded before tsx's hooks.
const { parentPort } = require("node:worker_threads");
require("../render/preload.js").prepareRender();
require("tsx/cjs/api").register();
const { runStack } = require("./stack-run.ts");

parentPort.on("message", (msg) => {
  runStack(msg.job).then(
    (result) => parentPort.postMessage({ id: msg.id, result }),
    (err) =>
      parentPort.postMessage({
        id: msg.id,
        error: err && err.message !== undefined ? `${err.name || "Error"}: ${err.message}` : String(err),
        detail: err && err.stack ? String(err.stack) : undefined,
      }),
  );
});
