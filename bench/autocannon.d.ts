// The little of autocannon 9's API the benchmark uses (the package ships no types).
declare module "autocannon" {
  import type { EventEmitter } from "node:events";
  type Options = { url: string; connections?: number; amount?: number; duration?: number; headers?: Record<string, string>; method?: string; body?: string; timeout?: number };
  type Result = { errors: number; timeouts: number; non2xx: number; requests: { total: number; average: number }; latency: { p50: number; p90: number; p97_5: number; p99: number; average: number; max: number } };
  type Instance = EventEmitter & PromiseLike<Result>;
  function autocannon(opts: Options): Instance;
  export default autocannon;
}
