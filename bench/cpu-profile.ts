import { WebSocket } from 'undici';

/** The parts of a V8 CPU profile (Profiler.stop) that the summary reads. */
interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string };
    readonly children?: readonly number[];
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface Share {
  readonly name: string;
  /** Of the sampled time when the service was not idle. */
  readonly share: number;
}

export interface ProfileSummary {
  readonly busyShare: number;
  /** Where the busy time was spent, by whose code was running (self time). */
  readonly layers: readonly Share[];
  /** Time inside (and below) some of the service's own functions. */
  readonly within: readonly Share[];
}

const SAMPLING_INTERVAL_US = 200;

/**
 * The service's functions whose inclusive time the summary reports, by the name V8 gives them. Only functions too big
 * to be inlined into their callers, whose frames would then carry the caller's name.
 */
const ENTRY_POINTS: readonly { readonly name: string; readonly functionName: string; readonly file: string }[] = [
  {
    name: 'the admin guard (authenticate + admin check)',
    functionName: 'canActivate',
    file: 'system-administrators.guard',
  },
  {
    name: 'the checks (MembershipCheck.verdict: HEAD and the admin check)',
    functionName: 'verdict',
    file: 'membership-check',
  },
  {
    name: 'error answers (ErrorModelFilter: the Error model, its log line, writing the response)',
    functionName: 'catch',
    file: 'error-model.filter',
  },
];

/**
 * Samples the service's CPU through its inspector (started with --inspect on `inspectorPort`) while `run` runs, so
 * that the profile holds that run only, not the start-up or the warm-up.
 */
export async function profileWhile(inspectorPort: number, run: () => Promise<void>): Promise<CpuProfile> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json()) as {
    webSocketDebuggerUrl: string;
  }[];
  const socket = new WebSocket(targets[0].webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', reject, { once: true });
  });
  const pending = new Map<number, (result: unknown) => void>();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) {
      pending.get(message.id)?.(message.result);
      pending.delete(message.id);
    }
  });
  let lastId = 0;
  const call = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve) => {
      const id = ++lastId;
      pending.set(id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
  try {
    await call('Profiler.enable');
    await call('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
    await call('Profiler.start');
    await run();
    const { profile } = (await call('Profiler.stop')) as { profile: CpuProfile };
    return profile;
  } finally {
    socket.close();
  }
}

export function summarizeProfile(profile: CpuProfile): ProfileSummary {
  const selfTime = new Map<number, number>();
  profile.samples.forEach((node, i) => selfTime.set(node, (selfTime.get(node) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) {
      parentOf.set(child, node.id);
    }
  }

  let total = 0;
  let idle = 0;
  const layers = new Map<string, number>();
  const within = new Map<string, number>();
  for (const [id, time] of selfTime) {
    const node = byId.get(id);
    if (!node) {
      continue;
    }
    total += time;
    const layer = layerOf(node.callFrame);
    if (layer === undefined) {
      idle += time;
      continue;
    }
    layers.set(layer, (layers.get(layer) ?? 0) + time);
    const entered = new Set<string>();
    for (let ancestor: number | undefined = id; ancestor !== undefined; ancestor = parentOf.get(ancestor)) {
      const frame = byId.get(ancestor)?.callFrame;
      const entry = ENTRY_POINTS.find(
        (point) => frame?.functionName === point.functionName && frame.url.includes(point.file),
      );
      if (entry && !entered.has(entry.name)) {
        entered.add(entry.name);
        within.set(entry.name, (within.get(entry.name) ?? 0) + time);
      }
    }
  }
  const busy = total - idle;
  const shares = (times: Map<string, number>) =>
    [...times].map(([name, time]) => ({ name, share: time / busy })).sort((a, b) => b.share - a.share);
  return {
    busyShare: busy / total,
    layers: shares(layers),
    within: ENTRY_POINTS.map((point) => ({ name: point.name, share: (within.get(point.name) ?? 0) / busy })),
  };
}

/** Whose code a frame is; undefined for idle time. */
function layerOf({ functionName, url }: { functionName: string; url: string }): string | undefined {
  if (functionName === '(idle)') {
    return undefined;
  }
  if (functionName === '(garbage collector)') {
    return 'garbage collection';
  }
  if (url.includes('/libs/directory/')) {
    return 'the service: libs/directory (caches, walk)';
  }
  if (url.includes('/apps/security-api/')) {
    return 'the service: apps/security-api (guard, pipe, controller, filter)';
  }
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (dependency?.startsWith('@nestjs/')) {
    return 'NestJS';
  }
  if (dependency === 'express' || dependency === 'router' || dependency === 'finalhandler' || dependency === 'send') {
    return 'Express and its router';
  }
  if (dependency !== undefined) {
    return 'other packages';
  }
  return 'Node.js (HTTP, sockets, timers, promises, natives)';
}
