import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { checkLoop, eventually, isRightAnswer, isUnavailable, listening } from '@test/support/check-load';
import { demoEnvironment } from '@test/support/demo-directory';
import { startSecurityApi } from '@test/support/security-api';
import { Slapd } from '@test/support/slapd';

const RETRY_AFTER = '7';
const ANSWERS_AFTER_RECOVERY = 200;

describe('the directory stopped and restarted under load', () => {
  let slapd: Slapd;
  let app: NestExpressApplication;
  let baseUrl: string;

  const probe = async (name: 'live' | 'ready') =>
    (await request(baseUrl).get(`/health/${name}`).set('Connection', 'close')).status;

  beforeAll(async () => {
    slapd = await Slapd.start();
    // Caches off, so that the outage reaches every check rather than only those whose answers have run out.
    ({ app } = await startSecurityApi(
      demoEnvironment(slapd.url, { DIRECTORY_STALENESS_MS: '0', RETRY_AFTER_SECONDS: RETRY_AFTER }),
    ));
    baseUrl = await listening(app);
  });

  afterAll(async () => {
    await app?.close();
    await slapd?.destroy();
  });

  it('answers every check rightly or with 503 and Retry-After, is unready while down, and recovers by itself', async () => {
    let readyWhileDown: number | undefined;
    let recoveredAt = Infinity;
    let answeredAtRecovery = Infinity;
    let done = false;
    const startedAt = performance.now();
    const outcomes = await checkLoop(baseUrl, { concurrency: 8, total: 5000, enough: () => done }, async (answered) => {
      await eventually('the loop is under way', () => answered() >= 60);
      await slapd.stop();
      try {
        await eventually('/health/ready turns 503', async () => (readyWhileDown = await probe('ready')) === 503);
      } finally {
        await slapd.restart();
      }
      await eventually('/health/ready turns 200 again', async () => (await probe('ready')) === 200);
      recoveredAt = performance.now();
      answeredAtRecovery = answered();
      await eventually(
        'checks go on after the recovery',
        () => answered() >= answeredAtRecovery + ANSWERS_AFTER_RECOVERY,
      );
      done = true;
    });
    const elapsedMs = performance.now() - startedAt;

    expect(readyWhileDown).toBe(503);
    expect(outcomes.every((outcome) => isRightAnswer(outcome) || isUnavailable(outcome, RETRY_AFTER))).toBe(true);
    expect(outcomes.some((outcome) => outcome.status === 503)).toBe(true);
    expect(outcomes.length).toBeLessThan(5000);
    const afterRecovery = outcomes.filter((outcome) => outcome.startedAt > recoveredAt);
    expect(afterRecovery.length).toBeGreaterThan(0);
    expect(afterRecovery.every(isRightAnswer)).toBe(true);
    expect(await probe('live')).toBe(200);
    expect(elapsedMs).toBeLessThan(15_000);
  });
});
