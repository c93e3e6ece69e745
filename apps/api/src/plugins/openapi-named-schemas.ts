// Named shapes in the API description: every schema carrying a `title`
// (schemas/common.ts conventions) is moved to components/schemas/<title> and
// replaced by a $ref wherever it appears, so a generated client gets one named
// type (Campaign, Call, Error, …) instead of copies.
//
// Invariant: one title, one shape — two different schemas with the same title
// are a programming error, reported when the document is built (the API test
// builds it), never a silently wrong type.
type Json = Record<string, any>;

export function hoistNamedSchemas(doc: Json): void {
  const named: Json = doc.components.schemas ?? {};
  const hoist = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(hoist);
    if (typeof node !== 'object' || node === null) return node;
    const out: Json = {};
    for (const [key, value] of Object.entries(node)) out[key] = key === 'example' || key === 'examples' ? value : hoist(value);
    const title = out.title;
    if (typeof title !== 'string' || !looksLikeSchema(out)) return out;
    const { title: _title, ...shape } = out;
    const existing = named[title];
    if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(shape)) {
      throw new Error(`two different schemas are titled "${title}": give each shape its own title`);
    }
    named[title] = shape;
    return { $ref: `#/components/schemas/${title}` };
  };
  doc.paths = hoist(doc.paths);
  doc.components.schemas = Object.fromEntries(Object.entries(named).sort(([a], [b]) => a.localeCompare(b)));
}

function looksLikeSchema(node: Json): boolean {
  return 'type' in node || 'properties' in node || 'enum' in node || 'anyOf' in node || 'oneOf' in node || 'allOf' in node || 'items' in node;
}
