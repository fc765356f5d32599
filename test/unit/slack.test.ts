import { buildSlackMessage, escapeAndTruncate, SLACK_METADATA_EVENT_TYPE, SLACK_SECTION_MAX } from '../../core/destinations/slack';
import { executedContract, signedEvent } from '../../sandbox/simulators/destination-events';

describe('Slack message building', () => {
	it('lays out title + link, canonical status, vendor, who and when, with the ids in metadata', () => {
		const event = signedEvent();
		const message = buildSlackMessage(event);
		expect(message.text).toBe('Master Services Agreement: completed (Legalesign) — Jane Signer &lt;jane.signer@example.com&gt;');
		expect(message.metadata).toEqual({
			event_type: SLACK_METADATA_EVENT_TYPE,
			event_payload: { event_id: event.id, document_id: event.document.id, vendor: 'legalesign', status: 'completed' },
		});
		const [header, section, context] = message.blocks as any[];
		expect(header).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Master Services Agreement', emoji: false } });
		expect(section.text.text).toBe('<https://app.legalesign.com/document/3f2a9c1e|Master Services Agreement>');
		expect(section.fields.map((f: any) => f.text)).toEqual([
			'*Status*\nCompleted',
			'*Vendor*\nLegalesign',
			'*Who*\nJane Signer &lt;jane.signer@example.com&gt;',
			'*When*\n<!date^1709287200^{date_short_pretty} {time}|2024-03-01T10:00:00.000Z>',
		]);
		expect(context.elements[0].text).toContain(event.id);
	});

	it('uses the override text (with placeholders) and keeps the link; blocks can be turned off', () => {
		const event = executedContract();
		const message = buildSlackMessage(event, { text: 'Signed: {{document.title}} with {{data.counterpartyName}} — {{statusLabel}}' });
		expect(message.text).toBe('Signed: Service Agreement for Company A with Company A — Completed');
		expect((message.blocks as any[])[1].text.text).toBe('Signed: Service Agreement for Company A with Company A — Completed');
		expect(JSON.stringify(message.blocks)).toContain('legalgateway-local.s3.amazonaws.com');
		expect(buildSlackMessage(event, { blocks: false }).blocks).toBeUndefined();
	});

	it('escapes Slack control characters and drops non-http links', () => {
		const event = signedEvent({ document: { id: 'd1', title: 'A <b> & "c"', status: 'rejected', url: 'javascript:alert(1)' } });
		const section = (buildSlackMessage(event).blocks as any[])[1];
		expect(section.text.text).toBe('*A &lt;b&gt; &amp; "c"*');
	});

	it('top-level text is escaped: <!channel> in a document title does not ping', () => {
		const event = signedEvent({ document: { id: 'd1', title: 'Offer <!channel> <@U123>', status: 'completed' } });
		for (const options of [{}, { blocks: false }, { text: '{{document.title}} signed' }]) {
			const { text } = buildSlackMessage(event, options);
			expect(text).not.toMatch(/<!channel>|<@U123>/);
			expect(text).toContain('&lt;!channel&gt;');
		}
	});

	it('custom text is escaped before it is cut: a section never passes Slack’s 3,000 characters', () => {
		const event = signedEvent({ data: { note: '<'.repeat(5000) } as any });
		const message = buildSlackMessage(event, { text: '{{data.note}}' });
		const section = (message.blocks as any[])[1].text.text as string;
		expect(section.length).toBeLessThanOrEqual(SLACK_SECTION_MAX);
		expect(section).toMatch(/^(&lt;)+…$/);
		expect(escapeAndTruncate('a&b', 4)).toBe('a…');
	});
});
