import { serveNode } from "../../adapters/node.ts";
import { scenarioSuite } from "./scenarios/index.ts";

scenarioSuite({ name: "node", listen: (server, port = 0) => serveNode(server, { port, hostname: "127.0.0.1" }) });
