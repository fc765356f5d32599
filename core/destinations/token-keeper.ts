/**
 * OAuth2 access-token state. The engine keeps it between calls (Node-RED: the config node; n8n: one
 * execution) and passes it in; nothing is cached at module level.
 */
export interface TokenState {
	accessToken: string;
	/** Epoch ms after which the token is treated as expired. */
	expiresAt?: number;
	/** Salesforce: the instance the token belongs to. */
	instanceUrl?: string;
	/** A rotated refresh token the service returned (Xero rotates on every refresh). */
	refreshToken?: string;
}

/**
 * The token of one account shared by every message sent with it (Node-RED: the account config
 * node): concurrent messages that find it expired share one refresh — with a rotating refresh
 * token a second refresh with the same token would be refused — and `onRefreshed` runs (and is
 * awaited) before the new token is used, so a rotated refresh token is stored before anything else.
 */
export class TokenKeeper {
	state: TokenState | undefined;
	onRefreshed?: (state: TokenState) => Promise<void>;
	private inFlight?: Promise<TokenState>;

	constructor(state?: TokenState) {
		this.state = state;
	}

	/** A fresh token; `used` is the access token the caller found wanting (undefined: none). */
	async renew(used: string | undefined, fetchToken: () => Promise<TokenState>): Promise<TokenState> {
		const current = this.state;
		if (current?.accessToken && current.accessToken !== used) return current; // refreshed meanwhile
		if (this.inFlight) return this.inFlight;
		this.inFlight = (async () => {
			const next = await fetchToken();
			const merged: TokenState = { ...next, instanceUrl: next.instanceUrl ?? current?.instanceUrl, refreshToken: next.refreshToken ?? current?.refreshToken };
			this.state = merged;
			if (this.onRefreshed) await this.onRefreshed(merged);
			return merged;
		})().finally(() => {
			this.inFlight = undefined;
		});
		return this.inFlight;
	}
}
