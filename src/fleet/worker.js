"use strict";
// A worker thread of `socle fleet audit|check --concurrency N` (src/fleet/pool.ts): loads the audit and the
// check once, then runs the stack jobs it is sent (src/fleet/job.ts) and answers each with its verdict.
const { parentPort } = require("node:worker_threads");
require("tsx/cjs/api").register();
const { stackJob } = require("./job.ts");

parentPort.on("message", (msg) => {
  stackJob(msg.job).then(
    (result) => parentPort.postMessage({ id: msg.id, result }),
    (err) => parentPort.postMessage({ id: msg.id, error: err && err.stack ? String(err.stack) : String(err) }),
  );
});
