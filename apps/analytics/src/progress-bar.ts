export interface ProgressBar {
  update(done: number): void;
  /** Draws the final state and ends the line. */
  finish(done: number): void;
}

const WIDTH = 30;
const REDRAW_MS = 100;

/**
 * A one-line progress bar (`label [#####-----] 52% 520,000/1,000,000 180,000/s`) redrawn in place
 * at most every 100 ms. When the stream is not a terminal it prints a plain line per 10% instead.
 */
export function createProgressBar(stream: NodeJS.WriteStream, label: string, total: number): ProgressBar {
  const started = performance.now();
  const tty = stream.isTTY === true;
  let lastDraw = -Infinity;
  let lastDecile = -1;

  function line(done: number): string {
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(fraction * WIDTH);
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? Math.round(done / seconds) : 0;
    return `${label} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}% ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} ${rate.toLocaleString('en-US')}/s`;
  }

  return {
    update(done) {
      if (tty) {
        const now = performance.now();
        if (now - lastDraw < REDRAW_MS) return;
        lastDraw = now;
        stream.write(`\r${line(done)}`);
        return;
      }
      const decile = total > 0 ? Math.floor((done / total) * 10) : 10;
      if (decile > lastDecile && decile < 10) {
        lastDecile = decile;
        stream.write(`${line(done)}\n`);
      }
    },
    finish(done) {
      stream.write(tty ? `\r${line(done)}\n` : `${line(done)}\n`);
    },
  };
}
