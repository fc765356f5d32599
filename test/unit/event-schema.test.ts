import Ajv2020 from 'ajv/dist/2020';
import { z } from 'zod/v4';
import { EmittedEventSchema, type NormalizedEvent } from '../../core/event/normalized-event';
import { ingest } from '../../core/inbound/ingest';
import { fixtures } from '../fuzz/vendor-fixtures';

// The published contract (scripts/event-schema.js writes it into both packages at build time).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { toEventJsonSchema } = require('../../scripts/event-schema.js') as { toEventJsonSchema: (zod: typeof z, schema: unknown) => Record<string, unknown> };

const schema = toEventJsonSchema(z, EmittedEventSchema);
// Formats are not checked by ajv here: zod writes a pattern for each date-time as well.
const validate = new Ajv2020({ strict: true, allErrors: true, validateFormats: false }).compile(schema);

const now = new Date();
/** Every event the suite's samples produce: all vendors, all samples, through ingest. */
const sampleEvents: Array<[string, NormalizedEvent]> = fixtures.flatMap((f) =>
	f.events.flatMap((name) => {
		const result = ingest(f.vendor, f.sample(name, now), f.context(now));
		if (!result.ok) throw new Error(`${f.name} ${name}: refused ${result.status} ${result.reason}`);
		return result.events.map((event): [string, NormalizedEvent] => [`${f.name} ${name}`, event]);
	}),
);

describe('the published NormalizedEvent JSON Schema', () => {
	it('is JSON Schema 2020-12 that requires the verification record', () => {
		expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
		expect(schema.title).toBe('NormalizedEvent');
		expect(schema.required).toEqual(expect.arrayContaining(['id', 'vendor', 'type', 'document', 'files', 'data', 'verification']));
	});

	it('covers every vendor and every sample', () => {
		expect(new Set(sampleEvents.map(([, event]) => event.vendor))).toEqual(new Set(['legito', 'legalesign', 'plexus', 'quicklysign', 'phenixid']));
		expect(sampleEvents.length).toBeGreaterThanOrEqual(fixtures.reduce((sum, f) => sum + f.events.length, 0));
	});

	it.each(sampleEvents)('validates %s', (_name, event) => {
		// As the engines hand it on: JSON (undefined fields dropped).
		const valid = validate(JSON.parse(JSON.stringify(event)));
		expect(validate.errors ?? []).toEqual([]);
		expect(valid).toBe(true);
	});

	it('refuses an event without its verification record, or with a field outside the contract', () => {
		const [, event] = sampleEvents[0];
		const { verification: _dropped, ...unverified } = JSON.parse(JSON.stringify(event)) as NormalizedEvent;
		expect(validate(unverified)).toBe(false);
		expect(validate({ ...JSON.parse(JSON.stringify(event)), secret: 'x' })).toBe(false);
		expect(validate({ ...JSON.parse(JSON.stringify(event)), verification: { ...event.verification, bodySha256: 'not-a-hash' } })).toBe(false);
	});
});
