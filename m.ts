import { plexusSamples } from './core/vendors/plexus/samples';
import { shapeCheckFor } from './core/inbound/json-shape';
import { findUnsafeJson } from './core/inbound/safe-json';
import { PlexusDeliverySchema } from './core/vendors/plexus/inbound';
const now = new Date().toISOString();
const texts: string[] = [];
for (let i = 0; i < 2000; i++) { const p = plexusSamples.executed(now); p.id = 'x' + i; p.data.document.additionalFacts = { ...p.data.document.additionalFacts, notes: 'n'.repeat(550) }; texts.push(JSON.stringify(p)); }
const values = texts.map((t) => JSON.parse(t));
const check = shapeCheckFor(PlexusDeliverySchema)!;
const re = /__proto__|constructor|prototype|\\u/;
function time(name: string, f: (i: number) => unknown) {
  for (let r = 0; r < 3; r++) { const t = process.hrtime.bigint(); let x = 0; for (let i = 0; i < 200000; i++) if (f(i % 2000)) x++; const ns = Number(process.hrtime.bigint() - t) / 200000; if (r === 2) console.log(name, ns.toFixed(0), 'ns', x); }
}
time('JSON.parse', (i) => JSON.parse(texts[i]));
time('4 includes', (i) => { const t = texts[i]; return t.includes('__proto__') || t.includes('constructor') || t.includes('prototype') || t.includes('\\u'); });
time('regex', (i) => re.test(texts[i]));
time('brackets', (i) => { const text = texts[i]; let o = 0; for (const b of ['{', '[']) { let at = text.indexOf(b); while (at !== -1) { if (++o > 64) return true; at = text.indexOf(b, at + 1); } } return false; });
time('walk', (i) => findUnsafeJson(values[i]));
time('shape', (i) => check(values[i]));
time('zod', (i) => PlexusDeliverySchema.safeParse(values[i]).success);
console.log(texts[0].length, (texts[0].match(/[{[]/g) || []).length);
const re2 = /proto|constructor|\\u/;
time('regex2', (i) => re2.test(texts[i]));
time('3 includes', (i) => { const t = texts[i]; return t.includes('proto') || t.includes('constructor') || t.includes('\\u'); });
time('4 includes', (i) => { const t = texts[i]; return t.includes('__proto__') || t.includes('constructor') || t.includes('prototype') || t.includes('\\u'); });
time('regex', (i) => re.test(texts[i]));
const re3 = /[\\_]|constructor|prototype/;
time('regex3', (i) => re3.test(texts[i]));
