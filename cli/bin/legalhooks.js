#!/usr/bin/env node
'use strict';
// Runs the compiled CLI when built, else the TypeScript sources through tsx (a clone after `npm ci`).
const path = require('node:path');
const fs = require('node:fs');

const compiled = path.join(__dirname, '..', 'dist', 'cli', 'src', 'main.js');
let cli;
if (fs.existsSync(compiled)) {
	cli = require(compiled);
} else {
	require('tsx/cjs');
	cli = require(path.join(__dirname, '..', 'src', 'main.ts'));
}
const io = { out: (line) => console.log(line), err: (line) => console.error(line), version: require('../package.json').version };
cli
	.main(process.argv.slice(2), io)
	.then((code) => process.exit(code))
	.catch((error) => {
		console.error(`legalhooks: ${error.message}`);
		process.exit(1);
	});
