/**
 * The top entries of a V8 CPU profile (`node --cpu-prof`) by self time, one line each:
 * `npx tsx bench/profile/top.ts <file.cpuprofile> [count=25] [--skip-idle]`
 */
import * as fs from 'node:fs';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
}

export function topEntries(file: string, count = 25, skipIdle = false): string[] {
	const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const self = new Map<string, number>();
	let total = 0;
	profile.samples.forEach((id, i) => {
		const frame = byId.get(id)!.callFrame;
		if (skipIdle && (frame.functionName === '(idle)' || frame.functionName === '(program)')) return;
		const where = frame.url.replace(/^.*\/node_modules\//, '').replace(/^.*\/(core|node-red|nodes|dist)\//, '$1/');
		const key = `${frame.functionName || '(anonymous)'} ${where}${where ? `:${frame.lineNumber + 1}` : ''}`;
		const delta = profile.timeDeltas[i] ?? 0;
		self.set(key, (self.get(key) ?? 0) + delta);
		total += delta;
	});
	return [...self]
		.sort((a, b) => b[1] - a[1])
		.slice(0, count)
		.map(([key, micros]) => `${((100 * micros) / total).toFixed(1).padStart(5)} %  ${key}`);
}

if (require.main === module) {
	const [file, count] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
	for (const line of topEntries(file, Number(count ?? 25), process.argv.includes('--skip-idle'))) console.log(line);
}
