// Each lesson opens with what the student will be able to do afterwards; the paragraphs of lessons not yet placed wait in OUTCOMES.md.

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

/** Lessons whose README and page already open with their outcome. */
const PLACED = [1, 2, 3, 4, 5, 6, 7, 10, 12];

describe("what the student will be able to do", () => {
  for (const n of PLACED) {
    const lesson = lessons.find((l) => l.number === n);
    it(`lesson ${n}'s README and page open with it`, () => {
      expect(firstParagraph(read(`lessons/${String(n).padStart(2, "0")}-${lesson?.slug}/README.md`))).toMatch(/^After this lesson you will be able to /);
      expect(firstParagraph(read(`docs/src/lessons/${n}.md`))).toMatch(/^After this lesson you will be able to /);
    });
  }

  it("the course's home page opens with what the whole course teaches", () => {
    expect(firstParagraph(read("docs/src/index.md"))).toMatch(/^After this course you will be able to /);
  });

  it("OUTCOMES.md has one paragraph for every other lesson, ready to open its README and page", () => {
    const text = read("lessons/OUTCOMES.md");
    for (const lesson of lessons.filter((l) => !PLACED.includes(l.number))) {
      const section = text.split(/^## /m).find((s) => s.startsWith(`Lesson ${lesson.number}:`));
      expect(section, `lesson ${lesson.number}`).toBeDefined();
      expect(firstParagraph(section?.replace(/^.*\n/, "") ?? "")).toMatch(/^After this lesson you will be able to /);
    }
  });
});
