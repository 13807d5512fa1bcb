import { DirectoryCache, DirectoryObserver, DirectoryOperation, DirectoryOutcome } from '@app/directory';
import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** From a warm check (well under a millisecond) to an LDAP timeout (5 s by default). */
const LATENCY_BUCKETS_SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Outcomes that mean the directory could not answer at all; any other answer, a refusal included, means it is up. */
const DOWN: ReadonlySet<DirectoryOutcome> = new Set(['timeout', 'unavailable']);

/**
 * The service's Prometheus metrics, in a registry of its own (not prom-client's global one, so that two instances in
 * one process, as in the tests, do not collide). Every label takes its values from a small fixed set: route patterns,
 * methods, status codes, operation and cache names. Never an identifier, a login or a DN.
 */
@Injectable()
export class ServiceMetrics implements DirectoryObserver {
  readonly registry = new Registry();

  private readonly httpRequests = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status, and how long they took to answer (_count counts them)',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [this.registry],
  });

  private readonly ldapOperations = new Histogram({
    name: 'ldap_operation_duration_seconds',
    help: 'LDAP operations by kind (search, read, bind, ping) and outcome, and how long the caller waited for them',
    labelNames: ['operation', 'outcome'] as const,
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [this.registry],
  });

  private readonly cacheLookups = new Counter({
    name: 'ldap_cache_lookups_total',
    help: 'Lookups in the directory caches, by cache and result (hit or miss); none while the caches are off',
    labelNames: ['cache', 'result'] as const,
    registers: [this.registry],
  });

  private readonly directoryUp = new Gauge({
    name: 'ldap_up',
    help: '1 when the latest LDAP operation to finish got an answer from the directory, 0 when it timed out or found no server',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  requestAnswered(method: string, route: string, status: number, durationSeconds: number): void {
    this.httpRequests.observe({ method, route, status: String(status) }, durationSeconds);
  }

  operationFinished(operation: DirectoryOperation, outcome: DirectoryOutcome, durationSeconds: number): void {
    this.ldapOperations.observe({ operation, outcome }, durationSeconds);
    this.directoryUp.set(DOWN.has(outcome) ? 0 : 1);
  }

  cacheLookup(cache: DirectoryCache, hit: boolean): void {
    this.cacheLookups.inc({ cache, result: hit ? 'hit' : 'miss' });
  }

  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
