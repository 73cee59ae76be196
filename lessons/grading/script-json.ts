// Runs one of the grading scripts (the proof, the corpus) in a child process and reads the JSON report it writes.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * `node --import tsx <script> --json <file>`: returns the parsed report and the script's output. A script that
 * exits non-zero throws with everything it printed, which is the story of what went wrong.
 */
export function runJsonScript<T>(script: URL, failure: string): { result: T; log: string } {
  const out = join(mkdtempSync(join(tmpdir(), "course-script-")), "report.json");
  try {
    const log = execFileSync(process.execPath, ["--import", "tsx", fileURLToPath(script), "--json", out], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return { result: JSON.parse(readFileSync(out, "utf8")) as T, log };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    throw new Error(`${failure}:\n${err.stdout ?? ""}\n${err.stderr ?? ""}`);
  }
}
