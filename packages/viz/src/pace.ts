// Playback pace: while messages are on the wire a hop takes about half a real second; quiet stretches are shortened.

import type { TraceIndex } from "./trace-index.js";

/** Real seconds a typical message hop lasts at 1x. */
export const HOP_SECONDS = 0.5;
/** The longest a stretch with nothing on the wire lasts at 1x (timers still drain visibly). */
export const MAX_QUIET_SECONDS = 0.6;

/**
 * A monotone piecewise-linear map between virtual time (ms) and playback time (s at 1x). Busy stretches (some
 * network message in flight) run at one rate, chosen so a typical hop lasts HOP_SECONDS; a quiet stretch runs
 * at that rate too if it is short, else it is squeezed into MAX_QUIET_SECONDS.
 */
export class Pace {
  /** Breakpoints: virtual[i] maps to play[i]. */
  private readonly virtual: number[] = [0];
  private readonly play: number[] = [0];
  /** Virtual ms per real second while messages fly. */
  readonly busyRate: number;

  constructor(index: TraceIndex) {
    this.busyRate = Math.max(0.5, index.typicalLatency()) / HOP_SECONDS;
    // Busy intervals, merged.
    const spans = index.messages.map((m) => [m.sentAt, Math.max(m.sentAt, m.endAt ?? m.deliverAt)] as [number, number]).sort((a, b) => a[0] - b[0]);
    const merged: Array<[number, number]> = [];
    for (const s of spans) {
      const last = merged[merged.length - 1];
      if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
      else merged.push([s[0], s[1]]);
    }
    const end = Math.max(index.endTime, merged[merged.length - 1]?.[1] ?? 0);
    let t = 0;
    const push = (to: number, seconds: number) => {
      if (to <= t) return;
      this.virtual.push(to);
      this.play.push((this.play[this.play.length - 1] as number) + seconds);
      t = to;
    };
    for (const [a, b] of merged) {
      if (a > t) push(a, Math.min((a - t) / this.busyRate, MAX_QUIET_SECONDS));
      push(b, (b - Math.max(t, a)) / this.busyRate);
    }
    if (end > t) push(end, Math.min((end - t) / this.busyRate, MAX_QUIET_SECONDS));
  }

  /** Playback seconds (at 1x) from the start to virtual time `time`. */
  playAt(time: number): number {
    return interpolate(this.virtual, this.play, time);
  }

  /** Virtual time reached after `seconds` of playback at 1x. */
  timeAt(seconds: number): number {
    return interpolate(this.play, this.virtual, seconds);
  }

  /** Length of the whole run in playback seconds at 1x. */
  get totalSeconds(): number {
    return this.play[this.play.length - 1] as number;
  }
}

function interpolate(xs: readonly number[], ys: readonly number[], x: number): number {
  const n = xs.length;
  if (n === 1 || x <= (xs[0] as number)) return ys[0] as number;
  if (x >= (xs[n - 1] as number)) return (ys[n - 1] as number) + (x - (xs[n - 1] as number)) * slopeAtEnd(xs, ys);
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((xs[mid] as number) <= x) lo = mid;
    else hi = mid;
  }
  const x0 = xs[lo] as number;
  const x1 = xs[hi] as number;
  const y0 = ys[lo] as number;
  const y1 = ys[hi] as number;
  return x1 === x0 ? y1 : y0 + ((x - x0) / (x1 - x0)) * (y1 - y0);
}

/** Beyond the last breakpoint (a run the simulator extends), keep the last segment's rate. */
function slopeAtEnd(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  const dx = (xs[n - 1] as number) - (xs[n - 2] as number);
  return dx <= 0 ? 0 : ((ys[n - 1] as number) - (ys[n - 2] as number)) / dx;
}
