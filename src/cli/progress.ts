/** A progress line on stderr: redrawn in place on a terminal, a line every few seconds otherwise. */
export interface Progress {
  update(done: number, note?: string): void;
  finish(note?: string): void;
}

export function createProgress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = performance.now();
  const interactive = stream.isTTY === true;
  let lastPrinted = started;
  const render = (done: number, note: string) => {
    const width = 24;
    const filled = total > 0 ? Math.round((done / total) * width) : width;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    return `${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total} ${note} ${seconds}s`;
  };
  return {
    update(done, note = '') {
      if (interactive) {
        stream.write(`\r\x1b[2K${render(done, note)}`);
      } else if (performance.now() - lastPrinted > 2000 || done === total) {
        lastPrinted = performance.now();
        stream.write(`${render(done, note)}\n`);
      }
    },
    finish(note = '') {
      if (interactive) stream.write(`\r\x1b[2K${render(total, note)}\n`);
    },
  };
}
