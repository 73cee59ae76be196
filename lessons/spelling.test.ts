// One spelling throughout the course (American): lesson text, READMEs, pages and narration never use British variants.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Stems spelled -ize in American English (and -ise in British), with the endings that follow them. */
const IZE_STEMS = ["random", "serial", "normal", "summar", "recogn", "optim", "initial", "organ", "minim", "maxim", "priorit", "util", "visual", "stabil", "final", "general", "memor", "custom", "real", "character", "categor", "emphas", "linear", "synchron", "parallel", "author", "special", "apolog"];
const IZE = new RegExp(`\\b(${IZE_STEMS.join("|")})is(e|ed|es|er|ers|ing|ation|ations)\\b`, "i");
/** Whole words with a British spelling, and the American one the course uses. */
const WORDS: Readonly<Record<string, string>> = {
  behaviour: "behavior", behaviours: "behaviors", colour: "color", colours: "colors", coloured: "colored", favour: "favor",
  labelled: "labeled", labelling: "labeling", cancelled: "canceled", cancelling: "canceling", modelled: "modeled", modelling: "modeling",
  signalled: "signaled", signalling: "signaling", travelled: "traveled", travelling: "traveling", duelling: "dueling",
  acknowledgement: "acknowledgment", acknowledgements: "acknowledgments", judgement: "judgment", defence: "defense", offence: "offense",
  licence: "license", grey: "gray", centre: "center", centres: "centers", fibre: "fiber", amongst: "among", whilst: "while",
  learnt: "learned", spelt: "spelled", catalogue: "catalog", analyse: "analyze", analysed: "analyzed", analysing: "analyzing",
};

/** Course text: READMEs, lesson text and code, the site's pages and components, and the narration code. */
function courseFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(join(ROOT, dir))) {
      if (name === "node_modules" || name.startsWith(".") || name === "dist") continue;
      const path = join(dir, name);
      if (statSync(join(ROOT, path)).isDirectory()) walk(path);
      else files.push(path);
    }
  };
  for (const dir of ["lessons", "docs/src", "packages"]) walk(dir);
  const narration = /^packages\/(paxos\/src\/(basic\/|describe|story)|twopc\/src\/|raft\/src\/narrate|cli\/src\/(lesson|narrate|pause))/;
  return [
    "README.md",
    ...files.filter(
      (f) =>
        f.endsWith("README.md") ||
        (f.startsWith("lessons/") && (f.endsWith(".md") || (/^lessons\/\d\d-/.test(f) && f.endsWith(".ts") && !f.endsWith(".test.ts")))) ||
        (f.startsWith("docs/src/") && (f.endsWith(".md") || f.endsWith(".ts"))) ||
        narration.test(f),
    ),
  ].sort();
}

export function britishSpellings(text: string): string[] {
  const found: string[] = [];
  for (const word of text.match(/[A-Za-z]+/g) ?? []) {
    const lower = word.toLowerCase();
    if (Object.hasOwn(WORDS, lower) || IZE.test(lower)) found.push(word);
  }
  return found;
}

describe("one spelling throughout (American)", () => {
  it("knows the British variants it looks for, and leaves American words and look-alikes alone", () => {
    expect(britishSpellings("Randomised timeouts; the duelling proposers are labelled in colour; acknowledgement")).toEqual(["Randomised", "duelling", "labelled", "colour", "acknowledgement"]);
    expect(britishSpellings("randomized, dueling, labeled, color, promise, otherwise, exercise, optimistic, realistic, analyses, emphasis")).toEqual([]);
  });

  it("finds none in the course's text", () => {
    const files = courseFiles();
    expect(files.length).toBeGreaterThan(40);
    const offenders = files.flatMap((f) => britishSpellings(readFileSync(join(ROOT, f), "utf8")).map((w) => `${f}: ${w}`));
    expect(offenders).toEqual([]);
  });
});
