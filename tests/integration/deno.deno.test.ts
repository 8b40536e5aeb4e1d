import { serveDeno } from "../../adapters/deno.ts";
import { scenarioSuite } from "./scenarios/index.ts";

scenarioSuite({ name: "deno", listen: async (server, port = 0) => serveDeno(server, { port, hostname: "127.0.0.1" }) });
