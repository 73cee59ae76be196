// `npm run lesson` end to end, with fake streams: wrapping, --step pauses, cluster sizes and honest error messages.

import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { lessons } from "@course/lessons";
import { main } from "../src/lesson.js";
import { clusterAnnouncement, formatLine, wrapText } from "../src/narrate.js";

// eslint-disable-next-line no-control-regex
const plain = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, "");

/** Runs the lesson command; returns what it printed to stdout, to stderr, and its exit status. */
async function run(argv: string[], io: Parameters<typeof main>[3] = {}): Promise<{ out: string[]; err: string; code: number }> {
  const out: string[] = [];
  let err = "";
  const spy = vi.spyOn(console, "error").mockImplementation((...parts: unknown[]) => {
    err += `${parts.join(" ")}\n`;
  });
  const code = await main(argv, {}, (line) => out.push(...plain(line).split("\n")), io);
  spy.mockRestore();
  return { out, err: plain(err), code };
}

/** A fake input that holds the given lines (`isTTY` as asked) and a fake stderr that records what is written. */
function fakeTerminal(lines: string[], tty: boolean) {
  const input = Object.assign(new PassThrough(), { isTTY: tty });
  for (const l of lines) input.write(`${l}\n`);
  input.end();
  let written = "";
  const output = new PassThrough();
  output.on("data", (chunk: Buffer) => (written += chunk.toString()));
  return { pause: { input, output }, written: () => plain(written) };
}

afterEach(() => vi.restoreAllMocks());

describe("narration layout", () => {
  it("wraps to the width with a hanging indent under the time column", () => {
    const text = "Acceptor 4 promises n=1.0 to proposer 0 and reports no accepted value, which is a long line to wrap.";
    const lines = plain(formatLine({ kind: "event", text, time: 6.6, step: 3 }, 50)).split("\n");
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(50);
    expect(lines[0]).toMatch(/^ {5}6\.6 ms {4}Acceptor/);
    for (const l of lines.slice(1)) expect(l).toMatch(/^ {15}\S/);
    expect(lines.map((l) => l.trim()).join(" ").replace(/ +/g, " ")).toBe(`6.6 ms ${text}`);
  });

  it("keeps a lost message's own indent, and a label at the end of the last line", () => {
    const lines = plain(formatLine({ kind: "note", text: "  ✗ promise from 2 to 0 is lost: the link is cut, and this goes on.", time: 1.4, step: 2, label: "lost" }, 40)).split("\n");
    for (const l of lines.slice(1)) expect(l).toMatch(/^ {15}\S/);
    expect(lines.at(-1)).toMatch(/\[lost\]$/);
  });

  it("does not wrap without a width, and never splits a word that fits", () => {
    expect(plain(formatLine({ kind: "note", text: "x ".repeat(100).trim(), time: 0, step: 0 })).split("\n")).toHaveLength(1);
    expect(wrapText("aaaa bbbb cccc", 9, 0)).toEqual(["aaaa bbbb", "cccc"]);
    expect(wrapText("abcdefghij", 4, 0)).toEqual(["abcd", "efgh", "ij"]);
  });

  it("wraps a whole lesson to the terminal's width", async () => {
    const { out, code } = await run(["3", "--scenario", "lost-promise"], { width: 60 });
    expect(code).toBe(0);
    // Everything wraps but the replay command, which stays whole so that it can be copied.
    expect(out.filter((l) => l.length > 60 && !l.startsWith("  replay: "))).toEqual([]);
    expect(out.some((l) => /^ {13,}\S/.test(l))).toBe(true);
  });
});

describe("cluster sizes", () => {
  it("announces every scenario whose cluster is not five nodes, and only those", async () => {
    expect(clusterAnnouncement(5)).toBeUndefined();
    expect(clusterAnnouncement(4)).toBe("This run has 4 nodes, not five: a majority is 3 of 4.");
    expect(clusterAnnouncement(3)).toBe("This run has 3 nodes, not five: a majority is 2 of 3.");
    for (const lesson of lessons) {
      for (const scenario of lesson.scenarios) {
        const size = scenario.run({ seed: scenario.defaultSeed }).sim.nodeIds.length;
        const { out } = await run([String(lesson.number), "--scenario", scenario.id]);
        const header = out.findIndex((l) => l.startsWith("== "));
        const said = out.slice(header, header + 8).some((l) => l.startsWith(`This run has ${size} nodes, not five`));
        expect(said, `lesson ${lesson.number} ${scenario.id} (${size} nodes)`).toBe(size !== 5);
      }
    }
  }, 120_000);
});

describe("--step", () => {
  it("pauses once per labeled step, after every line of that step, and the prompt ends its own line when input is piped", async () => {
    const term = fakeTerminal(Array(40).fill(""), false);
    const { out, code } = await run(["3", "--scenario", "lost-promise", "--step"], term);
    expect(code).toBe(0);
    const written = term.written();
    const scenario = lessons[2]?.scenarios.find((s) => s.id === "lost-promise");
    const labelSteps = new Set(scenario?.run({ seed: 1 }).sim.trace.flatMap((e) => (e.kind === "note" && e.label !== undefined ? [e.step] : [])));
    // Labels that share a step share a pause: the state a jump shows is the whole step.
    expect(written.split("\n").filter((l) => l.includes("(Enter")).length).toBe(labelSteps.size);
    expect(out.filter((l) => /\[[a-z0-9-]+\]$/.test(l)).length).toBe(7);
    // Piped input: every prompt is a line of its own, so nothing printed next can run into it.
    expect(written.split("\n").filter((l) => l !== "").every((l) => /^ {2}\(Enter[^)]*\) $/.test(l))).toBe(true);
    expect(written.endsWith("\n")).toBe(true);
  });

  it("--step=event pauses after every line", async () => {
    const term = fakeTerminal(Array(200).fill(""), false);
    const { out } = await run(["2", "--step=event"], term);
    const prompts = term.written().split("\n").filter((l) => l.includes("(Enter)")).length;
    const timed = out.filter((l) => /^ *\d+\.\d ms/.test(l)).length;
    const headings = out.filter((l) => /^-{10,}$/.test(l)).length;
    expect(prompts).toBe(timed + headings);
  });

  it("in a terminal the prompt waits on its line for the reader's Enter", async () => {
    const term = fakeTerminal(Array(40).fill(""), true);
    await run(["2", "--step"], term);
    expect(term.written()).toMatch(/^ {2}\(Enter: on to the next labeled step\) {3}\(Enter/);
    expect(term.written()).not.toContain("\n");
  });

  it("stops pausing when input ends, and finishes the run", async () => {
    const term = fakeTerminal([], false);
    const { out, code } = await run(["3", "--scenario", "lost-promise", "--step"], term);
    expect(code).toBe(0);
    expect(out.some((l) => l.startsWith("RESULT:"))).toBe(true);
  });
});

describe("error messages", () => {
  it("a variant of another scenario: says what this scenario offers and where the variant lives, with a command that works", async () => {
    const { err, code } = await run(["3", "--scenario", "lost-promise", "--variant", "no-backoff"]);
    expect(code).toBe(2);
    expect(err).toContain('scenario lost-promise has no variant "no-backoff"; it has no variants');
    expect(err).not.toMatch(/available/);
    const command = /`npm run lesson ([^`]*)`/.exec(err)?.[1]?.replace(" -- ", " ").split(" ") ?? [];
    expect(command).toEqual(["3", "--scenario", "dueling-proposers", "--variant", "no-backoff"]);
    expect((await run(command)).code).toBe(0);
  });

  it("a variant no scenario has: lists the lesson's variants by scenario", async () => {
    const { err, code } = await run(["3", "--variant", "nope"]);
    expect(code).toBe(2);
    expect(err).toContain('no scenario of lesson 3 offers the variant "nope"; the variants it has: no-backoff (scenario dueling-proposers), ignore-accepted (scenario chosen-survives)');
  });

  it("--seed -1 and --seed=-1 get the same message", async () => {
    const a = await run(["3", "--seed", "-1"]);
    const b = await run(["3", "--seed=-1"]);
    expect(a.code).toBe(2);
    expect(a.err).toBe(b.err);
    expect(a.err).toContain("--seed must be a whole number >= 0, got -1");
  });
});
