// The Prometheus text exposition format (version 0.0.4), written by hand so the core needs no Node built-ins:
// a family is `# HELP`, `# TYPE`, then one line per sample. Label values escape `\`, `"` and newlines; HELP
// text escapes `\` and newlines.

/** The content type Prometheus expects from a text scrape. */
export const EXPOSITION_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** A metric family's type, as written after `# TYPE`. */
export type MetricType = "counter" | "gauge" | "histogram";

/** One sample: a name suffix (`_bucket`, `_sum`, `_count` or none), labels in order, and a value. */
export interface Sample {
  readonly suffix?: string;
  readonly labels?: ReadonlyArray<readonly [string, string]>;
  readonly value: number;
}

/** A metric family ready to be written. */
export interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly samples: readonly Sample[];
}

/** Escapes a label value. */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/** A sample value: integers as is, `+Inf`/`-Inf`/`NaN` spelled as Prometheus does. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}

/** Writes metric families in the text format, ending with a newline. */
export function writeExposition(families: readonly Family[]): string {
  let out = "";
  for (const family of families) {
    out += `# HELP ${family.name} ${escapeHelp(family.help)}\n# TYPE ${family.name} ${family.type}\n`;
    for (const sample of family.samples) {
      out += family.name + (sample.suffix ?? "");
      const labels = sample.labels;
      if (labels && labels.length > 0) {
        out += "{";
        for (let i = 0; i < labels.length; i++) {
          const [key, value] = labels[i] as readonly [string, string];
          out += `${i > 0 ? "," : ""}${key}="${escapeLabel(value)}"`;
        }
        out += "}";
      }
      out += ` ${formatValue(sample.value)}\n`;
    }
  }
  return out;
}
