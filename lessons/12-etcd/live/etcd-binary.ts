// Finds the etcd binary (ETCD_BIN, else the PATH), checks its version, and says how to install it when it is missing.

import { execFile } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";

/** The JSON gateway lives under /v3/ from etcd 3.4 on (3.3 served /v3beta/). */
export const OLDEST_ETCD = [3, 4] as const;

export const INSTALL_HINT = [
  "Lesson 12 runs a real etcd cluster, and etcd was not found (looked at $ETCD_BIN, then the PATH).",
  "Install etcd 3.4 or newer:",
  "  Debian or Ubuntu:  sudo apt-get install etcd-server",
  "  macOS (Homebrew):  brew install etcd",
  "  anywhere else:     unpack a release archive from https://github.com/etcd-io/etcd/releases and put etcd on the PATH",
  "or set ETCD_BIN to the etcd binary. The simulated half runs without etcd:",
  "  npm run lesson 12 -- --scenario same-faults-simulated",
].join("\n");

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The etcd to run: $ETCD_BIN if set (it must exist), else the first `etcd` on the PATH. */
export function findEtcd(env: NodeJS.ProcessEnv): string | undefined {
  if (env.ETCD_BIN) return executable(env.ETCD_BIN) ? env.ETCD_BIN : undefined;
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir && executable(join(dir, "etcd"))) return join(dir, "etcd");
  }
  return undefined;
}

/** "3.4.23", read from `etcd --version`; undefined if it does not say. */
export async function etcdVersion(bin: string): Promise<string | undefined> {
  const { stdout } = await promisify(execFile)(bin, ["--version"], { timeout: 10_000 });
  return /etcd Version:\s*(\d+\.\d+\.\d+\S*)/.exec(stdout)?.[1];
}

export function oldEnough(version: string): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major > OLDEST_ETCD[0] || (major === OLDEST_ETCD[0] && minor >= OLDEST_ETCD[1]);
}
