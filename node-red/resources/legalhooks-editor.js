/* Editor helpers shared by every legalhooks trigger: common options form, webhook URL, secrets. */
(function () {
	var EVENT_TYPES = ['document.created', 'document.updated', 'document.deleted', 'document.sent', 'document.completed',
		'document.rejected', 'document.cancelled', 'document.expired', 'document.file_ready', 'document.approval_requested',
		'document.approved', 'document.approval_rejected', 'recipient.sent', 'recipient.viewed', 'recipient.completed',
		'recipient.rejected', 'recipient.updated', 'other'];

	function triggerDefaults(accountType, extra) {
		var defaults = {
			name: { value: '' },
			account: { value: '', type: accountType, required: true },
			path: { value: '', validate: function (v) { return !v || /^[A-Za-z0-9._~-]+$/.test(v); } },
			eventTypes: { value: '' },
			vendorEventTypes: { value: '' },
			includeRaw: { value: true },
			replayToleranceSeconds: { value: 600, validate: RED.validators.number(true) },
			maxBodyMb: { value: 25, validate: RED.validators.number(true) },
			dropOutOfOrder: { value: false },
			redactRawPaths: { value: '' },
			outputFormat: { value: 'normalized' },
			downloadDocuments: { value: false }
		};
		return $.extend(defaults, extra || {});
	}

	function row(id, label, input) {
		return '<div class="form-row"><label for="node-input-' + id + '">' + label + '</label>' + input + '</div>';
	}

	/** Inserts the common option rows into `#legalhooks-common` of a trigger's edit form. */
	function prepareTrigger(node, vendor, vendorEventTypes, options) {
		options = options || {};
		var html =
			row('path', '<i class="fa fa-link"></i> Path', '<input type="text" id="node-input-path" placeholder="' + node.id + '">') +
			'<div class="form-row"><label>Webhook URL</label><code id="legalhooks-url" style="word-break: break-all;"></code></div>' +
			row('eventTypes', '<i class="fa fa-filter"></i> Events', '<input type="text" id="node-input-eventTypes" placeholder="all normalized types">') +
			row('vendorEventTypes', '<i class="fa fa-filter"></i> Vendor events', '<input type="text" id="node-input-vendorEventTypes" placeholder="all vendor events">') +
			row('includeRaw', 'Raw payload', '<input type="checkbox" id="node-input-includeRaw" style="width: auto;"> include <code>raw</code>') +
			(options.replay === false ? '' : row('replayToleranceSeconds', 'Replay window', '<input type="text" id="node-input-replayToleranceSeconds" style="width: 80px;"> seconds (0 = off)')) +
			row('maxBodyMb', 'Max body', '<input type="text" id="node-input-maxBodyMb" style="width: 80px;"> MB') +
			row('redactRawPaths', 'Redact raw', '<input type="text" id="node-input-redactRawPaths" placeholder="paths in raw, e.g. data.document.ownerEmail, persons.*.email">') +
			row('downloadDocuments', 'Documents', '<input type="checkbox" id="node-input-downloadDocuments" style="width: auto;"> download linked documents into <code>msg.files</code>') +
			row('outputFormat', 'Output', '<select id="node-input-outputFormat"><option value="normalized">normalized event</option><option value="cloudevents">CloudEvents 1.0 (structured)</option></select>') +
			(options.outOfOrder ? row('dropOutOfOrder', 'Ordering', '<input type="checkbox" id="node-input-dropOutOfOrder" style="width: auto;"> drop updates older than one already sent') : '');
		$('#legalhooks-common').html(html);
		['path', 'eventTypes', 'vendorEventTypes', 'replayToleranceSeconds', 'maxBodyMb', 'redactRawPaths', 'outputFormat'].forEach(function (f) {
			$('#node-input-' + f).val(node[f]);
		});
		$('#node-input-includeRaw').prop('checked', node.includeRaw !== false);
		$('#node-input-dropOutOfOrder').prop('checked', !!node.dropOutOfOrder);
		$('#node-input-downloadDocuments').prop('checked', !!node.downloadDocuments);
		$('#node-input-eventTypes').typedInput({ type: 'eventTypes', types: [{ value: 'eventTypes', multiple: true, options: EVENT_TYPES }] });
		$('#node-input-vendorEventTypes').typedInput({ type: 'vendorEventTypes', types: [{ value: 'vendorEventTypes', multiple: true, options: vendorEventTypes }] });
		function refreshUrl() {
			var account = RED.nodes.node($('#node-input-account').val());
			var base = (account && account.baseUrl) || (location.protocol + '//' + location.host);
			var root = (RED.settings.httpNodeRoot || '/').replace(/\/?$/, '/');
			$('#legalhooks-url').text(base.replace(/\/+$/, '') + root + 'legalhooks/' + vendor + '/' + encodeURIComponent($('#node-input-path').val() || node.id));
		}
		$('#node-input-path, #node-input-account').on('change keyup', refreshUrl);
		refreshUrl();
	}

	/** A "Generate" button that fills a password field with 32 random bytes as hex. */
	function secretGenerator(buttonSelector, inputSelector) {
		$(buttonSelector).on('click', function (e) {
			e.preventDefault();
			var bytes = new Uint8Array(32);
			window.crypto.getRandomValues(bytes);
			var hex = Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
			$(inputSelector).val(hex).attr('type', 'text');
		});
	}

	/** A "Test connection" button posting the form to the account's admin endpoint. */
	function connectionTester(buttonSelector, resultSelector, type, node, fields) {
		$(buttonSelector).on('click', function (e) {
			e.preventDefault();
			var credentials = {};
			fields.forEach(function (f) { credentials[f] = $('#node-config-input-' + f).val(); });
			$(resultSelector).text('Testing…');
			$.ajax({ url: type + '/test', method: 'POST', contentType: 'application/json', data: JSON.stringify({ id: node.id, credentials: credentials }) })
				.done(function (r) { $(resultSelector).text((r.ok ? '✔ ' : '✖ ') + r.message); })
				.fail(function (x) { $(resultSelector).text('✖ HTTP ' + x.status); });
		});
	}

	window.LegalhooksEditor = { triggerDefaults: triggerDefaults, prepareTrigger: prepareTrigger, secretGenerator: secretGenerator, connectionTester: connectionTester };
})();
