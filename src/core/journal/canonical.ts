/**
 * RFC 8785 JSON Canonicalization Scheme (JCS).
 * Object keys are sorted by UTF-16 code units, numbers use the ECMAScript shortest
 * round-trip form (which is what JSON.stringify emits), strings use JSON.stringify escaping.
 */
export function canonicalize(value: unknown): string {
  return write(value);
}

function write(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonical JSON cannot hold NaN or Infinity');
      // -0 serialises as 0 under RFC 8785, as JSON.stringify does.
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return '[' + value.map((v) => (v === undefined ? 'null' : write(v))).join(',') + ']';
      const obj = value as Record<string, unknown>;
      if (typeof (obj as { toJSON?: unknown }).toJSON === 'function') {
        return write((obj as { toJSON: () => unknown }).toJSON());
      }
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort(compareUtf16);
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        if (i > 0) out += ',';
        out += JSON.stringify(k) + ':' + write(obj[k]);
      }
      return out + '}';
    }
    default:
      throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
  }
}

/** Plain `<` on JS strings compares UTF-16 code units, which is what RFC 8785 asks for. */
function compareUtf16(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
