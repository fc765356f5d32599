#!/usr/bin/env node
// `npm start`: Node-RED embedded in an express server on 127.0.0.1 with this project's nodes and a
// sandbox flow per trigger (the examples, with sandbox secrets), so the nodes can be tried with
// `npx legalhooks send` and no vendor account. Run `npm run build` first (npm start does).
const express = require('express');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const RED = require('node-red');

const root = path.resolve(__dirname, '..');
const port = Number(process.env.PORT || 1880);
const host = '127.0.0.1';
const userDir = process.env.LEGALHOOKS_USER_DIR || path.join(root, '.cache', 'node-red');
const examplesDir = path.join(root, 'node-red', 'examples');
const SANDBOX_SECRET = 'sandbox-secret-0123456789abcdef';
const SANDBOX_KEY = 'sandbox-key';

/** The trigger examples merged into one flow file, each account given the sandbox secret. */
function sandboxFlows() {
	const flows = [];
	const credentials = {};
	for (const file of fs.readdirSync(examplesDir).filter((f) => f.endsWith('.json')).sort()) {
		const nodes = JSON.parse(fs.readFileSync(path.join(examplesDir, file), 'utf8'));
		const hasTrigger = nodes.some((n) => /^legalhooks-.*-trigger$/.test(n.type));
		if (!hasTrigger) continue;
		for (const node of nodes) {
			if (/^legalhooks-.*-account$/.test(node.type)) {
				node.baseUrl = node.baseUrl || `http://${host}:${port}`;
				credentials[node.id] = { secret: SANDBOX_SECRET, key: SANDBOX_KEY };
			}
			if (!flows.some((existing) => existing.id === node.id)) flows.push(node);
		}
	}
	return { flows, credentials };
}

async function main() {
	fs.mkdirSync(userDir, { recursive: true });
	const flowFile = path.join(userDir, 'flows.json');
	if (!fs.existsSync(flowFile)) {
		const { flows, credentials } = sandboxFlows();
		fs.writeFileSync(flowFile, JSON.stringify(flows, null, 2));
		fs.writeFileSync(path.join(userDir, 'flows_cred.json'), JSON.stringify(credentials, null, 2));
	}

	const app = express();
	const server = http.createServer(app);
	RED.init(server, {
		httpAdminRoot: '/red',
		httpNodeRoot: '/',
		userDir,
		flowFile: 'flows.json',
		credentialSecret: false,
		nodesDir: [path.join(root, 'node-red')],
		uiHost: host,
		uiPort: port,
		functionGlobalContext: {},
		logging: { console: { level: 'info', metrics: false, audit: false } },
		editorTheme: { tours: false, projects: { enabled: false } },
	});
	app.use('/red', RED.httpAdmin);
	app.use('/', RED.httpNode);

	const started = new Promise((resolve) => RED.events.once('flows:started', resolve));
	await new Promise((resolve) => server.listen(port, host, resolve));
	await RED.start();
	await started;

	const flows = JSON.parse(fs.readFileSync(flowFile, 'utf8'));
	console.log(`\nlegalhooks sandbox: Node-RED editor at http://${host}:${port}/red/`);
	for (const node of flows.filter((n) => /^legalhooks-.*-trigger$/.test(n.type))) {
		const vendor = node.type.replace(/^legalhooks-|-trigger$/g, '');
		const url = `http://${host}:${port}/legalhooks/${vendor}/${node.path || node.id}`;
		console.log(`  ${node.name || node.type}: ${url}`);
		console.log(`    try: npx legalhooks send ${vendor} <event> --url ${url} --secret ${SANDBOX_SECRET} --key ${SANDBOX_KEY}   (events: npx legalhooks list)`);
	}

	const stop = async () => {
		await RED.stop();
		server.close();
		server.closeAllConnections();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
