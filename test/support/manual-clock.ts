/** A clock that moves only when a test sets `time`, for code that takes a `now` function. */
export class ManualClock {
  constructor(public time = 0) {}

  readonly now = (): number => this.time;
}
