// The course's committed hashes of the graded suites are current, and a changed, added or removed suite file is caught.

import { describe, expect, it } from "vitest";
import { checkHashes, computeHashes, digestOf, gradingFiles, MANIFEST_FILE } from "./hashes.js";
import { scratchLessons } from "./scratch.js";
import { SOLUTIONS_DIR } from "./corpus.js";

describe("hashes of the graded suites (tamper evidence)", () => {
  it(`lessons/${MANIFEST_FILE} matches the files (after changing a suite or the harness: npx tsx lessons/grading/hashes.ts --write)`, () => {
    const check = checkHashes();
    expect([...check.changed, ...check.missing, ...check.added]).toEqual([]);
    expect(check.ok).toBe(true);
  });

  it("covers the harness, the config, every exercise definition and graded suite, and no stub", () => {
    const files = gradingFiles();
    expect(files).toContain("vitest.config.ts");
    expect(files).toContain("grading/graded.ts");
    expect(files).toContain("06-log-replication/exercise/append-entries.test.ts");
    expect(files).toContain("06-log-replication/exercise/exercise.ts");
    expect(files).not.toContain("06-log-replication/exercise/append-entries.ts");
    expect(files).not.toContain(MANIFEST_FILE);
    expect(files).toContain("grading/corpus.ts");
    expect(files.filter((f) => f.startsWith(`${SOLUTIONS_DIR}/`))).toEqual([]);
  });

  it("hashes text the same with CRLF line endings, and reports an edited, a new and a deleted suite file", () => {
    const copy = scratchLessons();
    try {
      const suite = "06-log-replication/exercise/append-entries.test.ts";
      copy.write(suite, copy.read(suite).replace(/\n/g, "\r\n"));
      expect(checkHashes(copy.dir).ok).toBe(true);
      copy.write(suite, copy.read(suite).replace("g.unit(2,", "g.unit(20,"));
      copy.write("06-log-replication/exercise/extra.test.ts", "// a test a student added\n");
      copy.write("02-basic-paxos/exercise/acceptor.ts", "// the student's own file may change freely\n");
      const check = checkHashes(copy.dir);
      expect(check.ok).toBe(false);
      expect(check.changed).toEqual([suite]);
      expect(check.added).toEqual(["06-log-replication/exercise/extra.test.ts"]);
      expect(check.digest).not.toBe(check.expected);
      const now = computeHashes(copy.dir);
      expect(now.digest).toBe(digestOf(now.files));
    } finally {
      copy.remove();
    }
  });
});
