/**
 * Builds browser bundles in memory with esbuild, once per entry: the core stays free of any bundler, and the
 * example needs no build step before `npm start`.
 */
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const cache = new Map<string, Promise<string>>();

/**
 * The ESM bundle of a TypeScript entry point, relative to this example's directory.
 * @param entry e.g. `./browser.ts` or `../../client/index.ts`
 */
export function bundle(entry: string): Promise<string> {
  let built = cache.get(entry);
  if (!built) {
    built = build({
      entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      write: false,
      minify: true,
      legalComments: "none",
    }).then((result) => result.outputFiles[0]?.text ?? "");
    cache.set(entry, built);
  }
  return built;
}
