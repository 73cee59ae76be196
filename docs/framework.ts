// `npm run build` / `npm run dev` for the site: clear Framework's stale bundles of the course packages, then run Observable Framework without telemetry.

import { rmSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runWithoutTelemetry } from "@course/cli";

const CACHE = fileURLToPath(new URL("./src/.observablehq/cache", import.meta.url));

/**
 * Framework caches its bundle of each package under _node/<name>@<version> and never rebuilds it when the
 * source changes (STACK-NOTES), so the course's own packages and the data loaders' output go before every run.
 */
export function clearCourseCache(cache: string = CACHE): void {
  const scoped = join(cache, "_node");
  if (existsSync(scoped)) {
    for (const name of readdirSync(scoped)) if (name.startsWith("@course")) rmSync(join(scoped, name), { recursive: true, force: true });
  }
  rmSync(join(cache, "data"), { recursive: true, force: true });
}

const command = process.argv[2];
if (command !== "build" && command !== "preview") {
  console.error("usage: tsx framework.ts build|preview");
  process.exit(2);
}
clearCourseCache();
process.exit(await runWithoutTelemetry("observable", [command, ...process.argv.slice(3)], fileURLToPath(new URL(".", import.meta.url))));
