import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

const RECIPES = resolve(__dirname, '../../docs/gateways');
/** The page that shows the recipes. */
export const GATEWAYS_PAGE = resolve(__dirname, '../../docs/gateways.md');

/** The addresses the documented recipes are written with (docs/gateways.md), which a test replaces with its own. */
export const DOCUMENTED = {
  service: '127.0.0.1:3000',
  application: '127.0.0.1:8080',
  nginxListen: 'listen 80;',
  caddySite: 'app.example.com {',
} as const;

/** Where the gateways of a test run, each on a free loopback port. */
export interface GatewayAddresses {
  /** host:port of the service. */
  readonly service: string;
  /** host:port of the application behind the gateway. */
  readonly application: string;
  readonly gatewayPort: number;
}

/** docs/gateways/nginx.conf, as the documentation shows it, on this test's addresses. */
export async function nginxRecipe(addresses: GatewayAddresses): Promise<string> {
  return withAddresses('nginx.conf', {
    [DOCUMENTED.service]: addresses.service,
    [DOCUMENTED.application]: addresses.application,
    [DOCUMENTED.nginxListen]: `listen 127.0.0.1:${addresses.gatewayPort};`,
  });
}

/** docs/gateways/Caddyfile, as the documentation shows it, on this test's addresses, over plain HTTP. */
export async function caddyRecipe(addresses: GatewayAddresses): Promise<string> {
  return withAddresses('Caddyfile', {
    [DOCUMENTED.service]: addresses.service,
    [DOCUMENTED.application]: addresses.application,
    [DOCUMENTED.caddySite]: `http://127.0.0.1:${addresses.gatewayPort} {`,
  });
}

/** A recipe file of docs/gateways/, as it is. */
export async function recipe(file: 'nginx.conf' | 'Caddyfile'): Promise<string> {
  return readFile(resolve(RECIPES, file), 'utf8');
}

/** Fails when a documented address is missing, so that a recipe that changes its placeholders fails its test. */
async function withAddresses(
  file: 'nginx.conf' | 'Caddyfile',
  replacements: Readonly<Record<string, string>>,
): Promise<string> {
  let text = await recipe(file);
  for (const [documented, actual] of Object.entries(replacements)) {
    if (!text.includes(documented)) {
      throw new Error(`docs/gateways/${file} no longer holds ${documented}`);
    }
    text = text.replaceAll(documented, actual);
  }
  return text;
}
