// Whether a module is the script node was started with, compared as file paths so it holds on Windows too.

import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

export function isMain(moduleUrl: string, argv: readonly string[] = process.argv): boolean {
  const script = argv[1];
  return script !== undefined && fileURLToPath(moduleUrl) === resolve(script);
}
