import request from 'supertest';
import { sampleSets } from '../../core/samples';
import plexusModule from '../../node-red/src/legalhooks-plexus';
import { statusTime } from '../../node-red/src/shared/status-time';
import { capturing, helper } from '../node-red/helper';

// Node statuses give times as 24-hour HH:MM:SS (toLocaleTimeString gave "3:04:05 PM" under en-US
// and 24-hour under other locales, and the action nodes used UTC).
const secret = 'b5e0c1d2a3f4e5d6c7b8a9f0e1d2c3b4';

describe('Node-RED status times', () => {
	it('are 24-hour HH:MM:SS in local time', () => {
		expect(statusTime(new Date(2024, 0, 2, 15, 4, 5))).toBe('15:04:05');
		expect(statusTime(new Date(2024, 0, 2, 0, 0, 9))).toBe('00:00:09');
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
		});
	});
});
