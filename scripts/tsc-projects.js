// tsc for several tsconfig projects in one process: the parsed source files (the repository's and
// the type declarations of node, zod and n8n-workflow) are shared between the programs, so the
// n8n packages, which compile overlapping parts of core/ and n8n/shared/, build in seconds each
// rather than a full tsc start each. Diagnostics are tsc's; any error fails the build.
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

function compileProjects(configFiles) {
	const cache = new Map();
	const errors = [];
	for (const configFile of configFiles) {
		const config = ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => errors.push(d) });
		if (!config) throw new Error(`cannot read ${configFile}`);
		const host = ts.createCompilerHost(config.options);
		const getSourceFile = host.getSourceFile.bind(host);
		host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
			const key = `${fileName}\0${typeof languageVersion === 'object' ? languageVersion.languageVersion : languageVersion}`;
			if (!cache.has(key)) cache.set(key, getSourceFile(fileName, languageVersion, onError, shouldCreate));
			return cache.get(key);
		};
		const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, host, projectReferences: config.projectReferences });
		const emitted = program.emit();
		errors.push(...config.errors, ...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics);
	}
	if (errors.length > 0) {
		const formatHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => process.cwd(), getNewLine: () => '\n' };
		console.error(ts.formatDiagnostics(errors, formatHost));
		throw new Error(`tsc: ${errors.length} error(s)`);
	}
}

module.exports = { compileProjects };
