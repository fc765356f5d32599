import { VENDOR_IDS, type VendorId } from '../../core/event/normalized-event';
import { CATCHUP_READERS } from '../../core/catchup';
import { REGISTRATION_TOKEN_WORDS } from '../../core/samples/command';
import { sampleSets } from '../../core/samples/sets';
import { currentSecret, matchingSecret, replacedRegistration, verificationSecrets } from '../../core/verify/secret-rotation';
import type { PreviousRegistration, Registration } from '../../core/vendors/definition';
import { vendorModules, vendors } from '../../core/vendors';
import { VENDOR_LABELS } from '../../core/vendors/labels';
import { vendorModule, type VendorModule } from '../../core/vendors/module';
import { triggerEditorFacts } from '../../core/vendors/trigger-options';

describe('the vendor modules: one registration, every table read from it', () => {
	it('registers every vendor id, each module under its own id', () => {
		expect(Object.keys(vendorModules).sort()).toEqual([...VENDOR_IDS].sort());
		for (const [id, module] of Object.entries(vendorModules)) {
			expect(module.id).toBe(id);
			expect(module.definition.id).toBe(id);
			expect(vendors[id as VendorId]).toBe(module.definition);
			expect(triggerEditorFacts[id as VendorId]).toBe(module.trigger);
			expect(module.label).toBe(VENDOR_LABELS[id as VendorId]);
			expect(CATCHUP_READERS[id as VendorId]).toBe(module.catchup);
			expect(REGISTRATION_TOKEN_WORDS[id as VendorId]).toBe(module.registrationToken);
			expect(sampleSets[id as VendorId].events.length).toBeGreaterThan(0);
		}
	});

	it('a vendor set up by hand has no registration token; one that registers has words for it', () => {
		for (const module of Object.values(vendorModules)) expect(module.registrationToken === undefined).toBe(module.definition.registration === 'manual');
	});

	it('a module that leaves out a piece, or a registration that leaves out a vendor, does not compile', () => {
		const { catchup: _catchup, ...withoutCatchup } = vendorModules.legito;
		// @ts-expect-error -- `catchup` is required: a vendor without one says `catchup: undefined`
		vendorModule(withoutCatchup);
		const { quicklysign: _quicklysign, ...fourVendors } = vendorModules;
		// @ts-expect-error -- every VendorId needs its module
		const registration: Record<VendorId, VendorModule> = fourVendors;
		expect(Object.keys(registration)).toHaveLength(4);
	});
});

describe('verificationSecrets: the one rule for which secret verifies a delivery', () => {
	const registration: Registration = { ids: ['r2'], url: 'https://h/x?token=new', secret: 'new-token', settings: {} };
	const replaced: PreviousRegistration = { ids: ['r1'], url: 'https://h/x?token=old', secret: 'old-token', settings: {}, until: '2099-01-01T00:00:00Z' };

	it('the registration’s secret first, else the credential’s', () => {
		expect(currentSecret({ secret: 'credential', registration })).toBe('new-token');
		expect(currentSecret({ secret: 'credential' })).toBe('credential');
		expect(currentSecret({})).toBeUndefined();
	});

	it('then a rotation’s previous secret, then the replaced registration, in that order', () => {
		expect(verificationSecrets({ secret: 'current', previousSecret: 'before' })).toEqual([
			{ role: 'current', secret: 'current', registration: undefined },
			{ role: 'previous', secret: 'before', registration: undefined },
		]);
		expect(verificationSecrets({ secret: 'new-token', registration, previousRegistration: replaced })).toEqual([
			{ role: 'current', secret: 'new-token', registration },
			{ role: 'previous', secret: 'old-token', registration: replaced },
		]);
		expect(verificationSecrets({ secret: 'same', previousSecret: 'same' })).toHaveLength(1);
	});

	it('the replaced registration verifies with its own token, ids and extras', () => {
		expect(replacedRegistration({ secret: 'new-token', registration, previousRegistration: replaced, credentials: { a: 1 } })).toEqual({ secret: 'old-token', registration: replaced, credentials: { a: 1 } });
		expect(replacedRegistration({ secret: 'new-token', registration })).toBeUndefined();
	});

	it('matchingSecret tries every secret of the credential (never a replaced registration’s) and names the one that matched', () => {
		const tried: string[] = [];
		const role = matchingSecret({ secret: 'current', previousSecret: 'before' }, (secret) => (tried.push(secret), secret === 'before'));
		expect(role).toBe('previous');
		expect(tried).toEqual(['current', 'before']);
		expect(matchingSecret({ secret: 'new-token', registration, previousRegistration: replaced }, (secret) => secret === 'old-token')).toBeUndefined();
	});
});
