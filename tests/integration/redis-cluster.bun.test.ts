import { redisClusterSuite } from "./redis/cluster-suite.ts";

redisClusterSuite("cluster");
