/// <reference types="bun" />
/**
 * `bun bench/render.ts [results/latest.json]`: rewrites the markdown report next to a saved JSON result without
 * running anything (after editing the report layout or the explanations).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Measurements, renderReport } from "./lib/report.ts";

const file = process.argv[2] ?? join(import.meta.dir, "results", "latest.json");
const saved = JSON.parse(readFileSync(file, "utf8")) as {
  startedAt: string;
  rounds: number;
  quick?: boolean;
  load: Record<string, unknown>;
  loadBefore?: string;
  loadAfter?: string;
  results: Measurements;
};
const report = renderReport(saved.results, {
  startedAt: new Date(saved.startedAt),
  rounds: saved.rounds,
  quick: saved.quick ?? false,
  load: saved.load,
  loadBefore: saved.loadBefore ?? "not recorded",
  loadAfter: saved.loadAfter ?? "not recorded",
});
writeFileSync(file.replace(/\.json$/, ".md"), report);
console.log(report);
