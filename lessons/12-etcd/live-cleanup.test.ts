// Lesson 12 cleans up after itself: on Ctrl-C, on SIGTERM, when etcd dies at start-up; and without etcd it says how to get it.

import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { leftovers, SKIP_ETCD, spawnLesson, startedFrom, waitForLine } from "./live/testing.js";

const scratch = mkdtempSync(join(tmpdir(), "lesson12-cleanup-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const FAST_ARGS = ["--heartbeat", "50", "--election-timeout", "500"];

describe("lesson 12 without etcd", () => {
  it("says how to install it and exits with status 2", { timeout: 60_000 }, async () => {
    const empty = mkdtempSync(join(scratch, "path-"));
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: empty };
    delete env.ETCD_BIN;
    const { lines, exited } = spawnLesson([], env);
    const { code } = await exited;
    const output = lines.join("\n");
    expect(code, output).toBe(2);
    expect(output).toMatch(/apt-get install etcd-server/);
    expect(output).toMatch(/brew install etcd/);
    expect(output).toMatch(/github\.com\/etcd-io\/etcd\/releases/);
    expect(output).toMatch(/--scenario same-faults-simulated/);
  });
});

describe.skipIf(SKIP_ETCD)("lesson 12 stops every process it started and removes its directory", () => {
  for (const [signal, code, viaTsx, port] of [
    ["SIGINT", 130, true, 35200],
    ["SIGTERM", 143, false, 35300],
  ] as const) {
    it(`on ${signal} in the middle of the run${viaTsx ? " (sent to the tsx launcher, as Ctrl-C in a terminal reaches it)" : ""}`, { timeout: 90_000 }, async () => {
      const { child, lines, exited } = spawnLesson(["--port", String(port), ...FAST_ARGS], process.env, viaTsx);
      await waitForLine(lines, />> SIG(KILL|STOP|TERM) m\d/, 60_000);
      const started = startedFrom(lines);
      expect(started.pids).toHaveLength(3);
      child.kill(signal);
      const result = await exited;
      const output = lines.join("\n");
      expect(result.code, output).toBe(code);
      expect(output).toMatch(new RegExp(`${signal}: stopping the cluster and removing`));
      expect(leftovers(started), output).toEqual([]);
    });
  }

  it("when a member dies on its own during start-up: a clear error, exit status 1, nothing left", { timeout: 60_000 }, async () => {
    // A stand-in for etcd: m1 and m2 start and hang, m3 fails at once as a member with a broken disk would.
    const fake = join(scratch, "etcd");
    writeFileSync(fake, '#!/bin/sh\nif [ "$1" = "--version" ]; then echo "etcd Version: 3.4.23"; exit 0; fi\ncase "$*" in *"--name m3 "*) echo "m3: cannot open the data directory" >&2; exit 1;; esac\nexec sleep 300\n');
    chmodSync(fake, 0o755);
    const { lines, exited } = spawnLesson(["--port", "35400", ...FAST_ARGS], { ...process.env, ETCD_BIN: fake });
    const { code } = await exited;
    const output = lines.join("\n");
    const started = startedFrom(lines);
    expect(code, output).toBe(1);
    expect(output).toMatch(/error: m3 exited on its own \(exit code 1\)/);
    expect(output).toMatch(/m3: cannot open the data directory/);
    expect(started.pids).toHaveLength(3);
    expect(leftovers(started), output).toEqual([]);
  });
});
