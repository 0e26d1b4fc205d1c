import { z } from 'zod';

export const ServerConfig = z
  .object({
    data: z.string().min(1).default('./entente-data'),
    db: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'a PostgreSQL URL starts with postgres:// or postgresql://')
      .optional(),
    port: z.coerce.number().int().min(0, 'port must be 0–65535').max(65535, 'port must be 0–65535').default(8080),
    host: z.string().min(1).default('127.0.0.1'),
    demo: z.boolean().default(false),
    tlsCert: z.string().optional(),
    tlsKey: z.string().optional(),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Where the built web app is; absent or missing means the API only. */
    webRoot: z.string().optional(),
    checkpointEvery: z.coerce.number().int().min(1).default(1000),
    checkpointIntervalMs: z.coerce.number().int().min(100).default(10_000),
    bodyLimit: z.coerce.number().int().min(1024).default(1_048_576),
    checkResponses: z.boolean().default(true),
    /** RFC 3161 time-stamping authorities that stamp every signed tree head. */
    tsa: z.array(z.url({ protocol: /^https?$/, error: 'a time-stamping authority is an http(s) URL' })).default([]),
    /** Sign a tree head this often (ms) when something was appended since the last; 0 = never by timer. */
    treeHeadIntervalMs: z.coerce.number().int().min(0).default(60_000),
  })
  .strict()
  .refine((c) => !!c.tlsCert === !!c.tlsKey, { message: '--tls-cert and --tls-key go together', path: ['tlsKey'] });
export type ServerConfig = z.infer<typeof ServerConfig>;
