// Shrinking a failing run's fault schedule: drop whole fault episodes while the same failure still happens.

import type { FaultAction, ScheduledFault } from "@course/sim";

/**
 * Groups a nemesis schedule into episodes: a fault and the action that ends it (crash/restart,
 * pause/resume, partition/heal, cut/heal of that link, lossy/normal links). Removing a whole episode keeps the
 * schedule meaningful; an action with no partner is an episode of its own.
 */
export function episodesOf(schedule: readonly ScheduledFault[]): number[][] {
  const episodes: number[][] = [];
  const open = new Map<string, number[]>();
  const key = (a: FaultAction): { start?: string; end?: string } => {
    switch (a.type) {
      case "crash":
      case "pause":
        return { start: `node:${a.node}` };
      case "restart":
      case "resume":
        return { end: `node:${a.node}` };
      case "partition":
        return { start: "partition" };
      case "cut":
        return { start: `cut:${a.from}:${a.to}` };
      case "heal":
        return { end: a.from === undefined ? "partition" : `cut:${a.from}:${a.to}` };
      case "link":
        return open.has("link") ? { end: "link" } : { start: "link" };
      default:
        return {};
    }
  };
  schedule.forEach((f, i) => {
    const k = key(f.action);
    if (k.start !== undefined) {
      const episode = [i];
      episodes.push(episode);
      open.set(k.start, episode);
    } else if (k.end !== undefined && open.has(k.end)) {
      (open.get(k.end) as number[]).push(i);
      open.delete(k.end);
    } else {
      episodes.push([i]);
    }
  });
  return episodes;
}

/** The schedule with only the kept episodes. */
export function keepEpisodes(schedule: readonly ScheduledFault[], keep: ReadonlySet<number>): ScheduledFault[] {
  const kept = new Set(episodesOf(schedule).flatMap((e, k) => (keep.has(k) ? e : [])));
  return schedule.filter((_, i) => kept.has(i));
}

/** One line per episode: "crash 2 at 340 ms, restart at 910 ms". */
export function describeEpisodes(schedule: readonly ScheduledFault[], keep: ReadonlySet<number>): string[] {
  const show = (f: ScheduledFault): string => {
    const a = f.action;
    const at = `${Math.round(f.at)} ms`;
    switch (a.type) {
      case "crash":
      case "restart":
      case "pause":
      case "resume":
      case "isolate":
        return `${a.type} node ${a.node} at ${at}`;
      case "partition":
        return `partition ${a.groups.map((g) => `[${g.join(",")}]`).join(" | ")} at ${at}`;
      case "cut":
        return `cut ${a.from}→${a.to} at ${at}`;
      case "heal":
        return `heal${a.from === undefined ? "" : ` ${a.from}→${a.to}`} at ${at}`;
      case "link":
        return `links drop ${a.config.drop ?? "?"} at ${at}`;
    }
  };
  return episodesOf(schedule)
    .filter((_, k) => keep.has(k))
    .map((e) => e.map((i) => show(schedule[i] as ScheduledFault)).join(", then "));
}

/**
 * Greedy shrinking: try removing each episode in turn (latest first) and keep the removal whenever the run
 * still fails the same way. At most `budget` re-runs. Returns the episodes that remain.
 */
export function shrinkEpisodes(count: number, stillFails: (keep: ReadonlySet<number>) => boolean, budget = 60): Set<number> {
  const keep = new Set(Array.from({ length: count }, (_, k) => k));
  let runs = 0;
  for (let k = count - 1; k >= 0 && runs < budget; k--) {
    keep.delete(k);
    runs++;
    if (!stillFails(keep)) keep.add(k);
  }
  return keep;
}
