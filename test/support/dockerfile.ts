import { readFileSync } from 'node:fs';

export interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

export interface Stage {
  readonly name?: string;
  readonly instructions: readonly Instruction[];
}

/** A Dockerfile's stages and instructions: comments dropped, continuation lines joined. Enough for this repo's files. */
export function readDockerfile(path: string): Stage[] {
  const logicalLines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const stages: { name?: string; instructions: Instruction[] }[] = [];
  for (const line of logicalLines) {
    const [, keyword, args] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === 'FROM') {
      stages.push({ name: / AS (\S+)$/i.exec(args)?.[1], instructions: [] });
    }
    stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args });
  }
  return stages;
}

export const instructions = (stage: Stage, keyword: string): Instruction[] =>
  stage.instructions.filter((instruction) => instruction.keyword === keyword);

export const last = (stage: Stage, keyword: string): Instruction | undefined => instructions(stage, keyword).at(-1);

/** An exec-form (JSON array) argument list; shell form becomes ["/bin/sh", "-c", …] as Docker runs it. */
export function argv(args: string): string[] {
  return args.startsWith('[') ? (JSON.parse(args) as string[]) : ['/bin/sh', '-c', args];
}

/** ENV's KEY=value pairs (unquoted values, as this repo writes them). */
export function environmentOf(stage: Stage): Record<string, string> {
  return Object.fromEntries(
    instructions(stage, 'ENV').flatMap(({ args }) =>
      args.split(/\s+/).map((pair) => pair.split('=') as [string, string]),
    ),
  );
}

/** COPY's sources and destination, without flags such as --from. */
export function copyOf({ args }: Instruction): { from?: string; sources: string[]; destination: string } {
  const words = args.split(/\s+/);
  const from = words.find((word) => word.startsWith('--from='))?.slice('--from='.length);
  const paths = words.filter((word) => !word.startsWith('--'));
  return { from, sources: paths.slice(0, -1), destination: paths.at(-1) ?? '' };
}

/**
 * Whether .dockerignore keeps a path (relative to the context, "/"-separated) out of the build context: a pattern
 * matches the path or one of its parent folders. `*` stays within a folder and `**` spans folders, as Docker has it;
 * "!" exceptions are not used here and not supported.
 */
export function dockerIgnores(patterns: readonly string[], path: string): boolean {
  const parents = path.split('/').map((_, index, parts) => parts.slice(0, index + 1).join('/'));
  return patterns.some((pattern) => {
    if (pattern.startsWith('!')) {
      throw new Error(`exceptions in .dockerignore are not supported by this check: ${pattern}`);
    }
    const expression = new RegExp(
      `^${pattern
        .replace(/^\/+/, '')
        .split('**/')
        .map((part) =>
          part
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '[^/]*')
            .replace(/\?/g, '[^/]'),
        )
        .join('(?:.*/)?')}$`,
    );
    return parents.some((candidate) => expression.test(candidate));
  });
}

export function readDockerignore(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}
