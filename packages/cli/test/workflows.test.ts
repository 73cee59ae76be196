// The GitHub workflows and the dev container are valid (GitHub's own workflow parser; a JSON schema) and agree with the commands they run.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { exerciseFolders } from "../src/grade.js";
import { classroomRunner } from "../src/grade-report.js";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const WORKFLOWS = join(ROOT, ".github", "workflows");
const read = (...path: string[]) => readFileSync(join(ROOT, ...path), "utf8");

/** Errors GitHub's parser finds: the workflow schema, expressions and the contexts they may use. */
async function workflowErrors(name: string, content: string): Promise<string[]> {
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (errors.length > 0 || parsed.value === undefined) return errors.length > 0 ? errors : [`${name}: nothing to parse`];
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  return (template.errors ?? []).map((e) => e.Message);
}

interface Step {
  readonly id?: string;
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly env?: Record<string, string>;
  readonly with?: Record<string, string>;
  readonly "continue-on-error"?: boolean;
}
interface Workflow {
  readonly name: string;
  readonly jobs: Record<string, { name?: string; needs?: string | string[]; if?: string; steps: Step[]; strategy?: { matrix?: Record<string, unknown> } }>;
}
const workflow = (file: string) => parse(read(".github", "workflows", file)) as Workflow;
const rootScripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;

describe("GitHub workflows", () => {
  const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));

  it("has the grading, stress and site workflows", () => {
    expect(files).toEqual(expect.arrayContaining(["grade.yml", "stress.yml", "pages.yml"]));
  });

  for (const file of files) {
    it(`${file} passes GitHub's workflow parser (schema and expressions)`, async () => {
      expect(await workflowErrors(file, read(".github", "workflows", file))).toEqual([]);
    });

    it(`${file} runs only npm scripts that exist`, () => {
      const runs = Object.values(workflow(file).jobs).flatMap((j) => j.steps.map((s) => s.run ?? ""));
      for (const m of runs.join("\n").matchAll(/npm run ([\w:-]+)(?: -w (\S+))?/g)) {
        const scripts = m[2] === undefined ? rootScripts : (JSON.parse(read(m[2], "package.json")) as { scripts: Record<string, string> }).scripts;
        expect(Object.keys(scripts), m[0]).toContain(m[1]);
      }
    });
  }

  it("the parser does catch mistakes (a misspelt key, an unknown context)", async () => {
    const bad = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n    steps:\n      - run: echo ${{ nope.x }}\n";
    expect((await workflowErrors("bad.yml", bad)).join("\n")).toMatch(/Unexpected value 'stepz'[\s\S]*Unrecognized named-value: 'nope'/);
  });

  it("grade.yml grades on push, keeps going after failures, and reports points per lesson to GitHub Classroom", () => {
    const wf = workflow("grade.yml");
    const job = Object.values(wf.jobs)[0]!;
    expect(job.name).toBe("Autograding Tests"); // the check run name Classroom's reporter updates
    const grade = job.steps.find((s) => s.id === "grade")!;
    expect(grade["continue-on-error"]).toBe(true);
    for (const flag of ["--json", "--junit", "--summary \"$GITHUB_STEP_SUMMARY\"", "--classroom \"$GITHUB_OUTPUT\""]) expect(grade.run).toContain(flag);
    expect(job.steps.some((s) => s.uses?.startsWith("actions/upload-artifact") && s.with?.path === "lessons/.grade-traces/")).toBe(true);
    expect(job.steps.some((s) => s.run === "npm run grade -- --verify")).toBe(true);
    expect(job.steps.some((s) => s.uses?.startsWith("dorny/test-reporter") && s.with?.path === "grade.xml")).toBe(true);
    const reporter = job.steps.find((s) => s.uses?.startsWith("classroom-resources/autograding-grading-reporter"))!;
    const lessons = [...exerciseFolders().keys()].map(classroomRunner);
    expect(reporter.with?.runners?.split(",")).toEqual(lessons);
    for (const runner of lessons) expect(reporter.env?.[`${runner.toUpperCase()}_RESULTS`]).toBe(`\${{ steps.grade.outputs.${runner} }}`);
    expect(reporter.if).toBe("always()");
  });

  it("stress.yml splits 100,000+ seeds per test over a runner matrix and merges the shards", () => {
    const wf = workflow("stress.yml");
    const text = read(".github", "workflows", "stress.yml");
    expect(Number(/SEEDS: \$\{\{ inputs\.seeds \|\| '(\d+)' \}\}/.exec(text)?.[1])).toBeGreaterThanOrEqual(100_000);
    expect(wf.jobs.shard?.strategy?.matrix?.shard).toBe("${{ fromJSON(needs.plan.outputs.shards) }}");
    const shardRun = wf.jobs.shard?.steps.find((s) => s.run?.startsWith("npm run stress"))?.run;
    expect(shardRun).toContain('--shard "$SHARD/$COUNT"');
    expect(shardRun).toContain("--json");
    expect(wf.jobs.merge?.if).toContain("always()");
    expect(wf.jobs.merge?.steps.find((s) => s.run?.startsWith("npm run stress"))?.run).toContain("--merge shards");
  });

  it("stress.yml also splits the exhaustive search of every protocol over the same runners, at bounds beyond the defaults", () => {
    const wf = workflow("stress.yml");
    const job = wf.jobs.explore;
    expect(job?.strategy?.matrix?.shard).toBe("${{ fromJSON(needs.plan.outputs.shards) }}");
    expect(job?.strategy?.matrix?.protocol).toEqual(["2pc", "paxos", "multi-paxos", "raft"]);
    const run = job?.steps.find((s) => s.run?.startsWith("npm run explore"))?.run;
    expect(run).toContain('--shard "$SHARD/$COUNT"');
    expect(run).toContain("--trace");
    // Every flag the matrix passes is one the explore command knows.
    const include = (job?.strategy?.matrix as { include?: { protocol: string; bounds: string }[] } | undefined)?.include ?? [];
    expect(include.map((i) => i.protocol)).toEqual(["2pc", "paxos", "multi-paxos", "raft"]);
    for (const { bounds } of include) {
      for (const flag of bounds.match(/--[a-z-]+/g) ?? []) expect(["--crashes", "--drops", "--requests", "--depth", "--timers"]).toContain(flag);
    }
  });
});

describe("dev container", () => {
  const config = JSON.parse(read(".devcontainer", "devcontainer.json")) as {
    image: string;
    onCreateCommand: string;
    forwardPorts: number[];
    containerEnv: Record<string, string>;
    customizations: { vscode: { extensions: string[] } };
  };
  const schema = JSON.parse(readFileSync(fileURLToPath(new URL("./schemas/devcontainer.schema.json", import.meta.url)), "utf8")) as object;

  it("is valid against the vendored devcontainer.json schema, which rejects a misspelt key", () => {
    const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...config, forwardPort: [3000] })).toBe(false);
    expect(validate({ ...config, portsAttributes: { "3000": { onAutoForward: "sometimes" } } })).toBe(false);
  });

  it("has Node 20, Chromium for the browser tests at CHROME_PATH, the site's port, and the Vitest extension", () => {
    expect(config.image).toMatch(/:(\d+-)?20-/);
    expect(config.onCreateCommand).toContain("apt-get install -y --no-install-recommends chromium");
    expect(config.containerEnv.CHROME_PATH).toBe("/usr/bin/chromium");
    const port = Number(/process\.env\.PORT \?\? (\d+)/.exec(read("docs", "serve.ts"))?.[1]);
    expect(config.forwardPorts).toEqual([port]);
    const recommended = (JSON.parse(read(".vscode", "extensions.json")) as { recommendations: string[] }).recommendations;
    expect(config.customizations.vscode.extensions).toEqual(recommended);
  });
});
