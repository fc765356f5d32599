// n8n output schemas: n8n serves `<node dir>/__schema__/v<version>[/<resource>/<operation>].json`
// (n8n-core resolveOutputSchemaPath; the editor asks for the version padded to x.y.z) so the
// editor can preview a node's output before it ran. Our triggers have no resource or operation,
// so each gets `__schema__/v<x.y.z>.json`: the normalized event's zod schema as JSON Schema, with
// `vendor` fixed and `type` narrowed to what that vendor's events normalize to.
const fs = require('node:fs');
const path = require('node:path');

/** 1 → 1.0.0, 1.1 → 1.1.0, as n8n pads it. */
function padVersion(version) {
	return String(version).split('.').concat(['0', '0']).slice(0, 3).join('.');
}

/** The JSON Schema of one vendor's trigger output, from the compiled core in `distDir`. */
function outputSchemaFor(distDir, vendorId) {
	const { z } = require('zod/v4');
	const { NormalizedEventSchema } = require(path.join(distDir, 'core', 'event', 'normalized-event.js'));
	const { triggerEditorFacts } = require(path.join(distDir, 'core', 'vendors', 'trigger-options.js'));
	const facts = triggerEditorFacts[vendorId];
	if (!facts) throw new Error(`no trigger facts for vendor "${vendorId}"`);
	const types = [...new Set([...facts.normalizedTypes, 'other'])];
	const schema = NormalizedEventSchema.extend({
		vendor: z.literal(vendorId),
		type: z.enum(types),
		vendorEventType: z.string().describe(`The vendor's own event name: ${facts.events.map((event) => event.value).join(', ')}`),
	});
	return z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' });
}

/**
 * Writes the schema of every trigger node the n8n package in `packageDir` declares (built), from the
 * compiled core in `coreDistDir`; returns the files written, relative to `packageDir`.
 */
function writeOutputSchemas(packageDir, coreDistDir) {
	const written = [];
	const pkg = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
	for (const entry of pkg.n8n.nodes) {
		const file = path.join(packageDir, entry);
		const className = path.basename(file, '.node.js');
		if (!className.endsWith('Trigger')) continue;
		const NodeClass = require(file)[className];
		const { name, version } = new NodeClass().description;
		const vendorId = name.replace(/(Poll)?Trigger$/, '').toLowerCase();
		for (const v of Array.isArray(version) ? version : [version]) {
			const target = path.join(path.dirname(file), '__schema__', `v${padVersion(v)}.json`);
			fs.mkdirSync(path.dirname(target), { recursive: true });
			fs.writeFileSync(target, `${JSON.stringify(outputSchemaFor(coreDistDir, vendorId), null, '\t')}\n`);
			written.push(path.relative(packageDir, target));
		}
	}
	return written;
}

module.exports = { outputSchemaFor, writeOutputSchemas, padVersion };
