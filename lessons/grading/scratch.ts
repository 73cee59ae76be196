// A throwaway copy of the lessons folder, for tests that edit a stub the way a student would and grade it.

import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { LESSONS_DIR } from "./impl.js";

export interface ScratchLessons {
  /** The copy's lessons folder. */
  readonly dir: string;
  /** Read a file of the copy, relative to its lessons folder. */
  read(path: string): string;
  /** Write a file of the copy, relative to its lessons folder. */
  write(path: string, text: string): void;
  remove(): void;
}

/**
 * Copies lessons/ (without caches and traces) and the shared tsconfig into a temporary folder whose node_modules
 * points at this repository's, so `@course/*` imports resolve exactly as in the real tree.
 */
export function scratchLessons(): ScratchLessons {
  const root = mkdtempSync(join(tmpdir(), "course-scratch-"));
  const dir = join(root, "lessons");
  const skip = new Set(["node_modules", ".grade-traces"]);
  cpSync(LESSONS_DIR, dir, { recursive: true, filter: (src) => !skip.has(basename(src)) });
  copyFileSync(join(LESSONS_DIR, "..", "tsconfig.base.json"), join(root, "tsconfig.base.json")); // lessons/tsconfig.json extends it
  // "junction" lets Windows link a folder without admin rights; other systems ignore the type.
  symlinkSync(join(LESSONS_DIR, "..", "node_modules"), join(root, "node_modules"), "junction");
  return {
    dir,
    read: (path) => readFileSync(join(dir, path), "utf8"),
    write: (path, text) => writeFileSync(join(dir, path), text),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Lesson 2's stub, relative to the lessons folder. */
export const ACCEPTOR_STUB = "02-basic-paxos/exercise/acceptor.ts";

/** Correct bodies for lesson 2's two rules (Paxos Made Simple §2.2), written as a student would. */
const ACCEPTOR_BODIES = {
  onPrepare: `if (state.promised !== undefined && compareBallots(msg.n, state.promised) < 0) {
    return { state, reply: { type: "nack", phase: "prepare", n: msg.n, promised: state.promised } };
  }
  const reply: PromiseMsg = state.accepted === undefined ? { type: "promise", n: msg.n } : { type: "promise", n: msg.n, accepted: state.accepted };
  return { state: { ...state, promised: msg.n }, reply };`,
  onAccept: `if (state.promised !== undefined && compareBallots(msg.n, state.promised) < 0) {
    return { state, reply: { type: "nack", phase: "accept", n: msg.n, promised: state.promised } };
  }
  return { state: { promised: msg.n, accepted: { n: msg.n, v: msg.v } }, reply: { type: "accepted", n: msg.n, v: msg.v } };`,
} as const;

/** The lesson 2 stub with the chosen functions written (the others keep their TODO). */
export function solveAcceptor(stub: string, which: readonly (keyof typeof ACCEPTOR_BODIES)[]): string {
  let text = stub;
  for (const name of which) {
    const todo = new RegExp(`throw new Error\\("TODO: ${name}[^"]*"\\);`);
    if (!todo.test(text)) throw new Error(`the lesson 2 stub no longer has ${name}'s TODO line; update scratch.ts`);
    text = text.replace(todo, ACCEPTOR_BODIES[name]);
  }
  return text;
}
