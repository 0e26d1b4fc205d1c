import type { ApiProblem, ApiResult } from '../api';
import type { ConsistencyProof, InclusionProof } from './api';
import { leafDataOf, verifyConsistency, verifyHeadSignature, verifyInclusion, type SignatureCheck } from './merkle-verify';
import type { SeenHead } from './seen-heads';

/*
 * The two checks a reader runs from the audit page. The node gives proofs; the browser decides. Each
 * check is judged against what the reader already holds — the signed head's root, the event's hash
 * as the journal showed it, a head remembered from an earlier visit — never against numbers the same
 * answer also supplies.
 */

export interface TreeReader {
  inclusion(position: number, size: number): Promise<ApiResult<InclusionProof>>;
  consistency(from: number, to: number): Promise<ApiResult<ConsistencyProof>>;
  /** The chain hash of the event at `position` as the journal lists it; null when the reader cannot see it. */
  eventHash(position: number): Promise<ApiResult<string | null>>;
}

export type InclusionCheck =
  | {
      readonly outcome: 'included';
      readonly position: number;
      readonly size: number;
      readonly leaf: string;
      readonly steps: number;
      readonly signature: SignatureCheck;
    }
  /** The proof does not lead to the signed root, or the leaf is not the event the journal shows. */
  | {
      readonly outcome: 'failed';
      readonly position: number;
      readonly size: number;
      readonly reason: 'proof' | 'leaf' | 'root' | 'signature';
    }
  | { readonly outcome: 'problem'; readonly problem: ApiProblem };

/** Proves that the event at `position` is in the tree the signed `head` describes. */
export async function checkInclusion(reader: TreeReader, position: number, head: SeenHead): Promise<InclusionCheck> {
  const fail = (reason: 'proof' | 'leaf' | 'root' | 'signature') => ({ outcome: 'failed', position, size: head.size, reason }) as const;
  const signature = await verifyHeadSignature(head);
  if (signature === 'invalid') return fail('signature');
  const answer = await reader.inclusion(position, head.size);
  if (!answer.ok) return { outcome: 'problem', problem: answer.problem };
  const proof = answer.value;
  // The node's own view of the root must be the one it signed; the check below uses the signed one.
  if (proof.size !== head.size || proof.root !== head.root) return fail('root');
  const shown = await reader.eventHash(position);
  if (!shown.ok) return { outcome: 'problem', problem: shown.problem };
  if (shown.value !== null && shown.value !== proof.leafData) return fail('leaf');
  const included = await verifyInclusion(leafDataOf(proof.leafData), position - 1, head.size, proof.proof, head.root);
  if (!included) return fail('proof');
  return { outcome: 'included', position, size: head.size, leaf: proof.leafData, steps: proof.proof.length, signature };
}

export type ConsistencyCheck =
  | { readonly outcome: 'consistent'; readonly older: SeenHead; readonly newer: SeenHead; readonly steps: number }
  /** The older head is not a prefix of the newer: the journal's history was rewritten (or forked). */
  | {
      readonly outcome: 'inconsistent';
      readonly older: SeenHead;
      readonly newer: SeenHead;
      readonly reason: 'proof' | 'same-size' | 'truncated';
    }
  | { readonly outcome: 'problem'; readonly problem: ApiProblem };

/** Proves that the smaller of two heads the reader holds is a prefix of the larger one. */
export async function checkConsistency(reader: TreeReader, a: SeenHead, b: SeenHead): Promise<ConsistencyCheck> {
  const [older, newer] = a.size <= b.size ? [a, b] : [b, a];
  if (older.size === newer.size) {
    return older.root === newer.root
      ? { outcome: 'consistent', older, newer, steps: 0 }
      : { outcome: 'inconsistent', older, newer, reason: 'same-size' };
  }
  const answer = await reader.consistency(older.size, newer.size);
  if (!answer.ok) {
    // A node that no longer has a tree as large as a head it signed has cut its history short.
    if (answer.problem.status === 404) return { outcome: 'inconsistent', older, newer, reason: 'truncated' };
    return { outcome: 'problem', problem: answer.problem };
  }
  const ok = await verifyConsistency(older.size, newer.size, older.root, newer.root, answer.value.proof);
  return ok
    ? { outcome: 'consistent', older, newer, steps: answer.value.proof.length }
    : { outcome: 'inconsistent', older, newer, reason: 'proof' };
}
