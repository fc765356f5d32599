import { createHmac } from 'node:crypto';
import request from 'supertest';
import { sampleSets } from '../../core/samples/sets';
import plexusModule from '../../node-red/src/legalhooks-plexus';
import { statusTime, throttledStatus } from '../../node-red/src/shared/status-time';
import { capturing, helper } from '../node-red/helper';

// Node statuses give times as 24-hour HH:MM:SS (toLocaleTimeString gave "3:04:05 PM" under en-US
// and 24-hour under other locales, and the action nodes used UTC).
const secret = 'b5e0c1d2a3f4e5d6c7b8a9f0e1d2c3b4';

describe('Node-RED status times', () => {
	it('are 24-hour HH:MM:SS in local time', () => {
		expect(statusTime(new Date(2024, 0, 2, 15, 4, 5))).toBe('15:04:05');
		expect(statusTime(new Date(2024, 0, 2, 0, 0, 9))).toBe('00:00:09');
	});

	describe('shown at most once a second, the latest state last', () => {
		beforeEach(() => jest.useFakeTimers({ now: new Date(2024, 0, 2, 15, 4, 5) }));
		afterEach(() => jest.useRealTimers());

		it('shows the first change at once and a burst after it once, built from the latest state', () => {
			const shown: string[] = [];
			let state = 0;
			const status = throttledStatus((s) => shown.push(String(s.text)), () => ({ text: `state ${state}` }));
			state = 1;
			status.changed();
			expect(shown).toEqual(['state 1']);
			for (state = 2; state <= 50; state++) status.changed();
			state = 50;
			expect(shown).toEqual(['state 1']);
			jest.advanceTimersByTime(999);
			expect(shown).toEqual(['state 1']);
			jest.advanceTimersByTime(1);
			expect(shown).toEqual(['state 1', 'state 50']);
			jest.advanceTimersByTime(5000);
			state = 51;
			status.changed();
			expect(shown).toEqual(['state 1', 'state 50', 'state 51']);
		});

		it('shows nothing after close', () => {
			const shown: string[] = [];
			const status = throttledStatus((s) => shown.push(String(s.text)), () => ({ text: 'x' }));
			status.changed();
			status.changed();
			status.close();
			jest.advanceTimersByTime(2000);
			status.changed();
			expect(shown).toEqual(['x']);
		});
	});

	describe('legalhooks-plexus-trigger', () => {
		const plexus = capturing(plexusModule as any);
		afterEach(() => helper.unload());

		it('shows the last delivery at a 24-hour time', async () => {
			await helper.load(
				plexus.module as any,
				[
					{ id: 'acct', type: 'legalhooks-plexus-account', name: 'account' },
					{ id: 'trig', type: 'legalhooks-plexus-trigger', account: 'acct', path: 'inbox', wires: [[]] },
				],
				{ acct: { secret } },
			);
			const node = helper.getNode('trig');
			const statuses: string[] = [];
			const original = node.status.bind(node);
			node.status = ((status: { text?: string }) => {
				statuses.push(String(status.text ?? ''));
				return original(status);
			}) as typeof node.status;
			const delivery = sampleSets.plexus!.build('executed', { secret }, {});
			const response = await request(plexus.red().httpNode).post('/legalhooks/plexus/inbox').set(delivery.headers).send(delivery.body as string);
			expect(response.status).toBe(200);
			await new Promise((resolve) => setTimeout(resolve, 50));
			expect(statuses.at(-1)).toMatch(/^1 event\(s\), last document\.completed at ([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/);
			// a second delivery within the second: shown at the end of it, with its count and time
			const second = sampleSets.plexus!.build('executed', { secret }, {});
			const body = JSON.stringify({ ...JSON.parse(String(second.body)), id: 'second-delivery' });
			const signed = { ...second.headers, 'plexus-webhook-signature': createHmac('sha512', secret).update(body).digest('hex') };
			const sentAt = statusTime();
			expect((await request(plexus.red().httpNode).post('/legalhooks/plexus/inbox').set(signed).send(body)).status).toBe(200);
			const answeredAt = statusTime(new Date(Date.now() + 50));
			for (let i = 0; i < 60 && !statuses.at(-1)?.startsWith('2 '); i++) await new Promise((resolve) => setTimeout(resolve, 25));
			expect([sentAt, answeredAt].map((at) => `2 event(s), last document.completed at ${at}`)).toContain(statuses.at(-1));
		});
	});
});
