import { serveNode } from "../../adapters/node.ts";
import { scenarioSuite } from "./scenarios/index.ts";

scenarioSuite({ name: "node", listen: (server) => serveNode(server, { port: 0, hostname: "127.0.0.1" }) });
