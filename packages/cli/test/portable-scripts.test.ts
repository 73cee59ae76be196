// Every package.json script runs the same under Windows cmd, PowerShell and a POSIX shell: no shell-only syntax.

import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

/** The root package.json and every workspace's, from the root's "workspaces" list (folders or "dir/*"). */
function packageFiles(root: string = ROOT): string[] {
  const rootPkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { workspaces?: string[] };
  const dirs = (rootPkg.workspaces ?? []).flatMap((w) =>
    w.endsWith("/*") ? readdirSync(join(root, w.slice(0, -2))).map((d) => join(w.slice(0, -2), d)) : [w],
  );
  return ["package.json", ...dirs.map((d) => join(d, "package.json")).filter((f) => existsSync(join(root, f)))];
}

/** npm runs scripts with cmd.exe on Windows: these only work in a POSIX shell. */
const POSIX_ONLY: readonly { readonly pattern: RegExp; readonly why: string }[] = [
  { pattern: /(^|&&|\|\||[;|])\s*[A-Za-z_][A-Za-z0-9_]*=/, why: "`VAR=value cmd` sets a variable only in a POSIX shell (use a tsx script or the tool's own flag)" },
  { pattern: /\$[{(A-Za-z_]/, why: "`$VAR`, `${VAR:-x}` and `$(...)` are POSIX shell expansions" },
  { pattern: /`/, why: "backticks are POSIX command substitution" },
  { pattern: /'/, why: "cmd.exe does not treat single quotes as quotes (use double quotes)" },
  { pattern: /(^|[^&|]);|\s&\s*$|[^&]&[^&]/, why: "`;` and a single `&` separate commands differently in cmd.exe and sh (use &&)" },
  { pattern: /\b(rm|cp|mv|cat|grep|sed|mkdir|touch|export|ls|chmod|ln)\s/, why: "POSIX commands are missing on Windows (use node:fs in a tsx script)" },
  { pattern: /\/dev\/null|\s2>&1|\\$/, why: "POSIX redirection or line continuation" },
];

function posixOnly(script: string): string[] {
  return POSIX_ONLY.filter((p) => p.pattern.test(script)).map((p) => p.why);
}

describe("package.json scripts are portable", () => {
  it("finds the root's and every workspace's package.json", () => {
    const files = packageFiles();
    expect(files).toContain("package.json");
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  it("the checker catches the forms cmd.exe cannot run", () => {
    expect(posixOnly("TURBO_TELEMETRY_DISABLED=1 turbo run test")).not.toEqual([]);
    expect(posixOnly("STRESS_SEEDS=${STRESS_SEEDS:-5000} vitest run")).not.toEqual([]);
    expect(posixOnly("rm -rf dist && observable build")).not.toEqual([]);
    expect(posixOnly("npm run build && FOO=1 tsx serve.ts")).not.toEqual([]);
    expect(posixOnly("echo 'hi'")).not.toEqual([]);
    expect(posixOnly("a; b")).not.toEqual([]);
    expect(posixOnly("tsx packages/cli/src/no-telemetry.ts turbo run test --concurrency=2 && tsc --noEmit -p .")).toEqual([]);
    expect(posixOnly('vitest run --config grading/course-run.config.ts -t "a b"')).toEqual([]);
  });

  for (const file of packageFiles()) {
    it(`${file}: no POSIX-only syntax in any script`, () => {
      const scripts = (JSON.parse(readFileSync(join(ROOT, file), "utf8")) as { scripts?: Record<string, string> }).scripts ?? {};
      const problems = Object.entries(scripts).flatMap(([name, script]) => posixOnly(script).map((why) => `"${name}": ${script}\n  ${why}`));
      expect(problems, problems.join("\n")).toEqual([]);
    });
  }
});
