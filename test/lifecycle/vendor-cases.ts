import type { HttpClient } from '../../core/outbound/http';
import { legalesign, listLegalesignNotifications } from '../../core/vendors/legalesign';
import { legito, listLegitoPushConnections } from '../../core/vendors/legito';
import { listQuicklysignWebhooks, quicklysign } from '../../core/vendors/quicklysign';
import type { AnyVendorDefinition } from '../../core/vendors/definition';
import { nodeHttpClient } from '../../node-red/src/shared/node-http';
import * as legalesignSim from '../../sandbox/simulators/legalesign';
import * as legitoSim from '../../sandbox/simulators/legito';
import * as quicklysignSim from '../../sandbox/simulators/quicklysign';
import { sendDelivery, type Faults } from '../../sandbox/simulators/server';

/** One registration as the vendor holds it, for one account: where it points (token removed) and how to call it. */
export interface VendorRecord {
	target: string;
	/** Pack key (QuicklySign: one webhook per pack), else ''. */
	part: string;
	deliver(): Promise<number>;
}

/** A vendor for the lifecycle tests: a simulator with two accounts, and what one registration is. */
export interface LifecycleVendor {
	name: 'legito' | 'legalesign' | 'quicklysign';
	vendor: AnyVendorDefinition;
	nodeRedType: string;
	accountType: string;
	n8nCredential: string;
	faults: Faults;
	/** Credentials of account 0 and 1 (Node-RED and n8n credential fields are the same). */
	accounts: [Record<string, unknown>, Record<string, unknown>];
	/** Node-RED trigger properties / n8n parameters, variant by variant. */
	settings: Array<Record<string, unknown>>;
	/** The parts one registration has with these settings ('' for one-piece registrations). */
	parts(settings: Record<string, unknown>): string[];
	/** What the vendor holds for an account (listed through its API). */
	records(account: 0 | 1): Promise<VendorRecord[]>;
	/** A registration someone else made at each account, pointing elsewhere: must survive. */
	foreignTarget: string;
	close(): Promise<void>;
}

const http: HttpClient = nodeHttpClient;
const withoutToken = (url: string) => {
	const parsed = new URL(url);
	parsed.searchParams.delete('token');
	return parsed.toString().replace(/\?$/, '');
};

async function seedForeign(vendor: AnyVendorDefinition, accounts: Array<Record<string, unknown>>, target: string, options: Record<string, unknown>) {
	for (const credentials of accounts) await vendor.register!(http, credentials, { url: target, secret: 'f'.repeat(64), options });
}

export async function legitoCase(): Promise<LifecycleVendor> {
	const sim = await legitoSim.start();
	const second = sim.addAccount();
	const account = (a: { apiKey: string; privateKey: string }) => ({ apiKey: a.apiKey, privateKey: a.privateKey, region: 'custom', apiBaseUrl: sim.baseUrl });
	const accounts: [Record<string, unknown>, Record<string, unknown>] = [account(sim), account(second)];
	const foreignTarget = 'https://foreign.example/legito-hook';
	await seedForeign(legito as AnyVendorDefinition, accounts, foreignTarget, { legitoEventTypes: ['SignCompleted'] });
	return {
		name: 'legito',
		vendor: legito as AnyVendorDefinition,
		nodeRedType: 'legalhooks-legito-trigger',
		accountType: 'legalhooks-legito-account',
		n8nCredential: 'legitoApi',
		faults: sim.faults,
		accounts,
		settings: [{ legitoEvents: 'SignCompleted' }, { legitoEvents: 'SignCompleted,SignStarted' }],
		parts: () => [''],
		foreignTarget,
		async records(index) {
			const connections = await listLegitoPushConnections(http, accounts[index] as never);
			return connections.map((c) => ({
				target: c.url ?? '',
				part: '',
				deliver: async () => (await sim.fire('SignCompleted', { connectionId: Number(c.id) }))[0]?.status ?? 0,
			}));
		},
		close: sim.close,
	};
}

export async function legalesignCase(): Promise<LifecycleVendor> {
	const sim = await legalesignSim.start();
	const second = sim.addAccount();
	const account = (a: { username: string; apiKey: string }) => ({ username: a.username, apiKey: a.apiKey, apiBaseUrl: sim.baseUrl, certificate: sim.certificate });
	const accounts: [Record<string, unknown>, Record<string, unknown>] = [account(sim), account(second)];
	const foreignTarget = 'https://foreign.example/legalesign-hook';
	await seedForeign(legalesign as AnyVendorDefinition, accounts, foreignTarget, { notify: 'all' });
	const batch = JSON.stringify([{ value: '30', timestamp: new Date().toISOString(), resource_uri: '/api/v1/document/0b2d2cb2-0000-4000-8000-000000000001/', name: 'status' }]);
	return {
		name: 'legalesign',
		vendor: legalesign as AnyVendorDefinition,
		nodeRedType: 'legalhooks-legalesign-trigger',
		accountType: 'legalhooks-legalesign-account',
		n8nCredential: 'legalesignApi',
		faults: sim.faults,
		accounts,
		settings: [{ notify: 'all' }, { notify: 'all', eventFilter: 'document.*' }],
		parts: () => [''],
		foreignTarget,
		async records(index) {
			const list = await listLegalesignNotifications(http, accounts[index] as never);
			return list.map((n) => ({
				target: withoutToken(n.url ?? ''),
				part: '',
				deliver: async () =>
					(await sendDelivery(n.url ?? '', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ data: batch, signed: sim.sign(batch) }).toString() })).status,
			}));
		},
		close: sim.close,
	};
}

export async function quicklysignCase(): Promise<LifecycleVendor> {
	const sim = await quicklysignSim.start();
	const second = sim.addAccount();
	const packs = [sim.addPack().key, sim.addPack().key, sim.addPack().key];
	const account = (a: { clientId: string; clientSecret: string; apiKey: string }) => ({ ...a, environment: 'custom', apiBaseUrl: sim.baseUrl });
	const accounts: [Record<string, unknown>, Record<string, unknown>] = [account(sim), account(second)];
	const foreignTarget = 'https://foreign.example/quicklysign-hook';
	await seedForeign(quicklysign as AnyVendorDefinition, accounts, foreignTarget, { documentPackKeys: [packs[0]] });
	const settings = [{ documentPackKeys: `${packs[0]},${packs[1]}` }, { documentPackKeys: packs[2] }];
	return {
		name: 'quicklysign',
		vendor: quicklysign as AnyVendorDefinition,
		nodeRedType: 'legalhooks-quicklysign-trigger',
		accountType: 'legalhooks-quicklysign-account',
		n8nCredential: 'quicklySignApi',
		faults: sim.faults,
		accounts,
		settings,
		parts: (s) => String(s.documentPackKeys).split(','),
		foreignTarget,
		async records(index) {
			const records: VendorRecord[] = [];
			for (const pack of packs) {
				for (const webhook of await listQuicklysignWebhooks(http, accounts[index] as never, pack)) {
					const body = JSON.stringify({ entity_type: 'Document', entity_key: pack, callback_event: 'entity_updated', subscription_key: webhook.key });
					records.push({
						target: withoutToken(webhook.callback ?? ''),
						part: pack,
						deliver: async () => (await sendDelivery(webhook.callback ?? '', { headers: { 'content-type': 'application/json' }, body })).status,
					});
				}
			}
			return records;
		},
		close: sim.close,
	};
}

export const LIFECYCLE_VENDORS = { legito: legitoCase, legalesign: legalesignCase, quicklysign: quicklysignCase };

/** The vendor calls a lifecycle makes, to aim faults at: create, list/check and delete. */
export const FAULT_TARGETS: Record<LifecycleVendor['name'], Array<{ method: string; path: string }>> = {
	legito: [
		{ method: 'POST', path: '/push-connection' },
		{ method: 'GET', path: '/push-connection' },
		{ method: 'DELETE', path: '/push-connection/' },
	],
	legalesign: [
		{ method: 'POST', path: '/subscribe/' },
		{ method: 'GET', path: '/notifications/' },
		{ method: 'POST', path: '/unsubscribe/' },
	],
	quicklysign: [
		{ method: 'POST', path: '/webhooks' },
		{ method: 'GET', path: '/webhooks' },
		{ method: 'DELETE', path: '/webhook' },
	],
};

/** A small seeded generator (mulberry32), so a failing run can be replayed with its seed. */
export function seeded(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** One random fault on one random lifecycle call: 500 / 404 before the work, 500 after it, a dropped connection before or after. */
export function injectFault(vendor: LifecycleVendor, random: () => number): string {
	const target = FAULT_TARGETS[vendor.name][Math.floor(random() * 3)];
	const kind = Math.floor(random() * 5);
	const match = { method: target.method, path: target.path };
	if (kind === 0) vendor.faults.failNext(500, match);
	else if (kind === 1) vendor.faults.failNext(500, match, { after: true });
	else if (kind === 2) vendor.faults.failNext(404, match);
	else if (kind === 3) vendor.faults.dropNext(match);
	else vendor.faults.dropNext(match, { after: true });
	return `${['500', '500-after', '404', 'drop', 'drop-after'][kind]} ${target.method} ${target.path}`;
}

export interface Tally {
	cycles: number;
	orphans: number;
	duplicates: number;
	missing: number;
	problems: string[];
}

/**
 * Compares the vendor's registrations with what should exist: `expected` maps a target URL to the
 * account and parts it must have. Counts orphans (anything else pointing at our targets or
 * `ourPrefix`), duplicates and missing; checks each expected one is accepted and foreign ones survive.
 */
export async function audit(vendor: LifecycleVendor, expected: Map<string, { account: 0 | 1; parts: string[] }>, ourPrefix: string, tally: Tally, step: string): Promise<void> {
	for (const index of [0, 1] as const) {
		const records = await vendor.records(index);
		if (!records.some((r) => r.target === vendor.foreignTarget)) tally.problems.push(`${step}: the foreign registration at account ${index} is gone`);
		const ours = records.filter((r) => r.target.startsWith(ourPrefix));
		for (const record of ours) {
			const wanted = expected.get(record.target);
			if (!wanted || wanted.account !== index || !wanted.parts.includes(record.part)) {
				tally.orphans += 1;
				tally.problems.push(`${step}: orphan at account ${index} → ${record.target} ${record.part}`);
			}
		}
		for (const [target, wanted] of expected) {
			if (wanted.account !== index) continue;
			for (const part of wanted.parts) {
				const found = ours.filter((r) => r.target === target && r.part === part);
				if (found.length === 0) {
					tally.missing += 1;
					tally.problems.push(`${step}: missing at account ${index} → ${target} ${part}`);
				}
				if (found.length > 1) {
					tally.duplicates += found.length - 1;
					tally.problems.push(`${step}: ${found.length} registrations at account ${index} → ${target} ${part}`);
				}
				for (const record of found) {
					const status = await record.deliver();
					if (status !== 200) tally.problems.push(`${step}: the registration at ${target} ${part} is refused (HTTP ${status})`);
				}
			}
		}
	}
}
