import { serveDeno } from "../../adapters/deno.ts";
import { scenarioSuite } from "./scenarios/index.ts";

scenarioSuite({ name: "deno", listen: async (server) => serveDeno(server, { port: 0, hostname: "127.0.0.1" }) });
