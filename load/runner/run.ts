import type { ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot, startProcess, stopProcess } from '../bench/processes';
import { pidsFromFiles, startCpuMeter } from './cpu';
import { loadRunnerEnv, servicesEnv } from './env';
import { createTrpcClient } from './http';
import { createMixPicker, seededRandom, thinkTimeMs } from './mix';
import { startPgbouncerSampler } from './pgbouncer';
import { startProgress } from './progress';
import { loadScenarioFile, peakVus, planRun, scenariosFile } from './scenarios';
import { Scheduler } from './scheduler';
import { archiveCreated, freePort, identityFor, loadIdentities, provisionIdentities, retireIdentities } from './setup';
import { Recorder } from './stats';
import { buildSummary, formatSummary, writeReport } from './summary';
import { VirtualUser } from './virtual-user';

const USAGE = `usage: npm run load -- <scenario> [--quick] [--url http://127.0.0.1:4000] [--seconds N] [--vus N] [--json file] [--seed N] [--keep-data]
  scenario   one of the scenarios in load/scenarios.json (baseline, stress, spike, soak)
  --quick    the scenario's node.quick stages (a smoke-sized run)
  --url      drive running services; without it the runner starts its own (DEV_LOGIN=true) and stops it after
  --seconds  length of the steady stage; --vus: scale the stages so the peak is N VUs
  --json     report file (default .stack/reports/load-<scenario>.json)
  --seed     seed the mix and think-time random numbers
  --scenarios  another scenarios file (same shape as load/scenarios.json), to try a different mix
  --keep-data  do not archive the blueprints the run created, or retire the tenants it made
  --seeded-tenants  run as users of the existing tenants in scenarios.json data.tenants (as k6 does) instead of
               tenants made for the run (the default when DATABASE_OWNER_URL is set)`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: 'boolean', default: false },
    url: { type: 'string' },
    seconds: { type: 'string' },
    vus: { type: 'string' },
    json: { type: 'string' },
    seed: { type: 'string' },
    scenarios: { type: 'string' },
    'keep-data': { type: 'boolean', default: false },
    'seeded-tenants': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

function positiveInt(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number, got "${text}"`);
  return n;
}

async function main(): Promise<number> {
  const name = positionals[0];
  if (values.help || !name) {
    console.log(USAGE);
    return name || values.help ? 0 : 2;
  }
  const scenariosPath = values.scenarios ? resolve(process.cwd(), values.scenarios) : scenariosFile;
  const file = loadScenarioFile(scenariosPath);
  const plan = planRun(file, name, { quick: values.quick, seconds: positiveInt('seconds', values.seconds), vus: positiveInt('vus', values.vus) });
  const env = loadRunnerEnv();
  const seed = positiveInt('seed', values.seed);
  const random = seed === undefined ? Math.random : seededRandom(seed);
  const runId = `load-${name}-${Date.now().toString(36)}`;
  const reportFile = resolve(repoRoot, values.json ?? `.stack/reports/load-${name}.json`);
  const peak = peakVus(plan.stages);

  let services: ChildProcess | undefined;
  let url = values.url?.replace(/\/$/, '');
  const stopServices = async () => {
    if (services) await stopProcess(services);
    services = undefined;
  };
  process.once('SIGINT', () => void stopServices().finally(() => process.exit(130)));
  try {
    if (!url) {
      const port = await freePort(4301);
      process.stderr.write(`load: starting services on port ${port}…\n`);
      services = await startProcess('services', 'apps/services/src/server.ts', [], servicesEnv(env, port), `http://127.0.0.1:${port}/readyz`);
      url = `http://127.0.0.1:${port}`;
    }
    const client = createTrpcClient(url, peak + 8);
    const ownerUrl = values['seeded-tenants'] ? undefined : env.DATABASE_OWNER_URL;
    if (ownerUrl) process.stderr.write(`load: making ${Math.ceil(peak / file.data.provision.usersPerTenant)} tenants of ${file.data.provision.usersPerTenant} users for this run…\n`);
    else process.stderr.write(`load: running as users of ${file.data.tenants.join(', ')}${values['seeded-tenants'] ? '' : ' (no DATABASE_OWNER_URL to make tenants of its own)'}\n`);
    const identities = ownerUrl ? await provisionIdentities(ownerUrl, file.data, runId.replace(/^load-/, ''), peak) : await loadIdentities(client, file.data);
    const recorder = new Recorder();
    const ctx = { client, recorder, data: file.data, runId, pick: createMixPicker(plan.mix, random), random };
    const vus: VirtualUser[] = [];
    const vuAt = (index: number): VirtualUser => {
      let vu = vus[index];
      if (!vu) {
        const { user, writer } = identityFor(identities, index);
        vu = new VirtualUser(index + 1, ctx, user, writer);
        vus[index] = vu;
      }
      return vu;
    };
    let iterationErrors = 0;
    const scheduler = new Scheduler({
      stages: plan.stages,
      iterate: (index) => vuAt(index).iterate(),
      thinkMs: () => thinkTimeMs(plan.thinkTimeSeconds, random),
      onError: (error) => {
        iterationErrors += 1;
        if (iterationErrors <= 3) process.stderr.write(`\nload: an iteration threw: ${(error as Error).stack ?? String(error)}\n`);
      },
    });

    process.stderr.write(`load: ${name}${plan.variant === 'quick' ? ' (quick)' : ''}, up to ${peak} VUs for ${scheduler.totalSeconds}s against ${url}, run id ${runId}\n`);
    const startedAt = new Date().toISOString();
    const sampler = await startPgbouncerSampler(env.PGBOUNCER_ADMIN_URL);
    const stackDir = env.STACK_DIR ?? resolve(repoRoot, '.stack');
    const cpuMeter = startCpuMeter(services?.pid, pidsFromFiles(['pg/data/postmaster.pid', 'pgbouncer/pgbouncer.pid', 'redis/redis.pid'].map((f) => resolve(stackDir, f))));
    const progress = startProgress(scheduler, recorder);
    const { seconds, unfinished } = await scheduler.run();
    progress.stop();
    const cpuReport = cpuMeter.stop();
    const pgbouncer = await sampler.stop();
    if (unfinished > 0) process.stderr.write(`load: ${unfinished} VUs were still in a request when the graceful stop ran out\n`);

    const cpu = cpus();
    const summary = buildSummary(
      plan,
      { runId, url, managedServices: services !== undefined, scenariosFile: relative(repoRoot, scenariosPath), startedAt, seconds, peakVus: peak, machine: { cores: cpu.length, cpu: cpu[0]?.model.trim() ?? 'unknown cpu', node: process.version } },
      recorder,
      pgbouncer,
      cpuReport,
      scheduler.startedAt,
    );

    if (!values['keep-data'] && identities.provisioned && ownerUrl) {
      const retired = await retireIdentities(ownerUrl, identities.provisioned.runId);
      process.stderr.write(`load: suspended the ${retired} tenants made for this run\n`);
    } else if (!values['keep-data']) {
      const { archived, failed } = await archiveCreated(client, identities, vus.filter(Boolean));
      process.stderr.write(`load: archived ${archived} blueprints this run created${failed ? ` (${failed} could not be archived)` : ''}\n`);
    }
    client.close();
    await stopServices();

    console.log(formatSummary(summary));
    writeReport(reportFile, summary);
    console.log(`  report: ${reportFile}`);
    if (iterationErrors > 0) console.log(`  ${iterationErrors} iterations threw (a runner bug, not a server error): see the messages above`);
    return summary.passed && iterationErrors === 0 ? 0 : 1;
  } finally {
    await stopServices();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`load: ${(error as Error).message}`);
    process.exit(1);
  },
);
