// A tiny builder for SVG/HTML markup strings that escapes every text and
// attribute value, so campaign names (user input) can never inject markup.
// Also the one XML escape of the codebase: `wakeplan simulate --svg` imports it
// (@wakeplan/api/markup). Plain ES module, typed by JSDoc (checkJs).
// Invariant: a plain string child is always escaped; only values made by `el`
// are inserted as markup. No style attributes: the page's CSP forbids them.

/** @typedef {{ markup: string }} Markup */
/** @typedef {Markup | string | number | null | undefined | false} Leaf */
/** @typedef {Leaf | Leaf[] | Leaf[][]} Child */

/** @type {Record<string, string>} */
const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** @param {unknown} value */
export function escapeXml(value) {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/**
 * el('rect', { x: 1, class: 'bar' }, el('title', {}, 'Open <9–5>'))
 * Attributes that are null, undefined or false are left out.
 * @param {string} name
 * @param {Record<string, string | number | boolean | null | undefined>} attrs
 * @param {...Child} children
 * @returns {Markup}
 */
export function el(name, attrs = {}, ...children) {
  const attrText = Object.entries(attrs)
    .filter(([, v]) => v !== null && v !== undefined && v !== false)
    .map(([k, v]) => ` ${k}="${escapeXml(typeof v === 'number' ? round(v) : v)}"`)
    .join('');
  const inner = children.flat(Infinity)
    .filter((c) => c !== null && c !== undefined && c !== false)
    .map((c) => (typeof c === 'object' && c !== null && 'markup' in c ? c.markup : escapeXml(c)))
    .join('');
  return { markup: `<${name}${attrText}>${inner}</${name}>` };
}

/** @param {number} n */
function round(n) {
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/\.?0+$/, '');
}
