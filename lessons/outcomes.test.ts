// Each lesson's README and page open with what the student will be able to do afterwards, and so does the home page.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { lessons } from "./registry.js";

const read = (path: string) => readFileSync(fileURLToPath(new URL(`../${path}`, import.meta.url)), "utf8");
/** The first paragraph of prose: after the title, skipping code blocks and blank lines. */
function firstParagraph(markdown: string): string {
  const body = markdown.replace(/^---\n[\s\S]*?\n---\n/, "").replace(/```[\s\S]*?```/g, "");
  return (body.split(/\n\s*\n/).map((p) => p.trim()).find((p) => p !== "" && !p.startsWith("#")) ?? "").replace(/\*\*/g, "");
}

describe("what the student will be able to do", () => {
  for (const lesson of lessons) {
    const n = lesson.number;
    it(`lesson ${n}'s README and page open with it`, () => {
      expect(firstParagraph(read(`lessons/${String(n).padStart(2, "0")}-${lesson.slug}/README.md`))).toMatch(/^After this lesson you will be able to /);
      expect(firstParagraph(read(`docs/src/lessons/${n}.md`))).toMatch(/^After this lesson you will be able to /);
    });
  }

  it("the course's home page opens with what the whole course teaches", () => {
    expect(firstParagraph(read("docs/src/index.md"))).toMatch(/^After this course you will be able to /);
  });

});
