// Tamper evidence: SHA-256 of every lessons file that decides a grade (not the stubs students edit), checked against the course's committed list.

import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LESSONS_DIR, SOLUTIONS_DIR } from "./impl.js";
import { isMain } from "./main.js";

/** The committed list, relative to the lessons folder. */
export const MANIFEST_FILE = "grading/hashes.json";

export interface SuiteHashes {
  readonly format: "paxos-raft-course/suite-hashes";
  readonly version: 1;
  /** One SHA-256 over every file's hash and path: the single value a report carries and an instructor compares. */
  readonly digest: string;
  /** Path relative to the lessons folder ("/"-separated) -> SHA-256 of its text with line endings made LF. */
  readonly files: Readonly<Record<string, string>>;
}

export interface HashCheck {
  readonly ok: boolean;
  /** Digest of the files as they are now. */
  readonly digest: string;
  /** Digest the course committed (undefined when the list is missing). */
  readonly expected?: string;
  readonly changed: readonly string[];
  readonly missing: readonly string[];
  readonly added: readonly string[];
}

/**
 * The files that decide a grade: the lessons' vitest config, the grading harness, and in every lesson's
 * exercise folder the exercise definition (reference, mutants, how the stub is loaded) and the graded suites.
 * Everything else in an exercise folder is the student's: the stub and any helper file they add. The solutions
 * corpus (grading/solutions/) decides no grade: it only checks the graders, and a class's copy may leave it out.
 */
export function gradingFiles(dir: string = LESSONS_DIR): string[] {
  const out: string[] = [];
  if (existsSync(join(dir, "vitest.config.ts"))) out.push("vitest.config.ts");
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = `${rel}/${name}`;
      if (path === SOLUTIONS_DIR) continue;
      if (statSync(join(dir, path)).isDirectory()) walk(path);
      else if (/\.(ts|js|json)$/.test(name) && path !== MANIFEST_FILE) out.push(path);
    }
  };
  if (existsSync(join(dir, "grading"))) walk("grading");
  for (const folder of readdirSync(dir).filter((f) => /^\d+-/.test(f)).sort()) {
    const exercise = join(dir, folder, "exercise");
    if (!existsSync(exercise)) continue;
    for (const name of readdirSync(exercise).sort()) {
      if (name === "exercise.ts" || name.endsWith(".test.ts")) out.push(`${folder}/exercise/${name}`);
    }
  }
  return out.sort();
}

/** SHA-256 of a text file, line endings normalised, so a Windows checkout with CRLF hashes the same as Linux. */
export function hashFile(path: string): string {
  return createHash("sha256").update(readFileSync(path, "utf8").replace(/\r\n/g, "\n")).digest("hex");
}

/** One hash over the list, in sha256sum's line format, so it can be recomputed by hand. */
export function digestOf(files: Readonly<Record<string, string>>): string {
  const lines = Object.keys(files)
    .sort()
    .map((path) => `${files[path]}  ${path}\n`)
    .join("");
  return createHash("sha256").update(lines).digest("hex");
}

export function computeHashes(dir: string = LESSONS_DIR): SuiteHashes {
  const files = Object.fromEntries(gradingFiles(dir).map((path) => [path, hashFile(join(dir, path))]));
  return { format: "paxos-raft-course/suite-hashes", version: 1, digest: digestOf(files), files };
}

export function readManifest(dir: string = LESSONS_DIR): SuiteHashes | undefined {
  const file = join(dir, MANIFEST_FILE);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, "utf8")) as SuiteHashes;
}

/** Compare the files as they are with the course's committed list. */
export function checkHashes(dir: string = LESSONS_DIR): HashCheck {
  const now = computeHashes(dir);
  const committed = readManifest(dir);
  if (committed === undefined) return { ok: false, digest: now.digest, changed: [], missing: [], added: Object.keys(now.files) };
  const changed = Object.keys(now.files).filter((p) => committed.files[p] !== undefined && committed.files[p] !== now.files[p]);
  const missing = Object.keys(committed.files).filter((p) => now.files[p] === undefined);
  const added = Object.keys(now.files).filter((p) => committed.files[p] === undefined);
  const ok = changed.length === 0 && missing.length === 0 && added.length === 0 && committed.digest === now.digest;
  return { ok, digest: now.digest, expected: committed.digest, changed, missing, added };
}

export function writeManifest(dir: string = LESSONS_DIR): SuiteHashes {
  const hashes = computeHashes(dir);
  writeFileSync(join(dir, MANIFEST_FILE), `${JSON.stringify(hashes, null, 2)}\n`);
  return hashes;
}

/** What a check found, in sentences. */
export function describeCheck(check: HashCheck): string[] {
  if (check.expected === undefined) return [`lessons/${MANIFEST_FILE} is missing: there is no committed list to compare with`];
  const lines: string[] = [];
  for (const p of check.changed) lines.push(`changed: lessons/${p}`);
  for (const p of check.missing) lines.push(`missing: lessons/${p}`);
  for (const p of check.added) lines.push(`not in the course's list: lessons/${p}`);
  return lines;
}

// `npx tsx lessons/grading/hashes.ts --write` after changing a graded suite or the harness; `--check` to compare.
if (isMain(import.meta.url)) {
  if (process.argv.includes("--write")) {
    const h = writeManifest();
    console.log(`wrote lessons/${MANIFEST_FILE}: ${Object.keys(h.files).length} files, digest ${h.digest}`);
  } else {
    const c = checkHashes();
    for (const line of describeCheck(c)) console.log(line);
    console.log(c.ok ? `the graded suites match the course's list (digest ${c.digest})` : "the graded suites differ from the course's list");
    process.exitCode = c.ok ? 0 : 1;
  }
}
