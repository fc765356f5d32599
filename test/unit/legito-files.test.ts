import { ingest } from '../../core/inbound/ingest';
import { safeFileName } from '../../core/downloads/file-names';
import { LEGITO_LOG_PLACEHOLDER } from '../../core/vendors/legito/inbound';
import { fixture, payloadOf } from '../fuzz/vendor-fixtures';

const now = new Date('2026-11-23T08:00:00Z');
const f = fixture('legito');
type Files = { files: { generated: Array<{ fileName: string; size?: number; data: string }> } };

function deliver(change: (payload: Files) => void) {
	const payload = payloadOf(f.sample('SignCompleted', now), 'legito').json as Files;
	change(payload);
	const result = ingest(f.vendor, f.signedJson(JSON.stringify(payload)), f.context(now));
	if (!result.ok) throw new Error(result.reason);
	return result;
}

describe('Legito file names', () => {
	it.each([
		['../../../.ssh/authorized_keys.pdf', 'authorized_keys.pdf'],
		['..\\..\\windows\\system32\\evil.docx', 'evil.docx'],
		['/etc/passwd', 'passwd'],
		['contract\u0000.pdf\n', 'contract.pdf'],
		['in\u001b[31mvoice\u007f.pdf', 'in[31mvoice.pdf'],
		['report\u202Efdp.exe', 'reportfdp.exe'],
		['..', 'file0'],
		['dir/', 'file0'],
		['  serviceagreement.pdf', 'serviceagreement.pdf'],
	])('%j → %j', (name, safe) => expect(safeFileName(name, 'file0')).toBe(safe));

	it('keeps at most 255 characters', () => expect(safeFileName(`${'a'.repeat(400)}.pdf`, 'f')).toHaveLength(255));

	it('a delivered traversal name reaches files and data only as its base name', () => {
		const result = deliver((p) => {
			p.files.generated[1].fileName = '../../../.ssh/authorized_keys.pdf';
		});
		expect(result.files?.map((file) => file.fileName)).toEqual(['serviceagreement.docx', 'authorized_keys.pdf']);
		expect(result.events[0].files.map((file) => file.fileName)).toEqual(['serviceagreement.docx', 'authorized_keys.pdf']);
		expect(JSON.stringify(result.events[0])).not.toContain('../');
	});
});

describe('Legito file data', () => {
	it('data that is not base64 is not emitted; the reason is in data.fileErrors and the event still is', () => {
		const result = deliver((p) => {
			p.files.generated[0].data = 'not base64 at all!';
		});
		expect(result.files?.map((file) => file.fileName)).toEqual(['serviceagreement.pdf']);
		expect(result.events[0].data.fileErrors).toEqual([{ fileName: 'serviceagreement.docx', kind: 'generated', reason: 'the file data is not valid base64' }]);
	});

	it('the Push API log placeholder is named as such', () => {
		const result = deliver((p) => {
			for (const file of p.files.generated) file.data = LEGITO_LOG_PLACEHOLDER;
		});
		expect(result.files).toEqual([]);
		expect(result.events[0].data.fileErrors).toEqual([
			expect.objectContaining({ reason: expect.stringContaining('log placeholder') }),
			expect.objectContaining({ reason: expect.stringContaining('log placeholder') }),
		]);
	});

	it('a decoded size other than the declared size is refused', () => {
		const result = deliver((p) => {
			p.files.generated[1].size = 19408;
		});
		expect(result.files?.map((file) => file.fileName)).toEqual(['serviceagreement.docx']);
		expect(result.events[0].data.fileErrors).toEqual([expect.objectContaining({ fileName: 'serviceagreement.pdf', reason: expect.stringContaining('declared 19408') })]);
	});

	it('base64 with MIME line breaks decodes; no declared size is fine', () => {
		const result = deliver((p) => {
			const file = p.files.generated[1];
			file.data = (file.data.match(/.{1,8}/g) ?? []).join('\r\n');
			delete file.size;
		});
		expect(result.files?.[1].data.toString()).toContain('%PDF-1.4');
		expect(result.events[0].data.fileErrors).toBeUndefined();
	});
});

describe('Legito file data in a large body (decoded from the bytes, json-base64-values.ts)', () => {
	const big = (bytes: number, fill: number) => Buffer.alloc(bytes, fill);
	/** The same delivery once with the files at full size and once as the small path sees it (raw compared without the file data). */
	function large(change: (payload: Files & Record<string, unknown>) => void) {
		const payload = payloadOf(f.sample('SignCompleted', now), 'legito').json as Files & Record<string, unknown>;
		change(payload);
		const body = JSON.stringify(payload);
		expect(body.length).toBeGreaterThan(256 * 1024);
		const result = ingest(f.vendor, f.signedJson(body), { ...f.context(now), options: { ...f.context(now).options, includeRaw: true, maxBodyBytes: 0 } });
		if (!result.ok) throw new Error(result.reason);
		return result;
	}

	it('files decode to the same bytes, the raw payload holds the placeholder and every other value is as sent', () => {
		const pdf = big(300_000, 7);
		const docx = big(200_000, 9);
		const other = big(100_000, 3).toString('base64');
		const result = large((p) => {
			p.files.generated[0].data = docx.toString('base64');
			p.files.generated[0].size = docx.length;
			p.files.generated[1].data = pdf.toString('base64');
			p.files.generated[1].size = pdf.length;
			p.extra = { data: other, list: [{ data: other }] };
		});
		expect(result.files?.map((file) => [file.fileName, file.size])).toEqual([
			['serviceagreement.docx', docx.length],
			['serviceagreement.pdf', pdf.length],
		]);
		expect(result.files![0].data.equals(docx)).toBe(true);
		expect(result.files![1].data.equals(pdf)).toBe(true);
		const raw = result.events[0].raw as { files: Files['files']; extra: { data: string; list: Array<{ data: string }> } };
		expect(raw.files.generated.map((file) => file.data)).toEqual(['Base64 file data moved to the binary output', 'Base64 file data moved to the binary output']);
		expect(raw.extra).toEqual({ data: other, list: [{ data: other }] });
		expect(JSON.stringify(result.events[0])).not.toContain('legalhooks-base64-');
	});

	it('a wrong declared size, data that is not base64 and MIME line breaks are handled as in a small body', () => {
		const pdf = big(300_000, 7);
		const result = large((p) => {
			p.files.generated[0].data = `${pdf.toString('base64').slice(0, 100_000)}!!!!`;
			p.files.generated[1].data = pdf.toString('base64');
			p.files.generated[1].size = pdf.length + 1;
			(p.files as Record<string, unknown>).uploaded = [{ fileName: 'u.pdf', data: (pdf.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n') }];
		});
		expect(result.files?.map((file) => file.fileName)).toEqual(['u.pdf']);
		expect(result.files![0].data.equals(pdf)).toBe(true);
		expect(result.events[0].data.fileErrors).toEqual([
			{ fileName: 'serviceagreement.docx', kind: 'generated', reason: 'the file data is not valid base64' },
			expect.objectContaining({ fileName: 'serviceagreement.pdf', reason: expect.stringContaining(`declared ${pdf.length + 1}`) }),
		]);
	});
});
