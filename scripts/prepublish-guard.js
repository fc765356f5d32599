#!/usr/bin/env node
// prepublishOnly of every package (n8n/<service>/, node-red/, cli/): a publish happens only from the tag
// workflow (.github/workflows/publish.yml), from the package's own tag (`<folder>-v<version>`), with
// npm provenance — n8n verifies only community packages published so — and with the build in place. `publishConfig.provenance` makes a publish outside CI
// fail in npm as well, also when scripts are off (this repository's .npmrc has ignore-scripts).
const fs = require('node:fs');
const path = require('node:path');

function refusal(env, cwd) {
	if (env.GITHUB_ACTIONS !== 'true') return 'publish from the version-tag workflow (.github/workflows/publish.yml), not by hand: n8n verifies only packages published from CI with npm provenance';
	if (env.npm_config_provenance !== 'true') return 'npm provenance is off: publish with --provenance (or publishConfig.provenance)';
	const pkg = JSON.parse(fs.readFileSync(path.join(cwd, 'package.json'), 'utf8'));
	const ownTag = `${path.basename(cwd)}-v${pkg.version}`;
	if (env.GITHUB_REF_TYPE === 'tag' && env.GITHUB_REF_NAME !== ownTag) return `the tag ${env.GITHUB_REF_NAME} is not this package's (${ownTag}): each package is published from its own tag`;
	const entries = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? []), ...Object.values(pkg['node-red']?.nodes ?? {}), ...(pkg.main ? [pkg.main] : [])];
	const missing = entries.filter((file) => !fs.existsSync(path.join(cwd, file)));
	if (entries.length === 0 || missing.length > 0) return `the build is missing (${missing[0] ?? 'no nodes or main declared'}): run npm run build first`;
	return undefined;
}

module.exports = { refusal };

if (require.main === module) {
	const reason = refusal(process.env, process.cwd());
	if (reason) {
		console.error(`prepublishOnly: refusing to publish — ${reason}`);
		process.exit(1);
	}
}
