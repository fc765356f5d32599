import { randomBytes } from 'node:crypto';
import { extractBase64Values, restoreBase64Values } from '../../core/inbound/base64-values';

const b64 = (bytes: number) => randomBytes(bytes).toString('base64');

/** JSON.parse of the body, and of the extracted text with every marker put back: they must agree. */
function roundTrip(body: string | Buffer, minLength = 8) {
	const raw = Buffer.isBuffer(body) ? body : Buffer.from(body);
	const values = extractBase64Values(raw, 'data', minLength);
	let expected: unknown;
	let expectedError = false;
	try {
		expected = JSON.parse(raw.toString('utf8'));
	} catch {
		expectedError = true;
	}
	let got: unknown;
	let gotError = false;
	try {
		got = JSON.parse(values.text);
		restoreBase64Values(got, values, () => false);
	} catch {
		gotError = true;
	}
	expect(gotError).toBe(expectedError);
	if (!expectedError) expect(got).toEqual(expected);
	return values;
}

describe('extractBase64Values', () => {
	it('takes out strict base64 under the key and gives back the same bytes; the rest parses as JSON.parse does', () => {
		const pdf = randomBytes(3000);
		const body = JSON.stringify({ files: { generated: [{ fileName: 'a.pdf', data: pdf.toString('base64') }], uploaded: [] }, data: 'short', other: { data: b64(30) } });
		const values = extractBase64Values(Buffer.from(body), 'data', 100);
		expect(values.count).toBe(1);
		expect(values.text.length).toBeLessThan(400);
		const parsed = JSON.parse(values.text) as { files: { generated: Array<{ data: string }> } };
		restoreBase64Values(parsed, values, (path) => path.join('.') === 'files.generated.0.data');
		expect(values.isMarker(parsed.files.generated[0].data)).toBe(true);
		expect(values.take(parsed.files.generated[0].data)!.equals(pdf)).toBe(true);
		expect(values.take(parsed.files.generated[0].data)).toBeUndefined();
		expect(roundTrip(body, 100).count).toBe(1);
	});

	it('leaves escapes, non-base64, wrong lengths, keys named alike and non-string values alone', () => {
		const cases = [
			{ data: `${b64(30)}\n${b64(30)}` },
			{ data: `${b64(30)}"` },
			{ data: `${b64(30)}\\` },
			{ data: `${b64(30)}é` },
			{ data: b64(31).replace(/=+$/, '') },
			{ 'data ': b64(60), xdata: b64(60), dat: b64(60) },
			{ data: 12, d: [b64(60), { data: null }] },
			{ data: `=${b64(30)}` },
			{ '"data"': b64(30), 'a\\"': { data: b64(30) } },
			{ data: '' },
		];
		for (const value of cases) roundTrip(JSON.stringify(value));
		for (const value of cases) roundTrip(JSON.stringify(value, null, 2));
		expect(roundTrip(JSON.stringify({ data: b64(30) })).count).toBe(1);
		expect(roundTrip('{ "data" :\t\n "' + b64(30) + '" }').count).toBe(1);
	});

	it('agrees with JSON.parse on broken and hostile text', () => {
		const data = b64(30);
		const bodies = [
			`{"data": "${data}"`,
			`{"data": "${data}`,
			`{"data" "${data}"}`,
			`{"k": x"${data}", "data": "${data}"}`,
			`["data": "${data}"]`,
			`{"a": "\\"data\\": \\"${data}\\""}`,
			`{"data": "${data}", "data": "${b64(33)}"}`,
			`{"\\u0064ata": "${data}"}`,
			`{"data": "${data}"} trailing`,
			`{"data": "${data}"}`.replace('"}', '"\u0000}'),
			`{"__proto__": {"data": "${data}"}}`,
		];
		for (const body of bodies) roundTrip(body);
		roundTrip(Buffer.concat([Buffer.from('{"x": "'), Buffer.from([0xe2, 0x82]), Buffer.from(`", "data": "${data}"}`)]));
		roundTrip(Buffer.concat([Buffer.from(`{"data": "${data}", "y": "`), Buffer.from([0xf0, 0x9f]), Buffer.from('"}')]));
	});

	it('fuzz: random documents with base64 fields under random nesting agree with JSON.parse', () => {
		const leaf = (depth: number): unknown => {
			const pick = Math.random();
			if (depth > 3 || pick < 0.3) return [b64(Math.floor(Math.random() * 40)), 'a"b\\c\n', 7, null, true][Math.floor(Math.random() * 5)];
			if (pick < 0.6) return Array.from({ length: Math.floor(Math.random() * 4) }, () => leaf(depth + 1));
			return Object.fromEntries(Array.from({ length: Math.floor(Math.random() * 4) }, (_, i) => [['data', `k${i}`, 'da"ta', 'data\\'][Math.floor(Math.random() * 4)], leaf(depth + 1)]));
		};
		for (let i = 0; i < 500; i++) {
			const text = JSON.stringify({ data: leaf(0), files: leaf(0) }, null, i % 2 ? 1 : undefined);
			roundTrip(text);
			// and cut short or with a byte changed
			roundTrip(text.slice(0, Math.floor(Math.random() * text.length)));
			const at = Math.floor(Math.random() * text.length);
			roundTrip(text.slice(0, at) + ['"', '\\', '{', ':', ' '][i % 5] + text.slice(at + 1));
		}
	});
});
