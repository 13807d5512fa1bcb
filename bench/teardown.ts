/**
 * What must be undone however the benchmark ends: children stopped, temporary folders removed. Steps run last in,
 * first out, each at most once, and a failing step does not keep the others from running.
 */
export class Teardown {
  private readonly steps: (() => Promise<void>)[] = [];
  /** Set once a signal started the teardown: what fails after that is its doing, not news. */
  interrupted = false;

  /** Register before creating the thing it undoes, so that an interruption in between still undoes it. */
  add(step: () => Promise<void>): void {
    this.steps.push(step);
  }

  async run(): Promise<void> {
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await step();
      } catch (error) {
        console.error('bench: a teardown step failed:', error);
      }
    }
  }

  /** Ctrl-C or a plain kill: tear down, then exit the way the signal asked. */
  runOnSignals(): void {
    for (const [signal, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const) {
      process.once(signal, () => {
        this.interrupted = true;
        console.error(`bench: ${signal}, stopping everything it started`);
        void this.run().finally(() => process.exit(code));
      });
    }
  }
}
