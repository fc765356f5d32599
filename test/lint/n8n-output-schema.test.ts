import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NormalizedEventSchema } from '../../core/event/normalized-event';
import { sampleSets } from '../../core/samples/sets';
import { ingest } from '../../core/inbound/ingest';
import { DEFAULT_TRIGGER_OPTIONS } from '../../core/vendors/definition';
import { vendors } from '../../core/vendors';
import { triggerEditorFacts } from '../../core/vendors/trigger-options';

// n8n previews a node's output from `<node dir>/__schema__/v<x.y.z>.json` (n8n-core
// resolveOutputSchemaPath; the editor asks for /schemas/<node>/<x.y.z>.json). scripts/build.js
// writes one per trigger from the zod NormalizedEvent schema; this builds a private copy of the
// working tree (a concurrent build elsewhere wipes dist/), packs it as npm publishes it, and reads
// the schemas out of the tarball.
const root = path.resolve(__dirname, '../..');
const packageDirs = fs.readdirSync(path.join(root, 'n8n')).filter((dir) => fs.existsSync(path.join(root, 'n8n', dir, 'package.json')));
/** Each trigger as `<package dir>/<node entry>`, e.g. `legito/dist/nodes/LegitoTrigger/LegitoTrigger.node.js`. */
const triggerNodes = packageDirs.flatMap((dir) => {
	const pkg = JSON.parse(fs.readFileSync(path.join(root, 'n8n', dir, 'package.json'), 'utf8'));
	return (pkg.n8n.nodes as string[]).filter((file) => /Trigger\.node\.js$/.test(file)).map((file) => `${dir}/${file}`);
});

let work: string;
/** Per package dir: the tarball's file list, and where it was unpacked. */
const packed: Record<string, string[]> = {};
const unpacked: Record<string, string> = {};
const schemaPath = (nodeFile: string) => {
	const [dir, ...rest] = nodeFile.split('/');
	return { dir, file: `package/${path.dirname(rest.join('/'))}/__schema__/v1.0.0.json` };
};

beforeAll(() => {
	work = fs.mkdtempSync(path.join(os.tmpdir(), 'legalhooks-schema-'));
	const src = path.join(work, 'src');
	const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
	for (const file of files) {
		const from = path.join(root, file);
		if (!fs.existsSync(from) || fs.statSync(from).isDirectory()) continue;
		fs.mkdirSync(path.dirname(path.join(src, file)), { recursive: true });
		fs.copyFileSync(from, path.join(src, file));
	}
	fs.symlinkSync(path.join(root, 'node_modules'), path.join(src, 'node_modules'));
	execFileSync(process.execPath, [path.join(src, 'scripts', 'build.js')], { cwd: src, stdio: 'ignore' });
	for (const dir of packageDirs) {
		const [{ filename }] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: path.join(src, 'n8n', dir), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
		unpacked[dir] = path.join(work, `unpacked-${dir}`);
		fs.mkdirSync(unpacked[dir]);
		execFileSync('tar', ['-xzf', path.join(work, filename), '-C', unpacked[dir]]);
		packed[dir] = execFileSync('tar', ['-tzf', path.join(work, filename)], { encoding: 'utf8' }).split('\n').filter(Boolean);
	}
}, 300_000);

afterAll(() => {
	if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('n8n output schema in the packed tarball', () => {
	it('has a trigger for every vendor to check, one per package, and a polling trigger where the vendor API allows it', () => {
		const polling = triggerNodes.filter((file) => /PollTrigger\.node\.js$/.test(file));
		expect(triggerNodes).toHaveLength(5 + polling.length);
		expect(new Set(triggerNodes.map((file) => file.split('/')[0])).size).toBe(5);
		expect(polling.map((file) => file.split('/')[0]).sort()).toEqual(['legalesign', 'legito', 'phenixid-signing', 'quicklysign']);
	});

	it("ships no schema in a package that has no trigger, and each package only its own trigger's", () => {
		for (const dir of packageDirs) {
			// one schema per node version (a versioned node, e.g. Legalesign Trigger 1 and 2, has one per version)
			const nodeFolder = (file: string) => file.replace(/\/__schema__\/.*$/, '');
			const schemaFolders = new Set(packed[dir].filter((file) => file.includes('/__schema__/')).map(nodeFolder));
			expect([...schemaFolders].sort()).toEqual(triggerNodes.filter((file) => file.startsWith(`${dir}/`)).map((file) => nodeFolder(schemaPath(file).file)).sort());
		}
	});

	it.each(triggerNodes)('%s ships __schema__/v1.0.0.json: the normalized event of its vendor', (nodeFile) => {
		const { dir, file: schemaFile } = schemaPath(nodeFile);
		expect(packed[dir]).toContain(schemaFile);
		const schema = JSON.parse(fs.readFileSync(path.join(unpacked[dir], schemaFile), 'utf8'));
		// what the n8n editor accepts as a preview schema
		expect(schema.type).toBe('object');
		expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(NormalizedEventSchema.shape).sort());
		expect(schema.required).toEqual(expect.arrayContaining(['id', 'vendor', 'type', 'document', 'receivedAt']));
		const vendorId = schema.properties.vendor.const as keyof typeof triggerEditorFacts;
		expect(path.basename(nodeFile).toLowerCase().replace('polltrigger', 'trigger')).toBe(`${vendorId}trigger.node.js`);
		expect(schema.properties.type.enum).toEqual(expect.arrayContaining([...triggerEditorFacts[vendorId].normalizedTypes]));
		expect(schema.properties.document.properties.status.enum).toContain('completed');
	});

	it('describes what the triggers really emit: every vendor sample normalizes to a type its schema lists', () => {
		let checked = 0;
		for (const nodeFile of triggerNodes) {
			const { dir, file: schemaFile } = schemaPath(nodeFile);
			const schema = JSON.parse(fs.readFileSync(path.join(unpacked[dir], schemaFile), 'utf8'));
			const vendorId = schema.properties.vendor.const as keyof typeof vendors;
			const set = sampleSets[vendorId]!;
			for (const event of set.events) {
				const delivery = set.build(event, { secret: 'sample-secret-0123456789abcdef', key: 'k' }, {});
				const rawBody = Buffer.isBuffer(delivery.body) ? delivery.body : Buffer.from(delivery.body);
				const result = ingest(vendors[vendorId]!, { method: 'POST', rawBody, headers: delivery.headers, query: delivery.query }, {
					secret: 'sample-secret-0123456789abcdef',
					credentials: { key: 'k' },
					options: { ...DEFAULT_TRIGGER_OPTIONS, replayToleranceSeconds: 0 },
					now: new Date(),
				});
				if (!result.ok) continue;
				for (const emitted of result.events) {
					expect(NormalizedEventSchema.parse(emitted).vendor).toBe(vendorId);
					expect(schema.properties.type.enum).toContain(emitted.type);
					checked++;
				}
			}
		}
		expect(checked).toBeGreaterThan(10);
	});
});
