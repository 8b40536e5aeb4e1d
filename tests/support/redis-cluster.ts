/**
 * A private Redis Cluster for one test file or benchmark: six `redis-server --cluster-enabled yes` on free
 * loopback ports below 55535 (Redis refuses a cluster-bus port above 65535, and the bus port is explicit),
 * joined by `redis-cli --cluster create --cluster-replicas 1` into 3 masters + 3 replicas, with
 * `cluster-node-timeout 2000` so a killed master is replaced within seconds. Every process is started and
 * ended by PID; nothing touches the standard ports. Runs on Bun, Deno and Node (node:child_process).
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";

/** One redis-server of the cluster. */
export interface ClusterNodeProcess {
  readonly port: number;
  readonly busPort: number;
  readonly pid: number;
  /** True until it was killed. */
  alive(): boolean;
}

/** A running private Redis Cluster. */
export interface RedisClusterProcess {
  readonly nodes: readonly ClusterNodeProcess[];
  /** `host:port` of every node, for `createCluster({ rootNodes })` or the REDIS_CLUSTER variable. */
  readonly seeds: string[];
  /** The `REDIS_CLUSTER` value of the examples: comma-separated `host:port` seeds. */
  readonly seedList: string;
  /** The node that is master of `slot` now, as the cluster reports it. */
  masterOf(slot: number): Promise<ClusterNodeProcess>;
  /** Kills a node with SIGKILL (by PID) and waits for its exit. */
  kill(node: ClusterNodeProcess): Promise<void>;
  /** Resolves once a live node other than `old` serves `slot` as master and the cluster state is ok. */
  waitForNewMaster(slot: number, old: ClusterNodeProcess, limitMs: number): Promise<ClusterNodeProcess>;
  /** Kills every node by PID and removes the temporary directory. */
  stop(): Promise<void>;
}

const LOWEST = 20000;
const HIGHEST = 55535;
const taken = new Set<number>();

/** A free loopback port in [20000, 55535), never one handed out before in this process. */
export async function freeLowPort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * (HIGHEST - LOWEST));
    if (taken.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once("error", () => resolve(false));
      probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
    });
    if (free) {
      taken.add(port);
      return port;
    }
  }
  throw new Error(`no free port between ${LOWEST} and ${HIGHEST} after 200 attempts`);
}

/** Runs redis-cli with arguments; resolves with its stdout. */
export function redisCli(args: string[], timeoutMs = 30000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("redis-cli", args, { timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) reject(new Error(`redis-cli ${args.join(" ")} failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolve(String(stdout));
    });
  });
}

function launch(port: number, busPort: number, dir: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const args = [
      "--port",
      String(port),
      "--cluster-port",
      String(busPort),
      "--cluster-enabled",
      "yes",
      "--cluster-config-file",
      join(dir, `nodes-${port}.conf`),
      "--cluster-node-timeout",
      "2000",
      // a replica may always take over, however long it was out of touch
      "--cluster-replica-validity-factor",
      "0",
      "--bind",
      "127.0.0.1",
      "--dir",
      dir,
      "--save",
      "",
      "--appendonly",
      "no",
      "--protected-mode",
      "no",
    ];
    const proc = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const timer = setTimeout(() => reject(new Error(`redis-server :${port} did not start within 10 s:\n${output}`)), 10000);
    proc.stdout?.on("data", (chunk: Uint8Array) => {
      output += String(chunk);
      if (output.includes("Ready to accept connections")) {
        clearTimeout(timer);
        resolve(proc);
      }
    });
    proc.once("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`could not run redis-server (is it installed?): ${error.message}`));
    });
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server :${port} exited with ${code}:\n${output}`));
    });
  });
}

/** `CLUSTER NODES` as seen by one node: port, role and slot ranges of each live node. */
async function clusterNodes(port: number): Promise<Array<{ port: number; master: boolean; failed: boolean; slots: string[] }>> {
  const text = await redisCli(["-h", "127.0.0.1", "-p", String(port), "cluster", "nodes"], 5000);
  return text
    .trim()
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => {
      const fields = line.split(" ");
      const address = fields[1] ?? "";
      return {
        port: Number(/:(\d+)@/.exec(address)?.[1] ?? 0),
        master: (fields[2] ?? "").includes("master"),
        failed: /fail/.test(fields[2] ?? ""),
        slots: fields.slice(8),
      };
    });
}

function inRanges(slot: number, ranges: string[]): boolean {
  return ranges.some((range) => {
    if (range.startsWith("[")) return false;
    const [from, to] = range.split("-").map(Number) as [number, number | undefined];
    return slot >= from && slot <= (to ?? from);
  });
}

async function clusterOk(port: number): Promise<boolean> {
  try {
    return (await redisCli(["-h", "127.0.0.1", "-p", String(port), "cluster", "info"], 5000)).includes("cluster_state:ok");
  } catch {
    return false;
  }
}

/** Polls every 100 ms until `check` is true; throws after `limitMs` (a bound on the wait). */
async function until(what: string, limitMs: number, check: () => Promise<boolean>): Promise<void> {
  const started = Date.now();
  for (let i = 0; i < 10_000 && Date.now() - started < limitMs; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not within ${limitMs} ms`);
}

/** Starts six nodes, creates the cluster (3 masters, 3 replicas) and waits until every node reports it ok. */
export async function startRedisCluster(): Promise<RedisClusterProcess> {
  const dir = mkdtempSync(join(tmpdir(), "sockeon-redis-cluster-"));
  const children: ChildProcess[] = [];
  const nodes: ClusterNodeProcess[] = [];
  const kill = async (proc: ChildProcess): Promise<void> => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    process.kill(proc.pid as number, "SIGKILL");
    await exited;
  };
  const stop = async (): Promise<void> => {
    await Promise.all(children.map(kill));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < 6; i++) {
      const port = await freeLowPort();
      const busPort = await freeLowPort();
      const proc = await launch(port, busPort, dir);
      children.push(proc);
      nodes.push({ port, busPort, pid: proc.pid as number, alive: () => proc.exitCode === null && proc.signalCode === null });
    }
    const seeds = nodes.map((n) => `127.0.0.1:${n.port}`);
    await redisCli(["--cluster", "create", ...seeds, "--cluster-replicas", "1", "--cluster-yes"], 60000);
    await until("every node reports cluster_state:ok", 30000, async () =>
      (await Promise.all(nodes.map((n) => clusterOk(n.port)))).every(Boolean),
    );
    // every node knows 3 masters with slots and 3 replicas
    await until("every node sees 3 masters and 3 replicas", 30000, async () => {
      const views = await Promise.all(nodes.map((n) => clusterNodes(n.port)));
      return views.every((v) => v.length === 6 && v.filter((x) => x.master && x.slots.length > 0).length === 3);
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const byPort = (port: number): ClusterNodeProcess => {
    const node = nodes.find((n) => n.port === port);
    if (!node) throw new Error(`no cluster node on port ${port}`);
    return node;
  };
  const masterOf = async (slot: number, exclude?: ClusterNodeProcess): Promise<ClusterNodeProcess | undefined> => {
    const asker = nodes.find((n) => n.alive() && n !== exclude);
    if (!asker) return undefined;
    const master = (await clusterNodes(asker.port)).find((x) => x.master && !x.failed && inRanges(slot, x.slots));
    return master ? byPort(master.port) : undefined;
  };
  return {
    nodes,
    seeds: nodes.map((n) => `127.0.0.1:${n.port}`),
    seedList: nodes.map((n) => `127.0.0.1:${n.port}`).join(","),
    async masterOf(slot) {
      const master = await masterOf(slot);
      if (!master) throw new Error(`no master serves slot ${slot}`);
      return master;
    },
    async kill(node) {
      const proc = children.find((c) => c.pid === node.pid);
      if (proc) await kill(proc);
    },
    async waitForNewMaster(slot, old, limitMs) {
      let found: ClusterNodeProcess | undefined;
      await until(`a replica takes over slot ${slot}`, limitMs, async () => {
        found = await masterOf(slot, old).catch(() => undefined);
        if (!found || found === old || !found.alive()) return false;
        return clusterOk(found.port);
      });
      return found as ClusterNodeProcess;
    },
    stop,
  };
}

/** The cluster slot of a key or channel (CRC16/XMODEM of its hash tag, or of the whole name), as Redis computes it. */
export function keySlot(key: string): number {
  const open = key.indexOf("{");
  if (open !== -1) {
    const close = key.indexOf("}", open + 1);
    if (close > open + 1) key = key.slice(open + 1, close);
  }
  let crc = 0;
  for (const byte of new TextEncoder().encode(key)) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % 16384;
}
