import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const OPENSSL = '/usr/bin/openssl';

/**
 * A local RFC 3161 time-stamping authority for tests: a CA and a TSA certificate (extendedKeyUsage
 * timeStamping, critical) made with openssl in a temp dir, and `openssl ts -reply` behind node:http.
 */
export interface LocalAuthority {
  readonly url: string;
  readonly dir: string;
  /** The CA certificate (PEM file) tokens chain to. */
  readonly caFile: string;
  readonly tsaCertFile: string;
  readonly caPem: string;
  /** Requests answered so far. */
  requests(): number;
  close(): Promise<void>;
}

export async function makeCertificates(dir: string, name: string): Promise<void> {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  await run(OPENSSL, [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    join(dir, `${name}-ca.key`),
    '-out',
    join(dir, `${name}-ca.pem`),
    '-days',
    '3650',
    '-subj',
    `/CN=${name} Test Root CA`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await run(OPENSSL, [
    'req',
    ...ec,
    '-keyout',
    join(dir, `${name}-tsa.key`),
    '-out',
    join(dir, `${name}-tsa.csr`),
    '-subj',
    `/CN=${name} Test TSA`,
  ]);
  writeFileSync(
    join(dir, `${name}-tsa.ext`),
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n',
  );
  await run(OPENSSL, [
    'x509',
    '-req',
    '-in',
    join(dir, `${name}-tsa.csr`),
    '-CA',
    join(dir, `${name}-ca.pem`),
    '-CAkey',
    join(dir, `${name}-ca.key`),
    '-CAcreateserial',
    '-out',
    join(dir, `${name}-tsa.pem`),
    '-days',
    '3650',
    '-extfile',
    join(dir, `${name}-tsa.ext`),
  ]);
}

export async function startLocalAuthority(name = 'Entente'): Promise<LocalAuthority> {
  const dir = mkdtempSync(join(tmpdir(), 'entente-tsa-'));
  await makeCertificates(dir, name);
  writeFileSync(join(dir, 'serial'), '01\n');
  writeFileSync(
    join(dir, 'tsa.cnf'),
    [
      '[ tsa ]',
      'default_tsa = tsa_config1',
      '[ tsa_config1 ]',
      `serial = ${join(dir, 'serial')}`,
      'crypto_device = builtin',
      `signer_cert = ${join(dir, `${name}-tsa.pem`)}`,
      `signer_key = ${join(dir, `${name}-tsa.key`)}`,
      'signer_digest = sha256',
      'default_policy = 1.3.6.1.4.1.99999.1',
      'digests = sha256, sha384, sha512',
      'accuracy = secs:1',
      'ordering = yes',
      'tsa_name = yes',
      'ess_cert_id_alg = sha256',
      '',
    ].join('\n'),
  );
  let served = 0;
  // openssl keeps the serial in a file: one reply at a time.
  let queue: Promise<unknown> = Promise.resolve();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      queue = queue.then(async () => {
        const n = ++served;
        const query = join(dir, `q${n}.tsq`);
        const reply = join(dir, `r${n}.tsr`);
        writeFileSync(query, Buffer.concat(chunks));
        try {
          await run(OPENSSL, ['ts', '-reply', '-config', join(dir, 'tsa.cnf'), '-queryfile', query, '-out', reply]);
          res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(readFileSync(reply));
        } catch (error) {
          res.writeHead(500).end(String(error));
        }
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/tsa`,
    dir,
    caFile: join(dir, `${name}-ca.pem`),
    tsaCertFile: join(dir, `${name}-tsa.pem`),
    caPem: readFileSync(join(dir, `${name}-ca.pem`), 'utf8'),
    requests: () => served,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `openssl ts -verify` of a token over a message: the independent check. Returns openssl's verdict line. */
export async function opensslVerifyToken(authority: LocalAuthority, token: Uint8Array, message: Uint8Array): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'entente-tsv-'));
  try {
    writeFileSync(join(dir, 'token.der'), token);
    writeFileSync(join(dir, 'message'), message);
    const { stdout } = await run(OPENSSL, [
      'ts',
      '-verify',
      '-data',
      join(dir, 'message'),
      '-in',
      join(dir, 'token.der'),
      '-token_in',
      '-CAfile',
      authority.caFile,
      '-untrusted',
      authority.tsaCertFile,
    ]).catch((error: { stdout?: string; stderr?: string }) => ({ stdout: `${error.stdout ?? ''}${error.stderr ?? ''}` }));
    return stdout.trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
