#!/usr/bin/env node
// Node-RED's scorecard (`node-red-dev validate`, the checks the flow library shows for a package)
// on what `npm pack` makes of node-red/: package (P01–P08), nodes (N01, N02), dependencies
// (D01–D03). It runs node-red-dev's own check functions; the two checks that read the flow
// library's catalogue (P08 similar package names, N01 unique node names) are reported as not
// checked when catalogue.nodered.org cannot be reached — node-red-dev itself aborts there. P06, P07,
// D02 and D03 ask the npm registry, as `npm ci` does. Any other failed check fails this script.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const devDir = path.dirname(require.resolve('node-red-dev/package.json'));
const fromDev = (name) => require(require.resolve(name, { paths: [devDir] }));
const CATALOGUE = 'https://catalogue.nodered.org/catalogue.json';
const CATALOGUE_CHECKS = ['P08', 'N01'];

/** node-red-dev's axios, with the catalogue request answered "unreachable" instead of throwing. */
function watchCatalogue() {
	const axios = fromDev('axios');
	const get = axios.get.bind(axios);
	const state = { unreachable: undefined };
	axios.get = async (url, ...rest) => {
		if (url !== CATALOGUE) return get(url, ...rest);
		try {
			return await get(url, ...rest);
		} catch (error) {
			if (error.response) throw error;
			state.unreachable = error.code || error.message;
			return { data: { modules: [] } };
		}
	};
	return state;
}

function packNodeRed() {
	const out = fs.mkdtempSync(path.join(os.tmpdir(), 'legalhooks-scorecard-'));
	const [{ filename }] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', out], { cwd: path.join(root, 'node-red'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
	execFileSync('tar', ['-xzf', path.join(out, filename), '-C', out]);
	return { dir: path.join(out, 'package'), cleanup: () => fs.rmSync(out, { recursive: true, force: true }) };
}

async function scorecardOf(dir) {
	const catalogue = watchCatalogue();
	const errors = [];
	const lines = [];
	const cli = { log: (m) => lines.push(`  ${m}`), warn: (m) => lines.push(`  ⚠ ${m}`), error: (e) => errors.push(e) };
	const scorecard = {};
	await require(path.join(devDir, 'src/libs/checkpackage'))(dir, cli, scorecard, false);
	await require(path.join(devDir, 'src/libs/checknodes'))(dir, cli, scorecard, false);
	await require(path.join(devDir, 'src/libs/checkdeps'))(dir, cli, scorecard, false);
	if (catalogue.unreachable) {
		for (const check of CATALOGUE_CHECKS) scorecard[check] = { test: null, skipped: `${CATALOGUE} unreachable (${catalogue.unreachable})` };
	}
	// with an unreachable catalogue, node-red-dev's "✅" for P08 and N01 compared against nothing
	const hollow = /No similar named packages found|Nodes all have unique names/;
	for (const line of lines) if (!(catalogue.unreachable && hollow.test(line))) console.log(line);
	return { scorecard, errors };
}

async function main() {
	const packed = packNodeRed();
	let result;
	try {
		result = await scorecardOf(packed.dir);
	} finally {
		packed.cleanup();
	}
	const { scorecard, errors } = result;
	const checks = Object.keys(scorecard).filter((key) => /^[PND]\d\d$/.test(key)).sort();
	const failed = checks.filter((key) => scorecard[key].test === false);
	const skipped = checks.filter((key) => scorecard[key].test === null);
	for (const key of skipped) console.log(`  – ${key} not checked: ${scorecard[key].skipped}`);
	for (const error of errors) console.error(`  ✖ node-red-dev stopped: ${error.message || error}`);
	console.log(
		`Node-RED scorecard (node-red-dev validate), packed ${scorecard.package?.name}@${scorecard.package?.version}: ` +
			`${checks.length - failed.length - skipped.length} passed${failed.length ? `, failed: ${failed.join(' ')}` : ''}` +
			`${skipped.length ? `, not checked: ${skipped.join(' ')}` : ''}`,
	);
	return failed.length === 0 && errors.length === 0 && checks.length > 0 ? 0 : 1;
}

main().then(
	(code) => {
		// npm-check / readline in node-red-dev keep handles open
		process.exit(code);
	},
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
