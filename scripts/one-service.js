#!/usr/bin/env node
// One service per n8n package (n8n's verification guidelines: "Each package should integrate exactly
// one third-party service"): what a package's nodes and credentials show users — every text of the
// built node and credential descriptions (display names, names, descriptions, notices, options,
// documentation URLs, credential fields) and the codex JSON (aliases, documentation links) — names no
// service but its own, by name or API host. The actions package (Slack, Salesforce, Xero: never
// verifiable, n8n has those nodes) may name its three destinations and no vendor.
const fs = require('node:fs');
const path = require('node:path');
const { n8nPackages } = require('./n8n-packages');

/** Every service a package could name: its name as users write it, and its API hosts. */
const SERVICES = {
	legito: /legito/i,
	legalesign: /legalesign/i,
	plexus: /plexus|plexlogic/i,
	quicklysign: /quickly\s*sign/i,
	phenixid: /phenix\s*id/i,
	slack: /\bslack\b|slack\.com/i,
	salesforce: /salesforce|force\.com/i,
	xero: /\bxero\b/i,
};

/** The services each package is about (by its folder under n8n/). */
const OWN = {
	legito: ['legito'],
	legalesign: ['legalesign'],
	'plexus-gateway': ['plexus'],
	quicklysign: ['quicklysign'],
	'phenixid-signing': ['phenixid'],
	actions: ['slack', 'salesforce', 'xero'],
};

/** Every string in `value` with the path it was found at. */
function strings(value, at, out = []) {
	if (typeof value === 'string') out.push({ at, text: value });
	else if (Array.isArray(value)) value.forEach((item, index) => strings(item, `${at}[${index}]`, out));
	else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) strings(item, `${at}.${key}`, out);
	return out;
}

/** What in `texts` names a service other than `own`: [{ at, service, text }]. */
function otherServices(texts, own) {
	const findings = [];
	for (const { at, text } of texts) {
		for (const [service, pattern] of Object.entries(SERVICES)) {
			if (!own.includes(service) && pattern.test(text)) findings.push({ at, service, text: text.length > 120 ? `${text.slice(0, 117)}...` : text });
		}
	}
	return findings;
}

/** The texts of a built n8n package in `dir` (package.json n8n entries and their codex files). */
function packageTexts(dir) {
	const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
	const texts = [];
	for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
		const file = path.join(dir, entry);
		const exported = require(file);
		for (const [name, Type] of Object.entries(exported)) {
			if (typeof Type !== 'function') continue;
			const instance = new Type();
			strings(instance.description ?? instance, `${entry} ${name}`, texts);
		}
		const codex = file.replace(/\.js$/, '.json');
		if (fs.existsSync(codex)) strings(JSON.parse(fs.readFileSync(codex, 'utf8')), path.relative(dir, codex), texts);
	}
	return texts;
}

function main() {
	let failed = false;
	for (const p of n8nPackages()) {
		const own = OWN[p.short];
		if (!own) {
			console.error(`one service: ${p.dir} has no entry in scripts/one-service.js OWN (which service is it?)`);
			failed = true;
			continue;
		}
		const texts = packageTexts(p.abs);
		const findings = otherServices(texts, own);
		for (const f of findings) console.error(`one service: ${p.dir} names ${f.service} at ${f.at}: ${JSON.stringify(f.text)}`);
		console.log(`one service: ${p.pkg.name}: ${texts.length} texts, ${findings.length === 0 ? `only ${own.join(', ')}` : `${findings.length} naming another service`}`);
		failed ||= findings.length > 0 || texts.length === 0;
	}
	return failed ? 1 : 0;
}

module.exports = { SERVICES, OWN, otherServices, packageTexts, strings };

if (require.main === module) process.exitCode = main();
