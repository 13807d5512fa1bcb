import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, SchemaObject } from '@nestjs/swagger';

const indicators: SchemaObject = {
  type: 'object',
  description: 'By indicator name.',
  additionalProperties: {
    type: 'object',
    required: ['status'],
    properties: { status: { type: 'string', enum: ['up', 'down'] }, message: { type: 'string' } },
  },
};

/** Terminus's own body, passed through unchanged so that orchestrators read what they expect. */
const healthCheckBody = (status: 'ok' | 'error'): SchemaObject => ({
  type: 'object',
  required: ['status', 'details'],
  properties: { status: { type: 'string', enum: [status] }, info: indicators, error: indicators, details: indicators },
});

/** A probe's answers: 200, and 503 when `dependsOn` names what can make it fail. */
export const ApiProbeResponses = (options: { ok: string; dependsOn?: string }): MethodDecorator =>
  applyDecorators(
    ApiOkResponse({ description: options.ok, schema: healthCheckBody('ok') }),
    ...(options.dependsOn
      ? [ApiServiceUnavailableResponse({ description: options.dependsOn, schema: healthCheckBody('error') })]
      : []),
  );
