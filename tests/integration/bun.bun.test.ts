import { serveBun } from "../../adapters/bun.ts";
import { scenarioSuite } from "./scenarios/index.ts";

scenarioSuite({ name: "bun", listen: async (server) => serveBun(server, { port: 0, hostname: "127.0.0.1" }) });
