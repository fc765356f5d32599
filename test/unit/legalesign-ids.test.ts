import { hashId } from '../../core/inbound/parse';
import { normalizeBatchEntry, normalizeUponEvent } from '../../core/vendors/legalesign/inbound';
import { LEGALESIGN_SEED_BATCH } from '../../core/vendors/legalesign/samples';

// Event ids are stored de-duplication keys: these are the ids the seed batch and an upon-event
// callback had before inbound.ts wrote its hashing out (the same at 6166ba8 and 06258c8).
const now = new Date('2022-07-11T07:35:00Z');

describe('Legalesign event ids', () => {
	it('keep the stored ids of the seed batch, hashId(resource_uri, name, value, timestamp) of each entry', () => {
		const ids = LEGALESIGN_SEED_BATCH.map((entry) => normalizeBatchEntry(entry, now).id);
		expect(ids).toEqual([
			'73a91bcd6b9b6ca8c7bc2810dc06f9f00f22b0444398e98bbe8322010ba50e39',
			'6ba758f70dff0c955b9807c086d7057b669423dbb8d96a7dfcbf968413c3caff',
			'9790b9dd81a7a55ae47dade16c95b7f5b5cd460cb1d2f80df49cece18bcea335',
			'7a1c61c8caf9ecb156376ecf6f74cf2b28958d8b68fa1aa4fdbeb11f11d3c12f',
			'3ec6295b104f5f3d57a8ed262e2b55a3b86746ab857a2564a38855921a61516b',
			'a45558339ae979709a30c51a831508dae3cabf84171616dd91ffa59e17aae88d',
			'977d07d56a0c66fba5e2f372510a4aeee6d89f62dbeda1535bb9b90c7f25e0f7',
			'd1f618165c901a3ea7482df2b98bd1c2adc5392e1e9d18dc2e24639b7fc1ba12',
		]);
		LEGALESIGN_SEED_BATCH.forEach((entry, i) => expect(ids[i]).toBe(hashId(entry.resource_uri, entry.name, entry.value, entry.timestamp)));
	});

	it('keep the stored id of an entry without name or timestamp', () => {
		const entry = { value: '30', timestamp: null, resource_uri: '/api/v1/document/1/', name: null };
		expect(normalizeBatchEntry(entry, now).id).toBe('b0d1b290d56056f517e13296143a9ce31cf1cef2478aa01f685065523754a3d2');
		expect(normalizeBatchEntry(entry, now).id).toBe(hashId('/api/v1/document/1/', 'status', '30', ''));
	});

	it('keep the stored id of upon-event fields: hashId over "upon-event" and the sorted names with their values', () => {
		const fields = { name: 'Vertrag für Ölkännchen ✓', event: 'signed', uuid: 'u-1', tag: 'sales', '1': 'numeric', timestamp: '2022-07-11T07:29:06+00:00' };
		const id = normalizeUponEvent(fields, {}, now).id;
		expect(id).toBe('b086becdb42539d23fff9c04f907b188a8ebec33e5d58a45bed2850ed6f15e3f');
		const sorted = Object.keys(fields).sort() as Array<keyof typeof fields>;
		expect(id).toBe(hashId('upon-event', ...sorted.flatMap((name) => [name, fields[name]])));
	});
});
