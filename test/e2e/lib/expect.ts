/* What a normalized item must look like, and registration lookups. */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod/v4';
import { EmittedEventSchema } from '../../../core/event/normalized-event';
import { sha256, type ExpectedFile, type VendorRow } from '../vendors';
import type { Packed } from './pack';
import type { VendorSim } from './simulators';
import { fail } from './util';

const SCHEMA_FILE = 'dist/core/normalized-event.schema.json';
let published: { from: string; validate: ValidateFunction } | undefined;

/** The JSON Schema the package ships (dist/core/normalized-event.schema.json in the tarball) checks every item from now on. */
export function usePublishedSchema(packed: Packed) {
	const file = path.join(packed.dir, SCHEMA_FILE);
	if (!fs.existsSync(file)) fail(`the package ships no ${SCHEMA_FILE}`);
	published = { from: `${packed.pkg.name}/${SCHEMA_FILE}`, validate: compile(JSON.parse(fs.readFileSync(file, 'utf8'))) };
}

// formats are not checked by ajv: zod writes a pattern for each date-time as well (test/unit/event-schema.test.ts)
const compile = (schema: object) => new Ajv2020({ strict: true, allErrors: true, validateFormats: false }).compile(schema);

/** Before a suite names its package: the schema scripts/event-schema.js generates from core's zod schema (what the build ships). */
function eventSchema() {
	if (!published) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { toEventJsonSchema } = require('../../../scripts/event-schema.js') as { toEventJsonSchema: (zod: typeof z, schema: unknown) => object };
		published = { from: 'the schema generated from core/event/normalized-event.ts', validate: compile(toEventJsonSchema(z, EmittedEventSchema)) };
	}
	return published;
}

/** Every emitted event: the zod contract (EmittedEventSchema, verification record required) and the published JSON Schema. */
export function checkEventContract(item: any, what: string) {
	const parsed = EmittedEventSchema.safeParse(item);
	if (!parsed.success) {
		fail(`${what}: item is not an emitted NormalizedEvent: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}\n  item: ${JSON.stringify(item).slice(0, 800)}`);
	}
	const schema = eventSchema();
	if (!schema.validate(item)) {
		fail(`${what}: item does not validate against ${schema.from}: ${(schema.validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ')}\n  item: ${JSON.stringify(item).slice(0, 800)}`);
	}
}

export function checkItem(item: any, row: VendorRow, eventIndex: 0 | 1) {
	checkEventContract(item, row.id);
	const e = row.expect[eventIndex];
	const problems: string[] = [];
	if (item.vendor !== row.id) problems.push(`vendor ${item.vendor} ≠ ${row.id}`);
	if (e.type && item.type !== e.type) problems.push(`type ${item.type} ≠ ${e.type}`);
	if (e.vendorEventType && item.vendorEventType !== e.vendorEventType) problems.push(`vendorEventType ${item.vendorEventType} ≠ ${e.vendorEventType}`);
	if (e.documentId && item.document?.id !== e.documentId) problems.push(`document.id ${item.document?.id} ≠ ${e.documentId}`);
	if (item.raw === undefined) problems.push('raw missing (Include Raw Payload is on by default)');
	if (problems.length) fail(`${row.id}: normalized item wrong: ${problems.join('; ')}\n  item: ${JSON.stringify(item).slice(0, 800)}`);
}

export function withoutQuery(url: string) {
	const u = new URL(url);
	return `${u.origin}${u.pathname}`;
}

/** registrations at the simulator pointing at `url` (a token in the query is ours to add) */
export async function registrationsFor(sim: VendorSim, url: string) {
	return (await sim.registrations()).filter((r) => withoutQuery(r.url) === withoutQuery(url));
}

/** No secret we configured may appear in an engine's log (refusals are logged without them). */
export function checkNoSecretsLogged(logText: string, secrets: unknown[]) {
	const leaked = new Set<string>();
	for (const v of secrets) {
		if (typeof v !== 'string' || v.length < 12) continue;
		if (/^https?:\/\//.test(v) || /-----BEGIN (CERTIFICATE|PUBLIC KEY)/.test(v)) continue; // URLs, public material
		// PEM keys: look for their body lines, not the armour
		const probes = v.includes('-----BEGIN') ? v.split('\n').filter((l) => l.length > 40 && !l.startsWith('-----')).slice(0, 2) : [v];
		for (const probe of probes) if (logText.includes(probe)) leaked.add(v.includes('-----BEGIN') ? 'a PEM key' : `${v.slice(0, 4)}…`);
	}
	if (leaked.size) fail(`the engine log contains secrets: ${[...leaked].join(', ')}`);
}

/** The answer every vendor gets for a verified delivery, in both engines (README, "What every trigger does with a delivery"). */
export const ACK_BODY = '{"received":true}';

/** A verified delivery was answered 2xx with exactly the documented short JSON. */
export function checkAck(what: string, result: { status: number; text: string }) {
	if (result.status < 200 || result.status >= 300) fail(`${what} → ${result.status} ${result.text.slice(0, 300)}`);
	if (result.text !== ACK_BODY) fail(`${what} → ${result.status} with body ${JSON.stringify(result.text.slice(0, 300))}, expected exactly ${ACK_BODY}`);
}

/** event.files names the one file the simulator served, by name, type and size. */
function checkFilesField(what: string, item: any, want: ExpectedFile) {
	const files = item?.files;
	const ok = Array.isArray(files) && files.length === 1 && files[0].fileName === want.fileName && files[0].mimeType === want.mimeType && files[0].size === want.size;
	if (!ok) fail(`${what}: event.files ${JSON.stringify(files)}, expected [${JSON.stringify({ fileName: want.fileName, mimeType: want.mimeType, size: want.size })}] (data.fileErrors: ${JSON.stringify(item?.data?.fileErrors)})`);
}

function checkBytes(what: string, bytes: Buffer, want: ExpectedFile) {
	if (bytes.length !== want.size || sha256(bytes) !== want.sha256) fail(`${what}: ${bytes.length} bytes, sha256 ${sha256(bytes)}; the simulator served ${want.size} bytes, sha256 ${want.sha256}`);
}

/**
 * The n8n item carries the downloaded file as its one binary property, with the served bytes. The
 * bytes are read back as n8n stores them: inline base64 in `default` mode (1.x), otherwise through
 * n8n's own GET /rest/binary-data?id=… (filesystem, database, S3: the property holds only the id).
 * Returns the binary data mode it found.
 */
export async function checkN8nFile(n8n: { base: string; cookie: string }, row: VendorRow, item: { json: any; binary?: Record<string, any> }, want: ExpectedFile): Promise<string> {
	const what = `${row.id}: downloaded file in n8n`;
	checkFilesField(what, item.json, want);
	const props = Object.entries(item.binary ?? {});
	if (props.length !== 1) fail(`${what}: ${props.length} binary properties (${props.map(([k]) => k).join(', ')}), expected 1 (data.fileErrors: ${JSON.stringify(item.json?.data?.fileErrors)})`);
	const [name, binary] = props[0];
	if (binary.fileName !== want.fileName || binary.mimeType !== want.mimeType) fail(`${what}: binary ${name} is ${binary.fileName} (${binary.mimeType}), expected ${want.fileName} (${want.mimeType})`);
	if (typeof binary.id === 'string' && binary.id.includes(':')) {
		const r = await fetch(`${n8n.base}/rest/binary-data?id=${encodeURIComponent(binary.id)}&action=download`, { headers: { cookie: n8n.cookie } });
		const bytes = Buffer.from(await r.arrayBuffer());
		if (r.status !== 200) fail(`${what}: GET /rest/binary-data?id=${binary.id} → ${r.status} ${bytes.toString('utf8').slice(0, 200)}`);
		checkBytes(`${what} (binary ${name}, ${binary.id.split(':')[0]})`, bytes, want);
		return binary.id.split(':')[0];
	}
	if (typeof binary.data !== 'string') fail(`${what}: binary ${name} has neither an id nor inline data: ${JSON.stringify(binary).slice(0, 300)}`);
	checkBytes(`${what} (binary ${name}, inline)`, Buffer.from(binary.data, 'base64'), want);
	return 'default (inline)';
}

/** What the Node-RED flow's function node reported of msg.files (see suites/nodered.ts): one Buffer, the served bytes. */
export function checkNodeRedFiles(row: VendorRow, payload: any, reported: any, want: ExpectedFile) {
	const what = `${row.id}: downloaded file in Node-RED`;
	checkFilesField(what, payload, want);
	const files = reported?.files;
	if (!Array.isArray(files) || files.length !== 1) fail(`${what}: msg.files ${JSON.stringify(files)?.slice(0, 300)}, expected one file`);
	const [f] = files;
	if (!f.isBuffer) fail(`${what}: msg.files[0].data is not a Buffer (${f.dataType})`);
	if (f.fileName !== want.fileName || f.mimeType !== want.mimeType) fail(`${what}: msg.files[0] is ${f.fileName} (${f.mimeType}), expected ${want.fileName} (${want.mimeType})`);
	checkBytes(`${what} (msg.files[0].data)`, Buffer.from(String(f.base64), 'base64'), want);
}
