// A student's own `npx vitest run` grades the student's file: one "not implemented yet" on the stub, points so far on a partial solution, full marks on a correct one.

import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCEPTOR_STUB, scratchLessons, solveAcceptor, type ScratchLessons } from "./scratch.js";

const vitestBin = join(createRequire(import.meta.url).resolve("vitest/package.json"), "..", "vitest.mjs");

/** The environment of a student's terminal: none of the course's own switches (this test itself runs with the reference bound). */
function studentEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", COURSE_TRACES: "off" };
  for (const key of Object.keys(env)) if (key.startsWith("COURSE_") && key !== "COURSE_TRACES") delete env[key];
  delete env.INIT_CWD;
  delete env.VITEST;
  delete env.VITEST_WORKER_ID;
  delete env.VITEST_POOL_ID;
  delete env.NODE_ENV;
  return env;
}

/** `npx vitest run` typed in the exercise folder (vitest finds lessons/vitest.config.ts by itself). */
function vitestInFolder(copy: ScratchLessons, folder: string): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [vitestBin, "run"], { cwd: join(copy.dir, folder), env: studentEnv(), encoding: "utf8", timeout: 240_000 });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

describe("vitest run the ordinary way grades the student's file", () => {
  let copy: ScratchLessons;
  beforeAll(() => {
    copy = scratchLessons();
  });
  afterAll(() => copy?.remove());

  it("an untouched stub fails once, with 'not implemented yet' and the file to edit; its graded tests are skipped", () => {
    const r = vitestInFolder(copy, "02-basic-paxos/exercise");
    expect(r.status, r.out).toBe(1);
    expect(r.out).toContain("not implemented yet: edit lessons/02-basic-paxos/exercise/acceptor.ts");
    expect(r.out).toMatch(/Tests\s+1 failed \| 15 skipped \(16\)/);
    expect(r.out).toMatch(/Total: 0\/31 points \(0%\), 0\/15 tests passed/);
  }, 240_000);

  it("a partial solution (onPrepare written, onAccept still TODO) shows the points so far", () => {
    copy.write(ACCEPTOR_STUB, solveAcceptor(copy.read(ACCEPTOR_STUB), ["onPrepare"]));
    const r = vitestInFolder(copy, "02-basic-paxos/exercise");
    expect(r.status, r.out).toBe(1);
    expect(r.out).not.toContain("not implemented yet");
    const m = /Total: (\d+)\/31 points/.exec(r.out);
    expect(m, r.out).not.toBeNull();
    expect(Number(m?.[1])).toBeGreaterThan(0);
    expect(Number(m?.[1])).toBeLessThan(31);
    expect(r.out).toContain("onAccept is not written yet");
  }, 240_000);

  it("a correct solution passes every graded test with full points", () => {
    copy.write(ACCEPTOR_STUB, solveAcceptor(copy.read(ACCEPTOR_STUB), ["onAccept"]));
    const r = vitestInFolder(copy, "02-basic-paxos/exercise");
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/Tests\s+15 passed \(15\)/);
    expect(r.out).toMatch(/Total: 31\/31 points \(100%\), 15\/15 tests passed/);
  }, 240_000);
});
