import type { Sample } from "./exposition.ts";

/** Handler duration buckets in seconds: 0.5 ms to 10 s. */
export const DURATION_BUCKETS: readonly number[] = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** A Prometheus histogram of one label set: cumulative buckets are computed when written, not when observed. */
export class Histogram {
  readonly #bounds: readonly number[];
  /** Observations per bucket (not cumulative); the last slot is +Inf. */
  readonly #counts: number[];
  #sum = 0;
  #count = 0;

  constructor(bounds: readonly number[] = DURATION_BUCKETS) {
    this.#bounds = bounds;
    this.#counts = new Array<number>(bounds.length + 1).fill(0);
  }

  observe(value: number): void {
    const bounds = this.#bounds;
    let i = 0;
    while (i < bounds.length && value > (bounds[i] as number)) i++;
    this.#counts[i] = (this.#counts[i] as number) + 1;
    this.#sum += value;
    this.#count++;
  }

  get count(): number {
    return this.#count;
  }

  /** The `_bucket`, `_sum` and `_count` samples, with `labels` first on each. */
  samples(labels: ReadonlyArray<readonly [string, string]>): Sample[] {
    const out: Sample[] = [];
    let cumulative = 0;
    for (let i = 0; i <= this.#bounds.length; i++) {
      cumulative += this.#counts[i] as number;
      const le = i < this.#bounds.length ? String(this.#bounds[i]) : "+Inf";
      out.push({ suffix: "_bucket", labels: [...labels, ["le", le]], value: cumulative });
    }
    out.push({ suffix: "_sum", labels, value: this.#sum });
    out.push({ suffix: "_count", labels, value: this.#count });
    return out;
  }
}
