import { plexusSamples } from './core/vendors/plexus/samples';
import { shapeCheckFor, NO } from './core/inbound/json-shape';
import { PlexusDeliverySchema } from './core/vendors/plexus/inbound';
const now = new Date().toISOString();
const texts: string[] = [];
for (let i = 0; i < 2000; i++) { const p = plexusSamples.executed(now); p.id = 'x' + i; p.data.document.additionalFacts = { ...p.data.document.additionalFacts, notes: 'n'.repeat(550) }; texts.push(JSON.stringify(p)); }
const values = texts.map((t) => JSON.parse(t));
const check = shapeCheckFor(PlexusDeliverySchema)!;
function time(name: string, f: (i: number) => unknown) {
  for (let r = 0; r < 3; r++) { const t = process.hrtime.bigint(); let x = 0; for (let i = 0; i < 200000; i++) if (f(i % 2000) !== NO) x++; const ns = Number(process.hrtime.bigint() - t) / 200000; if (r === 2) console.log(name, ns.toFixed(0), 'ns', x); }
}
time('shape', (i) => check(values[i]));
console.log(check(JSON.parse('{"id":"a","type":"b","createdAt":"c","data":{"document":{"x":{"__proto__":1}}}}')) === NO, check(JSON.parse('{"id":"a","type":"b","createdAt":"c","data":{"document":{"x":{"a":1}}}}')) === NO);
