"use strict";
// A stand-in for src/fleet/worker.js in test/fleet/pool.test.ts: answers a stack job without rendering, and fails
// on purpose for some stacks: `*-crash` stops the thread (uncaught error), `*-exit` calls process.exit, `*-bug`
// answers with an error; `*-slow` takes longer than the others. Each answer records the thread and the time it
// ran, for the concurrency checks.
const { parentPort, threadId } = require("node:worker_threads");

parentPort.on("message", ({ id, job }) => {
  const start = Date.now();
  const stack = job.stack;
  if (stack.endsWith("-crash")) setTimeout(() => { throw new Error(`planted crash on ${stack}`); }, 5);
  else if (stack.endsWith("-exit")) setTimeout(() => process.exit(7), 5);
  else if (stack.endsWith("-bug")) parentPort.postMessage({ id, error: `TypeError: planted bug on ${stack}`, detail: `TypeError: planted bug on ${stack}\n    at fake-stack.js` });
  else {
    setTimeout(() => {
      const org = stack.replace(/^tenant-/, "");
      parentPort.postMessage({
        id,
        result: {
          render: "ok",
          resources: 1,
          organization: org,
          threadId,
          start,
          end: Date.now(),
          evidence: [{ urn: `urn:pulumi:${stack}::socle::pulumi:pulumi:Stack::socle-${stack}`, type: "pulumi:pulumi:Stack", name: `socle-${stack}`, protect: false, props: { socle: { kind: job.platformState ? "tenant" : "platform", organization: org } } }],
        },
      });
    }, job.delayMs ?? (stack.endsWith("-slow") ? 1500 : 20));
  }
});
