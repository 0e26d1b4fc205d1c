import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { fail, ok, type Result } from '../errors';

/**
 * RFC 3161 time-stamp tokens for tree heads: the request a node sends to an authority, reading its
 * response, and checking a stored token offline (signature, message imprint, certificate chain to a
 * CA the checker trusts, the time-stamping key purpose). No network here; see runtime/timestamp-client.
 */

const SHA256_OID = '2.16.840.1.101.3.4.2.1';
const TIME_STAMPING_PURPOSE = '1.3.6.1.5.5.7.3.8';
const EXT_KEY_USAGE_OID = '2.5.29.37';

function bufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** A DER TimeStampReq for a SHA-256 imprint, asking for the authority's certificate in the token. */
export function timestampRequest(imprint: Uint8Array, nonce: Uint8Array): Uint8Array<ArrayBuffer> {
  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: SHA256_OID }),
      hashedMessage: new asn1js.OctetString({ valueHex: bufferOf(imprint) }),
    }),
    // A positive nonce: the high bit cleared so the INTEGER is not read as negative.
    nonce: new asn1js.Integer({ valueHex: bufferOf(Uint8Array.from(nonce, (b, i) => (i === 0 ? b & 0x7f : b))) }),
    certReq: true,
  });
  return new Uint8Array(request.toSchema().toBER(false));
}

/** The token inside an authority's TimeStampResp, or why there is none. */
export function tokenFromResponse(der: Uint8Array): Result<Uint8Array> {
  try {
    const response = pkijs.TimeStampResp.fromBER(bufferOf(der));
    const status = response.status.status;
    if (status !== pkijs.PKIStatus.granted && status !== pkijs.PKIStatus.grantedWithMods) {
      const text = response.status.statusStrings?.map((s) => s.valueBlock.value).join('; ');
      return fail('unavailable', `the time-stamping authority refused (status ${status}${text ? `: ${text}` : ''})`);
    }
    if (!response.timeStampToken) return fail('unavailable', 'the time-stamping authority answered without a token');
    return ok(new Uint8Array(response.timeStampToken.toSchema().toBER(false)));
  } catch (error) {
    return fail('unavailable', `the time-stamping authority's answer is not a TimeStampResp: ${(error as Error).message}`);
  }
}

export type TokenCheck =
  | { readonly ok: true; readonly genTime: string; readonly serial: string; readonly authority: string }
  | { readonly ok: false; readonly reason: string };

/** Reads PEM certificates (one or many) into DER. */
export function certificatesFromPem(pem: string): Uint8Array[] {
  const found = [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)];
  return found.map((m) => new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')));
}

/**
 * Checks a token offline against the message it should stamp. With trust anchors (CA certificates,
 * DER), the signer's certificate must chain to one of them at the token's own time, so a token keeps
 * verifying after the authority's certificate has expired. Without anchors only the signature and the
 * imprint are checked, and the answer says so.
 */
export async function verifyTimestampToken(
  token: Uint8Array,
  message: Uint8Array,
  trustAnchors: readonly Uint8Array[],
): Promise<TokenCheck> {
  let signed: pkijs.SignedData;
  let tstInfo: pkijs.TSTInfo;
  try {
    const content = pkijs.ContentInfo.fromBER(bufferOf(token));
    if (content.contentType !== pkijs.ContentInfo.SIGNED_DATA) return { ok: false, reason: 'the token is not CMS signed data' };
    signed = new pkijs.SignedData({ schema: content.content });
    if (signed.encapContentInfo.eContentType !== pkijs.id_eContentType_TSTInfo || !signed.encapContentInfo.eContent) {
      return { ok: false, reason: 'the token does not carry a TSTInfo' };
    }
    tstInfo = pkijs.TSTInfo.fromBER(signed.encapContentInfo.eContent.getValue());
  } catch (error) {
    return { ok: false, reason: `the token is not a DER time-stamp token: ${(error as Error).message}` };
  }
  if (tstInfo.messageImprint.hashAlgorithm.algorithmId !== SHA256_OID) {
    return { ok: false, reason: `the token stamps a ${tstInfo.messageImprint.hashAlgorithm.algorithmId} imprint, not SHA-256` };
  }
  let anchors: pkijs.Certificate[];
  try {
    anchors = trustAnchors.map((der) => pkijs.Certificate.fromBER(bufferOf(der)));
  } catch (error) {
    return { ok: false, reason: `a trusted CA certificate cannot be read: ${(error as Error).message}` };
  }
  try {
    const result = await signed.verify({
      signer: 0,
      data: bufferOf(message),
      trustedCerts: anchors,
      checkChain: anchors.length > 0,
      extendedMode: true,
    });
    if (!result.signatureVerified) return { ok: false, reason: 'the token signature does not verify' };
    const signer = result.signerCertificate;
    if (!signer || !hasTimeStampingPurpose(signer))
      return { ok: false, reason: "the signer's certificate is not for time stamping (extendedKeyUsage timeStamping)" };
    return {
      ok: true,
      genTime: tstInfo.genTime.toISOString(),
      serial: Buffer.from(tstInfo.serialNumber.valueBlock.valueHexView).toString('hex'),
      authority: signer.subject.typesAndValues.map((tv) => `${shortName(tv.type)}=${String(tv.value.valueBlock.value)}`).join(', '),
    };
  } catch (error) {
    const message = error instanceof pkijs.SignedDataVerifyError ? error.message : (error as Error).message;
    if (/TSTInfo verification/.test(message)) return { ok: false, reason: 'the token stamps a different message (imprint mismatch)' };
    return { ok: false, reason: message };
  }
}

function hasTimeStampingPurpose(cert: pkijs.Certificate): boolean {
  const ext = cert.extensions?.find((e) => e.extnID === EXT_KEY_USAGE_OID);
  const usage = ext?.parsedValue as pkijs.ExtKeyUsage | undefined;
  return !!usage && usage.keyPurposes.includes(TIME_STAMPING_PURPOSE);
}

const NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
};
function shortName(oid: string): string {
  return NAMES[oid] ?? oid;
}
