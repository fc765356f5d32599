import { buildSlackMessage, escapeAndTruncate, SLACK_METADATA_EVENT_TYPE, SLACK_SECTION_MAX } from '../../core/destinations/slack';
import { executedContract, signedEvent } from '../../sandbox/simulators/destination-events';

describe('Slack message building', () => {
	it('lays out title, canonical status, vendor, who and when, with the ids in metadata', () => {
		const event = signedEvent();
		const message = buildSlackMessage(event);
		expect(message.text).toBe('Master Services Agreement: completed (Legalesign) — Jane Signer &lt;jane.signer@example.com&gt;');
		expect(message.metadata).toEqual({
			event_type: SLACK_METADATA_EVENT_TYPE,
			event_payload: { event_id: event.id, document_id: event.document.id, vendor: 'legalesign', status: 'completed' },
		});
		const [header, section, context] = message.blocks as any[];
		expect(header).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Master Services Agreement', emoji: false } });
		// Legalesign's events name no document page: the title, not a link
		expect(section.text.text).toBe('*Master Services Agreement*');
		expect(section.fields.map((f: any) => f.text)).toEqual([
			'*Status*\nCompleted',
			'*Vendor*\nLegalesign',
			'*Who*\nJane Signer &lt;jane.signer@example.com&gt;',
			'*When*\n<!date^1709287200^{date_short_pretty} {time}|2024-03-01T10:00:00.000Z>',
		]);
		expect(context.elements[0].text).toContain(event.id);
	});

	it('uses the override text (with placeholders); blocks can be turned off', () => {
		const event = executedContract();
		const message = buildSlackMessage(event, { text: 'Signed: {{document.title}} with {{data.counterpartyName}} — {{statusLabel}}' });
		expect(message.text).toBe('Signed: Service Agreement for Company A with Company A — Completed');
		expect((message.blocks as any[])[1].text.text).toBe('Signed: Service Agreement for Company A with Company A — Completed');
		expect(buildSlackMessage(event, { blocks: false }).blocks).toBeUndefined();
	});

	it('links only a page that opens later: never the document file URL (Plexus: presigned, 15 minutes, redacted)', () => {
		const plexus = executedContract();
		expect(plexus.document.url).toMatch(/^https:\/\/legalgateway-local/);
		for (const options of [{}, { text: '{{document.title}} signed' }]) {
			const blocks = JSON.stringify(buildSlackMessage(plexus, options).blocks);
			expect(blocks).not.toContain('legalgateway-local');
			expect(blocks).not.toMatch(/<https?:/);
		}
	});

	it("links the title to Legito's document page (detailLink)", () => {
		const page = 'https://emea.legito.com/US/en/document-record/detail/1234';
		const event = signedEvent({ vendor: 'legito', vendorEventType: 'SignCompleted', data: { detailLink: page } });
		expect((buildSlackMessage(event).blocks as any[])[1].text.text).toBe(`<${page}|Master Services Agreement>`);
		const custom = buildSlackMessage(event, { text: 'Signed: {{document.title}}' }).blocks as any[];
		expect(custom[2].text.text).toBe(`<${page}|Master Services Agreement>`);
		const notHttp = signedEvent({ vendor: 'legito', data: { detailLink: 'javascript:alert(1)' } });
		expect((buildSlackMessage(notHttp).blocks as any[])[1].text.text).toBe('*Master Services Agreement*');
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
