/**
 * Tools from Debian packages that a test runner needs (promtool and prometheus from `prometheus`, chromium):
 * the path of the binary, installed with apt-get when it is missing and we are root, otherwise an error that
 * names the package. Never a silent skip.
 */
import { execFileSync } from "node:child_process";
import process from "node:process";

function which(binary: string): string | undefined {
  try {
    return execFileSync("which", [binary], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The path of `binary`, installing Debian package `pkg` first when it is missing and this process is root. */
export function requireBinary(binary: string, pkg: string): string {
  const found = which(binary);
  if (found) return found;
  if (process.getuid?.() === 0) {
    try {
      execFileSync("apt-get", ["update", "-qq"], { stdio: "ignore" });
      execFileSync("apt-get", ["install", "-y", "-qq", pkg], {
        stdio: "ignore",
        env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      });
    } catch (error) {
      throw new Error(`${binary} is missing and installing the Debian package ${pkg} failed: ${(error as Error).message}`);
    }
    const installed = which(binary);
    if (installed) return installed;
  }
  throw new Error(
    `${binary} is not installed: install the Debian package ${pkg} (apt-get install ${pkg}); scripts/test.sh and .ci/run do when root`,
  );
}
