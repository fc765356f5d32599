/**
 * The sandbox's `/sandbox/…` endpoints (npm start): make a vendor simulator deliver to what the
 * triggers registered, and show what the destination simulators received. Every answer is JSON
 * that says what happened: what was delivered, how the trigger answered and what it did with it
 * (emitted, or why not), or why nothing was delivered (unknown event name, no registration for
 * it), or which routes exist.
 */
import express from 'express';
import { describeOutcome, type DeliveryOutcome } from '../core/inbound/outcome';
import { vendors } from '../core/vendors';
import { LEGITO_EVENT_TYPES } from '../core/vendors/legito/mapping';
import type { SentDelivery } from './simulators/server';
import type { LegalesignSimulator } from './simulators/legalesign';
import type { LegitoSimulator } from './simulators/legito';
import { buildPlexusDelivery, plexusSamples } from '../core/vendors/plexus/samples';
import type { PlexusDocumentStore } from './simulators/plexus-documents';
import { sendDelivery } from './simulators/server';
import type { QuicklysignSimulator } from './simulators/quicklysign';
import type { SalesforceSimulator } from './simulators/salesforce';
import type { SlackSimulator } from './simulators/slack';
import type { XeroSimulator } from './simulators/xero';
import { outcomeFinder, type OutcomeFinder } from './trigger-outcomes';

export interface SandboxSimulators {
	legito: LegitoSimulator;
	legalesign: LegalesignSimulator;
	quicklysign: QuicklysignSimulator;
	slack: SlackSimulator;
	salesforce: SalesforceSimulator;
	xero: XeroSimulator;
	pack: { key: string };
	/** Plexus's document store and the trigger to deliver to (npm start): an executed event with a fresh 15-minute link. */
	plexus?: { documents: PlexusDocumentStore; pdf: Buffer; triggerUrl: string; secret: string };
	/** Node-RED's admin root, to read what a trigger did with a delivery; default `/red` on the trigger's origin (npm start's). */
	nodeRedAdmin?: string;
}

/** The realtime events the sandbox fires (the filter enum's events). */
export const LEGALESIGN_REALTIME_FIRE_EVENTS = ['document.created', 'document.rejected', 'document.finalPdfCreated', 'recipient.completed', 'recipient.rejected', 'recipient.emailOpened', 'recipient.visiting', 'recipient.bounced'];

/** The document the sandbox's Legalesign deliveries name (its final PDF is on the simulator). */
export const LEGALESIGN_DOCUMENT = '6619179c-95da-4d5c-b7be-7bac0bac4088';
const QUICKLYSIGN_CALLBACK_EVENTS = ['entity_updated', 'document_status_changed', 'final_document_generated', 'document_updated', 'signatory_updated', 'audit_trail_updated'];

export const SANDBOX_ROUTES = [
	'POST /sandbox/fire/legito/<Legito event type, e.g. SignCompleted>',
	'POST /sandbox/fire/plexus/executed',
	'POST /sandbox/fire/legalesign/batch|signed|sent|rejected|realtime[?event=recipient.completed]',
	`POST /sandbox/fire/quicklysign/<${QUICKLYSIGN_CALLBACK_EVENTS.join('|')}>`,
	'GET /sandbox/slack',
	'GET /sandbox/xero',
	'GET /sandbox/salesforce',
];

/** What the trigger did, in words: its outcome's log line without the vendor's name. */
function said(sent: SentDelivery, outcome: DeliveryOutcome | undefined): string {
	if (!outcome) return 'unknown: no recent-deliveries record of this trigger was found';
	const vendor = Object.values(vendors).find((v) => new URL(sent.url).pathname.startsWith(`/legalhooks/${v!.id}/`));
	return describeOutcome(vendor?.displayName ?? 'the', outcome).replace(/^.*? delivery:? /, '');
}

/** A delivery as the sandbox reports it: where (without the query: it may hold a token), the trigger's answer, what it did with it. */
async function summary(sent: SentDelivery, outcomes: OutcomeFinder, sinceMs: number) {
	const url = new URL(sent.url);
	let answer: unknown = sent.body;
	try {
		answer = JSON.parse(sent.body);
	} catch {
		// the trigger's answer was not JSON; show it as text
	}
	const outcome = await outcomes.find(sent, sinceMs);
	return { to: `${url.origin}${url.pathname}`, status: sent.status, answer, trigger: said(sent, outcome), ...(outcome ? { outcome } : {}) };
}

/** 200 when every delivery was accepted, 502 when a trigger refused one, 409 when there was no one to deliver to. */
async function answer(res: express.Response, what: string, sent: SentDelivery[], nobody: string, outcomes: OutcomeFinder, sinceMs: number): Promise<void> {
	if (sent.length === 0) {
		res.status(409).json({ delivered: 0, error: `${what}: nothing was delivered — ${nobody}` });
		return;
	}
	const deliveries = await Promise.all(sent.map((one) => summary(one, outcomes, sinceMs)));
	const refused = deliveries.filter((d) => d.status < 200 || d.status >= 300);
	res.status(refused.length ? 502 : 200).json({
		delivered: deliveries.length,
		...(refused.length ? { error: `${what}: ${refused.length} of ${deliveries.length} deliveries refused by the trigger (HTTP ${refused.map((d) => d.status).join(', ')})` } : {}),
		deliveries,
	});
}

function unknownName(res: express.Response, kind: string, given: string, known: readonly string[]): void {
	res.status(404).json({ error: `unknown ${kind} "${given}"`, known });
}

export function sandboxRoutes(sims: SandboxSimulators): express.Router {
	const router = express.Router();
	const legalesignModes = () => [...new Set(sims.legalesign.state.subscriptions.filter((s) => s.active).map((s) => s.notify))];
	const outcomes = outcomeFinder((sent) => sims.nodeRedAdmin ?? `${new URL(sent.url).origin}/red`);

	router.post('/fire/legito/:eventType', async (req, res) => {
		const { eventType } = req.params;
		if (!(LEGITO_EVENT_TYPES as readonly string[]).includes(eventType)) return unknownName(res, 'Legito event type', eventType, LEGITO_EVENT_TYPES);
		const since = Date.now();
		await answer(res, `Legito ${eventType}`, await sims.legito.fire(eventType), `no enabled Legito push connection takes ${eventType}: is a Legito trigger deployed, and does its event filter include ${eventType}?`, outcomes, since);
	});

	router.post('/fire/legalesign/:notify', async (req, res) => {
		const { notify } = req.params;
		const since = Date.now();
		const now = new Date(since).toISOString();
		const resource = `/api/v1/document/${LEGALESIGN_DOCUMENT}/`;
		const nobody = (mode: string) => {
			const modes = legalesignModes();
			return `no active Legalesign subscription with Notify "${mode}" (the deployed triggers subscribe with: ${modes.length ? modes.join(', ') : 'none'})`;
		};
		if (notify === 'batch') {
			const entries = [
				{ value: '10', timestamp: now, resource_uri: resource, name: 'status' },
				{ value: '30', timestamp: now, resource_uri: resource, name: 'status' },
				// "final PDF ready to download": a trigger with Download Documents on fetches it
				{ value: '100', timestamp: now, resource_uri: resource, name: 'status' },
			];
			return answer(res, 'Legalesign batch', await sims.legalesign.deliverBatch(entries), nobody('all'), outcomes, since);
		}
		if (notify === 'realtime') {
			// `?event=` one of the realtime events (default document.finalPdfCreated): the document's state moves to agree, then the feed reports it.
			const event = typeof req.query.event === 'string' ? req.query.event : 'document.finalPdfCreated';
			if (!LEGALESIGN_REALTIME_FIRE_EVENTS.includes(event)) return unknownName(res, 'Legalesign realtime event', event, LEGALESIGN_REALTIME_FIRE_EVENTS);
			return answer(res, `Legalesign realtime ${event}`, await sims.legalesign.happen(event, LEGALESIGN_DOCUMENT), nobody('realtime'), outcomes, since);
		}
		if (notify !== 'signed' && notify !== 'sent' && notify !== 'rejected') return unknownName(res, 'Legalesign delivery', notify, ['batch', 'signed', 'sent', 'rejected', 'realtime']);
		const fields = { name: 'MSA Acme', event: notify, resource_uri: resource, uuid: LEGALESIGN_DOCUMENT, timestamp: now };
		await answer(res, `Legalesign ${notify}`, await sims.legalesign.deliverUpon(notify, fields), nobody(notify), outcomes, since);
	});

	router.post('/fire/quicklysign/:callbackEvent', async (req, res) => {
		const { callbackEvent } = req.params;
		if (!QUICKLYSIGN_CALLBACK_EVENTS.includes(callbackEvent)) return unknownName(res, 'QuicklySign callback event', callbackEvent, QUICKLYSIGN_CALLBACK_EVENTS);
		const since = Date.now();
		await answer(res, `QuicklySign ${callbackEvent}`, await sims.quicklysign.fire(sims.pack.key, callbackEvent), `no QuicklySign webhook is registered for the sandbox document pack: is the QuicklySign trigger deployed?`, outcomes, since);
	});

	router.post('/fire/plexus/:event', async (req, res) => {
		const plexus = sims.plexus;
		if (req.params.event !== 'executed') return unknownName(res, 'Plexus sandbox event', req.params.event, ['executed']);
		if (!plexus) return void res.status(409).json({ delivered: 0, error: 'Plexus executed: nothing was delivered — the sandbox has no Plexus document store' });
		const now = new Date();
		const payload = plexusSamples.executed(now.toISOString());
		payload.id = `sandbox-${now.getTime()}`;
		payload.data.document.publishedVersion = { number: '1.0', downloadUrl: plexus.documents.link(`sandbox/Executed_${now.getTime()}.pdf`, plexus.pdf, now) };
		const delivery = buildPlexusDelivery(payload, plexus.secret);
		await answer(res, 'Plexus executed', [await sendDelivery(plexus.triggerUrl, { headers: delivery.headers, body: String(delivery.body) })], 'no Plexus trigger', outcomes, now.getTime());
	});

	router.get('/slack', (_req, res) => res.json(sims.slack.state.messages));
	router.get('/xero', (_req, res) => res.json(sims.xero.state.invoices));
	router.get('/salesforce', (_req, res) => res.json(sims.salesforce.records('Opportunity')));

	router.use((req, res) => {
		const postOnly = /^\/fire\/(legito|legalesign|quicklysign|plexus)\/[^/]+$/.test(req.path);
		const getOnly = /^\/(slack|xero|salesforce)$/.test(req.path);
		if (postOnly || getOnly) {
			res.status(405).json({ error: `${req.method} /sandbox${req.path}: use ${postOnly ? 'POST' : 'GET'}`, routes: SANDBOX_ROUTES });
			return;
		}
		res.status(404).json({ error: `no sandbox route ${req.method} /sandbox${req.path}`, routes: SANDBOX_ROUTES });
	});
	return router;
}
