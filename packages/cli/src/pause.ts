// Waiting for Enter between narration lines (`--step`), in a terminal or with input piped in.

import { createInterface, type Interface } from "node:readline";

export interface PauseIo {
  readonly input: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  /** Where the prompt goes (stderr, so that stdout stays the narration). */
  readonly output: NodeJS.WritableStream;
}

/**
 * Waits for one line of input per pause. In a terminal the prompt stays on the line and the reader's Enter ends
 * it. When input is not a terminal nothing echoes an Enter, so the prompt ends its own line and never runs into
 * the narration that follows. Once input has ended there is nothing left to wait for: later pauses return at once.
 */
export class Pauser {
  private readonly rl: Interface;
  private readonly lines: string[] = [];
  private waiting: (() => void) | undefined;
  private ended = false;
  private readonly tty: boolean;

  constructor(private readonly io: PauseIo) {
    this.tty = io.input.isTTY === true;
    this.rl = createInterface({ input: io.input, terminal: false });
    this.rl.on("line", (line) => {
      this.lines.push(line);
      this.wake();
    });
    this.rl.on("close", () => {
      this.ended = true;
      this.wake();
    });
  }

  async pause(prompt: string): Promise<void> {
    if (this.ended && this.lines.length === 0) return;
    this.io.output.write(this.tty ? prompt : `${prompt}\n`);
    while (this.lines.length === 0 && !this.ended) await new Promise<void>((resolve) => (this.waiting = resolve));
    this.lines.shift();
  }

  close(): void {
    this.rl.close();
  }

  private wake(): void {
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve?.();
  }
}
