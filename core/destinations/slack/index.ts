/** The Slack destination: settings and results (types), the message from the event (mapping), the Web API client, the send, the editor's channel picker. */
export { SLACK_SERVICE, SLACK_DEFAULT_BASE_URL, SLACK_METADATA_EVENT_TYPE, type SlackCredentials, type SlackOptions, type SlackResult, type SlackMessage } from './types';
export { escapeAndTruncate, SLACK_SECTION_MAX, buildSlackMessage } from './mapping';
export { testSlackCredentials } from './client';
export { SLACK_HISTORY_MAX, sendToSlack } from './send';
export { listSlackChannels } from './pickers';
