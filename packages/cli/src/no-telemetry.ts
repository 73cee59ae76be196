// Runs a command with turbo's and Observable Framework's telemetry off, the same way on Windows, macOS and Linux (no `VAR=value cmd` in package.json).

import { spawn } from "node:child_process";
import { isMain } from "@course/lessons/grading/index.js";

/** The variables that switch the tools' telemetry off (see STACK-NOTES: turbo and Framework both phone home by default). */
export const NO_TELEMETRY = { TURBO_TELEMETRY_DISABLED: "1", OBSERVABLE_TELEMETRY_DISABLE: "true", DO_NOT_TRACK: "1" } as const;

/** Run `command args...` from node_modules/.bin or the PATH, output passed through; resolves to its exit code. */
export function runWithoutTelemetry(command: string, args: readonly string[], cwd: string = process.cwd()): Promise<number> {
  return new Promise((resolve, reject) => {
    // Windows finds npm's .cmd shims only through a shell; the arguments here are plain words, so no quoting is needed.
    const child = spawn(command, [...args], { cwd, stdio: "inherit", env: { ...process.env, ...NO_TELEMETRY }, shell: process.platform === "win32" });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.on("error", (e) => reject(new Error(`could not start ${command}: ${e.message}`)));
    child.on("exit", (code, signal) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolve(code ?? (signal === null ? 1 : 128 + 2));
    });
  });
}

// `tsx packages/cli/src/no-telemetry.ts turbo run test ...`
if (isMain(import.meta.url)) {
  const [command, ...args] = process.argv.slice(2);
  if (command === undefined) {
    console.error("usage: tsx packages/cli/src/no-telemetry.ts COMMAND [ARGS...]");
    process.exit(2);
  }
  runWithoutTelemetry(command, args).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error((e as Error).message);
      process.exit(1);
    },
  );
}
