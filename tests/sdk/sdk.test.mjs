// Compatibility checks: the official Anthropic and OpenAI Node SDKs, used exactly
// as a customer would use them, pointed at a running Gatehouse gateway.
//
// Run (after `npm ci` in this folder):
//   node --test tests/sdk/          (from the repository root)
//   node --test sdk.test.mjs        (from tests/sdk)
//
// The target is read from the environment; see README.md in this folder.

import { test } from 'node:test';
import assert from 'node:assert/strict';

// ---------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------

const REQUIRED_ENV = [
  'GATEHOUSE_URL',
  'GATEHOUSE_KEY',
  'ANTHROPIC_MODEL',
  'OPENAI_MODEL',
  'RESTRICTED_MODEL',
  'EXPECTED_TEXT',
];

const missing = REQUIRED_ENV.filter((name) => !process.env[name]);
if (missing.length > 0) {
  throw new Error(
    `Gatehouse SDK tests: missing required environment variable(s): ${missing.join(', ')}. ` +
      `Required: ${REQUIRED_ENV.join(', ')}. See tests/sdk/README.md.`,
  );
}

let gatewayUrl;
try {
  gatewayUrl = new URL(process.env.GATEHOUSE_URL);
} catch {
  throw new Error(
    `Gatehouse SDK tests: GATEHOUSE_URL is not an absolute URL: ${JSON.stringify(process.env.GATEHOUSE_URL)} ` +
      `(expected something like http://127.0.0.1:41234)`,
  );
}

const BASE_URL = gatewayUrl.href.replace(/\/+$/, '');
const KEY = process.env.GATEHOUSE_KEY;
const ANTHROPIC_MODEL = process.env.ANTHROPIC_MODEL;
const OPENAI_MODEL = process.env.OPENAI_MODEL;
const RESTRICTED_MODEL = process.env.RESTRICTED_MODEL;
const EXPECTED_TEXT = process.env.EXPECTED_TEXT;

// Load the SDKs after the environment check so a missing variable is reported
// first, and so a missing `npm ci` gets a helpful message instead of a bare
// ERR_MODULE_NOT_FOUND.
let Anthropic;
let OpenAI;
try {
  ({ default: Anthropic } = await import('@anthropic-ai/sdk'));
  ({ default: OpenAI } = await import('openai'));
} catch (err) {
  throw new Error(
    `Gatehouse SDK tests: could not load the SDK packages (${err.message}). ` +
      `Run \`npm ci\` in tests/sdk first.`,
    { cause: err },
  );
}

// Per-request timeout for the SDK clients, and a per-test ceiling, so a hung
// gateway fails the run instead of stalling it for the SDKs' 10-minute default.
const REQUEST_TIMEOUT_MS = 30_000;
const TEST_OPTIONS = { timeout: 60_000 };

const USER_MESSAGES = [{ role: 'user', content: 'Say hello' }];

function anthropicClient(apiKey = KEY) {
  return new Anthropic({
    apiKey,
    // Passing `null` keeps the SDK from picking up ANTHROPIC_AUTH_TOKEN from the
    // environment, so only x-api-key is sent.
    authToken: null,
    baseURL: BASE_URL,
    maxRetries: 0,
    timeout: REQUEST_TIMEOUT_MS,
  });
}

function openaiClient(apiKey = KEY) {
  return new OpenAI({
    apiKey,
    // `null` keeps OPENAI_ORG_ID / OPENAI_PROJECT_ID in the environment from
    // adding headers to the requests.
    organization: null,
    project: null,
    baseURL: `${BASE_URL}/v1`,
    maxRetries: 0,
    timeout: REQUEST_TIMEOUT_MS,
  });
}

/** A short description of a thrown value, for assertion messages. */
function describeError(err) {
  const name = err?.constructor?.name ?? typeof err;
  return `${name} (status ${err?.status ?? 'none'}): ${err?.message ?? String(err)}`;
}

// ---------------------------------------------------------------------------
// Anthropic Messages API
// ---------------------------------------------------------------------------

test('Anthropic SDK: messages.create (non-streaming) returns the upstream text', TEST_OPTIONS, async () => {
  const client = anthropicClient();

  const message = await client.messages.create({
    model: ANTHROPIC_MODEL,
    max_tokens: 64,
    messages: USER_MESSAGES,
  });

  assert.equal(message.type, 'message');
  assert.equal(message.role, 'assistant');
  assert.ok(Array.isArray(message.content) && message.content.length > 0, 'message.content is a non-empty array');
  assert.equal(message.content[0].type, 'text');
  assert.equal(message.content[0].text, EXPECTED_TEXT);
});

test('Anthropic SDK: messages.stream delivers text deltas and a final message', TEST_OPTIONS, async () => {
  const client = anthropicClient();

  const stream = client.messages.stream({
    model: ANTHROPIC_MODEL,
    max_tokens: 64,
    messages: USER_MESSAGES,
  });

  const deltas = [];
  stream.on('text', (delta) => deltas.push(delta));

  const finalMessage = await stream.finalMessage();

  assert.ok(deltas.length > 0, 'received at least one text delta');
  assert.equal(deltas.join(''), EXPECTED_TEXT);

  assert.equal(finalMessage.role, 'assistant');
  const finalText = finalMessage.content
    .filter((block) => block.type === 'text')
    .map((block) => block.text)
    .join('');
  assert.equal(finalText, EXPECTED_TEXT);
  assert.equal(await stream.finalText(), EXPECTED_TEXT);
});

test('Anthropic SDK: the key is also accepted in the x-api-key header', TEST_OPTIONS, async () => {
  // @anthropic-ai/sdk 1.x sends `apiKey` as `Authorization: Bearer`; 0.x SDKs,
  // other languages' SDKs and the API docs' curl examples use `x-api-key`.
  // Swap the header so that path is covered with the same client too.
  const client = new Anthropic({
    apiKey: KEY,
    authToken: null,
    baseURL: BASE_URL,
    maxRetries: 0,
    timeout: REQUEST_TIMEOUT_MS,
    defaultHeaders: { 'x-api-key': KEY, Authorization: null },
  });

  const message = await client.messages.create({
    model: ANTHROPIC_MODEL,
    max_tokens: 64,
    messages: USER_MESSAGES,
  });

  assert.equal(message.content[0].type, 'text');
  assert.equal(message.content[0].text, EXPECTED_TEXT);
});

// ---------------------------------------------------------------------------
// OpenAI Chat Completions API
// ---------------------------------------------------------------------------

test('OpenAI SDK: chat.completions.create (non-streaming) returns the upstream text', TEST_OPTIONS, async () => {
  const client = openaiClient();

  const completion = await client.chat.completions.create({
    model: OPENAI_MODEL,
    messages: USER_MESSAGES,
  });

  assert.equal(completion.object, 'chat.completion');
  assert.ok(Array.isArray(completion.choices) && completion.choices.length > 0, 'completion.choices is a non-empty array');
  assert.equal(completion.choices[0].message.role, 'assistant');
  assert.equal(completion.choices[0].message.content, EXPECTED_TEXT);
});

test('OpenAI SDK: chat.completions.create with stream: true delivers the text in chunks', TEST_OPTIONS, async () => {
  const client = openaiClient();

  const stream = await client.chat.completions.create({
    model: OPENAI_MODEL,
    messages: USER_MESSAGES,
    stream: true,
  });

  let text = '';
  let chunks = 0;
  for await (const chunk of stream) {
    chunks += 1;
    assert.equal(chunk.object, 'chat.completion.chunk');
    text += chunk.choices[0]?.delta?.content ?? '';
  }

  assert.ok(chunks > 0, 'received at least one chunk');
  assert.equal(text, EXPECTED_TEXT);
});

// ---------------------------------------------------------------------------
// Policy denial, authentication and model listing
// ---------------------------------------------------------------------------

test('Anthropic SDK: a restricted model is denied with PermissionDeniedError (403, permission_error)', TEST_OPTIONS, async () => {
  const client = anthropicClient();

  await assert.rejects(
    client.messages.create({
      model: RESTRICTED_MODEL,
      max_tokens: 64,
      messages: USER_MESSAGES,
    }),
    (err) => {
      assert.ok(err instanceof Anthropic.PermissionDeniedError, `expected Anthropic.PermissionDeniedError, got ${describeError(err)}`);
      assert.equal(err.status, 403);
      // err.error is the whole JSON body: {"type":"error","error":{"type":"permission_error","message":"..."}}
      assert.equal(err.error?.type, 'error', `error body: ${JSON.stringify(err.error)}`);
      assert.equal(err.error?.error?.type, 'permission_error', `error body: ${JSON.stringify(err.error)}`);
      assert.equal(typeof err.error?.error?.message, 'string', `error body: ${JSON.stringify(err.error)}`);
      return true;
    },
  );
});

test('OpenAI SDK: a restricted model is denied with PermissionDeniedError (403, geo.* code)', TEST_OPTIONS, async () => {
  const client = openaiClient();

  await assert.rejects(
    client.chat.completions.create({
      model: RESTRICTED_MODEL,
      messages: USER_MESSAGES,
    }),
    (err) => {
      assert.ok(err instanceof OpenAI.PermissionDeniedError, `expected OpenAI.PermissionDeniedError, got ${describeError(err)}`);
      assert.equal(err.status, 403);
      // err.error is the body's "error" object: {"message":"...","type":"...","param":null,"code":"geo...."}
      assert.equal(typeof err.code, 'string', `error object: ${JSON.stringify(err.error)}`);
      assert.ok(err.code.startsWith('geo.') && err.code.length > 'geo.'.length, `expected a geo.* code, got ${JSON.stringify(err.code)}`);
      assert.equal(typeof err.error?.message, 'string', `error object: ${JSON.stringify(err.error)}`);
      return true;
    },
  );
});

test('Anthropic SDK: an invalid API key is rejected with AuthenticationError (401)', TEST_OPTIONS, async () => {
  const client = anthropicClient('gh_invalid');

  await assert.rejects(
    client.messages.create({
      model: ANTHROPIC_MODEL,
      max_tokens: 64,
      messages: USER_MESSAGES,
    }),
    (err) => {
      assert.ok(err instanceof Anthropic.AuthenticationError, `expected Anthropic.AuthenticationError, got ${describeError(err)}`);
      assert.equal(err.status, 401);
      return true;
    },
  );
});

test('OpenAI SDK: an invalid API key is rejected with AuthenticationError (401)', TEST_OPTIONS, async () => {
  const client = openaiClient('gh_invalid');

  await assert.rejects(
    client.chat.completions.create({
      model: OPENAI_MODEL,
      messages: USER_MESSAGES,
    }),
    (err) => {
      assert.ok(err instanceof OpenAI.AuthenticationError, `expected OpenAI.AuthenticationError, got ${describeError(err)}`);
      assert.equal(err.status, 401);
      return true;
    },
  );
});

test('OpenAI SDK: models.list includes the allowed model and hides the restricted one', TEST_OPTIONS, async () => {
  const client = openaiClient();

  const ids = [];
  for await (const model of client.models.list()) {
    ids.push(model.id);
  }

  assert.ok(ids.includes(OPENAI_MODEL), `expected ${JSON.stringify(OPENAI_MODEL)} in ${JSON.stringify(ids)}`);
  assert.ok(!ids.includes(RESTRICTED_MODEL), `expected ${JSON.stringify(RESTRICTED_MODEL)} not in ${JSON.stringify(ids)}`);
});
