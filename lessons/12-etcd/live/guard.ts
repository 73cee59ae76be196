// Makes sure the cluster goes away however the run ends: normally, on an error, on Ctrl-C (SIGINT) or SIGTERM/SIGHUP.

import type { EtcdCluster } from "./cluster.js";

const SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

export interface Guard {
  /** Aborted when a signal arrives (or `abort` is called): every wait of the run listens to it. */
  readonly signal: AbortSignal;
  /** True once a signal has arrived: the handler cleans up and exits the process itself. */
  readonly interrupted: boolean;
  abort(reason: Error): void;
  /** Removes the handlers; call once the cluster is gone. */
  dispose(): void;
}

/**
 * On the first SIGINT, SIGTERM or SIGHUP: stop the run, kill every member, remove the directory, and exit with
 * 128 + the signal's number, as a shell expects. Further signals while that happens are ignored (a terminal's
 * Ctrl-C reaches both this process and the launcher that forwards it). The process's 'exit' event is the last
 * resort, for ways out that skip everything else (an uncaught exception, a `process.exit` elsewhere).
 */
export function guardCluster(cluster: EtcdCluster, say: (line: string) => void): Guard {
  const controller = new AbortController();
  let stopping = false;
  const onSignal = (signal: keyof typeof SIGNALS) => {
    if (stopping) return;
    stopping = true;
    say(`\n${signal}: stopping the cluster and removing ${cluster.dir}`);
    controller.abort(new Error(`interrupted by ${signal}`));
    void cluster.destroy().finally(() => process.exit(SIGNALS[signal]));
  };
  const handlers = Object.keys(SIGNALS).map((s) => {
    const signal = s as keyof typeof SIGNALS;
    const handler = () => onSignal(signal);
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  const onExit = () => cluster.destroySync();
  process.on("exit", onExit);
  return {
    signal: controller.signal,
    get interrupted() {
      return stopping;
    },
    abort: (reason) => controller.abort(reason),
    dispose() {
      for (const [signal, handler] of handlers) process.off(signal, handler);
      process.off("exit", onExit);
    },
  };
}
