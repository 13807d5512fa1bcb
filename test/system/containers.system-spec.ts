import { NestExpressApplication } from '@nestjs/platform-express';
import { getMetadataStorage } from 'class-validator';
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import ts from 'typescript';
import { parse as parseYaml } from 'yaml';
import { Environment, validateEnvironment } from '../../apps/security-api/src/config/environment';
import { listening } from '@test/support/check-load';
import {
  argv,
  copyOf,
  dockerIgnores,
  environmentOf,
  instructions,
  last,
  readDockerfile,
  readDockerignore,
  Stage,
} from '@test/support/dockerfile';
import { freePort } from '@test/support/free-port';
import { startSecurityApi } from '@test/support/security-api';

const ROOT = resolve(__dirname, '../..');
const run = promisify(execFile);

interface ComposeService {
  build?: string | { context: string; dockerfile?: string };
  environment?: Record<string, string>;
  entrypoint?: string[];
  command?: string[];
  expose?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  secrets?: string[];
  healthcheck?: { test: string[] };
}

interface Compose {
  services: Record<string, ComposeService>;
  secrets?: Record<string, { file: string }>;
}

const compose = parseYaml(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as Compose;
const SERVICE = 'security-api';

/** The folder and Dockerfile a compose service is built from. */
function buildOf(service: ComposeService): { context: string; dockerfile: string } {
  const build = typeof service.build === 'string' ? { context: service.build } : service.build;
  if (!build) {
    throw new Error('every service here is built from the repository');
  }
  const context = resolve(ROOT, build.context);
  return { context, dockerfile: join(context, build.dockerfile ?? 'Dockerfile') };
}

const finalStage = (service: ComposeService): Stage => readDockerfile(buildOf(service).dockerfile).at(-1)!;

/** The services an environment value names as URL hosts (ldap://provider:1389 → provider:1389). */
function urlTargets(environment: Record<string, string> = {}): { service: string; port: string }[] {
  return Object.values(environment).flatMap((value) =>
    [...String(value).matchAll(/[a-z]+:\/\/([\w-]+):(\d+)/g)]
      .filter((match) => match[1] in compose.services)
      .map((match) => ({ service: match[1], port: match[2] })),
  );
}

/** The service's own build, read by the compiler's rules: its output folder, its sources and the config files. */
function serviceProgram(): { config: ts.ParsedCommandLine; configFiles: string[] } {
  const nestCli = JSON.parse(readFileSync(join(ROOT, 'nest-cli.json'), 'utf8'));
  const configFiles = [resolve(ROOT, nestCli.projects[SERVICE].compilerOptions.tsConfigPath)];
  for (let extended = ts.readConfigFile(configFiles[0], ts.sys.readFile).config.extends; extended;) {
    configFiles.push(resolve(dirname(configFiles.at(-1)!), extended));
    extended = ts.readConfigFile(configFiles.at(-1)!, ts.sys.readFile).config.extends;
  }
  const config = ts.getParsedCommandLineOfConfigFile(
    configFiles[0],
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  if (!config) {
    throw new Error(`cannot read ${configFiles[0]}`);
  }
  return { config, configFiles };
}

describe('the service image (Dockerfile)', () => {
  const stages = readDockerfile(join(ROOT, 'Dockerfile'));
  const [build, runtime] = [stages.find((stage) => stage.name === 'build')!, stages.at(-1)!];
  const workdir = (stage: Stage) => last(stage, 'WORKDIR')!.args;
  const ignored = readDockerignore(join(ROOT, '.dockerignore'));
  const { config, configFiles } = serviceProgram();

  it('starts the file the build writes for main.ts, which the runtime stage copies from the build stage', () => {
    const main = ts
      .getOutputFileNames(config, join(ROOT, 'apps/security-api/src/main.ts'), false)
      .find((file) => file.endsWith('.js'))!;
    const started = argv(last(runtime, 'CMD')!.args);
    expect(started[0]).toBe('node');
    expect(resolve(ROOT, relative(workdir(runtime), resolve(workdir(runtime), started[1])))).toBe(main);
    const copiedFromBuild = instructions(runtime, 'COPY')
      .map(copyOf)
      .filter((copy) => copy.from === build.name);
    expect(copiedFromBuild).toContainEqual(
      expect.objectContaining({
        sources: [join(workdir(build), relative(ROOT, config.options.outDir!).split('/')[0])],
      }),
    );
    const startProd = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts['start:prod'] as string;
    expect(`${resolve(ROOT, startProd.split(' ')[1])}.js`).toBe(main);
  });

  it('copies into the build stage every file the compiler reads, none of them kept out by .dockerignore', () => {
    const copied = instructions(build, 'COPY').flatMap((copy) => copyOf(copy).sources);
    const needed = [
      ...config.fileNames,
      ...configFiles,
      join(ROOT, 'nest-cli.json'),
      join(ROOT, 'package-lock.json'),
    ].map((file) => relative(ROOT, file));
    expect(needed.length).toBeGreaterThan(20);
    const missing = needed.filter(
      (file) =>
        !copied.some((source) => file === source || file.startsWith(`${source}/`)) || dockerIgnores(ignored, file),
    );
    expect(missing).toEqual([]);
  });

  it('installs production dependencies only, and everything the service imports is one', () => {
    const installs = instructions(runtime, 'RUN').filter(({ args }) => /\bnpm ci\b/.test(args));
    expect(installs).toEqual([expect.objectContaining({ args: expect.stringContaining('--omit=dev') })]);
    const { dependencies } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const imported = new Set(
      config.fileNames.flatMap((file) =>
        [
          ...readFileSync(file, 'utf8').matchAll(/^(?:import|export)\s+(?!type\b)(?:[^;]*?\sfrom\s+)?'([^'.][^']*)'/gm),
        ].map((match) => match[1]),
      ),
    );
    const packages = [...imported]
      .filter(
        (specifier) =>
          !specifier.startsWith('node:') && !specifier.startsWith('@app/') && !builtinModules.includes(specifier),
      )
      .map((specifier) =>
        specifier
          .split('/')
          .slice(0, specifier.startsWith('@') ? 2 : 1)
          .join('/'),
      );
    expect(packages).toContain('@nestjs/swagger');
    expect([...new Set(packages)].filter((name) => !(name in dependencies))).toEqual([]);
  });

  it('runs as a user other than root', () => {
    expect(last(runtime, 'USER')?.args).toMatch(/^(?!root\b|0\b)\S+/);
  });

  it('keeps local dependencies, builds, test output and history out of the build context', () => {
    const kept = [
      'node_modules/ldapts/package.json',
      'dist/apps/x.js',
      '.git/HEAD',
      'coverage/lcov.info',
      '.jest-results.json',
      'bench/results/latest.md',
      'test/e2e/x.e2e-spec.ts',
    ];
    expect(kept.filter((path) => !dockerIgnores(ignored, path))).toEqual([]);
  });

  describe('HEALTHCHECK', () => {
    const healthcheck = last(runtime, 'HEALTHCHECK')!.args;
    const probe = argv(healthcheck.slice(healthcheck.indexOf('CMD ') + 'CMD '.length));
    let app: NestExpressApplication;
    let port: string;

    const probeExitCode = (onPort: string) =>
      new Promise<number | null>((resolveCode) => {
        const child = spawn(probe[0], probe.slice(1), {
          env: { PATH: process.env.PATH ?? '', PORT: onPort },
          stdio: 'ignore',
        });
        child.on('exit', (code) => resolveCode(code));
      });

    beforeAll(async () => {
      // No directory listens there: liveness must not depend on it.
      ({ app } = await startSecurityApi({
        LDAP_URL: `ldap://127.0.0.1:${await freePort()}`,
        LDAP_BIND_DN: 'cn=nobody',
        LDAP_BIND_PASSWORD: 'x',
        LDAP_BASE_DN: 'dc=example',
      }));
      port = new URL(await listening(app)).port;
    });

    afterAll(async () => {
      await app?.close();
    });

    it('is healthy while the service serves, even with the directory down', async () => {
      expect((await request(app.getHttpServer()).get('/health/ready')).status).toBe(503);
      expect(await probeExitCode(port)).toBe(0);
    });

    it('is unhealthy where nothing answers', async () => {
      expect(await probeExitCode(String(await freePort()))).not.toBe(0);
    });
  });
});

describe('docker-compose.yml', () => {
  const api = compose.services[SERVICE];
  /** The compose secret files, where the service reads them in its container. */
  const secretPaths = Object.fromEntries(
    Object.entries(compose.secrets ?? {}).map(([name, { file }]) => [`/run/secrets/${name}`, resolve(ROOT, file)]),
  );
  const onThisHost = (environment: Record<string, string>): Record<string, string> =>
    Object.fromEntries(Object.entries(environment).map(([name, value]) => [name, secretPaths[value] ?? value]));

  it('gives the service an environment its own validation accepts, reading the secret files compose mounts', () => {
    const environment = validateEnvironment(onThisHost(api.environment ?? {}));
    expect(environment.LDAP_BIND_PASSWORD).toBe('service-secret');
    expect(api.secrets?.every((name) => existsSync(resolve(ROOT, compose.secrets?.[name]?.file ?? '')))).toBe(true);
  });

  it('sets only variables the service reads, each described in docs/configuration.md', () => {
    const known = new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(Environment, '', true, false)
        .map((meta) => meta.propertyName),
    );
    const readme = readFileSync(join(ROOT, 'docs/configuration.md'), 'utf8');
    for (const name of Object.keys(api.environment ?? {})) {
      expect({ name, read: known.has(name), described: readme.includes(`\`${name}\``) }).toEqual({
        name,
        read: true,
        described: true,
      });
    }
  });

  it('publishes the port the service listens on and its image exposes', () => {
    const { PORT } = validateEnvironment(onThisHost(api.environment ?? {}));
    expect(api.ports?.map((mapping) => mapping.split(':').at(-1))).toEqual([String(PORT)]);
    expect(instructions(finalStage(api), 'EXPOSE').map(({ args }) => args)).toContain(String(PORT));
  });

  it('points every URL at a service that exposes that port, and waits for it to be healthy', () => {
    const dependents = Object.entries(compose.services).filter(
      ([, service]) => urlTargets(service.environment).length > 0,
    );
    expect(dependents.map(([name]) => name).sort()).toEqual(['replica', SERVICE]);
    for (const [name, service] of dependents) {
      for (const target of urlTargets(service.environment)) {
        const targetService = compose.services[target.service];
        expect({ name, target, exposed: targetService.expose ?? [] }).toEqual({
          name,
          target,
          exposed: expect.arrayContaining([target.port]),
        });
        expect(instructions(finalStage(targetService), 'EXPOSE').map(({ args }) => args)).toContain(target.port);
        expect({ name, dependsOn: service.depends_on?.[target.service] }).toEqual({
          name,
          dependsOn: { condition: 'service_healthy' },
        });
        expect(targetService.healthcheck ?? last(finalStage(targetService), 'HEALTHCHECK')).toBeDefined();
      }
    }
    expect(urlTargets(api.environment).map(({ service }) => service)).toEqual(['provider', 'replica']);
  });

  /**
   * The LDAP services as their containers would run them, on this machine: the image's entrypoint (or the
   * service's) with the image's and the service's environment, container paths mapped to the files the image copies,
   * each port to a free loopback one. Then the service with the compose environment, and the file's own commands.
   */
  describe('run without a container engine', () => {
    const ldapServices = ['provider', 'replica'] as const;
    const running = new Map<string, { child: ChildProcess; port: number; dataDir: string; script: string }>();
    let app: NestExpressApplication;
    let baseUrl: string;

    /** Container paths → this machine's: what the image's COPY instructions put there. */
    function copiedFiles(service: ComposeService): Record<string, string> {
      const { context, dockerfile } = buildOf(service);
      return Object.fromEntries(
        instructions(readDockerfile(dockerfile).at(-1)!, 'COPY')
          .map(copyOf)
          .flatMap(({ sources, destination }) =>
            sources.map((source) => [join(destination, source), join(context, source)]),
          ),
      );
    }

    /** compose host:port → the loopback port this test started that service on. */
    const hostPorts = (value: string): string =>
      value.replace(/([a-z]+:\/\/)([\w-]+):(\d+)/g, (whole, scheme: string, host: string) =>
        running.has(host) ? `${scheme}127.0.0.1:${running.get(host)!.port}` : whole,
      );

    async function startLdapService(name: string): Promise<void> {
      const service = compose.services[name];
      const image = finalStage(service);
      const command = [...(service.entrypoint ?? argv(last(image, 'ENTRYPOINT')!.args)), ...(service.command ?? [])];
      const files = copiedFiles(service);
      // slapd.sh's interface: run DIR PORT [LDIF ...], staying in the foreground.
      const [script, verb, , containerPort, ...ldifs] = command;
      expect({ name, script: script in files, verb, port: service.expose }).toEqual({
        name,
        script: true,
        verb: 'run',
        port: [containerPort],
      });
      const port = await freePort();
      const dataDir = await mkdtemp(join(tmpdir(), `compose-${name}-`));
      const environment = { ...environmentOf(image), ...(service.environment ?? {}), SLAPD_LISTEN_HOST: '127.0.0.1' };
      const child = spawn(files[script], [verb, dataDir, String(port), ...ldifs.map((ldif) => files[ldif] ?? ldif)], {
        env: {
          ...process.env,
          ...Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, hostPorts(value)])),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      running.set(name, { child, port, dataDir, script: files[script] });
      let output = '';
      child.stderr?.on('data', (chunk) => (output += chunk));
      // slapd.sh prints the server's URL once it is ready and its LDIF is loaded.
      await new Promise<void>((resolveReady, reject) => {
        child.stdout?.on('data', (chunk) => {
          output += chunk;
          if (/^ldap:\/\//m.test(output)) {
            resolveReady();
          }
        });
        child.on('exit', (code) => reject(new Error(`${name} exited ${code}: ${output}`)));
      });
      await healthy(name);
    }

    /** The image's HEALTHCHECK, retried as the engine would until it passes. */
    async function healthy(name: string, timeoutMs = 20_000): Promise<void> {
      const service = compose.services[name];
      const healthcheck = last(finalStage(service), 'HEALTHCHECK')!.args;
      const probe = argv(healthcheck.slice(healthcheck.indexOf('CMD ') + 'CMD '.length));
      const onHost = probe.map((word) => word.replace(/:1389\b/g, `:${running.get(name)!.port}`));
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        try {
          await run(onHost[0], onHost.slice(1), { env: { ...process.env, LDAPNOINIT: '1' } });
          return;
        } catch (error) {
          if (Date.now() > deadline) {
            throw new Error(`${name} was not healthy within ${timeoutMs} ms: ${String(error)}`, { cause: error });
          }
          await new Promise((resolveDelay) => setTimeout(resolveDelay, 100));
        }
      }
    }

    /** docker stop: SIGTERM to the entrypoint; resolves with its exit code. */
    async function stop(name: string): Promise<number | null> {
      const { child } = running.get(name)!;
      if (child.exitCode !== null || child.signalCode !== null) {
        return child.exitCode;
      }
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      return code;
    }

    /** The curl commands of the file's header, sent to the service here. */
    function headerCommands(): { method: 'head' | 'get'; path: string; authorization?: string }[] {
      const header = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('#'));
      return header
        .filter((line) => /^#\s+curl /.test(line))
        .map((line) => {
          const words = line
            .replace(/^#\s+curl\s+/, '')
            .replace(/\s+#.*$/, '')
            .split(/\s+/);
          const user = words[words.indexOf('-u') + 1];
          const url = new URL(words.at(-1)!);
          expect(url.port).toBe(api.ports?.[0].split(':').at(-2));
          return {
            method: words.includes('-I') ? 'head' : 'get',
            path: url.pathname,
            authorization: words.includes('-u') ? `Basic ${Buffer.from(user).toString('base64')}` : undefined,
          };
        });
    }

    beforeAll(async () => {
      for (const name of ldapServices) {
        await startLdapService(name);
      }
      const environment = Object.fromEntries(
        Object.entries(onThisHost(api.environment ?? {})).map(([key, value]) => [key, hostPorts(value)]),
      );
      ({ app } = await startSecurityApi(environment));
      baseUrl = await listening(app);
    });

    afterAll(async () => {
      await app?.close();
      for (const [name, { dataDir, script }] of running) {
        await stop(name);
        await run(script, ['stop', dataDir]).catch(() => undefined);
        await rm(dataDir, { recursive: true, force: true });
      }
    });

    it("answers the file's own example commands", async () => {
      const commands = headerCommands();
      expect(commands.length).toBeGreaterThanOrEqual(2);
      for (const { method, path, authorization } of commands) {
        const sent = request(baseUrl)[method](path);
        const response = await (authorization ? sent.set('Authorization', authorization) : sent);
        expect({ path, status: response.status }).toEqual({ path, status: method === 'head' ? 204 : 200 });
      }
    });

    it('goes on answering from the replica after `docker compose stop provider`, which stops the provider cleanly', async () => {
      expect(await stop('provider')).toBe(0);
      for (const { method, path, authorization } of headerCommands()) {
        const sent = request(baseUrl)[method](path);
        const response = await (authorization ? sent.set('Authorization', authorization) : sent);
        expect({ path, status: response.status }).toEqual({ path, status: method === 'head' ? 204 : 200 });
      }
    });
  });
});
