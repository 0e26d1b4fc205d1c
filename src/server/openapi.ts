import { z } from 'zod';
import { FAILURE_CODES } from '../core/errors';
import type { AnyRoute } from './route';

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): unknown {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });
}

const Problem = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', enum: [...FAILURE_CODES] },
    pointer: { type: 'string', description: 'RFC 6901 JSON pointer to the bad field' },
    instance: { type: 'string', description: 'request id' },
  },
};

/** OpenAPI 3.1, generated from the same zod schemas that validate requests and responses. */
export function openApiDocument(routes: readonly AnyRoute[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [where, schema] of [
      ['query', route.query],
      ['path', route.params],
    ] as const) {
      if (!schema) continue;
      const json = schemaOf(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(json.properties ?? {})) {
        parameters.push({ name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema: s });
      }
    }
    const status = String(route.response === null && !route.raw ? 204 : (route.status ?? 200));
    const responses: Record<string, unknown> = {
      [status]: route.raw
        ? { description: 'text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }
        : route.response
          ? { description: 'OK', content: { 'application/json': { schema: schemaOf(route.response, 'output') } } }
          : { description: 'No content' },
      default: { description: 'A problem (RFC 9457)', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
    };
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      summary: route.summary,
      tags: [route.tag],
      'x-entente-action': route.action,
      ...(parameters.length ? { parameters } : {}),
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(route.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Entente API', version, description: 'The working system of a peace process. Errors are application/problem+json (RFC 9457).' },
    components: {
      schemas: { Problem },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'entente_session' },
        token: { type: 'http', scheme: 'bearer' },
      },
    },
    security: [{ session: [] }, { token: [] }],
    paths,
  };
}
