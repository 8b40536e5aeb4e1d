import { serveBun } from "../../adapters/bun.ts";
import { scenarioSuite } from "./scenarios/index.ts";

scenarioSuite({ name: "bun", listen: async (server, port = 0) => serveBun(server, { port, hostname: "127.0.0.1" }) });
