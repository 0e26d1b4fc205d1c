import { z } from 'zod';
import { ok } from '../../core/errors';
import { defineRoute, type AnyRoute } from '../route';
import { deconflictionRoutes } from './deconfliction';
import { evidenceRoutes } from './evidence';
import { frameworkRoutes } from './framework';
import { guaranteesRoutes } from './guarantees';
import { identityRoutes } from './identity';
import { importRoutes } from './imports';
import { journalRoutes } from './journal';
import { negotiationRoutes } from './negotiation';
import { operationsRoutes } from './operations';
import { processRoutes } from './process';
import { exchangesRoutes } from './exchanges';
import { prosperityRoutes } from './prosperity';
import { reportRoutes } from './reports';
import { sessionRoutes } from './session';
import { streamRoutes } from './stream';
import { stressRoutes } from './stress';
import { openApiDocument } from '../openapi';

const VERSION = '0.1.0';

const metaRoutes: AnyRoute[] = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/openapi.json',
    summary: 'This API described as OpenAPI 3.1',
    tag: 'meta',
    action: 'api.describe',
    response: z.record(z.string(), z.unknown()),
    async handler() {
      return ok(openApiDocument(ROUTES, VERSION));
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/health',
    summary: 'Liveness and the journal head this node has applied',
    tag: 'meta',
    action: 'health.read',
    response: z.object({ status: z.literal('ok'), head: z.number().int(), store: z.string(), version: z.string() }),
    async handler({ services }) {
      return ok({ status: 'ok' as const, head: services.journal.head, store: services.store.kind, version: VERSION });
    },
  }),
];

/** The route table: every API route, in one list (the authorisation test is generated from it). */
export const ROUTES: readonly AnyRoute[] = [...metaRoutes, ...sessionRoutes, ...identityRoutes, ...journalRoutes, ...frameworkRoutes, ...reportRoutes, ...operationsRoutes, ...importRoutes, ...deconflictionRoutes, ...guaranteesRoutes, ...negotiationRoutes, ...evidenceRoutes, ...processRoutes, ...exchangesRoutes, ...prosperityRoutes, ...stressRoutes, ...streamRoutes];
