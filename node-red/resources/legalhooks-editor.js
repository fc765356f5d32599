/*
 * Editor helpers shared by every legalhooks node. Nothing about a vendor is typed here: each trigger
 * type's runtime exports its events, pick lists and defaults from core as the node setting
 * RED.settings.<type in camelCase>Editor (node-red/src/shared/editor-settings.ts).
 */
(function () {
	var EMPTY = { events: [], normalizedTypes: [], defaults: {}, choices: {}, webhookPathPrefix: '' };

	function settingName(type) {
		return type.replace(/[-_]+(\w)/g, function (_, letter) { return letter.toUpperCase(); }) + 'Editor';
	}

	/** The editor facts a trigger type's runtime exported (see editor-settings.ts). */
	function facts(triggerType) {
		return (RED.settings && RED.settings[settingName(triggerType)]) || EMPTY;
	}

	function triggerDefaults(triggerType, accountType, extra) {
		var d = facts(triggerType).defaults || {};
		var defaults = {
			name: { value: '' },
			account: { value: '', type: accountType, required: true },
			path: { value: '', validate: function (v) { return !v || /^[A-Za-z0-9._~-]+$/.test(v); } },
			eventTypes: { value: '' },
			vendorEventTypes: { value: '' },
			includeRaw: { value: d.includeRaw !== false },
			replayToleranceSeconds: { value: d.replayToleranceSeconds, validate: RED.validators.number(true) },
			maxBodyMb: { value: d.maxBodyMb, validate: RED.validators.number(true) },
			dropOutOfOrder: { value: !!d.dropOutOfOrder },
			redactRawPaths: { value: '' },
			outputFormat: { value: 'normalized' },
			downloadDocuments: { value: false },
			maxDownloadMb: { value: '' },
			maxDownloadTotalMb: { value: '' }
		};
		return $.extend(defaults, extra || {});
	}

	function row(id, label, input) {
		return '<div class="form-row"><label for="node-input-' + id + '">' + label + '</label>' + input + '</div>';
	}

	var HINT = 'style="margin-left: 6px; opacity: 0.75;"';

	/** Copies `text()` to the clipboard and says so next to the button (data-legalhooks-copied marks it done). */
	function copyButton(button, text, emptyMessage) {
		$(button).on('click', function (e) {
			e.preventDefault();
			var value = text();
			if (!value) {
				RED.notify(emptyMessage || 'Nothing to copy yet', { type: 'warning', timeout: 4000 });
				return;
			}
			var done = RED.clipboard.copyText(value, $(button), 'Copied');
			$(button).attr('data-legalhooks-copied', done ? 'true' : 'false');
		});
	}

	function multiSelect(selector, field, options) {
		$(selector).typedInput({ type: field, types: [{ value: field, multiple: true, options: options }] });
	}

	/**
	 * Fills a trigger's edit form: `#legalhooks-endpoint` gets path, webhook URL (with a copy button)
	 * and the Events filter; `#legalhooks-common` the normalized-type filter and the common options
	 * that apply to this vendor. `eventsField` is the property the Events list edits (Legito's is
	 * `legitoEvents`, which also chooses what the push connection sends).
	 */
	function prepareTrigger(node, triggerType, eventsField) {
		var f = facts(triggerType);
		eventsField = eventsField || 'vendorEventTypes';
		var endpoint =
			row('path', '<i class="fa fa-link"></i> Path', '<input type="text" id="node-input-path" placeholder="' + node.id + '">') +
			'<div class="form-row"><label>Webhook URL</label><code id="legalhooks-url" style="word-break: break-all;"></code> ' +
			'<button type="button" class="red-ui-button red-ui-button-small" data-legalhooks-copy="webhook-url" title="Copy the webhook URL"><i class="fa fa-copy"></i></button></div>' +
			row(eventsField, '<i class="fa fa-filter"></i> Events', '<input type="text" id="node-input-' + eventsField + '" style="width: 55%;"><span ' + HINT + '>empty = all events</span>');
		var common =
			row('eventTypes', '<i class="fa fa-filter"></i> Types', '<input type="text" id="node-input-eventTypes" style="width: 55%;"><span ' + HINT + '>empty = all types</span>') +
			row('includeRaw', 'Raw payload', '<input type="checkbox" id="node-input-includeRaw" style="width: auto;"> include <code>raw</code>') +
			(f.replayWindow ? row('replayToleranceSeconds', 'Replay window', '<input type="text" id="node-input-replayToleranceSeconds" style="width: 80px;"> seconds (0 = off)') : '') +
			row('maxBodyMb', 'Max body', '<input type="text" id="node-input-maxBodyMb" style="width: 80px;"> MB') +
			(f.outOfOrder ? row('dropOutOfOrder', 'Ordering', '<input type="checkbox" id="node-input-dropOutOfOrder" style="width: auto;"> drop updates older than one already sent') : '') +
			(f.downloads ? row('downloadDocuments', 'Documents', '<input type="checkbox" id="node-input-downloadDocuments" style="width: auto;"> download the documents into <code>msg.files</code>' + (f.downloadsHelp ? '<div class="form-tips" id="legalhooks-downloads-help"></div>' : '')) +
			(f.downloads ? row('maxDownloadMb', 'Max download', '<input type="text" id="node-input-maxDownloadMb" style="width: 80px;"> MB per file, <input type="text" id="node-input-maxDownloadTotalMb" style="width: 80px;"> MB per delivery (empty = 50 / 100)') : '') : '') +
			row('redactRawPaths', 'Redact raw', '<input type="text" id="node-input-redactRawPaths" placeholder="paths in raw, e.g. data.document.ownerEmail, persons.*.email">') +
			row('outputFormat', 'Output', '<select id="node-input-outputFormat"><option value="normalized">normalized event</option><option value="cloudevents">CloudEvents 1.0 (structured)</option></select>') +
			(f.sampleCommand ? '<div class="form-tips" id="legalhooks-sample">To try it without the vendor, deploy, then run <code></code> with the webhook URL above as WEBHOOK_URL and the account\'s secret as SECRET</div>' : '') +
			(f.registrationToken
				? '<div class="form-tips" id="legalhooks-token-sample">To try it without the vendor: <code></code> ' +
				  '<button type="button" class="red-ui-button red-ui-button-small" data-legalhooks-copy="sample-command" title="Copy the command, with the token"><i class="fa fa-copy"></i></button>' +
				  '<div>Its <code>--secret</code> is ' + RED.utils.sanitize(f.registrationToken) + ', made when it registers — not a field of the account.</div></div>'
				: '') +
			'<div class="form-row"><label><i class="fa fa-history"></i> Deliveries</label>' +
			'<button type="button" class="red-ui-button red-ui-button-small" data-legalhooks-recent>Recent deliveries</button> <span id="legalhooks-recent-note" ' + HINT + '>why did my flow not run?</span></div>' +
			'<div class="form-row" id="legalhooks-recent" style="display: none; max-height: 260px; overflow: auto;"></div>';
		if ($('#legalhooks-endpoint').length) {
			$('#legalhooks-endpoint').html(endpoint);
			$('#legalhooks-common').html(common);
		} else {
			$('#legalhooks-common').html(endpoint + common);
		}
		['path', eventsField, 'eventTypes', 'replayToleranceSeconds', 'maxBodyMb', 'maxDownloadMb', 'maxDownloadTotalMb', 'redactRawPaths', 'outputFormat'].forEach(function (field) {
			$('#node-input-' + field).val(node[field]);
		});
		$('#node-input-includeRaw').prop('checked', node.includeRaw !== false);
		$('#node-input-dropOutOfOrder').prop('checked', !!node.dropOutOfOrder);
		$('#node-input-downloadDocuments').prop('checked', !!node.downloadDocuments);
		$('#legalhooks-sample code').text(f.sampleCommand || '');
		$('#legalhooks-downloads-help').text(f.downloadsHelp || '');
		multiSelect('#node-input-' + eventsField, eventsField, f.events);
		multiSelect('#node-input-eventTypes', 'eventTypes', f.normalizedTypes);

		function url() {
			var account = RED.nodes.node($('#node-input-account').val());
			var base = (account && account.baseUrl) || (location.protocol + '//' + location.host);
			var root = (RED.settings.httpNodeRoot || '/').replace(/\/?$/, '/');
			return base.replace(/\/+$/, '') + root + f.webhookPathPrefix + encodeURIComponent($('#node-input-path').val() || node.id);
		}
		function refreshUrl() { $('#legalhooks-url').text(url()); }
		$('#node-input-path, #node-input-account').on('change keyup', refreshUrl);
		refreshUrl();
		copyButton('[data-legalhooks-copy="webhook-url"]', url);
		$('[data-legalhooks-recent]').on('click', function (e) {
			e.preventDefault();
			showRecentDeliveries(triggerType, node.id);
		});
		if (f.registrationToken) tokenSample(node, f);
	}

	/** The `npx @legalhooks/cli send` command this deployed trigger accepts (its registration token), shown masked, copied whole. */
	function tokenSample(node, f) {
		var command = '';
		var shown = $('#legalhooks-token-sample > code');
		shown.text('deploy, wait for "registered", then open this dialog again for the command');
		$.getJSON('legalhooks/' + f.vendor + '/registrations/' + encodeURIComponent(node.id) + '/sample-command')
			.done(function (r) {
				if (!r.ready) return;
				command = r.command || '';
				shown.text(r.masked || '');
				if (r.note) $('<div>').text('Note: ' + r.note).appendTo('#legalhooks-token-sample');
			});
		copyButton('[data-legalhooks-copy="sample-command"]', function () { return command; }, 'The trigger has not registered yet: deploy it first.');
	}


	var OUTCOMES = { emitted: 'emitted', repeat: 'repeat dropped', older: 'older dropped', filtered: 'filtered out', empty: 'no event', refused: 'refused', failed: 'failed' };

	function refs(list) {
		return list.map(function (r) { return r.type + ' ' + r.id; }).join(', ');
	}

	/** What one delivery record says, as text (vendor ids are shown with .text(), never as HTML). */
	function deliveryDetail(d) {
		var more = [];
		if (d.repeats.length && d.outcome !== 'repeat') more.push('repeat(s) dropped: ' + refs(d.repeats));
		if (d.older.length && d.outcome !== 'older') more.push('older dropped: ' + refs(d.older));
		if (d.filtered.length && d.outcome !== 'filtered') more.push('filtered out: ' + refs(d.filtered));
		var main = {
			emitted: function () { return refs(d.emitted); },
			repeat: function () { return 'already emitted: ' + refs(d.repeats); },
			older: function () { return 'older than an update already emitted for its document ("drop updates older…" is on): ' + refs(d.older); },
			filtered: function () { return 'not in the Events/Types options: ' + d.filtered.map(function (r) { return r.vendorEventType + ' → ' + r.type + ' ' + r.id; }).join(', '); },
			empty: function () { return 'the delivery held no event'; },
			refused: function () { return 'HTTP ' + d.status + ': ' + (d.reason || ''); },
			failed: function () { return d.reason || ''; }
		}[d.outcome];
		return [main ? main() : ''].concat(more).join('; ');
	}

	/** Fetches the trigger's last deliveries (GET <type>/<id>/deliveries) into `#legalhooks-recent`. */
	function showRecentDeliveries(triggerType, nodeId) {
		var box = $('#legalhooks-recent').show().text('Loading…');
		$.getJSON(triggerType + '/' + encodeURIComponent(nodeId) + '/deliveries')
			.done(function (r) {
				box.empty();
				if (!r.deliveries.length) {
					box.text('No delivery since this trigger was deployed.');
					return;
				}
				var table = $('<table class="legalhooks-recent-deliveries" style="width: 100%; font-size: 0.9em;"><thead><tr><th>time</th><th>outcome</th><th>events / reason</th></tr></thead><tbody></tbody></table>');
				r.deliveries.forEach(function (d) {
					var at = new Date(d.at);
					$('<tr>')
						.attr('data-outcome', d.outcome)
						.append($('<td style="white-space: nowrap; vertical-align: top;">').text(at.toLocaleDateString() + ' ' + at.toTimeString().slice(0, 8)))
						.append($('<td style="white-space: nowrap; vertical-align: top;">').text(OUTCOMES[d.outcome] || d.outcome))
						.append($('<td style="word-break: break-all;">').text(deliveryDetail(d)))
						.appendTo(table.find('tbody'));
				});
				box.append(table).append($('<div class="form-tips">').text('The last ' + r.keeps + ' deliveries, newest first; kept in memory until Node-RED restarts.'));
			})
			.fail(function (x) {
				box.text(x.status === 404 ? 'Deploy the flow first: this trigger is not running yet.' : 'Could not load the deliveries: HTTP ' + x.status);
			});
	}

	/**
	 * A `<select>` filled from one of the trigger's exported pick lists, set to `current` (the node's or
	 * its credentials' value: the editor fills inputs before this runs, when the select has no options
	 * yet), showing the chosen entry's description.
	 */
	function fillSelect(selector, triggerType, listName, current, fallback) {
		var list = facts(triggerType).choices[listName] || [];
		var select = $(selector);
		select.empty();
		list.forEach(function (choice) { $('<option>').val(choice.value).text(choice.label).appendTo(select); });
		select.val(current || fallback || (list[0] && list[0].value) || '');
		var tip = $('<div class="form-tips" style="margin-top: 4px;"></div>').insertAfter(select.closest('.form-row'));
		function describe() {
			var chosen = list.filter(function (choice) { return choice.value === select.val(); })[0];
			tip.text((chosen && chosen.description) || '').toggle(!!(chosen && chosen.description));
		}
		select.on('change', describe);
		describe();
		return list;
	}

	/** Shows `rowSelector` only while `selectSelector` is set to `custom`. */
	function showWhenCustom(selectSelector, rowSelector) {
		function toggle() { $(rowSelector).toggle($(selectSelector).val() === 'custom'); }
		$(selectSelector).on('change', toggle);
		toggle();
	}

	/**
	 * The secret field of an account: Generate fills it with 32 random bytes as hex (and clears the
	 * invalid mark), Copy copies what it holds. A saved password never comes back to the editor, so a
	 * saved secret can only be copied where it was made, or replaced by a generated one.
	 */
	function secretField(inputSelector) {
		var input = $(inputSelector);
		var generate = input.siblings('[data-legalhooks-generate]');
		var copy = input.siblings('[data-legalhooks-copy="secret"]');
		generate.on('click', function (e) {
			e.preventDefault();
			var bytes = new Uint8Array(32);
			window.crypto.getRandomValues(bytes);
			var hex = Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
			input.attr('type', 'text').val(hex).removeClass('input-error').trigger('change').trigger('keyup');
		});
		copyButton(copy, function () {
			var value = input.val();
			return value && value !== '__PWRD__' ? value : '';
		}, 'The saved secret is not sent back to the editor. Generate a new one (and give it to the vendor) to copy it.');
	}

	/** A "Test connection" button posting the form to the account's admin endpoint. */
	function connectionTester(buttonSelector, resultSelector, type, node, fields) {
		$(buttonSelector).on('click', function (e) {
			e.preventDefault();
			var credentials = {};
			fields.forEach(function (field) { credentials[field] = $('#node-config-input-' + field).val(); });
			$(resultSelector).text('Testing…');
			$.ajax({ url: type + '/test', method: 'POST', contentType: 'application/json', data: JSON.stringify({ id: node.id, credentials: credentials }) })
				.done(function (r) { $(resultSelector).text((r.ok ? '✔ ' : '✖ ') + r.message); })
				.fail(function (x) { $(resultSelector).text('✖ HTTP ' + x.status); });
		});
	}

	/** Suggestions from the service for a text input (deployed account); typing any value still works. */
	function picker(input, url, params) {
		var listId = input.slice(1) + '-suggestions';
		$(input).attr('list', listId).after('<datalist id="' + listId + '"></datalist>');
		var loadedFor = null;
		$(input).on('focus', function () {
			var p = params();
			var key = JSON.stringify(p);
			if (!p.account || loadedFor === key) return;
			loadedFor = key;
			$.getJSON(url, p).done(function (r) {
				var list = $('#' + listId).empty();
				(r.items || []).forEach(function (i) { $('<option>').attr('value', i.value).text(i.label).appendTo(list); });
			});
		});
	}

	/**
	 * "Sign in" on a destination account: starts the authorization-code flow on the runtime
	 * (legalhooks/<destination>/auth/start), opens the service in a new window, polls for the result
	 * and puts the refresh token in the form; `done(result)` may use the rest of the result.
	 */
	function signIn(node, spec) {
		$(spec.button).on('click', function () {
			var out = $(spec.result).text('Opening the sign-in…');
			var base = 'legalhooks/' + spec.destination + '/auth/';
			var body = { id: node.id, settings: {}, credentials: {}, redirectUri: new URL(base + 'callback', window.location.href).toString() };
			spec.settings.forEach(function (k) { body.settings[k] = $('#node-config-input-' + k).val(); });
			['clientId', 'clientSecret'].forEach(function (k) { body.credentials[k] = $('#node-config-input-' + k).val(); });
			var popup = window.open('', 'legalhooks-' + spec.destination + '-signin', 'width=600,height=720');
			$.ajax({ url: base + 'start', type: 'POST', contentType: 'application/json', data: JSON.stringify(body) })
				.done(function (r) {
					if (popup) popup.location = r.url; else window.open(r.url, '_blank');
					out.text('Sign in in the new window (redirect URL to register: ' + r.redirectUri + ')');
					var poll = setInterval(function () {
						$.getJSON(base + 'result', { state: r.state }).done(function (s) {
							if (s.status === 'pending') return;
							clearInterval(poll);
							if (s.status !== 'done') { out.text('✖ ' + (s.message || 'sign-in expired')); return; }
							$('#node-config-input-grantType').val('refresh_token').trigger('change');
							$('#node-config-input-refreshToken').val(s.refreshToken);
							out.text((spec.done && spec.done(s)) || '✔ Signed in; deploy to use it.');
						}).fail(function () { clearInterval(poll); out.text('✖ sign-in expired'); });
					}, 1500);
				})
				.fail(function (x) { if (popup) popup.close(); out.text('✖ ' + ((x.responseJSON && x.responseJSON.message) || x.statusText)); });
		});
	}

	/** Deployed accounts' empty required fields by id, from the runtime (saved secrets never reach the editor). */
	var deployedMissing = {};
	var missingLoaded = {};
	function loadDeployedMissing(accountType) {
		if (missingLoaded[accountType]) return;
		missingLoaded[accountType] = true;
		$.getJSON(accountType + '/missing').done(function (r) {
			$.extend(deployedMissing, (r && r.accounts) || {});
			RED.nodes.eachConfig(function (config) {
				if (config.type === accountType) RED.editor.validateNode(config);
			});
			RED.view.redraw(true);
		});
	}

	/** The labels of the account's empty required fields: from the form's values once edited, else from the runtime. */
	function missingFields(node, triggerType) {
		var creds = node.credentials;
		if (!creds) {
			loadDeployedMissing(node.type);
			return deployedMissing[node.id] || [];
		}
		var filled = function (field) {
			var value = creds[field];
			if (value === undefined) return !!creds['has_' + field];
			return String(value).trim() !== '';
		};
		return (facts(triggerType).requiredCredentials || []).filter(function (rule) {
			var when = rule.when;
			if (when && when.filled && !filled(when.field)) return false;
			if (when && when.equals && when.equals.indexOf(String(creds[when.field] === undefined ? '' : creds[when.field])) < 0) return false;
			return !filled(rule.field);
		}).map(function (rule) { return rule.label; });
	}

	/**
	 * An account's defaults plus its settings for several instances, whose defaults the runtime exports.
	 * `credentialsFilled` carries the check of the required credentials: Node-RED's deploy check
	 * validates only `defaults` (never credentials), so an account with an empty secret is marked
	 * invalid there. It has no input, so the dialog marks the empty fields themselves, not another one.
	 */
	function accountDefaults(triggerType, base) {
		var d = facts(triggerType).instanceDefaults || {};
		return $.extend({
			contextStore: { value: d.contextStore },
			registers: { value: d.registers },
			credentialsFilled: {
				value: '',
				validate: function (value, opt) {
					var missing = missingFields(this, triggerType);
					return missing.length ? 'Fill in the ' + missing.join(', ') : true;
				}
			}
		}, base);
	}

	/**
	 * Fills an account dialog's `#legalhooks-instances`: the context store its triggers keep seen ids
	 * in (the runtime's stores, from RED.settings.context) and, for vendors registered through their
	 * API (`registers`), whether this instance registers.
	 */
	function prepareInstances(node, registers) {
		var context = RED.settings.context || { stores: [] };
		// Settings for running several instances: folded under Advanced unless one is already changed.
		var open = Boolean(node.contextStore) || (registers && node.registers === false);
		var html =
			'<div class="form-row"><a href="#" id="legalhooks-advanced-toggle"><i class="fa fa-caret-' + (open ? 'down' : 'right') + '"></i> Advanced: several instances</a></div>' +
			'<div id="legalhooks-advanced"' + (open ? '' : ' style="display: none;"') + '>' +
			'<div class="form-row"><label for="node-config-input-contextStore"><i class="fa fa-database"></i> Context store</label><select id="node-config-input-contextStore"></select></div>' +
			'<div class="form-tips">Where its triggers keep the event ids they emitted (24 h, 10 000 ids)' + (registers ? ' and the registration for instances that do not register' : '') +
			'. A persistent store (<code>localfilesystem</code>) still drops a retry after a restart; a store several instances share drops each other\'s retries.</div>' +
			(registers
				? '<div class="form-row"><label for="node-config-input-registers">Registration</label><input type="checkbox" id="node-config-input-registers" style="width: auto;"> this instance registers the webhook with the vendor</div>' +
				  '<div class="form-tips">Off on all but one instance of a pair behind one URL: the others only serve deliveries, verified with the registration the registering one keeps in the shared context store.</div>'
				: '') +
			'</div>';
		$('#legalhooks-instances').html(html);
		$('#legalhooks-advanced-toggle').on('click', function (e) {
			e.preventDefault();
			var body = $('#legalhooks-advanced').toggle();
			$(this).find('i').toggleClass('fa-caret-right', !body.is(':visible')).toggleClass('fa-caret-down', body.is(':visible'));
		});
		var select = $('#node-config-input-contextStore');
		$('<option>').val('').text('default' + (context.default ? ' (' + context.default + ')' : '')).appendTo(select);
		(context.stores || []).forEach(function (store) { $('<option>').val(store).text(store).appendTo(select); });
		select.val(node.contextStore || '');
		$('#node-config-input-registers').prop('checked', !!node.registers);
	}

	/**
	 * An account's label in every dropdown: its name, else the vendor and the public URL's host, so two
	 * unnamed accounts of one vendor can be told apart; accounts without a URL (set up by hand) need a name.
	 */
	function accountLabel(vendorName) {
		return function () {
			if (this.name) return this.name;
			var host = /^https?:\/\/([^/?#]+)/.exec(this.baseUrl || '');
			return host ? vendorName + ' · ' + host[1] : vendorName + ' account';
		};
	}

	window.LegalhooksEditor = {
		facts: facts,
		accountDefaults: accountDefaults,
		prepareInstances: prepareInstances,
		accountLabel: accountLabel,
		triggerDefaults: triggerDefaults,
		prepareTrigger: prepareTrigger,
		fillSelect: fillSelect,
		showWhenCustom: showWhenCustom,
		secretField: secretField,
		copyButton: copyButton,
		connectionTester: connectionTester,
		picker: picker,
		signIn: signIn
	};
})();
