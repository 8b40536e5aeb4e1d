import { redisClusterSuite } from "./redis/cluster-suite.ts";
import { redisRecoverySuite } from "./redis/recovery-suite.ts";

redisClusterSuite();
redisRecoverySuite();
