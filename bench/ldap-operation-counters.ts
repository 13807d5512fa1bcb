import { Client } from 'ldapts';

export interface OperationCounts {
  readonly all: number;
  readonly bind: number;
  readonly unbind: number;
  readonly search: number;
}

// slapd's monitor backend: one entry per operation type below the total.
const OPERATIONS = 'cn=Operations,cn=Monitor';
const COUNTED: Readonly<Record<string, keyof OperationCounts>> = {
  Operations: 'all',
  Bind: 'bind',
  Unbind: 'unbind',
  Search: 'search',
};

/**
 * Counts the operations slapd itself completes while `run` runs, from its monitor counters (monitorOpCompleted).
 * The counters are read on one connection bound for the whole measurement, and what reading them costs is measured
 * by two reads back to back before `run` starts, and subtracted.
 */
export async function countOperations<T>(
  url: string,
  account: { readonly dn: string; readonly password: string },
  run: () => Promise<T>,
): Promise<{ result: T; operations: OperationCounts }> {
  const client = new Client({ url });
  await client.bind(account.dn, account.password);
  try {
    const first = await readCounters(client);
    const before = await readCounters(client);
    const oneRead = difference(before, first);
    const result = await run();
    const after = await readCounters(client);
    return { result, operations: difference(difference(after, before), oneRead) };
  } finally {
    await client.unbind();
  }
}

async function readCounters(client: Client): Promise<OperationCounts> {
  const { searchEntries } = await client.search(OPERATIONS, { scope: 'sub', attributes: ['monitorOpCompleted'] });
  const counts: Partial<Record<keyof OperationCounts, number>> = {};
  for (const entry of searchEntries) {
    const counter = COUNTED[/^cn=([^,]+),/i.exec(entry.dn)?.[1] ?? ''];
    if (counter) {
      counts[counter] = Number(entry.monitorOpCompleted);
    }
  }
  const missing = Object.values(COUNTED).filter((counter) => counts[counter] === undefined);
  if (missing.length > 0) {
    throw new Error(`No monitorOpCompleted under ${OPERATIONS} for ${missing.join(', ')}: is cn=Monitor readable?`);
  }
  return counts as OperationCounts;
}

function difference(later: OperationCounts, earlier: OperationCounts): OperationCounts {
  return {
    all: later.all - earlier.all,
    bind: later.bind - earlier.bind,
    unbind: later.unbind - earlier.unbind,
    search: later.search - earlier.search,
  };
}
