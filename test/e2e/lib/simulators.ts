/* Adapters from the project's simulators (sandbox/simulators/) to what the e2e needs. */
import * as legitoSim from '../../../sandbox/simulators/legito';
import * as legalesignSim from '../../../sandbox/simulators/legalesign';
import * as quicklysignSim from '../../../sandbox/simulators/quicklysign';
import * as slackSim from '../../../sandbox/simulators/slack';
import { sendDelivery, type SentDelivery } from '../../../sandbox/simulators/server';
import { legalesignSamples } from '../../../core/vendors/legalesign/samples';
import { samplePdf } from '../../../sandbox/simulators/plexus-documents';
import type { DocumentServer, ExpectedFile } from '../vendors';
import { createHash } from 'node:crypto';
import type { HttpResult } from './util';
import { fail } from './util';

/** A vendor API simulator as the e2e uses it. */
export interface VendorSim {
	/** what the credential needs to talk to the simulator */
	credentials: Record<string, unknown>;
	/** trigger settings the simulator needs (e.g. the QuicklySign pack key) */
	settings: Record<string, unknown>;
	/** webhooks currently registered at the simulator (all accounts) */
	registrations(): Promise<{ url: string }[]>;
	/**
	 * makes the simulator send a signed (or tampered) delivery of `event` to the registration for `url`;
	 * `now` pins the time the event carries, so two fires with the same `now` are the same event
	 */
	fire(url: string, event: string, options: { tamper?: boolean; now?: Date }): Promise<HttpResult>;
	/** Credentials of a second account at the same vendor (made on first call). */
	secondAccount?(): Record<string, unknown>;
	/** Registrations held by account 0 (the first) or 1 (the second). */
	registrationsOf?(account: 0 | 1): Promise<{ url: string }[]>;
	/** The next `times` removals fail with a 500. */
	failRemovals?(times: number): void;
	/** Drops the faults not used yet. */
	clearFaults?(): void;
	/** The documents the simulator itself serves for its deliveries (rows with `download`). */
	documentServer?(): Promise<DocumentServer>;
	close(): Promise<void>;
}

/** The Slack simulator as the e2e uses it. */
export interface SlackSim {
	apiUrl: string;
	token: string;
	channel: string;
	messages(): Promise<unknown[]>;
	close(): Promise<void>;
}

const sameTarget = (a: string, b: string) => {
	const x = new URL(a);
	const y = new URL(b);
	return x.origin === y.origin && x.pathname === y.pathname;
};
const asResult = (sent: SentDelivery[], what: string): HttpResult => {
	if (sent.length !== 1) fail(`${what}: the simulator sent ${sent.length} deliveries, expected 1 (one registration)`);
	let json: unknown;
	try {
		json = JSON.parse(sent[0].body);
	} catch {
		/* text */
	}
	return { status: sent[0].status, headers: {}, text: sent[0].body, json };
};
const fromSent = (s: SentDelivery): HttpResult => asResult([s], 'delivery');

export async function startLegito(): Promise<VendorSim> {
	const sim = await legitoSim.start();
	let second: { apiKey: string; privateKey: string } | undefined;
	return {
		credentials: { apiKey: sim.apiKey, privateKey: sim.privateKey, region: 'custom', apiBaseUrl: sim.baseUrl },
		settings: {},
		registrations: async () => [...sim.state.connections.values()].map((c) => ({ url: c.url })),
		secondAccount() {
			second ??= sim.addAccount();
			return { apiKey: second.apiKey, privateKey: second.privateKey, region: 'custom', apiBaseUrl: sim.baseUrl };
		},
		registrationsOf: async (account) =>
			[...sim.state.connections.values()].filter((c) => c.owner === (account === 0 ? sim.apiKey : second?.apiKey)).map((c) => ({ url: c.url })),
		failRemovals: (times) => sim.faults.failNext(500, { method: 'DELETE' }, { times }),
		clearFaults: () => sim.faults.clear(),
		async fire(url, event, options) {
			const { tamper } = options;
			const conn = [...sim.state.connections.values()].find((c) => sameTarget(c.url, url));
			if (!conn) fail(`Legito simulator: no push connection for ${url}`);
			if (tamper) {
				// right body, wrong token header: what anyone but Legito can send
				const headers: Record<string, string> = { 'content-type': 'application/json' };
				for (const h of conn.headers) headers[h.name] = 'f'.repeat(64);
				return fromSent(await sendDelivery(conn.url, { headers, body: sim.pushBody(conn, event) }));
			}
			const lastModified = options.now?.toISOString().replace(/\.\d{3}Z$/, '+00:00');
			return asResult(await sim.fire(event, { connectionId: conn.id, lastModified }), `Legito ${event}`);
		},
		close: () => sim.close(),
	};
}

/** The document the realtime row's events are about (created in the simulator, confirmed through its API). */
const REALTIME_DOCUMENT = '6619179c-95da-4d5c-b7be-7bac0bac4088';

export async function startLegalesign(): Promise<VendorSim> {
	const sim = await legalesignSim.start();
	let second: { username: string; apiKey: string } | undefined;
	return {
		credentials: { username: sim.username, apiKey: sim.apiKey, apiBaseUrl: sim.baseUrl, certificate: sim.certificate },
		settings: {},
		registrations: async () => sim.state.subscriptions.filter((s) => s.active).map((s) => ({ url: s.url })),
		secondAccount() {
			second ??= sim.addAccount();
			return { username: second.username, apiKey: second.apiKey, apiBaseUrl: sim.baseUrl, certificate: sim.certificate };
		},
		registrationsOf: async (account) =>
			sim.state.subscriptions.filter((s) => s.active && sim.ownerOf(s) === (account === 0 ? sim.username : second?.username)).map((s) => ({ url: s.url })),
		failRemovals: (times) => sim.faults.failNext(500, { method: 'POST', path: '/unsubscribe/' }, { times }),
		clearFaults: () => sim.faults.clear(),
		async fire(url, event, { tamper, now }) {
			if (/^(document|recipient)\./.test(event)) {
				// realtime: the document's state moves to agree with the event, then the feed reports it;
				// tampered = the same body at the trigger's URL with a wrong token (realtime has no published signature)
				const subscription = sim.state.subscriptions.find((s) => s.active && s.notify === 'realtime' && sameTarget(s.url, url));
				if (!subscription) fail(`Legalesign simulator: no realtime subscription for ${url}`);
				if (tamper) {
					const wrong = subscription!.url.replace(/token=[^&]+/, 'token=tampered');
					return fromSent(await sendDelivery(wrong, { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ object: 'document', event: 'finalPdfCreated', data: { uuid: REALTIME_DOCUMENT } }) }));
				}
				return asResult(await sim.happen(event, REALTIME_DOCUMENT), `Legalesign realtime ${event}`);
			}
			const sample = legalesignSamples[event]?.(now ?? new Date());
			if (!sample) fail(`no Legalesign sample ${event}`);
			if (!sim.state.subscriptions.some((s) => sameTarget(s.url, url))) fail(`Legalesign simulator: no subscription for ${url}`);
			const sent =
				sample.kind === 'upon'
					? await sim.deliverUpon(event as 'signed', sample.fields, { badSignature: tamper })
					: await sim.deliverBatch(sample.entries, { badSignature: tamper });
			return asResult(sent, `Legalesign ${event}`);
		},
		close: () => sim.close(),
	};
}

export async function startQuicklysign(): Promise<VendorSim> {
	const sim = await quicklysignSim.start();
	const pack = sim.addPack();
	let finals = 0;
	const fired = new Set<string>();
	let finalPdf: ExpectedFile | undefined;
	let second: { clientId: string; clientSecret: string; apiKey: string } | undefined;
	return {
		credentials: { clientId: sim.clientId, clientSecret: sim.clientSecret, apiKey: sim.apiKey, environment: 'custom', apiBaseUrl: sim.baseUrl },
		settings: { packKey: pack.key },
		registrations: async () => [...sim.state.webhooks.values()].map((w) => ({ url: w.callback })),
		secondAccount() {
			second ??= sim.addAccount();
			return { ...second, environment: 'custom', apiBaseUrl: sim.baseUrl };
		},
		registrationsOf: async (account) =>
			[...sim.state.webhooks.values()].filter((w) => w.owner === (account === 0 ? sim.clientId : second?.clientId)).map((w) => ({ url: w.callback })),
		failRemovals: (times) => sim.faults.failNext(500, { method: 'DELETE' }, { times }),
		clearFaults: () => sim.faults.clear(),
		documentServer: async () => ({
			expected: () => finalPdf,
			fetches: () => sim.state.calls.filter((c) => c.method === 'GET' && c.path.endsWith('/serve_pdf') && c.status === 200).length,
			close: async () => undefined,
		}),
		async fire(url, event, { tamper, now }) {
			const hook = [...sim.state.webhooks.values()].find((w) => sameTarget(w.callback, url));
			if (!hook) fail(`QuicklySign simulator: no webhook for ${url}`);
			// the same `now` again: QuicklySign's retry of that callback, the same bytes, the pack unchanged
			// (the simulator's fire moves the pack's date_updated: a changed pack, a new event)
			const repeat = now && !tamper ? `${hook.key} ${event} ${now.toISOString()}` : undefined;
			if (repeat && fired.has(repeat)) {
				const body = JSON.stringify({ entity_type: 'Document', entity_key: pack.key, callback_event: event, subscription_key: hook.key });
				return fromSent(await sendDelivery(hook.callback, { headers: { 'content-type': 'application/json' }, body }));
			}
			if (repeat) fired.add(repeat);
			if (event === 'document_status_changed') sim.setPackStatus(pack.key, 'complete');
			if (event === 'final_document_generated' && !tamper) {
				// a fresh final PDF each time, as QuicklySign generates it before it calls back
				const bytes = samplePdf(`e2e quicklysign ${++finals} ${new Date().toISOString()}`);
				sim.finalize(pack.key, bytes);
				finalPdf = { fileName: pack.documents[0].name, mimeType: 'application/pdf', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
			}
			if (tamper) {
				// QuicklySign signs nothing: a forged callback carries a wrong URL token
				const forged = new URL(hook.callback);
				forged.searchParams.set('token', 'f'.repeat(64));
				const body = JSON.stringify({ entity_type: 'Document', entity_key: pack.key, callback_event: event, subscription_key: hook.key });
				return fromSent(await sendDelivery(forged.toString(), { headers: { 'content-type': 'application/json' }, body }));
			}
			return asResult(await sim.fire(pack.key, event), `QuicklySign ${event}`);
		},
		close: () => sim.close(),
	};
}

export async function startSlack(): Promise<SlackSim> {
	const sim = await slackSim.start();
	return {
		apiUrl: sim.apiUrl,
		token: slackSim.SLACK_SIM_TOKEN,
		channel: slackSim.SLACK_SIM_CHANNEL,
		messages: async () => sim.state.messages,
		close: () => sim.close(),
	};
}
