// The load generator (autocannon) in a process of its own, started by bench/http.ts for each
// measured endpoint. The benchmark's own process has just generated the estate (a 70-second,
// allocation-heavy job); autocannon sharing that heap measured the generator's garbage collection
// as server latency. Prints one JSON line: every response's latency and status, errors, timeouts,
// requests per second, for the warm-up and the timed run.
//   node --import tsx bench/load-worker.ts '{"url":…,"connections":20,"amount":1000,"headers":{…},"warmup":2000}'
import autocannon from "autocannon";

type Job = { url: string; connections: number; amount: number; headers: Record<string, string>; warmup?: number };
export type LoadRun = { times: number[]; statuses: Record<string, number>; errors: number; timeouts: number; rps: number };

async function run(job: Job, amount: number, connections: number): Promise<LoadRun> {
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  const instance = autocannon({ url: job.url, connections, amount, headers: job.headers, timeout: 60 });
  instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
    times.push(ms);
    statuses[status] = (statuses[status] ?? 0) + 1;
  });
  const result = await instance;
  return { times, statuses, errors: result.errors, timeouts: result.timeouts, rps: result.requests.average };
}

const job = JSON.parse(process.argv[2]) as Job;
const warm = job.warmup ? await run(job, job.warmup, Math.min(job.connections, job.warmup)) : null;
const timed = await run(job, job.amount, job.connections);
process.stdout.write(`${JSON.stringify({ warm, timed })}\n`);
