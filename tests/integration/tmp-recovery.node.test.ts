import { redisRecoverySuite } from "./redis/recovery-suite.ts";

redisRecoverySuite();
