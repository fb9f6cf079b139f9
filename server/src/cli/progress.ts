// The progress line the CLI draws on a terminal's stderr while it checks files: files done out of
// the total, findings so far and the elapsed time. It is redrawn at most every 100 ms, erased
// before any other output is written, and erased for good before the summary.

/** The part of a tty WriteStream the progress line uses. */
export interface ProgressStream {
  write(text: string): unknown;
  columns?: number;
}

const ERASE_LINE = '\r\x1b[K';

export class ProgressLine {
  private readonly started: number;
  private lastDraw = -Infinity;
  private shown = false;
  private done = 0;
  private findings = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stream: ProgressStream,
    private readonly total: number,
    private readonly intervalMs = 100,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
  }

  /** Also redraw on a timer, so the elapsed time moves while a large file is being checked. */
  startTimer(): void {
    this.timer ??= setInterval(() => this.draw(), this.intervalMs);
    this.timer.unref();
  }

  update(done: number, findings: number): void {
    this.done = done;
    this.findings = findings;
    this.draw();
  }

  /** Erases the line (if drawn) so that other output starts at the beginning of a clean line. */
  clear(): void {
    if (!this.shown) return;
    this.stream.write(ERASE_LINE);
    this.shown = false;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
  }

  text(): string {
    const seconds = (this.now() - this.started) / 1000;
    const findings = `${this.findings} finding${this.findings === 1 ? '' : 's'}`;
    return `go-rubric: ${this.done}/${this.total} files, ${findings}, ${seconds.toFixed(1)}s`;
  }

  private draw(): void {
    const now = this.now();
    if (now - this.lastDraw < this.intervalMs) return;
    this.lastDraw = now;
    let line = this.text();
    const width = this.stream.columns;
    if (width && width > 1 && line.length >= width) line = line.slice(0, width - 1); // never wrap
    this.stream.write(`${ERASE_LINE}${line}`);
    this.shown = true;
  }
}
