#!/bin/sh
# A fake `pulumi` CLI for the fleet tests: answers the calls @pulumi/pulumi/automation makes
# (automation/cmd.js PulumiCommand.get: `pulumi version`; localWorkspace.js: `stack select`, `stack init`,
# `stack output --json`; stack.js: `preview --event-log <file>`, `up --yes --skip-preview`,
# `stack history --json`). Its folder (the parent of bin/) holds its state: stacks/ (existing stacks),
# fail (stack names that fail), delay (seconds a preview/up lasts), calls.log and events.log (what it did).
FAKE="$(cd "$(dirname "$0")/.." && pwd)"
stack=""; prev=""; evlog=""
for a in "$@"; do
  case "$prev" in --stack) stack="$a" ;; --event-log) evlog="$a" ;; esac
  prev="$a"
done
echo "$* | backend=$PULUMI_BACKEND_URL | cwd=$(pwd)" >> "$FAKE/calls.log"
case "$1" in
  version) echo "v3.150.0"; exit 0 ;;
  stack)
    case "$2" in
      select)
        if [ -f "$FAKE/stacks/$stack" ]; then exit 0; fi
        echo "error: no stack named '$stack' found" >&2; exit 255 ;;
      init) mkdir -p "$FAKE/stacks"; : > "$FAKE/stacks/$3"; exit 0 ;;
      output) echo '{}'; exit 0 ;;
      history)
        echo '[{"version":1,"kind":"update","startTime":"2026-01-01T00:00:00.000Z","message":"","environment":{},"config":{},"result":"succeeded","endTime":"2026-01-01T00:00:01.000Z","resourceChanges":{"create":1,"same":7}}]'
        exit 0 ;;
    esac ;;
  preview|up)
    echo "start $stack" >> "$FAKE/events.log"
    d="$(cat "$FAKE/delay-$stack" 2>/dev/null || cat "$FAKE/delay" 2>/dev/null || echo 0.2)"
    # Interruptible, as the real CLI is: SIGINT (what the Automation API sends on abort) stops the update.
    sleep "$d" & sleeper=$!
    trap 'kill $sleeper 2>/dev/null; echo "interrupted $stack" >> "$FAKE/events.log"; exit 130' INT
    wait $sleeper
    trap - INT
    if grep -qx "$stack" "$FAKE/fail" 2>/dev/null; then
      echo "end $stack" >> "$FAKE/events.log"
      echo "error: kubernetes:apps/v1:Deployment ($stack-wiki) failed: timed out" >&2
      exit 255
    fi
    echo "Previewing update ($stack)"
    if [ -n "$evlog" ]; then
      echo '{"sequence":1,"timestamp":1,"summaryEvent":{"maybeCorrupt":false,"durationSeconds":1,"resourceChanges":{"create":2,"same":5},"policyPacks":{}}}' >> "$evlog"
      sleep 0.3
    fi
    echo "end $stack" >> "$FAKE/events.log"
    exit 0 ;;
esac
echo "fake pulumi: unexpected call: $*" >&2
exit 3
