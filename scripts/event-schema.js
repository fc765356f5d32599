#!/usr/bin/env node
// The event contract, published: the JSON Schema of what every trigger emits, generated from the zod
// schema in core/event/normalized-event.ts (zod 4's toJSONSchema) after tsc, and shipped in every package.
// Run by scripts/build.js; `node scripts/event-schema.js` regenerates it alone after a build.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const SCHEMA_FILE = 'normalized-event.schema.json';
const { n8nPackages } = require('./n8n-packages');

/** Where each package ships it, next to its compiled core (every n8n package and the Node-RED one). */
const targets = () => [...n8nPackages().map((p) => `${p.dir}/dist/core`), 'node-red/dist/core'];

/** The JSON Schema of a zod schema of the emitted event (the tests pass the one from the sources). */
function toEventJsonSchema(z, schema) {
	return { ...z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output' }), $id: `urn:legalhooks:${SCHEMA_FILE}` };
}

function eventJsonSchema() {
	const { z } = require(path.join(root, 'node_modules/zod/v4'));
	return toEventJsonSchema(z, require(path.join(root, 'dist/core/event/normalized-event.js')).EmittedEventSchema);
}

function writeEventSchema() {
	const text = `${JSON.stringify(eventJsonSchema(), null, '\t')}\n`;
	const dirs = targets();
	for (const dir of dirs) {
		fs.mkdirSync(path.join(root, dir), { recursive: true });
		fs.writeFileSync(path.join(root, dir, SCHEMA_FILE), text);
	}
	return dirs.map((dir) => `${dir}/${SCHEMA_FILE}`);
}

module.exports = { toEventJsonSchema, eventJsonSchema, writeEventSchema, SCHEMA_FILE };

if (require.main === module) console.log(`wrote ${writeEventSchema().join(', ')}`);
