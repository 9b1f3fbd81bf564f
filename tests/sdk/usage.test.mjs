// Metering checks: the usage the official SDKs report for their own calls, streamed and not,
// must be what the gateway recorded for them (read back through the admin API).
//
// Run against a running gateway with a key whose account has made no other requests:
//   node --test usage.test.mjs        (from tests/sdk)
// The target is read from the environment; see README.md in this folder.

import { test } from 'node:test';
import assert from 'node:assert/strict';

const REQUIRED_ENV = [
  'GATEHOUSE_URL',
  'GATEHOUSE_KEY',
  'GATEHOUSE_ACCOUNT',
  'GATEHOUSE_ADMIN_URL',
  'GATEHOUSE_ADMIN_TOKEN',
  'ANTHROPIC_MODEL',
  'OPENAI_MODEL',
];

const missing = REQUIRED_ENV.filter((name) => !process.env[name]);
if (missing.length > 0) {
  throw new Error(
    `Gatehouse usage tests: missing required environment variable(s): ${missing.join(', ')}. See tests/sdk/README.md.`,
  );
}

const BASE_URL = process.env.GATEHOUSE_URL.replace(/\/+$/, '');
const ADMIN_URL = process.env.GATEHOUSE_ADMIN_URL.replace(/\/+$/, '');
const KEY = process.env.GATEHOUSE_KEY;
const ACCOUNT = process.env.GATEHOUSE_ACCOUNT;
const ANTHROPIC_MODEL = process.env.ANTHROPIC_MODEL;
const OPENAI_MODEL = process.env.OPENAI_MODEL;

const { default: Anthropic } = await import('@anthropic-ai/sdk');
const { default: OpenAI } = await import('openai');

const TEST_OPTIONS = { timeout: 60_000 };
const USER_MESSAGES = [{ role: 'user', content: 'Say hello' }];

const anthropic = new Anthropic({ apiKey: KEY, authToken: null, baseURL: BASE_URL, maxRetries: 0, timeout: 30_000 });
const openai = new OpenAI({ apiKey: KEY, organization: null, project: null, baseURL: `${BASE_URL}/v1`, maxRetries: 0, timeout: 30_000 });

// What the SDKs reported, per model: the totals the gateway must have recorded.
const reported = new Map();
function add(model, input, output) {
  const totals = reported.get(model) ?? { requests: 0, inputTokens: 0, outputTokens: 0 };
  totals.requests += 1;
  totals.inputTokens += input;
  totals.outputTokens += output;
  reported.set(model, totals);
}

// Anthropic counts cache writes and reads apart from input_tokens; the gateway adds them to the input.
function anthropicInput(usage) {
  return usage.input_tokens + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
}

test('Anthropic SDK: messages.create reports usage', TEST_OPTIONS, async () => {
  const message = await anthropic.messages.create({ model: ANTHROPIC_MODEL, max_tokens: 64, messages: USER_MESSAGES });

  assert.ok(message.usage.input_tokens > 0 && message.usage.output_tokens > 0, JSON.stringify(message.usage));
  add(ANTHROPIC_MODEL, anthropicInput(message.usage), message.usage.output_tokens);
});

test('Anthropic SDK: messages.stream reports usage in its final message', TEST_OPTIONS, async () => {
  const message = await anthropic.messages.stream({ model: ANTHROPIC_MODEL, max_tokens: 64, messages: USER_MESSAGES }).finalMessage();

  assert.ok(message.usage.input_tokens > 0 && message.usage.output_tokens > 0, JSON.stringify(message.usage));
  add(ANTHROPIC_MODEL, anthropicInput(message.usage), message.usage.output_tokens);
});

test('OpenAI SDK: chat.completions.create reports usage', TEST_OPTIONS, async () => {
  const completion = await openai.chat.completions.create({ model: OPENAI_MODEL, messages: USER_MESSAGES });

  assert.ok(completion.usage.prompt_tokens > 0 && completion.usage.completion_tokens > 0, JSON.stringify(completion.usage));
  add(OPENAI_MODEL, completion.usage.prompt_tokens, completion.usage.completion_tokens);
});

test('OpenAI SDK: a stream with include_usage reports usage in its last chunk', TEST_OPTIONS, async () => {
  const stream = await openai.chat.completions.create({
    model: OPENAI_MODEL,
    messages: USER_MESSAGES,
    stream: true,
    stream_options: { include_usage: true },
  });
  let usage = null;
  for await (const chunk of stream) {
    if (chunk.usage) {
      usage = chunk.usage;
    }
  }

  assert.ok(usage && usage.prompt_tokens > 0 && usage.completion_tokens > 0, `usage: ${JSON.stringify(usage)}`);
  add(OPENAI_MODEL, usage.prompt_tokens, usage.completion_tokens);
});

test('The gateway recorded exactly the usage the SDKs reported', TEST_OPTIONS, async () => {
  const expected = [...reported.entries()]
    .map(([model, totals]) => ({ model, ...totals }))
    .sort((a, b) => a.model.localeCompare(b.model));
  assert.equal(expected.length, 2, 'both models were called');

  // The gateway counts a request once its response has been copied; poll briefly for the last one.
  let recorded;
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const response = await fetch(`${ADMIN_URL}/admin/v1/usage?accountId=${encodeURIComponent(ACCOUNT)}&by=model`, {
      headers: { Authorization: `Bearer ${process.env.GATEHOUSE_ADMIN_TOKEN}` },
    });
    assert.equal(response.status, 200, await response.clone().text());
    const report = await response.json();
    recorded = report.rows
      .map((r) => ({ model: r.model, requests: r.requests, inputTokens: r.inputTokens, outputTokens: r.outputTokens }))
      .sort((a, b) => a.model.localeCompare(b.model));
    if (JSON.stringify(recorded) === JSON.stringify(expected)) {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  assert.deepEqual(recorded, expected);
});
